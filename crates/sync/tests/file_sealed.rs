//! Sealed `.yanzhen` files (format version 2), the pure part of issue 14's
//! attacks: only changes the server attested are applied; forged or edited
//! attestations, another district's key, a version-1 file and any flipped
//! byte are refused or apply nothing; the bytes show no personal data,
//! not even after inflating every deflate stream in them. (The same
//! attacks against the real server: `crates/server/tests/scenarios/files.rs`.)

use std::collections::BTreeMap;
use std::io::Read;

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ROOT, ReadDoc};
use yanzhen_sync::DocumentId;
use yanzhen_sync::attest::{self, Attestation, ServerKey, TransferKey};
use yanzhen_sync::file::{self, FileError, FileWriter, MAGIC, VERSION};

const T0: u64 = 1_700_000_000_000;
const SEED: [u8; 32] = [0x5e; 32];
const NONCE: [u8; 12] = [0x11; 12];

fn key() -> TransferKey {
    TransferKey {
        id: [0xd1; 8],
        key: [0x42; 32],
    }
}

fn server() -> ServerKey {
    ServerKey::from_seed(&SEED)
}

fn id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

fn put(doc: &mut Automerge, k: &str, v: &str) {
    let mut tx = doc.transaction();
    tx.put(ROOT, k, v).unwrap();
    tx.commit();
}

fn get(doc: &Automerge, k: &str) -> Option<String> {
    doc.get(ROOT, k)
        .unwrap()
        .map(|(v, _)| v.as_str().unwrap_or_default().to_owned())
}

fn attest_now(doc_id: DocumentId, doc: &Automerge) -> Attestation {
    attest::sign(doc_id, doc.get_heads(), T0, &SEED)
}

/// A file with every change of `docs` and the given attestations.
fn sealed(docs: &[(DocumentId, &Automerge)], attestations: Vec<Attestation>) -> Vec<u8> {
    let mut w = FileWriter::new("东风村党总支", T0).unwrap();
    for (i, d) in docs {
        w.add_changes_since(*i, d, &[]);
    }
    for a in attestations {
        w.add_attestation(a);
    }
    w.finish_sealed(&key(), NONCE)
}

fn saves(docs: &BTreeMap<DocumentId, Automerge>) -> BTreeMap<DocumentId, Vec<u8>> {
    docs.iter().map(|(i, d)| (*i, d.save())).collect()
}

/// The district document as the server has it (a directory entry).
fn district() -> Automerge {
    let mut d = Automerge::new();
    put(&mut d, "unit:东风村", "doc-aaaa");
    put(&mut d, "unit:西河村", "doc-bbbb");
    d
}

#[test]
fn honest_relay_brings_exactly_the_attested_state() {
    let server_doc = district();
    let attestation = attest_now(id(1), &server_doc);
    // Village A, online earlier, has the server's state; B has nothing.
    let bytes = sealed(&[(id(1), &server_doc)], vec![attestation]);
    assert_eq!(bytes[..8], MAGIC);
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), VERSION);

    let f = file::read_sealed(&bytes, &key(), &server()).unwrap();
    assert_eq!(f.origin, "东风村党总支");
    assert_eq!(f.created_ms, T0);
    assert!(f.is_sealed());
    assert_eq!(f.invalid_attestations, 0);
    assert_eq!(f.attested_heads(&id(1)).unwrap(), server_doc.get_heads());
    assert_eq!(f.unconfirmed_count(&id(1), None), 0);

    let mut b = BTreeMap::new();
    let r = f.apply(&mut b).unwrap();
    assert_eq!(r.len(), 1);
    assert!(r[0].created && r[0].changed);
    assert_eq!(r[0].unconfirmed, 0);
    assert_eq!(r[0].heads, server_doc.get_heads());
    assert_eq!(b[&id(1)].get_heads(), server_doc.get_heads());

    // Importing again: nothing new.
    let r = file::import_sealed(&bytes, &key(), &server(), &mut b).unwrap();
    assert!(!r[0].changed && !r[0].created);
    assert_eq!(r[0].unconfirmed, 0);
}

#[test]
fn an_incremental_honest_file_applies_on_top_of_what_the_importer_has() {
    let mut server_doc = district();
    let mut b = BTreeMap::from([(id(1), server_doc.clone())]);
    let old = server_doc.get_heads();
    put(&mut server_doc, "unit:南山村", "doc-cccc");
    let mut w = FileWriter::new("东风村", T0).unwrap();
    assert_eq!(w.add_changes_since(id(1), &server_doc, &old), 1);
    w.add_attestation(attest_now(id(1), &server_doc));
    let bytes = w.finish_sealed(&key(), NONCE);
    let r = file::import_sealed(&bytes, &key(), &server(), &mut b).unwrap();
    assert!(r[0].changed);
    assert_eq!(b[&id(1)].get_heads(), server_doc.get_heads());
}

/// The attack: village A rewrites a unit's `doc_id` in the district
/// document locally, attests the (older) server heads and ships all.
#[test]
fn a_crafted_change_above_the_attested_heads_is_not_applied() {
    let server_doc = district();
    let attestation = attest_now(id(1), &server_doc);
    let mut crafted = server_doc.fork();
    put(&mut crafted, "unit:西河村", "doc-evil");
    let bytes = sealed(&[(id(1), &crafted)], vec![attestation]);

    // An admin tablet that already has the server's state.
    let mut admin = BTreeMap::from([(id(1), server_doc.clone())]);
    let f = file::read_sealed(&bytes, &key(), &server()).unwrap();
    assert_eq!(f.unconfirmed_count(&id(1), Some(&server_doc)), 1);
    let r = f.apply(&mut admin).unwrap();
    assert_eq!(r[0].unconfirmed, 1);
    assert!(!r[0].changed);
    assert_eq!(admin[&id(1)].get_heads(), server_doc.get_heads());
    assert_eq!(get(&admin[&id(1)], "unit:西河村").unwrap(), "doc-bbbb");

    // A tablet with nothing gets the attested part only.
    let mut fresh = BTreeMap::new();
    let r = file::import_sealed(&bytes, &key(), &server(), &mut fresh).unwrap();
    assert_eq!(r[0].unconfirmed, 1);
    assert_eq!(fresh[&id(1)].get_heads(), server_doc.get_heads());
    assert_eq!(get(&fresh[&id(1)], "unit:西河村").unwrap(), "doc-bbbb");
}

/// A crafted change in the middle: attested heads above it cannot exist
/// without the server having it, so a file that claims the server's heads
/// but replaces the history below them brings nothing of the fake.
#[test]
fn changes_not_below_the_attested_heads_are_left_out_whatever_their_place() {
    let server_doc = district();
    let mut other = Automerge::new();
    put(&mut other, "unit:西河村", "doc-evil");
    // The file carries the real history and an unrelated crafted root, in
    // one entry.
    let mut merged = server_doc.fork();
    merged.merge(&mut other).unwrap();
    let bytes = sealed(&[(id(1), &merged)], vec![attest_now(id(1), &server_doc)]);
    let mut fresh = BTreeMap::new();
    let r = file::import_sealed(&bytes, &key(), &server(), &mut fresh).unwrap();
    assert_eq!(r[0].unconfirmed, 1);
    assert_eq!(fresh[&id(1)].get_heads(), server_doc.get_heads());
}

#[test]
fn a_document_without_an_attestation_gets_nothing() {
    let server_doc = district();
    let mut unit = Automerge::new();
    put(&mut unit, "name", "西河村");
    // A file for two documents with the district's attestation only.
    let bytes = sealed(
        &[(id(1), &server_doc), (id(2), &unit)],
        vec![attest_now(id(1), &server_doc)],
    );
    let mut fresh = BTreeMap::new();
    let r = file::import_sealed(&bytes, &key(), &server(), &mut fresh).unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[1].doc, id(2));
    assert!(!r[1].created && !r[1].changed);
    assert_eq!(r[1].unconfirmed, 1);
    assert!(!fresh.contains_key(&id(2)), "no empty document is created");
    assert!(fresh.contains_key(&id(1)));
}

#[test]
fn forged_or_edited_attestations_are_ignored_and_counted() {
    let server_doc = district();
    let mut crafted = server_doc.fork();
    put(&mut crafted, "unit:西河村", "doc-evil");
    let forged = attest::sign(id(1), crafted.get_heads(), T0, &[0x66; 32]);
    let mut edited = attest_now(id(1), &server_doc);
    edited.heads = crafted.get_heads();
    let mut other_doc = attest_now(id(2), &crafted);
    other_doc.document_id = id(1);
    for bad in [forged, edited, other_doc] {
        let bytes = sealed(&[(id(1), &crafted)], vec![bad]);
        let f = file::read_sealed(&bytes, &key(), &server()).unwrap();
        assert_eq!(f.invalid_attestations, 1);
        assert_eq!(f.attested_heads(&id(1)).unwrap(), Vec::<ChangeHash>::new());
        let mut admin = BTreeMap::from([(id(1), server_doc.clone())]);
        let r = f.apply(&mut admin).unwrap();
        assert_eq!(r[0].unconfirmed, 1);
        assert!(!r[0].changed);
        assert_eq!(admin[&id(1)].save(), server_doc.save());
    }
}

#[test]
fn another_districts_file_an_old_file_and_a_wrong_key_are_refused() {
    let d = district();
    let bytes = sealed(&[(id(1), &d)], vec![attest_now(id(1), &d)]);
    let other = TransferKey {
        id: [0xd2; 8],
        key: [0x43; 32],
    };
    let err = file::read_sealed(&bytes, &other, &server()).unwrap_err();
    assert_eq!(err, FileError::OtherDistrict);
    assert_eq!(err.message_key(), "sync_file.other_district");

    // Our id, another key (a forged header): the tag does not match.
    let wrong = TransferKey {
        id: key().id,
        key: [0x43; 32],
    };
    let err = file::read_sealed(&bytes, &wrong, &server()).unwrap_err();
    assert_eq!(err, FileError::Tampered);
    assert_eq!(err.message_key(), "sync_file.tampered");

    let mut w = FileWriter::new("东风村", T0).unwrap();
    w.add_changes_since(id(1), &d, &[]);
    let v1 = w.finish();
    let err = file::read_sealed(&v1, &key(), &server()).unwrap_err();
    assert_eq!(err, FileError::Unprotected);
    assert_eq!(err.message_key(), "sync_file.unprotected");
    // And the version-1 reader does not take a sealed file.
    assert!(matches!(file::read(&bytes), Err(FileError::BadContent(_))));
}

#[test]
fn every_flipped_byte_is_refused_and_changes_nothing() {
    let server_doc = district();
    let mut mine = Automerge::new();
    put(&mut mine, "x", "y");
    let bytes = sealed(
        &[(id(1), &server_doc)],
        vec![attest_now(id(1), &server_doc)],
    );
    let docs = BTreeMap::from([(id(1), mine)]);
    let before = saves(&docs);
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = bytes.clone();
            bad[i] ^= bit;
            let mut d = docs.clone();
            let err = file::import_sealed(&bad, &key(), &server(), &mut d).unwrap_err();
            assert!(
                matches!(
                    err,
                    FileError::Tampered
                        | FileError::NotASyncFile
                        | FileError::TooNew { .. }
                        | FileError::Unprotected
                        | FileError::BadContent(_)
                        | FileError::OtherDistrict
                ),
                "byte {i}: {err:?}"
            );
            if i >= 32 {
                assert_eq!(err, FileError::Tampered, "byte {i}");
            }
            assert_eq!(saves(&d), before, "byte {i}");
        }
    }
    // Cut short anywhere: refused too.
    for n in [0, 8, 10, 31, 32, 47, bytes.len() - 1] {
        let mut d = docs.clone();
        assert!(file::import_sealed(&bytes[..n], &key(), &server(), &mut d).is_err());
        assert_eq!(saves(&d), before);
    }
}

/// Every way to read deflate in `bytes`: zlib and raw deflate streams at
/// every offset (and gzip), each inflated up to 1 MiB.
fn inflate_everywhere(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for i in 0..bytes.len() {
        let tail = &bytes[i..];
        let mut buf = Vec::new();
        let readers: [Box<dyn Read>; 3] = [
            Box::new(flate2::read::DeflateDecoder::new(tail)),
            Box::new(flate2::read::ZlibDecoder::new(tail)),
            Box::new(flate2::read::GzDecoder::new(tail)),
        ];
        for r in readers {
            buf.clear();
            let _ = r.take(1 << 20).read_to_end(&mut buf);
            if buf.len() >= 4 {
                out.push(buf.clone());
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_sealed_file_shows_no_personal_data() {
    let name = "欧阳测试甲";
    let id_number = "110101199001011234";
    let mut unit = Automerge::new();
    put(&mut unit, "name", name);
    put(&mut unit, "idNumber", id_number);
    put(&mut unit, "phone", "13800000000");
    // A whole document (compressed columns) and the changes, both ways.
    let mut w = FileWriter::new("东风村党总支", T0).unwrap();
    w.add_document(id(2), &unit);
    w.add_changes_since(id(3), &unit, &[]);
    w.add_attestation(attest_now(id(2), &unit));
    let bytes = w.finish_sealed(&key(), NONCE);

    let secrets: [&[u8]; 4] = [
        name.as_bytes(),
        id_number.as_bytes(),
        b"13800000000",
        "东风村".as_bytes(),
    ];
    for s in secrets {
        assert!(!contains(&bytes, s));
    }
    for inflated in inflate_everywhere(&bytes) {
        for s in secrets {
            assert!(!contains(&inflated, s));
        }
    }
    // The same content unprotected (version 1) does show it: the check works.
    let mut w = FileWriter::new("东风村党总支", T0).unwrap();
    w.add_changes_since(id(3), &unit, &[]);
    let clear = w.finish();
    for s in [name.as_bytes(), id_number.as_bytes()] {
        assert!(contains(&clear, s) || inflate_everywhere(&clear).iter().any(|i| contains(i, s)));
    }

    // Without the key it does not open; with it, it does.
    let stranger = TransferKey {
        id: key().id,
        key: [0; 32],
    };
    assert_eq!(
        file::read_sealed(&bytes, &stranger, &server()).unwrap_err(),
        FileError::Tampered
    );
    let mut docs = BTreeMap::new();
    file::import_sealed(&bytes, &key(), &server(), &mut docs).unwrap();
    assert_eq!(get(&docs[&id(2)], "idNumber").unwrap(), id_number);
}

#[test]
fn the_nonce_makes_two_exports_of_the_same_content_differ() {
    let d = district();
    let a = {
        let mut w = FileWriter::new("东风村", T0).unwrap();
        w.add_changes_since(id(1), &d, &[]);
        w.finish_sealed(&key(), [1; 12])
    };
    let b = {
        let mut w = FileWriter::new("东风村", T0).unwrap();
        w.add_changes_since(id(1), &d, &[]);
        w.finish_sealed(&key(), [2; 12])
    };
    assert_eq!(a.len(), b.len());
    assert_ne!(a[32..], b[32..]);
}

/// A village's own unconfirmed edits travel with its vouch: the importer
/// applies none of them (only the server can check a vouch), but the file
/// keeps the vouch and the changes, so the server can replay them as the
/// village's ([`yanzhen_sync::relay`]); the vouch survives the round trip
/// exactly and still verifies under the village's key only.
#[test]
fn a_vouch_travels_in_the_sealed_file_and_its_changes_are_not_applied() {
    use yanzhen_sync::relay::{self, DeviceKey, Vouch};
    let server_doc = district();
    let attestation = attest_now(id(1), &server_doc);
    let mut village = server_doc.fork();
    put(&mut village, "note", "走访记录");
    let mine = relay::own_unconfirmed(&village, &server_doc.get_heads(), |_| true);
    assert_eq!(mine.len(), 1);
    let key_a = DeviceKey::derive(&[9; 32], "device-a");
    let vouch = Vouch::make(&key_a, "device-a", id(1), mine.clone()).unwrap();
    let mut w = FileWriter::new("东风村党总支", T0).unwrap();
    w.add_changes_since(id(1), &village, &[]);
    w.add_attestation(attestation);
    w.add_vouch(vouch.clone());
    let bytes = w.finish_sealed(&key(), NONCE);

    let f = file::read_sealed(&bytes, &key(), &server()).unwrap();
    assert_eq!(f.vouches, vec![vouch]);
    f.vouches[0].verify(&key_a).unwrap();
    assert!(
        f.vouches[0]
            .verify(&DeviceKey::derive(&[9; 32], "device-b"))
            .is_err()
    );
    // The importer gets the attested state only.
    let mut carrier = BTreeMap::new();
    let r = f.apply(&mut carrier).unwrap();
    assert_eq!(r[0].unconfirmed, 1);
    assert_eq!(get(&carrier[&id(1)], "note"), None);
    // The server's view of the file: every change, and the relay picks the
    // vouched one and its ancestors.
    let whole = f.document(&id(1)).unwrap();
    let relayed = relay::relay_changes(&whole, &f.vouches[0]).unwrap();
    assert!(relayed.iter().any(|c| c.hash() == mine[0]));
    assert_eq!(relayed.len(), village.get_changes(&[]).len());
}
