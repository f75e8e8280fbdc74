//! Damaged `.yanzhen` files are refused with a typed error, without a panic
//! and without changing any document: truncated at every length, every
//! single bit flipped, wrong magic, a future version, garbage, a valid
//! checksum over invalid content, and a loop of random corruptions.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use sha2::{Digest, Sha256};
use yanzhen_sync::DocumentId;
use yanzhen_sync::file::{
    self, ALL_MESSAGE_KEYS, FileError, FileWriter, MAGIC, VERSION, VERSION_1,
};

fn id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

/// A file with changes for document 1 and a whole document 2, and the
/// receiver's documents before the import (document 1 partly known).
fn fixture() -> (Vec<u8>, BTreeMap<DocumentId, Automerge>) {
    thread_local! {
        static FIXTURE: (Vec<u8>, BTreeMap<DocumentId, Automerge>) = make_fixture();
    }
    FIXTURE.with(|f| f.clone())
}

fn make_fixture() -> (Vec<u8>, BTreeMap<DocumentId, Automerge>) {
    let mut a = Automerge::new();
    let mut tx = a.transaction();
    tx.put(ROOT, "name", "张三").unwrap();
    tx.commit();
    let theirs = BTreeMap::from([(id(1), a.fork())]);
    let known = a.get_heads();
    let mut tx = a.transaction();
    tx.put(ROOT, "post", "书记").unwrap();
    tx.commit();
    let mut b = Automerge::new();
    let mut tx = b.transaction();
    tx.put(ROOT, "name", "李四").unwrap();
    tx.commit();
    let mut w = FileWriter::new("东风村", 1).unwrap();
    w.add_changes_since(id(1), &a, &known);
    w.add_document(id(2), &b);
    (w.finish(), theirs)
}

fn snapshot(docs: &BTreeMap<DocumentId, Automerge>) -> Vec<(DocumentId, Vec<u8>)> {
    docs.iter().map(|(i, d)| (*i, d.save())).collect()
}

/// Imports `bytes`, expects a refusal and no change; returns the error.
fn refused(bytes: &[u8]) -> FileError {
    let (_, mut docs) = fixture();
    let before = snapshot(&docs);
    let err = match file::import(bytes, &mut docs) {
        Ok(r) => panic!("accepted a damaged file: {r:?}"),
        Err(e) => e,
    };
    assert_eq!(snapshot(&docs), before, "a refused file changed documents");
    assert!(ALL_MESSAGE_KEYS.contains(&err.message_key()));
    err
}

fn reseal(mut body: Vec<u8>) -> Vec<u8> {
    let sum = Sha256::digest(&body);
    body.extend_from_slice(&sum);
    body
}

#[test]
fn the_fixture_itself_imports() {
    let (bytes, mut docs) = fixture();
    let r = file::import(&bytes, &mut docs).unwrap();
    assert!(r.iter().all(|r| r.changed));
}

#[test]
fn truncated_at_every_length() {
    let (bytes, _) = fixture();
    for n in 0..bytes.len() {
        let err = refused(&bytes[..n]);
        let expected = if n < MAGIC.len() {
            "sync_file.not_a_sync_file"
        } else {
            "sync_file.damaged"
        };
        assert_eq!(err.message_key(), expected, "cut at {n}: {err:?}");
    }
}

#[test]
fn every_single_bit_flip() {
    let (bytes, _) = fixture();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut bad = bytes.clone();
            bad[i] ^= 1 << bit;
            let err = refused(&bad);
            match i {
                0..8 => assert_eq!(err, FileError::NotASyncFile),
                // The version's bytes: a higher version or version 0.
                8..10 => assert!(matches!(
                    err,
                    FileError::TooNew { .. } | FileError::BadContent(_)
                )),
                _ => assert!(matches!(err, FileError::Damaged(_)), "{i}/{bit}: {err:?}"),
            }
        }
    }
}

#[test]
fn wrong_magic_and_future_version() {
    let (bytes, _) = fixture();
    let mut png = bytes.clone();
    png[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
    assert_eq!(refused(&png), FileError::NotASyncFile);
    // A text-mode transfer turned CR LF into LF.
    let mut text = bytes[..4].to_vec();
    text.extend_from_slice(&bytes[5..]);
    assert_eq!(refused(&text), FileError::NotASyncFile);

    let mut future = bytes[..bytes.len() - 32].to_vec();
    future[8..10].copy_from_slice(&(VERSION + 1).to_le_bytes());
    let err = refused(&reseal(future.clone()));
    assert_eq!(err, FileError::TooNew { found: VERSION + 1 });
    assert_eq!(err.message_key(), "sync_file.too_new");
    // Whatever follows a newer version's header is not looked at.
    future.truncate(12);
    assert_eq!(refused(&future), FileError::TooNew { found: VERSION + 1 });
}

#[test]
fn garbage_is_refused() {
    assert_eq!(refused(b""), FileError::NotASyncFile);
    assert_eq!(refused(b"hello, world"), FileError::NotASyncFile);
    assert_eq!(refused(&[0; 4096]), FileError::NotASyncFile);
    let mut magic_then_junk = MAGIC.to_vec();
    magic_then_junk.extend_from_slice(&[1, 0]);
    magic_then_junk.extend(std::iter::repeat_n(0xff, 200));
    assert!(matches!(refused(&magic_then_junk), FileError::Damaged(_)));
}

/// Content that passes the checksum but is wrong: a writer bug, or a file
/// built by hand. Every chunk is checked before anything is applied.
#[test]
fn a_valid_checksum_over_bad_content() {
    let (bytes, _) = fixture();
    let body = bytes[..bytes.len() - 32].to_vec();

    // Unknown flags.
    let mut flags = body.clone();
    flags[10] = 1;
    assert!(matches!(refused(&reseal(flags)), FileError::BadContent(_)));

    // A change chunk with a flipped byte in its middle (the second entry,
    // the whole document, is fine and must not be applied either).
    let header = 8 + 2 + 2 + 8 + 2 + "东风村".len() + 4;
    let first_item = header + 16 + 1 + 4 + 4;
    let mut bad_change = body.clone();
    bad_change[first_item + 20] ^= 0x55;
    let err = refused(&reseal(bad_change));
    assert!(matches!(err, FileError::BadContent(_)), "{err:?}");
    assert_eq!(err.message_key(), "sync_file.bad_content");

    // An unknown entry kind.
    let mut kind = body.clone();
    kind[header + 16] = 9;
    assert!(matches!(refused(&reseal(kind)), FileError::BadContent(_)));

    // More entries announced than present, and trailing bytes.
    let mut count = body.clone();
    count[header - 4] = 3;
    assert!(matches!(refused(&reseal(count)), FileError::BadContent(_)));
    let mut trailing = body.clone();
    trailing.push(0);
    assert!(matches!(
        refused(&reseal(trailing)),
        FileError::BadContent(_)
    ));

    // A huge announced length does not allocate or panic.
    let mut huge = body.clone();
    huge[first_item - 4..first_item].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(refused(&reseal(huge)), FileError::BadContent(_)));

    // Origin that is not UTF-8.
    let mut origin = body;
    origin[8 + 2 + 2 + 8 + 2] = 0xff;
    assert!(matches!(refused(&reseal(origin)), FileError::BadContent(_)));
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_corruptions_never_panic_or_change_anything() {
    let (bytes, _) = fixture();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..2_000 {
        let mut bad = bytes.clone();
        for _ in 0..=rng.below(4) {
            match rng.below(4) {
                0 => {
                    let i = rng.below(bad.len());
                    bad[i] = rng.next() as u8;
                }
                1 if !bad.is_empty() => {
                    bad.remove(rng.below(bad.len()));
                }
                2 => {
                    let i = rng.below(bad.len() + 1);
                    bad.insert(i, rng.next() as u8);
                }
                _ => {
                    let n = rng.below(bad.len() + 1);
                    bad.truncate(n);
                }
            }
            if bad.is_empty() {
                bad.push(0);
            }
        }
        if bad == bytes {
            continue;
        }
        // Also with a fresh checksum, to reach the structural checks.
        let resealed = if bad.len() > 32 {
            Some(reseal(bad[..bad.len() - 32].to_vec()))
        } else {
            None
        };
        let _ = refused(&bad);
        if let Some(r) = resealed {
            let (_, mut docs) = fixture();
            let before = snapshot(&docs);
            if file::import(&r, &mut docs).is_err() {
                assert_eq!(snapshot(&docs), before, "round {round}");
            }
        }
    }
}

/// A file whose one change is a "compressed change" chunk inflating to
/// 1 GiB (a deflated run of zeros, about 1 MiB in the file): refused while
/// inflating, before Automerge would allocate it, and nothing changes.
#[test]
fn a_decompression_bomb_in_a_file_is_refused() {
    let chunk = yanzhen_sync::bounds::craft::inflation_bomb(1 << 30);
    let origin = "东风村";
    let mut body = MAGIC.to_vec();
    body.extend(VERSION_1.to_le_bytes());
    body.extend(0u16.to_le_bytes());
    body.extend(1u64.to_le_bytes());
    body.extend((origin.len() as u16).to_le_bytes());
    body.extend(origin.as_bytes());
    body.extend(1u32.to_le_bytes());
    body.extend([1u8; 16]);
    body.push(1); // changes
    body.extend(1u32.to_le_bytes());
    body.extend((chunk.len() as u32).to_le_bytes());
    body.extend(chunk);
    let err = refused(&reseal(body));
    assert!(
        matches!(&err, FileError::BadContent(s) if s.contains("inflates to more than")),
        "{err:?}"
    );
}
