//! Correlation settings as a person types them: hours, counts and percentages read from text
//! (refused with an [`Invalid`] that the text crate puts in words), and what differs between two
//! settings ([`changes`]), as data the interface lists.

use super::{Grouping, Settings};
use crate::model::EntityKind;
use std::collections::BTreeSet;

/// Why a value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Not a number of hours ≥ 0.
    Hours,
    /// Not a whole number ≥ 0.
    WholeNumber,
    /// Not a percentage from 0 to 100.
    Percent,
    /// Not a number above 0.
    Positive,
}

/// The window of a kind, its default when the map lacks it (as correlation does).
pub fn window_of(settings: &Settings, kind: EntityKind) -> f64 {
    settings
        .time_window_hours
        .get(&kind)
        .copied()
        .or_else(|| Settings::default().time_window_hours.get(&kind).copied())
        .unwrap_or(24.0)
}

pub fn parse_hours(text: &str) -> Result<f64, Invalid> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v + 0.0),
        _ => Err(Invalid::Hours),
    }
}

/// A number above 0 (a burst's window, the background's neighbourhood).
pub fn parse_positive(text: &str) -> Result<f64, Invalid> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(Invalid::Positive),
    }
}

/// A whole number ≥ 0; `10.0` is ten.
pub fn parse_count(text: &str) -> Result<usize, Invalid> {
    let text = text.trim();
    if let Ok(n) = text.parse::<usize>() {
        return Ok(n);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < 1e15 => Ok(v as usize),
        _ => Err(Invalid::WholeNumber),
    }
}

/// A percentage from 0 to 100, returned as a share from 0 to 1.
pub fn parse_percent(text: &str) -> Result<f64, Invalid> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Ok((v + 0.0) / 100.0),
        _ => Err(Invalid::Percent),
    }
}

/// One entry per non-blank line, trimmed.
pub fn parse_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One difference between two settings, as the panel lists it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Grouping(Grouping),
    Window {
        kind: EntityKind,
        from: f64,
        to: f64,
    },
    NoisyMinAlerts {
        from: usize,
        to: usize,
    },
    /// Shares from 0 to 1.
    NoisyShare {
        from: f64,
        to: f64,
    },
    NoisyMinDays {
        from: usize,
        to: usize,
    },
    NoisyFanOut {
        from: usize,
        to: usize,
    },
    MaxIncidentAlerts {
        from: usize,
        to: usize,
    },
    BurstMinAlerts {
        from: usize,
        to: usize,
    },
    BurstWindowHours {
        from: f64,
        to: f64,
    },
    BurstMinTargets {
        from: usize,
        to: usize,
    },
    BackgroundDays {
        from: f64,
        to: f64,
    },
    LinkKindsAdded(Vec<EntityKind>),
    LinkKindsRemoved(Vec<EntityKind>),
    NeverLinkAdded(Vec<String>),
    NeverLinkRemoved(Vec<String>),
    /// Settings the panel does not show differ (a settings file may carry them).
    Other,
}

/// What differs from `old` to `new`, in the panel's order.
pub fn changes(
    old: &Settings,
    old_grouping: Grouping,
    new: &Settings,
    new_grouping: Grouping,
) -> Vec<Change> {
    let mut out = Vec::new();
    if old_grouping != new_grouping {
        out.push(Change::Grouping(new_grouping));
    }
    for kind in EntityKind::ALL {
        let (from, to) = (window_of(old, kind), window_of(new, kind));
        if from != to {
            out.push(Change::Window { kind, from, to });
        }
    }
    let removed: Vec<EntityKind> = old
        .link_kinds
        .difference(&new.link_kinds)
        .copied()
        .collect();
    let added: Vec<EntityKind> = new
        .link_kinds
        .difference(&old.link_kinds)
        .copied()
        .collect();
    if !removed.is_empty() {
        out.push(Change::LinkKindsRemoved(removed));
    }
    if !added.is_empty() {
        out.push(Change::LinkKindsAdded(added));
    }
    if old.noisy_min_alerts != new.noisy_min_alerts {
        out.push(Change::NoisyMinAlerts {
            from: old.noisy_min_alerts,
            to: new.noisy_min_alerts,
        });
    }
    if old.noisy_share != new.noisy_share {
        out.push(Change::NoisyShare {
            from: old.noisy_share,
            to: new.noisy_share,
        });
    }
    if old.noisy_min_days != new.noisy_min_days {
        out.push(Change::NoisyMinDays {
            from: old.noisy_min_days,
            to: new.noisy_min_days,
        });
    }
    if old.noisy_fan_out != new.noisy_fan_out {
        out.push(Change::NoisyFanOut {
            from: old.noisy_fan_out,
            to: new.noisy_fan_out,
        });
    }
    if old.max_incident_alerts != new.max_incident_alerts {
        out.push(Change::MaxIncidentAlerts {
            from: old.max_incident_alerts,
            to: new.max_incident_alerts,
        });
    }
    if old.burst_min_alerts != new.burst_min_alerts {
        out.push(Change::BurstMinAlerts {
            from: old.burst_min_alerts,
            to: new.burst_min_alerts,
        });
    }
    if old.burst_window_hours != new.burst_window_hours {
        out.push(Change::BurstWindowHours {
            from: old.burst_window_hours,
            to: new.burst_window_hours,
        });
    }
    if old.burst_min_targets != new.burst_min_targets {
        out.push(Change::BurstMinTargets {
            from: old.burst_min_targets,
            to: new.burst_min_targets,
        });
    }
    if old.background_days != new.background_days {
        out.push(Change::BackgroundDays {
            from: old.background_days,
            to: new.background_days,
        });
    }
    // Correlation compares never-link entries trimmed and case-insensitively: so does this.
    let normalized = |list: &[String]| -> BTreeSet<String> {
        list.iter().map(|s| s.trim().to_lowercase()).collect()
    };
    let only_in = |list: &[String], other: &BTreeSet<String>| -> Vec<String> {
        let mut seen = BTreeSet::new();
        list.iter()
            .filter(|s| !s.trim().is_empty())
            .filter(|s| !other.contains(&s.trim().to_lowercase()))
            .filter(|s| seen.insert(s.trim().to_lowercase()))
            .map(|s| s.trim().to_owned())
            .collect()
    };
    let added = only_in(&new.never_link, &normalized(&old.never_link));
    let removed = only_in(&old.never_link, &normalized(&new.never_link));
    if !added.is_empty() {
        out.push(Change::NeverLinkAdded(added));
    }
    if !removed.is_empty() {
        out.push(Change::NeverLinkRemoved(removed));
    }
    // Whatever else differs is a field the panel does not show.
    let mut rest = new.clone();
    rest.time_window_hours = old.time_window_hours.clone();
    rest.noisy_min_alerts = old.noisy_min_alerts;
    rest.noisy_share = old.noisy_share;
    rest.noisy_min_days = old.noisy_min_days;
    rest.noisy_fan_out = old.noisy_fan_out;
    rest.max_incident_alerts = old.max_incident_alerts;
    rest.burst_min_alerts = old.burst_min_alerts;
    rest.burst_window_hours = old.burst_window_hours;
    rest.burst_min_targets = old.burst_min_targets;
    rest.background_days = old.background_days;
    rest.link_kinds = old.link_kinds.clone();
    rest.never_link = old.never_link.clone();
    if rest != *old {
        out.push(Change::Other);
    }
    out
}
