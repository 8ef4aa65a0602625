//! The interface preferences this browser keeps: language and colour theme. Plain Rust (the
//! page reads and writes them in `localStorage` under these keys, and `static/boot.js` applies
//! them before the app starts, so a reload never flashes the other theme).

use super::i18n::{Lang, Text};

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
