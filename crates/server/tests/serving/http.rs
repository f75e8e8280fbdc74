//! Router tests through `tower::ServiceExt::oneshot`, with the web app read
//! from a temporary `--assets` directory and SQLite in a temporary directory.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use std::{path::Path, sync::Arc};

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, Response, StatusCode, header},
};
use tower::ServiceExt as _;
use yanzhen_server::{AppState, Assets, SqliteStorage, app, assets::NOT_BUILT_HTML};

pub(super) const INDEX: &str = "<!DOCTYPE html><html><head>\
<link rel=\"stylesheet\" href=\"/style-0123456789abcdef.css\">\
<script type=\"module\" src=\"/boot.js\"></script></head><body></body></html>";
pub(super) const WASM: &str = "yanzhen-0123456789abcdef_bg.wasm";
pub(super) const JS: &str = "yanzhen-0123456789abcdef.js";

pub(super) struct Fixture {
    _data: tempfile::TempDir,
    pub(super) dist: tempfile::TempDir,
    pub(super) app: Router,
}

pub(super) async fn fixture(with_app: bool) -> Fixture {
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    if with_app {
        write(dist.path(), "index.html", INDEX.as_bytes());
        // Big enough (and compressible) for the compression layer.
        let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
            .iter()
            .copied()
            .cycle()
            .take(64 * 1024)
            .collect();
        write(dist.path(), WASM, &wasm);
        write(
            dist.path(),
            JS,
            "export default function init() {}\n".repeat(100).as_bytes(),
        );
        write(
            dist.path(),
            "style-0123456789abcdef.css",
            b"body { margin: 0 }\n",
        );
        write(
            dist.path(),
            "manifest.webmanifest",
            b"{\"name\":\"Yanzhen\"}",
        );
        write(dist.path(), "icons/icon-192.png", b"\x89PNG");
    }
    let storage = SqliteStorage::open_dir(data.path()).await.unwrap();
    let state = AppState::new(Arc::new(storage), Assets::Dir(dist.path().to_owned()));
    Fixture {
        _data: data,
        dist,
        app: app(state),
    }
}

pub(super) fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

pub(super) async fn get(app: &Router, uri: &str) -> Response<Body> {
    request(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub(super) async fn request(app: &Router, req: Request<Body>) -> Response<Body> {
    app.clone().oneshot(req).await.unwrap()
}

pub(super) fn header(res: &Response<Body>, name: header::HeaderName) -> &str {
    res.headers()
        .get(&name)
        .unwrap_or_else(|| panic!("missing {name} in {:?}", res.headers()))
        .to_str()
        .unwrap()
}

pub(super) async fn body(res: Response<Body>) -> Vec<u8> {
    to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn healthz_reports_ok_with_version_and_db() {
    let f = fixture(true).await;
    let res = get(&f.app, "/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header(&res, header::CONTENT_TYPE).starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&body(res).await).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "db": "ok"})
    );
}

#[tokio::test]
async fn healthz_is_503_when_db_is_closed() {
    let data = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::open_dir(data.path()).await.unwrap());
    let state = AppState::new(storage.clone(), Assets::Dir(data.path().to_owned()));
    yanzhen_server::Storage::close(&*storage).await;
    let res = get(&app(state), "/healthz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let json: serde_json::Value = serde_json::from_slice(&body(res).await).unwrap();
    assert_eq!(json["status"], "storage_fault");
    assert_ne!(json["db"], "ok");
    assert!(
        json["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{json}"
    );
}

/// A storage fault reported by the hub (`Health::storage_failed`) makes
/// `/healthz` 503 with the reason, even though the database still answers
/// queries; `storage_ok` makes it 200 again.
#[tokio::test]
async fn healthz_reports_a_storage_fault_until_it_clears() {
    let data = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::open_dir(data.path()).await.unwrap());
    let state = AppState::new(storage, Assets::Dir(data.path().to_owned()));
    let health = state.health.clone();
    let app = app(state);
    assert_eq!(get(&app, "/healthz").await.status(), StatusCode::OK);

    health.storage_failed("database or disk is full");
    let res = get(&app, "/healthz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(header(&res, header::CACHE_CONTROL), "no-store");
    let json: serde_json::Value = serde_json::from_slice(&body(res).await).unwrap();
    assert_eq!(json["status"], "storage_fault");
    assert_eq!(json["error"], "database or disk is full");
    assert!(json["since"].as_i64().is_some_and(|t| t > 0), "{json}");

    health.storage_ok();
    let res = get(&app, "/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&body(res).await).unwrap();
    assert_eq!(json["status"], "ok");
}

/// `/healthz` writes, not only reads: a database that answers `SELECT 1`
/// but refuses every write (as on a full disk; simulated by a trigger on
/// the probe's table) is reported, with no sync traffic at all. A failed
/// probe is retried by the next request; once writes work it is 200.
#[tokio::test]
async fn healthz_probe_writes_and_sees_a_database_refusing_writes() {
    let data = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::open_dir(data.path()).await.unwrap());
    let pool = storage.pool().clone();
    let state = AppState::new(storage, Assets::Dir(data.path().to_owned()));
    let app = app(state);
    let refuse_writes = |on: bool| {
        let pool = pool.clone();
        async move {
            let statements: &[&str] = if on {
                &[
                    "CREATE TRIGGER full_insert BEFORE INSERT ON meta
                     BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
                    "CREATE TRIGGER full_update BEFORE UPDATE ON meta
                     BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
                ]
            } else {
                &["DROP TRIGGER full_insert", "DROP TRIGGER full_update"]
            };
            for statement in statements {
                sqlx::query(statement).execute(&pool).await.unwrap();
            }
        }
    };
    refuse_writes(true).await;
    sqlx::query("SELECT 1").execute(&pool).await.unwrap();
    for attempt in 0..2 {
        let res = get(&app, "/healthz").await;
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{attempt}");
        let json: serde_json::Value = serde_json::from_slice(&body(res).await).unwrap();
        assert_eq!(json["status"], "storage_fault");
        assert!(
            json["error"]
                .as_str()
                .unwrap()
                .contains("database or disk is full"),
            "{json}"
        );
    }
    refuse_writes(false).await;
    assert_eq!(get(&app, "/healthz").await.status(), StatusCode::OK);
    let probed: String = sqlx::query_scalar("SELECT value FROM meta WHERE key = 'health_probe'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(probed.parse::<i64>().unwrap() > 0);
}

/// A database that does not answer (here: another connection holds the
/// write lock) makes `/healthz` 503 within the probe timeout instead of
/// hanging.
#[tokio::test]
async fn healthz_probe_is_bounded_by_a_timeout() {
    let data = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::open_dir(data.path()).await.unwrap());
    let mut locker = storage.pool().acquire().await.unwrap();
    let state = AppState::new(storage, Assets::Dir(data.path().to_owned()));
    let app = app(state);
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *locker)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let res = get(&app, "/healthz").await;
    let took = started.elapsed();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        took < yanzhen_server::health::PROBE_TIMEOUT + std::time::Duration::from_secs(1),
        "{took:?}"
    );
    let json: serde_json::Value = serde_json::from_slice(&body(res).await).unwrap();
    assert!(
        json["error"].as_str().unwrap().contains("did not answer"),
        "{json}"
    );
    sqlx::query("ROLLBACK").execute(&mut *locker).await.unwrap();
    drop(locker);
    assert_eq!(get(&app, "/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn index_html_is_served_with_no_cache() {
    let f = fixture(true).await;
    for uri in ["/", "/index.html"] {
        let res = get(&f.app, uri).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header(&res, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&res, header::CACHE_CONTROL), "no-cache");
        assert_eq!(body(res).await, INDEX.as_bytes());
    }
}

#[tokio::test]
async fn hashed_wasm_is_application_wasm_and_immutable() {
    let f = fixture(true).await;
    let res = get(&f.app, &format!("/{WASM}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(
        header(&res, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(body(res).await.len(), 64 * 1024);
}

#[tokio::test]
async fn other_assets_have_content_types_and_cache_policy() {
    let f = fixture(true).await;
    for (uri, ctype, cache) in [
        (
            format!("/{JS}"),
            "text/javascript; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        (
            "/style-0123456789abcdef.css".into(),
            "text/css; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        (
            "/manifest.webmanifest".into(),
            "application/manifest+json",
            "no-cache",
        ),
        ("/icons/icon-192.png".into(), "image/png", "no-cache"),
    ] {
        let res = get(&f.app, &uri).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert_eq!(header(&res, header::CONTENT_TYPE), ctype, "{uri}");
        assert_eq!(header(&res, header::CACHE_CONTROL), cache, "{uri}");
    }
}

#[tokio::test]
async fn client_side_routes_fall_back_to_index_html() {
    let f = fixture(true).await;
    for uri in ["/roster", "/lead", "/settings", "/lead/42", "/roster/"] {
        let res = get(&f.app, uri).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert_eq!(header(&res, header::CACHE_CONTROL), "no-cache", "{uri}");
        assert_eq!(
            header(&res, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert_eq!(body(res).await, INDEX.as_bytes(), "{uri}");
    }
}

#[tokio::test]
async fn unknown_file_is_404() {
    let f = fixture(true).await;
    for uri in [
        "/missing.js",
        "/icons/nope.png",
        "/../Cargo.toml",
        "/a/../../etc/passwd",
    ] {
        let res = get(&f.app, uri).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{uri}");
    }
}

#[tokio::test]
async fn only_get_and_head_are_allowed_for_assets() {
    let f = fixture(true).await;
    let res = request(&f.app, Request::post("/").body(Body::empty()).unwrap()).await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let res = request(&f.app, Request::head("/").body(Body::empty()).unwrap()).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let f = fixture(true).await;
    for uri in [
        "/",
        "/healthz",
        &format!("/{WASM}"),
        "/missing.js",
        "/roster",
    ] {
        let res = get(&f.app, uri).await;
        let csp = header(&res, header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("default-src 'self'"), "{uri}: {csp}");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{uri}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(header(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header(&res, header::REFERRER_POLICY), "no-referrer");
    }
}

#[tokio::test]
async fn inline_script_in_index_is_allowed_by_hash_only() {
    let f = fixture(true).await;
    let script = "\nimport init from '/yanzhen-0123456789abcdef.js';\nawait init('/x_bg.wasm');\n";
    write(
        f.dist.path(),
        "index.html",
        format!("<html><body><script type=\"module\">{script}</script></body></html>").as_bytes(),
    );
    let res = get(&f.app, "/").await;
    let csp = header(&res, header::CONTENT_SECURITY_POLICY);
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Other responses keep the plain policy.
    let res = get(&f.app, "/healthz").await;
    assert!(!header(&res, header::CONTENT_SECURITY_POLICY).contains("sha256-"));
}

#[tokio::test]
async fn app_not_built_page_when_assets_are_empty() {
    let f = fixture(false).await;
    for uri in ["/", "/roster", "/index.html"] {
        let res = get(&f.app, uri).await;
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert_eq!(
            header(&res, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&res, header::CACHE_CONTROL), "no-cache");
        let html = String::from_utf8(body(res).await).unwrap();
        assert_eq!(html, NOT_BUILT_HTML);
        assert!(html.contains("cargo xtask run"));
        assert!(html.contains("尚未构建"));
        assert!(html.contains("has not been built"));
    }
    assert_eq!(
        get(&f.app, "/missing.js").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&f.app, "/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn compresses_when_client_accepts_gzip() {
    let f = fixture(true).await;
    let req = Request::get(format!("/{WASM}"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let res = request(&f.app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, header::CONTENT_ENCODING), "gzip");
    assert_eq!(header(&res, header::CONTENT_TYPE), "application/wasm");
    let compressed = body(res).await;
    assert!(
        compressed.len() < 64 * 1024 / 10,
        "{} bytes",
        compressed.len()
    );
    assert_eq!(&compressed[..2], b"\x1f\x8b", "gzip magic");

    let req = Request::get("/")
        .header(header::ACCEPT_ENCODING, "br")
        .body(Body::empty())
        .unwrap();
    let res = request(&f.app, req).await;
    assert_eq!(header(&res, header::CONTENT_ENCODING), "br");

    // Without Accept-Encoding: identity.
    let res = get(&f.app, &format!("/{WASM}")).await;
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn no_cache_files_revalidate_with_etag() {
    let f = fixture(true).await;
    for uri in ["/", "/roster", "/manifest.webmanifest"] {
        let res = get(&f.app, uri).await;
        let tag = header(&res, header::ETAG).to_owned();
        let req = Request::get(uri)
            .header(header::IF_NONE_MATCH, &tag)
            .body(Body::empty())
            .unwrap();
        let res = request(&f.app, req).await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED, "{uri}");
        assert_eq!(header(&res, header::ETAG), tag);
        assert_eq!(header(&res, header::CACHE_CONTROL), "no-cache");
        assert!(header(&res, header::CONTENT_SECURITY_POLICY).contains("default-src 'self'"));
        assert!(body(res).await.is_empty());
    }
    // A changed file gets a new tag and a full response.
    let old = header(&get(&f.app, "/").await, header::ETAG).to_owned();
    write(f.dist.path(), "index.html", b"<html><body>v2</body></html>");
    let req = Request::get("/")
        .header(header::IF_NONE_MATCH, &old)
        .body(Body::empty())
        .unwrap();
    let res = request(&f.app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_ne!(header(&res, header::ETAG), old);
    // Hashed files need no validator.
    let res = get(&f.app, &format!("/{WASM}")).await;
    assert!(res.headers().get(header::ETAG).is_none());
}

#[tokio::test]
async fn bootstrap_reports_storage_id_and_district() {
    let data = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::open_dir(data.path()).await.unwrap());
    let storage_id = yanzhen_server::Storage::storage_id(&*storage).to_owned();
    let state = AppState::new(storage.clone(), Assets::Dir(data.path().to_owned()));
    let app = app(state);

    let res = get(&app, "/api/bootstrap").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, header::CACHE_CONTROL), "no-store");
    assert!(header(&res, header::CONTENT_TYPE).starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&body(res).await).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "storageId": storage_id,
            "districtDocumentId": null,
            "version": env!("CARGO_PKG_VERSION"),
        })
    );

    let outcome = yanzhen_server::demo::ensure_demo(&*storage, 7)
        .await
        .unwrap();
    let yanzhen_server::demo::DemoOutcome::Created { district, .. } = outcome else {
        panic!("{outcome:?}");
    };
    let res = get(&app, "/api/bootstrap").await;
    let json: serde_json::Value = serde_json::from_slice(&body(res).await).unwrap();
    assert_eq!(json["districtDocumentId"], district.to_string());
    assert_eq!(json["storageId"], storage_id);
    // The id is base58check of 16 bytes, as automerge-repo writes it.
    let parsed: yanzhen_sync::DocumentId = json["districtDocumentId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(parsed, district);
}
