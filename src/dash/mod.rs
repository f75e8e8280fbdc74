//! Pure logic of the dashboard, Excel import/export and the A4 print layouts: forms, validation of input, reads and writes through
//! the model. No view code here.
