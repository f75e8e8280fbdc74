//! The enrolment rate limit against the real server in-process (default
//! limits: 5 failures per client per 10 minutes), over TCP from several
//! loopback addresses (127.0.0.x) so each test can play several machines:
//!
//! * `X-Forwarded-For` / `Forwarded` sent by a peer that is **not** a
//!   trusted proxy are ignored: a client cannot spoof its way around its
//!   limit;
//! * behind a `--trusted-proxy`, two clients forwarded by the same proxy
//!   are limited separately (one bad client does not lock out the district),
//!   and a client prepending a fake `X-Forwarded-For` entry is still limited
//!   as itself;
//! * a concurrent burst of bad enrolments never gets more than the limit
//!   through.

use std::{sync::Arc, time::Duration};

use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::{TcpListener, TcpSocket},
    sync::oneshot,
};
use yanzhen_server::{
    AppState, Assets, SqliteStorage, SyncSettings,
    auth::RateLimits,
    proxy::{IpNet, TrustedProxies},
    serve,
};

struct Running {
    addr: String,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<yanzhen_server::Result<()>>,
    _data: tempfile::TempDir,
}

impl Running {
    async fn start(trusted: &[&str]) -> Running {
        let data = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open_dir(data.path()).await.unwrap();
        let trusted = TrustedProxies::new(trusted.iter().map(|t| t.parse::<IpNet>().unwrap()));
        let state = AppState::with_sync(
            Arc::new(storage),
            Assets::Dir(data.path().to_owned()),
            SyncSettings::default(),
        )
        .with_trusted_proxies(trusted);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, state, async move {
            let _ = stopped.await;
        }));
        Running {
            addr,
            stop: Some(stop),
            task,
            _data: data,
        }
    }

    /// `POST /api/enrol` with a code that does not exist, from loopback
    /// address `from`, with extra headers: the status.
    async fn bad_enrol(&self, from: &str, headers: &[(&str, &str)]) -> u16 {
        tokio::time::timeout(Duration::from_secs(30), async {
            let socket = TcpSocket::new_v4().unwrap();
            socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
            let mut stream = socket.connect(self.addr.parse().unwrap()).await.unwrap();
            let body = r#"{"code":"22222-22222","deviceName":"guess"}"#;
            let mut req = format!(
                "POST /api/enrol HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n",
                self.addr,
                body.len()
            );
            for (k, v) in headers {
                req.push_str(&format!("{k}: {v}\r\n"));
            }
            req.push_str("\r\n");
            req.push_str(body);
            stream.write_all(req.as_bytes()).await.unwrap();
            let mut response = Vec::new();
            stream.read_to_end(&mut response).await.unwrap();
            let response = String::from_utf8_lossy(&response);
            response
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("bad response {response:?}"))
        })
        .await
        .expect("request timed out")
    }

    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(30), &mut self.task)
            .await
            .expect("server did not stop")
            .unwrap()
            .unwrap();
    }
}

/// The server's default per-client limit (checked in the first test).
const PER_IP: u32 = 5;

#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    assert_eq!(RateLimits::default().per_ip, PER_IP);
    // 127.0.0.2 is a trusted proxy; the attacker connects from 127.0.0.3.
    let server = Running::start(&["127.0.0.2"]).await;
    for i in 0..PER_IP {
        let spoofed = format!("198.51.100.{i}");
        let forwarded = format!("for=203.0.113.{i}");
        let status = server
            .bad_enrol(
                "127.0.0.3",
                &[("X-Forwarded-For", &spoofed), ("Forwarded", &forwarded)],
            )
            .await;
        assert_eq!(status, 400, "attempt {i} is tried (and fails)");
    }
    // A new spoofed address does not buy another attempt: the limit is on
    // the TCP peer.
    for headers in [
        [("X-Forwarded-For", "198.51.100.99")],
        [("Forwarded", "for=203.0.113.99")],
    ] {
        assert_eq!(server.bad_enrol("127.0.0.3", &headers).await, 429);
    }
    // Without any proxy configured the headers are ignored just the same.
    let plain = Running::start(&[]).await;
    for i in 0..PER_IP {
        let spoofed = format!("198.51.100.{i}");
        assert_eq!(
            plain
                .bad_enrol("127.0.0.4", &[("X-Forwarded-For", &spoofed)])
                .await,
            400
        );
    }
    assert_eq!(
        plain
            .bad_enrol("127.0.0.4", &[("X-Forwarded-For", "198.51.100.200")])
            .await,
        429
    );
    server.stop().await;
    plain.stop().await;
}

#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_limited_separately() {
    // The proxy is 127.0.0.2; also trust a network of inner proxies.
    let server = Running::start(&["127.0.0.2", "10.9.0.0/16"]).await;
    let proxy = "127.0.0.2";
    for i in 0..PER_IP {
        // The client prepended fake entries; the proxy appended the address
        // it saw (198.51.100.1), after an inner proxy.
        let fake = format!("203.0.113.{i}, 198.51.100.1, 10.9.0.7");
        assert_eq!(
            server.bad_enrol(proxy, &[("X-Forwarded-For", &fake)]).await,
            400,
            "attempt {i}"
        );
    }
    assert_eq!(
        server
            .bad_enrol(proxy, &[("X-Forwarded-For", "198.51.100.1")])
            .await,
        429,
        "the forwarded client is limited"
    );
    assert_eq!(
        server
            .bad_enrol(proxy, &[("X-Forwarded-For", "192.0.2.77, 198.51.100.1")])
            .await,
        429,
        "a fake entry to its left does not help it"
    );
    // Another office behind the same proxy is not locked out, nor is one
    // named by `Forwarded` (a proxy setting only that header).
    assert_eq!(
        server
            .bad_enrol(proxy, &[("X-Forwarded-For", "198.51.100.2")])
            .await,
        400
    );
    assert_eq!(
        server
            .bad_enrol(proxy, &[("Forwarded", "for=\"[2001:db8::5]:4711\"")])
            .await,
        400
    );
    // Requests through the proxy without a header share the proxy's own
    // budget, separate from the clients'.
    assert_eq!(server.bad_enrol(proxy, &[]).await, 400);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_burst_never_gets_more_than_the_limit_through() {
    let server = Arc::new(Running::start(&[]).await);
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let server = server.clone();
        burst.spawn(async move { server.bad_enrol("127.0.0.5", &[]).await });
    }
    let (mut tried, mut limited) = (0, 0);
    while let Some(status) = burst.join_next().await {
        match status.unwrap() {
            400 => tried += 1,
            429 => limited += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(
        (tried, limited),
        (PER_IP, 30 - PER_IP),
        "exactly the limit is tried"
    );
    Arc::into_inner(server).unwrap().stop().await;
}
