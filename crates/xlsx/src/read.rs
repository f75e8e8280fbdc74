//! The reader: the workbook's sheets through `_rels/.rels`,
//! `workbook.xml` and its relationships (relative or absolute targets),
//! shared strings (rich-text runs joined, phonetic runs skipped), the
//! styles' number formats (to tell dates), and a sheet's cells — every
//! cell type, rows and cells with or without references — into a
//! [`Range`], within [`Limits`].

use crate::xml::{Event, Tokens, XmlResult, unescape_x};
use crate::zip::ZipArchive;
use crate::{Limits, MAX_COLS, MAX_ROWS, XlsxError};

/// One cell's value as stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    /// A number shown with a date or time format: an Excel serial date.
    Date(f64),
    Bool(bool),
    /// An ISO 8601 date or time (cell type `d`).
    DateIso(String),
    /// An error value (`#N/A`, `#DIV/0!` …).
    Error,
}

/// The rectangle spanning a sheet's cells with values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Range {
    /// The (row, column) of the top left cell, 0-based.
    pub start: (u32, u32),
    /// The rows of the rectangle, each as wide as the rectangle.
    pub rows: Vec<Vec<Value>>,
}

/// A workbook opened for reading.
pub struct Workbook<'a> {
    zip: ZipArchive<'a>,
    /// (name, part) of every sheet, in workbook order.
    sheets: Vec<(String, String)>,
    strings: Vec<String>,
    /// Per cell style (`s`): whether its number format shows a date.
    date_styles: Vec<bool>,
    limits: Limits,
}

fn xml_err(part: &str) -> impl Fn(&'static str) -> XlsxError + '_ {
    move |e| XlsxError::Xml(part.to_owned(), e)
}

/// A part as text, `None` if absent.
fn part(zip: &ZipArchive<'_>, name: &str) -> Result<Option<String>, XlsxError> {
    let Some(bytes) = zip.read(name)? else {
        return Ok(None);
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(XlsxError::Unsupported("parts not in UTF-8"));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| XlsxError::Xml(name.to_owned(), "not UTF-8"))
}

/// `target` resolved against the folder of the part `base`.
fn resolve(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = base.split('/').collect();
        p.pop();
        p
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The relationships of `rels` as (id, type, resolved target).
fn relationships(
    zip: &ZipArchive<'_>,
    source: &str,
) -> Result<Vec<(String, String, String)>, XlsxError> {
    let (dir, file) = source.rsplit_once('/').unwrap_or(("", source));
    let name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let Some(xml) = part(zip, &name)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut t = Tokens::new(&xml);
    let err = xml_err(&name);
    while let Some(ev) = t.next().map_err(&err)? {
        if let Event::Start(tag) = ev
            && tag.name == "Relationship"
        {
            let get = |a| tag.attr(a).map(|v| v.unwrap_or_default().into_owned());
            let target = get("Target").map_err(&err)?;
            out.push((
                get("Id").map_err(&err)?,
                get("Type").map_err(&err)?,
                resolve(source, &target),
            ));
        }
    }
    Ok(out)
}

fn of_type<'r>(rels: &'r [(String, String, String)], kind: &str) -> Option<&'r str> {
    rels.iter()
        .find(|(_, t, _)| t.rsplit('/').next() == Some(kind))
        .map(|(_, _, target)| target.as_str())
}

/// Whether a custom number format code shows a date or time (as calamine
/// decides: a date letter in the first section, outside quotes, brackets
/// and escapes; `[h]`, `[m]`, `[s]` elapsed times count too).
fn is_date_code(code: &str) -> bool {
    let (mut escaped, mut quoted, mut brackets) = (false, false, 0u8);
    let (mut prev, mut hms, mut ap) = (' ', false, false);
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            escaped = true;
        } else if quoted {
            quoted = c != '"';
        } else {
            match c {
                '"' => quoted = true,
                ';' => return false,
                '[' => brackets = brackets.saturating_add(1),
                ']' if brackets == 1 && hms => return true,
                ']' => brackets = brackets.saturating_sub(1),
                'a' | 'A' if !ap && brackets == 0 => ap = true,
                'p' | 'm' | '/' | 'P' | 'M' if ap && brackets == 0 => return true,
                'd' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S'
                    if !ap && brackets == 0 =>
                {
                    return true;
                }
                _ => {
                    if !(hms && c.eq_ignore_ascii_case(&prev)) {
                        hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                    }
                }
            }
        }
        prev = c;
    }
    false
}

/// Excel's built-in date and time formats (ECMA-376 18.8.30 and the East
/// Asian ones).
fn is_date_id(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Per cell style: whether it shows a date.
fn date_styles(xml: &str) -> XmlResult<Vec<bool>> {
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    let mut t = Tokens::new(xml);
    while let Some(ev) = t.next()? {
        match ev {
            Event::Start(tag) if tag.name == "numFmt" => {
                let id = tag.attr("numFmtId")?.and_then(|v| v.trim().parse().ok());
                if let (Some(id), Some(code)) = (id, tag.attr("formatCode")?) {
                    custom.push((id, is_date_code(&code)));
                }
            }
            Event::Start(tag) if tag.name == "cellXfs" => in_xfs = !tag.empty,
            Event::End("cellXfs") => in_xfs = false,
            Event::Start(tag) if in_xfs && tag.name == "xf" => {
                let id: u32 = tag
                    .attr("numFmtId")?
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                let date = match custom.iter().find(|(c, _)| *c == id) {
                    Some(&(_, d)) => d,
                    None => is_date_id(id),
                };
                out.push(date);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The text of a string item (`<si>` or `<is>`) just opened: its `<t>`,
/// or its runs' `<t>`s joined; phonetic runs (`<rPh>`) skipped.
fn string_item(t: &mut Tokens<'_>) -> XmlResult<String> {
    let mut out = String::new();
    let (mut depth, mut in_t, mut phonetic) = (0usize, false, 0usize);
    loop {
        match t.next_in()? {
            Event::Start(tag) if tag.empty => {}
            Event::Start(tag) => {
                depth += 1;
                match tag.name {
                    "rPh" => phonetic += 1,
                    "t" => in_t = true,
                    _ => {}
                }
            }
            Event::End(_) if depth == 0 => return Ok(unescape_x(out)),
            Event::End(name) => {
                depth -= 1;
                match name {
                    "rPh" => phonetic = phonetic.saturating_sub(1),
                    "t" => in_t = false,
                    _ => {}
                }
            }
            Event::Text(s) if in_t && phonetic == 0 => out.push_str(&s),
            Event::Text(_) => {}
        }
    }
}

/// The shared strings, at most `max` of them (`<si/>` is five bytes of
/// XML but a whole `String` in memory).
fn shared_strings(xml: &str, max: usize) -> XmlResult<Vec<String>> {
    let mut out = Vec::new();
    let mut t = Tokens::new(xml);
    while let Some(ev) = t.next()? {
        if let Event::Start(tag) = ev
            && tag.name == "si"
        {
            if out.len() >= max {
                return Err("more shared strings than cells allowed");
            }
            out.push(if tag.empty {
                String::new()
            } else {
                string_item(&mut t)?
            });
        }
    }
    Ok(out)
}

/// A cell reference (`B12`) as 0-based (row, column).
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || digits.len() > 7 {
        return None;
    }
    let mut col = 0u32;
    for b in letters.bytes() {
        col = col * 26 + u32::from(b.to_ascii_uppercase().checked_sub(b'A')?.min(26)) + 1;
        if !b.is_ascii_alphabetic() {
            return None;
        }
    }
    let row: u32 = digits.parse().ok()?;
    (1..=MAX_ROWS)
        .contains(&row)
        .then_some(())
        .filter(|()| (1..=MAX_COLS).contains(&col))
        .map(|()| (row - 1, col - 1))
}

impl<'a> Workbook<'a> {
    /// Opens a workbook with the default [`Limits`].
    pub fn open(bytes: &'a [u8]) -> Result<Self, XlsxError> {
        Self::open_with(bytes, Limits::default())
    }

    /// Opens a workbook: the archive, the sheet list, shared strings and
    /// styles; sheets are read on demand.
    pub fn open_with(bytes: &'a [u8], limits: Limits) -> Result<Self, XlsxError> {
        let zip = ZipArchive::new(bytes, limits)?;
        let root = relationships(&zip, "")?;
        let wb_name = of_type(&root, "officeDocument")
            .unwrap_or("xl/workbook.xml")
            .to_owned();
        let wb_xml =
            part(&zip, &wb_name)?.ok_or_else(|| XlsxError::MissingPart(wb_name.clone()))?;
        let rels = relationships(&zip, &wb_name)?;
        let mut sheets = Vec::new();
        let mut t = Tokens::new(&wb_xml);
        let err = xml_err(&wb_name);
        while let Some(ev) = t.next().map_err(&err)? {
            if let Event::Start(tag) = ev
                && tag.name == "sheet"
            {
                let name = tag.attr("name").map_err(&err)?.unwrap_or_default();
                let id = tag.prefixed_attr("id").map_err(&err)?.unwrap_or_default();
                let target = rels
                    .iter()
                    .find(|(i, _, _)| *i == id)
                    .map(|(_, _, target)| target.clone())
                    .ok_or_else(|| XlsxError::Invalid(wb_name.clone(), "a sheet without a part"))?;
                sheets.push((unescape_x(name.into_owned()), target));
            }
        }
        let strings = match of_type(&rels, "sharedStrings").map(|p| (p, part(&zip, p))) {
            Some((p, r)) => match r? {
                Some(x) => shared_strings(&x, limits.max_cells).map_err(xml_err(p))?,
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        let date_styles = match of_type(&rels, "styles").map(|p| (p, part(&zip, p))) {
            Some((p, r)) => match r? {
                Some(x) => date_styles(&x).map_err(xml_err(p))?,
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        Ok(Workbook {
            zip,
            sheets,
            strings,
            date_styles,
            limits,
        })
    }

    /// The sheets' names, in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The cells of the `index`th sheet.
    pub fn sheet(&self, index: usize) -> Result<Range, XlsxError> {
        let (_, name) = self.sheets.get(index).ok_or(XlsxError::NoSheet)?;
        let xml = part(&self.zip, name)?.ok_or_else(|| XlsxError::MissingPart(name.clone()))?;
        let cells = self.cells(name, &xml)?;
        self.range(cells)
    }

    fn cells(&self, part: &str, xml: &str) -> Result<Vec<(u32, u32, Value)>, XlsxError> {
        let invalid = |why| XlsxError::Invalid(part.to_owned(), why);
        let err = xml_err(part);
        let mut out = Vec::new();
        // Text bytes copied into cells: one long shared string referenced
        // by every cell must not multiply into gigabytes.
        let mut text_bytes = 0usize;
        let mut t = Tokens::new(xml);
        let (mut row, mut next_col): (Option<u32>, u32) = (None, 0);
        while let Some(ev) = t.next().map_err(&err)? {
            let Event::Start(tag) = ev else { continue };
            match tag.name {
                "row" => {
                    let r = match tag.attr("r").map_err(&err)? {
                        Some(r) => {
                            r.trim()
                                .parse::<u32>()
                                .ok()
                                .filter(|r| (1..=MAX_ROWS).contains(r))
                                .ok_or_else(|| invalid("a row number out of range"))?
                                - 1
                        }
                        None => row.map_or(0, |r| r + 1),
                    };
                    if r >= MAX_ROWS {
                        return Err(invalid("a row number out of range"));
                    }
                    row = Some(r);
                    next_col = 0;
                }
                "c" => {
                    let (r, c) = match tag.attr("r").map_err(&err)? {
                        Some(a) => {
                            cell_ref(a.trim()).ok_or_else(|| invalid("a bad cell reference"))?
                        }
                        None => (row.unwrap_or(0), next_col),
                    };
                    if c >= MAX_COLS {
                        return Err(invalid("a column out of range"));
                    }
                    next_col = c + 1;
                    let kind = tag.attr("t").map_err(&err)?.unwrap_or_default();
                    let style: usize = tag
                        .attr("s")
                        .map_err(&err)?
                        .and_then(|s| s.trim().parse().ok())
                        .unwrap_or(0);
                    let (mut v, mut inline) = (None, None);
                    if !tag.empty {
                        let mut depth = 0usize;
                        loop {
                            match t.next_in().map_err(&err)? {
                                Event::Start(x) if x.empty => {}
                                Event::Start(x) if depth == 0 && x.name == "v" => {
                                    v = Some(t.text().map_err(&err)?);
                                }
                                Event::Start(x) if depth == 0 && x.name == "is" => {
                                    inline = Some(string_item(&mut t).map_err(&err)?);
                                }
                                Event::Start(_) => depth += 1,
                                Event::End(_) if depth == 0 => break,
                                Event::End(_) => depth -= 1,
                                Event::Text(_) => {}
                            }
                        }
                    }
                    let value = match (&*kind, v) {
                        ("inlineStr", _) => inline.map(Value::Text),
                        (_, None) => None,
                        ("s", Some(v)) => {
                            let i: usize = v
                                .trim()
                                .parse()
                                .map_err(|_| invalid("a bad string index"))?;
                            let s = self
                                .strings
                                .get(i)
                                .ok_or_else(|| invalid("a string index out of range"))?;
                            Some(Value::Text(s.clone()))
                        }
                        ("str", Some(v)) => Some(Value::Text(unescape_x(v))),
                        ("b", Some(v)) => Some(Value::Bool(match v.trim() {
                            "1" | "true" => true,
                            "0" | "false" => false,
                            _ => return Err(invalid("a bad boolean")),
                        })),
                        ("e", Some(_)) => Some(Value::Error),
                        ("d", Some(v)) => Some(Value::DateIso(v.trim().to_owned())),
                        ("n" | "", Some(v)) if v.trim().is_empty() => None,
                        ("n" | "", Some(v)) => {
                            let n: f64 = v.trim().parse().map_err(|_| invalid("a bad number"))?;
                            Some(if self.date_styles.get(style) == Some(&true) {
                                Value::Date(n)
                            } else {
                                Value::Number(n)
                            })
                        }
                        _ => return Err(invalid("an unknown cell type")),
                    };
                    if let Some(value) = value {
                        if out.len() >= self.limits.max_cells {
                            return Err(XlsxError::TooLarge("too many cells"));
                        }
                        if let Value::Text(s) | Value::DateIso(s) = &value {
                            text_bytes = text_bytes.saturating_add(s.len());
                            if text_bytes > self.limits.max_total_bytes {
                                return Err(XlsxError::TooLarge("the cells hold too much text"));
                            }
                        }
                        out.push((r, c, value));
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn range(&self, cells: Vec<(u32, u32, Value)>) -> Result<Range, XlsxError> {
        let Some(&(r0, c0, _)) = cells.first() else {
            return Ok(Range::default());
        };
        let (mut top, mut left, mut bottom, mut right) = (r0, c0, r0, c0);
        for &(r, c, _) in &cells {
            top = top.min(r);
            bottom = bottom.max(r);
            left = left.min(c);
            right = right.max(c);
        }
        let (h, w) = ((bottom - top + 1) as usize, (right - left + 1) as usize);
        if h.saturating_mul(w) > self.limits.max_cells {
            return Err(XlsxError::TooLarge("the cells span too large a rectangle"));
        }
        let mut rows = vec![vec![Value::Empty; w]; h];
        for (r, c, v) in cells {
            rows[(r - top) as usize][(c - left) as usize] = v;
        }
        Ok(Range {
            start: (top, left),
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_paths_and_formats() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("xfd1048576"), Some((1_048_575, 16_383)));
        for bad in [
            "XFE1", "A0", "A1048577", "1", "A", "ABCD1", "A-1", "Ä1", "A1B",
        ] {
            assert_eq!(cell_ref(bad), None, "{bad}");
        }
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(resolve("xl/workbook.xml", "/xl/s.xml"), "xl/s.xml");
        assert_eq!(resolve("xl/workbook.xml", "../x/./s.xml"), "x/s.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
        for d in [
            "yyyy-mm-dd",
            "d/m/yy h:mm",
            "[h]:mm:ss",
            "yyyy\"年\"m\"月\"d\"日\"",
            "AM/PM h",
        ] {
            assert!(is_date_code(d), "{d}");
        }
        for n in [
            "0.00",
            "\"days\" 0",
            "[Red]0.0",
            "#,##0_);(#,##0)",
            "@",
            "General",
        ] {
            assert!(!is_date_code(n), "{n}");
        }
        assert!(is_date_id(14) && is_date_id(58) && !is_date_id(49) && !is_date_id(0));
    }
}
