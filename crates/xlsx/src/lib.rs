//! Yanzhen's own `.xlsx` codec: just what the app's Excel export and
//! roster import need, small enough for the web app's download.
//!
//! * [`write_workbook`]: one worksheet per [`SheetOut`] — a bold, framed,
//!   filled, frozen header row, text cells as text (number format `@`),
//!   numbers as numbers, given column widths; shared strings, deflated,
//!   deterministic bytes.
//! * [`Workbook`]: reads the worksheets of a file made by Excel, WPS,
//!   LibreOffice or any other tool into [`Range`]s of [`Value`]s, telling
//!   date-formatted numbers ([`Value::Date`]) from plain ones.
//!
//! Every file read is treated as hostile (an import is whatever a
//! colleague sent): the zip container and the XML are checked as they are
//! read, and [`Limits`] bound what inflating and reading may allocate, so a
//! bad file is an [`XlsxError`], never a panic or an out-of-memory abort.
//! Pure: no IO, no clock.

mod read;
mod write;
mod xml;
mod zip;

pub use read::{Range, Value, Workbook};
pub use write::{CellOut, SheetOut, write_workbook};

use thiserror::Error;

/// Why a workbook could not be written or read.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum XlsxError {
    #[error("the workbook could not be written: {0}")]
    Write(&'static str),
    #[error("invalid worksheet name {0:?}: {1}")]
    SheetName(String, &'static str),
    #[error("not a usable zip archive: {0}")]
    Zip(&'static str),
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    #[error("zip entry {0} is damaged: {1}")]
    Entry(String, &'static str),
    #[error("the file is too large to read: {0}")]
    TooLarge(&'static str),
    #[error("the workbook lacks the part {0}")]
    MissingPart(String),
    #[error("the part {0} is not readable XML: {1}")]
    Xml(String, &'static str),
    #[error("the part {0} is not valid SpreadsheetML: {1}")]
    Invalid(String, &'static str),
    #[error("the workbook has no worksheet")]
    NoSheet,
}

/// How much reading one file may inflate and allocate.
///
/// The defaults fit the app: a tablet's browser tab gets a few hundred
/// MiB and a wasm memory never shrinks, while a real roster (thousands of
/// rows, a few dozen columns) is a few MiB of XML. 64 MiB of inflated
/// parts is ten times the largest sheet we expect and still safe to hold
/// twice (the bytes and the strings read from them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Entries in the zip archive.
    pub max_entries: usize,
    /// Inflated bytes of any one part.
    pub max_part_bytes: usize,
    /// Inflated bytes of all parts read, and text bytes copied into the
    /// cells of a sheet.
    pub max_total_bytes: usize,
    /// Cells of a sheet, both those with a value and the rectangle
    /// spanning them (which a reader fills in), and shared strings. A
    /// large roster is a few hundred thousand cells; a million cells take
    /// about 72 MiB while read (40 bytes listed, 32 placed).
    pub max_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_part_bytes: 64 << 20,
            max_total_bytes: 64 << 20,
            max_cells: 1_000_000,
        }
    }
}

/// Excel's last row (1-based) and column.
pub const MAX_ROWS: u32 = 1_048_576;
/// Excel's last column (XFD).
pub const MAX_COLS: u32 = 16_384;
