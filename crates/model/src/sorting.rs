//! Stable sorting with one copy of the sort code for the whole app.
//!
//! `slice::sort_by` is generic over the element and the comparison, so
//! every call site instantiates Rust's whole stable sort (driftsort, ~4 KB
//! of wasm each): ~140 copies, half a megabyte of the app's wasm. These
//! functions sort the positions `0..len` once (one instantiation, the
//! comparison called through `dyn`) and then move the elements into place
//! with a few lines per element type. The result is exactly the stable
//! sort's: equal elements keep their order. Used by the model and the app
//! (which the browser downloads); the server may sort as it likes.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Where each element goes: `to[i]` is the sorted position of the element
/// now at `i`, for a stable sort of `0..len` by `cmp`.
fn destinations(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    let mut to = vec![0; len];
    for (place, from) in order.into_iter().enumerate() {
        to[from] = place;
    }
    to
}

/// `v.sort_by(cmp)`: stable, equal elements keep their order.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut to = destinations(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    // Each swap puts one element where it belongs.
    for i in 0..v.len() {
        while to[i] != i {
            let j = to[i];
            v.swap(i, j);
            to.swap(i, j);
        }
    }
}

/// `v.sort_by_key(key)`: stable, by the key (computed at each comparison,
/// as the standard library does).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort()`: stable.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// `items.collect::<BTreeMap<_, _>>()` without the sort: collecting into a
/// `BTreeMap` sorts the items first (one copy of the stable sort per key
/// and value type); inserting them one by one gives the same map (the last
/// value of a repeated key wins, as with `collect`).
pub fn btree_map<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(items);
    map
}

/// `items.collect::<BTreeSet<_>>()` without the sort (see [`btree_map`]).
pub fn btree_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_and_sets_as_collect_makes_them() {
        let items = [(3, "c"), (1, "a"), (3, "z"), (2, "b"), (1, "y")];
        assert_eq!(
            btree_map(items),
            items.into_iter().collect::<BTreeMap<_, _>>()
        );
        assert_eq!(btree_map(Vec::<(u8, u8)>::new()), BTreeMap::new());
        let keys = [5, 1, 5, 3, 1];
        assert_eq!(btree_set(keys), keys.into_iter().collect::<BTreeSet<_>>());
    }

    /// A tiny deterministic generator (no dependency for the test).
    fn numbers(seed: u64, n: usize) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                x >> 33
            })
            .collect()
    }

    #[test]
    fn the_same_order_as_the_standard_stable_sort() {
        for (seed, n) in [
            (1, 0),
            (2, 1),
            (3, 2),
            (4, 7),
            (5, 20),
            (6, 33),
            (7, 500),
            (8, 5000),
        ] {
            // Few distinct keys, so many ties: their order must be kept.
            let items: Vec<(u64, usize)> = numbers(seed, n)
                .into_iter()
                .enumerate()
                .map(|(i, x)| (x % 13, i))
                .collect();
            let mut want = items.clone();
            want.sort_by_key(|a| a.0);
            let mut got = items.clone();
            sort_by(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, want, "sort_by, {n} items");
            let mut got = items.clone();
            sort_by_key(&mut got, |a| std::cmp::Reverse(a.0));
            let mut want = items.clone();
            want.sort_by_key(|a| std::cmp::Reverse(a.0));
            assert_eq!(got, want, "sort_by_key, {n} items");
            let mut got = items.clone();
            sort(&mut got);
            let mut want = items;
            want.sort();
            assert_eq!(got, want, "sort, {n} items");
        }
    }

    #[test]
    fn strings_and_already_sorted_input() {
        let mut v = vec!["b", "a", "c", "a"];
        sort(&mut v);
        assert_eq!(v, ["a", "a", "b", "c"]);
        sort(&mut v);
        assert_eq!(v, ["a", "a", "b", "c"]);
        sort_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, ["c", "b", "a", "a"]);
        let mut owned: Vec<String> = vec!["王".into(), "李".into()];
        sort(&mut owned);
        assert_eq!(owned, ["李", "王"]);
    }
}
