//! Display names: categories in kill-chain order, service sources, and Defender-style incident titles.

use crate::model::{Alert, Entity, EntityKind, HashMap, Sym};

/// MITRE ATT&CK tactics in kill-chain order, then Defender's non-tactic categories.
const CATEGORY_ORDER: &[&str] = &[
    "reconnaissance",
    "resourcedevelopment",
    "initialaccess",
    "execution",
    "persistence",
    "privilegeescalation",
    "defenseevasion",
    "credentialaccess",
    "discovery",
    "lateralmovement",
    "collection",
    "commandandcontrol",
    "exfiltration",
    "impact",
    // Not tactics: shown after them.
    "ransomware",
    "malware",
    "exploit",
    "unwantedsoftware",
    "suspiciousactivity",
];

/// How many of the entries above are MITRE tactics.
const N_TACTICS: usize = 14;

fn category_key(category: &str) -> String {
    category
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect()
}

/// Position in kill-chain order; unknown categories sort after the known ones.
pub fn category_rank(category: &str) -> usize {
    let key = category_key(category);
    CATEGORY_ORDER
        .iter()
        .position(|c| *c == key)
        .unwrap_or(CATEGORY_ORDER.len())
}

/// True for the fourteen MITRE ATT&CK tactics.
pub fn is_tactic(category: &str) -> bool {
    category_rank(category) < N_TACTICS
}

/// `InitialAccess` → `Initial access`, `CommandAndControl` → `Command and control`.
pub fn category_label(category: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in category.trim().chars() {
        if c == '_' || c == ' ' || c == '-' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut label = words
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(first) = label.get(0..1) {
        label = first.to_uppercase() + &label[1..];
    }
    label
}

/// A category spelling's place in kill-chain order and its label.
#[derive(Clone)]
pub struct Category {
    rank: usize,
    pub label: Sym,
    /// Whether the label names a MITRE tactic.
    pub tactic: bool,
}

/// Each category spelling ranked and labelled once: 100,000 alerts repeat a few dozen.
#[derive(Default)]
pub struct CategoryLabels(HashMap<String, Category>);

impl CategoryLabels {
    fn of(&mut self, spelling: &str) -> Category {
        if let Some(known) = self.0.get(spelling) {
            return known.clone();
        }
        let label = category_label(spelling);
        let category = Category {
            rank: category_rank(spelling),
            tactic: is_tactic(&label),
            label: Sym::from(label),
        };
        self.0.insert(spelling.to_owned(), category.clone());
        category
    }

    /// The distinct categories of some alerts, as labels in kill-chain order; each spelling
    /// labelled once.
    pub fn ordered<'a>(&mut self, alerts: impl Iterator<Item = &'a Alert>) -> Vec<Category> {
        let mut spellings: Vec<&str> = alerts
            .map(|a| a.category.as_str())
            .filter(|c| !c.trim().is_empty())
            .collect();
        spellings.sort_unstable();
        spellings.dedup();
        let mut distinct: Vec<Category> = spellings.into_iter().map(|c| self.of(c)).collect();
        distinct.sort_by(|a, b| (a.rank, &a.label).cmp(&(b.rank, &b.label)));
        // One label per category, at its first (kill-chain) place.
        let mut seen: Vec<Sym> = Vec::with_capacity(distinct.len());
        distinct.retain(|c| {
            let new = !seen.contains(&c.label);
            if new {
                seen.push(c.label.clone());
            }
            new
        });
        distinct
    }
}

/// Each service source's Graph id, and the keys ([`category_key`]) of the ways exports spell it.
const SERVICE_SOURCES: [(&str, &[&str]); 8] = [
    (
        "microsoftDefenderForEndpoint",
        &[
            "microsoftdefenderatp",
            "mdatp",
            "windowsdefenderatp",
            "microsoftdefenderforendpoint",
        ],
    ),
    (
        "microsoftDefenderForIdentity",
        &[
            "azureatp",
            "microsoftdefenderforidentity",
            "azureadvancedthreatprotection",
        ],
    ),
    (
        "microsoftDefenderForCloudApps",
        &[
            "microsoftcloudappsecurity",
            "mcas",
            "microsoftdefenderforcloudapps",
        ],
    ),
    (
        "microsoftDefenderForOffice365",
        &["office365atp", "officeatp", "microsoftdefenderforoffice365"],
    ),
    (
        "azureAdIdentityProtection",
        &[
            "azureadidentityprotection",
            "aadidentityprotection",
            "microsoftentraidprotection",
        ],
    ),
    (
        "microsoft365Defender",
        &["microsoft365defender", "microsoftdefenderxdr", "m365d"],
    ),
    (
        "microsoftDefenderForCloud",
        &[
            "azuresecuritycenter",
            "azuredefenderforcloud",
            "microsoftdefenderforcloud",
        ],
    ),
    ("microsoftSentinel", &["azuresentinel", "microsoftsentinel"]),
];

/// The Graph id of a service source however an export spells it: `MicrosoftDefenderATP`
/// (incidents API), `Microsoft Defender for Endpoint` (advanced hunting) and
/// `microsoftDefenderForEndpoint` (Graph) are one source.
/// The canonical name, or the source itself trimmed.
pub fn canonical_service_source(source: &str) -> &str {
    // Already canonical (Graph's spelling, and every alert once loaded): no key to make.
    if let Some((canonical, _)) = SERVICE_SOURCES.iter().find(|(id, _)| *id == source) {
        return canonical;
    }
    let key = category_key(source);
    SERVICE_SOURCES
        .iter()
        .find(|(_, keys)| keys.contains(&key.as_str()))
        .map_or(source.trim(), |(canonical, _)| canonical)
}

/// `microsoftDefenderForEndpoint` → `Microsoft Defender for Endpoint`; detection sources too.
pub fn service_source_label(source: &str) -> String {
    let known = [
        (
            "microsoftdefenderforendpoint",
            "Microsoft Defender for Endpoint",
        ),
        (
            "microsoftdefenderforidentity",
            "Microsoft Defender for Identity",
        ),
        (
            "microsoftdefenderforcloudapps",
            "Microsoft Defender for Cloud Apps",
        ),
        (
            "microsoftdefenderforoffice365",
            "Microsoft Defender for Office 365",
        ),
        ("microsoft365defender", "Microsoft Defender XDR"),
        ("azureadidentityprotection", "Microsoft Entra ID Protection"),
        ("microsoftappgovernance", "App governance"),
        ("datalossprevention", "Data Loss Prevention"),
        ("microsoftdefenderforcloud", "Microsoft Defender for Cloud"),
        ("microsoftsentinel", "Microsoft Sentinel"),
        ("microsoftinsiderriskmanagement", "Insider Risk Management"),
        (
            "microsoftthreatintelligence",
            "Microsoft Threat Intelligence",
        ),
    ];
    let key = category_key(source);
    known
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| category_label(source), |(_, label)| (*label).to_owned())
}

/// The title of an incident built around a campaign, as Defender names them ("Password spray
/// attack involving multiple users"): from the detection the burst repeats and what it targets.
pub fn campaign_title(detection: &str, target: EntityKind) -> String {
    let targets = match target {
        EntityKind::Device => "endpoints",
        EntityKind::Mailbox => "mailboxes",
        _ => "users",
    };
    let lower = detection.to_lowercase();
    if lower.contains("spray") {
        format!("Password spray attack involving multiple {targets}")
    } else if lower.contains("brute") {
        format!("Brute force attack involving multiple {targets}")
    } else {
        format!("{detection} campaign involving multiple {targets}")
    }
}

/// A Defender-style incident title from its alerts (canonical order) and entities.
pub fn incident_title(alerts: &[&Alert], entities: &[&Entity], categories: &[Category]) -> String {
    let count = |kind: EntityKind| {
        entities
            .iter()
            .filter(|e| e.kind == kind && !e.builtin)
            .count()
    };
    let (devices, users, mailboxes) = (
        count(EntityKind::Device),
        count(EntityKind::User),
        count(EntityKind::Mailbox),
    );
    let scope = match (devices, users, mailboxes) {
        (1, _, _) => "on one endpoint",
        (d, _, _) if d > 1 => "on multiple endpoints",
        (0, 1, _) => "involving one user",
        (0, u, _) if u > 1 => "involving multiple users",
        (0, 0, 1) => "involving one mailbox",
        (0, 0, m) if m > 1 => "involving multiple mailboxes",
        _ => "",
    };
    let mut sources = alerts
        .iter()
        .map(|a| canonical_service_source(&a.service_source))
        .filter(|s| !s.is_empty());
    let first_source = sources.next();
    let reported = if sources.any(|s| Some(s) != first_source) {
        " reported by multiple sources"
    } else {
        ""
    };
    let first_title = alerts.first().map(|a| a.title.as_str());
    let one_title = alerts.iter().all(|a| Some(a.title.as_str()) == first_title);
    let tactics: Vec<&Sym> = categories
        .iter()
        .filter(|c| c.tactic)
        .map(|c| &c.label)
        .collect();
    let head = if let (true, Some(title)) = (one_title, first_title) {
        title.to_owned()
    } else if tactics.len() >= 2 {
        format!(
            "Multi-stage incident involving {} & {}",
            tactics[0],
            tactics[tactics.len() - 1]
        )
    } else if let Some(category) = categories.first() {
        format!("{} incident", category.label)
    } else {
        "Incident".to_owned()
    };
    let title = [head.as_str(), scope]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    format!("{title}{reported}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_labels_read_like_defender() {
        assert_eq!(category_label("InitialAccess"), "Initial access");
        assert_eq!(category_label("CommandAndControl"), "Command and control");
        assert_eq!(category_label("Execution"), "Execution");
        assert_eq!(category_label("credential_access"), "Credential access");
        assert!(category_rank("InitialAccess") < category_rank("Impact"));
        assert!(is_tactic("LateralMovement") && !is_tactic("Malware"));
        assert_eq!(
            service_source_label("microsoftDefenderForEndpoint"),
            "Microsoft Defender for Endpoint"
        );
        assert_eq!(service_source_label("somethingNew"), "Something new");
        for spelling in [
            "MicrosoftDefenderATP",
            "Microsoft Defender for Endpoint",
            "microsoftDefenderForEndpoint",
        ] {
            assert_eq!(
                canonical_service_source(spelling),
                "microsoftDefenderForEndpoint"
            );
        }
        // The canonical spellings taken as they are name what their keys name.
        for spelling in [
            "Microsoft Defender for Identity",
            "MCAS",
            "Office 365 ATP",
            "AAD Identity Protection",
            "Microsoft Defender XDR",
            "Azure Security Center",
            "Azure Sentinel",
        ] {
            let canonical = canonical_service_source(spelling);
            assert_ne!(canonical, spelling);
            assert_eq!(canonical_service_source(canonical), canonical);
            assert_eq!(
                canonical_service_source(&format!(" {canonical}")),
                canonical
            );
        }
    }
}
