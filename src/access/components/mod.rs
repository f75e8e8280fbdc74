//! Enrolment on the settings screen and the device summary.

pub mod device_summary;
pub mod enrol_form;
