//! The sync status screen's pieces: a document's row, file transfer (.yanzhen export and import).

pub mod doc_row;
pub mod file_transfer;
