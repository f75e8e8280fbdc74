//! The writer: a minimal SpreadsheetML package that Excel, WPS and
//! LibreOffice open without complaint — content types, relationships,
//! document properties, workbook, styles (default, header, text `@`),
//! shared strings and one worksheet per sheet with a frozen header row.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::XlsxError;
use crate::xml::escape_into;
use crate::zip::ZipWriter;

/// One cell to write.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellOut<'a> {
    Empty,
    /// Text, stored as text with the number format `@`.
    Text(&'a str),
    /// A number (finite).
    Number(f64),
}

/// One worksheet to write.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetOut<'a> {
    pub name: &'a str,
    /// The header row (bold, framed, filled, frozen).
    pub headers: Vec<&'a str>,
    pub rows: Vec<Vec<CellOut<'a>>>,
    /// Column widths in Excel's character units, from column A.
    pub widths: Vec<f64>,
}

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
"#;
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT_SHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";

const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="3"><fill><patternFill patternType="none"/></fill>"#,
    r#"<fill><patternFill patternType="gray125"/></fill>"#,
    r#"<fill><patternFill patternType="solid"><fgColor rgb="FFF2E6D9"/><bgColor indexed="64"/></patternFill></fill></fills>"#,
    r#"<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>"#,
    r#"<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>"#,
    r#"<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>"#,
    r#"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>"#,
    "</styleSheet>"
);
const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
    "</Relationships>"
);
const APP: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>",
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>",
    "<AppVersion>12.0000</AppVersion></Properties>"
);
const CORE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    "<dc:creator>Yanzhen</dc:creator></cp:coreProperties>"
);

/// Checks a worksheet name as Excel does.
fn check_name(name: &str, earlier: &[&str]) -> Result<(), XlsxError> {
    let bad = |why| Err(XlsxError::SheetName(name.to_owned(), why));
    if name.is_empty() {
        return bad("empty");
    }
    if name.chars().count() > 31 {
        return bad("longer than 31 characters");
    }
    if name.contains(['[', ']', ':', '*', '?', '/', '\\']) {
        return bad("contains one of [ ] : * ? / \\");
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return bad("starts or ends with an apostrophe");
    }
    let lower = name.to_lowercase();
    if earlier.iter().any(|e| e.to_lowercase() == lower) {
        return bad("used twice");
    }
    Ok(())
}

/// `A`, `B`, … `XFD` for a 0-based column.
fn column_name(out: &mut String, col: usize) {
    let mut n = col + 1;
    let mut letters = [0u8; 3];
    let mut i = letters.len();
    while n > 0 && i > 0 {
        i -= 1;
        letters[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.extend(letters[i..].iter().map(|&b| char::from(b)));
}

/// Excel's stored width for a width in characters (as Excel itself
/// rounds it: 7-pixel digits, 5 pixels of padding).
fn stored_width(w: f64) -> f64 {
    let pixels = (w.max(1.0) * 7.0).round() as u32 + 5;
    f64::from(pixels * 256 / 7) / 256.0
}

/// Shared strings in order of first use.
#[derive(Default)]
struct Strings<'a> {
    index: HashMap<&'a str, usize>,
    list: Vec<&'a str>,
    uses: usize,
}

impl<'a> Strings<'a> {
    fn id(&mut self, s: &'a str) -> usize {
        self.uses += 1;
        let next = self.list.len();
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
    }
}

fn cell(out: &mut String, row: usize, col: usize, style: u8, body: std::fmt::Arguments) {
    out.push_str("<c r=\"");
    column_name(out, col);
    let _ = write!(out, "{row}\"");
    if style > 0 {
        let _ = write!(out, " s=\"{style}\"");
    }
    let _ = write!(out, "{body}</c>");
}

fn sheet_xml<'a>(
    s: &SheetOut<'a>,
    strings: &mut Strings<'a>,
    first: bool,
) -> Result<String, XlsxError> {
    let mut x = String::with_capacity(256 + 40 * s.rows.len() * s.headers.len().max(1));
    let _ = write!(
        x,
        "{HEAD}<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheetViews><sheetView{} workbookViewId=\"0\">\
         <pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>\
         <selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>\
         <sheetFormatPr defaultRowHeight=\"15\"/>",
        if first { " tabSelected=\"1\"" } else { "" }
    );
    if !s.widths.is_empty() {
        x.push_str("<cols>");
        for (c, w) in s.widths.iter().enumerate() {
            let c = c + 1;
            let _ = write!(
                x,
                "<col min=\"{c}\" max=\"{c}\" width=\"{}\" customWidth=\"1\"/>",
                stored_width(*w)
            );
        }
        x.push_str("</cols>");
    }
    x.push_str("<sheetData>");
    if !s.headers.is_empty() {
        x.push_str("<row r=\"1\">");
        for (c, h) in s.headers.iter().enumerate() {
            let id = strings.id(h);
            cell(&mut x, 1, c, 1, format_args!(" t=\"s\"><v>{id}</v>"));
        }
        x.push_str("</row>");
    }
    for (r, row) in s.rows.iter().enumerate() {
        let r = r + 2;
        if crate::MAX_ROWS < r as u32 || row.len() > crate::MAX_COLS as usize {
            return Err(XlsxError::Write("more rows or columns than Excel holds"));
        }
        let _ = write!(x, "<row r=\"{r}\">");
        for (c, v) in row.iter().enumerate() {
            match *v {
                CellOut::Empty | CellOut::Text("") => {}
                CellOut::Text(t) => {
                    let id = strings.id(t);
                    cell(&mut x, r, c, 2, format_args!(" t=\"s\"><v>{id}</v>"));
                }
                CellOut::Number(n) if n.is_finite() => {
                    cell(&mut x, r, c, 0, format_args!("><v>{n}</v>"));
                }
                CellOut::Number(_) => {
                    return Err(XlsxError::Write("a number that is not finite"));
                }
            }
        }
        x.push_str("</row>");
    }
    x.push_str(
        "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" \
         header=\"0.3\" footer=\"0.3\"/></worksheet>",
    );
    Ok(x)
}

/// An `.xlsx` workbook with one worksheet per sheet, in order.
pub fn write_workbook(sheets: &[SheetOut<'_>]) -> Result<Vec<u8>, XlsxError> {
    if sheets.is_empty() {
        return Err(XlsxError::NoSheet);
    }
    let mut names = Vec::with_capacity(sheets.len());
    for s in sheets {
        if s.headers.len().max(s.widths.len()) > crate::MAX_COLS as usize {
            return Err(XlsxError::Write("more columns than Excel holds"));
        }
        check_name(s.name, &names)?;
        names.push(s.name);
    }
    let mut zip = ZipWriter::default();
    let n = sheets.len();

    let mut ct = format!(
        "{HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
    );
    for i in 1..=n {
        let _ = write!(
            ct,
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"{CT_SHEET}\"/>"
        );
    }
    ct.push_str("</Types>");
    zip.add("[Content_Types].xml", ct.as_bytes())?;
    zip.add("_rels/.rels", ROOT_RELS.as_bytes())?;
    zip.add("docProps/app.xml", APP.as_bytes())?;
    zip.add("docProps/core.xml", CORE.as_bytes())?;

    let mut wb = format!(
        "{HEAD}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><workbookPr/>\
         <bookViews><workbookView/></bookViews><sheets>"
    );
    let mut rels = format!("{HEAD}<Relationships xmlns=\"{PKG_REL_NS}\">");
    for (i, s) in sheets.iter().enumerate() {
        let i = i + 1;
        wb.push_str("<sheet name=\"");
        escape_into(&mut wb, s.name);
        let _ = write!(wb, "\" sheetId=\"{i}\" r:id=\"rId{i}\"/>");
        let _ = write!(
            rels,
            "<Relationship Id=\"rId{i}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"
        );
    }
    wb.push_str("</sheets><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>");
    let _ = write!(
        rels,
        "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId{}\" Type=\"{REL_NS}/sharedStrings\" Target=\"sharedStrings.xml\"/>\
         </Relationships>",
        n + 1,
        n + 2
    );
    zip.add("xl/workbook.xml", wb.as_bytes())?;
    zip.add("xl/_rels/workbook.xml.rels", rels.as_bytes())?;
    zip.add("xl/styles.xml", STYLES.as_bytes())?;

    let mut strings = Strings::default();
    for (i, s) in sheets.iter().enumerate() {
        let x = sheet_xml(s, &mut strings, i == 0)?;
        zip.add(&format!("xl/worksheets/sheet{}.xml", i + 1), x.as_bytes())?;
    }
    let mut sst = format!(
        "{HEAD}<sst xmlns=\"{MAIN_NS}\" count=\"{}\" uniqueCount=\"{}\">",
        strings.uses,
        strings.list.len()
    );
    for s in &strings.list {
        let keep = s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace);
        sst.push_str(if keep {
            "<si><t xml:space=\"preserve\">"
        } else {
            "<si><t>"
        });
        escape_into(&mut sst, s);
        sst.push_str("</t></si>");
    }
    sst.push_str("</sst>");
    zip.add("xl/sharedStrings.xml", sst.as_bytes())?;
    zip.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_columns() {
        let mut s = String::new();
        for c in [0, 25, 26, 701, 702, 16_383] {
            column_name(&mut s, c);
            s.push(' ');
        }
        assert_eq!(s, "A Z AA ZZ AAA XFD ");
        assert!(check_name("花名册", &[]).is_ok());
        for bad in ["", "a/b", "x[1]", "'q", &"长".repeat(32)] {
            assert!(check_name(bad, &[]).is_err(), "{bad}");
        }
        assert!(check_name("Sheet", &["sheet"]).is_err());
        assert_eq!(stored_width(10.0), 10.7109375);
    }
}
