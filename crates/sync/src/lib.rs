//! Yanzhen's sync layer: the automerge-repo wire protocol (CBOR, protocol
//! "1") as a sans-IO state machine. Events go in, effects come out; time and
//! randomness are passed in, so the same code runs in the browser, in the
//! server and in the benchmark load generator.
