//! The message catalogue: every user-visible string of the interface goes through here, in
//! English and in Dutch (terms from shared/design/GLOSSARY-nl.md, as Defender's Dutch
//! documentation uses them).
//!
//! A missing translation is a compile error, not a blank or a silent English fallback: `t` and
//! every helper match on `Lang` and on their subject exhaustively. What comes from the data
//! (titles, entity names, file names, export values the catalogue does not know) is shown as is.

use crate::format::format_number;
use alertweave_core::correlate::input::{Change, Invalid};
use alertweave_core::correlate::{Grouping, NoLink};
use alertweave_core::model::{EntityKind, Severity, Status, Verdict};

/// The interface's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// The BCP 47 code, for `<html lang>`, the stored choice and the switch's values.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The language's own name, as the language switch lists it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
        }
    }

    /// Reads `en`, `nl`, `nl-NL`, `nl_BE`, `EN-gb`...; `None` for any other language.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The default for a browser whose preferred languages are `preferred` (most preferred
    /// first, as `navigator.languages`): the first one the interface speaks, else English.
    pub fn from_browser<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::from_code)
            .unwrap_or_default()
    }
}

/// Defines `Text` and `Text::ALL` from one list, so the tests can walk every string.
macro_rules! texts {
    ($($name:ident),* $(,)?) => {
        /// Fixed strings of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text {
            $($name),*
        }

        impl Text {
            /// Every fixed string, for the catalogue's tests.
            pub const ALL: &'static [Text] = &[$(Text::$name),*];
        }
    };
}

texts! {
    AppTagline,
    Incidents,
    OpenExports,
    DropHere,
    ChooseFiles,
    LoadDemo,
    PrivacyNote,
    WorkspaceMenu,
    WorkspaceHint,
    WorkspacePassphrase,
    WorkspacePassphraseHint,
    WorkspaceExport,
    WorkspaceImport,
    WorkspaceExporting,
    WorkspaceImporting,
    WorkspaceNoData,
    ClearData,
    ClearDataWarning,
    ClearDataConfirm,
    ClearDataCancel,
    AutosaveSaving,
    AutosaveSaved,
    AutosaveFailed,
    AutosaveSuperseded,
    AutosaveSupersededShort,
    RestoringSaved,
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
    Campaigns,
    CampaignTargets,
    Attacker,
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
    GraphZoomIn,
    GraphZoomOut,
    GraphFit,
    GraphPlay,
    GraphPause,
    GraphPlayback,
    GraphAlertsBySeverity,
    GraphEntitiesByVerdict,
    GraphNodeTypes,
    GraphExpand,
    GraphGroup,
    GraphLinked,
    GraphHint,
    GraphClearSelection,
    GraphCanvasLabel,
    TimeUtc,
    TimeLocal,
    TimeZone,
    AddFiles,
    ProcessTree,
    ProcessTreeHint,
    AllVerdicts,
    AllTypes,
    ColInvestigation,
    NoInvestigationId,
    ColRemediationOfEvidence,
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
    BurstLegend,
    BurstHint,
    BurstMinAlerts,
    BurstMinAlertsHint,
    BurstWindowHours,
    BurstWindowHoursHint,
    BurstMinTargets,
    BurstMinTargetsHint,
    BackgroundDays,
    BackgroundDaysHint,
    InvalidPositive,
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
    Language,
    Theme,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    AlertIdLabel,
    AlsoKnownAs,
    Description,
    MitreTechniques,
    Product,
    Threat,
    SourceIncidentId,
    Source,
    Investigation,
    AlertNode,
    DemoLoadFailed,
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
    Manage,
    RenameLabel,
    RenameSave,
    AssignLabel,
    AssignSave,
    AssignPlaceholder,
    StatusLabel,
    ResolveNote,
    ResolveConfirm,
    ClassificationLabel,
    DeterminationLabel,
    NotClassified,
    TagsLabel,
    TagPlaceholder,
    RemoveTag,
    CommentsHeading,
    CommentPlaceholder,
    CommentSubmit,
    NoComments,
    UndoLast,
    ActivityHeading,
    ActivityUndone,
    ReportPrepare,
    ReportHtml,
    ReportMarkdown,
    IocsPrepare,
    IocsCsv,
    IocsStix,
    IocsNone,
    QueueExport,
    QueueExportPrepare,
    QueueExportHint,
    QueueExportCsv,
    QueueExportJson,
    ClassTruePositive,
    ClassFalsePositive,
    ClassInformational,
    SeverityFromAlerts,
    MergeWith,
    MergeHint,
    FindIncident,
    FindIncidentButton,
    NoCandidates,
    MergeConfirm,
    RelatedCandidates,
    Pseudonymize,
    PseudonymizeHint,
    ManageAlert,
    MoveTo,
    MoveToNew,
    MoveConfirm,
    SelectAlert,
    SplitSelected,
    SelectIncident,
    ClearSelection,
    BulkActions,
    BulkStatusChoose,
    BulkClassifyChoose,
    TagAdd,
    BulkMerge,
    BulkTagPlaceholder,
}

pub fn t(lang: Lang, text: Text) -> &'static str {
    match lang {
        Lang::En => en(text),
        Lang::Nl => nl(text),
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
        WorkspaceMenu => "Workspace",
        WorkspaceHint => "A workspace file holds the input files, the settings, every change and where they came from: another analyst opens it here or with the command line.",
        WorkspacePassphrase => "Passphrase (optional)",
        WorkspacePassphraseHint => "With a passphrase the file is encrypted (Argon2id and ChaCha20-Poly1305); opening it needs the same passphrase.",
        WorkspaceExport => "Export workspace",
        WorkspaceImport => "Open workspace file",
        WorkspaceExporting => "Writing the workspace file…",
        WorkspaceImporting => "Opening the workspace file…",
        WorkspaceNoData => "Load data to export a workspace.",
        ClearData => "Clear all data from this browser",
        ClearDataWarning => "This deletes the saved workspace (input files, changes, settings) and the preferences this app keeps in this browser. Files on your disk are not touched.",
        ClearDataConfirm => "Delete everything",
        ClearDataCancel => "Cancel",
        AutosaveSaving => "Saving…",
        AutosaveSaved => "Saved in this browser",
        AutosaveFailed => "Not saved in this browser",
        AutosaveSupersededShort => "Not saved: another tab saved since",
        AutosaveSuperseded => "Another tab saved this workspace since: changes made here are not saved. Reload this tab to continue with what was saved.",
        RestoringSaved => "Opening the workspace saved in this browser…",
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
        Campaigns => "Campaign",
        CampaignTargets => "Targets",
        Attacker => "Source",
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
        GraphZoomIn => "Zoom in",
        GraphZoomOut => "Zoom out",
        GraphFit => "Fit to view",
        GraphPlay => "Play",
        GraphPause => "Pause",
        GraphPlayback => "Playback over time",
        GraphAlertsBySeverity => "Alerts by severity",
        GraphEntitiesByVerdict => "Entities: fill by verdict, ring by type",
        GraphNodeTypes => "Node types",
        GraphExpand => "Expand",
        GraphGroup => "Group",
        GraphLinked => "Linked nodes",
        GraphHint => "Drag the background to pan, the wheel to zoom, a node to move it; click a node to select it. Keys on the drawing: arrows pan, + and − zoom, 0 fits, Esc clears the selection.",
        GraphClearSelection => "Clear selection",
        GraphCanvasLabel => "Incident graph",
        TimeUtc => "UTC",
        TimeLocal => "Local time",
        TimeZone => "Times in",
        AddFiles => "Add files",
        ProcessTree => "Process tree",
        ProcessTreeHint => "Parent → child, as the process evidence tells; a parent in italics is named by the evidence but not part of it.",
        AllVerdicts => "All verdicts",
        AllTypes => "All types",
        ColInvestigation => "Investigation",
        NoInvestigationId => "(no investigation id)",
        ColRemediationOfEvidence => "Evidence remediation",
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
        NoisyMinDaysHint => "A file, IP, URL or other artifact whose alerts fall on this many different days within the background neighbourhood recurs in the background; so does one detection repeated on an entity on this many days nearby. 0 turns this off.",
        NoisyFanOut => "Fan-out: devices, users and mailboxes",
        MaxIncidentAlerts => "Most alerts in one incident",
        MaxIncidentAlertsHint => "A linked group beyond this is a runaway: it is split in time order into connected parts, and each part says so. 0 turns this off.",
        NoisyFanOutHint => "Outside campaigns, an entity whose alerts within the background neighbourhood name this many different devices, users and mailboxes (three at most per alert) fans out across the tenant, like a domain controller. 0 turns this off.",
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
        InvalidPositive => "Enter a number above 0.",
        BurstLegend => "Campaigns and background",
        BurstHint => "Many alerts of one detection naming one entity against many targets within hours (a password spray's address, a brute-forcing workstation) link as one campaign, even through an entity that is background otherwise. Background is judged around each alert, not over the whole export.",
        BurstMinAlerts => "Campaign: minimum alerts",
        BurstMinAlertsHint => "A campaign has at least this many alerts, far denser than its entity's own rate around them. 0 turns campaigns off.",
        BurstWindowHours => "Campaign window (hours)",
        BurstWindowHoursHint => "The window within which a campaign's alerts fall densely; sprays land tens of alerts within two or three hours.",
        BurstMinTargets => "Campaign: minimum targets",
        BurstMinTargetsHint => "A campaign names at least this many different devices, users and mailboxes.",
        BackgroundDays => "Background neighbourhood (days either side)",
        BackgroundDaysHint => "Fan-out, distinct days and repeated detections are counted within this many days either side of each alert, so an address that returns months apart still links each attack.",
        Language => "Language",
        Theme => "Theme",
        ThemeSystem => "System",
        ThemeLight => "Light",
        ThemeDark => "Dark",
        AlertIdLabel => "Alert id",
        AlsoKnownAs => "Also known as",
        Description => "Description",
        MitreTechniques => "MITRE techniques",
        Product => "Product",
        Threat => "Threat",
        SourceIncidentId => "Incident id in the export",
        Source => "Source",
        Investigation => "investigation",
        AlertNode => "Alert",
        DemoLoadFailed => "The demo data could not be loaded",
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
        KeyboardHint => "/ search · j k move · x select · Enter open · Esc back",
        QueueLabel => "Incident queue",
        Manage => "Manage",
        RenameLabel => "Incident name",
        RenameSave => "Rename",
        AssignLabel => "Assigned to",
        AssignSave => "Assign",
        AssignPlaceholder => "Owner (name or e-mail)",
        StatusLabel => "Status",
        ResolveNote => "Resolution note (required)",
        ResolveConfirm => "Resolve incident and its alerts",
        ClassificationLabel => "Classification",
        DeterminationLabel => "Determination",
        NotClassified => "Not classified",
        TagsLabel => "Tags",
        TagPlaceholder => "Add a tag and press Enter",
        RemoveTag => "Remove tag",
        CommentsHeading => "Comments",
        CommentPlaceholder => "Write a comment",
        CommentSubmit => "Add comment",
        NoComments => "No comments yet.",
        UndoLast => "Undo last change",
        ActivityHeading => "Activity log",
        ActivityUndone => "undone",
        ReportPrepare => "Make incident report",
        ReportHtml => "Download report (HTML)",
        ReportMarkdown => "Download report (Markdown)",
        IocsPrepare => "Export indicators",
        IocsCsv => "Indicators (CSV)",
        IocsStix => "Indicators (STIX 2.1)",
        IocsNone => "This incident names no hash, IP address, URL or domain.",
        QueueExport => "Export",
        QueueExportPrepare => "Export this view",
        QueueExportHint => "Every incident the filters select, in this order. Spreadsheet formulas at the start of a cell are neutralized.",
        QueueExportCsv => "Download CSV",
        QueueExportJson => "Download JSON",
        ClassTruePositive => "True positive",
        ClassFalsePositive => "False positive",
        ClassInformational => "Informational, expected activity",
        SeverityFromAlerts => "From the alerts",
        MergeWith => "Merge with…",
        MergeHint => "Incidents merged into this one bring their alerts, comments and changes; undo gives them back as they were.",
        FindIncident => "Find an incident by id, title or asset",
        FindIncidentButton => "Find",
        NoCandidates => "No other incident matches.",
        MergeConfirm => "Merge into this incident",
        RelatedCandidates => "Related, not joined",
        Pseudonymize => "Pseudonymize exports",
        PseudonymizeHint => "Users, hosts, mailboxes and IP addresses become aliases made with a key kept in this browser: the same name gets the same alias in every report you hand over.",
        ManageAlert => "This alert",
        MoveTo => "Move to…",
        MoveToNew => "A new incident",
        MoveConfirm => "Move",
        SelectAlert => "Select alert",
        SplitSelected => "Split into a new incident",
        SelectIncident => "Select incident",
        ClearSelection => "Clear selection",
        BulkActions => "Bulk actions",
        BulkStatusChoose => "Set status…",
        BulkClassifyChoose => "Classify…",
        TagAdd => "Add tag",
        BulkMerge => "Merge selected",
        BulkTagPlaceholder => "Tag",
    }
}

fn nl(text: Text) -> &'static str {
    use Text::*;
    match text {
        AppTagline => "Lokale triage van incidenten: uw exports verlaten deze browser nooit",
        Incidents => "Incidenten",
        OpenExports => "Waarschuwingsexports openen",
        DropHere => "Exportbestanden hier neerzetten, of kies ze. Meerdere bestanden tegelijk kan ook.",
        ChooseFiles => "Bestanden kiezen",
        LoadDemo => "Demogegevens laden",
        PrivacyNote => "Bestanden worden in dit tabblad door een Web Worker gelezen. Er wordt niets geüpload en geen enkele aanvraag verlaat de oorsprong van deze pagina.",
        WorkspaceMenu => "Werkruimte",
        WorkspaceHint => "Een werkruimtebestand bevat de invoerbestanden, de instellingen, elke wijziging en hun herkomst: een andere analist opent het hier of met de opdrachtregel.",
        WorkspacePassphrase => "Wachtwoordzin (optioneel)",
        WorkspacePassphraseHint => "Met een wachtwoordzin wordt het bestand versleuteld (Argon2id en ChaCha20-Poly1305); openen vraagt dezelfde wachtwoordzin.",
        WorkspaceExport => "Werkruimte exporteren",
        WorkspaceImport => "Werkruimtebestand openen",
        WorkspaceExporting => "Werkruimtebestand wordt geschreven…",
        WorkspaceImporting => "Werkruimtebestand wordt geopend…",
        WorkspaceNoData => "Laad gegevens om een werkruimte te exporteren.",
        ClearData => "Alle gegevens uit deze browser wissen",
        ClearDataWarning => "Dit verwijdert de opgeslagen werkruimte (invoerbestanden, wijzigingen, instellingen) en de voorkeuren die deze app in deze browser bewaart. Bestanden op uw schijf blijven ongemoeid.",
        ClearDataConfirm => "Alles verwijderen",
        ClearDataCancel => "Annuleren",
        AutosaveSaving => "Bezig met opslaan…",
        AutosaveSaved => "Opgeslagen in deze browser",
        AutosaveFailed => "Niet opgeslagen in deze browser",
        AutosaveSupersededShort => "Niet opgeslagen: een ander tabblad sloeg intussen op",
        AutosaveSuperseded => "Een ander tabblad heeft deze werkruimte intussen opgeslagen: wijzigingen hier worden niet opgeslagen. Laad dit tabblad opnieuw om verder te gaan met wat is opgeslagen.",
        RestoringSaved => "De in deze browser opgeslagen werkruimte wordt geopend…",
        SupportedFormats => "Leest Microsoft Graph-beveiligingswaarschuwingen en -incidenten, de API's voor Defender XDR-incidenten en Defender for Endpoint-waarschuwingen, geavanceerde opsporing (AlertInfo / AlertEvidence) en Sentinel SecurityAlert / SecurityIncident: JSON, NDJSON of CSV, ook in zip- of gzip-bestanden.",
        LoadingFiles => "Laden",
        ProblemsHeading => "Problemen bij het laden",
        SearchPlaceholder => "Zoeken op incidentnaam, id of betrokken asset",
        ColName => "Incidentnaam",
        ColId => "Incident-id",
        ColSeverity => "Ernst",
        ColStatus => "Status",
        ColCategories => "Categorieën",
        ColImpactedAssets => "Betrokken assets",
        ColActiveAlerts => "Actieve waarschuwingen",
        ColServiceSources => "Servicebronnen",
        ColFirstActivity => "Eerste activiteit",
        ColLastActivity => "Laatste activiteit",
        NoIncidentsMatch => "Geen enkel incident voldoet aan de zoekopdracht.",
        ShowMore => "Meer weergeven",
        BackToQueue => "Incidenten",
        IncidentNotFound => "De geladen gegevens bevatten geen incident met deze id.",
        LoadingIncident => "Het incident wordt geladen…",
        TabSummary => "Overzicht",
        TabAlerts => "Waarschuwingen",
        TabDevices => "Apparaten",
        TabUsers => "Gebruikers",
        TabMailboxes => "Postvakken",
        TabInvestigations => "Onderzoeken",
        TabEvidence => "Bewijs en antwoord",
        TabGraph => "Graph",
        AttackStory => "Aanvalsverhaal",
        Scope => "Bereik",
        EvidenceByVerdict => "Bewijs per oordeel",
        WhyTogether => "Waarom deze waarschuwingen bij elkaar horen",
        SingleAlertNoReceipts => "Dit incident heeft één waarschuwing: er hoefde niets gekoppeld te worden.",
        NoisyContext => "Hier gezien, maar te algemeen om waarschuwingen te koppelen",
        Campaigns => "Campagne",
        CampaignTargets => "Doelwitten",
        Attacker => "Bron",
        RelatedNotJoined => "Verwant, niet samengevoegd",
        ComparedWithSource => "Naast de eigen groepering van de export",
        RelatedNotJoinedHint => "Incidenten kort ervoor of erna die iets met dit incident delen dat te algemeen is om waarschuwingen te koppelen. Open ze om zelf te beoordelen.",
        ColTime => "Tijd",
        ColTitle => "Titel",
        ColCategory => "Categorie",
        ColDetectionSource => "Detectiebron",
        ColEntities => "Entiteiten",
        ColJoinedBy => "Gekoppeld via",
        FirstAlert => "eerste waarschuwing",
        ColIdentifiers => "Identificatoren",
        ColFirstSeen => "Eerst gezien",
        ColLastSeen => "Laatst gezien",
        ColAlerts => "Waarschuwingen",
        ColVerdict => "Oordeel",
        ColRemediation => "Herstelstatus",
        ColRoles => "Rollen",
        ColType => "Type",
        ColOtherIncidents => "Andere incidenten",
        ColInvestigationState => "Onderzoeksstatus",
        ColDetails => "Details",
        NoDevices => "De waarschuwingen van dit incident noemen geen apparaat.",
        NoUsers => "De waarschuwingen van dit incident noemen geen gebruikersaccount.",
        NoMailboxes => "De waarschuwingen van dit incident noemen geen postvak.",
        NoInvestigationData => "De geladen export bevat voor deze waarschuwingen geen gegevens over automatisch onderzoek.",
        InvestigationHint => "Graph-beveiligingswaarschuwingen bevatten per waarschuwing een onderzoeksstatus voor waarschuwingen van Defender for Endpoint en Office 365; de API voor Defender-incidenten (/api/incidents) voegt daar onderzoeks-id's aan toe.",
        RemediationHeading => "Herstelstatus van bewijs",
        GraphLegend => "Legenda",
        GraphNodes => "Knooppunten",
        GraphZoomIn => "Inzoomen",
        GraphZoomOut => "Uitzoomen",
        GraphFit => "Passend weergeven",
        GraphPlay => "Afspelen",
        GraphPause => "Pauzeren",
        GraphPlayback => "Verloop in de tijd",
        GraphAlertsBySeverity => "Waarschuwingen op ernst",
        GraphEntitiesByVerdict => "Entiteiten: vulling naar oordeel, rand naar soort",
        GraphNodeTypes => "Soorten knooppunten",
        GraphExpand => "Uitvouwen",
        GraphGroup => "Groeperen",
        GraphLinked => "Verbonden knooppunten",
        GraphHint => "Sleep de achtergrond om te verschuiven, gebruik het scrollwiel om te zoomen en sleep een knooppunt om het te verplaatsen; klik op een knooppunt om het te selecteren. Toetsen op de tekening: pijltjes verschuiven, + en − zoomen, 0 past alles in beeld, Esc wist de selectie.",
        GraphClearSelection => "Selectie wissen",
        GraphCanvasLabel => "Incidentgrafiek",
        TimeUtc => "UTC",
        TimeLocal => "lokale tijd",
        TimeZone => "Tijden in",
        AddFiles => "Bestanden toevoegen",
        ProcessTree => "Procesboom",
        ProcessTreeHint => "Ouder → kind, zoals het procesbewijs het vertelt; een cursieve ouder wordt door het bewijs genoemd maar hoort er niet bij.",
        AllVerdicts => "Alle oordelen",
        AllTypes => "Alle typen",
        ColInvestigation => "Onderzoek",
        NoInvestigationId => "(geen onderzoeks-id)",
        ColRemediationOfEvidence => "Herstel van bewijs",
        NotFoundRoute => "Dit adres verwijst niet naar een weergave.",
        Files => "Bestanden",
        Format => "Indeling",
        Unrecognized => "niet herkend",
        None => "geen",
        ColFile => "Bestand",
        ColSize => "Grootte",
        ColRecords => "Records",
        ColTimeRange => "Tijdsbereik",
        NotAlerts => "geen waarschuwingen",
        ColProblems => "Problemen",
        ColEntityName => "Naam",
        SettingsOpen => "Correlatie-instellingen",
        SettingsCustom => "aangepast",
        SettingsTitle => "Correlatie-instellingen",
        SettingsIntro => "Toepassen groepeert de geladen waarschuwingen opnieuw, in dit tabblad. De toegepaste instellingen worden in deze browser bewaard en bij het volgende laden gebruikt.",
        SettingsClose => "Sluiten",
        SettingsReading => "De gebruikte instellingen worden gelezen…",
        GroupingLegend => "Groepering",
        GroupingCorrelate => "Correlatie door Alertweave",
        GroupingCorrelateHint => "Waarschuwingen die binnen het tijdvenster van hun entiteitstype een entiteit delen, worden één incident.",
        GroupingSource => "De eigen incidenten van de export",
        GroupingSourceHint => "Behoudt de incident-id's uit de export; de instellingen hieronder markeren dan alleen veelvoorkomende entiteiten.",
        KindsLegend => "Entiteitstypen",
        KindsHint => "Welke typen waarschuwingen koppelen, en de grootste tussenpoos tussen twee waarschuwingen die er een delen.",
        ColEntityKind => "Entiteitstype",
        ColLinks => "Koppelt waarschuwingen",
        ColWindowHours => "Tijdvenster (uren)",
        NoisyLegend => "Veelvoorkomende entiteiten",
        NoisyHint => "Een veelvoorkomende entiteit blijft zichtbaar in haar incidenten, maar koppelt niets.",
        NoisyMinAlerts => "Minimumaantal waarschuwingen",
        NoisyMinAlertsHint => "Een entiteit kan alleen veelvoorkomend zijn als ze in meer waarschuwingen voorkomt dan dit aantal.",
        NoisyShare => "Aandeel van alle waarschuwingen (%)",
        NoisyShareHint => "Een entiteit in meer dan dit aandeel van alle waarschuwingen komt te vaak voor om te koppelen.",
        NoisyMinDays => "Verschillende dagen voor artefacten",
        NoisyMinDaysHint => "Een bestand, IP-adres, URL of ander artefact waarvan de waarschuwingen binnen de omgeving voor de achtergrond op zoveel verschillende dagen vallen, hoort bij de achtergrond; net als één detectie die daar op zoveel dagen bij dezelfde entiteit terugkeert. 0 schakelt dit uit.",
        NoisyFanOut => "Spreiding: apparaten, gebruikers en postvakken",
        MaxIncidentAlerts => "Maximumaantal waarschuwingen per incident",
        MaxIncidentAlertsHint => "Een gekoppelde groep die groter wordt, is uit de hand gelopen: ze wordt in tijdsvolgorde gesplitst in samenhangende delen, en elk deel vermeldt dat. 0 schakelt dit uit.",
        NoisyFanOutHint => "Buiten campagnes is een entiteit waarvan de waarschuwingen binnen de omgeving voor de achtergrond zoveel verschillende apparaten, gebruikers en postvakken noemen (hoogstens drie per waarschuwing), verspreid over de hele tenant, zoals een domeincontroller. 0 schakelt dit uit.",
        NeverLinkLabel => "Nooit koppelen",
        NeverLinkHint => "Entiteitsnamen of waarden van identificatoren, één per regel, niet hoofdlettergevoelig: het IP-adres van een scanner, een gedeeld serviceaccount.",
        PendingChanges => "Nog niet toegepast",
        SettingsApply => "Toepassen",
        SettingsApplying => "Wordt toegepast…",
        SettingsReset => "Standaardwaarden herstellen",
        SettingsDownload => "Instellingen downloaden",
        SettingsLoadFile => "Instellingenbestand laden",
        SettingsFileHint => "Het bestand is de JSON die alertweave analyze --config leest. De groepering hoort er niet bij (die kiest de CLI met --source-incidents).",
        SettingsUnchanged => "De instellingen zijn niet gewijzigd.",
        SettingsFixErrors => "Corrigeer de gemarkeerde waarden om ze toe te passen.",
        SettingsFileTooLarge => "het bestand is groter dan 1 MB, te groot voor een instellingenbestand",
        SettingsFileUnreadable => "het bestand kon niet als tekst worden gelezen",
        InvalidHours => "Voer een aantal uren in, 0 of meer.",
        InvalidWholeNumber => "Voer een geheel getal in, 0 of meer.",
        InvalidPercent => "Voer een percentage van 0 tot en met 100 in.",
        InvalidPositive => "Voer een getal boven 0 in.",
        BurstLegend => "Campagnes en achtergrond",
        BurstHint => "Veel waarschuwingen van één detectie die binnen enkele uren één entiteit tegen veel doelwitten noemen (het adres van een password spray, een werkstation dat wachtwoorden raadt), koppelen als één campagne, ook via een entiteit die verder bij de achtergrond hoort. De achtergrond wordt rond elke waarschuwing beoordeeld, niet over de hele export.",
        BurstMinAlerts => "Campagne: minimumaantal waarschuwingen",
        BurstMinAlertsHint => "Een campagne heeft minstens zoveel waarschuwingen, veel dichter op elkaar dan de entiteit er gewoonlijk heeft. 0 schakelt campagnes uit.",
        BurstWindowHours => "Campagnevenster (uren)",
        BurstWindowHoursHint => "Het venster waarbinnen de waarschuwingen van een campagne dicht op elkaar vallen; een password spray geeft tientallen waarschuwingen binnen twee of drie uur.",
        BurstMinTargets => "Campagne: minimumaantal doelwitten",
        BurstMinTargetsHint => "Een campagne noemt minstens zoveel verschillende apparaten, gebruikers en postvakken.",
        BackgroundDays => "Omgeving voor de achtergrond (dagen aan weerszijden)",
        BackgroundDaysHint => "Spreiding, verschillende dagen en herhaalde detecties worden geteld binnen zoveel dagen aan weerszijden van elke waarschuwing, zodat een adres dat maanden later terugkomt elke aanval nog koppelt.",
        Language => "Taal",
        Theme => "Thema",
        ThemeSystem => "Systeem",
        ThemeLight => "Licht",
        ThemeDark => "Donker",
        AlertIdLabel => "Waarschuwings-id",
        AlsoKnownAs => "Ook bekend als",
        Description => "Beschrijving",
        MitreTechniques => "MITRE-technieken",
        Product => "Product",
        Threat => "Bedreiging",
        SourceIncidentId => "Incident-id in de export",
        Source => "Bron",
        Investigation => "onderzoek",
        AlertNode => "Waarschuwing",
        DemoLoadFailed => "De demogegevens konden niet worden geladen",
        ColTags => "Tags",
        ColDetectionSources => "Detectiebronnen",
        ColAssignedTo => "Toegewezen aan",
        ColClassification => "Classificatie",
        ColDetermination => "Vaststelling",
        FilterEntity => "Entiteit",
        EntityPlaceholder => "Naam van een apparaat, gebruiker, postvak, IP…",
        AnyEntityKind => "Elke soort",
        TimeAny => "Altijd",
        TimeCustom => "Aangepast bereik",
        TimeFrom => "Van",
        TimeTo => "Tot",
        TimeRelativeHint => "Teruggeteld vanaf de laatste activiteit in de gegevens, niet vanaf vandaag. Dagen in UTC.",
        NotSet => "(niet ingesteld)",
        Unassigned => "Niet toegewezen",
        ClearFilters => "Filters wissen",
        FilterNoValues => "Geen enkel incident heeft hiervoor een waarde.",
        Columns => "Kolommen",
        ColumnsHint => "Vink de kolommen aan die u wilt zien; met de pijlen bepaalt u de volgorde. Bewaard in deze browser.",
        ColumnUp => "Naar links",
        ColumnDown => "Naar rechts",
        ColumnsReset => "Standaardkolommen",
        SavedFilters => "Opgeslagen filters",
        SavedFiltersNone => "Nog geen opgeslagen filterset. Geef de huidige weergave een naam om die in deze browser te bewaren.",
        SaveFilterName => "Naam voor de huidige weergave",
        SaveFilter => "Opslaan",
        DeleteSavedFilter => "Verwijderen",
        HistogramLabel => "Incidenten in de tijd, op laatste activiteit",
        SeverityCounts => "Incidenten per ernst",
        KeyboardHint => "/ zoeken · j k verplaatsen · x selecteren · Enter openen · Esc terug",
        QueueLabel => "Incidentwachtrij",
        Manage => "Beheren",
        RenameLabel => "Incidentnaam",
        RenameSave => "Naam wijzigen",
        AssignLabel => "Toegewezen aan",
        AssignSave => "Toewijzen",
        AssignPlaceholder => "Eigenaar (naam of e-mailadres)",
        StatusLabel => "Status",
        ResolveNote => "Notitie bij het oplossen (verplicht)",
        ResolveConfirm => "Incident en waarschuwingen oplossen",
        ClassificationLabel => "Classificatie",
        DeterminationLabel => "Vaststelling",
        NotClassified => "Niet geclassificeerd",
        TagsLabel => "Labels",
        TagPlaceholder => "Voeg een tag toe en druk op Enter",
        RemoveTag => "Tag verwijderen",
        CommentsHeading => "Opmerkingen",
        CommentPlaceholder => "Schrijf een opmerking",
        CommentSubmit => "Opmerking toevoegen",
        NoComments => "Nog geen opmerkingen.",
        UndoLast => "Laatste wijziging ongedaan maken",
        ActivityHeading => "Activiteitenlogboek",
        ActivityUndone => "ongedaan gemaakt",
        ReportPrepare => "Incidentrapport maken",
        ReportHtml => "Rapport downloaden (HTML)",
        ReportMarkdown => "Rapport downloaden (Markdown)",
        IocsPrepare => "Indicatoren exporteren",
        IocsCsv => "Indicatoren (CSV)",
        IocsStix => "Indicatoren (STIX 2.1)",
        IocsNone => "Dit incident noemt geen hash, IP-adres, URL of domein.",
        QueueExport => "Exporteren",
        QueueExportPrepare => "Deze weergave exporteren",
        QueueExportHint => "Alle incidenten die de filters selecteren, in deze volgorde. Spreadsheetformules aan het begin van een cel worden onschadelijk gemaakt.",
        QueueExportCsv => "CSV downloaden",
        QueueExportJson => "JSON downloaden",
        ClassTruePositive => "Terecht positief",
        ClassFalsePositive => "Fout-positief",
        ClassInformational => "Informatief, verwachte activiteit",
        SeverityFromAlerts => "Uit de waarschuwingen",
        MergeWith => "Samenvoegen met…",
        MergeHint => "Incidenten die hierin worden samengevoegd, brengen hun waarschuwingen, opmerkingen en wijzigingen mee; ongedaan maken geeft ze terug zoals ze waren.",
        FindIncident => "Zoek een incident op id, titel of asset",
        FindIncidentButton => "Zoeken",
        NoCandidates => "Geen ander incident komt overeen.",
        MergeConfirm => "Samenvoegen met dit incident",
        RelatedCandidates => "Gerelateerd, niet samengevoegd",
        Pseudonymize => "Exports pseudonimiseren",
        PseudonymizeHint => "Gebruikers, hosts, postvakken en IP-adressen worden schuilnamen, gemaakt met een sleutel die deze browser bewaart: dezelfde naam krijgt dezelfde schuilnaam in elk rapport dat u overdraagt.",
        ManageAlert => "Deze waarschuwing",
        MoveTo => "Verplaatsen naar…",
        MoveToNew => "Een nieuw incident",
        MoveConfirm => "Verplaatsen",
        SelectAlert => "Waarschuwing selecteren",
        SplitSelected => "Splitsen in een nieuw incident",
        SelectIncident => "Incident selecteren",
        ClearSelection => "Selectie wissen",
        BulkActions => "Bulkacties",
        BulkStatusChoose => "Status instellen…",
        BulkClassifyChoose => "Classificeren…",
        TagAdd => "Tag toevoegen",
        BulkMerge => "Geselecteerde samenvoegen",
        BulkTagPlaceholder => "Tag",
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers, plurals, sizes and durations.

/// A count as the language writes it: `30,000` in English, `30.000` in Dutch.
pub fn number(lang: Lang, n: usize) -> String {
    let separator = match lang {
        Lang::En => ',',
        Lang::Nl => '.',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A decimal as the language writes it: `0.5` in English, `0,5` in Dutch (at most six decimals).
pub fn decimal(lang: Lang, value: f64) -> String {
    let text = format_number(value);
    match lang {
        Lang::En => text,
        Lang::Nl => text.replace('.', ","),
    }
}

/// A fixed number of decimals: `0.98` / `0,98`.
fn fixed(lang: Lang, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match lang {
        Lang::En => text,
        Lang::Nl => text.replace('.', ","),
    }
}

/// Countable things of the interface, with their singular and plural per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Noun {
    Incident,
    Alert,
    File,
    Record,
    Finding,
}

fn noun(lang: Lang, noun: Noun, n: usize) -> &'static str {
    let one = n == 1;
    match (lang, noun) {
        (Lang::En, Noun::Incident) => pick(one, "incident", "incidents"),
        (Lang::En, Noun::Alert) => pick(one, "alert", "alerts"),
        (Lang::En, Noun::File) => pick(one, "file", "files"),
        (Lang::En, Noun::Record) => pick(one, "record", "records"),
        (Lang::En, Noun::Finding) => pick(one, "completeness finding", "completeness findings"),
        (Lang::Nl, Noun::Incident) => pick(one, "incident", "incidenten"),
        (Lang::Nl, Noun::Alert) => pick(one, "waarschuwing", "waarschuwingen"),
        (Lang::Nl, Noun::File) => pick(one, "bestand", "bestanden"),
        (Lang::Nl, Noun::Record) => pick(one, "record", "records"),
        (Lang::Nl, Noun::Finding) => pick(
            one,
            "bevinding over volledigheid",
            "bevindingen over volledigheid",
        ),
    }
}

fn pick(one: bool, singular: &'static str, plural: &'static str) -> &'static str {
    if one {
        singular
    } else {
        plural
    }
}

/// "3 incidents" / "3 incidenten", the number grouped.
fn counted(lang: Lang, n: usize, what: Noun) -> String {
    format!("{} {}", number(lang, n), noun(lang, what, n))
}

/// "1 alert" / "3 alerts"; "1 waarschuwing" / "3 waarschuwingen".
pub fn alerts_count(lang: Lang, n: usize) -> String {
    counted(lang, n, Noun::Alert)
}

/// "12 incidents" / "3 of 12 incidents".
pub fn incident_count(lang: Lang, matching: usize, total: usize) -> String {
    if matching == total {
        return counted(lang, total, Noun::Incident);
    }
    let of = match lang {
        Lang::En => "of",
        Lang::Nl => "van",
    };
    format!(
        "{} {of} {}",
        number(lang, matching),
        counted(lang, total, Noun::Incident)
    )
}

pub fn human_duration(lang: Lang, seconds: i64) -> String {
    let (hours, days) = match lang {
        Lang::En => ("h", "days"),
        Lang::Nl => ("u", "dagen"),
    };
    match seconds {
        s if s < 120 => format!("{} s", s.max(0)),
        s if s < 7200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} {hours}", s / 3600),
        s => format!("{} {days}", s / 86_400),
    }
}

pub fn human_bytes(lang: Lang, bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", fixed(lang, b as f64 / 1024.0, 1)),
        b if b < 1024 * 1024 * 1024 => format!("{} MB", fixed(lang, b as f64 / 1048576.0, 1)),
        b => format!("{} GB", fixed(lang, b as f64 / 1073741824.0, 2)),
    }
}

/// "at overlapping times" / "3 min apart".
fn apart(lang: Lang, gap_seconds: i64) -> String {
    match (lang, gap_seconds) {
        (Lang::En, 0) => "at overlapping times".to_owned(),
        (Lang::Nl, 0) => "op overlappende tijden".to_owned(),
        (Lang::En, s) => format!("{} apart", human_duration(lang, s)),
        (Lang::Nl, s) => format!("{} uit elkaar", human_duration(lang, s)),
    }
}

// ---------------------------------------------------------------------------------------------
// Enumerations of the model: severities, statuses, verdicts, entity kinds, categories.

pub fn severity_label(lang: Lang, severity: Severity) -> &'static str {
    match (lang, severity) {
        (Lang::En, Severity::Unknown) => "Unknown",
        (Lang::En, Severity::Informational) => "Informational",
        (Lang::En, Severity::Low) => "Low",
        (Lang::En, Severity::Medium) => "Medium",
        (Lang::En, Severity::High) => "High",
        (Lang::En, Severity::Critical) => "Critical",
        (Lang::Nl, Severity::Unknown) => "Onbekend",
        (Lang::Nl, Severity::Informational) => "Informatief",
        (Lang::Nl, Severity::Low) => "Laag",
        (Lang::Nl, Severity::Medium) => "Gemiddeld",
        (Lang::Nl, Severity::High) => "Hoog",
        (Lang::Nl, Severity::Critical) => "Kritiek",
    }
}

pub fn status_label(lang: Lang, status: Status) -> &'static str {
    match (lang, status) {
        (Lang::En, Status::New) => "New",
        (Lang::En, Status::InProgress) => "In progress",
        (Lang::En, Status::Resolved) => "Resolved",
        (Lang::Nl, Status::New) => "Nieuw",
        (Lang::Nl, Status::InProgress) => "Wordt uitgevoerd",
        (Lang::Nl, Status::Resolved) => "Opgelost",
    }
}

pub fn verdict_label(lang: Lang, verdict: Verdict) -> &'static str {
    match (lang, verdict) {
        (Lang::En, Verdict::Unknown) => "Unknown",
        (Lang::En, Verdict::NoThreatsFound) => "No threats found",
        (Lang::En, Verdict::Suspicious) => "Suspicious",
        (Lang::En, Verdict::Malicious) => "Malicious",
        (Lang::Nl, Verdict::Unknown) => "Onbekend",
        (Lang::Nl, Verdict::NoThreatsFound) => "Geen bedreigingen gevonden",
        (Lang::Nl, Verdict::Suspicious) => "Verdacht",
        (Lang::Nl, Verdict::Malicious) => "Schadelijk",
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
        Lang::Nl => match kind {
            EntityKind::Device => "Apparaten",
            EntityKind::User => "Gebruikers",
            EntityKind::Mailbox => "Postvakken",
            EntityKind::MailMessage => "E-mailberichten",
            EntityKind::Ip => "IP-adressen",
            EntityKind::Url => "URL's",
            EntityKind::Domain => "Domeinen",
            EntityKind::File => "Bestanden",
            EntityKind::Process => "Processen",
            EntityKind::CloudApp => "Cloud-apps",
            EntityKind::RegistryKey => "Registersleutels",
            EntityKind::RegistryValue => "Registerwaarden",
            EntityKind::Other => "Overige entiteiten",
        },
    }
}

/// An entity kind in running text, singular: "device", "IP address"; "apparaat", "IP-adres".
pub fn kind_singular(lang: Lang, kind: EntityKind) -> &'static str {
    match lang {
        Lang::En => match kind {
            EntityKind::Device => "device",
            EntityKind::User => "user",
            EntityKind::Mailbox => "mailbox",
            EntityKind::MailMessage => "mail message",
            EntityKind::Ip => "IP address",
            EntityKind::Url => "URL",
            EntityKind::Domain => "domain",
            EntityKind::File => "file",
            EntityKind::Process => "process",
            EntityKind::CloudApp => "cloud app",
            EntityKind::RegistryKey => "registry key",
            EntityKind::RegistryValue => "registry value",
            EntityKind::Other => "entity",
        },
        Lang::Nl => match kind {
            EntityKind::Device => "apparaat",
            EntityKind::User => "gebruiker",
            EntityKind::Mailbox => "postvak",
            EntityKind::MailMessage => "e-mailbericht",
            EntityKind::Ip => "IP-adres",
            EntityKind::Url => "URL",
            EntityKind::Domain => "domein",
            EntityKind::File => "bestand",
            EntityKind::Process => "proces",
            EntityKind::CloudApp => "cloud-app",
            EntityKind::RegistryKey => "registersleutel",
            EntityKind::RegistryValue => "registerwaarde",
            EntityKind::Other => "entiteit",
        },
    }
}

/// The short tag before an impacted asset's name (shown in capitals): "device", "app".
pub fn kind_tag(lang: Lang, kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::CloudApp => "app",
        EntityKind::Ip => "IP",
        kind => kind_singular(lang, kind),
    }
}

/// "device ws-1" / "apparaat ws-1".
pub fn entity_ref(lang: Lang, kind: EntityKind, name: &str) -> String {
    format!("{} {name}", kind_singular(lang, kind))
}

fn kind_of(slug: &str) -> Option<EntityKind> {
    EntityKind::ALL.into_iter().find(|k| k.as_str() == slug)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A graph node's kind (`alert` or an entity kind's slug) as the legend names it.
pub fn node_kind_label(lang: Lang, kind: &str) -> String {
    if kind == "alert" {
        return t(lang, Text::AlertNode).to_owned();
    }
    match kind_of(kind) {
        Some(kind) => capitalized(kind_singular(lang, kind)),
        None => kind.replace('_', " "),
    }
}

/// A group node of the graph: "IP addresses: 41" / "IP-adressen: 41".
pub fn graph_group_label(lang: Lang, kind: &str, n: usize) -> String {
    let name = match kind_of(kind) {
        Some(kind) => kind_name(lang, kind).to_owned(),
        None => kind.replace('_', " "),
    };
    format!("{name}: {}", number(lang, n))
}

/// The playback position: "12 of 40 alerts" / "12 van 40 waarschuwingen".
pub fn graph_playback_status(lang: Lang, shown: usize, total: usize) -> String {
    match lang {
        Lang::En => format!("{} of {} alerts", number(lang, shown), number(lang, total)),
        Lang::Nl => format!(
            "{} van {} waarschuwingen",
            number(lang, shown),
            number(lang, total)
        ),
    }
}

/// What a shortened list leaves out: "and 12 more" / "en nog 12".
pub fn graph_more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("and {} more", number(lang, n)),
        Lang::Nl => format!("en nog {}", number(lang, n)),
    }
}

/// "12 nodes, 30 edges", the graph drawing's accessible name.
pub fn graph_summary(lang: Lang, nodes: usize, edges: usize) -> String {
    match lang {
        Lang::En => format!(
            "{} nodes, {} edges",
            number(lang, nodes),
            number(lang, edges)
        ),
        Lang::Nl => format!(
            "{} knooppunten, {} verbindingen",
            number(lang, nodes),
            number(lang, edges)
        ),
    }
}

/// Letters and digits only, lower case: `InitialAccess`, `Initial access` and
/// `initial_access` are one key.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A category (a MITRE ATT&CK tactic or one of Defender's other categories), raw as the export
/// spells it or as a label: "Initial access" / "Initiële toegang". Unknown categories are data
/// and keep their own words.
pub fn category_text(lang: Lang, category: &str) -> String {
    let label = alertweave_core::correlate::naming::category_label(category);
    match lang {
        Lang::En => label,
        Lang::Nl => match key(category).as_str() {
            "reconnaissance" => "Verkenning",
            "resourcedevelopment" => "Ontwikkeling van resources",
            "initialaccess" => "Initiële toegang",
            "execution" => "Uitvoering",
            "persistence" => "Persistentie",
            "privilegeescalation" => "Escalatie van bevoegdheden",
            "defenseevasion" => "Omzeiling van verdediging",
            "credentialaccess" => "Toegang tot referenties",
            "discovery" => "Detectie",
            "lateralmovement" => "Laterale verplaatsing",
            "collection" => "Verzameling",
            "commandandcontrol" => "Command and control",
            "exfiltration" => "Exfiltratie",
            "impact" => "Impact",
            "ransomware" => "Ransomware",
            "malware" => "Malware",
            "exploit" => "Exploit",
            "unwantedsoftware" => "Ongewenste software",
            "suspiciousactivity" => "Verdachte activiteit",
            "threatmanagement" => "Bedreigingsbeheer",
            "mailflow" => "E-mailstroom",
            "datalossprevention" => "Preventie van gegevensverlies",
            _ => return label,
        }
        .to_owned(),
    }
}

/// An automated investigation's state (Graph `investigationState`): "Pending approval" /
/// "Wacht op goedkeuring". Unknown values are data and keep their own words.
pub fn investigation_state_text(lang: Lang, state: &str) -> String {
    let label = alertweave_core::correlate::naming::category_label(state);
    match lang {
        Lang::En => label,
        Lang::Nl => match key(state).as_str() {
            "unknown" => "Onbekend",
            "running" => "Wordt uitgevoerd",
            "queued" => "In de wachtrij",
            "pendingapproval" => "Wacht op goedkeuring",
            "pendingresource" => "Wacht op resource",
            "benign" => "Onschadelijk",
            "nothreatsfound" => "Geen bedreigingen gevonden",
            "successfullyremediated" => "Hersteld",
            "partiallyremediated" => "Gedeeltelijk hersteld",
            "partiallyinvestigated" => "Gedeeltelijk onderzocht",
            "failed" => "Mislukt",
            "innerfailure" => "Interne fout",
            "terminated" => "Beëindigd",
            "terminatedbyuser" => "Beëindigd door gebruiker",
            "terminatedbysystem" => "Beëindigd door systeem",
            "unsupportedos" => "Besturingssysteem niet ondersteund",
            "unsupportedalerttype" => "Waarschuwingstype niet ondersteund",
            "suppressedalert" => "Onderdrukte waarschuwing",
            "preexistingalert" => "Al bestaande waarschuwing",
            _ => return label,
        }
        .to_owned(),
    }
}

/// An evidence remediation status (Graph `remediationStatus`), in running text: "not found" /
/// "niet gevonden".
pub fn remediation_text(lang: Lang, status: &str) -> String {
    let words = alertweave_core::correlate::naming::category_label(status).to_lowercase();
    match lang {
        Lang::En => words,
        Lang::Nl => match key(status).as_str() {
            "none" => "geen",
            "remediated" => "hersteld",
            "prevented" => "voorkomen",
            "blocked" => "geblokkeerd",
            "notfound" => "niet gevonden",
            "active" => "actief",
            "pendingapproval" => "wacht op goedkeuring",
            "declined" => "afgewezen",
            "unremediated" => "niet hersteld",
            "running" => "wordt uitgevoerd",
            "partiallyremediated" => "gedeeltelijk hersteld",
            "unknown" => "onbekend",
            _ => return words,
        }
        .to_owned(),
    }
}

/// An evidence role (Graph `roles`), in running text: "command and control" / "aanvaller".
pub fn role_text(lang: Lang, role: &str) -> String {
    let words = alertweave_core::correlate::naming::category_label(role).to_lowercase();
    match lang {
        Lang::En => words,
        Lang::Nl => match key(role).as_str() {
            "contextual" => "context",
            "scanned" => "gescand",
            "source" => "bron",
            "destination" => "bestemming",
            "created" => "gemaakt",
            "added" => "toegevoegd",
            "compromised" => "gecompromitteerd",
            "edited" => "bewerkt",
            "attacked" => "aangevallen",
            "attacker" => "aanvaller",
            "commandandcontrol" => "command and control",
            "loaded" => "geladen",
            "suspicious" => "verdacht",
            "policyviolator" => "beleidsovertreder",
            // Alertweave's own role for a file named only as a process's image.
            "processimage" => "image van een proces",
            "unknown" => "onbekend",
            _ => return words,
        }
        .to_owned(),
    }
}

/// Why an entity links nothing, or why two incidents were not joined through it.
pub fn reason_text(lang: Lang, reason: &NoLink) -> String {
    match (lang, reason) {
        (Lang::En, NoLink::BuiltIn) => "built-in account: identifies no one".to_owned(),
        (Lang::Nl, NoLink::BuiltIn) => "ingebouwd account: identificeert niemand".to_owned(),
        (Lang::En, NoLink::KindOff { kind }) => {
            format!("{} entities do not link (settings)", kind.as_str())
        }
        (Lang::Nl, NoLink::KindOff { kind }) => format!(
            "{} koppelen geen waarschuwingen (instellingen)",
            kind_name(lang, *kind)
        ),
        (Lang::En, NoLink::NeverLink) => "on the never-link list (settings)".to_owned(),
        (Lang::Nl, NoLink::NeverLink) => {
            "staat op de lijst Nooit koppelen (instellingen)".to_owned()
        }
        (Lang::En, NoLink::Weak) => "only weakly identified (a bare name)".to_owned(),
        (Lang::Nl, NoLink::Weak) => "alleen zwak geïdentificeerd (een losse naam)".to_owned(),
        (Lang::En, NoLink::Prevalent { n_alerts, threshold }) => {
            format!("too prevalent: in {n_alerts} alerts (noisy above {threshold})")
        }
        (Lang::Nl, NoLink::Prevalent { n_alerts, threshold }) => format!(
            "te algemeen: in {} (veelvoorkomend boven {})",
            counted(lang, *n_alerts, Noun::Alert),
            number(lang, *threshold)
        ),
        (Lang::En, NoLink::FansOut { n_fan_out, noisy_from }) => format!(
            "fans out: its alerts name {n_fan_out} or more different devices, users and mailboxes (noisy from {noisy_from})"
        ),
        (Lang::Nl, NoLink::FansOut { n_fan_out, noisy_from }) => format!(
            "waaiert uit: de waarschuwingen noemen {} of meer verschillende apparaten, gebruikers en postvakken (veelvoorkomend vanaf {})",
            number(lang, *n_fan_out),
            number(lang, *noisy_from)
        ),
        (Lang::En, NoLink::Recurs { n_alerts, n_days, noisy_from }) => format!(
            "recurs: in {n_alerts} alerts on {n_days} different days (noisy from {noisy_from})"
        ),
        (Lang::Nl, NoLink::Recurs { n_alerts, n_days, noisy_from }) => format!(
            "keert terug: in {} op {} verschillende dagen (veelvoorkomend vanaf {})",
            counted(lang, *n_alerts, Noun::Alert),
            number(lang, *n_days),
            number(lang, *noisy_from)
        ),
        (Lang::En, NoLink::RepeatedDetection { title, n_days }) => {
            format!("the same detection recurs: “{title}” on {n_days} different days")
        }
        (Lang::Nl, NoLink::RepeatedDetection { title, n_days }) => format!(
            "dezelfde detectie keert terug: “{title}” op {} verschillende dagen",
            number(lang, *n_days)
        ),
        (Lang::En, NoLink::RunawayGuard { max_alerts }) => {
            format!("one incident would exceed {max_alerts} alerts (the runaway guard)")
        }
        (Lang::Nl, NoLink::RunawayGuard { max_alerts }) => format!(
            "één incident zou meer dan {} bevatten (de begrenzing op incidentgrootte)",
            counted(lang, *max_alerts, Noun::Alert)
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The correlation settings panel.

/// The accessible name of a kind's time-window input: "Devices: time window in hours".
pub fn window_label(lang: Lang, kind: EntityKind) -> String {
    match lang {
        Lang::En => format!("{}: time window in hours", kind_name(lang, kind)),
        Lang::Nl => format!("{}: tijdvenster in uren", kind_name(lang, kind)),
    }
}

/// The accessible name of a kind's "links alerts" checkbox: "Devices link alerts".
pub fn links_label(lang: Lang, kind: EntityKind) -> String {
    match lang {
        Lang::En => format!("{} link alerts", kind_name(lang, kind)),
        Lang::Nl => format!("{} koppelen waarschuwingen", kind_name(lang, kind)),
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
            Invalid::Positive => Text::InvalidPositive,
        },
    )
}

/// "212 incidents → 187 incidents".
pub fn recorrelated_text(lang: Lang, before: usize, after: usize) -> String {
    format!(
        "{} → {}",
        incident_count(lang, before, before),
        incident_count(lang, after, after)
    )
}

/// One line of the "what changed" list.
pub fn change_text(lang: Lang, change: &Change) -> String {
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
            text.push_str(&match lang {
                Lang::En => format!(" and {more} more"),
                Lang::Nl => format!(" en nog {more}"),
            });
        }
        text
    };
    let days = |n: usize| match (lang, n) {
        (Lang::En, 0) => "0 (off)".to_owned(),
        (Lang::Nl, 0) => "0 (uit)".to_owned(),
        (_, n) => number(lang, n),
    };
    let n = |v: &usize| number(lang, *v);
    let percent = |v: &f64| format!("{}%", decimal(lang, v * 100.0));
    let hours = |v: &f64| decimal(lang, *v);
    match lang {
        Lang::En => match change {
            Change::Grouping(Grouping::Correlate) => "Grouping: Alertweave correlation".to_owned(),
            Change::Grouping(Grouping::SourceIncidents) => {
                "Grouping: the export's own incidents".to_owned()
            }
            Change::Window { kind, from, to } => format!(
                "{}: time window {} h → {} h",
                kind_name(lang, *kind),
                hours(from),
                hours(to)
            ),
            Change::NoisyMinAlerts { from, to } => {
                format!("Noisy entities, minimum alerts: {} → {}", n(from), n(to))
            }
            Change::NoisyShare { from, to } => format!(
                "Noisy entities, share of all alerts: {} → {}",
                percent(from),
                percent(to)
            ),
            Change::NoisyMinDays { from, to } => format!(
                "Noisy artifacts, distinct days: {} → {}",
                days(*from),
                days(*to)
            ),
            Change::NoisyFanOut { from, to } => {
                format!("Noisy entities, fan-out: {} → {}", n(from), n(to))
            }
            Change::MaxIncidentAlerts { from, to } => {
                format!("Most alerts in one incident: {} → {}", n(from), n(to))
            }
            Change::BurstMinAlerts { from, to } => {
                format!("Campaign, minimum alerts: {} → {}", n(from), n(to))
            }
            Change::BurstWindowHours { from, to } => {
                format!("Campaign window: {} h → {} h", hours(from), hours(to))
            }
            Change::BurstMinTargets { from, to } => {
                format!("Campaign, minimum targets: {} → {}", n(from), n(to))
            }
            Change::BackgroundDays { from, to } => format!(
                "Background neighbourhood: {} → {} days either side",
                hours(from),
                hours(to)
            ),
            Change::LinkKindsRemoved(list) => format!("No longer link: {}", kinds(list)),
            Change::LinkKindsAdded(list) => format!("Now link: {}", kinds(list)),
            Change::NeverLinkAdded(list) => format!("Never link, added: {}", values(list)),
            Change::NeverLinkRemoved(list) => format!("Never link, removed: {}", values(list)),
            Change::Other => "Other settings, from a settings file".to_owned(),
        },
        Lang::Nl => match change {
            Change::Grouping(Grouping::Correlate) => {
                "Groepering: correlatie door Alertweave".to_owned()
            }
            Change::Grouping(Grouping::SourceIncidents) => {
                "Groepering: de eigen incidenten van de export".to_owned()
            }
            Change::Window { kind, from, to } => format!(
                "{}: tijdvenster {} u → {} u",
                kind_name(lang, *kind),
                hours(from),
                hours(to)
            ),
            Change::NoisyMinAlerts { from, to } => format!(
                "Veelvoorkomende entiteiten, minimumaantal waarschuwingen: {} → {}",
                n(from),
                n(to)
            ),
            Change::NoisyShare { from, to } => format!(
                "Veelvoorkomende entiteiten, aandeel van alle waarschuwingen: {} → {}",
                percent(from),
                percent(to)
            ),
            Change::NoisyMinDays { from, to } => format!(
                "Veelvoorkomende artefacten, verschillende dagen: {} → {}",
                days(*from),
                days(*to)
            ),
            Change::NoisyFanOut { from, to } => format!(
                "Veelvoorkomende entiteiten, spreiding: {} → {}",
                n(from),
                n(to)
            ),
            Change::MaxIncidentAlerts { from, to } => format!(
                "Maximumaantal waarschuwingen per incident: {} → {}",
                n(from),
                n(to)
            ),
            Change::BurstMinAlerts { from, to } => format!(
                "Campagne, minimumaantal waarschuwingen: {} → {}",
                n(from),
                n(to)
            ),
            Change::BurstWindowHours { from, to } => {
                format!("Campagnevenster: {} u → {} u", hours(from), hours(to))
            }
            Change::BurstMinTargets { from, to } => format!(
                "Campagne, minimumaantal doelwitten: {} → {}",
                n(from),
                n(to)
            ),
            Change::BackgroundDays { from, to } => format!(
                "Omgeving voor de achtergrond: {} → {} dagen aan weerszijden",
                hours(from),
                hours(to)
            ),
            Change::LinkKindsRemoved(list) => format!("Koppelen niet meer: {}", kinds(list)),
            Change::LinkKindsAdded(list) => format!("Koppelen nu: {}", kinds(list)),
            Change::NeverLinkAdded(list) => {
                format!("Nooit koppelen, toegevoegd: {}", values(list))
            }
            Change::NeverLinkRemoved(list) => {
                format!("Nooit koppelen, verwijderd: {}", values(list))
            }
            Change::Other => "Andere instellingen, uit een instellingenbestand".to_owned(),
        },
    }
}

/// "“team.json” was not loaded: unknown field `x` … Nothing was changed."
pub fn settings_file_error(lang: Lang, file: &str, problem: &str) -> String {
    match lang {
        Lang::En => format!("“{file}” was not loaded: {problem}. Nothing was changed."),
        Lang::Nl => format!("“{file}” is niet geladen: {problem}. Er is niets gewijzigd."),
    }
}

/// "Loaded “team.json”: check the values, then Apply."
pub fn settings_file_loaded(lang: Lang, file: &str) -> String {
    match lang {
        Lang::En => format!("Loaded “{file}”: check the values, then Apply."),
        Lang::Nl => format!("“{file}” is geladen: controleer de waarden en kies dan Toepassen."),
    }
}

/// One manual change, for the activity log, in the interface's language.
pub fn change_description(lang: Lang, op: &alertweave_core::edits::Op) -> String {
    use alertweave_core::edits::Op;
    let nl = lang == Lang::Nl;
    let status = |s: Status| status_label(lang, s).to_lowercase();
    match op {
        Op::Rename { title, .. } if nl => format!("naam gewijzigd in “{title}”"),
        Op::Rename { title, .. } => format!("renamed to “{title}”"),
        Op::Assign { owner, .. } if owner.is_empty() => (if nl {
            "toewijzing verwijderd"
        } else {
            "unassigned"
        })
        .to_owned(),
        Op::Assign { owner, .. } if nl => format!("toegewezen aan {owner}"),
        Op::Assign { owner, .. } => format!("assigned to {owner}"),
        Op::SetStatus {
            status: s, note, ..
        } => {
            let head = if nl {
                format!("status gewijzigd in {}", status(*s))
            } else {
                format!("status set to {}", status(*s))
            };
            if note.is_empty() {
                head
            } else {
                format!("{head}: {note}")
            }
        }
        Op::Classify {
            classification,
            determination,
            ..
        } => {
            let mut text = if nl {
                format!(
                    "geclassificeerd als {}",
                    classification_text(lang, classification).to_lowercase()
                )
            } else {
                format!(
                    "classified as {}",
                    classification_text(lang, classification).to_lowercase()
                )
            };
            if !determination.is_empty() {
                text.push_str(&format!(
                    " ({})",
                    determination_text(lang, determination).to_lowercase()
                ));
            }
            text
        }
        Op::Tag { tag, add: true, .. } if nl => format!("tag “{tag}” toegevoegd"),
        Op::Tag { tag, add: true, .. } => format!("tag “{tag}” added"),
        Op::Tag { tag, .. } if nl => format!("tag “{tag}” verwijderd"),
        Op::Tag { tag, .. } => format!("tag “{tag}” removed"),
        Op::Comment { .. } => (if nl {
            "opmerking toegevoegd"
        } else {
            "commented"
        })
        .to_owned(),
        Op::SetSeverity { severity: None, .. } if nl => {
            "ernst weer die van de waarschuwingen".to_owned()
        }
        Op::SetSeverity { severity: None, .. } => "severity back to the alerts'".to_owned(),
        Op::SetSeverity {
            severity: Some(s), ..
        } => {
            let label = severity_label(lang, *s).to_lowercase();
            if nl {
                format!("ernst gewijzigd in {label}")
            } else {
                format!("severity set to {label}")
            }
        }
        Op::AlertStatus { alert, status: s } if nl => {
            format!(
                "status van waarschuwing {alert} gewijzigd in {}",
                status(*s)
            )
        }
        Op::AlertStatus { alert, status: s } => {
            format!("alert {alert} status set to {}", status(*s))
        }
        Op::AlertClassify {
            alert,
            classification,
            ..
        } => {
            let c = classification_text(lang, classification).to_lowercase();
            if nl {
                format!("waarschuwing {alert} geclassificeerd als {c}")
            } else {
                format!("alert {alert} classified as {c}")
            }
        }
        Op::Move {
            alert,
            to: Some(to),
        } if nl => {
            format!("waarschuwing {alert} verplaatst naar het incident van {to}")
        }
        Op::Move {
            alert,
            to: Some(to),
        } => format!("alert {alert} moved to the incident of {to}"),
        Op::Move { alert, to: None } if nl => {
            format!("waarschuwing {alert} naar een nieuw incident verplaatst")
        }
        Op::Move { alert, to: None } => format!("alert {alert} moved to a new incident"),
        Op::Merge { incidents } if nl => format!("{} incidenten samengevoegd", incidents.len()),
        Op::Merge { incidents } => format!("{} incidents merged", incidents.len()),
        Op::Split { alerts } if nl => {
            format!(
                "{} waarschuwingen afgesplitst naar een nieuw incident",
                alerts.len()
            )
        }
        Op::Split { alerts } => format!("{} alerts split into a new incident", alerts.len()),
        Op::Undo { seq } if nl => format!("wijziging {seq} ongedaan gemaakt"),
        Op::Undo { seq } => format!("change {seq} undone"),
    }
}

/// A classification as Graph writes it (`truePositive`...), in words.
pub fn classification_text(lang: Lang, value: &str) -> String {
    let text = match (lang, value) {
        (Lang::En, "truePositive") => "True positive",
        (Lang::En, "falsePositive") => "False positive",
        (Lang::En, "informationalExpectedActivity") => "Informational, expected activity",
        (Lang::Nl, "truePositive") => "Terecht positief",
        (Lang::Nl, "falsePositive") => "Fout-positief",
        (Lang::Nl, "informationalExpectedActivity") => "Informatief, verwachte activiteit",
        _ => return value.to_owned(),
    };
    text.to_owned()
}

/// A determination as Graph writes it (`multiStagedAttack`...), in words.
pub fn determination_text(lang: Lang, value: &str) -> String {
    let text = match (lang, value) {
        (Lang::En, "multiStagedAttack") => "Multi-staged attack",
        (Lang::En, "maliciousUserActivity") => "Malicious user activity",
        (Lang::En, "compromisedAccount") => "Compromised account",
        (Lang::En, "malware") => "Malware",
        (Lang::En, "phishing") => "Phishing",
        (Lang::En, "unwantedSoftware") => "Unwanted software",
        (Lang::En, "securityTesting") => "Security testing",
        (Lang::En, "lineOfBusinessApplication") => "Line-of-business application",
        (Lang::En, "confirmedActivity") => "Confirmed activity",
        (Lang::En, "notMalicious") => "Not malicious",
        (Lang::En, "notEnoughDataToValidate") => "Not enough data to validate",
        (Lang::En, "other") => "Other",
        (Lang::Nl, "multiStagedAttack") => "Aanval in meerdere fasen",
        (Lang::Nl, "maliciousUserActivity") => "Schadelijke gebruikersactiviteit",
        (Lang::Nl, "compromisedAccount") => "Gecompromitteerd account",
        (Lang::Nl, "malware") => "Malware",
        (Lang::Nl, "phishing") => "Phishing",
        (Lang::Nl, "unwantedSoftware") => "Ongewenste software",
        (Lang::Nl, "securityTesting") => "Beveiligingstests",
        (Lang::Nl, "lineOfBusinessApplication") => "Line-of-business-toepassing",
        (Lang::Nl, "confirmedActivity") => "Bevestigde activiteit",
        (Lang::Nl, "notMalicious") => "Niet schadelijk",
        (Lang::Nl, "notEnoughDataToValidate") => "Onvoldoende gegevens om te valideren",
        (Lang::Nl, "other") => "Overig",
        _ => return value.to_owned(),
    };
    text.to_owned()
}

/// A time preset's label: "Last week" / "Afgelopen week".
pub fn time_preset_label(lang: Lang, preset: alertweave_core::query::TimePreset) -> &'static str {
    use alertweave_core::query::TimePreset;
    match lang {
        Lang::En => match preset {
            TimePreset::Day => "Last day",
            TimePreset::ThreeDays => "Last 3 days",
            TimePreset::Week => "Last week",
            TimePreset::ThirtyDays => "Last 30 days",
            TimePreset::SixMonths => "Last 6 months",
        },
        Lang::Nl => match preset {
            TimePreset::Day => "Afgelopen dag",
            TimePreset::ThreeDays => "Afgelopen 3 dagen",
            TimePreset::Week => "Afgelopen week",
            TimePreset::ThirtyDays => "Afgelopen 30 dagen",
            TimePreset::SixMonths => "Afgelopen 6 maanden",
        },
    }
}

/// A histogram bar's tooltip: "12 incidents, 2026-03-01 06:00 – 12:00".
pub fn histogram_bar_text(lang: Lang, count: u32, from: &str, to: &str) -> String {
    format!(
        "{}, {from} – {to}",
        counted(lang, count as usize, Noun::Incident)
    )
}

/// "Severity: High, Medium" on a filter button, or its name alone when nothing is chosen.
pub fn filter_button_text(lang: Lang, name: &str, chosen: &[String]) -> String {
    let _ = lang;
    match chosen {
        [] => name.to_owned(),
        [one] => format!("{name}: {one}"),
        [one, rest @ ..] => format!("{name}: {one} +{}", rest.len()),
    }
}

// ---------------------------------------------------------------------------------------------
// Loading and the completeness report.

/// "Loading file 2 of 3: 12.5 MB of 40.0 MB, 1,200 records".
pub fn progress_text(
    lang: Lang,
    file: usize,
    n_files: usize,
    bytes: u64,
    total: u64,
    records: usize,
) -> String {
    let (file, n_files) = (number(lang, file + 1), number(lang, n_files));
    let (bytes, total) = (human_bytes(lang, bytes), human_bytes(lang, total));
    let records = counted(lang, records, Noun::Record);
    match lang {
        Lang::En => format!("Loading file {file} of {n_files}: {bytes} of {total}, {records}"),
        Lang::Nl => {
            format!("Bestand {file} van {n_files} wordt geladen: {bytes} van {total}, {records}")
        }
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
    let mut text = format!(
        "{} · {} · {}",
        counted(lang, files, Noun::File),
        counted(lang, alerts, Noun::Alert),
        counted(lang, incidents, Noun::Incident)
    );
    if duplicates > 0 {
        text.push_str(&match lang {
            Lang::En => format!(
                " · {} duplicate {} merged",
                number(lang, duplicates),
                noun(lang, Noun::Record, duplicates)
            ),
            Lang::Nl => format!(
                " · {} dubbele {} samengevoegd",
                number(lang, duplicates),
                noun(lang, Noun::Record, duplicates)
            ),
        });
    }
    text
}

/// The completeness report's findings as sentences.
pub fn completeness_findings(
    lang: Lang,
    c: &alertweave_core::analysis::Completeness,
) -> Vec<String> {
    let mut out = Vec::new();
    let sample = |ids: &[String]| match (lang, ids.is_empty()) {
        (_, true) => String::new(),
        (Lang::En, false) => format!(" (e.g. {})", ids.join(", ")),
        (Lang::Nl, false) => format!(" (bijv. {})", ids.join(", ")),
    };
    // "1 alert has" / "3 alerts have"; "1 waarschuwing heeft" / "3 waarschuwingen hebben".
    let alerts_have = |n: usize| {
        let verb = match (lang, n == 1) {
            (Lang::En, true) => "has",
            (Lang::En, false) => "have",
            (Lang::Nl, true) => "heeft",
            (Lang::Nl, false) => "hebben",
        };
        format!("{} {verb}", counted(lang, n, Noun::Alert))
    };
    let cap = number(lang, 30_000);
    if c.evidence_without_info.count > 0 {
        let who = alerts_have(c.evidence_without_info.count);
        let e_g = sample(&c.evidence_without_info.first);
        out.push(match lang {
            Lang::En => format!("{who} AlertEvidence rows but no AlertInfo row: their title, category and detection source may be missing{e_g}"),
            Lang::Nl => format!("{who} AlertEvidence-rijen maar geen AlertInfo-rij: titel, categorie en detectiebron kunnen ontbreken{e_g}"),
        });
    }
    if c.info_without_evidence.count > 0 {
        let who = alerts_have(c.info_without_evidence.count);
        let e_g = sample(&c.info_without_evidence.first);
        out.push(match lang {
            Lang::En => format!("{who} an AlertInfo row but no AlertEvidence rows: no entities, so nothing to correlate them by{e_g}"),
            Lang::Nl => format!("{who} een AlertInfo-rij maar geen AlertEvidence-rijen: geen entiteiten, dus niets om ze op te correleren{e_g}"),
        });
    }
    for file in &c.capped_files {
        out.push(match lang {
            Lang::En => format!("{file} has exactly {cap} records, the advanced-hunting result cap: the export is probably cut off"),
            Lang::Nl => format!("{file} bevat precies {cap} records, het maximum van een resultaat van geavanceerde opsporing: de export is waarschijnlijk afgekapt"),
        });
    }
    for (incident, missing, listed) in &c.incidents_missing_alerts {
        let (missing, listed_n) = (number(lang, *missing), counted(lang, *listed, Noun::Alert));
        out.push(match lang {
            Lang::En => format!("incident {incident} lists {listed_n}; {missing} of them are not in the loaded data"),
            Lang::Nl => format!("incident {incident} noemt {listed_n}; {missing} daarvan staan niet in de geladen gegevens"),
        });
    }
    for (from, to) in &c.redirected {
        out.push(match lang {
            Lang::En => format!("incident {from} was merged into incident {to}"),
            Lang::Nl => format!("incident {from} is samengevoegd met incident {to}"),
        });
    }
    if c.unscoped_alerts > 0 {
        let who = alerts_have(c.unscoped_alerts);
        out.push(match lang {
            Lang::En => format!("{who} private IP addresses or DOMAIN\\name accounts but no tenant id, and the data holds several tenants: those identifiers were not matched with any tenant's"),
            Lang::Nl => format!("{who} privé-IP-adressen of DOMEIN\\naam-accounts maar geen tenant-id, en de gegevens bevatten meerdere tenants: die identificatoren zijn met die van geen enkele tenant vergeleken"),
        });
    }
    out
}

/// "3 completeness findings".
pub fn findings_count(lang: Lang, n: usize) -> String {
    counted(lang, n, Noun::Finding)
}

/// "Load data to open incident aw-…".
pub fn load_to_open(lang: Lang, incident_id: &str) -> String {
    match lang {
        Lang::En => format!(
            "Load the data again to open incident {incident_id}: nothing is saved in this browser."
        ),
        Lang::Nl => format!(
            "Laad de gegevens opnieuw om incident {incident_id} te openen: in deze browser is niets opgeslagen."
        ),
    }
}

/// What became of a workspace file that could not be written or opened.
pub fn workspace_error(lang: Lang, error: &alertweave_core::workspace::WorkspaceError) -> String {
    use alertweave_core::workspace::{WorkspaceError as E, VERSION};
    match (lang, error) {
        (Lang::En, E::NotAWorkspace) => "This is not an Alertweave workspace file. Nothing changed.".to_owned(),
        (Lang::Nl, E::NotAWorkspace) => "Dit is geen Alertweave-werkruimtebestand. Er is niets gewijzigd.".to_owned(),
        (Lang::En, E::TooNew(v)) => format!("This workspace was written by a newer Alertweave (format {v}; this version reads up to format {VERSION}). Nothing changed."),
        (Lang::Nl, E::TooNew(v)) => format!("Deze werkruimte is geschreven door een nieuwere Alertweave (formaat {v}; deze versie leest tot formaat {VERSION}). Er is niets gewijzigd."),
        (Lang::En, E::NeedsPassphrase) => "This workspace is encrypted: type its passphrase and choose the file again.".to_owned(),
        (Lang::Nl, E::NeedsPassphrase) => "Deze werkruimte is versleuteld: typ de wachtwoordzin en kies het bestand opnieuw.".to_owned(),
        (Lang::En, E::WrongPassphrase) => "Wrong passphrase: the workspace was not opened. Nothing changed.".to_owned(),
        (Lang::Nl, E::WrongPassphrase) => "Onjuiste wachtwoordzin: de werkruimte is niet geopend. Er is niets gewijzigd.".to_owned(),
        (Lang::En, E::Tampered { chunk }) => format!("The workspace file was changed or damaged (block {} does not authenticate). Nothing changed.", chunk + 1),
        (Lang::Nl, E::Tampered { chunk }) => format!("Het werkruimtebestand is gewijzigd of beschadigd (blok {} is niet echt). Er is niets gewijzigd.", chunk + 1),
        (Lang::En, E::CutOff) => "The workspace file is cut off: its end is missing. Nothing changed.".to_owned(),
        (Lang::Nl, E::CutOff) => "Het werkruimtebestand is afgebroken: het einde ontbreekt. Er is niets gewijzigd.".to_owned(),
        (Lang::En, E::Damaged(why)) => format!("The workspace file is damaged ({why}). Nothing changed."),
        (Lang::Nl, E::Damaged(why)) => format!("Het werkruimtebestand is beschadigd ({why}). Er is niets gewijzigd."),
        (Lang::En, E::Io(why)) => format!("The workspace file could not be read or written: {why}"),
        (Lang::Nl, E::Io(why)) => format!("Het werkruimtebestand kon niet worden gelezen of geschreven: {why}"),
    }
}

/// "Workspace written: 1.2 MB, encrypted, in 2.3 s."
pub fn workspace_written(lang: Lang, bytes: u64, encrypted: bool, millis: f64) -> String {
    let took = if millis < 1000.0 {
        format!("{} ms", number(lang, millis.round() as usize))
    } else {
        format!("{} s", fixed(lang, millis / 1000.0, 1))
    };
    let size = human_bytes(lang, bytes);
    match (lang, encrypted) {
        (Lang::En, true) => format!("Workspace written: {size}, encrypted, in {took}."),
        (Lang::En, false) => format!("Workspace written: {size}, not encrypted, in {took}."),
        (Lang::Nl, true) => format!("Werkruimte geschreven: {size}, versleuteld, in {took}."),
        (Lang::Nl, false) => format!("Werkruimte geschreven: {size}, niet versleuteld, in {took}."),
    }
}

/// "Workspace opened: 1 file, 3 changes."
/// "3 of 12 shown".
pub fn shown_of(lang: Lang, shown: usize, all: usize) -> String {
    match lang {
        Lang::En => format!("{} of {} shown", number(lang, shown), number(lang, all)),
        Lang::Nl => format!("{} van {} getoond", number(lang, shown), number(lang, all)),
    }
}

pub fn workspace_opened(lang: Lang, files: usize, changes: usize) -> String {
    match lang {
        Lang::En => format!(
            "Workspace opened: {} {}, {} {}.",
            number(lang, files),
            if files == 1 { "file" } else { "files" },
            number(lang, changes),
            if changes == 1 { "change" } else { "changes" }
        ),
        Lang::Nl => format!(
            "Werkruimte geopend: {} {}, {} {}.",
            number(lang, files),
            if files == 1 { "bestand" } else { "bestanden" },
            number(lang, changes),
            if changes == 1 {
                "wijziging"
            } else {
                "wijzigingen"
            }
        ),
    }
}

/// "The demo data could not be loaded: HTTP 404".
pub fn demo_failed(lang: Lang, error: &str) -> String {
    format!("{}: {error}", t(lang, Text::DemoLoadFailed))
}

// ---------------------------------------------------------------------------------------------
// The incident page.

/// The readable sentence of one receipt.
pub fn receipt_sentence(lang: Lang, rule: &str, entity: &str, gap_seconds: i64) -> String {
    let when = apart(lang, gap_seconds);
    match (lang, rule) {
        (Lang::En, "source-incident") => format!("same incident in the export ({entity}), {when}"),
        (Lang::En, alertweave_core::edits::RULE_MANUAL_MERGE) => {
            format!("merged by hand ({entity}), {when}")
        }
        (Lang::En, alertweave_core::edits::RULE_MANUAL_MOVE) => {
            format!("moved here by hand ({entity}), {when}")
        }
        (Lang::En, alertweave_core::edits::RULE_MANUAL_KEPT) => {
            format!("kept together by hand ({entity}), {when}")
        }
        (Lang::Nl, alertweave_core::edits::RULE_MANUAL_MERGE) => {
            format!("met de hand samengevoegd ({entity}), {when}")
        }
        (Lang::Nl, alertweave_core::edits::RULE_MANUAL_MOVE) => {
            format!("met de hand hierheen verplaatst ({entity}), {when}")
        }
        (Lang::Nl, alertweave_core::edits::RULE_MANUAL_KEPT) => {
            format!("met de hand bij elkaar gehouden ({entity}), {when}")
        }
        (Lang::En, alertweave_core::correlate::RULE_CAMPAIGN) => {
            format!("one campaign from {entity}, {when}")
        }
        (Lang::Nl, alertweave_core::correlate::RULE_CAMPAIGN) => {
            format!("één campagne vanaf {entity}, {when}")
        }
        (Lang::En, _) => format!("share {entity}, {when}"),
        (Lang::Nl, "source-incident") => {
            format!("zelfde incident in de export ({entity}), {when}")
        }
        (Lang::Nl, _) => format!("delen {entity}, {when}"),
    }
}

/// How long a campaign lasted: "2 h 57 min", "45 min", "3 days"; Dutch "2 u 57 min".
pub fn span_text(lang: Lang, seconds: i64) -> String {
    let hours = match lang {
        Lang::En => "h",
        Lang::Nl => "u",
    };
    match seconds.max(0) {
        s if s < 7200 => human_duration(lang, s),
        s if s < 172_800 && (s % 3600) / 60 > 0 => {
            format!("{} {hours} {} min", s / 3600, (s % 3600) / 60)
        }
        s => human_duration(lang, s),
    }
}

/// A campaign in words: "IP address 192.0.2.66: 54 “Password spray” alerts against 54 accounts
/// within 2 h 57 min: one campaign".
pub fn campaign_sentence(lang: Lang, c: &alertweave_core::query::CampaignView) -> String {
    let source = entity_ref(lang, c.entity_kind, &c.entity_name);
    // Accounts are counted as accounts; devices and mailboxes with whatever else it targeted.
    let count = match c.target_kind {
        EntityKind::User => c.n_users,
        _ => c.n_targets,
    };
    let n_targets = number(lang, count);
    let targets = match (lang, c.target_kind) {
        (Lang::En, EntityKind::Device) => pick(count == 1, "device", "devices"),
        (Lang::En, EntityKind::Mailbox) => pick(count == 1, "mailbox", "mailboxes"),
        (Lang::En, _) => pick(count == 1, "account", "accounts"),
        (Lang::Nl, EntityKind::Device) => pick(count == 1, "apparaat", "apparaten"),
        (Lang::Nl, EntityKind::Mailbox) => pick(count == 1, "postvak", "postvakken"),
        (Lang::Nl, _) => pick(count == 1, "account", "accounts"),
    };
    let span = span_text(lang, c.span_seconds);
    let (n, k) = (number(lang, c.n_alerts), number(lang, c.n_detection));
    let detection = &c.detection;
    match (lang, c.n_detection == c.n_alerts) {
        (Lang::En, true) => format!(
            "{source}: {n} “{detection}” alerts against {n_targets} {targets} within {span}: one campaign"
        ),
        (Lang::En, false) => format!(
            "{source}: {n} alerts ({k} “{detection}”) against {n_targets} {targets} within {span}: one campaign"
        ),
        (Lang::Nl, true) => format!(
            "{source}: {n} waarschuwingen “{detection}” tegen {n_targets} {targets} binnen {span}: één campagne"
        ),
        (Lang::Nl, false) => format!(
            "{source}: {n} waarschuwingen ({k} “{detection}”) tegen {n_targets} {targets} binnen {span}: één campagne"
        ),
    }
}

/// What happened to a campaign's target afterwards in the incident: "then: Anomalous Token".
pub fn followed_by_text(lang: Lang, titles: &[String]) -> String {
    match lang {
        Lang::En => format!("then: {}", titles.join(", ")),
        Lang::Nl => format!("daarna: {}", titles.join(", ")),
    }
}

/// One related-not-joined incident: what it shares, why that did not join them, how far apart.
pub fn related_sentence(
    lang: Lang,
    kind: EntityKind,
    entity: &str,
    reason: &NoLink,
    gap_seconds: i64,
) -> String {
    let when = apart(lang, gap_seconds);
    let what = entity_ref(lang, kind, entity);
    let reason = reason_text(lang, reason);
    match lang {
        Lang::En => format!("shares {what}, {when}; not joined: {reason}"),
        Lang::Nl => format!("deelt {what}, {when}; niet samengevoegd: {reason}"),
    }
}

/// The whole load beside the exports' own incidents.
pub fn source_agreement_text(lang: Lang, a: &alertweave_core::analysis::SourceAgreement) -> String {
    let n = |v: usize| number(lang, v);
    let (pairwise, bcubed) = (fixed(lang, a.pairwise_f1, 2), fixed(lang, a.bcubed_f1, 2));
    match lang {
        Lang::En => format!(
            "Beside the exports' own incidents ({} alerts carry one): {} of {} incidents are the same, {} join several of the export's incidents, {} of the export's {} incidents are split here. Pairwise F1 {pairwise}, B-cubed F1 {bcubed}.",
            n(a.alerts_compared),
            n(a.same),
            n(a.incidents_compared),
            n(a.merged),
            n(a.sources_split),
            n(a.sources_compared),
        ),
        Lang::Nl => format!(
            "Naast de eigen incidenten van de exports ({} waarschuwingen hebben er een): {} van {} incidenten zijn gelijk, {} voegen meerdere incidenten van de export samen, {} van de {} incidenten van de export zijn hier gesplitst. Paarsgewijze F1 {pairwise}, B-cubed F1 {bcubed}.",
            n(a.alerts_compared),
            n(a.same),
            n(a.incidents_compared),
            n(a.merged),
            n(a.sources_split),
            n(a.sources_compared),
        ),
    }
}

/// One incident beside the exports' own grouping of its alerts.
pub fn source_comparison_text(
    lang: Lang,
    c: &alertweave_core::analysis::SourceComparison,
) -> String {
    let ids = c.source_incident_ids.join(", ");
    let n_ids = number(lang, c.source_incident_ids.len());
    let mut text = match (lang, c.same, c.merged) {
        (Lang::En, true, _) => format!("The same as the export's own incident {ids}."),
        (Lang::En, false, true) => format!("Joins {n_ids} of the export's incidents: {ids}."),
        (Lang::En, false, false) => format!("Part of the export's incident {ids}."),
        (Lang::Nl, true, _) => format!("Gelijk aan het eigen incident {ids} van de export."),
        (Lang::Nl, false, true) => {
            format!("Voegt {n_ids} incidenten van de export samen: {ids}.")
        }
        (Lang::Nl, false, false) => format!("Deel van incident {ids} van de export."),
    };
    let split = c.split_into.len();
    if split > 0 {
        let n = number(lang, split);
        text.push_str(&match (lang, split == 1) {
            (Lang::En, true) => " The export put more of its alerts with these, which are another incident here:".to_owned(),
            (Lang::En, false) => format!(" The export put more of its alerts with these, which are {n} other incidents here:"),
            (Lang::Nl, true) => " De export plaatste meer van zijn waarschuwingen bij deze, die hier een ander incident vormen:".to_owned(),
            (Lang::Nl, false) => format!(" De export plaatste meer van zijn waarschuwingen bij deze, die hier {n} andere incidenten vormen:"),
        });
    }
    let without = c.alerts_without_source;
    if without > 0 {
        let n = number(lang, without);
        text.push_str(&match (lang, without == 1) {
            (Lang::En, true) => " 1 of its alerts belongs to no incident of the export.".to_owned(),
            (Lang::En, false) => format!(" {n} of its alerts belong to no incident of the export."),
            (Lang::Nl, true) => {
                " 1 van zijn waarschuwingen hoort bij geen enkel incident van de export.".to_owned()
            }
            (Lang::Nl, false) => {
                format!(" {n} van zijn waarschuwingen horen bij geen enkel incident van de export.")
            }
        });
    }
    text
}

/// Why an incident is one part of a larger linked group.
pub fn split_note_text(lang: Lang, note: &alertweave_core::model::SplitNote) -> String {
    let (group, cap, parts) = (
        number(lang, note.group_alerts),
        number(lang, note.cap),
        number(lang, note.parts),
    );
    match lang {
        Lang::En => format!(
            "Runaway guard: these alerts are linked to others in a group of {group} alerts, more than the {cap} one incident may hold, so the group was split in time order into {parts} incidents. The links not taken are listed under Related, not joined."
        ),
        Lang::Nl => format!(
            "Begrenzing op incidentgrootte: deze waarschuwingen zijn gekoppeld aan andere in een groep van {group} waarschuwingen, meer dan de {cap} die één incident mag bevatten. Daarom is de groep in tijdsvolgorde gesplitst in {parts} incidenten. De koppelingen die niet zijn gemaakt, staan onder Verwant, niet samengevoegd."
        ),
    }
}

/// "Showing the 50 closest of 212".
/// "3 selected" / "3 geselecteerd".
pub fn selected_count(lang: Lang, n: usize) -> String {
    let n = number(lang, n);
    match lang {
        Lang::En => format!("{n} selected"),
        Lang::Nl => format!("{n} geselecteerd"),
    }
}

/// "Select all 12" / "Alle 12 selecteren".
pub fn select_all(lang: Lang, n: usize) -> String {
    let n = number(lang, n);
    match lang {
        Lang::En => format!("Select all {n}"),
        Lang::Nl => format!("Alle {n} selecteren"),
    }
}

pub fn showing_of(lang: Lang, shown: usize, total: usize) -> String {
    let (shown, total) = (number(lang, shown), number(lang, total));
    match lang {
        Lang::En => format!("Showing the {shown} closest of {total}."),
        Lang::Nl => format!("De {shown} dichtstbijzijnde van {total} worden getoond."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alertweave_core::analysis::{Completeness, SampledIds, SourceAgreement, SourceComparison};
    use alertweave_core::model::IncidentId;

    /// Fixed strings that are the same words in both languages.
    const SAME_IN_BOTH: &[Text] = &[
        Text::ColStatus,
        Text::TabGraph,
        Text::TimeUtc,
        Text::ColType,
        Text::ColDetails,
        Text::ColRecords,
        Text::Product,
        Text::ColTags,
        Text::StatusLabel,
        Text::BulkTagPlaceholder,
    ];

    /// English words that give away an untranslated Dutch string.
    fn looks_english(text: &str) -> bool {
        let lower = text
            .to_lowercase()
            .replace("alertinfo", "")
            .replace("alertevidence", "")
            .replace("alertweave", "")
            .replace("securityalert", "");
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        [
            "the", "alert", "alerts", "and", "not", "with", "entities", "time", "which",
        ]
        .iter()
        .any(|w| words.contains(w))
    }

    #[test]
    fn manual_changes_read_in_both_languages() {
        use alertweave_core::edits::Op;
        use alertweave_core::model::AlertId;
        let classify = Op::Classify {
            incident: AlertId::new("a"),
            classification: "truePositive".into(),
            determination: "multiStagedAttack".into(),
        };
        assert_eq!(
            change_description(Lang::En, &classify),
            "classified as true positive (multi-staged attack)"
        );
        assert_eq!(
            change_description(Lang::Nl, &classify),
            "geclassificeerd als terecht positief (aanval in meerdere fasen)"
        );
        let resolve = Op::SetStatus {
            incident: AlertId::new("a"),
            status: Status::Resolved,
            note: "klaar".into(),
        };
        assert_eq!(
            change_description(Lang::Nl, &resolve),
            "status gewijzigd in opgelost: klaar"
        );
        assert!(!looks_english(&change_description(
            Lang::Nl,
            &Op::Undo { seq: 3 }
        )));
    }

    #[test]
    fn every_text_has_an_english_and_a_dutch_string() {
        assert!(Text::ALL.len() > 140, "Text::ALL lists {}", Text::ALL.len());
        for &text in Text::ALL {
            for lang in Lang::ALL {
                let s = t(lang, text);
                assert!(!s.trim().is_empty(), "{text:?} is empty in {lang:?}");
                assert_eq!(s, s.trim(), "{text:?} has outer spaces in {lang:?}");
            }
            let (en, nl) = (t(Lang::En, text), t(Lang::Nl, text));
            if SAME_IN_BOTH.contains(&text) {
                assert_eq!(en, nl, "{text:?} is listed as the same in both");
            } else {
                assert_ne!(en, nl, "{text:?} is not translated");
            }
            assert!(!looks_english(nl), "{text:?} reads as English: {nl}");
        }
    }

    #[test]
    fn the_glossary_terms_are_used() {
        let nl = |text| t(Lang::Nl, text);
        assert_eq!(nl(Text::Incidents), "Incidenten");
        assert_eq!(nl(Text::TabSummary), "Overzicht");
        assert_eq!(nl(Text::TabAlerts), "Waarschuwingen");
        assert_eq!(nl(Text::TabDevices), "Apparaten");
        assert_eq!(nl(Text::TabUsers), "Gebruikers");
        assert_eq!(nl(Text::TabMailboxes), "Postvakken");
        assert_eq!(nl(Text::TabInvestigations), "Onderzoeken");
        assert_eq!(nl(Text::TabEvidence), "Bewijs en antwoord");
        assert_eq!(nl(Text::ColSeverity), "Ernst");
        assert_eq!(nl(Text::Scope), "Bereik");
        assert_eq!(nl(Text::ColImpactedAssets), "Betrokken assets");
        assert_eq!(nl(Text::ColFirstActivity), "Eerste activiteit");
        assert_eq!(nl(Text::LoadDemo), "Demogegevens laden");
        assert_eq!(
            status_label(Lang::Nl, Status::InProgress),
            "Wordt uitgevoerd"
        );
        assert_eq!(status_label(Lang::Nl, Status::Resolved), "Opgelost");
        assert_eq!(verdict_label(Lang::Nl, Verdict::Malicious), "Schadelijk");
        assert_eq!(
            verdict_label(Lang::Nl, Verdict::NoThreatsFound),
            "Geen bedreigingen gevonden"
        );
    }

    #[test]
    fn enumerations_are_translated() {
        let severities = [
            Severity::Unknown,
            Severity::Informational,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ];
        for s in severities {
            assert_ne!(severity_label(Lang::En, s), severity_label(Lang::Nl, s));
        }
        for s in [Status::New, Status::InProgress, Status::Resolved] {
            assert_ne!(status_label(Lang::En, s), status_label(Lang::Nl, s));
        }
        for v in [
            Verdict::Unknown,
            Verdict::NoThreatsFound,
            Verdict::Suspicious,
            Verdict::Malicious,
        ] {
            assert_ne!(verdict_label(Lang::En, v), verdict_label(Lang::Nl, v));
        }
        for k in EntityKind::ALL {
            assert_ne!(kind_name(Lang::En, k), kind_name(Lang::Nl, k), "{k:?}");
            assert!(!kind_singular(Lang::Nl, k).is_empty());
            assert!(!node_kind_label(Lang::Nl, k.as_str()).is_empty());
        }
        assert_eq!(node_kind_label(Lang::Nl, "alert"), "Waarschuwing");
        assert_eq!(node_kind_label(Lang::Nl, "cloud_app"), "Cloud-app");
        assert_eq!(node_kind_label(Lang::En, "ip"), "IP address");
        assert_eq!(
            entity_ref(Lang::Nl, EntityKind::Device, "ws-1"),
            "apparaat ws-1"
        );
    }

    #[test]
    fn every_known_category_has_a_dutch_name() {
        for (raw, dutch) in [
            ("InitialAccess", "Initiële toegang"),
            ("Initial access", "Initiële toegang"),
            ("lateral_movement", "Laterale verplaatsing"),
            ("CredentialAccess", "Toegang tot referenties"),
            ("SuspiciousActivity", "Verdachte activiteit"),
        ] {
            assert_eq!(category_text(Lang::Nl, raw), dutch);
        }
        assert_eq!(category_text(Lang::En, "InitialAccess"), "Initial access");
        // Unknown categories are data: their own words.
        assert_eq!(category_text(Lang::Nl, "CustomThing"), "Custom thing");
        // Every category correlation orders has a Dutch name different from the English one,
        // except the loan words Dutch keeps.
        let kept = [
            "Impact",
            "Ransomware",
            "Malware",
            "Exploit",
            "Command and control",
        ];
        for raw in [
            "Reconnaissance",
            "ResourceDevelopment",
            "InitialAccess",
            "Execution",
            "Persistence",
            "PrivilegeEscalation",
            "DefenseEvasion",
            "CredentialAccess",
            "Discovery",
            "LateralMovement",
            "Collection",
            "CommandAndControl",
            "Exfiltration",
            "Impact",
            "Ransomware",
            "Malware",
            "Exploit",
            "UnwantedSoftware",
            "SuspiciousActivity",
        ] {
            let (en, nl) = (category_text(Lang::En, raw), category_text(Lang::Nl, raw));
            assert!(kept.contains(&nl.as_str()) || en != nl, "{raw}: {nl}");
        }
        assert_eq!(
            investigation_state_text(Lang::Nl, "pendingApproval"),
            "Wacht op goedkeuring"
        );
        assert_eq!(
            investigation_state_text(Lang::En, "unsupportedAlertType"),
            "Unsupported alert type"
        );
        assert_eq!(remediation_text(Lang::En, "notFound"), "not found");
        assert_eq!(remediation_text(Lang::Nl, "prevented"), "voorkomen");
        assert_eq!(role_text(Lang::Nl, "attacker"), "aanvaller");
        assert_ne!(
            role_text(Lang::Nl, alertweave_core::ingest::ROLE_PROCESS_IMAGE),
            role_text(Lang::En, alertweave_core::ingest::ROLE_PROCESS_IMAGE)
        );
        assert_eq!(
            role_text(Lang::En, "commandAndControl"),
            "command and control"
        );
    }

    #[test]
    fn languages_are_read_from_codes_and_the_browser() {
        assert_eq!(Lang::from_code("nl"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("NL_nl"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_code(""), None);
        assert_eq!(Lang::from_browser(["nl-NL", "en-US"]), Lang::Nl);
        assert_eq!(Lang::from_browser(["de-DE", "nl"]), Lang::Nl);
        assert_eq!(Lang::from_browser(["fr-FR"]), Lang::En);
        assert_eq!(Lang::from_browser([]), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }

    #[test]
    fn numbers_plurals_sizes_and_durations_per_language() {
        assert_eq!(number(Lang::En, 30_000), "30,000");
        assert_eq!(number(Lang::Nl, 30_000), "30.000");
        assert_eq!(number(Lang::Nl, 1_234_567), "1.234.567");
        assert_eq!(number(Lang::Nl, 999), "999");
        assert_eq!(number(Lang::En, 0), "0");
        assert_eq!(decimal(Lang::Nl, 0.5), "0,5");
        assert_eq!(decimal(Lang::En, 0.5), "0.5");

        assert_eq!(incident_count(Lang::En, 3, 3), "3 incidents");
        assert_eq!(incident_count(Lang::En, 1, 1), "1 incident");
        assert_eq!(incident_count(Lang::En, 2, 9), "2 of 9 incidents");
        assert_eq!(incident_count(Lang::Nl, 1, 1), "1 incident");
        assert_eq!(incident_count(Lang::Nl, 3, 3), "3 incidenten");
        assert_eq!(
            incident_count(Lang::Nl, 2, 12_000),
            "2 van 12.000 incidenten"
        );
        assert_eq!(alerts_count(Lang::Nl, 1), "1 waarschuwing");
        assert_eq!(alerts_count(Lang::Nl, 4), "4 waarschuwingen");
        assert_eq!(alerts_count(Lang::En, 1), "1 alert");
        assert_eq!(findings_count(Lang::Nl, 1), "1 bevinding over volledigheid");
        assert_eq!(findings_count(Lang::En, 2), "2 completeness findings");

        assert_eq!(human_bytes(Lang::En, 1536), "1.5 KB");
        assert_eq!(human_bytes(Lang::Nl, 1536), "1,5 KB");
        assert_eq!(human_bytes(Lang::Nl, 512), "512 B");
        assert_eq!(human_duration(Lang::En, 5400), "90 min");
        assert_eq!(human_duration(Lang::En, 0), "0 s");
        assert_eq!(human_duration(Lang::En, 10_800), "3 h");
        assert_eq!(human_duration(Lang::Nl, 10_800), "3 u");
        assert_eq!(human_duration(Lang::Nl, 3 * 86_400), "3 dagen");

        assert_eq!(
            load_summary_text(Lang::En, 1, 1, 1, 0),
            "1 file · 1 alert · 1 incident"
        );
        assert_eq!(
            load_summary_text(Lang::En, 8, 14, 11, 12),
            "8 files · 14 alerts · 11 incidents · 12 duplicate records merged"
        );
        assert_eq!(
            load_summary_text(Lang::Nl, 3, 2_150, 42, 1),
            "3 bestanden · 2.150 waarschuwingen · 42 incidenten · 1 dubbele record samengevoegd"
        );
        assert_eq!(
            progress_text(Lang::Nl, 1, 3, 1536, 3 * 1048576, 1200),
            "Bestand 2 van 3 wordt geladen: 1,5 KB van 3,0 MB, 1.200 records"
        );
    }

    #[test]
    fn receipts_and_related_incidents_read_naturally() {
        assert_eq!(
            receipt_sentence(Lang::En, "shared-entity", "device ws-1", 0),
            "share device ws-1, at overlapping times"
        );
        assert_eq!(
            receipt_sentence(Lang::Nl, "shared-entity", "apparaat ws-1", 300),
            "delen apparaat ws-1, 5 min uit elkaar"
        );
        assert_eq!(
            receipt_sentence(Lang::Nl, "source-incident", "incidentId 7", 0),
            "zelfde incident in de export (incidentId 7), op overlappende tijden"
        );
        assert_eq!(
            related_sentence(
                Lang::Nl,
                EntityKind::Device,
                "dc01",
                &NoLink::Prevalent {
                    n_alerts: 45,
                    threshold: 30
                },
                7200
            ),
            "deelt apparaat dc01, 2 u uit elkaar; niet samengevoegd: te algemeen: in 45 waarschuwingen (veelvoorkomend boven 30)"
        );
        assert_eq!(
            related_sentence(Lang::En, EntityKind::Ip, "10.0.0.1", &NoLink::NeverLink, 0),
            "shares IP address 10.0.0.1, at overlapping times; not joined: on the never-link list (settings)"
        );
    }

    #[test]
    fn a_campaign_is_told_in_words_in_both_languages() {
        let c = alertweave_core::query::CampaignView {
            entity_id: alertweave_core::model::EntityId::new("e"),
            entity_kind: EntityKind::Ip,
            entity_name: "192.0.2.66".to_owned(),
            detection: "Password spray".to_owned(),
            n_detection: 42,
            n_alerts: 42,
            n_targets: 41,
            n_users: 41,
            target_kind: EntityKind::User,
            span_seconds: 2 * 3600 + 40 * 60,
            targets: Vec::new(),
        };
        assert_eq!(
            campaign_sentence(Lang::En, &c),
            "IP address 192.0.2.66: 42 “Password spray” alerts against 41 accounts within 2 h 40 min: one campaign"
        );
        assert_eq!(
            campaign_sentence(Lang::Nl, &c),
            "IP-adres 192.0.2.66: 42 waarschuwingen “Password spray” tegen 41 accounts binnen 2 u 40 min: één campagne"
        );
        let mixed = alertweave_core::query::CampaignView {
            n_detection: 3,
            n_alerts: 9,
            n_targets: 3,
            n_users: 0,
            target_kind: EntityKind::Device,
            span_seconds: 3 * 3600,
            ..c.clone()
        };
        assert_eq!(
            campaign_sentence(Lang::En, &mixed),
            "IP address 192.0.2.66: 9 alerts (3 “Password spray”) against 3 devices within 3 h: one campaign"
        );
        assert_eq!(span_text(Lang::En, 45 * 60), "45 min");
        assert_eq!(span_text(Lang::Nl, 3 * 3600), "3 u");
        assert_eq!(
            receipt_sentence(Lang::Nl, "campaign", "IP-adres 192.0.2.66", 180),
            "één campagne vanaf IP-adres 192.0.2.66, 3 min uit elkaar"
        );
    }

    #[test]
    fn correlation_reasons_are_translated() {
        let title = "Suspicious “quoted” logon".to_owned();
        let cases = [
            (NoLink::BuiltIn, "built-in account: identifies no one", "ingebouwd account: identificeert niemand"),
            (NoLink::KindOff { kind: EntityKind::CloudApp }, "cloud_app entities do not link (settings)", "Cloud-apps koppelen geen waarschuwingen (instellingen)"),
            (NoLink::NeverLink, "on the never-link list (settings)", "staat op de lijst Nooit koppelen (instellingen)"),
            (NoLink::Weak, "only weakly identified (a bare name)", "alleen zwak geïdentificeerd (een losse naam)"),
            (NoLink::Prevalent { n_alerts: 1200, threshold: 30 }, "too prevalent: in 1200 alerts (noisy above 30)", "te algemeen: in 1.200 waarschuwingen (veelvoorkomend boven 30)"),
            (
                NoLink::FansOut { n_fan_out: 12, noisy_from: 12 },
                "fans out: its alerts name 12 or more different devices, users and mailboxes (noisy from 12)",
                "waaiert uit: de waarschuwingen noemen 12 of meer verschillende apparaten, gebruikers en postvakken (veelvoorkomend vanaf 12)",
            ),
            (NoLink::Recurs { n_alerts: 9, n_days: 5, noisy_from: 4 }, "recurs: in 9 alerts on 5 different days (noisy from 4)", "keert terug: in 9 waarschuwingen op 5 verschillende dagen (veelvoorkomend vanaf 4)"),
            (
                NoLink::RepeatedDetection { title, n_days: 6 },
                "the same detection recurs: “Suspicious “quoted” logon” on 6 different days",
                "dezelfde detectie keert terug: “Suspicious “quoted” logon” op 6 verschillende dagen",
            ),
            (NoLink::RunawayGuard { max_alerts: 500 }, "one incident would exceed 500 alerts (the runaway guard)", "één incident zou meer dan 500 waarschuwingen bevatten (de begrenzing op incidentgrootte)"),
        ];
        for (reason, en, nl) in cases {
            assert_eq!(reason_text(Lang::En, &reason), en);
            assert_eq!(reason_text(Lang::Nl, &reason), nl);
        }
    }

    #[test]
    fn reports_read_naturally_in_dutch() {
        let c = Completeness {
            evidence_without_info: SampledIds {
                count: 1,
                first: vec!["da1".to_owned()],
            },
            info_without_evidence: SampledIds {
                count: 3,
                first: vec![],
            },
            capped_files: vec!["ah.csv".to_owned()],
            incidents_missing_alerts: vec![("42".to_owned(), 2, 5)],
            redirected: vec![("7".to_owned(), "8".to_owned())],
            unscoped_alerts: 2,
            ..Completeness::default()
        };
        let findings = completeness_findings(Lang::Nl, &c);
        assert_eq!(findings.len(), 6);
        assert!(findings[0].starts_with("1 waarschuwing heeft AlertEvidence-rijen"));
        assert!(findings[0].ends_with("(bijv. da1)"));
        assert!(findings[1].starts_with("3 waarschuwingen hebben een AlertInfo-rij"));
        assert!(findings[2].contains("precies 30.000 records"));
        assert_eq!(
            findings[3],
            "incident 42 noemt 5 waarschuwingen; 2 daarvan staan niet in de geladen gegevens"
        );
        assert_eq!(findings[4], "incident 7 is samengevoegd met incident 8");
        assert_eq!(completeness_findings(Lang::En, &c).len(), 6);
        for f in &findings {
            assert!(!looks_english(f), "{f}");
        }

        let a = SourceAgreement {
            alerts_compared: 1200,
            incidents_compared: 10,
            same: 8,
            merged: 1,
            sources_compared: 11,
            sources_split: 2,
            pairwise_f1: 0.985,
            bcubed_f1: 0.9912,
        };
        let text = source_agreement_text(Lang::Nl, &a);
        assert!(text.starts_with("Naast de eigen incidenten van de exports (1.200 waarschuwingen hebben er een): 8 van 10 incidenten zijn gelijk"), "{text}");
        assert!(
            text.ends_with("Paarsgewijze F1 0,98, B-cubed F1 0,99."),
            "{text}"
        );

        let comparison = SourceComparison {
            source_incident_ids: vec!["5".to_owned(), "6".to_owned()],
            same: false,
            merged: true,
            split_into: vec![IncidentId::new("aw-1")],
            alerts_without_source: 1,
        };
        assert_eq!(
            source_comparison_text(Lang::Nl, &comparison),
            "Voegt 2 incidenten van de export samen: 5, 6. De export plaatste meer van zijn waarschuwingen bij deze, die hier een ander incident vormen: 1 van zijn waarschuwingen hoort bij geen enkel incident van de export."
        );
        assert_eq!(
            source_comparison_text(Lang::En, &comparison),
            "Joins 2 of the export's incidents: 5, 6. The export put more of its alerts with these, which are another incident here: 1 of its alerts belongs to no incident of the export."
        );
        let note = alertweave_core::model::SplitNote {
            group_alerts: 1200,
            parts: 3,
            cap: 500,
        };
        assert!(split_note_text(Lang::Nl, &note).contains("een groep van 1.200 waarschuwingen"));
        assert_eq!(
            showing_of(Lang::Nl, 50, 212),
            "De 50 dichtstbijzijnde van 212 worden getoond."
        );
        assert_eq!(
            graph_summary(Lang::Nl, 12, 30),
            "12 knooppunten, 30 verbindingen"
        );
    }

    #[test]
    fn graph_texts_per_language() {
        assert_eq!(
            graph_group_label(Lang::En, "ip", 1_200),
            "IP addresses: 1,200"
        );
        assert_eq!(
            graph_group_label(Lang::Nl, "ip", 1_200),
            "IP-adressen: 1.200"
        );
        assert_eq!(graph_playback_status(Lang::En, 3, 40), "3 of 40 alerts");
        assert_eq!(
            graph_playback_status(Lang::Nl, 3, 40),
            "3 van 40 waarschuwingen"
        );
        assert_eq!(graph_more(Lang::Nl, 12), "en nog 12");
    }

    #[test]
    fn settings_changes_read_naturally() {
        assert_eq!(
            recorrelated_text(Lang::En, 212, 1),
            "212 incidents → 1 incident"
        );
        assert_eq!(
            recorrelated_text(Lang::Nl, 1212, 1),
            "1.212 incidenten → 1 incident"
        );
        let window = Change::Window {
            kind: EntityKind::Device,
            from: 24.0,
            to: 0.5,
        };
        assert_eq!(
            change_text(Lang::En, &window),
            "Devices: time window 24 h → 0.5 h"
        );
        assert_eq!(
            change_text(Lang::Nl, &window),
            "Apparaten: tijdvenster 24 u → 0,5 u"
        );
        let share = Change::NoisyShare {
            from: 0.1,
            to: 0.075,
        };
        assert_eq!(
            change_text(Lang::En, &share),
            "Noisy entities, share of all alerts: 10% → 7.5%"
        );
        assert_eq!(
            change_text(Lang::Nl, &share),
            "Veelvoorkomende entiteiten, aandeel van alle waarschuwingen: 10% → 7,5%"
        );
        assert_eq!(
            change_text(
                Lang::En,
                &Change::LinkKindsRemoved(vec![EntityKind::Ip, EntityKind::Url])
            ),
            "No longer link: IP addresses, URLs"
        );
        assert_eq!(
            change_text(
                Lang::Nl,
                &Change::LinkKindsRemoved(vec![EntityKind::Ip, EntityKind::Url])
            ),
            "Koppelen niet meer: IP-adressen, URL's"
        );
        let many: Vec<String> = (1..=7).map(|i| format!("10.0.0.{i}")).collect();
        assert_eq!(
            change_text(Lang::En, &Change::NeverLinkAdded(many.clone())),
            "Never link, added: 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5 and 2 more"
        );
        assert_eq!(
            change_text(Lang::Nl, &Change::NeverLinkAdded(many)),
            "Nooit koppelen, toegevoegd: 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5 en nog 2"
        );
        assert_eq!(
            change_text(Lang::En, &Change::NoisyMinDays { from: 4, to: 0 }),
            "Noisy artifacts, distinct days: 4 → 0 (off)"
        );
        assert_eq!(
            change_text(Lang::Nl, &Change::NoisyMinDays { from: 4, to: 0 }),
            "Veelvoorkomende artefacten, verschillende dagen: 4 → 0 (uit)"
        );
        assert_eq!(
            window_label(Lang::En, EntityKind::Ip),
            "IP addresses: time window in hours"
        );
        assert_eq!(
            window_label(Lang::Nl, EntityKind::Ip),
            "IP-adressen: tijdvenster in uren"
        );
        // Every kind of change has a Dutch line that is not the English one.
        let all = [
            Change::Grouping(Grouping::Correlate),
            Change::Grouping(Grouping::SourceIncidents),
            window,
            Change::NoisyMinAlerts { from: 5, to: 6 },
            share,
            Change::NoisyMinDays { from: 4, to: 5 },
            Change::NoisyFanOut { from: 12, to: 10 },
            Change::MaxIncidentAlerts {
                from: 500,
                to: 1000,
            },
            Change::LinkKindsRemoved(vec![EntityKind::Ip]),
            Change::LinkKindsAdded(vec![EntityKind::Url]),
            Change::NeverLinkAdded(vec!["x".to_owned()]),
            Change::NeverLinkRemoved(vec!["x".to_owned()]),
            Change::Other,
        ];
        for change in &all {
            let (en, nl) = (change_text(Lang::En, change), change_text(Lang::Nl, change));
            assert_ne!(en, nl);
            assert!(!looks_english(&nl), "{nl}");
        }
        assert_eq!(
            change_text(
                Lang::Nl,
                &Change::MaxIncidentAlerts {
                    from: 500,
                    to: 1000
                }
            ),
            "Maximumaantal waarschuwingen per incident: 500 → 1.000"
        );
    }
}
