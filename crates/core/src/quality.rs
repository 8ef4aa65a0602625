//! How well a grouping of alerts matches a reference grouping (the generator's ground truth, or
//! an export's own incidents): pairwise and B-cubed precision, recall and F1, and the sizes of the
//! largest groups. Plain Rust; `src/bin/quality.rs` prints these for generated tenants.
//!
//! Pairwise: a pair of alerts is predicted together or not, and truly together or not; precision
//! is the share of predicted pairs that are true, recall the share of true pairs predicted. Large
//! incidents dominate it (an incident of n alerts holds n(n-1)/2 pairs). B-cubed averages, over
//! alerts, the share of an alert's predicted incident that truly belongs with it (precision) and
//! the share of its true incident that was predicted with it (recall): every alert counts once.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// Precision, recall and their harmonic mean.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// A grouping compared with the reference.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Scores {
    pub alerts: usize,
    pub reference_groups: usize,
    pub predicted_groups: usize,
    pub pairwise: Prf,
    pub bcubed: Prf,
    pub largest_predicted: usize,
    pub largest_reference: usize,
}

/// Scores `predicted` against `reference`: both give, for each alert (the same alerts, in the
/// same order), the label of its group. Labels mean nothing across the two lists.
pub fn score<P: Eq + Hash, R: Eq + Hash>(predicted: &[P], reference: &[R]) -> Scores {
    assert_eq!(
        predicted.len(),
        reference.len(),
        "both groupings cover the same alerts"
    );
    let n = predicted.len();
    let p = numbered(predicted);
    let r = numbered(reference);
    let count = |labels: &[usize]| {
        let mut sizes = vec![0usize; labels.iter().max().map_or(0, |m| m + 1)];
        for &l in labels {
            sizes[l] += 1;
        }
        sizes
    };
    let (p_sizes, r_sizes) = (count(&p), count(&r));
    // Ordered: the sums below are over floats, and the report must be the same on every run.
    let mut cells: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (&a, &b) in p.iter().zip(&r) {
        *cells.entry((a, b)).or_default() += 1;
    }
    let pairs = |k: usize| (k * k.saturating_sub(1) / 2) as f64;
    let together_both: f64 = cells.values().map(|&k| pairs(k)).sum();
    let together_predicted: f64 = p_sizes.iter().map(|&k| pairs(k)).sum();
    let together_reference: f64 = r_sizes.iter().map(|&k| pairs(k)).sum();
    let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 1.0 };
    let pairwise = Prf::new(
        ratio(together_both, together_predicted),
        ratio(together_both, together_reference),
    );
    let (mut b_precision, mut b_recall) = (0.0, 0.0);
    for (&(a, b), &k) in &cells {
        let k = k as f64;
        b_precision += k * k / p_sizes[a] as f64;
        b_recall += k * k / r_sizes[b] as f64;
    }
    let bcubed = if n == 0 {
        Prf::new(1.0, 1.0)
    } else {
        Prf::new(b_precision / n as f64, b_recall / n as f64)
    };
    Scores {
        alerts: n,
        reference_groups: r_sizes.len(),
        predicted_groups: p_sizes.len(),
        pairwise,
        bcubed,
        largest_predicted: p_sizes.iter().copied().max().unwrap_or(0),
        largest_reference: r_sizes.iter().copied().max().unwrap_or(0),
    }
}

/// Labels replaced by 0, 1, 2... in order of first appearance.
fn numbered<L: Eq + Hash>(labels: &[L]) -> Vec<usize> {
    let mut ids: HashMap<&L, usize> = HashMap::with_capacity(labels.len());
    labels
        .iter()
        .map(|l| {
            let next = ids.len();
            *ids.entry(l).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn identical_groupings_score_one_whatever_the_labels() {
        let s = score(&["x", "x", "y", "z"], &[1, 1, 2, 3]);
        assert_eq!(s.pairwise, Prf::new(1.0, 1.0));
        assert_eq!(s.bcubed, Prf::new(1.0, 1.0));
        assert_eq!((s.predicted_groups, s.reference_groups), (3, 3));
        assert_eq!((s.largest_predicted, s.largest_reference), (2, 2));
    }

    #[test]
    fn everything_in_one_group_has_full_recall_and_poor_precision() {
        // Reference: {a,b} {c,d}; predicted: {a,b,c,d}.
        let s = score(&[0, 0, 0, 0], &[1, 1, 2, 2]);
        assert!(close(s.pairwise.recall, 1.0));
        assert!(close(s.pairwise.precision, 2.0 / 6.0));
        assert!(close(s.bcubed.recall, 1.0));
        assert!(close(s.bcubed.precision, 0.5));
        assert!(close(s.bcubed.f1, 2.0 * 0.5 / 1.5));
    }

    #[test]
    fn singletons_have_full_precision_and_no_pairwise_recall() {
        // Reference: {a,b,c} {d}; predicted: every alert alone.
        let s = score(&[0, 1, 2, 3], &[9, 9, 9, 8]);
        assert!(
            close(s.pairwise.precision, 1.0),
            "no predicted pairs: vacuous"
        );
        assert!(close(s.pairwise.recall, 0.0));
        assert!(close(s.pairwise.f1, 0.0));
        assert!(close(s.bcubed.precision, 1.0));
        // Recall per alert: 1/3, 1/3, 1/3, 1.
        assert!(close(s.bcubed.recall, 2.0 / 4.0));
    }

    #[test]
    fn a_split_group_loses_recall_not_precision() {
        // Reference: {a,b,c,d}; predicted: {a,b} {c,d}.
        let s = score(&[0, 0, 1, 1], &[5, 5, 5, 5]);
        assert!(close(s.pairwise.precision, 1.0));
        assert!(close(s.pairwise.recall, 2.0 / 6.0));
        assert!(close(s.bcubed.precision, 1.0));
        assert!(close(s.bcubed.recall, 0.5));
    }

    #[test]
    fn nothing_to_compare_is_perfect() {
        let s = score::<u8, u8>(&[], &[]);
        assert_eq!(s.bcubed.f1, 1.0);
        assert_eq!(s.pairwise.f1, 1.0);
    }
}
