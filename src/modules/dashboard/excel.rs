//! Spreadsheets as plain data: a [`Sheet`] (Chinese headers, rows of
//! [`Cell`]s) written to an `.xlsx` workbook ([`workbook`]), and a file
//! read back into a [`Grid`] of cell texts ([`read_table`]: `.xlsx`, `.csv`
//! in UTF-8 — with or without a byte-order mark — or GBK, as Chinese Excel
//! saves it). The `.xlsx` codec is our own `yanzhen_xlsx` (small, and safe
//! on whatever file a colleague sends).

mod gbk;

use thiserror::Error;
use yanzhen_model::Date;
use yanzhen_xlsx::{CellOut, SheetOut, Value, Workbook, XlsxError};

/// The MIME type of an `.xlsx` workbook.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One cell of an exported sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text (dates and ID numbers are text too, so Excel keeps them as written).
    Text(String),
    /// A whole number (counts, yuan, hours).
    Int(i64),
    /// A number with decimals (scores).
    Num(f64),
}

impl Cell {
    /// The cell as text (numbers as Excel shows them).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(f) => number_text(*f),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<i64> for Cell {
    fn from(i: i64) -> Self {
        Cell::Int(i)
    }
}
impl From<u32> for Cell {
    fn from(i: u32) -> Self {
        Cell::Int(i64::from(i))
    }
}
impl From<u16> for Cell {
    fn from(i: u16) -> Self {
        Cell::Int(i64::from(i))
    }
}
impl From<u8> for Cell {
    fn from(i: u8) -> Self {
        Cell::Int(i64::from(i))
    }
}
impl From<f64> for Cell {
    fn from(f: f64) -> Self {
        Cell::Num(f)
    }
}
impl From<Date> for Cell {
    fn from(d: Date) -> Self {
        Cell::Text(d.to_string())
    }
}
impl From<Option<Date>> for Cell {
    fn from(d: Option<Date>) -> Self {
        Cell::Text(d.map(|d| d.to_string()).unwrap_or_default())
    }
}
impl From<bool> for Cell {
    fn from(b: bool) -> Self {
        Cell::Text(if b { "是" } else { "否" }.into())
    }
}

/// One worksheet: its (Chinese) name, header row and rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Why a workbook could not be made or a file read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ExcelError {
    #[error("the workbook could not be written: {0}")]
    Write(String),
    #[error("the file is not a readable .xlsx workbook: {0}")]
    Xlsx(String),
    #[error("the workbook has no worksheet")]
    NoSheet,
    #[error("the file is not a readable .csv table: {0}")]
    Csv(String),
    #[error("the file is empty")]
    Empty,
}

fn write_err(e: XlsxError) -> ExcelError {
    ExcelError::Write(e.to_string())
}

fn read_err(e: XlsxError) -> ExcelError {
    match e {
        XlsxError::NoSheet => ExcelError::NoSheet,
        e => ExcelError::Xlsx(e.to_string()),
    }
}

/// Display width of a text in Excel's character units (CJK count double).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x2E80 { 1 } else { 2 })
        .sum()
}

/// An `.xlsx` workbook with one worksheet per sheet: a bold, framed,
/// frozen header row, text cells as text, numbers as numbers, columns as
/// wide as their content (within reason).
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, ExcelError> {
    let out: Vec<SheetOut> = sheets
        .iter()
        .map(|s| {
            let mut widths: Vec<usize> = s.headers.iter().map(|h| width(h)).collect();
            let rows = s
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .map(|(c, cell)| {
                            if let Some(w) = widths.get_mut(c) {
                                *w = (*w).max(width(&cell.text()));
                            }
                            match cell {
                                Cell::Text(t) => CellOut::Text(t),
                                Cell::Int(i) => CellOut::Number(*i as f64),
                                Cell::Num(f) => CellOut::Number(*f),
                            }
                        })
                        .collect()
                })
                .collect();
            SheetOut {
                name: s.name,
                headers: s.headers.clone(),
                rows,
                widths: widths.iter().map(|w| (*w as f64 + 2.0).min(60.0)).collect(),
            }
        })
        .collect();
    yanzhen_xlsx::write_workbook(&out).map_err(write_err)
}

/// A table read from a file: every cell as trimmed text, the header row
/// first. Row `i` of `rows` is spreadsheet row `i + 1`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    pub rows: Vec<Vec<String>>,
}

/// `f` as Excel shows a plain number (no trailing `.0`).
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`.
pub fn serial_date(serial: f64) -> Option<String> {
    let days = serial.floor() as i64 - 25_569;
    Date::from_days_since_epoch(days).map(|d| d.to_string())
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Empty | Value::Error => String::new(),
        Value::Text(s) => s.trim().to_owned(),
        Value::Number(f) => number_text(*f),
        Value::Bool(b) => b.to_string(),
        Value::Date(f) => serial_date(*f).unwrap_or_default(),
        Value::DateIso(s) => s.get(..10).unwrap_or(s).to_owned(),
    }
}

/// The first worksheet of an `.xlsx` workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Grid, ExcelError> {
    let range = Workbook::open(bytes)
        .and_then(|wb| wb.sheet(0))
        .map_err(read_err)?;
    // Rows are placed by their real number, even if the sheet starts lower.
    let (top, left) = range.start;
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); top as usize];
    for r in &range.rows {
        let mut cells = vec![String::new(); left as usize];
        cells.extend(r.iter().map(value_text));
        rows.push(cells);
    }
    Ok(Grid { rows })
}

/// A `.csv` table in UTF-8 (a leading byte-order mark is dropped) or, when
/// the bytes are not UTF-8, GBK.
pub fn read_csv(bytes: &[u8]) -> Result<Grid, ExcelError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            gbk::decode(bytes).ok_or_else(|| ExcelError::Csv("neither UTF-8 nor GBK".into()))?
        }
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| ExcelError::Csv(e.to_string()))?;
        rows.push(rec.iter().map(|c| c.trim().to_owned()).collect());
    }
    Ok(Grid { rows })
}

/// Reads an `.xlsx` workbook (recognised by its zip signature) or a
/// `.csv` table.
pub fn read_table(bytes: &[u8]) -> Result<Grid, ExcelError> {
    if bytes.is_empty() {
        return Err(ExcelError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

/// Every sheet of an `.xlsx` workbook by name, as text grids (tests and
/// checks of an export).
pub fn read_all_sheets(bytes: &[u8]) -> Result<Vec<(String, Grid)>, ExcelError> {
    let wb = Workbook::open(bytes).map_err(read_err)?;
    let mut out = Vec::new();
    for (i, n) in wb.sheet_names().into_iter().enumerate() {
        let range = wb.sheet(i).map_err(read_err)?;
        let rows = range
            .rows
            .iter()
            .map(|r| r.iter().map(value_text).collect())
            .collect();
        out.push((n, Grid { rows }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            name: "花名册",
            headers: vec!["姓名", "身份证号", "金额"],
            rows: vec![
                vec![
                    "张三".into(),
                    "99010119800101001X".into(),
                    Cell::Int(1_030_000),
                ],
                vec!["李四".into(), "".into(), Cell::Num(87.5)],
            ],
        }
    }

    #[test]
    fn a_workbook_reads_back_as_written() {
        let bytes = workbook(&[
            sheet(),
            Sheet {
                name: "空表",
                headers: vec!["甲"],
                rows: vec![],
            },
        ])
        .unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let all = read_all_sheets(&bytes).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].0, "花名册");
        assert_eq!(
            all[0].1.rows,
            vec![
                vec!["姓名", "身份证号", "金额"],
                vec!["张三", "99010119800101001X", "1030000"],
                vec!["李四", "", "87.5"],
            ]
        );
        assert_eq!(read_table(&bytes).unwrap(), all[0].1);
        assert_eq!(all[1].0, "空表");
    }

    #[test]
    fn csv_in_utf8_with_bom_and_in_gbk() {
        let utf8 = "\u{feff}姓名,性别\n张三,男\n\"李,四\",女\n";
        let g = read_table(utf8.as_bytes()).unwrap();
        assert_eq!(
            g.rows,
            vec![
                vec!["姓名", "性别"],
                vec!["张三", "男"],
                vec!["李,四", "女"]
            ]
        );
        // 姓名,性别 / 王五,男 in GBK
        let gbk = b"\xd0\xd5\xc3\xfb,\xd0\xd4\xb1\xf0\n\xcd\xf5\xce\xe5,\xc4\xd0\n";
        let g = read_table(gbk).unwrap();
        assert_eq!(g.rows[1], vec!["王五", "男"]);
        assert_eq!(read_table(b""), Err(ExcelError::Empty));
        assert!(matches!(
            read_table(b"PK\x03\x04garbage"),
            Err(ExcelError::Xlsx(_))
        ));
    }

    #[test]
    fn excel_date_serials() {
        assert_eq!(serial_date(45_526.0).as_deref(), Some("2024-08-22"));
        assert_eq!(serial_date(29_221.0).as_deref(), Some("1980-01-01"));
    }
}
