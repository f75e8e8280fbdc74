//! The pinyin table: each character of the CJK blocks names are written in
//! (Extension A and the basic block, U+3400–U+9FFF: every hanzi of GBK but
//! 〇 and a few compatibility ideographs) → its plain syllable (the first
//! reading of the `pinyin` crate, tones removed: 单 → `dan`, 吕 → `lü`).
//! Characters of Extension B and later (none in GBK) have no reading here:
//! a name with one is still found by its characters.
//!
//! `table.bin` is generated from the `pinyin` crate by the test
//! `the_table_is_the_pinyin_crates_readings` (run it with
//! `YANZHEN_WRITE_PINYIN_TABLE=1` to rewrite the file after a version bump);
//! the app no longer links the crate, whose table covers every CJK code
//! point with tones and heteronyms (~280 KB in the wasm, against 31 KB
//! here). Layout, all of it fixed by the generator:
//! - 2 bytes: the number of syllables `S` (little endian), at most 511;
//! - `S` × 6 bytes: the syllables, most frequent first, space-padded;
//! - one byte per code point from [`FIRST`] to [`LAST`]: the low 8 bits of
//!   its syllable's number (1-based; 0 = no reading);
//! - one bit per code point (LSB first): the 9th bit of that number.

/// The first and last code points in the table.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;
/// Code points in the table.
const LEN: usize = (LAST - FIRST + 1) as usize;
/// Bytes per syllable ("zhuang"; "lüe" is 4 in UTF-8).
const WIDTH: usize = 6;

static TABLE: &[u8] = include_bytes!("table.bin");

/// The plain syllable of `c` (lowercase), if the table has a reading for it.
pub(super) fn syllable(c: char) -> Option<&'static str> {
    let i = usize::try_from(u32::from(c).checked_sub(FIRST)?).ok()?;
    if i >= LEN {
        return None;
    }
    let count = usize::from(u16::from_le_bytes([TABLE[0], TABLE[1]]));
    let low_at = 2 + count * WIDTH;
    let high_at = low_at + LEN;
    let high = usize::from((TABLE[high_at + i / 8] >> (i % 8)) & 1);
    let n = (high << 8 | usize::from(TABLE[low_at + i])).checked_sub(1)?;
    let padded = &TABLE[2 + n * WIDTH..2 + (n + 1) * WIDTH];
    std::str::from_utf8(padded)
        .ok()
        .map(|s| s.trim_end_matches(' '))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use pinyin::ToPinyin;

    /// The `pinyin` crate's plain reading of a code point.
    fn crate_reading(code: u32) -> Option<&'static str> {
        char::from_u32(code)?.to_pinyin().map(|p| p.plain())
    }

    /// `table.bin` as the generator makes it from the `pinyin` crate.
    fn generate() -> Vec<u8> {
        let readings: Vec<Option<&str>> = (FIRST..=LAST).map(crate_reading).collect();
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        for r in readings.iter().flatten() {
            *counts.entry(r).or_default() += 1;
        }
        // Most frequent first (ties by spelling): the numbers then compress
        // a little better.
        let mut syllables: Vec<(&str, usize)> = counts.into_iter().collect();
        syllables.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        assert!(syllables.len() < 512, "{} syllables", syllables.len());
        let number = |s: &str| 1 + syllables.iter().position(|(t, _)| *t == s).unwrap();
        let mut out = u16::try_from(syllables.len())
            .unwrap()
            .to_le_bytes()
            .to_vec();
        for (s, _) in &syllables {
            assert!(s.len() <= WIDTH && !s.contains(' '), "{s:?}");
            out.extend(s.bytes().chain(std::iter::repeat(b' ')).take(WIDTH));
        }
        let numbers: Vec<usize> = readings.iter().map(|r| r.map_or(0, number)).collect();
        out.extend(numbers.iter().map(|n| (n & 0xff) as u8));
        let mut high = vec![0u8; LEN.div_ceil(8)];
        for (i, n) in numbers.iter().enumerate() {
            high[i / 8] |= u8::from(n >> 8 == 1) << (i % 8);
        }
        out.extend(high);
        out
    }

    #[test]
    fn the_table_is_the_pinyin_crates_readings() {
        crate::data::generated::check_table(
            &generate(),
            TABLE,
            "src/data/pinyin/table.bin",
            "YANZHEN_WRITE_PINYIN_TABLE",
        );
    }

    #[test]
    fn every_character_reads_as_the_pinyin_crate_says() {
        let mut read = 0;
        for code in FIRST..=LAST {
            let c = char::from_u32(code).unwrap();
            assert_eq!(syllable(c), crate_reading(code), "{c} U+{code:X}");
            read += usize::from(syllable(c).is_some());
        }
        // GBK's 21,003 hanzi and Extension A's 5,779 read characters.
        assert!(read > 26_000, "{read}");
        assert_eq!(syllable('䶮'), Some("yan"));
        assert_eq!(syllable('吕'), Some("lü"));
    }

    #[test]
    fn characters_outside_the_table_have_no_reading() {
        for c in ['a', '1', 'é', '〇', '\u{33FF}', '\u{A000}', '𠀀', '😀'] {
            assert_eq!(syllable(c), None, "{c}");
        }
        // Extension B and later are outside: the crate reads them.
        assert!(crate_reading(0x20000).is_some());
    }
}
