//! Pseudonymization for exports (issue 6): users, hosts, mailboxes and IP addresses replaced by
//! stable keyed aliases (`user-3f9a1c07`), so a report can leave the customer without naming
//! anyone. The alias is an HMAC-SHA-256 of the entity's kind and canonical identifier under a
//! key the analyst keeps: the same key gives the same aliases in every report (so two reports can
//! be read together), and without the key an alias cannot be tied back to a name.

use crate::model::{Entity, EntityKind};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;

/// Entity kinds that name people, machines and addresses.
pub fn is_personal(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::User | EntityKind::Device | EntityKind::Mailbox | EntityKind::Ip
    )
}

pub struct Pseudonymizer {
    key: Vec<u8>,
    /// Every name and identifier value of a personal entity → its alias, longest first.
    replacements: Vec<(String, String)>,
    aliases: BTreeMap<String, String>,
}

impl Pseudonymizer {
    /// Aliases for the personal entities among `entities`, under `key`.
    pub fn new<'a>(key: &[u8], entities: impl IntoIterator<Item = &'a Entity>) -> Pseudonymizer {
        let mut p = Pseudonymizer {
            key: key.to_vec(),
            replacements: Vec::new(),
            aliases: BTreeMap::new(),
        };
        let mut replacements: BTreeMap<String, String> = BTreeMap::new();
        for entity in entities {
            if !is_personal(entity.kind) || entity.builtin {
                continue;
            }
            let alias = p.alias_of(entity);
            p.aliases
                .insert(entity.entity_id.as_str().to_owned(), alias.clone());
            let values = std::iter::once(entity.name.as_str()).chain(
                entity
                    .identifiers
                    .iter()
                    .filter_map(|i| i.key.split_once(':').map(|(_, v)| v))
                    .map(|v| {
                        v.split_once(crate::ingest::mentions::TENANT_SCOPE)
                            .map_or(v, |(v, _)| v)
                    }),
            );
            for value in values {
                let value = value.trim();
                // Short values (a two-letter name) would replace parts of ordinary words.
                if value.chars().count() >= 4 {
                    replacements.insert(value.to_lowercase(), alias.clone());
                    // `DOMAIN\name` is also written as just the name after the backslash.
                    if let Some((_, short)) = value.rsplit_once('\\') {
                        if short.chars().count() >= 4 {
                            replacements.insert(short.to_lowercase(), alias.clone());
                        }
                    }
                }
            }
        }
        let mut replacements: Vec<(String, String)> = replacements.into_iter().collect();
        replacements.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        p.replacements = replacements;
        p
    }

    fn alias_of(&self, entity: &Entity) -> String {
        // The first strong identifier is the canonical one (identifiers are sorted).
        let basis = entity
            .identifiers
            .iter()
            .find(|i| i.strong)
            .map_or(entity.name.to_lowercase(), |i| i.key.clone());
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            // HMAC takes keys of any length: this cannot happen.
            return format!("{}-unknown", prefix(entity.kind));
        };
        mac.update(entity.kind.as_str().as_bytes());
        mac.update(b"|");
        mac.update(basis.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("{}-{}", prefix(entity.kind), hex::encode(&digest[..4]))
    }

    /// The alias of an entity (its display name when it is not personal).
    pub fn name(&self, entity: &Entity) -> String {
        self.aliases
            .get(entity.entity_id.as_str())
            .cloned()
            .unwrap_or_else(|| entity.name.clone())
    }

    /// `text` with every name and identifier of a personal entity replaced by its alias
    /// (case-insensitive, longest first): titles and descriptions often name hosts and users.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (value, alias) in &self.replacements {
            out = replace_case_insensitive(&out, value, alias);
        }
        out
    }
}

fn prefix(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::User => "user",
        EntityKind::Device => "host",
        EntityKind::Mailbox => "mailbox",
        EntityKind::Ip => "ip",
        _ => "entity",
    }
}

/// Replaces every case-insensitive occurrence of `needle` (already lower case) in `haystack`.
fn replace_case_insensitive(haystack: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return haystack.to_owned();
    }
    // Lower-casing can change a character's byte length outside ASCII: positions in the lower
    // text are positions in the original only when no character's did.
    let same_lengths = haystack
        .chars()
        .all(|c| c.to_lowercase().map(char::len_utf8).sum::<usize>() == c.len_utf8());
    if !same_lengths {
        return haystack.replace(needle, with);
    }
    let lower = haystack.to_lowercase();
    let mut out = String::with_capacity(haystack.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find(needle) {
        let start = at + found;
        out.push_str(&haystack[at..start]);
        out.push_str(with);
        at = start + needle.len();
    }
    out.push_str(&haystack[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityId, Identifier};

    fn entity(id: &str, kind: EntityKind, name: &str, keys: &[&str]) -> Entity {
        Entity {
            entity_id: EntityId::new(id),
            kind,
            name: name.to_owned(),
            identifiers: keys
                .iter()
                .map(|k| Identifier {
                    key: (*k).to_owned(),
                    strong: true,
                })
                .collect(),
            attributes: Vec::new(),
            builtin: false,
        }
    }

    #[test]
    fn aliases_are_stable_per_key_and_replace_every_way_a_name_is_written() {
        let user = entity(
            "u1",
            EntityKind::User,
            "KESTREL\\vbrouwer",
            &[
                "user/upn:vera.brouwer@kestrelridge.example",
                "user/nt:kestrel\\vbrouwer|tenant=t1",
            ],
        );
        let host = entity(
            "d1",
            EntityKind::Device,
            "krl-ws-7180.corp.example",
            &["device/fqdn:krl-ws-7180.corp.example"],
        );
        let ip = entity(
            "i1",
            EntityKind::Ip,
            "10.20.1.5",
            &["ip/address:10.20.1.5|tenant=t1"],
        );
        let url = entity(
            "w1",
            EntityKind::Url,
            "https://evil.example/x",
            &["url/url:https://evil.example/x"],
        );
        let p = Pseudonymizer::new(b"case-key", [&user, &host, &ip, &url]);
        let alias = p.name(&user);
        assert!(alias.starts_with("user-") && alias.len() == 13, "{alias}");
        assert_eq!(
            p.name(&url),
            "https://evil.example/x",
            "artifacts keep their value"
        );
        assert_eq!(Pseudonymizer::new(b"case-key", [&user]).name(&user), alias);
        assert_ne!(Pseudonymizer::new(b"other-key", [&user]).name(&user), alias);
        let text = "Suspicious sign-in by Vera.Brouwer@KestrelRidge.example (KESTREL\\vbrouwer, vbrouwer) on KRL-WS-7180.corp.example from 10.20.1.5 to https://evil.example/x";
        let scrubbed = p.scrub(text);
        for name in ["brouwer", "7180", "10.20.1.5"] {
            assert!(!scrubbed.to_lowercase().contains(name), "{scrubbed}");
        }
        assert!(scrubbed.contains(&alias) && scrubbed.contains(&p.name(&host)));
        assert!(scrubbed.contains("https://evil.example/x"));
        // Text whose lower case changes byte lengths still scrubs (exact case only).
        assert_eq!(p.scrub("İ 10.20.1.5"), format!("İ {}", p.name(&ip)));
    }
}
