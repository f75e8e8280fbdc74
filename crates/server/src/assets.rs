//! The built web app (`dist/`, from `cargo xtask build`): embedded in release builds, or read
//! from a directory (`--assets DIR`), served with correct content types,
//! cache headers, the SPA fallback to `index.html`, and a friendly page when
//! the app has not been built yet. A file's precompressed sibling
//! (`x.wasm.br`, `x.wasm.gz`, written by `cargo xtask build`) is sent instead
//! of the file when the request accepts its coding ([`encoding`]); without
//! one, the compression layer compresses on the fly.

pub mod encoding;

use std::{
    borrow::Cow,
    path::{Path, PathBuf},
};

use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use rust_embed::RustEmbed;
use sha2::{Digest as _, Sha256};

use crate::{AppState, security};
use encoding::Coding;

/// The app's build directory, embedded into release builds. In debug builds
/// rust-embed reads the same directory from disk at request time. It may be
/// missing (fresh clone): then nothing is found and the "not built" page shows.
#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../dist/"]
#[allow_missing = true]
struct Dist;

/// `Cache-Control` for content-hashed file names (they never change).
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for everything else, including `index.html`.
pub const CACHE_NO_CACHE: &str = "no-cache";

/// Where the web app's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assets {
    /// `dist/`, embedded in the binary (release) or read from the
    /// workspace's `dist/` (debug builds).
    Embedded,
    /// A directory on disk (`--assets DIR`).
    Dir(PathBuf),
}

impl Assets {
    /// `Dir(dir)` if given, else `Embedded`.
    pub fn from_option(dir: Option<PathBuf>) -> Self {
        dir.map_or(Self::Embedded, Self::Dir)
    }

    /// The bytes of the file at `rel` (a sanitized relative path such as
    /// `index.html` or `icons/a.png`), if it exists.
    pub async fn read(&self, rel: &str) -> Option<Bytes> {
        match self {
            Self::Embedded => Dist::get(rel).map(|file| match file.data {
                Cow::Borrowed(data) => Bytes::from_static(data),
                Cow::Owned(data) => Bytes::from(data),
            }),
            Self::Dir(dir) => read_file(&dir.join(rel)).await,
        }
    }

    /// The first of `codings` that `rel` has a precompressed sibling for,
    /// and the sibling's bytes. On disk a sibling older than its file is
    /// stale (the file was rebuilt without it) and is not used.
    pub async fn read_encoded(&self, rel: &str, codings: &[Coding]) -> Option<(Coding, Bytes)> {
        for &coding in codings {
            let sibling = format!("{rel}{}", coding.suffix());
            let found = match self {
                Self::Embedded => self.read(&sibling).await,
                Self::Dir(dir) => {
                    let fresh = match (
                        modified(&dir.join(rel)).await,
                        modified(&dir.join(&sibling)).await,
                    ) {
                        (Some(file), Some(sib)) => sib >= file,
                        _ => false,
                    };
                    if fresh {
                        read_file(&dir.join(&sibling)).await
                    } else {
                        None
                    }
                }
            };
            if let Some(bytes) = found {
                return Some((coding, bytes));
            }
        }
        None
    }
}

async fn modified(path: &Path) -> Option<std::time::SystemTime> {
    tokio::fs::metadata(path).await.ok()?.modified().ok()
}

async fn read_file(path: &Path) -> Option<Bytes> {
    // A directory (or anything unreadable) is simply "not found".
    tokio::fs::read(path).await.ok().map(Bytes::from)
}

/// Turn a request path into a safe relative file path, or `None` if it
/// tries to escape (`..`), contains backslashes/NULs or empty segments.
/// `/` and paths ending in `/` yield an empty last segment (no extension).
fn sanitize(path: &str) -> Option<&str> {
    let rel = path.strip_prefix('/').unwrap_or(path);
    let segments: Vec<&str> = rel.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        if *seg == ".."
            || *seg == "."
            || seg.contains(['\\', '\0', ':'])
            || (seg.is_empty() && i != last)
        {
            return None;
        }
    }
    Some(rel)
}

/// The extension of the last path segment (lower-cased), if it has one.
fn extension(rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The `Content-Type` for a file extension.
pub fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

fn is_hash(s: &str) -> bool {
    // xtask writes 16 hex digits of SHA-256 (trunk wrote a seahash with `{:x}`,
    // fewer digits when leading ones were zero): 8 to 16 lower-case hex digits.
    (8..=16).contains(&s.len()) && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether a file name carries a content hash, so it can be cached
/// forever: `name-<hash>.ext`, `name-<hash>_bg.wasm`, `name-<hash>_loader.js`
/// or (initializers) `<hash>-name.ext`.
pub fn is_hashed(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Some((stem, _ext)) = name.split_once('.') else {
        return false;
    };
    let stem = stem
        .strip_suffix("_bg")
        .or_else(|| stem.strip_suffix("_loader"))
        .unwrap_or(stem);
    let suffix_hash = stem
        .rsplit_once('-')
        .is_some_and(|(base, hash)| !base.is_empty() && is_hash(hash));
    let prefix_hash = stem
        .split_once('-')
        .is_some_and(|(hash, base)| !base.is_empty() && is_hash(hash));
    suffix_hash || prefix_hash
}

fn file_response(body: Bytes, content_type: &'static str, cache: &'static str) -> Response {
    let mut res = Response::new(Body::from(body));
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// A file of the app as it is sent: as stored, or a precompressed sibling.
struct Payload {
    /// The file as stored (what the `ETag` and the CSP are computed from).
    plain: Bytes,
    /// The sibling chosen by `Accept-Encoding`, if any.
    encoded: Option<(Coding, Bytes)>,
}

impl Payload {
    /// Reads `rel`'s best sibling for `codings`; `plain` is the file itself.
    async fn negotiate(assets: &Assets, rel: &str, plain: Bytes, codings: &[Coding]) -> Self {
        let encoded = if codings.is_empty() {
            None
        } else {
            assets.read_encoded(rel, codings).await
        };
        Self { plain, encoded }
    }

    /// A 200 response with this payload; every file response says it varies
    /// with `Accept-Encoding` (caches must not hand brotli to a client that
    /// did not ask for it).
    fn response(self, content_type: &'static str, cache: &'static str) -> Response {
        let mut res = match self.encoded {
            Some((coding, body)) => {
                let mut res = file_response(body, content_type, cache);
                res.headers_mut().insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(coding.header_value()),
                );
                res
            }
            None => file_response(self.plain, content_type, cache),
        };
        vary(&mut res);
        res
    }
}

fn vary(res: &mut Response) {
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
}

/// A weak `ETag` from the file as stored (weak because the body may be sent
/// in another content coding: a precompressed sibling or compressed on the
/// fly).
fn etag(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).expect("hex is a valid header value")
}

/// Whether `If-None-Match` in `req` matches `tag` (weak comparison).
fn not_modified(req: &HeaderMap, tag: &HeaderValue) -> bool {
    let Some(tag) = tag.to_str().ok().map(|t| t.trim_start_matches("W/")) else {
        return false;
    };
    req.get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == tag || v == "*")
}

/// A `no-cache` file with an `ETag`, answered with 304 (and the same
/// headers, including a per-document CSP) when the client's copy is current.
fn revalidatable(
    req: &HeaderMap,
    body: Payload,
    content_type: &'static str,
    csp: Option<String>,
) -> Response {
    let tag = etag(&body.plain);
    let fresh = not_modified(req, &tag);
    let mut res = if fresh {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_NO_CACHE),
        );
        vary(&mut res);
        res
    } else {
        body.response(content_type, CACHE_NO_CACHE)
    };
    res.headers_mut().insert(header::ETAG, tag);
    if let Some(value) = csp.and_then(|csp| HeaderValue::from_str(&csp).ok()) {
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    res
}

/// `index.html` with a CSP that also allows its own inline scripts/styles by hash.
fn index_response(req: &HeaderMap, html: Payload) -> Response {
    let csp = security::csp_for_html(&html.plain);
    revalidatable(req, html, "text/html; charset=utf-8", Some(csp))
}

/// Shown instead of the app when `index.html` is missing (fresh clone).
pub const NOT_BUILT_HTML: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>雁阵 Yanzhen — 应用尚未构建 / app not built</title>
</head>
<body>
<h1>雁阵 Yanzhen</h1>
<p lang="zh-CN">网页应用尚未构建，服务器找不到 <code>index.html</code>。请在代码仓库中运行 <code>cargo xtask run</code>，它会构建应用并启动服务器。</p>
<p lang="en">The web app has not been built: the server cannot find <code>index.html</code>. Run <code>cargo xtask run</code> in the repository; it builds the app and starts the server.</p>
</body>
</html>
"#;

fn not_built_response() -> Response {
    let mut res = file_response(
        Bytes::from_static(NOT_BUILT_HTML.as_bytes()),
        "text/html; charset=utf-8",
        CACHE_NO_CACHE,
    );
    *res.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    res
}

fn not_found() -> Response {
    let mut res = (StatusCode::NOT_FOUND, "404 Not Found\n").into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_NO_CACHE),
    );
    res
}

/// The router fallback: serve a file of the web app, or `index.html` for
/// client-side routes (no extension), or 404 (unknown path with extension).
pub async fn serve(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    req: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut res = StatusCode::METHOD_NOT_ALLOWED.into_response();
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let Some(rel) = sanitize(uri.path()) else {
        return not_found();
    };
    let assets = &state.assets;
    let codings = encoding::accepted(&req);
    // `/`, `/roster`, `/lead/123`, `/settings/`: client-side routes.
    let (rel, ext) = match extension(rel) {
        Some(ext) => (rel, ext),
        None => ("index.html", "html".to_owned()),
    };
    let Some(plain) = assets.read(rel).await else {
        return if rel == "index.html" {
            not_built_response()
        } else {
            not_found()
        };
    };
    let body = Payload::negotiate(assets, rel, plain, &codings).await;
    if rel == "index.html" {
        index_response(&req, body)
    } else if is_hashed(rel) {
        body.response(content_type(&ext), CACHE_IMMUTABLE)
    } else {
        revalidatable(&req, body, content_type(&ext), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed("yanzhen-7e1a2b3c4d5e6f70.js"));
        assert!(is_hashed("yanzhen-7e1a2b3c4d5e6f70_bg.wasm"));
        assert!(is_hashed("style-0a1b2c3d4e5f6071.css"));
        assert!(is_hashed("style-a1b2c3d4e5f6071.css")); // 15 digits: leading zero dropped
        assert!(is_hashed("assets/icon-0123456789abcdef.png"));
        assert!(is_hashed("0123456789abcdef-init.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("manifest.webmanifest"));
        assert!(!is_hashed("boot.js"));
        assert!(!is_hashed("icon-192x192.png"));
        assert!(!is_hashed("yanzhen-cafe.js"));
        assert!(!is_hashed("snippets/yanzhen-0123456789abcdef/inline0.js"));
    }

    #[test]
    fn sanitizes_paths() {
        assert_eq!(sanitize("/"), Some(""));
        assert_eq!(sanitize("/a/b.js"), Some("a/b.js"));
        assert_eq!(sanitize("/roster/"), Some("roster/"));
        assert_eq!(sanitize("/../etc/passwd"), None);
        assert_eq!(sanitize("/a/../../x"), None);
        assert_eq!(sanitize("//etc/passwd"), None);
        assert_eq!(sanitize("/a\\b"), None);
        assert_eq!(sanitize("/c:/x"), None);
    }

    #[test]
    fn extensions() {
        assert_eq!(extension(""), None);
        assert_eq!(extension("roster"), None);
        assert_eq!(extension("lead/42"), None);
        assert_eq!(extension("a.b/roster"), None);
        assert_eq!(extension(".well-known"), None);
        assert_eq!(extension("x/Y.WASM").as_deref(), Some("wasm"));
        assert_eq!(content_type("wasm"), "application/wasm");
        assert_eq!(content_type("webmanifest"), "application/manifest+json");
    }
}
