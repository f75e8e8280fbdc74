//! Precompressed siblings (`x.br`, `x.gz`, written by `cargo xtask build`):
//! sent as negotiated by `Accept-Encoding`, with the file's own headers, and
//! never compressed again; a missing or stale sibling falls back to the
//! compression layer (on the fly) or the file as is.

use std::io::Read as _;
use std::time::{Duration, SystemTime};

use axum::{
    body::Body,
    http::{Request, Response, StatusCode, header},
};

use super::http::{INDEX, JS, WASM, body, fixture, get, header, request, write};

/// The brotli sibling: a marker, so the test sees which bytes were sent (the
/// server never decodes what it sends).
const BR: &[u8] = b"precompressed brotli sibling";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzEncoder::new(data, flate2::Compression::best())
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

async fn get_encoded(app: &axum::Router, uri: &str, accept: Option<&str>) -> Response<Body> {
    let mut req = Request::get(uri);
    if let Some(accept) = accept {
        req = req.header(header::ACCEPT_ENCODING, accept);
    }
    request(app, req.body(Body::empty()).unwrap()).await
}

fn encoding(res: &Response<Body>) -> Option<&str> {
    res.headers()
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap())
}

/// The fixture's wasm, with both siblings next to it.
async fn with_siblings() -> (super::http::Fixture, Vec<u8>) {
    let f = fixture(true).await;
    let wasm = std::fs::read(f.dist.path().join(WASM)).unwrap();
    write(f.dist.path(), &format!("{WASM}.br"), BR);
    write(f.dist.path(), &format!("{WASM}.gz"), &gzip(&wasm));
    (f, wasm)
}

#[tokio::test]
async fn brotli_when_allowed_gzip_when_only_gzip_else_identity() {
    let (f, wasm) = with_siblings().await;
    let uri = format!("/{WASM}");
    for accept in ["gzip, deflate, br, zstd", "br", "br;q=1, gzip;q=0.9", "*"] {
        let res = get_encoded(&f.app, &uri, Some(accept)).await;
        assert_eq!(res.status(), StatusCode::OK, "{accept}");
        assert_eq!(encoding(&res), Some("br"), "{accept}");
        assert_eq!(header(&res, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(
            header(&res, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header(&res, header::VARY), "accept-encoding");
        assert!(header(&res, header::CONTENT_SECURITY_POLICY).contains("default-src 'self'"));
        assert_eq!(header(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(body(res).await, BR, "sent as stored, not compressed again");
    }
    for accept in ["gzip", "gzip, deflate", "br;q=0.5, gzip", "br;q=0, *"] {
        let res = get_encoded(&f.app, &uri, Some(accept)).await;
        assert_eq!(encoding(&res), Some("gzip"), "{accept}");
        assert_eq!(header(&res, header::VARY), "accept-encoding");
        assert_eq!(gunzip(&body(res).await), wasm, "{accept}");
    }
    for accept in [None, Some("br;q=0, gzip;q=0"), Some("identity"), Some("")] {
        let res = get_encoded(&f.app, &uri, accept).await;
        assert_eq!(res.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(encoding(&res), None, "{accept:?}");
        assert_eq!(header(&res, header::VARY), "accept-encoding");
        assert_eq!(body(res).await, wasm, "{accept:?}");
    }
}

#[tokio::test]
async fn index_html_sibling_keeps_csp_and_etag() {
    let f = fixture(true).await;
    write(f.dist.path(), "index.html.br", BR);
    let plain = get(&f.app, "/").await;
    let tag = header(&plain, header::ETAG).to_owned();
    let csp = header(&plain, header::CONTENT_SECURITY_POLICY).to_owned();
    for uri in ["/", "/index.html", "/roster"] {
        let res = get_encoded(&f.app, uri, Some("gzip, br")).await;
        assert_eq!(encoding(&res), Some("br"), "{uri}");
        assert_eq!(
            header(&res, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&res, header::CACHE_CONTROL), "no-cache");
        assert_eq!(header(&res, header::ETAG), tag, "{uri}");
        assert_eq!(header(&res, header::CONTENT_SECURITY_POLICY), csp, "{uri}");
        assert_eq!(body(res).await, BR, "{uri}");
    }
    // Revalidation works whatever the coding.
    let req = Request::get("/")
        .header(header::ACCEPT_ENCODING, "br")
        .header(header::IF_NONE_MATCH, &tag)
        .body(Body::empty())
        .unwrap();
    let res = request(&f.app, req).await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&res, header::VARY), "accept-encoding");
    assert!(body(res).await.is_empty());
    // Without br: the file as stored.
    let res = get_encoded(&f.app, "/", Some("br;q=0")).await;
    assert_eq!(body(res).await, INDEX.as_bytes());
}

#[tokio::test]
async fn missing_or_stale_sibling_falls_back_to_on_the_fly() {
    let (f, wasm) = with_siblings().await;
    // The script has no sibling: the compression layer compresses it.
    let js = std::fs::read(f.dist.path().join(JS)).unwrap();
    let res = get_encoded(&f.app, &format!("/{JS}"), Some("gzip")).await;
    assert_eq!(encoding(&res), Some("gzip"));
    assert_eq!(gunzip(&body(res).await), js);
    // Only a .gz sibling, and the client accepts brotli only: on the fly.
    std::fs::remove_file(f.dist.path().join(format!("{WASM}.br"))).unwrap();
    let res = get_encoded(&f.app, &format!("/{WASM}"), Some("br")).await;
    assert_eq!(encoding(&res), Some("br"));
    assert_ne!(body(res).await, BR);
    // …and brotli or gzip: the .gz sibling.
    let res = get_encoded(&f.app, &format!("/{WASM}"), Some("br, gzip")).await;
    assert_eq!(encoding(&res), Some("gzip"));
    assert_eq!(gunzip(&body(res).await), wasm);
    // A sibling older than its file (the file was rebuilt without it) is
    // stale: never sent.
    let stale = f.dist.path().join(format!("{WASM}.gz"));
    std::fs::write(&stale, gzip(b"the previous build")).unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let res = get_encoded(&f.app, &format!("/{WASM}"), Some("gzip")).await;
    assert_eq!(encoding(&res), Some("gzip"));
    let sent = gunzip(&body(res).await);
    assert_eq!(sent, wasm, "compressed on the fly from the current file");
}

#[tokio::test]
async fn head_sends_the_headers_of_the_negotiated_sibling() {
    let (f, _) = with_siblings().await;
    let req = Request::head(format!("/{WASM}"))
        .header(header::ACCEPT_ENCODING, "br")
        .body(Body::empty())
        .unwrap();
    let res = request(&f.app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(encoding(&res), Some("br"));
    assert_eq!(header(&res, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(header(&res, header::VARY), "accept-encoding");
}

#[tokio::test]
async fn hostile_accept_encoding_is_bounded_and_harmless() {
    let (f, wasm) = with_siblings().await;
    let uri = format!("/{WASM}");
    let huge = format!("{}br", "x-junk;q=0.5, ".repeat(4_000));
    for accept in [
        huge.as_str(),
        "br;q=NaN, gzip;q=1e308, *;q=-1",
        "br;q=2, gzip;q=0.0001",
        ";;;,,,;q=,=,br;q=x",
        "identity;q=0, *;q=0",
    ] {
        let res = get_encoded(&f.app, &uri, Some(accept)).await;
        assert_eq!(res.status(), StatusCode::OK, "{accept:.60}");
        let coding = encoding(&res).map(str::to_owned);
        let sent = body(res).await;
        assert_ne!(sent, BR, "no sibling for {accept:.60}");
        // Whatever the layer chose, the client gets the file.
        match coding.as_deref() {
            None => assert_eq!(sent, wasm, "{accept:.60}"),
            Some("gzip") => assert_eq!(gunzip(&sent), wasm, "{accept:.60}"),
            Some(other) => assert!(!other.is_empty(), "{accept:.60}"),
        }
    }
}
