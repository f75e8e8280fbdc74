//! The library's error type. The binary wraps it in `anyhow`; nothing here panics.

use std::{io, path::PathBuf};

/// Everything that can go wrong in the server library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database (SQLite or PostgreSQL) failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),

    /// `--database` is not a database URL this server knows
    /// (`sqlite://PATH`, `postgres://…`); never shows a password.
    #[error("database URL {0}")]
    DatabaseUrl(String),

    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory we tried to create.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },

    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address as given on the command line.
        addr: String,
        /// The underlying I/O error.
        source: io::Error,
    },

    /// A storage key was empty or otherwise unusable.
    #[error("invalid storage key {0:?}")]
    InvalidKey(String),

    /// The demo district could not be generated or its stored id is invalid.
    #[error("demo district: {0}")]
    Demo(String),

    /// The database schema cannot be used by this build.
    #[error("database schema: {0}")]
    Schema(String),

    /// An access-control operation was refused (bad role, unknown unit, …);
    /// the message is meant for the operator.
    #[error("{0}")]
    Access(String),

    /// Stored document chunks that do not load.
    #[error("stored document: {0}")]
    StoredDocument(String),

    /// The operating system's random number generator failed.
    #[error("random number generator failed: {0}")]
    Random(String),

    /// The TLS certificate or key could not be used (`--tls-cert`,
    /// `--tls-key`).
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),

    /// A backup could not be made (`yanzhen-server backup`); the message
    /// is meant for the operator.
    #[error("backup: {0}")]
    Backup(String),

    /// Any other I/O error (serving, reading assets from disk).
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
}

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
