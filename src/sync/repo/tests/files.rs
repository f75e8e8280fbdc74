//! Sync by file through the repo: a preview changes nothing; an import
//! applies only attested changes of documents this tablet syncs, saved and
//! synced onward like a local change.

use super::*;
use yanzhen_sync::attest::{self, DistrictKeys, ServerKey, TransferKey};

const SEED: [u8; 32] = [9; 32];

fn keys() -> DistrictKeys {
    DistrictKeys {
        server_key: ServerKey::from_seed(&SEED),
        transfer_key: TransferKey {
            id: [1; 8],
            key: [2; 32],
        },
    }
}

/// A sealed file with `docs`, each attested as it is.
fn sealed(docs: &[(DocumentId, &Automerge)]) -> Vec<u8> {
    let attestations: Vec<_> = docs
        .iter()
        .map(|(id, am)| attest::sign(*id, am.get_heads(), 1, &SEED))
        .collect();
    crate::sync::transfer::export(
        "东风村",
        7,
        docs.iter().map(|(id, am)| (*id, *am)),
        &attestations,
        &keys(),
        None,
        [3; 12],
    )
    .unwrap()
    .unwrap()
    .bytes
}

#[test]
fn a_preview_changes_nothing_and_an_import_is_saved_and_synced() {
    let (d, stranger) = (doc(50), doc(51));
    let mut w = connected(d);
    let mut carried = w.tab.node().document(&d).unwrap().fork();
    let mut tx = carried.transaction();
    tx.put(ROOT, "v", "carried").unwrap();
    tx.commit();
    let other = am_with("v", "not ours");
    let file = sealed(&[(d, &carried), (stranger, &other)]);

    let (preview, actions) = w.tab.import(w.now, &file, &keys(), false);
    let preview = preview.unwrap();
    assert!(actions.is_empty());
    let row = |id| preview.docs.iter().find(|p| p.id == id).unwrap().clone();
    assert_eq!((row(d).new, row(d).skipped), (1, false));
    assert!(row(stranger).skipped, "not a document this tablet syncs");
    let here = w.tab.node().document(&d).unwrap();
    assert_eq!(value(here, "v").as_deref(), Some("server"));

    let (imported, actions) = w.tab.import(w.now, &file, &keys(), true);
    assert_eq!(imported.unwrap().docs.len(), 2);
    assert!(
        actions
            .iter()
            .any(|a| matches!(a, Action::Write { doc, .. } if *doc == d))
    );
    assert!(
        !actions
            .iter()
            .any(|a| matches!(a, Action::KeepRelay { .. }))
    );
    w.apply(actions);
    assert_eq!(value(&w.stored(d), "v").as_deref(), Some("carried"));
    assert_eq!(w.server_value(d, "v").as_deref(), Some("carried"));
    assert!(w.tab.node().document(&stranger).is_none());
    assert_eq!(w.row_ack(d), Some(Ack::Acked));
}

#[test]
fn a_file_under_other_keys_is_refused_and_changes_nothing() {
    let d = doc(52);
    let mut w = connected(d);
    let file = sealed(&[(d, &am_with("v", "x"))]);
    let mut wrong = keys();
    wrong.transfer_key.key = [7; 32];
    let (result, actions) = w.tab.import(w.now, &file, &wrong, true);
    assert!(result.is_err());
    assert!(actions.is_empty());
    let here = w.tab.node().document(&d).unwrap();
    assert_eq!(value(here, "v").as_deref(), Some("server"));
}
