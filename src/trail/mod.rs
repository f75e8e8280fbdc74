//! A record's trail, shared by every module's screens: its history (who
//! changed what, when) and its open conflicts (both values, a person picks).

pub mod changes;
pub mod conflicts;
pub mod history;
pub mod record_trail;
pub mod shown_text;
