//! Pure logic of the 归雁 screens (appointments, contact duty, investment leads, rural talent): forms, validation of input, reads and writes through
//! the model. No view code here.
