//! GBK (code page 936, as Chinese Excel saves a `.csv`) to Unicode, the
//! way `encoding_rs::GBK` decodes it (the WHATWG gb18030 decoder: one- and
//! two-byte codes, and four-byte GB18030 codes), from a table of our own:
//! `encoding_rs` decodes through one dispatcher that links every legacy
//! encoding's tables (~130 KB of the Excel chunk), against 48 KB here.
//!
//! `gbk.bin` is generated from `encoding_rs` by the test
//! `the_table_is_encoding_rs_gbk` (run it with `YANZHEN_WRITE_GBK_TABLE=1`
//! to rewrite the file after a version bump); `every_code_decodes_as_encoding_rs`
//! compares every one-, two- and four-byte code. Layout, little endian:
//! - 2 bytes: the number `R` of four-byte runs;
//! - `R` × 4 bytes: a run's first four-byte pointer and its code point
//!   (pointers up to 39419, all in the Basic Multilingual Plane; each run
//!   maps consecutive pointers to consecutive code points);
//! - 126 × 190 × 2 bytes: the code point of each two-byte code, lead byte
//!   0x81–0xFE by trail byte 0x40–0x7E, 0x80–0xFE (0 = none).

static TABLE: &[u8] = include_bytes!("gbk.bin");

fn u16_at(at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*TABLE.get(at)?, *TABLE.get(at + 1)?]))
}

/// The character of a four-byte code's pointer.
fn four_byte(pointer: u32) -> Option<char> {
    if (189_000..=1_237_575).contains(&pointer) {
        return char::from_u32(0x1_0000 + pointer - 189_000);
    }
    let runs = usize::from(u16_at(0)?);
    // The last run starting at or before the pointer.
    let run = (0..runs)
        .map(|r| 2 + r * 4)
        .take_while(|&at| u16_at(at).is_some_and(|p| u32::from(p) <= pointer))
        .last()?;
    let (start, code) = (u32::from(u16_at(run)?), u32::from(u16_at(run + 2)?));
    (pointer <= 39_419)
        .then(|| char::from_u32(code + pointer - start))
        .flatten()
}

/// The text of GBK bytes; `None` if any byte sequence is not GBK.
pub(super) fn decode(bytes: &[u8]) -> Option<String> {
    let two_byte_at = 2 + 4 * usize::from(u16_at(0)?);
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            0..=0x7F => {
                out.push(char::from(b));
                i += 1;
                continue;
            }
            0x80 => {
                out.push('€');
                i += 1;
                continue;
            }
            0xFF => return None,
            _ => {}
        }
        let lead = u32::from(b - 0x81);
        let b2 = *bytes.get(i + 1)?;
        if (0x30..=0x39).contains(&b2) {
            let (b3, b4) = (*bytes.get(i + 2)?, *bytes.get(i + 3)?);
            if !(0x81..=0xFE).contains(&b3) || !(0x30..=0x39).contains(&b4) {
                return None;
            }
            let pointer = (lead * 10 + u32::from(b2 - 0x30)) * 1260
                + u32::from(b3 - 0x81) * 10
                + u32::from(b4 - 0x30);
            out.push(four_byte(pointer)?);
            i += 4;
            continue;
        }
        let trail = match b2 {
            0x40..=0x7E => b2 - 0x40,
            0x80..=0xFE => b2 - 0x41,
            _ => return None,
        };
        let pointer = lead as usize * 190 + usize::from(trail);
        let code = u16_at(two_byte_at + 2 * pointer).filter(|&c| c != 0)?;
        out.push(char::from_u32(u32::from(code))?);
        i += 2;
    }
    Some(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn theirs(bytes: &[u8]) -> Option<String> {
        encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| s.into_owned())
    }

    fn four(pointer: u32) -> [u8; 4] {
        let b4 = pointer % 10;
        let b3 = pointer / 10 % 126;
        let b2 = pointer / 1260 % 10;
        let b1 = pointer / 12600;
        [
            0x81 + b1 as u8,
            0x30 + b2 as u8,
            0x81 + b3 as u8,
            0x30 + b4 as u8,
        ]
    }

    /// `gbk.bin` as the generator makes it from `encoding_rs`.
    fn generate() -> Vec<u8> {
        let mut runs: Vec<(u16, u16)> = Vec::new();
        let mut prev: Option<(u32, u32)> = None;
        for pointer in 0..=39_419u32 {
            let Some(s) = theirs(&four(pointer)) else {
                prev = None;
                continue;
            };
            let code = u32::from(s.chars().next().unwrap());
            if pointer == 0 || prev != Some((pointer - 1, code - 1)) {
                runs.push((pointer as u16, u16::try_from(code).unwrap()));
            }
            prev = Some((pointer, code));
        }
        let mut out = u16::try_from(runs.len()).unwrap().to_le_bytes().to_vec();
        for (p, c) in &runs {
            out.extend(p.to_le_bytes());
            out.extend(c.to_le_bytes());
        }
        for lead in 0x81..=0xFEu8 {
            for trail in (0x40..=0x7Eu8).chain(0x80..=0xFE) {
                let code = theirs(&[lead, trail]).map_or(0, |s| {
                    let mut cs = s.chars();
                    let c = u32::from(cs.next().unwrap());
                    assert!(cs.next().is_none());
                    u16::try_from(c).unwrap()
                });
                out.extend(code.to_le_bytes());
            }
        }
        assert_eq!(out.len(), 2 + runs.len() * 4 + 126 * 190 * 2);
        out
    }

    #[test]
    fn the_table_is_encoding_rs_gbk() {
        crate::data::generated::check_table(
            &generate(),
            TABLE,
            "src/modules/dashboard/excel/gbk.bin",
            "YANZHEN_WRITE_GBK_TABLE",
        );
    }

    #[test]
    fn every_code_decodes_as_encoding_rs() {
        for b in 0..=0xFFu8 {
            assert_eq!(decode(&[b]), theirs(&[b]), "{b:#X}");
            for t in 0..=0xFFu8 {
                assert_eq!(decode(&[b, t]), theirs(&[b, t]), "{b:#X} {t:#X}");
            }
        }
        // Every four-byte code of the Basic Multilingual Plane and beyond,
        // and some that are no code at all.
        for pointer in (0..=39_500u32).chain((188_990..1_237_590).step_by(97)) {
            let b = four(pointer);
            assert_eq!(decode(&b), theirs(&b), "pointer {pointer}");
        }
        for bad in [
            &b"\x81\x30\x81"[..],
            b"\x81\x30\x20\x30",
            b"\x81\x30\x81\x7f",
            b"\xfe\x39\xfe\x39",
        ] {
            assert_eq!(decode(bad), theirs(bad), "{bad:?}");
        }
        let (gbk, _, _) = encoding_rs::GBK.encode("王五,男\n€");
        assert_eq!(decode(&gbk).as_deref(), Some("王五,男\n€"));
        assert_eq!(decode(&four(189_000 + 0x1_0000)).as_deref(), Some("𠀀"));
    }
}
