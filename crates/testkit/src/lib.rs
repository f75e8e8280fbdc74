//! Yanzhen's native test kit: what the server's tests, the scenario and
//! interoperability tests and the load generator (`loadgen`) share.
//!
//! * [`tablet`]: a native tablet for sync tests ([`tablet::Tablet`]), a
//!   [`yanzhen_sync::SyncNode`] in the client role over one WebSocket,
//!   driven explicitly and failing the test on any surprise.
//! * [`server`]: the real server in-process ([`server::Server`]) over a data
//!   directory, with a district-admin device enrolled.
//! * [`process`]: the `yanzhen-server` binary as a child process
//!   ([`process::RealServer`]), killable and restartable.
//! * [`chaos`]: fault injection: a tablet that survives its link failing
//!   ([`chaos::Peer`]), the offline workload and its count, the chaos proxy
//!   ([`chaos::ChaosProxy`]) and the kill and flap storms.
//! * [`balancer`]: HAProxy in front of several server nodes.

pub mod balancer;
pub mod chaos;
pub mod process;
pub mod server;
pub mod tablet;
