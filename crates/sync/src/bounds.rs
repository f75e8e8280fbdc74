//! Bounds on what Automerge bytes from elsewhere may make us allocate,
//! checked **before** Automerge parses them.
//!
//! Automerge trusts its input's sizes: a "compressed change" chunk or a
//! DEFLATE-compressed column is inflated with an unbounded `read_to_end`
//! (a 2 MB message inflated to 6 GB in a measurement), run-length encoded
//! columns can declare a billion ops in a few bytes, a bloom filter in a
//! sync message names its own probe count (a loop per hash and an
//! allocation of that size), and a list of empty chunks or `have` entries
//! costs far more in memory than on the wire. This module walks the same
//! binary formats without building anything:
//!
//! * [`check_sync_message`]: an automerge sync message (v1 or v2): counts of
//!   heads, needs, `have`s and chunks, each bloom filter's parameters, and
//!   every chunk it carries (below).
//! * [`check_chunks`]: a run of storage chunks as `load_incremental` takes
//!   them (a stored chunk, a `.yanzhen` file's document, a chunk of a sync
//!   message): every chunk header, every DEFLATE stream inflated into a
//!   counting sink that stops at the budget (so no more than
//!   [`Limits::max_inflated_bytes`] are ever produced, and none are kept),
//!   and every column's value count (run lengths summed, not expanded).
//!
//! One [`Budget`] is shared by all chunks of one input, so the bound holds
//! for the input as a whole. Anything that does not parse here is refused as
//! well: Automerge would refuse it too, and an input we cannot measure is
//! an input we do not pass on.
//!
//! Long file: a walk over Automerge's chunk format (headers, compressed
//! columns, document chunks) that must follow the format exactly; tests with
//! crafted chunks beside it.

use std::io::Read;

/// What one input (a sync message, a stored document, a file's document)
/// may cost. The defaults ([`Limits::DEFAULT`]) are far above what an honest
/// tablet sends (the whole demo district is under 2 MiB and 200,000 ops)
/// and far below what would hurt a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes that all DEFLATE streams of the input may inflate to, together.
    pub max_inflated_bytes: u64,
    /// Values that the input's columns may declare, summed over its chunks
    /// (per chunk, its longest column: the ops of a change, the ops or the
    /// changes of a document).
    pub max_values: u64,
    /// Chunks in one input (a sync message's change list, or a run of
    /// concatenated chunks).
    pub max_chunks: u64,
    /// `have` entries of one sync message (Automerge sends one).
    pub max_haves: u64,
    /// Actor ids in one chunk.
    pub max_actors: u64,
    /// Columns in one column set of a chunk (Automerge writes fewer than 20).
    pub max_columns: u64,
    /// Bloom filter probes per hash (Automerge uses 7).
    pub max_bloom_probes: u32,
    /// Bloom filter bits per entry (Automerge uses 10).
    pub max_bloom_bits_per_entry: u32,
}

impl Limits {
    /// The bounds every node applies unless configured otherwise.
    pub const DEFAULT: Limits = Limits {
        max_inflated_bytes: 32 * 1024 * 1024,
        max_values: 4_000_000,
        max_chunks: 100_000,
        max_haves: 64,
        max_actors: 100_000,
        max_columns: 64,
        max_bloom_probes: 64,
        max_bloom_bits_per_entry: 64,
    };
}

impl Limits {
    /// The bounds of a whole document as stored (all its chunks together)
    /// and of a whole `.yanzhen` file: room for a district's every record
    /// many times over, still a fixed ceiling.
    pub const WHOLE: Limits = Limits {
        max_inflated_bytes: 256 * 1024 * 1024,
        max_values: 32_000_000,
        max_chunks: 2_000_000,
        ..Limits::DEFAULT
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why an input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoundsError {
    /// The input is cut short or malformed where a size is read.
    #[error("malformed automerge data: {0}")]
    Malformed(&'static str),
    /// DEFLATE streams inflate to more than the limit.
    #[error("compressed data inflates to more than {limit} bytes")]
    Inflated { limit: u64 },
    /// A DEFLATE stream that does not inflate.
    #[error("compressed data does not inflate: {0}")]
    Deflate(String),
    /// Columns declare more values than the limit.
    #[error("columns declare more than {limit} values")]
    Values { limit: u64 },
    /// More items of some kind than the limit.
    #[error("more than {limit} {what}")]
    TooMany { what: &'static str, limit: u64 },
}

/// What an input has used so far of its [`Limits`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    /// Bytes inflated so far.
    pub inflated: u64,
    /// Column values declared so far.
    pub values: u64,
    /// Chunks seen so far.
    pub chunks: u64,
}

/// Checks an automerge sync message (the `data` of a `sync` or `request`).
pub fn check_sync_message(data: &[u8], limits: &Limits) -> Result<Budget, BoundsError> {
    let mut budget = Budget::default();
    let mut r = Reader::new(data);
    match r.byte()? {
        0x42 | 0x43 => {}
        _ => return Err(BoundsError::Malformed("not a sync message")),
    }
    // heads, need: hashes are 32 bytes on the wire and in memory.
    for _ in 0..2 {
        let n = r.uleb()?;
        r.skip(
            n.checked_mul(32)
                .ok_or(BoundsError::Malformed("hash count"))?,
        )?;
    }
    let haves = r.uleb()?;
    too_many("have entries", haves, limits.max_haves)?;
    for _ in 0..haves {
        let n = r.uleb()?;
        r.skip(
            n.checked_mul(32)
                .ok_or(BoundsError::Malformed("hash count"))?,
        )?;
        let bloom = r.bytes()?;
        check_bloom(bloom, limits)?;
    }
    let chunks = r.uleb()?;
    too_many("chunks", chunks, limits.max_chunks)?;
    for _ in 0..chunks {
        let chunk = r.bytes()?;
        check_chunks_with(chunk, limits, &mut budget)?;
    }
    // Optional flags: length-prefixed bytes, read as they come.
    if !r.is_empty() {
        r.bytes()?;
    }
    Ok(budget)
}

/// Checks a run of storage chunks (what `Automerge::load_incremental` or
/// `Automerge::load` takes).
pub fn check_chunks(data: &[u8], limits: &Limits) -> Result<Budget, BoundsError> {
    let mut budget = Budget::default();
    check_chunks_with(data, limits, &mut budget)?;
    Ok(budget)
}

/// [`check_chunks`] against a budget shared with other inputs.
pub fn check_chunks_with(
    data: &[u8],
    limits: &Limits,
    budget: &mut Budget,
) -> Result<(), BoundsError> {
    let mut r = Reader::new(data);
    while !r.is_empty() {
        budget.chunks += 1;
        too_many("chunks", budget.chunks, limits.max_chunks)?;
        if r.take(4)? != MAGIC {
            return Err(BoundsError::Malformed("not an automerge chunk"));
        }
        r.skip(4)?; // checksum
        let kind = r.byte()?;
        let body = r.bytes()?;
        match kind {
            CHUNK_DOCUMENT => check_document(body, limits, budget)?,
            CHUNK_CHANGE => check_change(body, limits, budget)?,
            CHUNK_COMPRESSED => {
                let inflated = inflate(body, limits, budget)?;
                check_change(&inflated, limits, budget)?;
            }
            CHUNK_BUNDLE => check_bundle(body, limits, budget)?,
            _ => return Err(BoundsError::Malformed("unknown chunk type")),
        }
    }
    Ok(())
}

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_DOCUMENT: u8 = 0;
const CHUNK_CHANGE: u8 = 1;
const CHUNK_COMPRESSED: u8 = 2;
const CHUNK_BUNDLE: u8 = 3;

fn too_many(what: &'static str, n: u64, limit: u64) -> Result<(), BoundsError> {
    if n > limit {
        Err(BoundsError::TooMany { what, limit })
    } else {
        Ok(())
    }
}

fn check_bloom(bytes: &[u8], limits: &Limits) -> Result<(), BoundsError> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut r = Reader::new(bytes);
    let entries = r.uleb()?;
    let bits = r.uleb()?;
    let probes = r.uleb()?;
    if entries > u64::from(u32::MAX) {
        return Err(BoundsError::Malformed("bloom filter entries"));
    }
    too_many(
        "bloom filter bits per entry",
        bits,
        u64::from(limits.max_bloom_bits_per_entry),
    )?;
    too_many(
        "bloom filter probes",
        probes,
        u64::from(limits.max_bloom_probes),
    )?;
    Ok(())
}

/// Skips `n` length-prefixed actor ids.
fn skip_actors(r: &mut Reader<'_>, limits: &Limits) -> Result<(), BoundsError> {
    let n = r.uleb()?;
    too_many("actor ids", n, limits.max_actors)?;
    for _ in 0..n {
        r.bytes()?;
    }
    Ok(())
}

fn skip_hashes(r: &mut Reader<'_>) -> Result<(), BoundsError> {
    let n = r.uleb()?;
    r.skip(
        n.checked_mul(32)
            .ok_or(BoundsError::Malformed("hash count"))?,
    )
}

/// One column: its spec and its byte length.
#[derive(Clone, Copy)]
struct Column {
    spec: u64,
    len: u64,
}

impl Column {
    fn deflated(self) -> bool {
        self.spec & 0b1000 != 0
    }

    fn kind(self) -> u64 {
        self.spec & 0b111
    }
}

fn columns(r: &mut Reader<'_>, limits: &Limits) -> Result<Vec<Column>, BoundsError> {
    let n = r.uleb()?;
    too_many("columns", n, limits.max_columns)?;
    let mut out = Vec::new();
    for _ in 0..n {
        let spec = r.uleb()?;
        let len = r.uleb()?;
        out.push(Column { spec, len });
    }
    Ok(out)
}

/// Walks the data of a column set: inflates what is deflated (counting),
/// counts every column's values, and adds the longest column's count.
fn check_columns(
    r: &mut Reader<'_>,
    cols: &[Column],
    limits: &Limits,
    budget: &mut Budget,
) -> Result<(), BoundsError> {
    let mut longest = 0u64;
    for col in cols {
        let raw = r.take(col.len)?;
        let count = if col.deflated() {
            let inflated = inflate(raw, limits, budget)?;
            count_values(col.kind(), &inflated, limits)?
        } else {
            count_values(col.kind(), raw, limits)?
        };
        longest = longest.max(count);
    }
    budget.values = budget.values.saturating_add(longest);
    if budget.values > limits.max_values {
        return Err(BoundsError::Values {
            limit: limits.max_values,
        });
    }
    Ok(())
}

fn check_change(body: &[u8], limits: &Limits, budget: &mut Budget) -> Result<(), BoundsError> {
    let mut r = Reader::new(body);
    skip_hashes(&mut r)?; // deps
    r.bytes()?; // actor
    r.uleb()?; // seq
    r.uleb()?; // start op
    r.sleb()?; // time
    r.bytes()?; // message
    skip_actors(&mut r, limits)?;
    let cols = columns(&mut r, limits)?;
    check_columns(&mut r, &cols, limits, budget)
}

fn check_document(body: &[u8], limits: &Limits, budget: &mut Budget) -> Result<(), BoundsError> {
    let mut r = Reader::new(body);
    skip_actors(&mut r, limits)?;
    skip_hashes(&mut r)?; // heads
    let change_cols = columns(&mut r, limits)?;
    let op_cols = columns(&mut r, limits)?;
    check_columns(&mut r, &change_cols, limits, budget)?;
    check_columns(&mut r, &op_cols, limits, budget)
}

fn check_bundle(body: &[u8], limits: &Limits, budget: &mut Budget) -> Result<(), BoundsError> {
    let mut r = Reader::new(body);
    skip_hashes(&mut r)?; // deps
    skip_actors(&mut r, limits)?;
    let change_cols = columns(&mut r, limits)?;
    check_columns(&mut r, &change_cols, limits, budget)?;
    let op_cols = columns(&mut r, limits)?;
    check_columns(&mut r, &op_cols, limits, budget)
}

/// Inflates a DEFLATE stream, refusing once the budget is spent.
fn inflate(raw: &[u8], limits: &Limits, budget: &mut Budget) -> Result<Vec<u8>, BoundsError> {
    let room = limits.max_inflated_bytes.saturating_sub(budget.inflated);
    let mut out = Vec::new();
    // One byte more than the room tells "over the limit" from "exactly at it".
    let read = flate2::bufread::DeflateDecoder::new(raw)
        .take(room.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| BoundsError::Deflate(e.to_string()))?;
    let read = read as u64;
    if read > room {
        return Err(BoundsError::Inflated {
            limit: limits.max_inflated_bytes,
        });
    }
    budget.inflated += read;
    Ok(out)
}

/// Counts the values a column declares, by its type (run lengths summed,
/// never expanded).
fn count_values(kind: u64, data: &[u8], limits: &Limits) -> Result<u64, BoundsError> {
    let mut r = Reader::new(data);
    let mut n: u64 = 0;
    let add = |n: &mut u64, k: u64| -> Result<(), BoundsError> {
        *n = n.saturating_add(k);
        if *n > limits.max_values {
            Err(BoundsError::Values {
                limit: limits.max_values,
            })
        } else {
            Ok(())
        }
    };
    match kind {
        // Boolean: alternating run lengths.
        4 => {
            while !r.is_empty() {
                let k = r.uleb()?;
                add(&mut n, k)?;
            }
        }
        // Raw values: their sizes come from the metadata column.
        7 => {}
        // Run-length encoded: group, actor, integer, delta, string, value
        // metadata.
        _ => {
            while !r.is_empty() {
                let run = r.sleb()?;
                if run > 0 {
                    add(&mut n, run.unsigned_abs())?;
                    skip_value(&mut r, kind)?;
                } else if run < 0 {
                    let k = run.unsigned_abs();
                    add(&mut n, k)?;
                    for _ in 0..k {
                        skip_value(&mut r, kind)?;
                    }
                } else {
                    let k = r.uleb()?;
                    add(&mut n, k)?;
                }
            }
        }
    }
    Ok(n)
}

fn skip_value(r: &mut Reader<'_>, kind: u64) -> Result<(), BoundsError> {
    match kind {
        // Delta: signed.
        3 => r.sleb().map(|_| ()),
        // String: length-prefixed UTF-8.
        5 => r.bytes().map(|_| ()),
        _ => r.uleb().map(|_| ()),
    }
}

/// A cursor over bytes that never reads past the end.
struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn byte(&mut self) -> Result<u8, BoundsError> {
        let (b, rest) = self
            .data
            .split_first()
            .ok_or(BoundsError::Malformed("cut short"))?;
        self.data = rest;
        Ok(*b)
    }

    fn take(&mut self, n: impl TryInto<usize>) -> Result<&'a [u8], BoundsError> {
        let n: usize = n.try_into().map_err(|_| BoundsError::Malformed("length"))?;
        if n > self.data.len() {
            return Err(BoundsError::Malformed("cut short"));
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Ok(head)
    }

    fn skip(&mut self, n: u64) -> Result<(), BoundsError> {
        self.take(n).map(|_| ())
    }

    /// Length-prefixed bytes.
    fn bytes(&mut self) -> Result<&'a [u8], BoundsError> {
        let n = self.uleb()?;
        self.take(n)
    }

    fn uleb(&mut self) -> Result<u64, BoundsError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let part = u64::from(b & 0x7f);
            if shift == 63 && part > 1 {
                return Err(BoundsError::Malformed("LEB128 overflow"));
            }
            value |= part << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(BoundsError::Malformed("LEB128 overflow"))
    }

    fn sleb(&mut self) -> Result<i64, BoundsError> {
        let mut value: i64 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            if shift >= 64 {
                return Err(BoundsError::Malformed("LEB128 overflow"));
            }
            value |= i64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    value |= -1i64 << shift;
                }
                return Ok(value);
            }
        }
    }
}

/// Hand-made Automerge bytes for hostile tests (this crate's, the server's,
/// the fuzz seeds'): what an attacker would send, built without Automerge.
pub mod craft {
    use std::io::Write;

    /// Unsigned LEB128, as Automerge writes lengths and counts.
    pub fn uleb(mut n: u64) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return out;
            }
            out.push(b | 0x80);
        }
    }

    /// Signed LEB128, as Automerge writes run lengths.
    pub fn sleb(mut v: i64) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
                out.push(b);
                return out;
            }
            out.push(b | 0x80);
        }
    }

    /// A chunk of `kind` (0 document, 1 change, 2 compressed change,
    /// 3 bundle) around `body`; the checksum is left zero (Automerge parses
    /// before it checks it).
    pub fn chunk(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut out = super::MAGIC.to_vec();
        out.extend([0, 0, 0, 0, kind]);
        out.extend(uleb(body.len() as u64));
        out.extend(body);
        out
    }

    /// A DEFLATE stream of `n` zero bytes (rounded up to whole MiB): about
    /// a thousandth of `n`.
    pub fn deflated_zeros(n: usize) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let block = vec![0u8; 1 << 20];
        for _ in 0..n.div_ceil(block.len()) {
            // Writing to a Vec cannot fail.
            let _ = e.write_all(&block);
        }
        e.finish().unwrap_or_default()
    }

    /// A "compressed change" chunk that inflates to `n` zero bytes.
    pub fn inflation_bomb(n: usize) -> Vec<u8> {
        chunk(2, &deflated_zeros(n))
    }

    /// A change chunk whose action column is one run of `n` values: `n`
    /// ops declared in a few bytes.
    pub fn run_length_bomb(n: i64) -> Vec<u8> {
        let mut col = sleb(n);
        col.extend(uleb(1)); // the repeated action
        let mut body = vec![0]; // no deps
        body.extend(uleb(16));
        body.extend([7u8; 16]); // actor
        body.extend([1, 1, 0, 0, 0]); // seq, start op, time, message, other actors
        body.push(1); // one column
        body.extend(uleb((4 << 4) | 2)); // action: integer, run-length encoded
        body.extend(uleb(col.len() as u64));
        body.extend(col);
        chunk(1, &body)
    }

    /// The data of a v1 sync message with no heads, needs or haves,
    /// carrying `chunks`.
    pub fn sync_data(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut data = vec![0x42, 0, 0, 0];
        data.extend(uleb(chunks.len() as u64));
        for c in chunks {
            data.extend(uleb(c.len() as u64));
            data.extend(c);
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::craft::{chunk, deflated_zeros, run_length_bomb as rle_change, uleb as leb};
    use super::*;
    use automerge::sync::SyncDoc;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT};

    fn doc_with(n: usize, big: usize) -> Automerge {
        let mut am = Automerge::new();
        for i in 0..n {
            let mut tx = am.transaction();
            tx.put(ROOT, format!("k{i}"), format!("value {i}")).unwrap();
            if i == 0 && big > 0 {
                tx.put(ROOT, "big", "x".repeat(big)).unwrap();
            }
            tx.commit();
        }
        am
    }

    #[test]
    fn honest_documents_changes_and_sync_messages_pass() {
        let am = doc_with(50, 10_000);
        // save() deflates the big columns: the check inflates them.
        let saved = am.save();
        let b = check_chunks(&saved, &Limits::DEFAULT).unwrap();
        assert!(b.inflated > 0, "the saved document has deflated columns");
        assert!(b.values >= 50);
        let plain = am.save_nocompress();
        check_chunks(&plain, &Limits::DEFAULT).unwrap();
        for c in am.get_changes(&[]) {
            check_chunks(c.raw_bytes(), &Limits::DEFAULT).unwrap();
        }
        // Every sync message of a real exchange passes.
        let mut am = am;
        let mut other = Automerge::new();
        let (mut s1, mut s2) = (automerge::sync::State::new(), automerge::sync::State::new());
        for _ in 0..10 {
            if let Some(m) = am.generate_sync_message(&mut s1) {
                let bytes = m.encode();
                check_sync_message(&bytes, &Limits::DEFAULT).unwrap();
                let m = automerge::sync::Message::decode(&bytes).unwrap();
                other.receive_sync_message(&mut s2, m).unwrap();
            }
            if let Some(m) = other.generate_sync_message(&mut s2) {
                let bytes = m.encode();
                check_sync_message(&bytes, &Limits::DEFAULT).unwrap();
                let m = automerge::sync::Message::decode(&bytes).unwrap();
                am.receive_sync_message(&mut s1, m).unwrap();
            }
        }
        assert_eq!(other.get_heads(), am.get_heads());
    }

    #[test]
    fn a_compressed_change_bomb_is_refused_while_inflating() {
        // 256 MiB of zeros deflate to about 256 KiB.
        let bomb = chunk(CHUNK_COMPRESSED, &deflated_zeros(256 << 20));
        assert!(bomb.len() < 512 << 10);
        let err = check_chunks(&bomb, &Limits::DEFAULT).unwrap_err();
        assert_eq!(
            err,
            BoundsError::Inflated {
                limit: Limits::DEFAULT.max_inflated_bytes
            }
        );
    }

    #[test]
    fn the_inflation_budget_is_shared_by_all_chunks_of_one_input() {
        let limits = Limits {
            max_inflated_bytes: 3 << 20,
            ..Limits::DEFAULT
        };
        // One 2 MiB stream is under the limit (zeros read as an empty
        // change); two in one input are not.
        let one = chunk(CHUNK_COMPRESSED, &deflated_zeros(2 << 20));
        let b = check_chunks(&one, &limits).unwrap();
        assert_eq!(b.inflated, 2 << 20);
        let two = [one.clone(), one.clone()].concat();
        assert_eq!(
            check_chunks(&two, &limits).unwrap_err(),
            BoundsError::Inflated { limit: 3 << 20 }
        );
        // Within one sync message the chunks share the budget too.
        let mut msg = vec![0x42, 0, 0, 0, 2];
        for _ in 0..2 {
            msg.extend(leb(one.len() as u64));
            msg.extend(&one);
        }
        assert_eq!(
            check_sync_message(&msg, &limits).unwrap_err(),
            BoundsError::Inflated { limit: 3 << 20 }
        );
    }

    #[test]
    fn a_run_length_bomb_is_refused_without_expanding_it() {
        check_chunks(&rle_change(1000), &Limits::DEFAULT).unwrap();
        let err = check_chunks(&rle_change(1_000_000_000), &Limits::DEFAULT).unwrap_err();
        assert_eq!(
            err,
            BoundsError::Values {
                limit: Limits::DEFAULT.max_values
            }
        );
        // Summed over the chunks of one input.
        let many = rle_change(3_000_000).repeat(2);
        assert!(matches!(
            check_chunks(&many, &Limits::DEFAULT).unwrap_err(),
            BoundsError::Values { .. }
        ));
    }

    #[test]
    fn bloom_filters_and_lists_are_bounded() {
        // One have whose bloom filter asks for 4 billion probes.
        let mut bloom = leb(1);
        bloom.extend(leb(10));
        bloom.extend(leb(u64::from(u32::MAX)));
        bloom.extend([0, 0]);
        let mut msg = vec![0x42, 0, 0, 1, 0];
        msg.extend(leb(bloom.len() as u64));
        msg.extend(&bloom);
        msg.push(0);
        assert!(matches!(
            check_sync_message(&msg, &Limits::DEFAULT).unwrap_err(),
            BoundsError::TooMany {
                what: "bloom filter probes",
                ..
            }
        ));
        // A million empty chunks: 1 MB on the wire, 24 MB as Vecs.
        let mut msg = vec![0x42, 0, 0, 0];
        msg.extend(leb(1_000_000));
        msg.extend(vec![0u8; 1_000_000]);
        assert!(matches!(
            check_sync_message(&msg, &Limits::DEFAULT).unwrap_err(),
            BoundsError::TooMany { what: "chunks", .. }
        ));
        let mut msg = vec![0x42, 0, 0];
        msg.extend(leb(100_000));
        msg.extend(vec![0u8; 200_000]);
        assert!(matches!(
            check_sync_message(&msg, &Limits::DEFAULT).unwrap_err(),
            BoundsError::TooMany {
                what: "have entries",
                ..
            }
        ));
    }

    #[test]
    fn worst_bytes_never_panic() {
        let am = doc_with(5, 1000);
        let saved = am.save();
        // Every truncation and every single-byte corruption of a real
        // document: an answer, never a panic.
        for cut in 0..saved.len() {
            let _ = check_chunks(&saved[..cut], &Limits::DEFAULT);
        }
        for i in 0..saved.len() {
            for b in [0x00, 0x7f, 0x80, 0xff] {
                let mut bad = saved.clone();
                bad[i] = b;
                let _ = check_chunks(&bad, &Limits::DEFAULT);
            }
        }
        for bytes in [
            &[][..],
            &[0x42],
            &[0x42, 0xff, 0xff, 0xff],
            &[0x43, 0, 0, 0, 1, 5],
        ] {
            let _ = check_sync_message(bytes, &Limits::DEFAULT);
        }
    }
}
