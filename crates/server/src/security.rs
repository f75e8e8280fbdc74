//! Security headers on every response: a strict `Content-Security-Policy`
//! (no `'unsafe-inline'`), `X-Content-Type-Options` and `Referrer-Policy`.
//!
//! `index.html` gets the same policy plus `'sha256-…'` sources for any inline
//! `<script>`/`<style>` elements it contains (computed from the exact bytes
//! served), so the policy stays strict even if a build injects an inline
//! module loader.

use axum::{
    http::{HeaderValue, header},
    response::Response,
};
use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use sha2::{Digest as _, Sha256};

/// The policy for every response (and the base for `index.html`).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; \
object-src 'none'";

/// The CSP for an HTML document: [`CSP`] plus hashes of its inline scripts
/// and styles (if any).
pub fn csp_for_html(html: &[u8]) -> String {
    let Ok(html) = std::str::from_utf8(html) else {
        return CSP.to_owned();
    };
    let script_hashes = inline_element_hashes(html, "script");
    let style_hashes = inline_element_hashes(html, "style");
    if script_hashes.is_empty() && style_hashes.is_empty() {
        return CSP.to_owned();
    }
    CSP.split("; ")
        .map(|directive| {
            let extra = if directive.starts_with("script-src ") {
                &script_hashes
            } else if directive.starts_with("style-src ") {
                &style_hashes
            } else {
                return directive.to_owned();
            };
            let mut d = directive.to_owned();
            for h in extra {
                d.push_str(" '");
                d.push_str(h);
                d.push('\'');
            }
            d
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `sha256-<base64>` of the text content of every inline `<tag>` element
/// (for `script`: those without a `src` attribute).
fn inline_element_hashes(html: &str, tag: &str) -> Vec<String> {
    // ASCII lower-casing keeps byte offsets identical to `html`.
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let mut hashes = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find(&open) {
        let start = pos + found;
        let after_name = start + open.len();
        // `<scripts>` or `<style-x>` are other elements.
        match lower.as_bytes().get(after_name) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/') => {}
            _ => {
                pos = after_name;
                continue;
            }
        }
        let Some(gt) = lower[after_name..].find('>') else {
            break;
        };
        let attrs = &lower[after_name..after_name + gt];
        let content_start = after_name + gt + 1;
        let Some(end) = lower[content_start..].find(&close) else {
            break;
        };
        let content_end = content_start + end;
        let has_src = attrs
            .split(|c: char| c.is_ascii_whitespace())
            .any(|a| a == "src" || a.starts_with("src="));
        if !(tag == "script" && has_src) {
            let digest = Sha256::digest(&html.as_bytes()[content_start..content_end]);
            let hash = format!("sha256-{}", BASE64.encode(digest));
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        pos = content_end + close.len();
    }
    hashes
}

/// Middleware (`axum::middleware::map_response`): add the security headers,
/// keeping a `Content-Security-Policy` a handler already set (`index.html`).
pub async fn add_headers(mut res: Response) -> Response {
    let headers = res.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_inline_content_gives_base_policy() {
        let html = br#"<html><head><script type="module" src="/boot.js"></script>
            <link rel="stylesheet" href="/style-0123456789abcdef.css"></head><body></body></html>"#;
        assert_eq!(csp_for_html(html), CSP);
        assert!(!CSP.contains("unsafe-inline"));
    }

    #[test]
    fn inline_script_is_allowed_by_hash() {
        let script = "\nimport init from '/yanzhen-0123456789abcdef.js';\nawait init();\n";
        let html = format!(
            "<html><body><SCRIPT type=\"module\">{script}</script><scripts>x</scripts>\
             <style>p{{}}</style></body></html>"
        );
        let csp = csp_for_html(html.as_bytes());
        let expected = format!(
            "sha256-{}",
            BASE64.encode(Sha256::digest(script.as_bytes()))
        );
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' '{expected}'"
            )),
            "{csp}"
        );
        let style = format!("sha256-{}", BASE64.encode(Sha256::digest(b"p{}")));
        assert!(
            csp.contains(&format!("style-src 'self' '{style}'")),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(csp.matches("sha256-").count(), 2);
    }
}
