//! Pure logic of the 群雁 screens (training, certificates, studios): forms, validation of input, reads and writes through
//! the model. No view code here.
