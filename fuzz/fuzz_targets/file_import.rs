//! Fuzz target: importing a `.yanzhen` file (`yanzhen_sync::file::import`)
//! made of arbitrary bytes. The input is sealed with a valid SHA-256 first,
//! so the fuzzer reaches the structure, the bounds and Automerge rather
//! than stopping at the checksum. It must never panic, and a refused file
//! must change nothing.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use yanzhen_sync::{DocumentId, file};

fuzz_target!(|data: &[u8]| {
    let mut sealed = data.to_vec();
    sealed.extend_from_slice(&Sha256::digest(data));
    let mut docs = BTreeMap::new();
    let mut known = automerge::Automerge::new();
    let mut tx = known.transaction();
    automerge::transaction::Transactable::put(&mut tx, automerge::ROOT, "name", "东风村").unwrap();
    tx.commit();
    docs.insert(DocumentId::from_bytes([1; 16]), known);
    let before: Vec<_> = docs.iter().map(|(k, d)| (*k, d.get_heads())).collect();
    if file::import(&sealed, &mut docs).is_err() {
        let after: Vec<_> = docs.iter().map(|(k, d)| (*k, d.get_heads())).collect();
        assert_eq!(before, after, "a refused file changed nothing");
    }
});
