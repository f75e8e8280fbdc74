//! Content negotiation for the precompressed siblings `cargo xtask build`
//! writes next to each text and wasm file of the web app (`x.wasm.br`,
//! `x.wasm.gz`): which of them a request's `Accept-Encoding` allows, best
//! first, honouring q-values. The parse is bounded (a fixed number of
//! entries, each of a bounded length), so a hostile header costs nothing.

use axum::http::{HeaderMap, header};

/// A content coding the build precompresses files with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// Brotli (quality 11): the file's `.br` sibling.
    Brotli,
    /// gzip (level 9): the file's `.gz` sibling.
    Gzip,
}

impl Coding {
    /// The file name suffix of the precompressed sibling.
    pub fn suffix(self) -> &'static str {
        match self {
            Self::Brotli => ".br",
            Self::Gzip => ".gz",
        }
    }

    /// The `Content-Encoding` value.
    pub fn header_value(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gzip",
        }
    }
}

/// At most this many `Accept-Encoding` entries are looked at (browsers send
/// three to five); the rest are ignored.
const MAX_ENTRIES: usize = 32;
/// An entry longer than this is ignored (a real one is `gzip;q=0.8`).
const MAX_ENTRY_LEN: usize = 64;

/// A q-value in thousandths (RFC 9110 §12.4.2: `0`, `0.5`, `1`, `1.000`),
/// or `None` if it is malformed.
fn qvalue(text: &str) -> Option<u16> {
    let text = text.trim();
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The q-values a request gives br, gzip, identity and `*` (the first
/// well-formed entry for each wins; malformed entries are ignored).
#[derive(Debug, Default)]
struct Weights {
    br: Option<u16>,
    gzip: Option<u16>,
    identity: Option<u16>,
    any: Option<u16>,
}

fn weights(req: &HeaderMap) -> Weights {
    let mut w = Weights::default();
    let entries = req
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .take(MAX_ENTRIES);
    for entry in entries {
        if entry.len() > MAX_ENTRY_LEN {
            continue;
        }
        let mut parts = entry.split(';');
        let name = parts.next().unwrap_or("").trim();
        let mut q = Some(1000);
        for param in parts {
            if let Some((key, value)) = param.split_once('=')
                && key.trim().eq_ignore_ascii_case("q")
            {
                q = qvalue(value);
            }
        }
        let Some(q) = q else { continue };
        let slot = if name.eq_ignore_ascii_case("br") {
            &mut w.br
        } else if name.eq_ignore_ascii_case("gzip") {
            &mut w.gzip
        } else if name.eq_ignore_ascii_case("identity") {
            &mut w.identity
        } else if name == "*" {
            &mut w.any
        } else {
            continue;
        };
        slot.get_or_insert(q);
    }
    w
}

/// The precompressed codings `req` accepts, best first: highest q-value
/// first, brotli before gzip at equal q; none with q=0, none that the client
/// ranks below an explicit `identity`. Empty means "send the file as is".
pub fn accepted(req: &HeaderMap) -> Vec<Coding> {
    let w = weights(req);
    let identity = w.identity.unwrap_or(0);
    let mut codings: Vec<(Coding, u16)> = [(Coding::Brotli, w.br), (Coding::Gzip, w.gzip)]
        .into_iter()
        .filter_map(|(coding, q)| Some((coding, q.or(w.any)?)))
        .filter(|&(_, q)| q > 0 && q >= identity)
        .collect();
    // Stable: brotli stays first at equal q.
    codings.sort_by_key(|&(_, q)| std::cmp::Reverse(q));
    codings.into_iter().map(|(coding, _)| coding).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accepts(values: &[&str]) -> Vec<Coding> {
        let mut req = HeaderMap::new();
        for v in values {
            req.append(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        }
        accepted(&req)
    }

    use Coding::{Brotli, Gzip};

    #[test]
    fn browsers_get_brotli_then_gzip() {
        assert_eq!(accepts(&["gzip, deflate, br, zstd"]), [Brotli, Gzip]);
        assert_eq!(accepts(&["gzip, deflate"]), [Gzip]);
        assert_eq!(accepts(&["br"]), [Brotli]);
        assert_eq!(accepts(&["gzip", "br"]), [Brotli, Gzip]);
        assert_eq!(accepts(&["GZIP;Q=1, BR;q=1.000"]), [Brotli, Gzip]);
    }

    #[test]
    fn q_values_are_honoured() {
        assert_eq!(accepts(&["br;q=0.5, gzip;q=0.8"]), [Gzip, Brotli]);
        assert_eq!(accepts(&["br;q=0, gzip"]), [Gzip]);
        assert_eq!(accepts(&["br;q=0, gzip;q=0"]), []);
        assert_eq!(accepts(&["br;q=0.000, gzip;q=0."]), []);
        assert_eq!(accepts(&["*"]), [Brotli, Gzip]);
        assert_eq!(accepts(&["*;q=0.1, gzip;q=0.2"]), [Gzip, Brotli]);
        assert_eq!(accepts(&["*;q=0"]), []);
        assert_eq!(accepts(&["identity;q=1, br;q=0.5"]), []);
        assert_eq!(accepts(&["identity;q=0.5, br;q=0.5, gzip;q=0.4"]), [Brotli]);
        // The first entry for a coding counts.
        assert_eq!(accepts(&["br;q=0, br"]), []);
    }

    #[test]
    fn no_header_or_identity_means_as_is() {
        assert_eq!(accepts(&[]), []);
        assert_eq!(accepts(&[""]), []);
        assert_eq!(accepts(&["identity"]), []);
        assert_eq!(accepts(&["deflate, zstd"]), []);
    }

    #[test]
    fn malformed_q_values_drop_the_entry() {
        for bad in [
            "br;q=2",
            "br;q=1.5",
            "br;q=-1",
            "br;q=NaN",
            "br;q=1e308",
            "br;q=0.0001",
            "br;q=.5",
            "br;q=",
            "br;q=0x1",
        ] {
            assert_eq!(accepts(&[&format!("{bad}, gzip")]), [Gzip], "{bad}");
        }
        assert_eq!(qvalue("0.5"), Some(500));
        assert_eq!(qvalue(" 1. "), Some(1000));
        assert_eq!(qvalue("0.125"), Some(125));
        assert_eq!(qvalue("1.001"), None);
    }

    #[test]
    fn hostile_headers_are_bounded() {
        // `br` after MAX_ENTRIES junk entries is not looked at.
        let junk = "x-junk;q=0.5, ".repeat(10_000);
        assert_eq!(accepts(&[&format!("{junk}br")]), []);
        // An over-long entry is ignored, the next one counts.
        let long = format!("br;{}q=1", "a=b;".repeat(100));
        assert_eq!(accepts(&[&format!("{long}, gzip")]), [Gzip]);
        // Many header lines: only the first entries count.
        let lines = vec!["x"; 1000];
        assert_eq!(accepts(&lines), []);
    }
}
