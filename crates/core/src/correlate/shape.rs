//! The time structure of one entity's alerts: **bursts** that link as one attack, and a steady
//! **background** that does not link.
//!
//! An attacker's IP, a phishing sender or a brute-forcing workstation is in many alerts *close
//! together in time* against many targets; a proxy, a domain controller or a stock binary is in
//! many alerts *spread over days*. Counting alone cannot tell them apart, and a count over the
//! whole export grows with its span, so the tests here look at time:
//!
//! - A **burst** is a run of alerts far denser than the entity's own rate around it: each alert
//!   has at least `burst_min_alerts` of the entity's alerts within half the burst window either
//!   side, at least eight times (and five Poisson standard deviations above) what the entity's
//!   alerts over `background_days` either side would put there, and the run names at least
//!   `burst_min_targets` different devices, users or mailboxes. A burst's alerts link through the
//!   entity whatever its background, so the same proxy account can be background for months and
//!   a campaign on one afternoon.
//! - The **background**: outside bursts, an alert does not link through the entity when the
//!   entity's other alerts outside bursts are too many for the export (`Prevalent`), or, within
//!   `background_days` either side of it, name `noisy_fan_out` different devices, users and
//!   mailboxes (`FansOut`) or, for an artifact, fall on `noisy_min_days` different days
//!   (`Recurs`); and the same detection on the entity on `noisy_min_days` different days within
//!   that neighbourhood does not link (`Repeated`). Local neighbourhoods, not totals: an export
//!   of three years keeps an attacker address that returns every few months.
//!
//! Everything is computed with two-pointer sweeps over the entity's alerts in time order, so an
//! entity costs time linear in its alerts, and nothing depends on input order.

use super::NoLink;
use crate::model::{HashMap, HashMapExt};
use std::hash::Hash;

/// What the sweep needs to know of one alert that names the entity, in time order.
pub(crate) struct Member<'a, A> {
    /// First activity, seconds since the epoch.
    pub time: i64,
    /// UTC day number.
    pub day: i64,
    pub title: &'a str,
    /// The devices, users and mailboxes it names (built-in accounts left out); the entity itself
    /// is skipped where it is among them.
    pub assets: &'a [A],
}

/// The thresholds, from the settings.
pub(crate) struct Params {
    pub burst_min_alerts: usize,
    /// Half the burst window, in seconds.
    pub burst_half_window: i64,
    pub burst_min_targets: usize,
    /// The neighbourhood either side for the background tests, in seconds.
    pub radius: i64,
    pub fan_out: usize,
    pub min_days: usize,
    pub prevalent_above: usize,
    /// Whether the entity is an artifact (recurrence on many days is background).
    pub artifact: bool,
}

/// One burst: the positions of its members.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub members: Vec<usize>,
}

/// The decision for one entity.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    pub bursts: Vec<Run>,
    /// Per member: in a burst.
    pub in_burst: Vec<bool>,
    /// Per member: background (does not link through the entity).
    pub background: Vec<bool>,
    /// Why, when any member is background.
    pub reason: Option<NoLink>,
    /// Per member: its detection recurs on the entity on many days nearby (does not link).
    pub repeated: Vec<bool>,
    /// Recurring detections: title, alerts, most days seen in one neighbourhood.
    pub repeated_titles: Vec<(String, usize, usize)>,
}

/// Most of one alert's devices, users and mailboxes that count towards fan-out: one alert that
/// names many accounts at once is one event, not a fan-out.
const FAN_OUT_PER_ALERT: usize = 3;

/// For each position, the range `lo..hi` of positions whose time is within `radius` of it.
fn neighbourhoods(times: &[i64], radius: i64) -> Vec<(usize, usize)> {
    let (mut lo, mut hi) = (0, 0);
    times
        .iter()
        .map(|&t| {
            while times[lo] < t.saturating_sub(radius) {
                lo += 1;
            }
            while hi < times.len() && times[hi] <= t.saturating_add(radius) {
                hi += 1;
            }
            (lo, hi)
        })
        .collect()
}

/// A multiset that knows how many distinct keys it holds.
struct Distinct<K> {
    counts: HashMap<K, usize>,
}

impl<K: Hash + Eq> Distinct<K> {
    fn new() -> Self {
        Distinct {
            counts: HashMap::new(),
        }
    }
    fn add(&mut self, key: K) {
        *self.counts.entry(key).or_default() += 1;
    }
    fn remove(&mut self, key: &K) {
        if let Some(n) = self.counts.get_mut(key) {
            *n -= 1;
            if *n == 0 {
                self.counts.remove(key);
            }
        }
    }
    fn len(&self) -> usize {
        self.counts.len()
    }
}

/// For each position, how many distinct keys the positions within `radius` of it hold
/// (`keys(j)` gives position j's keys). Linear in the keys.
fn sliding_distinct<K: Hash + Eq, I: IntoIterator<Item = K>>(
    times: &[i64],
    radius: i64,
    keys: impl Fn(usize) -> I,
) -> Vec<usize> {
    let ranges = neighbourhoods(times, radius);
    let mut window = Distinct::new();
    let (mut lo, mut hi) = (0, 0);
    ranges
        .iter()
        .map(|&(l, h)| {
            while hi < h {
                keys(hi).into_iter().for_each(|k| window.add(k));
                hi += 1;
            }
            while lo < l {
                keys(lo).into_iter().for_each(|k| window.remove(&k));
                lo += 1;
            }
            window.len()
        })
        .collect()
}

/// Decides bursts and background for one entity's members (in time order).
pub(crate) fn shape<A: Hash + Eq + Copy>(members: &[Member<'_, A>], own: A, p: &Params) -> Shape {
    let n = members.len();
    let times: Vec<i64> = members.iter().map(|m| m.time).collect();
    let mut out = Shape {
        in_burst: vec![false; n],
        background: vec![false; n],
        repeated: vec![false; n],
        ..Shape::default()
    };
    if p.burst_min_alerts > 0 && n >= p.burst_min_alerts {
        out.bursts = bursts(members, own, &times, p);
        for run in &out.bursts {
            for &i in &run.members {
                out.in_burst[i] = true;
            }
        }
    }

    // The background is judged on the alerts outside bursts.
    let rest: Vec<usize> = (0..n).filter(|&i| !out.in_burst[i]).collect();
    if rest.is_empty() {
        return out;
    }
    // An entity in a large share of the export's alerts even outside its bursts is shared
    // infrastructure (the office's egress address, Exchange Online): its dense hours are the
    // tenant's busy hours, not a campaign, and nothing of it links.
    if rest.len() > p.prevalent_above {
        out.background = vec![true; n];
        out.in_burst = vec![false; n];
        out.bursts.clear();
        out.reason = Some(NoLink::Prevalent {
            n_alerts: n,
            threshold: p.prevalent_above,
        });
        return out;
    }
    // Too few alerts for any test to fire (most entities have one or two): nothing to sweep.
    let may_fan_out = p.fan_out > 0 && FAN_OUT_PER_ALERT * rest.len() >= p.fan_out;
    let may_recur = p.min_days > 0 && rest.len() >= p.min_days;
    if !may_fan_out && !may_recur {
        return out;
    }
    let rest_times: Vec<i64> = rest.iter().map(|&i| times[i]).collect();
    let fan_out = if may_fan_out {
        sliding_distinct(&rest_times, p.radius, |j| {
            members[rest[j]]
                .assets
                .iter()
                .filter(move |a| **a != own)
                .take(FAN_OUT_PER_ALERT)
                .copied()
        })
    } else {
        vec![0; rest.len()]
    };
    let days = if may_recur {
        sliding_distinct(&rest_times, p.radius, |j| [members[rest[j]].day])
    } else {
        vec![0; rest.len()]
    };
    let (mut most_fan_out, mut fanned, mut most_days, mut recurring) = (0, 0, 0, 0);
    for (j, &i) in rest.iter().enumerate() {
        if may_fan_out && fan_out[j] >= p.fan_out {
            out.background[i] = true;
            fanned += 1;
            most_fan_out = most_fan_out.max(fan_out[j]);
        } else if p.artifact && may_recur && days[j] >= p.min_days {
            out.background[i] = true;
            recurring += 1;
            most_days = most_days.max(days[j]);
        }
    }
    out.reason = if fanned > 0 {
        Some(NoLink::FansOut {
            n_fan_out: most_fan_out,
            noisy_from: p.fan_out,
        })
    } else if recurring > 0 {
        Some(NoLink::Recurs {
            n_alerts: recurring,
            n_days: most_days,
            noisy_from: p.min_days,
        })
    } else {
        None
    };

    // The same detection on many days nearby: those alerts do not link through the entity.
    if may_recur {
        let title_days = sliding_distinct(&rest_times, p.radius, |j| {
            [(members[rest[j]].title, members[rest[j]].day)]
        });
        // Distinct (title, day) pairs in the window are not days of one title: count per title.
        let titles: std::collections::BTreeSet<&str> = rest
            .iter()
            .enumerate()
            .filter(|(j, _)| title_days[*j] >= p.min_days)
            .map(|(_, &i)| members[i].title)
            .collect();
        let mut found: Vec<(String, usize, usize)> = Vec::new();
        for title in titles {
            let own: Vec<usize> = (0..rest.len())
                .filter(|&j| members[rest[j]].title == title)
                .collect();
            let own_times: Vec<i64> = own.iter().map(|&j| rest_times[j]).collect();
            let own_days = sliding_distinct(&own_times, p.radius, |k| [members[rest[own[k]]].day]);
            let (mut n_alerts, mut n_days) = (0, 0);
            for (k, &j) in own.iter().enumerate() {
                if own_days[k] >= p.min_days {
                    out.repeated[rest[j]] = true;
                    n_alerts += 1;
                    n_days = n_days.max(own_days[k]);
                }
            }
            if n_alerts > 0 {
                found.push((title.to_owned(), n_alerts, n_days));
            }
        }
        found.sort();
        out.repeated_titles = found;
    }
    out
}

/// The runs of alerts far denser than the entity's rate around them, naming enough targets.
fn bursts<A: Hash + Eq + Copy>(
    members: &[Member<'_, A>],
    own: A,
    times: &[i64],
    p: &Params,
) -> Vec<Run> {
    let near = neighbourhoods(times, p.burst_half_window);
    let around = neighbourhoods(times, p.radius);
    let burst_span = (2 * p.burst_half_window).max(1) as f64;
    let rest_span = (2 * p.radius - 2 * p.burst_half_window).max(1) as f64;
    let dense: Vec<bool> = (0..times.len())
        .map(|i| {
            let c = (near[i].1 - near[i].0) as f64;
            let b = (around[i].1 - around[i].0) as f64;
            let expected = (b - c).max(0.0) * burst_span / rest_span;
            c >= p.burst_min_alerts as f64
                && c >= 8.0 * expected
                && c - expected >= 5.0 * expected.sqrt()
        })
        .collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < times.len() {
        if !dense[i] {
            i += 1;
            continue;
        }
        let (first, mut last) = (i, i);
        let mut j = i + 1;
        while j < times.len() && times[j] - times[last] <= p.burst_half_window {
            if dense[j] {
                last = j;
            }
            j += 1;
        }
        // The run's alerts of a detection the run repeats well above that detection's own rate
        // around it: a campaign raises one detection per target, while an unrelated alert that
        // happens to fall inside the run (another story naming the same domain controller) does
        // not join it.
        let mut of_title: HashMap<&str, usize> = HashMap::new();
        for m in &members[first..=last] {
            *of_title.entry(m.title).or_default() += 1;
        }
        let (lo, hi) = (around[first].0, around[last].1);
        let mut around_title: HashMap<&str, usize> = HashMap::new();
        for m in &members[lo..hi] {
            if of_title.contains_key(m.title) {
                *around_title.entry(m.title).or_default() += 1;
            }
        }
        let run_span = (times[last] - times[first]).max(2 * p.burst_half_window) as f64;
        let joins = |title: &str| {
            let in_run = of_title.get(title).copied().unwrap_or(0);
            let others = around_title
                .get(title)
                .copied()
                .unwrap_or(0)
                .saturating_sub(in_run);
            let expected = others as f64 * run_span / rest_span;
            in_run >= 2 && in_run as f64 >= 8.0 * expected
        };
        let chosen: Vec<usize> = (first..=last)
            .filter(|&k| joins(members[k].title))
            .collect();
        let mut targets = Distinct::new();
        for &k in &chosen {
            members[k]
                .assets
                .iter()
                .filter(|a| **a != own)
                .for_each(|a| targets.add(*a));
        }
        if chosen.len() >= p.burst_min_alerts && targets.len() >= p.burst_min_targets.max(1) {
            runs.push(Run { members: chosen });
        }
        i = last + 1;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        Params {
            burst_min_alerts: 5,
            burst_half_window: 90 * 60,
            burst_min_targets: 3,
            radius: 7 * 86_400,
            fan_out: 10,
            min_days: 4,
            prevalent_above: 1_000,
            artifact: true,
        }
    }

    /// Members at the given times (seconds), each naming its own target.
    fn at(times: &[i64], targets: &[u32]) -> Vec<Member<'static, u32>> {
        let targets: &'static [u32] = Box::leak(targets.to_vec().into_boxed_slice());
        times
            .iter()
            .enumerate()
            .map(|(i, &t)| Member {
                time: t,
                day: t.div_euclid(86_400),
                title: "t",
                assets: std::slice::from_ref(&targets[i % targets.len()]),
            })
            .collect()
    }

    #[test]
    fn a_dense_run_against_many_targets_is_a_burst_and_a_steady_presence_is_background() {
        // One alert every 7 hours for 45 days against 20 users, and 40 alerts within 2 hours.
        let mut times: Vec<i64> = (0..150).map(|i| i * 7 * 3600).collect();
        let spray_start = 20 * 86_400 + 3 * 3600 + 600;
        times.extend((0..40).map(|i| spray_start + i * 180));
        times.sort();
        let targets: Vec<u32> = (0..60).collect();
        let members = at(&times, &targets);
        let s = shape(&members, u32::MAX, &params());
        assert_eq!(s.bursts.len(), 1, "{:?}", s.bursts);
        let in_burst = s.in_burst.iter().filter(|b| **b).count();
        assert!((40..=42).contains(&in_burst), "{in_burst}");
        let background = s.background.iter().filter(|b| **b).count();
        assert_eq!(background + in_burst, times.len());
        assert!(matches!(s.reason, Some(NoLink::FansOut { .. })));
    }

    #[test]
    fn a_few_alerts_or_one_target_are_no_burst() {
        let four = at(&[0, 60, 120, 180], &[1, 2, 3, 4]);
        assert!(shape(&four, u32::MAX, &params()).bursts.is_empty());
        let one_target = at(&[0, 60, 120, 180, 240, 300], &[1]);
        assert!(shape(&one_target, u32::MAX, &params()).bursts.is_empty());
    }

    #[test]
    fn returns_months_apart_are_neither_background_nor_a_burst() {
        // Three years: the same address in a short attack every three months.
        let times: Vec<i64> = (0..12)
            .flat_map(|q| [q * 91 * 86_400, q * 91 * 86_400 + 1800])
            .collect();
        let targets: Vec<u32> = (0..24).collect();
        let s = shape(&at(&times, &targets), u32::MAX, &params());
        assert!(s.bursts.is_empty());
        assert!(s.background.iter().all(|b| !b), "{:?}", s.reason);
        assert!(s.repeated.iter().all(|r| !r));
    }

    #[test]
    fn the_same_detection_on_many_days_nearby_does_not_link() {
        let times: Vec<i64> = (0..5).map(|d| d * 86_400 + 3600).collect();
        let s = shape(&at(&times, &[1]), u32::MAX, &params());
        assert!(s.repeated.iter().all(|r| *r));
        assert_eq!(s.repeated_titles, vec![("t".to_owned(), 5, 5)]);
    }
}
