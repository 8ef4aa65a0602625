//! The incident report (issue 6): one incident, everything about it, as Markdown and as one
//! self-contained HTML page (inline CSS and an inline SVG of its graph; no external assets;
//! printable to PDF): summary, timeline, all alerts, all assets and evidence (no caps), the
//! graph, the analyst's classification, comments and activity, and provenance (input files with
//! SHA-256 and time range, Alertweave version, correlation settings). Times are written in one
//! stated zone. Everything from the exports is escaped for the format it goes into; with a
//! pseudonymization key, people, hosts, mailboxes and addresses are replaced by aliases.

use crate::i18n::{self, Lang};
use alertweave_core::analysis::Dataset;
use alertweave_core::model::{IncidentId, Timestamp};
use alertweave_core::pseudonym::Pseudonymizer;
use alertweave_core::query::{self, IncidentView};
use std::fmt::Write;

/// How to write the report.
pub struct ReportOptions<'a> {
    pub lang: Lang,
    /// Minutes east of UTC of the zone the times are written in (0: UTC).
    pub utc_offset_minutes: i32,
    /// When the report is made (given by the caller).
    pub generated: Timestamp,
    pub app_version: &'a str,
    /// A key turns on pseudonymization.
    pub pseudonym_key: Option<&'a [u8]>,
}

/// The report in both formats.
pub struct Report {
    pub markdown: String,
    pub html: String,
}

/// The words of the report, per language.
struct Words {
    report: &'static str,
    campaign: &'static str,
    target: &'static str,
    then: &'static str,
    summary: &'static str,
    timeline: &'static str,
    why: &'static str,
    alerts: &'static str,
    assets: &'static str,
    graph: &'static str,
    analyst: &'static str,
    comments: &'static str,
    activity: &'static str,
    provenance: &'static str,
    time_zone: &'static str,
    generated: &'static str,
    severity: &'static str,
    status: &'static str,
    classification: &'static str,
    determination: &'static str,
    assigned: &'static str,
    tags: &'static str,
    categories: &'static str,
    first: &'static str,
    last: &'static str,
    time: &'static str,
    title: &'static str,
    category: &'static str,
    sources: &'static str,
    joined_by: &'static str,
    kind: &'static str,
    name: &'static str,
    identifiers: &'static str,
    verdict: &'static str,
    roles: &'static str,
    file: &'static str,
    format: &'static str,
    bytes: &'static str,
    records: &'static str,
    version: &'static str,
    settings: &'static str,
    grouping: &'static str,
    none: &'static str,
    pseudonymized: &'static str,
    undone: &'static str,
    share: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            report: "Incident report",
            summary: "Summary",
            timeline: "Timeline",
            why: "Why these alerts are together",
            alerts: "Alerts",
            assets: "Assets and evidence",
            graph: "Graph",
            analyst: "Classification and analyst notes",
            comments: "Comments",
            activity: "Activity log",
            provenance: "Provenance",
            time_zone: "Times are in",
            generated: "Report made",
            severity: "Severity",
            status: "Status",
            classification: "Classification",
            determination: "Determination",
            assigned: "Assigned to",
            tags: "Tags",
            categories: "Categories",
            first: "First activity",
            last: "Last activity",
            time: "Time",
            title: "Title",
            category: "Category",
            sources: "Service / detection source",
            joined_by: "Joined by",
            kind: "Kind",
            name: "Name",
            identifiers: "Identifiers",
            verdict: "Verdict",
            roles: "Roles",
            file: "File",
            format: "Format",
            bytes: "Bytes",
            records: "Records",
            version: "Alertweave version",
            settings: "Correlation settings",
            grouping: "Grouping",
            none: "none",
            pseudonymized:
                "Pseudonymized: people, hosts, mailboxes and IP addresses are replaced by keyed aliases.",
            undone: "undone",
            share: "share",
            campaign: "Campaign",
            target: "Target",
            then: "Then, in this incident",
        },
        Lang::Nl => Words {
            report: "Incidentrapport",
            summary: "Overzicht",
            timeline: "Tijdlijn",
            why: "Waarom deze waarschuwingen bij elkaar horen",
            alerts: "Waarschuwingen",
            assets: "Assets en bewijs",
            graph: "Graph",
            analyst: "Classificatie en notities van de analist",
            comments: "Opmerkingen",
            activity: "Activiteitenlogboek",
            provenance: "Herkomst",
            time_zone: "Tijden in",
            generated: "Rapport gemaakt",
            severity: "Ernst",
            status: "Status",
            classification: "Classificatie",
            determination: "Vaststelling",
            assigned: "Toegewezen aan",
            tags: "Tags",
            categories: "Categorieën",
            first: "Eerste activiteit",
            last: "Laatste activiteit",
            time: "Tijd",
            title: "Titel",
            category: "Categorie",
            sources: "Servicebron / detectiebron",
            joined_by: "Gekoppeld door",
            kind: "Soort",
            name: "Naam",
            identifiers: "Kenmerken",
            verdict: "Oordeel",
            roles: "Rollen",
            file: "Bestand",
            format: "Indeling",
            bytes: "Bytes",
            records: "Records",
            version: "Alertweave-versie",
            settings: "Correlatie-instellingen",
            grouping: "Groepering",
            none: "geen",
            pseudonymized:
                "Gepseudonimiseerd: personen, hosts, postvakken en IP-adressen zijn vervangen door vaste schuilnamen.",
            undone: "ongedaan gemaakt",
            share: "delen",
            campaign: "Campagne",
            target: "Doelwit",
            then: "Daarna, in dit incident",
        },
    }
}

/// The report of `incident_id`, or `None` when the dataset has no such incident.
pub fn incident_report(
    ds: &Dataset,
    incident_id: &IncidentId,
    options: &ReportOptions,
) -> Option<Report> {
    let view = query::incident_view(ds, incident_id)?;
    let words = words(options.lang);
    let pseudonym = options
        .pseudonym_key
        .map(|key| Pseudonymizer::new(key, view.entities.iter().map(|e| &e.entity)));
    let doc = build(ds, &view, options, &words, pseudonym.as_ref());
    Some(Report {
        markdown: doc.markdown(),
        html: doc.html(
            &view.incident.title_for(pseudonym.as_ref()),
            &graph_svg(&view, pseudonym.as_ref()),
        ),
    })
}

trait TitleFor {
    fn title_for(&self, p: Option<&Pseudonymizer>) -> String;
}

impl TitleFor for alertweave_core::model::Incident {
    fn title_for(&self, p: Option<&Pseudonymizer>) -> String {
        p.map_or(self.title.to_string(), |p| p.scrub(&self.title))
    }
}

/// The report as a neutral document: headings, paragraphs and tables of plain text.
enum Block {
    Heading(u8, String),
    Para(String),
    Table(Vec<String>, Vec<Vec<String>>),
    Graph,
    Code(String),
}

struct Doc {
    blocks: Vec<Block>,
}

fn build(
    ds: &Dataset,
    view: &IncidentView,
    options: &ReportOptions,
    w: &Words,
    p: Option<&Pseudonymizer>,
) -> Doc {
    let scrub = |text: &str| p.map_or(text.to_owned(), |p| p.scrub(text));
    let time = |t: &Timestamp| zoned(t, options.utc_offset_minutes);
    let incident = &view.incident;
    let lang = options.lang;
    let managed = ds.managed.get(&incident.incident_id);
    let mut blocks = vec![Block::Heading(
        1,
        format!("{}: {}", w.report, scrub(&incident.title)),
    )];
    let mut facts = vec![
        incident.incident_id.to_string(),
        format!(
            "{}: {}",
            w.severity,
            i18n::severity_label(lang, incident.severity)
        ),
        format!(
            "{}: {}",
            w.status,
            i18n::status_label(lang, incident.status)
        ),
        format!("{}: {}", w.first, time(&incident.first_activity)),
        format!("{}: {}", w.last, time(&incident.last_activity)),
    ];
    if !incident.categories.is_empty() {
        facts.push(format!(
            "{}: {}",
            w.categories,
            incident
                .categories
                .iter()
                .map(|c| i18n::category_text(lang, c))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    facts.push(format!(
        "{} {}. {}: {}.",
        w.time_zone,
        zone_name(options.utc_offset_minutes),
        w.generated,
        time(&options.generated)
    ));
    if p.is_some() {
        facts.push(w.pseudonymized.to_owned());
    }
    blocks.push(Block::Para(facts.join(" · ")));

    // Summary: the story and why it is one incident.
    blocks.push(Block::Heading(2, w.summary.to_owned()));
    blocks.push(Block::Heading(3, w.timeline.to_owned()));
    blocks.push(Block::Table(
        vec![
            w.time.into(),
            w.category.into(),
            w.title.into(),
            w.severity.into(),
        ],
        view.alerts
            .iter()
            .map(|a| {
                vec![
                    time(&a.alert.first_activity),
                    i18n::category_text(lang, &a.alert.category),
                    scrub(&a.alert.title),
                    i18n::severity_label(lang, a.alert.severity).to_owned(),
                ]
            })
            .collect(),
    ));
    // A campaign: who it came from, whom it targeted, who shows compromise afterwards.
    let name_of = |id: &alertweave_core::model::EntityId, plain: &str| {
        view.entities
            .iter()
            .find(|e| e.entity.entity_id == *id)
            .map_or(plain.to_owned(), |e| {
                p.map_or(e.entity.name.clone(), |p| p.name(&e.entity))
            })
    };
    for c in &view.campaigns {
        let told = alertweave_core::query::CampaignView {
            entity_name: name_of(&c.entity_id, &c.entity_name),
            detection: scrub(&c.detection),
            ..c.clone()
        };
        blocks.push(Block::Heading(3, w.campaign.to_owned()));
        blocks.push(Block::Para(i18n::campaign_sentence(lang, &told)));
        blocks.push(Block::Table(
            vec![w.target.into(), w.then.into()],
            c.targets
                .iter()
                .map(|t| {
                    vec![
                        name_of(&t.entity_id, &t.name),
                        t.followed_by
                            .iter()
                            .map(|title| scrub(title))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                })
                .collect(),
        ));
    }
    blocks.push(Block::Heading(3, w.why.to_owned()));
    let entity_name = |id: &str| {
        view.entities
            .iter()
            .find(|e| e.entity.entity_id.as_str() == id)
            .map_or(id.to_owned(), |e| {
                p.map_or(e.entity.name.clone(), |p| p.name(&e.entity))
            })
    };
    let alert_title = |id: &str| {
        view.alerts
            .iter()
            .find(|a| a.alert.alert_id.as_str() == id)
            .map_or(id.to_owned(), |a| scrub(&a.alert.title))
    };
    if incident.receipts.is_empty() {
        blocks.push(Block::Para("—".to_owned()));
    } else {
        blocks.push(Block::Table(
            vec![
                "#".into(),
                w.alerts.into(),
                w.joined_by.into(),
                "gap".into(),
            ],
            incident
                .receipts
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let what = r.entity_id.as_ref().map_or(r.rule.clone(), |e| {
                        format!("{} {}", w.share, entity_name(e.as_str()))
                    });
                    vec![
                        (i + 1).to_string(),
                        format!(
                            "{} → {}",
                            alert_title(r.from.as_str()),
                            alert_title(r.to.as_str())
                        ),
                        format!("{what} ({})", r.rule),
                        i18n::human_duration(options.lang, r.gap_seconds),
                    ]
                })
                .collect(),
        ));
    }

    // Every alert.
    blocks.push(Block::Heading(
        2,
        format!("{} ({})", w.alerts, view.alerts.len()),
    ));
    blocks.push(Block::Table(
        vec![
            w.time.into(),
            w.title.into(),
            w.severity.into(),
            w.status.into(),
            w.category.into(),
            w.sources.into(),
            "id".into(),
        ],
        view.alerts
            .iter()
            .map(|a| {
                let status = ds
                    .alert_overrides
                    .get(&a.alert.alert_id)
                    .and_then(|o| o.status)
                    .unwrap_or(a.alert.status);
                vec![
                    time(&a.alert.first_activity),
                    scrub(&a.alert.title),
                    i18n::severity_label(lang, a.alert.severity).to_owned(),
                    i18n::status_label(lang, status).to_owned(),
                    i18n::category_text(lang, &a.alert.category),
                    format!("{} / {}", a.alert.service_source, a.alert.detection_source),
                    a.alert.alert_id.to_string(),
                ]
            })
            .collect(),
    ));

    // Every asset and piece of evidence.
    blocks.push(Block::Heading(
        2,
        format!("{} ({})", w.assets, view.entities.len()),
    ));
    blocks.push(Block::Table(
        vec![
            w.kind.into(),
            w.name.into(),
            w.identifiers.into(),
            w.verdict.into(),
            w.roles.into(),
            w.first.into(),
            w.last.into(),
            w.alerts.into(),
        ],
        view.entities
            .iter()
            .map(|e| {
                let personal =
                    p.is_some() && alertweave_core::pseudonym::is_personal(e.entity.kind);
                let identifiers = if personal {
                    "—".to_owned()
                } else {
                    // A URL or a process names hosts, users and addresses too.
                    scrub(
                        &e.entity
                            .identifiers
                            .iter()
                            .map(|i| i.key.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                };
                vec![
                    i18n::kind_singular(lang, e.entity.kind).to_owned(),
                    p.map_or(e.entity.name.clone(), |p| p.scrub(&p.name(&e.entity))),
                    identifiers,
                    i18n::verdict_label(lang, e.verdict).to_owned(),
                    e.roles
                        .iter()
                        .map(|r| i18n::role_text(lang, r))
                        .collect::<Vec<_>>()
                        .join(", "),
                    time(&e.first_seen),
                    time(&e.last_seen),
                    e.alert_ids.len().to_string(),
                ]
            })
            .collect(),
    ));
    blocks.push(Block::Heading(2, w.graph.to_owned()));
    blocks.push(Block::Graph);

    // The analyst's part.
    blocks.push(Block::Heading(2, w.analyst.to_owned()));
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            w.none.to_owned()
        } else {
            s.to_owned()
        }
    };
    let mut notes = vec![
        format!(
            "{}: {}",
            w.classification,
            or_none(&incident.classification)
        ),
        format!("{}: {}", w.determination, or_none(&incident.determination)),
        format!("{}: {}", w.assigned, or_none(&scrub(&incident.assigned_to))),
    ];
    if let Some(m) = managed {
        notes.push(format!("{}: {}", w.tags, or_none(&m.tags.join(", "))));
        if !m.resolution_note.is_empty() {
            notes.push(scrub(&m.resolution_note));
        }
    }
    blocks.push(Block::Para(notes.join(" · ")));
    if let Some(m) = managed {
        if !m.comments.is_empty() {
            blocks.push(Block::Heading(3, w.comments.to_owned()));
            blocks.push(Block::Table(
                vec![w.time.into(), w.name.into(), w.comments.into()],
                m.comments
                    .iter()
                    .map(|c| {
                        vec![
                            c.created.as_ref().map_or(String::new(), &time),
                            c.author.clone(),
                            scrub(&c.text),
                        ]
                    })
                    .collect(),
            ));
        }
        if !m.activity.is_empty() {
            blocks.push(Block::Heading(3, w.activity.to_owned()));
            blocks.push(Block::Table(
                vec!["#".into(), w.time.into(), w.name.into(), w.title.into()],
                m.activity
                    .iter()
                    .map(|a| {
                        let what = if a.undone {
                            format!(
                                "{} ({})",
                                scrub(&i18n::change_description(lang, &a.op)),
                                w.undone
                            )
                        } else {
                            scrub(&i18n::change_description(lang, &a.op))
                        };
                        vec![a.seq.to_string(), time(&a.at), a.author.clone(), what]
                    })
                    .collect(),
            ));
        }
    }

    // Where it all came from.
    blocks.push(Block::Heading(2, w.provenance.to_owned()));
    blocks.push(Block::Table(
        vec![
            w.file.into(),
            w.format.into(),
            w.bytes.into(),
            "SHA-256".into(),
            w.records.into(),
            w.alerts.into(),
            w.first.into(),
            w.last.into(),
        ],
        ds.files
            .iter()
            .map(|f| {
                vec![
                    f.name.clone(),
                    f.format.map_or("—".to_owned(), |x| x.id().to_owned()),
                    f.bytes.to_string(),
                    f.sha256.clone(),
                    f.records.to_string(),
                    f.alerts.to_string(),
                    f.first_activity.as_ref().map_or(String::new(), &time),
                    f.last_activity.as_ref().map_or(String::new(), &time),
                ]
            })
            .collect(),
    ));
    blocks.push(Block::Para(format!(
        "{}: {} · {}: {}",
        w.version,
        options.app_version,
        w.grouping,
        match ds.grouping {
            alertweave_core::correlate::Grouping::Correlate => "correlate",
            alertweave_core::correlate::Grouping::SourceIncidents => "source_incidents",
        }
    )));
    blocks.push(Block::Heading(3, w.settings.to_owned()));
    blocks.push(Block::Code(
        serde_json::to_string_pretty(&ds.settings).unwrap_or_default(),
    ));
    Doc { blocks }
}

/// `2026-09-01 10:15:27` in the zone `offset` minutes east of UTC.
fn zoned(t: &Timestamp, offset: i32) -> String {
    match chrono::FixedOffset::east_opt(offset * 60) {
        Some(zone) => t
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        None => t.format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

/// `UTC` or `UTC+02:00`.
fn zone_name(offset: i32) -> String {
    if offset == 0 {
        return "UTC".to_owned();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    format!("UTC{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60)
}

/// Text that Markdown shows as written: punctuation that could start markup, a link, an HTML
/// tag or a table cell boundary is backslash-escaped; line breaks become spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text safe inside HTML elements and attribute values.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

impl Doc {
    fn markdown(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Heading(level, text) => {
                    let _ = writeln!(out, "{} {}\n", "#".repeat(*level as usize), md(text));
                }
                Block::Para(text) => {
                    let _ = writeln!(out, "{}\n", md(text));
                }
                Block::Table(head, rows) => {
                    let row = |cells: &[String]| {
                        format!(
                            "| {} |",
                            cells.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")
                        )
                    };
                    let _ = writeln!(out, "{}", row(head));
                    let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
                    for r in rows {
                        let _ = writeln!(out, "{}", row(r));
                    }
                    out.push('\n');
                }
                Block::Graph => {
                    let _ = writeln!(out, "(see the HTML report for the graph)\n");
                }
                Block::Code(text) => {
                    // A fence longer than any run of backticks in the text.
                    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                    let fence = "`".repeat(longest.max(2) + 1);
                    let _ = writeln!(out, "{fence}json\n{text}\n{fence}\n");
                }
            }
        }
        out
    }

    fn html(&self, title: &str, svg: &str) -> String {
        let mut body = String::new();
        for block in &self.blocks {
            match block {
                Block::Heading(level, text) => {
                    let _ = writeln!(body, "<h{level}>{}</h{level}>", html(text));
                }
                Block::Para(text) => {
                    let _ = writeln!(body, "<p>{}</p>", html(text));
                }
                Block::Table(head, rows) => {
                    body.push_str("<table><thead><tr>");
                    for h in head {
                        let _ = write!(body, "<th>{}</th>", html(h));
                    }
                    body.push_str("</tr></thead><tbody>\n");
                    for r in rows {
                        body.push_str("<tr>");
                        for c in r {
                            let _ = write!(body, "<td>{}</td>", html(c));
                        }
                        body.push_str("</tr>\n");
                    }
                    body.push_str("</tbody></table>\n");
                }
                Block::Graph => body.push_str(svg),
                Block::Code(text) => {
                    let _ = writeln!(body, "<pre>{}</pre>", html(text));
                }
            }
        }
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
             <title>{}</title><style>{STYLE}</style></head><body>\n{body}</body></html>\n",
            html(title)
        )
    }
}

const STYLE: &str = "body{font:13px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;margin:24px;max-width:1100px}\
h1{font-size:20px}h2{font-size:16px;margin-top:24px;border-bottom:1px solid #d9dde3}h3{font-size:14px}\
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d9dde3;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere;min-width:5.5em}\
th{background:#f0f2f5}pre{background:#f5f6f8;padding:8px;white-space:pre-wrap}svg{max-width:100%;height:auto;border:1px solid #d9dde3}\
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}";

/// The incident's graph as an inline SVG, from the same layout as the app's graph tab.
fn graph_svg(view: &IncidentView, p: Option<&Pseudonymizer>) -> String {
    let nodes = &view.graph.nodes;
    if nodes.is_empty() {
        return String::new();
    }
    // The layout is in the unit square; the drawing is 960 × 640 plus room for labels.
    let (scale_x, scale_y, pad) = (960.0f32, 640.0f32, 40.0f32);
    let (w, h) = (scale_x + 2.0 * pad + 160.0, scale_y + 2.0 * pad);
    let at = |x: f32, y: f32| (x * scale_x + pad, y * scale_y + pad);
    let position: std::collections::HashMap<&str, (f32, f32)> = nodes
        .iter()
        .map(|n| (n.node_id.as_str(), at(n.x, n.y)))
        .collect();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" role=\"img\" aria-label=\"graph\">"
    );
    for e in &view.graph.edges {
        if let (Some(a), Some(b)) = (position.get(e.from.as_str()), position.get(e.to.as_str())) {
            let _ = write!(
                svg,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"{}\"/>",
                a.0,
                a.1,
                b.0,
                b.1,
                if e.linking { "#0f6cbd" } else { "#b8bec7" },
                if e.linking { 2 } else { 1 }
            );
        }
    }
    let entity_of = |node_id: &str| {
        node_id.strip_prefix("entity:").and_then(|id| {
            view.entities
                .iter()
                .find(|e| e.entity.entity_id.as_str() == id)
        })
    };
    for n in nodes {
        let (x, y) = at(n.x, n.y);
        let fill = match (n.kind.as_str(), n.severity) {
            (
                "alert",
                Some(
                    alertweave_core::model::Severity::High
                    | alertweave_core::model::Severity::Critical,
                ),
            ) => "#c50f1f",
            ("alert", Some(alertweave_core::model::Severity::Medium)) => "#da3b01",
            ("alert", _) => "#986f0b",
            ("device", _) => "#0f6cbd",
            ("user", _) | ("mailbox", _) => "#5c2e91",
            _ => "#5b6470",
        };
        let label = match (p, entity_of(&n.node_id)) {
            (Some(p), Some(e)) => p.scrub(&p.name(&e.entity)),
            (Some(p), None) => p.scrub(&n.label),
            (None, _) => n.label.clone(),
        };
        let short: String = label.chars().take(32).collect();
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{}\" fill=\"{fill}\"><title>{}</title></circle>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#1b1f24\">{}</text>",
            if n.kind == "alert" { 7 } else { 5 },
            html(&label),
            x + 9.0,
            y + 3.0,
            html(&short)
        );
    }
    svg.push_str("</svg>\n");
    svg
}
