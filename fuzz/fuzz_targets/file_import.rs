//! Fuzz target: importing a `.yanzhen` file made of arbitrary bytes. The
//! first byte picks the format:
//!
//! * `0`: version 1 (`yanzhen_sync::file::import`); the rest is sealed with
//!   a valid SHA-256 first, so the fuzzer reaches the structure, the bounds
//!   and Automerge rather than stopping at the checksum.
//! * `1`: version 2 (`file::import_sealed`); the rest is the *plaintext*
//!   body, encrypted here under a fixed transfer key behind a valid header,
//!   so the fuzzer reaches the body, the attestations (verified under the
//!   fixed server key: seeds carry genuine ones) and the import filter
//!   rather than stopping at the AES-GCM tag.
//! * anything else: the rest as a whole sealed file (header checks).
//!
//! It must never panic; a refused file must change nothing; and an accepted
//! sealed file may only add changes that its valid attestations' heads
//! reach (the import filter's promise).
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use automerge::{Automerge, ChangeHash, ReadDoc};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use yanzhen_sync::attest::{ServerKey, TransferKey};
use yanzhen_sync::{DocumentId, file};

/// The fixed keys (the corpus seeds are made with them).
const TRANSFER_ID: [u8; 8] = [0x46; 8];
const TRANSFER_KEY: [u8; 32] = [0x5a; 32];
const SERVER_SEED: [u8; 32] = [0x53; 32];
const NONCE: [u8; 12] = [0; 12];

fn keys() -> (TransferKey, ServerKey) {
    (
        TransferKey {
            id: TRANSFER_ID,
            key: TRANSFER_KEY,
        },
        ServerKey::from_seed(&SERVER_SEED),
    )
}

/// A valid version-2 file around `body`.
fn seal(body: &[u8]) -> Vec<u8> {
    let mut out = file::MAGIC.to_vec();
    out.extend_from_slice(&file::VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&TRANSFER_ID);
    out.extend_from_slice(&NONCE);
    let sealed = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&TRANSFER_KEY))
        .encrypt(
            Nonce::from_slice(&NONCE),
            Payload {
                msg: body,
                aad: &out,
            },
        )
        .unwrap();
    out.extend_from_slice(&sealed);
    out
}

fn heads(docs: &BTreeMap<DocumentId, Automerge>) -> Vec<(DocumentId, Vec<ChangeHash>)> {
    docs.iter().map(|(k, d)| (*k, d.get_heads())).collect()
}

/// The changes of `doc` that `from` reaches through dependencies.
fn reached(doc: &Automerge, from: &[ChangeHash]) -> BTreeSet<ChangeHash> {
    let mut seen = BTreeSet::new();
    let mut stack = from.to_vec();
    while let Some(h) = stack.pop() {
        if let Some(c) = doc.get_change_by_hash(&h)
            && seen.insert(h)
        {
            stack.extend_from_slice(c.deps());
        }
    }
    seen
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut docs = BTreeMap::new();
    let mut known = Automerge::new();
    let mut tx = known.transaction();
    automerge::transaction::Transactable::put(&mut tx, automerge::ROOT, "name", "东风村").unwrap();
    tx.commit();
    docs.insert(DocumentId::from_bytes([1; 16]), known);
    let before = heads(&docs);
    let (transfer, server) = keys();

    let result = match mode {
        0 => {
            let mut bytes = rest.to_vec();
            bytes.extend_from_slice(&Sha256::digest(rest));
            file::import(&bytes, &mut docs).map(|_| None)
        }
        _ => {
            let bytes = if mode == 1 { seal(rest) } else { rest.to_vec() };
            match file::read_sealed(&bytes, &transfer, &server) {
                Ok(f) => {
                    let olds: BTreeMap<DocumentId, Automerge> = docs.clone();
                    f.apply(&mut docs).map(|_| Some((f, olds)))
                }
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Err(_) => assert_eq!(before, heads(&docs), "a refused file changed nothing"),
        Ok(None) => {}
        Ok(Some((f, olds))) => {
            // Only attested changes were added.
            for (id, doc) in &docs {
                let attested = f.attested_heads(id).unwrap_or_default();
                let allowed = reached(doc, &attested);
                let old_heads = olds.get(id).map(|d| d.get_heads()).unwrap_or_default();
                for c in doc.get_changes(&old_heads) {
                    assert!(
                        allowed.contains(&c.hash()),
                        "an unattested change of {id} was applied"
                    );
                }
            }
        }
    }
});
