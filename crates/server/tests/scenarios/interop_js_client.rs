//! Interoperability of our `/sync` endpoint with the real JS automerge-repo
//! (`crates/server/tests/interop/client.mjs`, npm packages pinned there): a JS
//! client creates a document through our server, a second JS client finds it
//! by id; both must see our server's durable `storageId` (the JS client only
//! finishes once the server's recorded heads equal its own, which automerge-
//! repo tracks only for peers with a storage id). Also: our native client
//! syncs the demo district document.
//!
//! Needs `node` and `npm` (fails, never skips, without them); runs `npm ci`
//! in `crates/server/tests/interop` when `node_modules` is missing. Every
//! wait is bounded.

use yanzhen_testkit::server;
use yanzhen_testkit::tablet;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use automerge::{ObjType, ROOT, ReadDoc, ScalarValue, Value};
use server::{Server, test_settings};
use tablet::{Tablet, WAIT};
use yanzhen_model::store::DistrictDocument;
use yanzhen_sync::DocumentId;

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

fn require(tool: &str) {
    let ok = std::process::Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "`{tool}` is required for the JS interop tests (install Node.js and npm)"
    );
}

/// Checks node/npm and installs the pinned packages once per test binary.
fn ensure_js() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        require("node");
        require("npm");
        let dir = interop_dir();
        if !dir.join("node_modules/@automerge/automerge-repo").exists() {
            let status = std::process::Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir)
                .status()
                .expect("running npm ci in crates/server/tests/interop");
            assert!(
                status.success(),
                "npm ci in crates/server/tests/interop failed: {status}"
            );
        }
    });
}

/// Runs `node client.mjs <url> <args…>`; its JSON report (exit 0 required).
async fn js_client(url: &str, args: &[&str]) -> serde_json::Value {
    let timeout_ms = (WAIT.as_millis() - 5_000).to_string();
    let child = tokio::process::Command::new("node")
        .arg("client.mjs")
        .arg(url)
        .args(args)
        .args(["--timeout", &timeout_ms])
        .current_dir(interop_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("starting node client.mjs");
    let out = tokio::time::timeout(WAIT, child.wait_with_output())
        .await
        .expect("the JS client did not finish in time")
        .expect("waiting for the JS client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let json: serde_json::Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("JS client printed {stdout:?} ({e})"));
    assert!(
        out.status.success(),
        "JS client {args:?} failed: {json} ({})",
        out.status
    );
    json
}

/// A root string as JS writes it: a text object (automerge 3's default for
/// strings) or a scalar string.
fn string_at(doc: &automerge::Automerge, key: &str) -> Option<String> {
    match doc.get(ROOT, key).ok()?? {
        (Value::Object(ObjType::Text), obj) => doc.text(&obj).ok(),
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

#[tokio::test]
async fn js_clients_create_and_find_documents_through_our_server() {
    ensure_js();
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), false).await;

    let created = js_client(&server.url, &["--create", "--set", "k=v"]).await;
    assert_eq!(created["serverStorageId"], server.storage_id.as_str());
    assert_eq!(created["doc"]["k"], "v");
    let url = created["url"].as_str().expect("automerge URL").to_owned();

    let found = js_client(
        &server.url,
        &[
            "--find",
            &url,
            "--expect",
            "k=v",
            "--set",
            "k2=from the second client",
        ],
    )
    .await;
    assert_eq!(found["serverStorageId"], server.storage_id.as_str());
    assert_eq!(found["documentId"], created["documentId"]);
    assert_eq!(found["doc"]["k"], "v");

    // Our native client sees both JS changes too.
    let id = DocumentId::from_url(&url).unwrap();
    let mut t = Tablet::new("native", 1);
    t.connect(&server.url).await;
    t.find(id).await;
    t.pump_until("both JS changes on the native client", |t| {
        t.node.document(&id).is_some_and(|d| {
            string_at(d, "k").as_deref() == Some("v")
                && string_at(d, "k2").as_deref() == Some("from the second client")
        })
    })
    .await;
    server.stop().await;
}

#[tokio::test]
async fn the_native_client_syncs_the_demo_district() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), true).await;
    let bootstrap = server.get_json("/api/bootstrap").await;
    assert_eq!(bootstrap["storageId"], server.storage_id.as_str());
    let district: DocumentId = bootstrap["districtDocumentId"]
        .as_str()
        .expect("a district document id")
        .parse()
        .unwrap();

    let mut t = Tablet::new("district", 1);
    t.connect(&server.url).await;
    t.find(district).await;
    t.pump_until("the district document, in sync with the server", |t| {
        t.server_has_our_heads(&district)
    })
    .await;
    let data = DistrictDocument::from_automerge(t.node.document(&district).unwrap().clone())
        .unwrap()
        .data()
        .unwrap();
    let demo = yanzhen_model::demo::generate(yanzhen_server::demo::DEFAULT_SEED);
    assert_eq!(data.name, demo.district.name);
    assert_eq!(data.unit_documents().count(), demo.units.len());
    server.stop().await;
}
