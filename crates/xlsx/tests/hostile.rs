//! Hostile files: every bad archive or part must be an error — never a
//! panic, an endless loop or an allocation the limits do not allow.

#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;

use flate2::Crc;
use flate2::write::DeflateEncoder;
use proptest::prelude::*;
use yanzhen_xlsx::{CellOut, Limits, SheetOut, Value, Workbook, XlsxError, write_workbook};

/// One hand-made zip entry.
struct Part<'a> {
    name: &'a str,
    data: &'a [u8],
    deflate: bool,
    /// Sizes and CRC after the data (flag bit 3), zeros in the local header.
    descriptor: bool,
}

fn part<'a>(name: &'a str, data: &'a [u8]) -> Part<'a> {
    Part {
        name,
        data,
        deflate: true,
        descriptor: false,
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn crc(data: &[u8]) -> u32 {
    let mut c = Crc::new();
    c.update(data);
    c.sum()
}

/// A zip archive made field by field (with a trailing comment).
fn zip(parts: &[Part<'_>]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for p in parts {
        let packed = if p.deflate {
            deflate(p.data)
        } else {
            p.data.to_vec()
        };
        let offset = out.len() as u32;
        let fields = |v: &mut Vec<u8>, local: bool| {
            let zero = local && p.descriptor;
            let flags: u16 = if p.descriptor { 8 } else { 0 };
            v.extend_from_slice(&flags.to_le_bytes());
            v.extend_from_slice(&(if p.deflate { 8u16 } else { 0 }).to_le_bytes());
            v.extend_from_slice(&[0, 0, 0x21, 0]);
            for x in [crc(p.data), packed.len() as u32, p.data.len() as u32] {
                v.extend_from_slice(&(if zero { 0 } else { x }).to_le_bytes());
            }
            v.extend_from_slice(&(p.name.len() as u16).to_le_bytes());
            v.extend_from_slice(&[0, 0]);
        };
        out.extend_from_slice(b"PK\x03\x04\x14\x00");
        fields(&mut out, true);
        out.extend_from_slice(p.name.as_bytes());
        out.extend_from_slice(&packed);
        if p.descriptor {
            out.extend_from_slice(b"PK\x07\x08");
            for x in [crc(p.data), packed.len() as u32, p.data.len() as u32] {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        central.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00");
        fields(&mut central, false);
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(p.name.as_bytes());
    }
    let n = parts.len() as u16;
    let (cd_off, cd_len) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_off.to_le_bytes());
    out.extend_from_slice(&7u16.to_le_bytes());
    out.extend_from_slice(b"comment");
    out
}

const RELS: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>"#;
const WB: &[u8] = br#"<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="S&amp;1" sheetId="1" rel:id="a"/></x:sheets></x:workbook>"#;
const WB_RELS: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/one.xml"/><Relationship Id="b" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/><Relationship Id="c" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="../xl/styles.xml"/></Relationships>"#;
const STRINGS: &[u8] = br#"<sst><si><t>plain</t></si><si><r><rPr><b/></rPr><t>ri</t></r><r><t xml:space="preserve">ch </t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si><si/></sst>"#;
const STYLES: &[u8] = br#"<styleSheet><numFmts count="1"><numFmt numFmtId="170" formatCode="yyyy&quot;&#24180;&quot;m&quot;&#26376;&quot;"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="170"/><xf numFmtId="4"/></cellXfs></styleSheet>"#;

/// A workbook made by hand around `sheet` (the sheet's XML).
fn book(sheet: &[u8]) -> Vec<u8> {
    zip(&[
        part("_rels/.rels", RELS),
        part("xl/workbook.xml", WB),
        part("xl/_rels/workbook.xml.rels", WB_RELS),
        part("xl/strings.xml", STRINGS),
        part("xl/styles.xml", STYLES),
        part("xl/worksheets/one.xml", sheet),
    ])
}

fn read(bytes: &[u8]) -> Result<Vec<Vec<Value>>, XlsxError> {
    Workbook::open(bytes)?.sheet(0).map(|r| r.rows)
}

const SHEET: &[u8] = br#"<worksheet><sheetData>
<row r="2"><c r="B2" t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>
<row><c><v>45526</v></c><c s="1"><v>45526.75</v></c><c s="2"><v>1</v></c><c s="3"><v>1.5</v></c></row>
<row><c t="inlineStr"><is><t>in&#x4E2D;_x000D_</t></is></c><c t="str"><f>A1</f><v>calc</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2024-08-22T00:00:00</v></c><c/><c><v></v></c></row>
</sheetData></worksheet>"#;

#[test]
fn a_hand_made_archive_with_data_descriptors_and_stored_entries() {
    let stored = |p: Part<'static>| Part {
        deflate: false,
        ..p
    };
    let described = |p: Part<'static>| Part {
        descriptor: true,
        ..p
    };
    let bytes = zip(&[
        stored(part("_rels/.rels", RELS)),
        described(part("xl/workbook.xml", WB)),
        described(stored(part("xl/_rels/workbook.xml.rels", WB_RELS))),
        part("xl/strings.xml", STRINGS),
        described(part("xl/styles.xml", STYLES)),
        described(part("xl/worksheets/one.xml", SHEET)),
    ]);
    let wb = Workbook::open(&bytes).unwrap();
    assert_eq!(wb.sheet_names(), vec!["S&1"]);
    let r = wb.sheet(0).unwrap();
    assert_eq!(r.start, (1, 0));
    let t = |s: &str| Value::Text(s.into());
    assert_eq!(
        r.rows,
        vec![
            vec![Value::Empty, t("plain"), t("rich "), t(""), Value::Empty],
            vec![
                Value::Number(45526.0),
                Value::Date(45526.75),
                Value::Date(1.0),
                Value::Number(1.5),
                Value::Empty
            ],
            vec![
                t("in中\r"),
                t("calc"),
                Value::Bool(false),
                Value::Error,
                Value::DateIso("2024-08-22T00:00:00".into())
            ],
        ]
    );
    assert_eq!(read(&book(SHEET)).unwrap(), r.rows);
}

fn small_valid() -> Vec<u8> {
    write_workbook(&[SheetOut {
        name: "表",
        headers: vec!["甲", "乙"],
        rows: vec![vec![CellOut::Text("x"), CellOut::Number(1.0)]],
        widths: vec![4.0, 4.0],
    }])
    .unwrap()
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = small_valid();
    assert!(read(&bytes).is_ok());
    for n in 0..bytes.len() {
        assert!(read(&bytes[..n]).is_err(), "truncated at {n}");
    }
}

#[test]
fn random_bytes_are_an_error() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in [0, 1, 21, 22, 100, 5000] {
        let mut b: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        assert!(read(&b).is_err());
        // Random bytes behind a plausible end record.
        b.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0\x2e\0\0\0\0\0\0\0\0\0");
        assert!(read(&b).is_err());
    }
}

#[test]
fn zip_bombs_stop_at_the_limits() {
    let zeros = vec![0u8; 80 << 20];
    // Honest about its size: refused before inflating.
    let bomb = zip(&[part("xl/workbook.xml", &zeros)]);
    assert!(bomb.len() < 200_000);
    assert_eq!(
        read(&bomb),
        Err(XlsxError::TooLarge("a part inflates past the limit"))
    );
    // Lying about its size: inflation stops one byte past the claim.
    let mut liar = zip(&[part("xl/workbook.xml", &zeros[..1 << 20])]);
    let at = liar.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    liar[at + 24..at + 28].copy_from_slice(&100u32.to_le_bytes());
    assert!(matches!(
        read(&liar),
        Err(XlsxError::Entry(_, "a size mismatch"))
    ));
    // Many parts, each small enough, together too much.
    let tight = Limits {
        max_total_bytes: 1500,
        ..Limits::default()
    };
    assert_eq!(
        Workbook::open_with(&small_valid(), tight)
            .and_then(|w| w.sheet(0))
            .err(),
        Some(XlsxError::TooLarge("the parts inflate past the limit"))
    );
}

#[test]
fn huge_dimensions_are_refused_without_allocating_them() {
    let corners = br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#;
    assert_eq!(
        read(&book(corners)),
        Err(XlsxError::TooLarge("the cells span too large a rectangle"))
    );
    for sheet in [
        &br#"<worksheet><sheetData><row r="4000000000"><c><v>1</v></c></row></sheetData></worksheet>"#[..],
        br#"<worksheet><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>"#,
        br#"<worksheet><sheetData><row r="1"><c r="A99999999999"><v>1</v></c></row></sheetData></worksheet>"#,
        br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>3</v></c></row></sheetData></worksheet>"#,
        br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>-1</v></c></row></sheetData></worksheet>"#,
        br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1e</v></c></row></sheetData></worksheet>"#,
        br#"<worksheet><sheetData><row r="1"><c r="A1" t="q"><v>1</v></c></row></sheetData></worksheet>"#,
    ] {
        assert!(matches!(read(&book(sheet)), Err(XlsxError::Invalid(..))));
    }
    // Columns counted on past XFD.
    let wide = format!(
        "<worksheet><sheetData><row>{}</row></sheetData></worksheet>",
        "<c><v>1</v></c>".repeat(16_385)
    );
    assert!(matches!(
        read(&book(wide.as_bytes())),
        Err(XlsxError::Invalid(..))
    ));
    // More cells than allowed, however they are placed.
    let few = Limits {
        max_cells: 10,
        ..Limits::default()
    };
    let many = format!(
        "<worksheet><sheetData><row>{}</row></sheetData></worksheet>",
        "<c><v>1</v></c>".repeat(11)
    );
    let b = book(many.as_bytes());
    assert_eq!(
        Workbook::open_with(&b, few).and_then(|w| w.sheet(0)).err(),
        Some(XlsxError::TooLarge("too many cells"))
    );
    // One long shared string in every cell: refused before it is copied
    // past the limit.
    let long = format!("<sst><si><t>{}</t></si></sst>", "x".repeat(1 << 20));
    let row = format!("<row>{}</row>", "<c t=\"s\"><v>0</v></c>".repeat(100));
    let sheet = format!("<worksheet><sheetData>{}</sheetData></worksheet>", row);
    let b = zip(&[
        part("_rels/.rels", RELS),
        part("xl/workbook.xml", WB),
        part("xl/_rels/workbook.xml.rels", WB_RELS),
        part("xl/strings.xml", long.as_bytes()),
        part("xl/worksheets/one.xml", sheet.as_bytes()),
    ]);
    let small = Limits {
        max_total_bytes: 8 << 20,
        ..Limits::default()
    };
    assert_eq!(
        Workbook::open_with(&b, small)
            .and_then(|w| w.sheet(0))
            .err(),
        Some(XlsxError::TooLarge("the cells hold too much text"))
    );
    // More shared strings than cells allowed.
    let sst = format!("<sst>{}</sst>", "<si/>".repeat(11));
    let b = zip(&[
        part("_rels/.rels", RELS),
        part("xl/workbook.xml", WB),
        part("xl/_rels/workbook.xml.rels", WB_RELS),
        part("xl/strings.xml", sst.as_bytes()),
    ]);
    assert!(matches!(
        Workbook::open_with(&b, few),
        Err(XlsxError::Xml(..))
    ));
}

#[test]
fn entities_dtds_and_nesting_are_refused() {
    let laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><worksheet><sheetData><row><c t="str"><v>&lol2;</v></c></row></sheetData></worksheet>"#;
    assert!(matches!(read(&book(laughs)), Err(XlsxError::Xml(..))));
    let undefined =
        br#"<worksheet><sheetData><row><c t="str"><v>&lol;</v></c></row></sheetData></worksheet>"#;
    assert!(matches!(read(&book(undefined)), Err(XlsxError::Xml(..))));
    let deep = format!("<worksheet>{}</worksheet>", "<a>".repeat(10_000));
    assert!(matches!(
        read(&book(deep.as_bytes())),
        Err(XlsxError::Xml(..))
    ));
    let unclosed = br#"<worksheet><sheetData><row><c><v>1"#;
    assert!(matches!(read(&book(unclosed)), Err(XlsxError::Xml(..))));
}

/// The archive with one little-endian field of the central directory's
/// first entry (at `field`) replaced.
fn patch_central(mut bytes: Vec<u8>, field: usize, value: &[u8]) -> Vec<u8> {
    let at = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[at + field..at + field + value.len()].copy_from_slice(value);
    bytes
}

#[test]
fn damaged_archives_are_refused() {
    let good = book(SHEET);
    assert!(read(&good).is_ok());
    let unsupported = |b: &[u8]| matches!(read(b), Err(XlsxError::Unsupported(_)));
    // encrypted; another compression method; zip64 sizes
    assert!(unsupported(&patch_central(good.clone(), 8, &[1, 0])));
    assert!(unsupported(&patch_central(good.clone(), 10, &[12, 0])));
    assert!(unsupported(&patch_central(good.clone(), 24, &[0xFF; 4])));
    // a wrong CRC
    let crc = patch_central(good.clone(), 16, &[1, 2, 3, 4]);
    assert!(matches!(
        read(&crc),
        Err(XlsxError::Entry(_, "a CRC mismatch"))
    ));
    // a local header offset past the end, or pointing at another entry
    assert!(matches!(
        read(&patch_central(good.clone(), 42, &[0, 0, 0, 0x7F])),
        Err(XlsxError::Zip(_))
    ));
    assert!(matches!(
        read(&patch_central(good.clone(), 42, &[1, 0, 0, 0])),
        Err(XlsxError::Zip(_))
    ));
    // the central directory offset past the end
    let mut far = good.clone();
    let end = far.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    far[end + 16..end + 20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(unsupported(&far));
    far[end + 16..end + 20].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    assert!(matches!(read(&far), Err(XlsxError::Zip(_))));
    // entry data claiming the next entry's bytes
    let overlap = patch_central(good.clone(), 20, &5000u32.to_le_bytes());
    assert!(matches!(read(&overlap), Err(XlsxError::Zip(_))));
    // two entries of one name (differing in case only)
    let dup = zip(&[part("_rels/.rels", RELS), part("_RELS/.rels", RELS)]);
    assert_eq!(
        read(&dup).err(),
        Some(XlsxError::Zip("two entries share a name"))
    );
    // no workbook; no sheet
    let empty = zip(&[part("a.txt", b"a")]);
    assert!(matches!(read(&empty), Err(XlsxError::MissingPart(_))));
    let no_sheets = zip(&[part("xl/workbook.xml", b"<workbook><sheets/></workbook>")]);
    assert_eq!(read(&no_sheets), Err(XlsxError::NoSheet));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Damage anywhere in a valid file is read or refused, never a panic.
    #[test]
    fn mutated_archives_never_panic(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
        let mut b = small_valid();
        for (i, v) in &edits {
            let at = i.index(b.len());
            b[at] = *v;
        }
        let _ = read(&b);
    }

    /// Damage to the XML of a sheet (stored, so the CRC is right) is read
    /// or refused, never a panic.
    #[test]
    fn mutated_sheet_xml_never_panics(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut s = SHEET.to_vec();
        for (i, v) in &edits {
            let at = i.index(s.len());
            s[at] = *v;
        }
        let _ = read(&book(&s));
    }
}
