//! Hydrate each document once per revision. A district tablet holds ~100
//! unit documents; a screen re-reads when any of them changes, so the
//! hydrated data of the others is kept (shared, [`Arc`]) and only documents
//! whose revision moved are hydrated again (see [`super::units`]).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

/// Hydrated values of documents keyed by id, each with the revision it was
/// read at.
#[derive(Debug)]
pub struct RevisionCache<K, T> {
    entries: HashMap<K, (u64, Arc<T>)>,
    /// How many hydrations were done (for the screen's diagnostics and tests).
    pub hydrations: u64,
}

impl<K, T> Default for RevisionCache<K, T> {
    fn default() -> Self {
        RevisionCache {
            entries: HashMap::new(),
            hydrations: 0,
        }
    }
}

impl<K: Eq + Hash + Clone, T> RevisionCache<K, T> {
    /// The values of `docs` (id, revision) in that order: cached when the
    /// revision is unchanged, otherwise `load`ed (documents that cannot be
    /// loaded are left out). Entries of documents no longer listed are
    /// dropped.
    pub fn refresh(&mut self, docs: &[(K, u64)], load: impl FnMut(&K) -> Option<T>) -> Vec<Arc<T>> {
        self.refresh_keyed(docs, load)
            .into_iter()
            .map(|(_, v)| v)
            .collect()
    }

    /// [`Self::refresh`], each value with its document's id.
    pub fn refresh_keyed(
        &mut self,
        docs: &[(K, u64)],
        mut load: impl FnMut(&K) -> Option<T>,
    ) -> Vec<(K, Arc<T>)> {
        let mut out = Vec::with_capacity(docs.len());
        for (id, rev) in docs {
            match self.entries.get(id) {
                Some((r, v)) if r == rev => out.push((id.clone(), v.clone())),
                _ => {
                    self.hydrations += 1;
                    if let Some(v) = load(id) {
                        let v = Arc::new(v);
                        self.entries.insert(id.clone(), (*rev, v.clone()));
                        out.push((id.clone(), v));
                    } else {
                        self.entries.remove(id);
                    }
                }
            }
        }
        if self.entries.len() > docs.len() {
            self.entries
                .retain(|k, _| docs.iter().any(|(id, _)| id == k));
        }
        out
    }
}

/// Whether two lists hold the very same values (pointer equality: a cheap
/// "changed?" for memos over cached data).
pub fn same<T>(a: &[Arc<T>], b: &[Arc<T>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_revisions_are_loaded_again() {
        let mut c: RevisionCache<u8, String> = RevisionCache::default();
        let mut loads = Vec::new();
        let first = c.refresh(&[(1, 0), (2, 0), (3, 0)], |id| {
            loads.push(*id);
            Some(format!("doc{id}"))
        });
        assert_eq!(first.len(), 3);
        assert_eq!(loads, [1, 2, 3]);
        loads.clear();
        let again = c.refresh(&[(1, 0), (2, 0), (3, 0)], |id| {
            loads.push(*id);
            Some(String::new())
        });
        assert!(loads.is_empty());
        assert!(same(&first, &again));
        let bumped = c.refresh(&[(1, 0), (2, 5), (3, 0)], |id| {
            loads.push(*id);
            Some(format!("doc{id}v5"))
        });
        assert_eq!(loads, [2]);
        assert_eq!(*bumped[1], "doc2v5");
        assert!(Arc::ptr_eq(&first[0], &bumped[0]) && !same(&first, &bumped));
        assert_eq!(c.hydrations, 4);
        // A document that is gone is dropped; one that cannot be read is left out.
        let fewer = c.refresh(&[(1, 0), (4, 0)], |_| None);
        assert_eq!(fewer.len(), 1);
        assert_eq!(c.entries.len(), 1);
    }
}
