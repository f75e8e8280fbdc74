//! The view pieces of 群雁's screens, one component per file.

pub mod attendance;
pub mod card_head;
pub mod cert_form;
pub mod coverage;
pub mod fields;
pub mod figure;
pub mod percent;
pub mod placement_form;
pub mod placements;
pub mod screen;
pub mod session_form;
pub mod session_list;
pub mod share;
pub mod studios;
pub mod trail;
pub mod workers;
