//! Native tablets against the real server in-process (`yanzhen_testkit`):
//! sync scenarios (offline, reconnect, conflicts, restart), the access
//! matrix, several server nodes on one PostgreSQL (`scenario_nodes`), the `/sync` WebSocket protocol, files through the server, and
//! interoperability with the JS automerge-repo (`crates/server/tests/interop/`). One test
//! binary: each area is a module, so test names read
//! `scenario_sync::…`, `sync_ws::…`, and so on.

mod files;
mod interop_js_client;
mod scenario_access;
mod scenario_city;
mod scenario_nodes;
mod scenario_sync;
mod sync_ws;
