//! The real server in-process for tests: [`yanzhen_server::serve`] on
//! 127.0.0.1:0 over a data directory, stopped through its shutdown future.
//! Used by the server crate's tests (scenarios, interop, files, faults).
//!
//! `/sync` needs a device token: every start enrols a district-admin device
//! in-process (through the server's [`AuthStore`]) and [`Server::url`]
//! carries its token, so tests that are not about access sync as before;
//! [`Server::enrol`] enrols devices of other roles.

use std::{path::Path, sync::Arc, time::Duration};

use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::{TcpListener, TcpSocket, TcpStream},
    sync::oneshot,
    task::JoinHandle,
};
use yanzhen_model::entities::UnitKind;
use yanzhen_server::{
    AppState, Assets, AuthStore, Role, SqliteStorage, Storage, SyncSettings, auth::CodeScope,
    policy::Directory, serve,
};

/// The id of the one district of a server started without the demo (its
/// district document is not stored: its admin may write any document).
pub const TEST_DISTRICT: &str = "main";

/// Upper bound of a server start, stop or HTTP request.
const WAIT: Duration = Duration::from_secs(30);

/// Sync settings for tests: the tablets of a test do not answer close
/// frames while nobody pumps them, so shutdown does not wait long for them.
pub fn test_settings() -> SyncSettings {
    SyncSettings {
        close_grace: Duration::from_millis(300),
        ..SyncSettings::default()
    }
}

/// A running server.
pub struct Server {
    /// `host:port`.
    pub addr: String,
    /// `ws://host:port/sync?token=<admin token>`.
    pub url: String,
    /// `ws://host:port/sync`, without a token.
    pub sync_base: String,
    /// The token of the district-admin device enrolled at start.
    pub admin_token: String,
    /// Its device id: what the changes it makes must name (the server
    /// checks authorship, see [`signed`](crate::tablet::signed)).
    pub admin_device_id: String,
    pub storage_id: String,
    /// The server's access-control store (same database).
    pub auth: AuthStore,
    /// The database itself (for tests that make it misbehave).
    pub pool: sqlx::SqlitePool,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<yanzhen_server::Result<()>>,
    _assets: tempfile::TempDir,
}

impl Server {
    /// Starts over `data` (created if missing); with `demo`, stores the demo
    /// district first, as `--demo` does.
    pub async fn start(data: &Path, settings: SyncSettings, demo: bool) -> Server {
        Self::start_with(
            data,
            settings,
            if demo { Seeded::Demo } else { Seeded::Nothing },
        )
        .await
    }

    /// Starts over `data` with the demo city stored first, as
    /// `--demo-city` does; [`Server::url`]'s device is the first
    /// district's admin.
    pub async fn start_city(data: &Path, settings: SyncSettings) -> Server {
        Self::start_with(data, settings, Seeded::City).await
    }

    async fn start_with(data: &Path, settings: SyncSettings, seeded: Seeded) -> Server {
        let storage = SqliteStorage::open_dir(data).await.unwrap();
        let db = yanzhen_server::storage::Db::from(storage.pool().clone());
        let demo = seeded != Seeded::Nothing;
        if seeded == Seeded::City {
            yanzhen_server::demo::ensure_demo_city(&storage, &db)
                .await
                .unwrap();
        } else if demo {
            yanzhen_server::demo::ensure_demo(&storage, yanzhen_server::demo::DEFAULT_SEED)
                .await
                .unwrap();
            yanzhen_server::demo::register_demo_district(
                &db,
                yanzhen_server::demo::district_document_id(yanzhen_server::demo::DEFAULT_SEED),
            )
            .await
            .unwrap();
        }
        let storage_id = storage.storage_id().to_owned();
        let auth = AuthStore::new(storage.pool().clone());
        let pool = storage.pool().clone();
        let admin = if demo {
            enrol_with(&auth, &storage, Role::Admin, None, "test admin").await
        } else {
            // One district whose document is not written yet: its admin
            // may create any document, as before the city.
            enrol_test_admin(&auth, "test admin").await
        };
        let assets = tempfile::tempdir().unwrap();
        let state = AppState::with_sync(
            Arc::new(storage),
            Assets::Dir(assets.path().to_owned()),
            settings,
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, state.clone(), async move {
            let _ = stopped.await;
        }));
        Server {
            url: format!("ws://{addr}/sync?token={}", admin.token),
            sync_base: format!("ws://{addr}/sync"),
            admin_token: admin.token,
            admin_device_id: admin.device.id,
            addr,
            storage_id,
            auth,
            pool,
            state,
            stop: Some(stop),
            task,
            _assets: assets,
        }
    }

    /// Enrols a device of `role` (for the unit with this id or name; in
    /// the only district, or the city for a city role) in-process: a code
    /// issued and used at once.
    pub async fn enrol(&self, role: Role, unit: Option<&str>, name: &str) -> Enrolled {
        self.enrol_in(None, role, unit, name).await
    }

    /// [`Server::enrol`] in district `district` (`None`: the only one).
    pub async fn enrol_in(
        &self,
        district: Option<&str>,
        role: Role,
        unit: Option<&str>,
        name: &str,
    ) -> Enrolled {
        let city = self.state.sync.city().await;
        let scope = if !role.has_district() {
            CodeScope::City
        } else {
            match district {
                Some(id) => CodeScope::from(&city.districts[id]),
                None => CodeScope::from(city.only_district().expect("one district")),
            }
        };
        let code = self
            .auth
            .issue_code(scope, role, unit, 72)
            .await
            .unwrap_or_else(|e| panic!("code for {role} {unit:?}: {e}"));
        let e = self
            .auth
            .enrol(&code.code, name, "127.0.0.1")
            .await
            .unwrap();
        Enrolled {
            url: format!("{}?token={}", self.sync_base, e.token),
            token: e.token,
            device_id: e.device.id,
        }
    }

    /// The document as the server has it stored (`None` if not stored).
    pub async fn stored(&self, doc: &yanzhen_sync::DocumentId) -> Option<automerge::Automerge> {
        stored_in(&*self.state.storage, doc).await
    }

    /// The unit directory the server works with (of its only district).
    pub async fn directory(&self) -> Directory {
        self.state.sync.directory().await
    }

    /// Every district with its unit directory.
    pub async fn city(&self) -> yanzhen_server::policy::City {
        self.state.sync.city().await
    }

    /// The server's state (its sync hub, storage and stores).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Two villages (or communities) with a document, of different
    /// townships: (unit id, document) each.
    pub async fn two_villages(
        &self,
    ) -> (
        (String, yanzhen_sync::DocumentId),
        (String, yanzhen_sync::DocumentId),
    ) {
        let dir = self.directory().await;
        let villages: Vec<_> = dir
            .units
            .values()
            .filter(|u| {
                matches!(u.kind, UnitKind::Village | UnitKind::Community) && u.doc.is_some()
            })
            .collect();
        let a = villages[0];
        let b = villages
            .iter()
            .find(|u| u.parent != a.parent)
            .expect("a village of another township");
        (
            (a.id.clone(), a.doc.unwrap()),
            (b.id.clone(), b.doc.unwrap()),
        )
    }

    /// An HTTP/1.1 request from `from` (a loopback address such as
    /// `127.0.0.2`, so tests can play several clients): status, headers
    /// (lower-case names) and body.
    pub async fn request(
        &self,
        from: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> (u16, Vec<(String, String)>, String) {
        tokio::time::timeout(WAIT, async {
            let socket = TcpSocket::new_v4().unwrap();
            socket
                .bind(format!("{from}:0").parse().unwrap())
                .unwrap();
            let mut stream = socket.connect(self.addr.parse().unwrap()).await.unwrap();
            let body = body.map(|b| b.to_string()).unwrap_or_default();
            let mut req = format!(
                "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
                self.addr,
                body.len()
            );
            if !body.is_empty() {
                req.push_str("Content-Type: application/json\r\n");
            }
            for (k, v) in headers {
                req.push_str(&format!("{k}: {v}\r\n"));
            }
            req.push_str("\r\n");
            req.push_str(&body);
            stream.write_all(req.as_bytes()).await.unwrap();
            let mut response = Vec::new();
            stream.read_to_end(&mut response).await.unwrap();
            let response = String::from_utf8_lossy(&response).into_owned();
            let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
            let mut lines = head.lines();
            let status = lines
                .next()
                .and_then(|l| l.split(' ').nth(1))
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("bad response {response:?}"));
            let headers = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            (status, headers, body.to_owned())
        })
        .await
        .expect("HTTP request timed out")
    }

    /// A JSON request from 127.0.0.1 with an optional bearer token: status
    /// and JSON body (`null` if none).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = auth
            .as_deref()
            .map(|a| vec![("Authorization", a)])
            .unwrap_or_default();
        let (status, _, body) = self
            .request("127.0.0.1", method, path, &headers, body.as_ref())
            .await;
        (
            status,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Makes the document table refuse every write (`on`) as a full disk
    /// does ("database or disk is full"), or accept them again.
    pub async fn refuse_document_writes(&self, on: bool) {
        let statements: &[&str] = if on {
            &[
                "CREATE TRIGGER disk_full_insert BEFORE INSERT ON documents
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
                "CREATE TRIGGER disk_full_update BEFORE UPDATE ON documents
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
                "CREATE TRIGGER disk_full_delete BEFORE DELETE ON documents
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
            ]
        } else {
            &[
                "DROP TRIGGER disk_full_insert",
                "DROP TRIGGER disk_full_update",
                "DROP TRIGGER disk_full_delete",
            ]
        };
        for statement in statements {
            sqlx::query(statement).execute(&self.pool).await.unwrap();
        }
    }

    /// Graceful shutdown; waits until the server stopped.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(WAIT, &mut self.task)
            .await
            .expect("server did not stop in time")
            .unwrap()
            .unwrap();
    }

    /// `GET path`: status code and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        tokio::time::timeout(WAIT, async {
            let mut stream = TcpStream::connect(&self.addr).await.unwrap();
            let req = format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            );
            stream.write_all(req.as_bytes()).await.unwrap();
            let mut response = Vec::new();
            stream.read_to_end(&mut response).await.unwrap();
            let response = String::from_utf8_lossy(&response).into_owned();
            let status = response
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("bad response {response:?}"));
            let body = response
                .split_once("\r\n\r\n")
                .map(|(_, b)| b.to_owned())
                .unwrap_or_default();
            (status, body)
        })
        .await
        .expect("HTTP request timed out")
    }

    /// `GET path` answering 200 with JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body:?}"))
    }
}

/// What a test server stores before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seeded {
    Nothing,
    Demo,
    City,
}

/// The document as `storage` has it stored (`None` if not stored).
pub async fn stored_in(
    storage: &dyn Storage,
    doc: &yanzhen_sync::DocumentId,
) -> Option<automerge::Automerge> {
    let chunks = storage
        .list_prefix(&format!("{doc}/"))
        .await
        .unwrap()
        .into_iter()
        .map(|(k, v)| (yanzhen_server::storage::split_key(&k), v));
    yanzhen_sync::storage::load_document(chunks)
        .unwrap()
        .map(|(am, _)| am)
}

/// A device enrolled by [`Server::enrol`].
#[derive(Debug, Clone)]
pub struct Enrolled {
    pub token: String,
    pub device_id: String,
    /// `ws://host:port/sync?token=…`.
    pub url: String,
}

/// Registers the test district ([`TEST_DISTRICT`], its document not
/// stored) unless it exists, and enrols its admin over `auth` with a code
/// issued and used at once: for tests that build a server by hand.
pub async fn enrol_test_admin(auth: &AuthStore, name: &str) -> yanzhen_server::auth::Enrolled {
    let document = yanzhen_sync::DocumentId::from_bytes([0xd1; 16]);
    yanzhen_server::city::register(
        auth.db(),
        &yanzhen_server::city::District {
            id: TEST_DISTRICT.into(),
            name: "测试区".into(),
            document,
            created_at: 0,
        },
    )
    .await
    .unwrap();
    let directory = Directory::new(Some(document), []);
    let scope = CodeScope::District {
        id: TEST_DISTRICT,
        directory: &directory,
    };
    let code = auth.issue_code(scope, Role::Admin, None, 1).await.unwrap();
    auth.enrol(&code.code, name, "127.0.0.1").await.unwrap()
}

async fn enrol_with(
    auth: &AuthStore,
    storage: &SqliteStorage,
    role: Role,
    unit: Option<&str>,
    name: &str,
) -> yanzhen_server::auth::Enrolled {
    let city = yanzhen_server::city::load_city(storage, auth.db())
        .await
        .unwrap();
    let district = city
        .districts
        .get(yanzhen_server::demo::DEMO_DISTRICT_ID)
        .expect("the demo district");
    let code = auth
        .issue_code(district.into(), role, unit, 72)
        .await
        .unwrap();
    auth.enrol(&code.code, name, "127.0.0.1").await.unwrap()
}
