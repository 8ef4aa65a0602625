//! Work that can run on two cores, where the caller has two.
//!
//! The core starts no thread (`clippy.toml`): the page's worker has exactly one, and tests want
//! one order of events. What the core can split (records converted in a batch, see `ingest`) it
//! hands to a [`Spread`] the caller gives: [`InTurn`] runs the halves one after the other (the
//! worker, the tests), the native CLI passes one that runs them on two threads. Whatever the
//! spread, the results come back in the items' order, so the output never depends on it.

/// Runs two pieces of work, perhaps at the same time.
pub trait Spread: Sync {
    /// Runs `a` and `b` and returns when both are done.
    fn join(&self, a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send));

    /// True when [`Self::join`] runs its pieces at the same time: work is batched for it only
    /// then (a batch costs its framing, which one core does not win back).
    fn at_once(&self) -> bool {
        false
    }
}

/// One piece after the other, on the caller's thread.
pub struct InTurn;

impl Spread for InTurn {
    fn join(&self, a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
        a();
        b();
    }
}

/// `work` applied to every item, in the items' order: the first half of the items by `spread`'s
/// first piece, the rest by its second. Each half starts from a state of its own (`start`), for
/// what is not shared between threads (a cache).
pub fn map<T: Sync, S, U: Send>(
    spread: &dyn Spread,
    items: &[T],
    start: &(dyn Fn() -> S + Sync),
    work: &(dyn Fn(&mut S, &T) -> U + Sync),
) -> Vec<U> {
    let half = |part: &[T]| -> Vec<U> {
        let mut state = start();
        part.iter().map(|item| work(&mut state, item)).collect()
    };
    if items.len() < 2 {
        return half(items);
    }
    let (first, second) = items.split_at(items.len() / 2);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    spread.join(&mut || a = half(first), &mut || b = half(second));
    a.append(&mut b);
    a
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Runs the second piece first, as if at once: results must still come back in the items'
    /// order. Tests of what batches for two cores run with it.
    pub(crate) struct Backwards;

    impl Spread for Backwards {
        fn join(&self, a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
            b();
            a();
        }

        fn at_once(&self) -> bool {
            true
        }
    }

    #[test]
    fn results_keep_the_items_order_whatever_runs_first() {
        let items: Vec<u32> = (0..7).collect();
        for spread in [&InTurn as &dyn Spread, &Backwards] {
            let calls = std::sync::atomic::AtomicUsize::new(0);
            let start = || {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                0u32
            };
            let got = map(spread, &items, &start, &|seen: &mut u32, &x| {
                *seen += 1;
                (x * 10, *seen)
            });
            let values: Vec<u32> = got.iter().map(|&(v, _)| v).collect();
            assert_eq!(values, vec![0, 10, 20, 30, 40, 50, 60]);
            // Each half counts its own items from its own state.
            let seen: Vec<u32> = got.iter().map(|&(_, s)| s).collect();
            assert_eq!(seen, vec![1, 2, 3, 1, 2, 3, 4]);
            assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 2);
        }
        assert!(map(&InTurn, &[] as &[u32], &|| (), &|_, &x| x).is_empty());
        assert_eq!(map(&InTurn, &[5u32], &|| (), &|_, &x| x + 1), vec![6]);
    }
}
