//! Sync by file between offices: round trips of changes and whole
//! documents, incremental exports since known heads, importing twice,
//! importing out of order, concurrent edits converging, and an automerge
//! conflict refused without changing anything.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT, ReadDoc};
use yanzhen_sync::DocumentId;
use yanzhen_sync::StorageOp;
use yanzhen_sync::file::{self, FileError, FileWriter, MAGIC, SyncFile};
use yanzhen_sync::storage::{DocStorage, load_document};

const T0: u64 = 1_700_000_000_000;

fn id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

fn put(doc: &mut Automerge, key: &str, value: &str) {
    let mut tx = doc.transaction();
    tx.put(ROOT, key, value).unwrap();
    tx.commit();
}

fn get(doc: &Automerge, key: &str) -> Option<String> {
    doc.get(ROOT, key)
        .unwrap()
        .map(|(v, _)| v.as_str().unwrap_or_default().to_owned())
}

fn all_changes(docs: &[(DocumentId, &Automerge)]) -> Vec<u8> {
    let mut w = FileWriter::new("东风村党总支", T0).unwrap();
    for (i, d) in docs {
        w.add_changes_since(*i, d, &[]);
    }
    w.finish()
}

#[test]
fn round_trip_of_changes_and_metadata() {
    let mut a = Automerge::new();
    put(&mut a, "name", "张三");
    put(&mut a, "post", "书记");
    let mut b = Automerge::new();
    put(&mut b, "name", "李四");
    let bytes = all_changes(&[(id(1), &a), (id(2), &b)]);
    assert_eq!(bytes[..8], MAGIC);

    let f = file::read(&bytes).unwrap();
    assert_eq!(f.origin, "东风村党总支");
    assert_eq!(f.created_ms, T0);
    assert_eq!(f.documents().copied().collect::<Vec<_>>(), [id(1), id(2)]);
    assert_eq!(f.change_count(&id(1)), Some(2));
    assert_eq!(f.change_count(&id(3)), None);

    let mut theirs = BTreeMap::new();
    let report = f.apply(&mut theirs).unwrap();
    assert_eq!(report.len(), 2);
    for r in &report {
        assert!(r.created && r.changed);
        assert!(r.before.is_empty());
        assert_eq!(r.waiting, 0);
        assert!(r.missing_deps.is_empty());
    }
    assert_eq!(report[0].heads, a.get_heads());
    assert_eq!(report[1].heads, b.get_heads());
    assert_eq!(get(&theirs[&id(1)], "post").as_deref(), Some("书记"));
    assert_eq!(get(&theirs[&id(2)], "name").as_deref(), Some("李四"));
}

#[test]
fn whole_documents_round_trip_and_merge_into_diverged_copies() {
    let mut a = Automerge::new();
    put(&mut a, "name", "张三");
    let mut theirs = BTreeMap::new();
    theirs.insert(id(1), a.fork());
    put(&mut a, "post", "书记");
    put(theirs.get_mut(&id(1)).unwrap(), "phone", "13800000000");

    let bytes = file::export("镇", T0, [(id(1), &a, None)]).unwrap();
    assert_eq!(file::read(&bytes).unwrap().change_count(&id(1)), Some(2));
    let report = file::import(&bytes, &mut theirs).unwrap();
    assert!(!report[0].created && report[0].changed);
    let merged = &theirs[&id(1)];
    assert_eq!(get(merged, "post").as_deref(), Some("书记"));
    assert_eq!(get(merged, "phone").as_deref(), Some("13800000000"));
    assert_eq!(merged.get_heads().len(), 2, "two concurrent heads");

    // Into an empty map: the document is created as it was.
    let mut fresh = BTreeMap::new();
    let report = file::import(&bytes, &mut fresh).unwrap();
    assert!(report[0].created);
    assert_eq!(fresh[&id(1)].get_heads(), a.get_heads());
}

#[test]
fn export_since_heads_carries_only_what_is_missing() {
    let mut a = Automerge::new();
    put(&mut a, "name", "张三");
    put(&mut a, "post", "书记");
    let mut theirs = BTreeMap::new();
    file::import(&all_changes(&[(id(1), &a)]), &mut theirs).unwrap();
    let their_heads = theirs[&id(1)].get_heads();

    // Nothing new: the document is left out.
    let mut w = FileWriter::new("", T0).unwrap();
    assert_eq!(w.add_changes_since(id(1), &a, &their_heads), 0);
    assert!(w.is_empty());
    let empty = w.finish();
    assert!(file::import(&empty, &mut theirs).unwrap().is_empty());

    put(&mut a, "post", "主任");
    let mut w = FileWriter::new("", T0).unwrap();
    assert_eq!(w.add_changes_since(id(1), &a, &their_heads), 1);
    let report = file::import(&w.finish(), &mut theirs).unwrap();
    assert_eq!(report[0].before, their_heads);
    assert_eq!(report[0].heads, a.get_heads());
    assert_eq!(get(&theirs[&id(1)], "post").as_deref(), Some("主任"));

    // Heads we never saw (the other side moved on without us) are ignored:
    // everything is sent, which is harmless.
    let mut other = Automerge::new();
    put(&mut other, "x", "y");
    let mut w = FileWriter::new("", T0).unwrap();
    assert_eq!(w.add_changes_since(id(1), &a, &other.get_heads()), 3);
}

#[test]
fn importing_twice_changes_nothing_the_second_time() {
    let mut a = Automerge::new();
    put(&mut a, "name", "张三");
    let changes = all_changes(&[(id(1), &a)]);
    let whole = file::export("", T0, [(id(1), &a, None)]).unwrap();
    let mut theirs = BTreeMap::new();
    assert!(file::import(&changes, &mut theirs).unwrap()[0].changed);
    let saved = theirs[&id(1)].save();
    for bytes in [&changes, &whole, &changes] {
        let r = &file::import(bytes, &mut theirs).unwrap()[0];
        assert!(!r.changed && !r.created);
        assert_eq!(r.before, r.heads);
        assert_eq!(r.waiting, 0);
        assert_eq!(theirs[&id(1)].save(), saved);
    }
}

/// Two successive exports applied in reverse order reach the same state as
/// in order: the later file's changes wait in automerge's queue (reported,
/// not applied, heads unchanged) until the earlier file brings their
/// dependencies.
#[test]
fn files_out_of_order_converge() {
    let mut a = Automerge::new();
    put(&mut a, "name", "张三");
    put(&mut a, "post", "委员");
    let first = all_changes(&[(id(1), &a)]);
    let mid = a.get_heads();
    put(&mut a, "post", "书记");
    put(&mut a, "phone", "13800000000");
    let mut w = FileWriter::new("", T0 + 1).unwrap();
    assert_eq!(w.add_changes_since(id(1), &a, &mid), 2);
    let second = w.finish();

    let mut in_order = BTreeMap::new();
    file::import(&first, &mut in_order).unwrap();
    file::import(&second, &mut in_order).unwrap();

    let mut reversed = BTreeMap::new();
    let r = &file::import(&second, &mut reversed).unwrap()[0];
    assert!(r.created && !r.changed, "nothing applicable yet: {r:?}");
    assert!(r.heads.is_empty());
    assert_eq!(r.waiting, 2);
    assert_eq!(r.missing_deps, mid, "waits for the earlier file's heads");
    assert_eq!(get(&reversed[&id(1)], "name"), None);
    // The same later file again: still waiting, still harmless.
    assert_eq!(file::import(&second, &mut reversed).unwrap()[0].waiting, 2);

    let r = &file::import(&first, &mut reversed).unwrap()[0];
    assert!(r.changed);
    assert_eq!(r.waiting, 0);
    assert!(r.missing_deps.is_empty());
    assert_eq!(r.heads, a.get_heads(), "queued changes applied too");
    assert_eq!(reversed[&id(1)].get_heads(), in_order[&id(1)].get_heads());
    assert_eq!(
        get(&reversed[&id(1)], "phone").as_deref(),
        Some("13800000000")
    );
    assert_eq!(get(&reversed[&id(1)], "post").as_deref(), Some("书记"));

    // Persistence of waiting changes. `Automerge::save` (default options)
    // keeps queued changes, so a snapshot restores them ...
    let mut reloaded = BTreeMap::new();
    file::import(&second, &mut reloaded).unwrap();
    let snapshot = Automerge::load(&reloaded[&id(1)].save()).unwrap();
    let mut after_restart = BTreeMap::from([(id(1), snapshot)]);
    let r = &file::import(&first, &mut after_restart).unwrap()[0];
    assert_eq!(
        r.heads,
        a.get_heads(),
        "the snapshot kept the waiting changes"
    );

    // ... but the storage planner saves only when the heads change, and
    // incremental saves (`save_after`) carry no queued changes: a tablet
    // that already had the document loses the waiting changes on restart,
    // and the later file must be imported again (which is harmless).
    let mut doc = Automerge::new();
    put(&mut doc, "unrelated", "x");
    let mut store = BTreeMap::new();
    let mut plan = DocStorage::new();
    for op in plan.plan_save(&id(1), &doc) {
        if let StorageOp::Put { key, data } = op {
            store.insert(key, data);
        }
    }
    let mut docs = BTreeMap::from([(id(1), doc)]);
    assert_eq!(file::import(&second, &mut docs).unwrap()[0].waiting, 2);
    assert!(
        !plan.needs_save(&docs[&id(1)]),
        "nothing to save: heads unchanged"
    );
    let (restarted, _) = load_document(store).unwrap().unwrap();
    let mut docs = BTreeMap::from([(id(1), restarted)]);
    let r = &file::import(&first, &mut docs).unwrap()[0];
    assert_eq!(r.waiting, 0);
    assert_eq!(
        get(&docs[&id(1)], "post").as_deref(),
        Some("委员"),
        "lost on restart"
    );
    let r = &file::import(&second, &mut docs).unwrap()[0];
    assert!(r.changed && r.missing_deps.is_empty());
    assert_eq!(get(&docs[&id(1)], "post").as_deref(), Some("书记"));
}

#[test]
fn concurrent_edits_in_two_offices_converge_by_files() {
    let mut village = Automerge::new();
    put(&mut village, "name", "张三");
    let mut town = BTreeMap::new();
    file::import(&all_changes(&[(id(1), &village)]), &mut town).unwrap();
    let town_knows = village.get_heads();

    put(&mut village, "phone", "13800000000");
    put(town.get_mut(&id(1)).unwrap(), "rank", "优秀");

    let mut w = FileWriter::new("村", T0).unwrap();
    w.add_changes_since(id(1), &village, &town_knows);
    file::import(&w.finish(), &mut town).unwrap();

    let mut w = FileWriter::new("镇", T0).unwrap();
    w.add_changes_since(id(1), &town[&id(1)], &town_knows);
    let mut village_docs = BTreeMap::from([(id(1), village)]);
    file::import(&w.finish(), &mut village_docs).unwrap();

    let (v, t) = (&village_docs[&id(1)], &town[&id(1)]);
    assert_eq!(v.get_heads(), t.get_heads());
    assert_eq!(get(v, "rank").as_deref(), Some("优秀"));
    assert_eq!(get(t, "phone").as_deref(), Some("13800000000"));
}

#[test]
fn apply_to_a_single_document() {
    let mut a = Automerge::new();
    put(&mut a, "name", "张三");
    let f: SyncFile = file::read(&all_changes(&[(id(1), &a)])).unwrap();
    let mut doc = Automerge::new();
    assert_eq!(f.apply_to(id(2), &mut doc).unwrap(), None);
    let r = f.apply_to(id(1), &mut doc).unwrap().unwrap();
    assert!(r.created && r.changed);
    assert_eq!(doc.get_heads(), a.get_heads());
}

/// The same actor and sequence number with different content (a cloned
/// tablet): automerge refuses, and the import changes no document at all,
/// not even the ones that would have applied.
#[test]
fn a_conflict_at_apply_time_changes_nothing() {
    let actor = ActorId::from(b"cloned-tablet".as_slice());
    let mut here = Automerge::new().with_actor(actor.clone());
    put(&mut here, "name", "张三");
    let mut there = Automerge::new().with_actor(actor);
    put(&mut there, "name", "李四");
    let mut fine = Automerge::new();
    put(&mut fine, "x", "y");
    // Document 0 sorts first and applies fine before document 1 fails.
    let bytes = all_changes(&[(id(0), &fine), (id(1), &there)]);

    let mut docs = BTreeMap::from([(id(1), here.clone())]);
    let err = file::import(&bytes, &mut docs).unwrap_err();
    assert!(
        matches!(err, FileError::Rejected { doc, .. } if doc == id(1)),
        "{err:?}"
    );
    assert_eq!(err.message_key(), "sync_file.rejected");
    assert_eq!(docs.len(), 1, "document 0 was not created");
    assert_eq!(docs[&id(1)].save(), here.save());

    let mut single = here.clone();
    let f = file::read(&bytes).unwrap();
    assert!(f.apply_to(id(1), &mut single).is_err());
    assert_eq!(single.save(), here.save());
}

#[test]
fn origin_label_is_bounded() {
    assert!(FileWriter::new(&"村".repeat(341), T0).is_ok());
    assert_eq!(
        FileWriter::new(&"村".repeat(342), T0).err(),
        Some(FileError::OriginTooLong)
    );
}
