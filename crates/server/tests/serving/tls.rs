//! HTTPS and WSS served by the server itself (`--tls-cert`, `--tls-key`),
//! with a self-signed certificate made by the test (rcgen):
//!
//! * a client trusting that certificate gets `/healthz` over HTTPS and opens
//!   `/sync` over WSS with a device token (401 without one);
//! * a client that does not trust it fails the handshake, and plain HTTP
//!   sent to the TLS port gets no HTTP answer;
//! * the client's address is known behind TLS (the enrolment rate limit is
//!   per address);
//! * the real binary refuses to start (non-zero exit, a clear message) with
//!   only one of the two options or with unreadable or invalid files, and
//!   announces `https://` when serving TLS.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::Arc,
    time::Duration,
};

use tokio::{
    io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _},
    net::{TcpListener, TcpSocket, TcpStream},
    sync::oneshot,
};
use tokio_rustls::{
    TlsConnector,
    rustls::{self, ClientConfig, RootCertStore, pki_types::ServerName},
};
use yanzhen_server::{AppState, Assets, AuthStore, SqliteStorage, SyncSettings, serve_tls, tls};

const WAIT: Duration = Duration::from_secs(30);

struct Certificate {
    _dir: tempfile::TempDir,
    cert: PathBuf,
    key: PathBuf,
    der: rustls::pki_types::CertificateDer<'static>,
}

/// A self-signed certificate for `localhost` and 127.0.0.1, in PEM files.
fn certificate() -> Certificate {
    let dir = tempfile::tempdir().unwrap();
    let pair =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, pair.cert.pem()).unwrap();
    std::fs::write(&key, pair.signing_key.serialize_pem()).unwrap();
    Certificate {
        der: pair.cert.der().clone(),
        _dir: dir,
        cert,
        key,
    }
}

fn connector(trusted: Option<&Certificate>) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    if let Some(c) = trusted {
        roots.add(c.der.clone()).unwrap();
    }
    let mut config = ClientConfig::builder_with_provider(tls::crypto_provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    // As a browser does: the server must pick HTTP/1.1 (so WebSockets are
    // ordinary upgrades), not h2.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    TlsConnector::from(Arc::new(config))
}

/// A TLS connection from loopback address `from` to `addr`.
async fn connect(
    connector: &TlsConnector,
    from: &str,
    addr: &str,
) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{from}:0").parse().unwrap())?;
    let tcp = socket.connect(addr.parse().unwrap()).await?;
    connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
}

/// One HTTP/1.1 request over `stream`: the whole response as text.
async fn http(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    method: &str,
    path: &str,
    body: &str,
) -> String {
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    // A TLS peer may close without close_notify after `Connection: close`.
    let _ = stream.read_to_end(&mut response).await;
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn https_and_wss_with_a_trusted_certificate_and_nothing_in_plain_text() {
    let cert = certificate();
    let config = tls::load_config(&cert.cert, &cert.key).unwrap();

    let data = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::open_dir(data.path()).await.unwrap();
    let auth = AuthStore::new(storage.pool().clone());
    let admin = yanzhen_testkit::server::enrol_test_admin(&auth, "admin").await;
    let state = AppState::with_sync(
        Arc::new(storage),
        Assets::Dir(data.path().to_owned()),
        SyncSettings::default(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve_tls(listener, config, state, async move {
        let _ = stopped.await;
    }));

    tokio::time::timeout(WAIT, async {
        let trusting = connector(Some(&cert));

        // HTTPS.
        let tls = connect(&trusting, "127.0.0.1", &addr).await.unwrap();
        assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
        let response = http(tls, "GET", "/healthz", "").await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains(r#""status":"ok""#), "{response}");

        // WSS: the upgrade needs the token, as over plain HTTP.
        let tls = connect(&trusting, "127.0.0.1", &addr).await.unwrap();
        let url = format!("wss://localhost:{port}/sync?token={}", admin.token);
        let (mut ws, response) = tokio_tungstenite::client_async(url, tls).await.unwrap();
        assert_eq!(response.status(), 101);
        ws.close(None).await.unwrap();
        let tls = connect(&trusting, "127.0.0.1", &addr).await.unwrap();
        let refused =
            tokio_tungstenite::client_async(format!("wss://localhost:{port}/sync"), tls).await;
        match refused {
            Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 401),
            other => panic!("expected 401, got {other:?}"),
        }

        // A client that does not trust the certificate fails the handshake.
        let err = connect(&connector(None), "127.0.0.1", &addr)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("certificate"), "{err}");

        // Plain HTTP to the TLS port gets no HTTP answer.
        let tcp = TcpStream::connect(&addr).await.unwrap();
        let response = http(tcp, "GET", "/healthz", "").await;
        assert!(!response.contains("HTTP/1.1"), "{response:?}");

        // The client's address is known behind TLS: the enrolment rate
        // limit (5 failures) applies per address.
        let bad = r#"{"code":"22222-22222","deviceName":"guess"}"#;
        for i in 0..6 {
            let tls = connect(&trusting, "127.0.0.6", &addr).await.unwrap();
            let response = http(tls, "POST", "/api/enrol", bad).await;
            let expected = if i < 5 {
                "HTTP/1.1 400"
            } else {
                "HTTP/1.1 429"
            };
            assert!(response.starts_with(expected), "{i}: {response}");
        }
        let tls = connect(&trusting, "127.0.0.7", &addr).await.unwrap();
        let response = http(tls, "POST", "/api/enrol", bad).await;
        assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    })
    .await
    .expect("TLS test timed out");

    let _ = stop.send(());
    tokio::time::timeout(WAIT, server)
        .await
        .expect("server did not stop")
        .unwrap()
        .unwrap();
}

/// Runs the real binary with `args` (plain `serve` options); it must exit
/// on its own: the exit status and stderr.
fn refused_start(data: &Path, args: &[&std::ffi::OsStr]) -> (std::process::ExitStatus, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yanzhen-server"))
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_binary_refuses_incomplete_or_bad_tls_options_and_announces_https() {
    let cert = certificate();
    let data = tempfile::tempdir().unwrap();
    let garbage = data.path().join("garbage.pem");
    std::fs::write(&garbage, "not PEM").unwrap();
    let missing = data.path().join("missing.pem");
    let os = |p: &Path| p.as_os_str().to_owned();
    let cases: Vec<(Vec<std::ffi::OsString>, &str)> = vec![
        (vec!["--tls-cert".into(), os(&cert.cert)], "--tls-key"),
        (vec!["--tls-key".into(), os(&cert.key)], "--tls-cert"),
        (
            vec![
                "--tls-cert".into(),
                os(&missing),
                "--tls-key".into(),
                os(&cert.key),
            ],
            "cannot read TLS certificate",
        ),
        (
            vec![
                "--tls-cert".into(),
                os(&cert.cert),
                "--tls-key".into(),
                os(&garbage),
            ],
            "no PRIVATE KEY",
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        let (status, stderr) = refused_start(&data.path().join("data"), &args);
        assert!(!status.success(), "{args:?} started");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }

    // Both, valid: it serves and says https.
    let (mut child, line, _) = crate::binary::spawn_announcing(
        Command::new(env!("CARGO_BIN_EXE_yanzhen-server"))
            .args(["--listen", "127.0.0.1:0", "--data"])
            .arg(data.path().join("data"))
            .arg("--tls-cert")
            .arg(&cert.cert)
            .arg("--tls-key")
            .arg(&cert.key)
            .stderr(Stdio::null()),
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        line.starts_with("Yanzhen listening on https://127.0.0.1:"),
        "{line:?}"
    );
}
