//! Hash routes (CONTRACT.md §2): `#/`, `#/incidents`, `#/incidents/{id}/{tab}`.

use crate::model::IncidentId;

/// The eight tabs of the incident page, in Defender's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Summary,
    Alerts,
    Devices,
    Users,
    Mailboxes,
    Investigations,
    Evidence,
    Graph,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Summary,
        Tab::Alerts,
        Tab::Devices,
        Tab::Users,
        Tab::Mailboxes,
        Tab::Investigations,
        Tab::Evidence,
        Tab::Graph,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Tab::Summary => "summary",
            Tab::Alerts => "alerts",
            Tab::Devices => "devices",
            Tab::Users => "users",
            Tab::Mailboxes => "mailboxes",
            Tab::Investigations => "investigations",
            Tab::Evidence => "evidence",
            Tab::Graph => "graph",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Route {
    #[default]
    Queue,
    Incident {
        incident_id: IncidentId,
        tab: Tab,
    },
    /// A hash that names nothing: shown as "not found", kept in the address bar.
    NotFound(String),
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split('?').next().unwrap_or("");
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] | ["incidents"] => Route::Queue,
            ["incidents", id] => Route::Incident {
                incident_id: IncidentId::new(decode(id)),
                tab: Tab::Summary,
            },
            ["incidents", id, tab] => match Tab::from_slug(tab) {
                Some(tab) => Route::Incident {
                    incident_id: IncidentId::new(decode(id)),
                    tab,
                },
                None => Route::NotFound(hash.to_owned()),
            },
            _ => Route::NotFound(hash.to_owned()),
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::Queue => "#/incidents".to_owned(),
            Route::Incident { incident_id, tab } => {
                format!(
                    "#/incidents/{}/{}",
                    encode(incident_id.as_str()),
                    tab.slug()
                )
            }
            Route::NotFound(hash) => hash.clone(),
        }
    }
}

/// Percent-encodes what is not URL-safe (incident ids are, but routes are typed by people).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip() {
        for route in [
            Route::Queue,
            Route::Incident {
                incident_id: IncidentId::new("aw-0123456789ab"),
                tab: Tab::Graph,
            },
            Route::Incident {
                incident_id: IncidentId::new("odd id/é"),
                tab: Tab::Evidence,
            },
        ] {
            assert_eq!(Route::parse(&route.to_hash()), route);
        }
        assert_eq!(Route::parse(""), Route::Queue);
        assert_eq!(Route::parse("#/"), Route::Queue);
        assert_eq!(
            Route::parse("#/incidents/aw-1"),
            Route::Incident {
                incident_id: IncidentId::new("aw-1"),
                tab: Tab::Summary
            }
        );
        assert_eq!(
            Route::parse("#/incidents/aw-1/nope"),
            Route::NotFound("#/incidents/aw-1/nope".into())
        );
        assert_eq!(
            Route::parse("#/incidents/%zz/alerts"),
            Route::Incident {
                incident_id: IncidentId::new("%zz"),
                tab: Tab::Alerts
            }
        );
    }
}
