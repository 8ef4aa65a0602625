//! Entity resolution: which mentions across all alerts are one real-world thing.
//!
//! Mentions that share a strong identifier are one entity (union-find over identifier keys). A
//! mention with only weak identifiers (a bare host name) joins the one entity that carries the
//! same weak key, when exactly one does; otherwise it stays an entity of its own. The result does
//! not depend on the order of the mentions: components, names and ids are all derived from
//! sorted data.

use crate::model::{Entity, EntityId, EntityKind, EntityMention, Identifier, Sym};
use crate::model::{HashMap, HashMapExt};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Resolved entities and, for each input mention, the entity it became.
pub struct Resolution {
    /// Sorted by entity id.
    pub entities: Vec<Entity>,
    /// Parallel to the input mentions.
    pub entity_of_mention: Vec<EntityId>,
}

/// Most attribute values kept per label (the rest are the same facts repeated with variations).
const MAX_VALUES_PER_ATTRIBUTE: usize = 4;

pub fn resolve(all: &[&EntityMention]) -> Resolution {
    resolve_on(all, &crate::spread::InTurn)
}

/// [`resolve`], the entities merged from their mentions on the cores `spread` has.
pub fn resolve_on(all: &[&EntityMention], spread: &dyn crate::spread::Spread) -> Resolution {
    // Alerts share their mentions (one per file and content, see `ingest`): the same mention
    // read once per alert that names it. Each distinct mention is resolved once, with the number
    // of times it was named (names and kinds are chosen by votes).
    let mut distinct_of: HashMap<*const EntityMention, usize> = HashMap::new();
    let mut mentions: Vec<&EntityMention> = Vec::new();
    let mut times: Vec<usize> = Vec::new();
    let slot_of: Vec<usize> = all
        .iter()
        .map(|&mention| {
            let slot = *distinct_of
                .entry(std::ptr::from_ref(mention))
                .or_insert(mentions.len());
            if slot == mentions.len() {
                mentions.push(mention);
                times.push(0);
            }
            times[slot] += 1;
            slot
        })
        .collect();
    let mut sets = DisjointSets::new(mentions.len());
    let mut owner_of_key: HashMap<&str, usize> = HashMap::new();
    for (index, mention) in mentions.iter().enumerate() {
        let has_strong = mention.identifiers.iter().any(|i| i.strong);
        for identifier in mention
            .identifiers
            .iter()
            .filter(|i| i.strong || !has_strong)
        {
            match owner_of_key.get(identifier.key.as_str()) {
                Some(&other) => {
                    sets.union(index, other);
                }
                None => {
                    owner_of_key.insert(&identifier.key, index);
                }
            }
        }
    }
    // Weak-only components join the single strong component that carries their weak key.
    let mut strong_roots_by_weak_key: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for (index, mention) in mentions.iter().enumerate() {
        if mention.identifiers.iter().any(|i| i.strong) {
            let root = sets.find_mut(index);
            for weak in mention.identifiers.iter().filter(|i| !i.strong) {
                strong_roots_by_weak_key
                    .entry(&weak.key)
                    .or_default()
                    .insert(root);
            }
        }
    }
    for (index, mention) in mentions.iter().enumerate() {
        if mention.identifiers.iter().all(|i| !i.strong) {
            let candidates: BTreeSet<usize> = mention
                .identifiers
                .iter()
                .filter_map(|i| strong_roots_by_weak_key.get(i.key.as_str()))
                .flat_map(|roots| roots.iter().copied())
                .collect();
            if candidates.len() == 1 {
                if let Some(&root) = candidates.iter().next() {
                    sets.union(index, root);
                }
            }
        }
    }

    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for index in 0..mentions.len() {
        members.entry(sets.find_mut(index)).or_default().push(index);
    }
    let mut members: Vec<Vec<usize>> = members.into_values().collect();
    let mut entities = crate::spread::map(spread, &mut members, &|| (), &|_, indices| {
        merge(indices.iter().map(|&i| (mentions[i], times[i])))
    });
    let mut entity_of_distinct = vec![EntityId::new(String::new()); mentions.len()];
    for (indices, entity) in members.iter().zip(&entities) {
        for &i in indices {
            entity_of_distinct[i] = entity.entity_id.clone();
        }
    }
    entities.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));
    Resolution {
        entities,
        entity_of_mention: slot_of
            .into_iter()
            .map(|slot| entity_of_distinct[slot].clone())
            .collect(),
    }
}

/// One entity from its mentions, each with the number of times it was named; everything chosen
/// from sorted data.
fn merge<'a>(mentions: impl Iterator<Item = (&'a EntityMention, usize)>) -> Entity {
    // Sorted vectors, merged where equal: most entities have one distinct mention.
    let mut kind_votes: Vec<(EntityKind, usize)> = Vec::new();
    let mut identifiers: Vec<Identifier> = Vec::new();
    let mut names: Vec<(&str, (usize, bool))> = Vec::new();
    let mut attributes: Vec<(&Sym, &Sym)> = Vec::new();
    for (mention, times) in mentions {
        kind_votes.push((mention.kind, times));
        let strong = mention.identifiers.iter().any(|i| i.strong);
        identifiers.extend(mention.identifiers.iter().cloned());
        names.push((mention.name.as_str(), (times, strong)));
        attributes.extend(
            mention
                .attributes
                .iter()
                .map(|(label, value)| (label, value)),
        );
    }
    let kind_votes = summed(kind_votes, |total, times| *total += times);
    let names = summed(names, |total, (times, strong)| {
        total.0 += times;
        total.1 |= strong;
    });
    identifiers.sort_unstable();
    identifiers.dedup();
    attributes.sort_unstable();
    attributes.dedup();
    // A key can be both strong (here) and weak (there): keep the strong reading only.
    let strong_keys: Vec<&str> = identifiers
        .iter()
        .filter(|i| i.strong)
        .map(|i| i.key.as_str())
        .collect();
    let identifiers: Vec<Identifier> = identifiers
        .iter()
        .filter(|i| i.strong || strong_keys.binary_search(&i.key.as_str()).is_err())
        .cloned()
        .collect();
    let kind = kind_votes
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(EntityKind::Other, |(k, _)| *k);
    // The most frequent name from a strongly identified mention; ties go to the shortest, then first.
    let name = names
        .iter()
        .max_by(|a, b| {
            (a.1 .1, a.1 .0)
                .cmp(&(b.1 .1, b.1 .0))
                .then(b.0.len().cmp(&a.0.len()))
                .then(b.0.cmp(a.0))
        })
        .map_or(String::new(), |(n, _)| (*n).to_owned());
    let id_key = identifiers
        .iter()
        .find(|i| i.strong)
        .or(identifiers.first())
        .map_or(name.as_str(), |i| i.key.as_str());
    // The id: the kind, then the first 12 hex digits (6 bytes) of the key's SHA-256.
    let digest = Sha256::digest(id_key.as_bytes());
    let mut entity_id = kind.as_str().replace('_', "-");
    entity_id.push('-');
    entity_id.push_str(&hex::encode(&digest[..6]));
    let builtin = identifiers.iter().any(|i| i.key.contains("/builtin:"));
    Entity {
        entity_id: EntityId::new(entity_id),
        kind,
        name,
        identifiers,
        attributes: attributes
            .chunk_by(|a, b| a.0 == b.0)
            .flat_map(|values| {
                values
                    .iter()
                    .take(MAX_VALUES_PER_ATTRIBUTE)
                    .map(|&(label, value)| (label.clone(), value.clone()))
            })
            .collect(),
        builtin,
    }
}

/// `pairs` sorted by key, with the values of equal keys folded into the first by `add`.
fn summed<K: Ord, V>(mut pairs: Vec<(K, V)>, mut add: impl FnMut(&mut V, V)) -> Vec<(K, V)> {
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(K, V)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        match out.last_mut() {
            Some(last) if last.0 == key => add(&mut last.1, value),
            _ => out.push((key, value)),
        }
    }
    out
}

/// Union-find over indices (petgraph's, with path compression in `find_mut`). Only the partition
/// it yields is used, never which index is a root, so results do not depend on its internals.
pub type DisjointSets = petgraph::unionfind::UnionFind<usize>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mentions::{self, DeviceFacts, UserFacts};

    fn user(sid: Option<&str>, upn: Option<&str>, aad: Option<&str>) -> EntityMention {
        mentions::user(&UserFacts {
            sid,
            upn,
            aad_user_id: aad,
            account_name: Some("alice"),
            ..Default::default()
        })
        .expect("user")
    }

    #[test]
    fn identifiers_tie_mentions_together_transitively_in_any_order() {
        let a = user(Some("S-1-5-21-1-2-3-1001"), None, None);
        let b = user(
            Some("S-1-5-21-1-2-3-1001"),
            Some("alice@corp.example"),
            None,
        );
        let c = user(None, Some("Alice@Corp.Example"), Some("0000-aad"));
        let d = user(None, None, Some("0000-aad"));
        let other = user(Some("S-1-5-21-1-2-3-2002"), None, None);
        let forward = resolve(&[&a, &b, &c, &d, &other]);
        let backward = resolve(&[&other, &d, &c, &b, &a]);
        assert_eq!(forward.entities.len(), 2);
        assert_eq!(forward.entities, backward.entities);
        // Merged in halves, the second first, as on two cores: the same entities.
        let halves = resolve_on(&[&a, &b, &c, &d, &other], &crate::spread::tests::Backwards);
        assert_eq!(forward.entities, halves.entities);
        assert_eq!(forward.entity_of_mention, halves.entity_of_mention);
        assert_eq!(forward.entity_of_mention[0], forward.entity_of_mention[3]);
        assert_ne!(forward.entity_of_mention[0], forward.entity_of_mention[4]);
    }

    #[test]
    fn a_mention_named_by_several_alerts_votes_once_per_alert() {
        let mut often = user(Some("S-1-5-21-1-2-3-1001"), None, None);
        often.name = "alice (often)".into();
        let mut once = user(Some("S-1-5-21-1-2-3-1001"), None, None);
        once.name = "alice (once)".into();
        // The same mention in three alerts outvotes another spelling in two.
        let r = resolve(&[&often, &once, &often, &once, &often]);
        assert_eq!(r.entities.len(), 1);
        assert_eq!(r.entities[0].name, "alice (often)");
        assert_eq!(r.entity_of_mention.len(), 5);
        let r = resolve(&[&often, &once, &once]);
        assert_eq!(r.entities[0].name, "alice (once)");
    }

    #[test]
    fn a_bare_host_name_joins_the_one_device_that_has_it() {
        let full = mentions::device(&DeviceFacts {
            mde_device_id: Some("abc"),
            dns_name: Some("ws-01.corp.example"),
            ..Default::default()
        })
        .expect("d");
        let bare = mentions::device(&DeviceFacts {
            host_name: Some("WS-01"),
            ..Default::default()
        })
        .expect("d");
        let r = resolve(&[&full, &bare]);
        assert_eq!(r.entities.len(), 1);
        assert_eq!(r.entities[0].name, "ws-01.corp.example");
        assert!(r.entities[0].entity_id.as_str().starts_with("device-"));
    }
}
