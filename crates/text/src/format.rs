//! The one date and number formatter of the interface and the reports, with a UTC / local-time switch, in the interface's
//! language: `2026-09-01 08:15:27 UTC` in English (ISO order), `01-09-2026 08:15:27 UTC` in
//! Dutch (day-month-year, as the Netherlands writes dates).

use crate::i18n::Lang;
use alertweave_core::model::Timestamp;
use chrono::{FixedOffset, TimeZone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeMode {
    #[default]
    Utc,
    Local,
}

fn date_time_pattern(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "%Y-%m-%d %H:%M:%S",
        Lang::Nl => "%d-%m-%Y %H:%M:%S",
    }
}

/// Formats `ts` as `2026-09-01 08:15:27 UTC` or, in local time, `2026-09-01 10:15:27 +02:00`
/// (in Dutch `01-09-2026 10:15:27 +02:00`). `local_offset_minutes` is the local zone's offset
/// east of UTC at that moment (the caller asks the browser, which knows the daylight-saving rules).
pub fn format_time(lang: Lang, ts: Timestamp, mode: TimeMode, local_offset_minutes: i32) -> String {
    let pattern = date_time_pattern(lang);
    let utc = || format!("{} UTC", ts.format(pattern));
    match mode {
        TimeMode::Utc => utc(),
        TimeMode::Local => match FixedOffset::east_opt(local_offset_minutes * 60) {
            Some(zone) => {
                let local = zone.from_utc_datetime(&ts.naive_utc());
                format!("{} {}", local.format(pattern), local.format("%:z"))
            }
            None => utc(),
        },
    }
}

/// A number as a person writes it: `24`, `0.5`, `12.5` (at most six decimals).
pub fn format_number(value: f64) -> String {
    if !value.is_finite() || value.abs() >= 1e9 {
        return format!("{value}");
    }
    let rounded = (value * 1e6).round() / 1e6;
    // `-0` reads as `0`.
    format!("{}", rounded + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_and_local() {
        let ts =
            alertweave_core::ingest::parse_time(Some("2026-09-01T08:15:27.5Z")).expect("valid");
        assert_eq!(
            format_time(Lang::En, ts, TimeMode::Utc, 0),
            "2026-09-01 08:15:27 UTC"
        );
        assert_eq!(
            format_time(Lang::En, ts, TimeMode::Local, 120),
            "2026-09-01 10:15:27 +02:00"
        );
        assert_eq!(
            format_time(Lang::En, ts, TimeMode::Local, -300),
            "2026-09-01 03:15:27 -05:00"
        );
    }

    #[test]
    fn dutch_dates_are_day_month_year() {
        let ts = alertweave_core::ingest::parse_time(Some("2026-11-22T14:05:09Z")).expect("valid");
        assert_eq!(
            format_time(Lang::Nl, ts, TimeMode::Utc, 0),
            "22-11-2026 14:05:09 UTC"
        );
        assert_eq!(
            format_time(Lang::Nl, ts, TimeMode::Local, 60),
            "22-11-2026 15:05:09 +01:00"
        );
        // Local time past midnight moves the date too.
        let late =
            alertweave_core::ingest::parse_time(Some("2026-12-31T23:30:00Z")).expect("valid");
        assert_eq!(
            format_time(Lang::Nl, late, TimeMode::Local, 60),
            "01-01-2027 00:30:00 +01:00"
        );
    }
}
