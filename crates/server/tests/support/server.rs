//! The real server in-process for tests: [`yanzhen_server::serve`] on
//! 127.0.0.1:0 over a data directory, stopped through its shutdown future.
//! Shared by the server crate's tests and the root package's scenario and
//! interop tests (included with `#[path]`).

#![allow(dead_code)] // each test file uses a different subset

use std::{path::Path, sync::Arc, time::Duration};

use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::{TcpListener, TcpStream},
    sync::oneshot,
    task::JoinHandle,
};
use yanzhen_server::{AppState, Assets, SqliteStorage, Storage, SyncSettings, serve};

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
    /// `ws://host:port/sync`.
    pub url: String,
    pub storage_id: String,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<yanzhen_server::Result<()>>,
    _assets: tempfile::TempDir,
}

impl Server {
    /// Starts over `data` (created if missing); with `demo`, stores the demo
    /// district first, as `--demo` does.
    pub async fn start(data: &Path, settings: SyncSettings, demo: bool) -> Server {
        let storage = SqliteStorage::open_dir(data).await.unwrap();
        if demo {
            yanzhen_server::demo::ensure_demo(&storage, yanzhen_server::demo::DEFAULT_SEED)
                .await
                .unwrap();
        }
        let storage_id = storage.storage_id().to_owned();
        let assets = tempfile::tempdir().unwrap();
        let state = AppState::with_sync(
            Arc::new(storage),
            Assets::Dir(assets.path().to_owned()),
            settings,
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, state, async move {
            let _ = stopped.await;
        }));
        Server {
            url: format!("ws://{addr}/sync"),
            addr,
            storage_id,
            stop: Some(stop),
            task,
            _assets: assets,
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
