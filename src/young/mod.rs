//! Pure logic of the 雏雁 screens (reserve cadres, reserve pool, home-coming, career posts): forms, validation of input, reads and writes through
//! the model. No view code here.
