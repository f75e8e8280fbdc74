//! Pure logic of the joint qualification review (资格联审) and secretary filing (备案) screens: forms, validation of input, reads and writes through
//! the model. No view code here.
