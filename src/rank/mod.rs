//! Pure logic of the annual assessment, commitment / duty-report and collective-economy / pay screens: forms, validation of input, reads and writes through
//! the model. No view code here.
