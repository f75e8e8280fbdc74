//! The zip container of an `.xlsx` package: a writer (deflate, fixed
//! timestamps, so the same parts give the same bytes) and a reader for
//! untrusted archives. The reader takes sizes from the central directory
//! (so data descriptors need no parsing), accepts stored and deflated
//! entries only, refuses zip64, encryption, spanning, duplicate names and
//! entries that overlap each other or the directory, checks every CRC, and
//! inflates no more than each entry declares and than [`Limits`] allow.

use std::cell::Cell;
use std::io::{Read, Write};

use flate2::Crc;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

use crate::{Limits, XlsxError};

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
/// 1980-01-01 00:00, the earliest DOS date.
const DOS_DATE: u16 = (1 << 5) | 1;

fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc::new();
    c.update(data);
    c.sum()
}

/// Builds a zip archive in memory.
#[derive(Default)]
pub(crate) struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
}

fn put16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn put32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

impl ZipWriter {
    /// Adds a deflated entry.
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<(), XlsxError> {
        let too_big = || XlsxError::Write("a part is too large for a zip archive");
        let mut enc = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data)
            .and_then(|()| enc.finish())
            .map_err(|_| XlsxError::Write("deflate failed"))
            .and_then(|packed| {
                let offset = u32::try_from(self.out.len()).map_err(|_| too_big())?;
                let csize = u32::try_from(packed.len()).map_err(|_| too_big())?;
                let usize_ = u32::try_from(data.len()).map_err(|_| too_big())?;
                let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
                let crc = crc32(data);
                // version, flags (bit 11: UTF-8 names), method 8, time, date, crc, sizes, name length
                let mut common = Vec::with_capacity(26);
                put16(&mut common, 20);
                put16(&mut common, 1 << 11);
                put16(&mut common, 8);
                put16(&mut common, 0);
                put16(&mut common, DOS_DATE);
                put32(&mut common, crc);
                put32(&mut common, csize);
                put32(&mut common, usize_);
                put16(&mut common, name_len);
                put32(&mut self.out, LOCAL);
                self.out.extend_from_slice(&common);
                put16(&mut self.out, 0);
                self.out.extend_from_slice(name.as_bytes());
                self.out.extend_from_slice(&packed);
                put32(&mut self.central, CENTRAL);
                put16(&mut self.central, 20);
                self.central.extend_from_slice(&common);
                // extra, comment, disk, internal and external attributes
                self.central.extend_from_slice(&[0; 12]);
                put32(&mut self.central, offset);
                self.central.extend_from_slice(name.as_bytes());
                self.count = self.count.checked_add(1).ok_or_else(too_big)?;
                Ok(())
            })
    }

    /// The finished archive.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        let too_big = XlsxError::Write("the workbook is too large for a zip archive");
        let cd_offset = u32::try_from(self.out.len()).map_err(|_| too_big.clone())?;
        let cd_size = u32::try_from(self.central.len()).map_err(|_| too_big)?;
        self.out.append(&mut self.central);
        put32(&mut self.out, END);
        put32(&mut self.out, 0);
        put16(&mut self.out, self.count);
        put16(&mut self.out, self.count);
        put32(&mut self.out, cd_size);
        put32(&mut self.out, cd_offset);
        put16(&mut self.out, 0);
        Ok(self.out)
    }
}

/// One entry of the central directory.
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    data: std::ops::Range<usize>,
    size: usize,
}

/// A zip archive read from untrusted bytes.
pub(crate) struct ZipArchive<'a> {
    bytes: &'a [u8],
    entries: Vec<Entry>,
    limits: Limits,
    inflated: Cell<usize>,
}

fn corrupt(what: &'static str) -> XlsxError {
    XlsxError::Zip(what)
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, XlsxError> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or(corrupt("a record runs past the end"))
}
fn u32_at(b: &[u8], at: usize) -> Result<u32, XlsxError> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or(corrupt("a record runs past the end"))
}

/// The name as a package path: `/` separators, no leading slash,
/// compared case-insensitively (as OPC part names are).
pub(crate) fn normalize(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_ascii_lowercase()
}

impl<'a> ZipArchive<'a> {
    pub fn new(bytes: &'a [u8], limits: Limits) -> Result<Self, XlsxError> {
        // The end record is the last 22 bytes, or earlier when a comment follows.
        let min_end = bytes.len().saturating_sub(22 + usize::from(u16::MAX));
        let end = (min_end..=bytes.len().saturating_sub(22))
            .rev()
            .find(|&i| {
                u32_at(bytes, i).ok() == Some(END)
                    && u16_at(bytes, i + 20).is_ok_and(|c| i + 22 + usize::from(c) <= bytes.len())
            })
            .ok_or(corrupt("no end of central directory record"))?;
        if end >= 20 && u32_at(bytes, end - 20)? == ZIP64_LOCATOR {
            return Err(XlsxError::Unsupported("zip64 archives"));
        }
        if u16_at(bytes, end + 4)? != 0 || u16_at(bytes, end + 6)? != 0 {
            return Err(XlsxError::Unsupported("archives split over several disks"));
        }
        let count = u16_at(bytes, end + 10)?;
        let cd_size = u32_at(bytes, end + 12)?;
        let cd_offset = u32_at(bytes, end + 16)?;
        if count == u16::MAX || cd_size == u32::MAX || cd_offset == u32::MAX {
            return Err(XlsxError::Unsupported("zip64 archives"));
        }
        if usize::from(count) > limits.max_entries {
            return Err(XlsxError::TooLarge("too many zip entries"));
        }
        let cd_start = cd_offset as usize;
        let cd_end = cd_start
            .checked_add(cd_size as usize)
            .filter(|&e| e <= end)
            .ok_or(corrupt("the central directory lies past its end record"))?;
        let mut entries: Vec<Entry> = Vec::with_capacity(usize::from(count));
        let mut at = cd_start;
        for _ in 0..count {
            if at + 46 > cd_end || u32_at(bytes, at)? != CENTRAL {
                return Err(corrupt("a bad central directory entry"));
            }
            let flags = u16_at(bytes, at + 8)?;
            let method = u16_at(bytes, at + 10)?;
            let crc = u32_at(bytes, at + 16)?;
            let csize = u32_at(bytes, at + 20)?;
            let size = u32_at(bytes, at + 24)?;
            let name_len = usize::from(u16_at(bytes, at + 28)?);
            let extra_len = usize::from(u16_at(bytes, at + 30)?);
            let comment_len = usize::from(u16_at(bytes, at + 32)?);
            let local = u32_at(bytes, at + 42)?;
            let name_bytes = bytes
                .get(at + 46..at + 46 + name_len)
                .ok_or(corrupt("a name runs past the end"))?;
            at += 46 + name_len + extra_len + comment_len;
            if at > cd_end {
                return Err(corrupt("a bad central directory entry"));
            }
            if flags & 1 != 0 || flags & (1 << 6) != 0 {
                return Err(XlsxError::Unsupported("encrypted entries"));
            }
            if csize == u32::MAX || size == u32::MAX || local == u32::MAX {
                return Err(XlsxError::Unsupported("zip64 archives"));
            }
            if method != 0 && method != 8 {
                return Err(XlsxError::Unsupported(
                    "compression other than stored or deflate",
                ));
            }
            let name = normalize(&String::from_utf8_lossy(name_bytes));
            // The local header repeats the name; its own sizes may be zero
            // (data descriptor), so only the directory's are used.
            let local = local as usize;
            if u32_at(bytes, local)? != LOCAL {
                return Err(corrupt("a bad local header"));
            }
            let l_name = usize::from(u16_at(bytes, local + 26)?);
            let l_extra = usize::from(u16_at(bytes, local + 28)?);
            if bytes.get(local + 30..local + 30 + l_name) != Some(name_bytes) {
                return Err(corrupt("a local header names another entry"));
            }
            let start = local + 30 + l_name + l_extra;
            let stop = start
                .checked_add(csize as usize)
                .filter(|&s| s <= cd_start)
                .ok_or(corrupt("entry data runs into the central directory"))?;
            if method == 0 && csize != size {
                return Err(corrupt("a stored entry with two sizes"));
            }
            entries.push(Entry {
                name,
                method,
                crc,
                data: local..stop,
                size: size as usize,
            });
        }
        // No two entries may share a name or a byte. (Ordered maps, not a
        // sort: each sort is a copy of the sort code in the app's download.)
        let mut spans = std::collections::BTreeMap::new();
        for e in &entries {
            // Every span holds at least its local header: one start, one span.
            if spans.insert(e.data.start, e.data.end).is_some() {
                return Err(corrupt("entries overlap"));
            }
        }
        let mut last_end = 0;
        for (&start, &end) in &spans {
            if last_end > start {
                return Err(corrupt("entries overlap"));
            }
            last_end = end;
        }
        let mut names = std::collections::BTreeSet::new();
        if !entries.iter().all(|e| names.insert(e.name.as_str())) {
            return Err(corrupt("two entries share a name"));
        }
        for e in &mut entries {
            let l_name = usize::from(u16_at(bytes, e.data.start + 26)?);
            let l_extra = usize::from(u16_at(bytes, e.data.start + 28)?);
            e.data.start += 30 + l_name + l_extra;
        }
        Ok(ZipArchive {
            bytes,
            entries,
            limits,
            inflated: Cell::new(0),
        })
    }

    /// The inflated, CRC-checked bytes of the entry `name`, `None` if there
    /// is no such entry.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>, XlsxError> {
        let key = normalize(name);
        let Some(e) = self.entries.iter().find(|e| e.name == key) else {
            return Ok(None);
        };
        if e.size > self.limits.max_part_bytes {
            return Err(XlsxError::TooLarge("a part inflates past the limit"));
        }
        let total = self.inflated.get().saturating_add(e.size);
        if total > self.limits.max_total_bytes {
            return Err(XlsxError::TooLarge("the parts inflate past the limit"));
        }
        let packed = &self.bytes[e.data.clone()];
        let data = if e.method == 0 {
            packed.to_vec()
        } else {
            // Never more than declared (+1 to notice a lie), whatever the stream says.
            let mut out = Vec::new();
            DeflateDecoder::new(packed)
                .take(e.size as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|_| XlsxError::Entry(name.to_owned(), "corrupt deflate data"))?;
            out
        };
        if data.len() != e.size {
            return Err(XlsxError::Entry(name.to_owned(), "a size mismatch"));
        }
        if crc32(&data) != e.crc {
            return Err(XlsxError::Entry(name.to_owned(), "a CRC mismatch"));
        }
        self.inflated.set(total);
        Ok(Some(data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_entries_read_back_deterministically() {
        let make = || {
            let mut w = ZipWriter::default();
            w.add("a.xml", b"<a/>").unwrap();
            w.add("dir/b.txt", &b"hello ".repeat(100)).unwrap();
            w.finish().unwrap()
        };
        let bytes = make();
        assert_eq!(bytes, make());
        let z = ZipArchive::new(&bytes, Limits::default()).unwrap();
        assert_eq!(z.read("A.XML").unwrap().unwrap(), b"<a/>");
        assert_eq!(z.read("/dir/b.txt").unwrap().unwrap().len(), 600);
        assert!(z.read("c").unwrap().is_none());
    }
}
