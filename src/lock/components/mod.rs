//! The lock's screens and pieces: set a PIN, unlock, lock settings, wiped, enrol again.

pub mod enrol_again;
pub mod set_pin;
pub mod settings;
pub mod stop_card;
pub mod unlock;
pub mod wiped;
