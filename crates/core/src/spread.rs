//! Work that can run on two cores, where the caller has two.
//!
//! The core starts no thread (`clippy.toml`): the page's worker has exactly one, and tests want
//! one order of events. What the core can split (records converted in a batch, see `ingest`;
//! the correlation's entities and incidents) it hands to a [`Spread`] the caller gives:
//! [`InTurn`] runs everything in turn (the worker, the tests), the native CLI passes one that
//! runs two pieces on two threads. Whatever the spread, the results come back in the items'
//! order, so the output never depends on it.

/// Runs two pieces of work, perhaps at the same time.
pub trait Spread: Sync {
    /// Runs `a` and `b` and returns when both are done.
    fn join(&self, a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send));

    /// Runs `here` on the caller's thread (it may hold what cannot move between threads: the
    /// file being read) and `there`, perhaps on another at the same time; returns when both are
    /// done.
    fn beside(&self, here: &mut dyn FnMut(), there: &mut (dyn FnMut() + Send)) {
        here();
        there();
    }

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

/// `work` applied to every item, in the items' order: when `spread` runs pieces at once, the
/// first half of the items by its first piece and the rest by its second, else all in turn.
/// Each piece starts from a state of its own (`start`), for what is not shared between threads
/// (a cache). `work` may take what it needs out of its item.
pub fn map<T: Send, S, U: Send>(
    spread: &dyn Spread,
    items: &mut [T],
    start: &(dyn Fn() -> S + Sync),
    work: &(dyn Fn(&mut S, &mut T) -> U + Sync),
) -> Vec<U> {
    let half = |part: &mut [T]| -> Vec<U> {
        let mut state = start();
        part.iter_mut().map(|item| work(&mut state, item)).collect()
    };
    if items.len() < 2 || !spread.at_once() {
        return half(items);
    }
    let (first, second) = items.split_at_mut(items.len() / 2);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    spread.join(&mut || a = half(first), &mut || b = half(second));
    a.append(&mut b);
    a
}

/// `work` applied to every item, in the items' order, shared out between two pieces run
/// [`Spread::beside`] each other: the caller's thread does `first`, then takes its share; the
/// other takes chunks of `chunk` items from the start. Whichever is free takes the next chunk,
/// so neither waits for the other while items are left. Each piece works with a state of its
/// own (`states`: a cache, what it met), which it keeps from call to call.
pub fn map_beside<T: Sync, S: Send, U: Send>(
    spread: &dyn Spread,
    items: &[T],
    chunk: usize,
    states: (&mut S, &mut S),
    first: &mut dyn FnMut(),
    work: &(dyn Fn(&mut S, &T) -> U + Sync),
) -> Vec<U> {
    let chunks: Vec<&[T]> = items.chunks(chunk.max(1)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    // The chunks a piece took, each with its place.
    let take = |state: &mut S| -> Vec<(usize, Vec<U>)> {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(part) = chunks.get(at) else {
                return done;
            };
            done.push((at, part.iter().map(|item| work(state, item)).collect()));
        }
    };
    let (here_state, there_state) = states;
    let (mut here_done, mut there_done) = (Vec::new(), Vec::new());
    spread.beside(
        &mut || {
            first();
            here_done = take(here_state);
        },
        &mut || there_done = take(there_state),
    );
    let mut all: Vec<(usize, Vec<U>)> = here_done.into_iter().chain(there_done).collect();
    all.sort_unstable_by_key(|(at, _)| *at);
    all.into_iter().flat_map(|(_, done)| done).collect()
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

        fn beside(&self, here: &mut dyn FnMut(), there: &mut (dyn FnMut() + Send)) {
            there();
            here();
        }

        fn at_once(&self) -> bool {
            true
        }
    }

    /// Takes turns: the caller's piece first, then the other (which finds the chunks the first
    /// left).
    pub(crate) struct Forwards;

    impl Spread for Forwards {
        fn join(&self, a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
            a();
            b();
        }

        fn at_once(&self) -> bool {
            true
        }
    }

    #[test]
    fn halves_keep_the_items_order_whatever_runs_first() {
        let mut items: Vec<u32> = (0..7).collect();
        for spread in [&InTurn as &dyn Spread, &Backwards] {
            let calls = std::sync::atomic::AtomicUsize::new(0);
            let start = || {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                0u32
            };
            let got = map(spread, &mut items, &start, &|seen: &mut u32, x| {
                *seen += 1;
                (*x * 10, *seen)
            });
            let values: Vec<u32> = got.iter().map(|&(v, _)| v).collect();
            assert_eq!(values, vec![0, 10, 20, 30, 40, 50, 60]);
            // With two cores, each half counts its own items from its own state.
            let seen: Vec<u32> = got.iter().map(|&(_, s)| s).collect();
            let halves = spread.at_once();
            let expected = if halves {
                vec![1, 2, 3, 1, 2, 3, 4]
            } else {
                vec![1, 2, 3, 4, 5, 6, 7]
            };
            assert_eq!(seen, expected);
            let starts = calls.load(std::sync::atomic::Ordering::Relaxed);
            assert_eq!(starts, 1 + usize::from(halves));
        }
        assert!(map(&InTurn, &mut [] as &mut [u32], &|| (), &|_, x| *x).is_empty());
        assert_eq!(
            map(&Backwards, &mut [5u32], &|| (), &|_, x| *x + 1),
            vec![6]
        );
    }

    #[test]
    fn results_keep_the_items_order_whatever_runs_first() {
        let items: Vec<u32> = (0..7).collect();
        for spread in [&InTurn as &dyn Spread, &Backwards, &Forwards] {
            let (mut here, mut there) = (0u32, 0u32);
            let mut firsts = 0;
            let got = map_beside(
                spread,
                &items,
                2,
                (&mut here, &mut there),
                &mut || firsts += 1,
                &|seen: &mut u32, &x| {
                    *seen += 1;
                    x * 10
                },
            );
            assert_eq!(got, vec![0, 10, 20, 30, 40, 50, 60]);
            assert_eq!(firsts, 1);
            // Every item was worked once, by one piece or the other, each counting in its state.
            assert_eq!(here + there, 7);
        }
        // Whoever runs first takes every chunk; states carry over to the next call.
        let (mut here, mut there) = (0u32, 0u32);
        for _ in 0..2 {
            let count = |s: &mut u32, _: &u32| *s += 1;
            map_beside(
                &Backwards,
                &items,
                3,
                (&mut here, &mut there),
                &mut || (),
                &count,
            );
        }
        assert_eq!((here, there), (0, 14));
        let mut states = (0u32, 0u32);
        let none = map_beside(
            &InTurn,
            &[] as &[u32],
            4,
            (&mut states.0, &mut states.1),
            &mut || (),
            &|_, &x| x,
        );
        assert!(none.is_empty());
    }
}
