//! What is shown: the start-up load, the bootstrap, storage and
//! damaged-record problems, junk and unasked documents, the errands.

use super::*;

#[test]
fn an_unenrolled_tablet_shows_what_it_holds_and_does_not_connect() {
    let d = doc(1);
    let mut w = World::new();
    w.idb.insert(
        vec![d.to_string(), "snapshot".into(), "x".into()],
        am_with("v", "stored").save(),
    );
    let actions = {
        w.start(None);
        w.seen.clone()
    };
    assert!(actions.contains(&Action::Load { doc: d }));
    assert!(actions.contains(&Action::DocsLoaded));
    assert!(World::connects(&actions).is_empty());
    assert_eq!(w.tab.connection(), Connection::NotEnrolled);
    assert_eq!(w.tab.rows().len(), 1);
    let am = w.tab.node().document(&d).unwrap();
    assert_eq!(value(am, "v").as_deref(), Some("stored"));
}

#[test]
fn a_new_tablet_is_loaded_at_once() {
    let mut w = World::new();
    w.auto_open = false;
    let started = w.start_holding(Vec::new());
    assert!(started.contains(&Action::DocsLoaded));
}

#[test]
fn the_rows_of_the_start_up_load_are_published_once_all_are_in() {
    // Published one by one, every open screen would recompute its figures
    // once per document.
    let mut w = World::new();
    let ids = [doc(40), doc(41), doc(42)];
    for (i, d) in ids.iter().enumerate() {
        w.idb.insert(
            vec![d.to_string(), "snapshot".into(), "x".into()],
            am_with("v", &i.to_string()).save(),
        );
    }
    w.start(None);
    let loaded_at = w.seen.iter().position(|a| *a == Action::DocsLoaded);
    let rows: Vec<usize> = w
        .seen
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a, Action::Rows(_)))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(rows.len(), 1, "{:?}", w.seen);
    assert!(Some(rows[0]) < loaded_at);
    assert_eq!(w.tab.rows().len(), 3);
}

#[test]
fn a_failed_bootstrap_is_shown_and_cleared_by_the_next() {
    let d = doc(22);
    let mut w = World::with_server_docs(&[(d, "server")]);
    w.bootstrap = Err("HTTP 502".into());
    w.start(Some(enrolment("tok", vec![grant(d, "write")])));
    assert_eq!(
        w.tab.problem_shown(),
        Some(&Problem::Bootstrap("HTTP 502".into()))
    );
    w.bootstrap = Ok(Some(d));
    let ok = w.feed(Input::Bootstrapped(Ok(Some(d))));
    assert!(ok.contains(&Action::KeepDistrict(Some(d))));
    // The named district document is no district (a plain document here):
    // that, not the bootstrap, is the problem now.
    assert!(matches!(w.tab.problem_shown(), Some(Problem::Document(_))));
}

#[test]
fn a_storage_failure_while_loading_is_shown_and_the_start_completes() {
    let d = doc(23);
    let mut w = World::new();
    let started = w.start_holding(vec![d]);
    assert!(started.contains(&Action::Load { doc: d }));
    assert!(!started.contains(&Action::DocsLoaded));
    let a = w.feed(Input::Loaded {
        doc: d,
        chunks: Err(StorageError::Locked("no key".into())),
    });
    assert!(a.contains(&Action::DocsLoaded));
    assert!(matches!(
        w.tab.problem_shown(),
        Some(Problem::Storage(StorageError::Locked(_)))
    ));
}

#[test]
fn no_indexeddb_at_all_is_shown_and_the_start_completes() {
    let mut w = World::new();
    w.feed(Input::Started {
        online: true,
        store_open: false,
        stored: Err(StorageError::Unavailable("private window".into())),
        enrolment: None,
        district: None,
    });
    assert!(matches!(
        w.tab.problem_shown(),
        Some(Problem::Storage(StorageError::Unavailable(_)))
    ));
    assert!(w.seen.contains(&Action::DocsLoaded));
}

#[test]
fn damaged_records_are_named() {
    let d = doc(24);
    let mut w = World::new();
    let _ = w.start_holding(vec![d]);
    let bad = vec![(
        vec![d.to_string(), "snapshot".into(), "x".into()],
        b"not automerge".to_vec(),
    )];
    w.feed(Input::Loaded {
        doc: d,
        chunks: Ok((bad, 2)),
    });
    assert!(matches!(w.tab.problem_shown(), Some(Problem::Document(_))));
}

#[test]
fn junk_from_the_server_changes_no_document() {
    let d = doc(25);
    let mut w = connected(d);
    let (conn, _) = w.link.unwrap();
    let heads = w.tab.node().document(&d).unwrap().get_heads();
    let rows = w.tab.rows().len();
    w.feed(Input::Received {
        conn,
        bytes: vec![0xff, 0x00, 0x13],
    });
    assert_eq!(w.tab.node().document(&d).unwrap().get_heads(), heads);
    assert_eq!(w.tab.rows().len(), rows);
}

#[test]
fn a_document_offered_unasked_is_looked_up_in_storage_and_shown_unnamed() {
    // The sync node takes up a document a peer offers (automerge-repo's
    // announce); the repo looks for it in IndexedDB and shows it as a row
    // of its own ("other", no name); nothing else moves.
    let (mine, other) = (doc(26), doc(27));
    let mut w = World::with_server_docs(&[(mine, "a")]);
    w.start(Some(enrolment("tok", vec![grant(mine, "write")])));
    let (conn, _) = w.link.unwrap();
    let data = {
        use automerge::sync::SyncDoc;
        let mut state = automerge::sync::State::new();
        let msg = am_with("v", "b").generate_sync_message(&mut state).unwrap();
        msg.encode()
    };
    let offer = yanzhen_sync::Message::Sync {
        sender_id: PeerId::new("server-test"),
        target_id: PeerId::new("tablet-test"),
        document_id: other,
        data,
    };
    let a = w.feed(Input::Received {
        conn,
        bytes: offer.encode(),
    });
    let load = a.iter().position(|x| *x == Action::Load { doc: other });
    assert!(load.is_some());
    let row = w.tab.rows().iter().find(|r| r.id == other).unwrap();
    assert_eq!((row.kind, row.name.as_deref()), (DocKind::Other, None));
    // The tablet's own document is untouched.
    let am = w.tab.node().document(&mine).unwrap();
    assert_eq!(value(am, "v").as_deref(), Some("a"));
}

#[test]
fn attestations_are_asked_for_once_per_state_and_files_passed_on_once() {
    let d = doc(28);
    let mut w = connected(d);
    let count = |w: &World, f: fn(&Action) -> bool| w.seen.iter().filter(|a| f(a)).count();
    let attest = |a: &Action| matches!(a, Action::Attest { .. });
    let pass = |a: &Action| matches!(a, Action::PassOn { .. });
    w.tick(1_000.0);
    w.tick(1_000.0);
    assert_eq!(count(&w, attest), 1);
    assert_eq!(count(&w, pass), 1);
    // The documents moved: asked again (the carried files: once per connection).
    w.change(d, "v", "moved");
    w.tick(1_000.0);
    assert_eq!(count(&w, attest), 2);
    assert_eq!(count(&w, pass), 1);
    w.feed(Input::RelayKept);
    assert_eq!(count(&w, pass), 2, "a newly kept file goes at once");
}
