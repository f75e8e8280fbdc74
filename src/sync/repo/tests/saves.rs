//! Local changes: saved in order before the row stops saying "saving",
//! failed writes shown, kept and retried, read-only documents.

use super::*;

#[test]
fn a_local_change_is_saved_in_order_then_synced_and_acknowledged() {
    let d = doc(4);
    let mut w = connected(d);
    let actions = w.change(d, "v", "tablet");
    let write = actions
        .iter()
        .position(|a| matches!(a, Action::Write { doc, .. } if *doc == d));
    let send = actions
        .iter()
        .position(|a| matches!(a, Action::Send { .. }));
    assert!(write.is_some() && send.is_some());
    assert!(!w.unsaved(d), "written: the row no longer says saving");
    assert_eq!(w.server_value(d, "v").as_deref(), Some("tablet"));
    assert_eq!(w.row_ack(d), Some(Ack::Acked));
    // The stored chunks give the changed document back.
    assert_eq!(value(&w.stored(d), "v").as_deref(), Some("tablet"));
}

#[test]
fn a_second_save_waits_for_the_first_write() {
    let d = doc(5);
    let mut w = connected(d);
    // Hold the writer: changes queue behind the batch being written.
    let before = w.seen.len();
    let ((), a1) = w
        .tab
        .change(w.now, d, |am| {
            let mut tx = am.transaction();
            tx.put(ROOT, "a", "1").unwrap();
            tx.commit();
        })
        .unwrap();
    let ((), a2) = w
        .tab
        .change(w.now, d, |am| {
            let mut tx = am.transaction();
            tx.put(ROOT, "b", "2").unwrap();
            tx.commit();
        })
        .unwrap();
    assert_eq!(
        a1.iter()
            .filter(|a| matches!(a, Action::Write { .. }))
            .count(),
        1
    );
    assert!(
        !a2.iter().any(|a| matches!(a, Action::Write { .. })),
        "no second writer while one batch is being written"
    );
    assert!(w.tab.saves_pending());
    // The first is committed: the second follows.
    let next = w.feed(Input::Written);
    assert!(next.iter().any(|a| matches!(a, Action::Write { .. })));
    let _ = before;
    let done = w.feed(Input::Written);
    assert!(!done.iter().any(|a| matches!(a, Action::Write { .. })));
    assert!(!w.tab.saves_pending());
    assert!(!w.unsaved(d));
    // A late or duplicate "written" changes nothing.
    assert!(w.feed(Input::Written).is_empty());
}

#[test]
fn a_failed_write_is_shown_kept_and_retried_until_it_succeeds() {
    let d = doc(6);
    let mut w = connected(d);
    w.write_error = Some(StorageError::QuotaExceeded("full".into()));
    let actions = w.change(d, "v", "kept");
    assert!(actions.iter().any(|a| matches!(
        a,
        Action::Problem(Some(Problem::Storage(StorageError::QuotaExceeded(_))))
    )));
    assert!(w.unsaved(d), "still saving: nothing dropped");
    assert!(w.tab.saves_pending());
    // Not retried before its time; retried after it, with the same batch.
    let early = w.tick(WRITE_RETRY_MS - 1_000.0);
    assert!(!early.iter().any(|a| matches!(a, Action::Write { .. })));
    w.write_error = None;
    let late = w.tick(1_000.0);
    assert!(late.iter().any(|a| matches!(a, Action::Write { .. })));
    assert!(
        late.contains(&Action::Problem(None)),
        "fixed: problem cleared"
    );
    assert!(!w.unsaved(d));
    assert_eq!(w.tab.problem_shown(), None);
    assert_eq!(value(&w.stored(d), "v").as_deref(), Some("kept"));
}

#[test]
fn a_closed_database_is_reopened_before_the_retry() {
    let d = doc(7);
    let mut w = connected(d);
    w.write_error = Some(StorageError::Closed("gone".into()));
    let actions = w.change(d, "v", "x");
    assert!(actions.contains(&Action::ForgetStore));
    w.write_error = None;
    // A change meanwhile fails at once (no database) and is kept too.
    let meanwhile = w.change(d, "w", "y");
    assert!(!meanwhile.iter().any(|a| matches!(a, Action::Write { .. })));
    let retry = w.tick(WRITE_RETRY_MS);
    let open = retry.iter().position(|a| *a == Action::OpenStore);
    let write = retry.iter().position(|a| matches!(a, Action::Write { .. }));
    assert!(open.is_some() && write.is_some() && open < write);
    assert!(!w.tab.saves_pending());
}

#[test]
fn edits_of_a_read_only_document_are_kept_and_flagged_not_pending() {
    let d = doc(21);
    let mut w = World::with_server_docs(&[(d, "server")]);
    w.start(Some(enrolment("tok", vec![grant(d, "read")])));
    let row = w.tab.rows().iter().find(|r| r.id == d).unwrap().clone();
    assert!(row.read_only && !row.writable());
    w.link = None; // what the server would say is not the point here
    w.change(d, "v", "mine");
    let row = w.tab.rows().iter().find(|r| r.id == d).unwrap().clone();
    assert!(row.readonly_edits);
    assert!(!row.unsaved, "saved like any other");
}

#[test]
fn a_change_of_a_document_not_here_is_refused() {
    let mut w = World::new();
    w.start(None);
    let r = w.tab.change(w.now, doc(29), |_| ());
    assert!(matches!(r, Err(yanzhen_sync::Error::UnknownDocument(_))));
}

#[test]
fn a_compaction_is_one_batch_put_first_and_loses_nothing() {
    let d = doc(31);
    let mut w = connected(d);
    for i in 0..40 {
        w.change(d, &format!("k{i}"), &format!("v{i}"));
    }
    let compactions: Vec<&Vec<StorageOp>> = w
        .seen
        .iter()
        .filter_map(|a| match a {
            Action::Write { ops, .. } if ops.len() > 1 => Some(ops),
            _ => None,
        })
        .collect();
    assert!(!compactions.is_empty(), "the incrementals were compacted");
    for ops in compactions {
        assert!(
            matches!(ops[0], StorageOp::Put { .. }),
            "the new chunk first"
        );
        assert!(
            ops[1..]
                .iter()
                .all(|op| matches!(op, StorageOp::Delete { .. }))
        );
    }
    let stored = w.stored(d);
    for i in [0, 17, 39] {
        assert_eq!(
            value(&stored, &format!("k{i}")).as_deref(),
            Some(format!("v{i}").as_str())
        );
    }
}

#[test]
fn a_delete_never_joins_the_batch_being_written() {
    let d = doc(32);
    let mut w = connected(d);
    // The writer holds the first batch while forty more changes (and the
    // compactions they lead to) queue behind it.
    let mut writing = None;
    for i in 0..40 {
        let ((), actions) = w
            .tab
            .change(w.now, d, |am| {
                let mut tx = am.transaction();
                tx.put(ROOT, format!("k{i}").as_str(), i as i64).unwrap();
                tx.commit();
            })
            .unwrap();
        writing = writing.or_else(|| first_write(&actions));
    }
    // Each batch is written as it was handed out, then the next.
    let mut batches = 0;
    while let Some(ops) = writing {
        batches += 1;
        for op in ops {
            match op {
                StorageOp::Put { key, data } => {
                    w.idb.insert(key, data);
                }
                StorageOp::Delete { key } => {
                    w.idb.remove(&key);
                }
            }
        }
        writing = first_write(&w.tab.on(w.now, Input::Written));
    }
    assert!(batches > 1);
    assert!(!w.tab.saves_pending());
    // IndexedDB holds exactly the chunks the node planned: no replaced
    // chunk was left behind by a delete that never reached the writer.
    let mut planned = w.tab.node().stored_chunk_keys(&d).unwrap();
    planned.sort();
    let held: Vec<_> = w
        .idb
        .keys()
        .filter(|k| k[0] == d.to_string())
        .cloned()
        .collect();
    assert_eq!(held, planned);
    assert_eq!(value(&w.stored(d), "k39"), None, "an int, not text");
    assert!(w.stored(d).get(ROOT, "k39").unwrap().is_some());
}

fn first_write(actions: &[Action]) -> Option<Vec<StorageOp>> {
    actions.iter().find_map(|a| match a {
        Action::Write { ops, .. } => Some(ops.clone()),
        _ => None,
    })
}

#[test]
fn a_lone_delete_after_the_batch_in_flight_is_a_batch_of_its_own() {
    let d = doc(33);
    let mut w = World::new();
    w.start(None);
    let key = |name: &str| vec![d.to_string(), "incremental".to_owned(), name.to_owned()];
    let put = yanzhen_sync::Effect::Storage(StorageOp::Put {
        key: key("new"),
        data: vec![1],
    });
    let delete = yanzhen_sync::Effect::Storage(StorageOp::Delete { key: key("old") });
    let mut out = Vec::new();
    w.tab.run(w.now, vec![put], &mut out);
    assert!(first_write(&out).is_some_and(|ops| ops.len() == 1));
    // The delete comes while the put is being written: it must not be
    // taken off the queue with it, unwritten.
    let mut out = Vec::new();
    w.tab.run(w.now, vec![delete], &mut out);
    assert!(first_write(&out).is_none(), "one writer");
    let next = first_write(&w.tab.on(w.now, Input::Written));
    assert_eq!(next, Some(vec![StorageOp::Delete { key: key("old") }]));
    assert!(first_write(&w.tab.on(w.now, Input::Written)).is_none());
    assert!(!w.tab.saves_pending());
}
