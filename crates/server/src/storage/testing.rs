//! Test support: a fresh database of either backend ([`TestDb`]) and
//! `on_both_backends!`, which turns one test body into a SQLite and a
//! PostgreSQL test. PostgreSQL comes from [`yanzhen_pgtest`] (a real server
//! in a temporary directory); without PostgreSQL installed those tests fail.

use super::{DatabaseTarget, Db, Opened};

/// The backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite in a temporary directory.
    Sqlite,
    /// A fresh database in this test binary's PostgreSQL cluster.
    Postgres,
}

/// A fresh, empty database (kept until dropped; PostgreSQL databases go
/// with the cluster at process exit).
pub struct TestDb {
    /// Where it is.
    pub target: DatabaseTarget,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A fresh database on `backend`.
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                TestDb {
                    target: DatabaseTarget::data_dir(dir.path()),
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => TestDb {
                target: DatabaseTarget::Postgres(yanzhen_pgtest::database()),
                _dir: None,
            },
        }
    }

    /// Opens it as the server does (migrations, `storage_id`).
    pub async fn open(&self) -> Opened {
        super::open(&self.target)
            .await
            .unwrap_or_else(|e| panic!("opening {}: {e}", self.target))
    }

    /// A plain pool on it: no migrations, no settings.
    pub async fn raw(&self) -> Db {
        match &self.target {
            DatabaseTarget::Sqlite(path) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true);
                Db::Sqlite(sqlx::SqlitePool::connect_with(options).await.unwrap())
            }
            DatabaseTarget::Postgres(url) => {
                Db::Postgres(sqlx::PgPool::connect(url).await.unwrap())
            }
        }
    }
}

/// `on_both_backends! { async fn name(backend) { … } … }`: for each
/// function a module `name` with the tests `name::sqlite` and
/// `name::postgres`, each running the body with `backend` set
/// ([`Backend`]).
macro_rules! on_both_backends {
    ($($(#[$meta:meta])* async fn $name:ident($backend:ident) $body:block)*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn run($backend: $crate::storage::testing::Backend) $body
                #[tokio::test]
                async fn sqlite() {
                    run($crate::storage::testing::Backend::Sqlite).await
                }
                #[tokio::test]
                async fn postgres() {
                    run($crate::storage::testing::Backend::Postgres).await
                }
            }
        )*
    };
}
pub(crate) use on_both_backends;
