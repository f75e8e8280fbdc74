//! `yanzhen-server` binary: thin entry point over the `yanzhen_server` library.

fn main() {}
