//! What this browser keeps (`localStorage`), as plain Rust: the interface language and colour
//! theme (`static/boot.js` applies them before the app starts, so a reload never flashes the
//! other theme), and the queue's columns, in their order, and named filter sets.

use super::route::{parse_queue, queue_query};
use alertweave_core::query::{QueueSpec, SortColumn};
use alertweave_text::i18n::{Lang, Text};
use serde::{Deserialize, Serialize};

/// `localStorage` key of the chosen language (`en` / `nl`).
pub const LANG_KEY: &str = "alertweave.lang";
/// `localStorage` key of the chosen theme (`light` / `dark`; absent: follow the system).
pub const THEME_KEY: &str = "alertweave.theme";

/// The colour theme: the system's (`prefers-color-scheme`), or one chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The switch's value and the stored value; `system` is stored as no value at all.
    pub fn code(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_code(code: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    /// The `data-theme` attribute `<html>` carries; `None` lets the stylesheet follow the system.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    pub fn label(self) -> Text {
        match self {
            Theme::System => Text::ThemeSystem,
            Theme::Light => Text::ThemeLight,
            Theme::Dark => Text::ThemeDark,
        }
    }
}

/// The language to start in: the one kept in this browser, else the browser's preferred one
/// the interface speaks (`nl*` → Dutch), else English.
pub fn initial_lang<'a>(kept: Option<&str>, preferred: impl IntoIterator<Item = &'a str>) -> Lang {
    kept.and_then(Lang::from_code)
        .unwrap_or_else(|| Lang::from_browser(preferred))
}

/// The theme to start in: the one kept in this browser, else the system's.
pub fn initial_theme(kept: Option<&str>) -> Theme {
    kept.and_then(Theme::from_code).unwrap_or_default()
}

/// `localStorage` keys.
pub const COLUMNS_KEY: &str = "alertweave.queue.columns";
pub const SAVED_KEY: &str = "alertweave.queue.saved";

/// The columns a first visit shows (they fit a 1400-pixel window; the rest are one click
/// away in the column chooser).
pub const DEFAULT_COLUMNS: [SortColumn; 9] = [
    SortColumn::Name,
    SortColumn::Id,
    SortColumn::Severity,
    SortColumn::Status,
    SortColumn::Categories,
    SortColumn::ImpactedAssets,
    SortColumn::ActiveAlerts,
    SortColumn::ServiceSources,
    SortColumn::LastActivity,
];

/// The incident name is always shown: it is the link that opens the incident.
pub const FIXED_COLUMN: SortColumn = SortColumn::Name;

/// Reads a kept column list (`name,id,severity`): unknown and repeated keys are skipped, the
/// name column is kept first when missing; nothing usable gives the defaults.
pub fn parse_columns(text: &str) -> Vec<SortColumn> {
    let mut columns: Vec<SortColumn> = Vec::new();
    for column in text
        .split(',')
        .filter_map(|k| SortColumn::from_key(k.trim()))
    {
        if !columns.contains(&column) {
            columns.push(column);
        }
    }
    if columns.is_empty() {
        return DEFAULT_COLUMNS.to_vec();
    }
    if !columns.contains(&FIXED_COLUMN) {
        columns.insert(0, FIXED_COLUMN);
    }
    columns
}

pub fn columns_text(columns: &[SortColumn]) -> String {
    columns
        .iter()
        .map(|c| c.key())
        .collect::<Vec<_>>()
        .join(",")
}

/// Shows or hides a column (a shown column is added at the end; the name column stays).
pub fn toggle_column(columns: &[SortColumn], column: SortColumn) -> Vec<SortColumn> {
    if columns.contains(&column) {
        if column == FIXED_COLUMN {
            return columns.to_vec();
        }
        columns.iter().copied().filter(|&c| c != column).collect()
    } else {
        let mut next = columns.to_vec();
        next.push(column);
        next
    }
}

/// Moves a shown column one place left (`-1`) or right (`1`).
pub fn move_column(columns: &[SortColumn], column: SortColumn, by: isize) -> Vec<SortColumn> {
    let mut next = columns.to_vec();
    if let Some(at) = next.iter().position(|&c| c == column) {
        let to = at as isize + by;
        if to >= 0 && (to as usize) < next.len() {
            next.swap(at, to as usize);
        }
    }
    next
}

/// A named filter set: the queue address's query (search, filters and sort).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFilter {
    pub name: String,
    pub query: String,
}

impl SavedFilter {
    pub fn spec(&self) -> QueueSpec {
        parse_queue(&self.query)
    }
}

/// Reads the kept filter sets; anything unreadable is no filter set.
pub fn parse_saved(text: &str) -> Vec<SavedFilter> {
    serde_json::from_str::<Vec<SavedFilter>>(text)
        .map(|list| {
            list.into_iter()
                .filter(|s| !s.name.trim().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

pub fn saved_text(saved: &[SavedFilter]) -> String {
    serde_json::to_string(saved).unwrap_or_else(|_| "[]".to_owned())
}

/// Saves `spec` under `name` (trimmed), replacing a set of the same name; sorted by name.
pub fn save_filter(saved: &[SavedFilter], name: &str, spec: &QueueSpec) -> Vec<SavedFilter> {
    let name = name.trim();
    let mut next: Vec<SavedFilter> = saved
        .iter()
        .filter(|s| !s.name.eq_ignore_ascii_case(name))
        .cloned()
        .collect();
    if !name.is_empty() {
        next.push(SavedFilter {
            name: name.to_owned(),
            query: queue_query(spec),
        });
    }
    next.sort_by_key(|s| s.name.to_lowercase());
    next
}

pub fn delete_filter(saved: &[SavedFilter], name: &str) -> Vec<SavedFilter> {
    saved.iter().filter(|s| s.name != name).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_choice_wins_over_the_browser() {
        assert_eq!(initial_lang(Some("nl"), ["en-US"]), Lang::Nl);
        assert_eq!(initial_lang(Some("en"), ["nl-NL"]), Lang::En);
        assert_eq!(initial_lang(None, ["nl-NL", "en"]), Lang::Nl);
        assert_eq!(initial_lang(Some("xx"), ["nl-BE"]), Lang::Nl);
        assert_eq!(initial_lang(None, ["de-DE"]), Lang::En);
        assert_eq!(initial_lang(None, []), Lang::En);
    }

    #[test]
    fn themes_round_trip() {
        for theme in Theme::ALL {
            assert_eq!(Theme::from_code(theme.code()), Some(theme));
        }
        assert_eq!(initial_theme(None), Theme::System);
        assert_eq!(initial_theme(Some("dark")), Theme::Dark);
        assert_eq!(initial_theme(Some("purple")), Theme::System);
        assert_eq!(Theme::System.attribute(), None);
        assert_eq!(Theme::Dark.attribute(), Some("dark"));
    }
}

#[cfg(test)]
mod queue_tests {
    use super::*;
    use alertweave_core::model::Severity;

    #[test]
    fn columns_are_kept_as_text_and_survive_odd_texts() {
        let columns = vec![SortColumn::Severity, SortColumn::Name, SortColumn::Tags];
        assert_eq!(columns_text(&columns), "severity,name,tags");
        assert_eq!(parse_columns(&columns_text(&columns)), columns);
        assert_eq!(parse_columns(""), DEFAULT_COLUMNS.to_vec());
        assert_eq!(parse_columns("nope,,"), DEFAULT_COLUMNS.to_vec());
        assert_eq!(
            parse_columns("status, status ,bogus"),
            vec![SortColumn::Name, SortColumn::Status]
        );
    }

    #[test]
    fn columns_toggle_and_move() {
        let columns = vec![SortColumn::Name, SortColumn::Id];
        let shown = toggle_column(&columns, SortColumn::Status);
        assert_eq!(
            shown,
            vec![SortColumn::Name, SortColumn::Id, SortColumn::Status]
        );
        assert_eq!(
            toggle_column(&shown, SortColumn::Id),
            vec![SortColumn::Name, SortColumn::Status]
        );
        assert_eq!(
            toggle_column(&shown, SortColumn::Name),
            shown,
            "the name stays"
        );
        assert_eq!(
            move_column(&shown, SortColumn::Status, -1),
            vec![SortColumn::Name, SortColumn::Status, SortColumn::Id]
        );
        assert_eq!(
            move_column(&shown, SortColumn::Status, 1),
            shown,
            "already last"
        );
        assert_eq!(
            move_column(&shown, SortColumn::Name, -1),
            shown,
            "already first"
        );
    }

    #[test]
    fn filter_sets_are_saved_by_name_and_reapply() {
        let mut spec = QueueSpec::default();
        spec.filter.severities = vec![Severity::High];
        let saved = save_filter(&[], " High ", &spec);
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].name, "High");
        assert_eq!(saved[0].spec(), spec);
        let saved = save_filter(&saved, "a first", &QueueSpec::default());
        assert_eq!(saved[0].name, "a first", "sorted by name");
        let mut other = spec.clone();
        other.search = "ws-1".to_owned();
        let saved = save_filter(&saved, "high", &other);
        assert_eq!(saved.len(), 2, "the same name replaces");
        assert_eq!(saved[1].spec(), other);
        let text = saved_text(&saved);
        assert_eq!(parse_saved(&text), saved);
        assert!(parse_saved("{not json").is_empty());
        assert_eq!(delete_filter(&saved, "a first").len(), 1);
        assert_eq!(save_filter(&saved, "  ", &spec).len(), 2, "no nameless set");
    }
}
