//! The one date formatter of the interface, with a UTC / local-time switch.

use crate::model::Timestamp;
use chrono::{FixedOffset, TimeZone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeMode {
    #[default]
    Utc,
    Local,
}

/// Formats `ts` as `2026-09-01 08:15:27 UTC` or, in local time, `2026-09-01 10:15:27 +02:00`.
/// `local_offset_minutes` is the local zone's offset east of UTC at that moment (the caller asks
/// the browser, which knows the daylight-saving rules).
pub fn format_time(ts: Timestamp, mode: TimeMode, local_offset_minutes: i32) -> String {
    match mode {
        TimeMode::Utc => ts.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        TimeMode::Local => match FixedOffset::east_opt(local_offset_minutes * 60) {
            Some(zone) => zone
                .from_utc_datetime(&ts.naive_utc())
                .format("%Y-%m-%d %H:%M:%S %:z")
                .to_string(),
            None => ts.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_and_local() {
        let ts = crate::ingest::parse_time(Some("2026-09-01T08:15:27.5Z")).expect("valid");
        assert_eq!(format_time(ts, TimeMode::Utc, 0), "2026-09-01 08:15:27 UTC");
        assert_eq!(
            format_time(ts, TimeMode::Local, 120),
            "2026-09-01 10:15:27 +02:00"
        );
        assert_eq!(
            format_time(ts, TimeMode::Local, -300),
            "2026-09-01 03:15:27 -05:00"
        );
    }
}
