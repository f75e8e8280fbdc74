//! The server as it serves: the HTTP routes and assets (`http`), the
//! precompressed siblings of the assets (`precompressed`), the binary
//! itself (`binary`: start, announce, SIGTERM), limits behind a reverse
//! proxy (`proxy_limits`), HTTPS/WSS (`tls`), the binary on PostgreSQL
//! (`postgres`) and operations: backup and restore, `/metrics`, the node
//! id in the logs (`ops`). One test binary, a module per area.

mod binary;
mod http;
mod ops;
mod postgres;
mod precompressed;
mod proxy_limits;
mod tls;
