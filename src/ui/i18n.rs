//! The message catalogue: every user-visible string of the interface goes through here.
//!
//! English now; a Dutch arm follows (GLOSSARY-nl in shared/design has the terms). A missing
//! translation is a compile error, not a blank: every `Lang` arm must answer every `Text`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
}

use super::settings::{format_number, Change, Invalid};
use crate::correlate::Grouping;
use crate::model::EntityKind;

/// Fixed strings of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    AppTagline,
    Incidents,
    OpenExports,
    DropHere,
    ChooseFiles,
    LoadDemo,
    PrivacyNote,
    SupportedFormats,
    LoadingFiles,
    ProblemsHeading,
    SearchPlaceholder,
    ColName,
    ColId,
    ColSeverity,
    ColStatus,
    ColCategories,
    ColImpactedAssets,
    ColActiveAlerts,
    ColServiceSources,
    ColFirstActivity,
    ColLastActivity,
    NoIncidentsMatch,
    ShowMore,
    BackToQueue,
    IncidentNotFound,
    LoadingIncident,
    TabSummary,
    TabAlerts,
    TabDevices,
    TabUsers,
    TabMailboxes,
    TabInvestigations,
    TabEvidence,
    TabGraph,
    AttackStory,
    Scope,
    EvidenceByVerdict,
    WhyTogether,
    SingleAlertNoReceipts,
    NoisyContext,
    RelatedNotJoined,
    ComparedWithSource,
    RelatedNotJoinedHint,
    ColTime,
    ColTitle,
    ColCategory,
    ColDetectionSource,
    ColEntities,
    ColJoinedBy,
    FirstAlert,
    ColIdentifiers,
    ColFirstSeen,
    ColLastSeen,
    ColAlerts,
    ColVerdict,
    ColRemediation,
    ColRoles,
    ColType,
    ColOtherIncidents,
    ColInvestigationState,
    ColDetails,
    NoDevices,
    NoUsers,
    NoMailboxes,
    NoInvestigationData,
    InvestigationHint,
    RemediationHeading,
    GraphLegend,
    GraphNodes,
    TimeUtc,
    TimeLocal,
    TimeZone,
    LoadOtherFiles,
    NotFoundRoute,
    Files,
    Format,
    Unrecognized,
    None,
    ColFile,
    ColSize,
    ColRecords,
    ColTimeRange,
    NotAlerts,
    ColProblems,
    ColEntityName,
    SettingsOpen,
    SettingsCustom,
    SettingsTitle,
    SettingsIntro,
    SettingsClose,
    SettingsReading,
    GroupingLegend,
    GroupingCorrelate,
    GroupingCorrelateHint,
    GroupingSource,
    GroupingSourceHint,
    KindsLegend,
    KindsHint,
    ColEntityKind,
    ColLinks,
    ColWindowHours,
    NoisyLegend,
    NoisyHint,
    NoisyMinAlerts,
    NoisyMinAlertsHint,
    NoisyShare,
    NoisyShareHint,
    NoisyMinDays,
    NoisyMinDaysHint,
    NoisyFanOut,
    NoisyFanOutHint,
    MaxIncidentAlerts,
    MaxIncidentAlertsHint,
    NeverLinkLabel,
    NeverLinkHint,
    PendingChanges,
    SettingsApply,
    SettingsApplying,
    SettingsReset,
    SettingsDownload,
    SettingsLoadFile,
    SettingsFileHint,
    SettingsUnchanged,
    SettingsFixErrors,
    SettingsFileTooLarge,
    SettingsFileUnreadable,
    InvalidHours,
    InvalidWholeNumber,
    InvalidPercent,
    ColTags,
    ColDetectionSources,
    ColAssignedTo,
    ColClassification,
    ColDetermination,
    FilterEntity,
    EntityPlaceholder,
    AnyEntityKind,
    TimeAny,
    TimeCustom,
    TimeFrom,
    TimeTo,
    TimeRelativeHint,
    NotSet,
    Unassigned,
    ClearFilters,
    FilterNoValues,
    Columns,
    ColumnsHint,
    ColumnUp,
    ColumnDown,
    ColumnsReset,
    SavedFilters,
    SavedFiltersNone,
    SaveFilterName,
    SaveFilter,
    DeleteSavedFilter,
    HistogramLabel,
    SeverityCounts,
    KeyboardHint,
    QueueLabel,
}

pub fn t(lang: Lang, text: Text) -> &'static str {
    match lang {
        Lang::En => en(text),
    }
}

fn en(text: Text) -> &'static str {
    use Text::*;
    match text {
        AppTagline => "Local incident triage: your exports never leave this browser",
        Incidents => "Incidents",
        OpenExports => "Open alert exports",
        DropHere => "Drop export files here, or choose them. Many files at once are fine.",
        ChooseFiles => "Choose files",
        LoadDemo => "Load demo data",
        PrivacyNote => "Files are read in this tab by a Web Worker. Nothing is uploaded, and no request leaves this page's origin.",
        SupportedFormats => "Reads Microsoft Graph security alerts and incidents, the Defender XDR incidents and Defender for Endpoint alerts APIs, advanced hunting AlertInfo / AlertEvidence and Sentinel SecurityAlert / SecurityIncident: JSON, NDJSON or CSV, also inside zip or gzip files.",
        LoadingFiles => "Loading",
        ProblemsHeading => "Problems while loading",
        SearchPlaceholder => "Search incident name, id or impacted asset",
        ColName => "Incident name",
        ColId => "Incident id",
        ColSeverity => "Severity",
        ColStatus => "Status",
        ColCategories => "Categories",
        ColImpactedAssets => "Impacted assets",
        ColActiveAlerts => "Active alerts",
        ColServiceSources => "Service sources",
        ColFirstActivity => "First activity",
        ColLastActivity => "Last activity",
        NoIncidentsMatch => "No incident matches the search and filters.",
        ShowMore => "Show more",
        BackToQueue => "Incidents",
        IncidentNotFound => "No incident with this id in the loaded data.",
        LoadingIncident => "Loading the incident…",
        TabSummary => "Summary",
        TabAlerts => "Alerts",
        TabDevices => "Devices",
        TabUsers => "Users",
        TabMailboxes => "Mailboxes",
        TabInvestigations => "Investigations",
        TabEvidence => "Evidence and Response",
        TabGraph => "Graph",
        AttackStory => "Attack story",
        Scope => "Scope",
        EvidenceByVerdict => "Evidence by verdict",
        WhyTogether => "Why these alerts are together",
        SingleAlertNoReceipts => "This incident has a single alert: nothing needed linking.",
        NoisyContext => "Seen here but too common to link alerts",
        RelatedNotJoined => "Related, not joined",
        ComparedWithSource => "Beside the export's own grouping",
        RelatedNotJoinedHint => "Incidents close in time that share something with this one that is too common to link alerts. Open them to judge for yourself.",
        ColTime => "Time",
        ColTitle => "Title",
        ColCategory => "Category",
        ColDetectionSource => "Detection source",
        ColEntities => "Entities",
        ColJoinedBy => "Joined by",
        FirstAlert => "first alert",
        ColIdentifiers => "Identifiers",
        ColFirstSeen => "First seen",
        ColLastSeen => "Last seen",
        ColAlerts => "Alerts",
        ColVerdict => "Verdict",
        ColRemediation => "Remediation status",
        ColRoles => "Roles",
        ColType => "Type",
        ColOtherIncidents => "Other incidents",
        ColInvestigationState => "Investigation state",
        ColDetails => "Details",
        NoDevices => "No device is named by this incident's alerts.",
        NoUsers => "No user account is named by this incident's alerts.",
        NoMailboxes => "No mailbox is named by this incident's alerts.",
        NoInvestigationData => "The loaded export carries no automated-investigation data for these alerts.",
        InvestigationHint => "Graph security alerts carry an investigation state per alert for Defender for Endpoint and Office 365 alerts; the Defender incidents API (/api/incidents) adds investigation ids.",
        RemediationHeading => "Remediation status of evidence",
        GraphLegend => "Legend",
        GraphNodes => "Nodes",
        TimeUtc => "UTC",
        TimeLocal => "Local time",
        TimeZone => "Times in",
        LoadOtherFiles => "Load other files",
        NotFoundRoute => "This address names no view.",
        Files => "Files",
        Format => "Format",
        Unrecognized => "not recognized",
        None => "none",
        ColFile => "File",
        ColSize => "Size",
        ColRecords => "Records",
        ColTimeRange => "Time range",
        NotAlerts => "not alerts",
        ColProblems => "Problems",
        ColEntityName => "Name",
        SettingsOpen => "Correlation settings",
        SettingsCustom => "custom",
        SettingsTitle => "Correlation settings",
        SettingsIntro => "Applying groups the loaded alerts anew, in this tab. The applied settings are kept in this browser and used for the next load.",
        SettingsClose => "Close",
        SettingsReading => "Reading the settings in use…",
        GroupingLegend => "Grouping",
        GroupingCorrelate => "Alertweave correlation",
        GroupingCorrelateHint => "Alerts that share an entity within its kind's time window become one incident.",
        GroupingSource => "The export's own incidents",
        GroupingSourceHint => "Keeps the incident ids the export carries; the settings below then only mark noisy entities.",
        KindsLegend => "Entity kinds",
        KindsHint => "Which kinds link alerts, and the longest gap between two alerts that share one.",
        ColEntityKind => "Entity kind",
        ColLinks => "Links alerts",
        ColWindowHours => "Time window (hours)",
        NoisyLegend => "Noisy entities",
        NoisyHint => "A noisy entity stays visible in its incidents but links nothing.",
        NoisyMinAlerts => "Minimum alerts",
        NoisyMinAlertsHint => "An entity may be noisy only when it is in more alerts than this.",
        NoisyShare => "Share of all alerts (%)",
        NoisyShareHint => "An entity in more than this share of all alerts is too prevalent to link.",
        NoisyMinDays => "Distinct days for artifacts",
        NoisyMinDaysHint => "A file, IP, URL or other artifact whose alerts fall on this many different days recurs in the background; so does one detection repeated on an entity on this many days. 0 turns this off.",
        NoisyFanOut => "Fan-out: devices, users and mailboxes",
        MaxIncidentAlerts => "Most alerts in one incident",
        MaxIncidentAlertsHint => "A linked group beyond this is a runaway: it is split in time order into connected parts, and each part says so. 0 turns this off.",
        NoisyFanOutHint => "An entity whose alerts name this many different devices, users and mailboxes (three at most per alert) fans out across the tenant, like a domain controller. 0 turns this off.",
        NeverLinkLabel => "Never link",
        NeverLinkHint => "Entity names or identifier values, one per line, not case-sensitive: a scanner's IP, a shared service account.",
        PendingChanges => "Not applied yet",
        SettingsApply => "Apply",
        SettingsApplying => "Applying…",
        SettingsReset => "Reset to defaults",
        SettingsDownload => "Download settings",
        SettingsLoadFile => "Load settings file",
        SettingsFileHint => "The file is the JSON that alertweave analyze --config reads. Grouping is not part of it (the CLI's --source-incidents).",
        SettingsUnchanged => "The settings did not change.",
        SettingsFixErrors => "Correct the marked values to apply.",
        SettingsFileTooLarge => "the file is larger than 1 MB, too large for a settings file",
        SettingsFileUnreadable => "the file could not be read as text",
        InvalidHours => "Enter a number of hours, 0 or more.",
        InvalidWholeNumber => "Enter a whole number, 0 or more.",
        InvalidPercent => "Enter a percentage from 0 to 100.",
        ColTags => "Tags",
        ColDetectionSources => "Detection sources",
        ColAssignedTo => "Assigned to",
        ColClassification => "Classification",
        ColDetermination => "Determination",
        FilterEntity => "Entity",
        EntityPlaceholder => "Name of a device, user, mailbox, IP…",
        AnyEntityKind => "Any kind",
        TimeAny => "Any time",
        TimeCustom => "Custom range",
        TimeFrom => "From",
        TimeTo => "To",
        TimeRelativeHint => "Counted back from the latest activity in the data, not from today. Days in UTC.",
        NotSet => "(not set)",
        Unassigned => "Unassigned",
        ClearFilters => "Clear filters",
        FilterNoValues => "No incident carries a value for this.",
        Columns => "Columns",
        ColumnsHint => "Tick the columns to show; the arrows set their order. Kept in this browser.",
        ColumnUp => "Move left",
        ColumnDown => "Move right",
        ColumnsReset => "Default columns",
        SavedFilters => "Saved filters",
        SavedFiltersNone => "No saved filter set yet. Name the current view to keep it in this browser.",
        SaveFilterName => "Name for the current view",
        SaveFilter => "Save",
        DeleteSavedFilter => "Delete",
        HistogramLabel => "Incidents over time, by last activity",
        SeverityCounts => "Incidents by severity",
        KeyboardHint => "/ search · j k move · Enter open · Esc back",
        QueueLabel => "Incident queue",
    }
}

/// An entity kind's display name, plural: "Devices", "IP addresses".
pub fn kind_name(lang: Lang, kind: EntityKind) -> &'static str {
    match lang {
        Lang::En => match kind {
            EntityKind::Device => "Devices",
            EntityKind::User => "Users",
            EntityKind::Mailbox => "Mailboxes",
            EntityKind::MailMessage => "Mail messages",
            EntityKind::Ip => "IP addresses",
            EntityKind::Url => "URLs",
            EntityKind::Domain => "Domains",
            EntityKind::File => "Files",
            EntityKind::Process => "Processes",
            EntityKind::CloudApp => "Cloud apps",
            EntityKind::RegistryKey => "Registry keys",
            EntityKind::RegistryValue => "Registry values",
            EntityKind::Other => "Other entities",
        },
    }
}

/// The accessible name of a kind's time-window input: "Devices: time window in hours".
pub fn window_label(lang: Lang, kind: EntityKind) -> String {
    match lang {
        Lang::En => format!("{}: time window in hours", kind_name(lang, kind)),
    }
}

/// The accessible name of a kind's "links alerts" checkbox: "Devices link alerts".
pub fn links_label(lang: Lang, kind: EntityKind) -> String {
    match lang {
        Lang::En => format!("{} link alerts", kind_name(lang, kind)),
    }
}

/// A refused value's message.
pub fn invalid_text(lang: Lang, invalid: Invalid) -> &'static str {
    t(
        lang,
        match invalid {
            Invalid::Hours => Text::InvalidHours,
            Invalid::WholeNumber => Text::InvalidWholeNumber,
            Invalid::Percent => Text::InvalidPercent,
        },
    )
}

/// "212 incidents → 187 incidents".
pub fn recorrelated_text(lang: Lang, before: usize, after: usize) -> String {
    match lang {
        Lang::En => format!(
            "{} → {}",
            incident_count(lang, before, before),
            incident_count(lang, after, after)
        ),
    }
}

/// One line of the "what changed" list.
pub fn change_text(lang: Lang, change: &Change) -> String {
    match lang {
        Lang::En => {
            let kinds = |list: &[EntityKind]| {
                list.iter()
                    .map(|k| kind_name(lang, *k))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let values = |list: &[String]| {
                let shown: Vec<&str> = list.iter().take(5).map(String::as_str).collect();
                let more = list.len().saturating_sub(shown.len());
                let mut text = shown.join(", ");
                if more > 0 {
                    text.push_str(&format!(" and {more} more"));
                }
                text
            };
            let days = |n: usize| {
                if n == 0 {
                    "0 (off)".to_owned()
                } else {
                    n.to_string()
                }
            };
            match change {
                Change::Grouping(Grouping::Correlate) => {
                    "Grouping: Alertweave correlation".to_owned()
                }
                Change::Grouping(Grouping::SourceIncidents) => {
                    "Grouping: the export's own incidents".to_owned()
                }
                Change::Window { kind, from, to } => format!(
                    "{}: time window {} h → {} h",
                    kind_name(lang, *kind),
                    format_number(*from),
                    format_number(*to)
                ),
                Change::NoisyMinAlerts { from, to } => {
                    format!("Noisy entities, minimum alerts: {from} → {to}")
                }
                Change::NoisyShare { from, to } => format!(
                    "Noisy entities, share of all alerts: {}% → {}%",
                    format_number(from * 100.0),
                    format_number(to * 100.0)
                ),
                Change::NoisyMinDays { from, to } => format!(
                    "Noisy artifacts, distinct days: {} → {}",
                    days(*from),
                    days(*to)
                ),
                Change::NoisyFanOut { from, to } => {
                    format!("Noisy entities, fan-out: {from} → {to}")
                }
                Change::MaxIncidentAlerts { from, to } => {
                    format!("Most alerts in one incident: {from} → {to}")
                }
                Change::LinkKindsRemoved(list) => format!("No longer link: {}", kinds(list)),
                Change::LinkKindsAdded(list) => format!("Now link: {}", kinds(list)),
                Change::NeverLinkAdded(list) => format!("Never link, added: {}", values(list)),
                Change::NeverLinkRemoved(list) => {
                    format!("Never link, removed: {}", values(list))
                }
                Change::Other => "Other settings, from a settings file".to_owned(),
            }
        }
    }
}

/// "“team.json” was not loaded: unknown field `x` … Nothing was changed."
pub fn settings_file_error(lang: Lang, file: &str, problem: &str) -> String {
    match lang {
        Lang::En => format!("“{file}” was not loaded: {problem}. Nothing was changed."),
    }
}

/// "Loaded “team.json”: check the values, then Apply."
pub fn settings_file_loaded(lang: Lang, file: &str) -> String {
    match lang {
        Lang::En => format!("Loaded “{file}”: check the values, then Apply."),
    }
}

/// A time preset's label: "Last 7 days".
pub fn time_preset_label(lang: Lang, preset: crate::query::TimePreset) -> &'static str {
    use crate::query::TimePreset;
    match lang {
        Lang::En => match preset {
            TimePreset::Day => "Last day",
            TimePreset::ThreeDays => "Last 3 days",
            TimePreset::Week => "Last week",
            TimePreset::ThirtyDays => "Last 30 days",
            TimePreset::SixMonths => "Last 6 months",
        },
    }
}

/// A histogram bar's tooltip: "12 incidents, 2026-03-01 06:00 to 12:00".
pub fn histogram_bar_text(lang: Lang, count: u32, from: &str, to: &str) -> String {
    match lang {
        Lang::En => {
            let noun = if count == 1 { "incident" } else { "incidents" };
            format!("{count} {noun}, {from} – {to}")
        }
    }
}

/// "Severity: High, Medium" on a filter button, or its name alone when nothing is chosen.
pub fn filter_button_text(lang: Lang, name: &str, chosen: &[String]) -> String {
    match lang {
        Lang::En => match chosen {
            [] => name.to_owned(),
            [one] => format!("{name}: {one}"),
            [one, rest @ ..] => format!("{name}: {one} +{}", rest.len()),
        },
    }
}

/// "12 incidents" / "3 of 12 incidents".
pub fn incident_count(lang: Lang, matching: usize, total: usize) -> String {
    match lang {
        Lang::En => {
            let noun = if total == 1 { "incident" } else { "incidents" };
            if matching == total {
                format!("{total} {noun}")
            } else {
                format!("{matching} of {total} {noun}")
            }
        }
    }
}

/// "Loading file 2 of 3: 12.5 MB of 40.0 MB, 1,200 records".
pub fn progress_text(
    lang: Lang,
    file: usize,
    n_files: usize,
    bytes: u64,
    total: u64,
    records: usize,
) -> String {
    match lang {
        Lang::En => format!(
            "Loading file {} of {}: {} of {}, {} records",
            file + 1,
            n_files,
            human_bytes(bytes),
            human_bytes(total),
            records
        ),
    }
}

/// "3 files · 215 alerts · 42 incidents · 5 duplicate records merged".
pub fn load_summary_text(
    lang: Lang,
    files: usize,
    alerts: usize,
    incidents: usize,
    duplicates: usize,
) -> String {
    match lang {
        Lang::En => {
            let mut text = format!("{files} file(s) · {alerts} alerts · {incidents} incidents");
            if duplicates > 0 {
                text.push_str(&format!(" · {duplicates} duplicate records merged"));
            }
            text
        }
    }
}

/// The completeness report's findings as sentences.
pub fn completeness_findings(lang: Lang, c: &crate::analysis::Completeness) -> Vec<String> {
    let mut out = Vec::new();
    match lang {
        Lang::En => {
            let sample = |ids: &[String]| {
                if ids.is_empty() {
                    String::new()
                } else {
                    format!(" (e.g. {})", ids.join(", "))
                }
            };
            if c.evidence_without_info.count > 0 {
                out.push(format!(
                    "{} AlertEvidence rows but no AlertInfo row: their title, category and detection source may be missing{}",
                    alerts_have(c.evidence_without_info.count),
                    sample(&c.evidence_without_info.first)
                ));
            }
            if c.info_without_evidence.count > 0 {
                out.push(format!(
                    "{} an AlertInfo row but no AlertEvidence rows: no entities, so nothing to correlate them by{}",
                    alerts_have(c.info_without_evidence.count),
                    sample(&c.info_without_evidence.first)
                ));
            }
            for file in &c.capped_files {
                out.push(format!("{file} has exactly 30,000 records, the advanced-hunting result cap: the export is probably cut off"));
            }
            for (incident, missing, listed) in &c.incidents_missing_alerts {
                out.push(format!("incident {incident} lists {listed} alerts; {missing} of them are not in the loaded data"));
            }
            for (from, to) in &c.redirected {
                out.push(format!("incident {from} was merged into incident {to}"));
            }
            if c.unscoped_alerts > 0 {
                out.push(format!(
                    "{} private IP addresses or DOMAIN\\name accounts but no tenant id, and the data holds several tenants: those identifiers were not matched with any tenant's",
                    alerts_have(c.unscoped_alerts)
                ));
            }
        }
    }
    out
}

/// "1 alert has" / "3 alerts have".
fn alerts_have(n: usize) -> String {
    if n == 1 {
        "1 alert has".to_owned()
    } else {
        format!("{n} alerts have")
    }
}

pub fn findings_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("{n} completeness finding{}", if n == 1 { "" } else { "s" }),
    }
}

/// "Load data to open incident aw-…".
pub fn load_to_open(lang: Lang, incident_id: &str) -> String {
    match lang {
        Lang::En => format!(
            "Load the data again to open incident {incident_id}: this browser keeps nothing yet."
        ),
    }
}

/// The readable sentence of one receipt.
/// One related-not-joined incident: what it shares, why that did not join them, how far apart.
pub fn related_sentence(
    lang: Lang,
    kind: crate::model::EntityKind,
    entity: &str,
    reason: &str,
    gap_seconds: i64,
) -> String {
    match lang {
        Lang::En => {
            let when = if gap_seconds == 0 {
                "at overlapping times".to_owned()
            } else {
                format!("{} apart", human_duration(gap_seconds))
            };
            format!(
                "shares {} {entity}, {when}; not joined: {reason}",
                kind.as_str().replace('_', " ")
            )
        }
    }
}

/// The whole load beside the exports' own incidents.
pub fn source_agreement_text(lang: Lang, a: &crate::analysis::SourceAgreement) -> String {
    match lang {
        Lang::En => format!(
            "Beside the exports' own incidents ({} alerts carry one): {} of {} incidents are the same, {} join several of the export's incidents, {} of the export's {} incidents are split here. Pairwise F1 {:.2}, B-cubed F1 {:.2}.",
            a.alerts_compared,
            a.same,
            a.incidents_compared,
            a.merged,
            a.sources_split,
            a.sources_compared,
            a.pairwise_f1,
            a.bcubed_f1
        ),
    }
}

/// One incident beside the exports' own grouping of its alerts.
pub fn source_comparison_text(lang: Lang, c: &crate::analysis::SourceComparison) -> String {
    match lang {
        Lang::En => {
            let ids = c.source_incident_ids.join(", ");
            let mut text = if c.same {
                format!("The same as the export's own incident {ids}.")
            } else if c.merged {
                format!(
                    "Joins {} of the export's incidents: {ids}.",
                    c.source_incident_ids.len()
                )
            } else {
                format!("Part of the export's incident {ids}.")
            };
            if !c.split_into.is_empty() {
                text.push_str(&format!(
                    " The export put more of its alerts with these, which are {} other incident(s) here:",
                    c.split_into.len()
                ));
            }
            if c.alerts_without_source > 0 {
                text.push_str(&format!(
                    " {} of its alerts belong to no incident of the export.",
                    c.alerts_without_source
                ));
            }
            text
        }
    }
}

/// Why an incident is one part of a larger linked group.
pub fn split_note_text(lang: Lang, note: &crate::model::SplitNote) -> String {
    match lang {
        Lang::En => format!(
            "Runaway guard: these alerts are linked to others in a group of {} alerts, more than the {} one incident may hold, so the group was split in time order into {} incidents. The links not taken are listed under Related, not joined.",
            note.group_alerts, note.cap, note.parts
        ),
    }
}

/// "1 alert" / "3 alerts".
pub fn alerts_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En if n == 1 => "1 alert".to_owned(),
        Lang::En => format!("{n} alerts"),
    }
}

/// "Showing the 50 closest of 212".
pub fn showing_of(lang: Lang, shown: usize, total: usize) -> String {
    match lang {
        Lang::En => format!("Showing the {shown} closest of {total}."),
    }
}

pub fn receipt_sentence(lang: Lang, rule: &str, entity: &str, gap_seconds: i64) -> String {
    match lang {
        Lang::En => {
            let when = if gap_seconds == 0 {
                "at overlapping times".to_owned()
            } else {
                format!("{} apart", human_duration(gap_seconds))
            };
            match rule {
                "source-incident" => format!("same incident in the export ({entity}), {when}"),
                _ => format!("share {entity}, {when}"),
            }
        }
    }
}

pub fn human_duration(seconds: i64) -> String {
    match seconds {
        0 => "0 s".to_owned(),
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b if b < 1024 * 1024 * 1024 => format!("{:.1} MB", b as f64 / 1048576.0),
        b => format!("{:.2} GB", b as f64 / 1073741824.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_sizes_read_naturally() {
        assert_eq!(incident_count(Lang::En, 3, 3), "3 incidents");
        assert_eq!(incident_count(Lang::En, 1, 1), "1 incident");
        assert_eq!(incident_count(Lang::En, 2, 9), "2 of 9 incidents");
        assert_eq!(human_bytes(1536), "1.5 KB");
        assert_eq!(human_duration(5400), "90 min");
        assert_eq!(human_duration(0), "0 s");
        assert_eq!(
            receipt_sentence(Lang::En, "shared-entity", "device ws-1", 0),
            "share device ws-1, at overlapping times"
        );
    }

    #[test]
    fn settings_changes_read_naturally() {
        assert_eq!(
            recorrelated_text(Lang::En, 212, 1),
            "212 incidents → 1 incident"
        );
        assert_eq!(
            change_text(
                Lang::En,
                &Change::Window {
                    kind: EntityKind::Device,
                    from: 24.0,
                    to: 0.5
                }
            ),
            "Devices: time window 24 h → 0.5 h"
        );
        assert_eq!(
            change_text(
                Lang::En,
                &Change::NoisyShare {
                    from: 0.1,
                    to: 0.07
                }
            ),
            "Noisy entities, share of all alerts: 10% → 7%"
        );
        assert_eq!(
            change_text(
                Lang::En,
                &Change::LinkKindsRemoved(vec![EntityKind::Ip, EntityKind::Url])
            ),
            "No longer link: IP addresses, URLs"
        );
        let many: Vec<String> = (1..=7).map(|i| format!("10.0.0.{i}")).collect();
        assert_eq!(
            change_text(Lang::En, &Change::NeverLinkAdded(many)),
            "Never link, added: 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5 and 2 more"
        );
        assert_eq!(
            change_text(Lang::En, &Change::NoisyMinDays { from: 4, to: 0 }),
            "Noisy artifacts, distinct days: 4 → 0 (off)"
        );
        assert_eq!(
            window_label(Lang::En, EntityKind::Ip),
            "IP addresses: time window in hours"
        );
    }
}
