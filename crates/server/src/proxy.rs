//! The client's address behind a reverse proxy, for per-client limits
//! (today: the enrolment rate limit, [`crate::auth`]).
//!
//! Behind a TLS-terminating proxy every request comes from the proxy's
//! address, so a limit keyed on the TCP peer would make all tablets of the
//! district share one budget. With `--trusted-proxy <IP or CIDR>`
//! (repeatable), [`TrustedProxies::client_ip`] takes the client's address
//! from the proxy's headers — **only when the TCP peer itself is a trusted
//! proxy**; from any other peer those headers are ignored entirely, since a
//! client can send whatever it likes in them.
//!
//! * `X-Forwarded-For` (all such headers, in order, as one list): walking
//!   from the right, the first address that is not a trusted proxy is the
//!   client. Proxies append the address they saw, so entries further left
//!   were written by the client and are never used (a client cannot prepend
//!   a fake address to escape its limit). When every entry is a trusted
//!   proxy, the left-most is used.
//! * `Forwarded: for=…` (RFC 7239), read the same way, **only when the
//!   request has no `X-Forwarded-For`**. A proxy that sets only `Forwarded`
//!   must therefore remove an `X-Forwarded-For` sent by the client (or be
//!   configured to set `X-Forwarded-For` too, as nginx, Caddy and HAProxy
//!   can).
//! * An entry that is not an address (`unknown`, an obfuscated `_name`,
//!   garbage) stops the walk: the last trusted hop (the proxy) is used, so
//!   such requests share the proxy's budget rather than choosing their own.
//!
//! IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are compared as IPv4.

use std::{
    net::{IpAddr, SocketAddr},
    str::FromStr,
    sync::Arc,
};

use axum::http::{HeaderMap, header};

/// An address or network given as `--trusted-proxy`: `10.0.0.1`,
/// `10.0.0.0/8`, `::1`, `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

/// Why a `--trusted-proxy` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IpNetError {
    /// Not an IP address (before the `/`).
    #[error("{0:?} is not an IP address or CIDR network (e.g. 10.0.0.1, 10.0.0.0/8, fd00::/8)")]
    Address(String),
    /// The prefix length is not a number within the address's bits.
    #[error("{0:?}: the prefix length must be 0 to 32 (IPv4) or 0 to 128 (IPv6)")]
    Prefix(String),
}

impl FromStr for IpNet {
    type Err = IpNetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr = addr
            .parse::<IpAddr>()
            .map_err(|_| IpNetError::Address(s.to_owned()))?
            .to_canonical();
        let bits = max_prefix(addr);
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| IpNetError::Prefix(s.to_owned()))?,
        };
        Ok(Self { addr, prefix })
    }
}

impl std::fmt::Display for IpNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn max_prefix(addr: IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

impl IpNet {
    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The reverse proxies whose forwarding headers are believed. Empty (the
/// default): the TCP peer is always the client. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    nets: Arc<[IpNet]>,
}

impl TrustedProxies {
    /// Trust these addresses and networks.
    pub fn new(nets: impl IntoIterator<Item = IpNet>) -> Self {
        Self {
            nets: nets.into_iter().collect(),
        }
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }

    /// Whether `ip` is a trusted proxy.
    pub fn is_trusted(&self, ip: IpAddr) -> bool {
        self.nets.iter().any(|n| n.contains(ip))
    }

    /// The client's address for a request from TCP peer `peer` with
    /// `headers` (see the module docs): `peer` itself unless it is a trusted
    /// proxy.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.is_trusted(peer) {
            return peer;
        }
        let hops = forwarded_for(headers);
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                break;
            };
            client = ip;
            if !self.is_trusted(ip) {
                break;
            }
        }
        client
    }
}

/// The forwarding chain, left to right: every `X-Forwarded-For` entry, or
/// (only without any) every `for=` of `Forwarded`.
fn forwarded_for(headers: &HeaderMap) -> Vec<String> {
    let entries = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .flat_map(|v| {
                // A value that is not visible ASCII cannot be trusted: one
                // unusable entry stops the walk where it stands.
                v.to_str().unwrap_or("\u{0}").split(',').map(str::trim)
            })
            .map(str::to_owned)
            .collect()
    };
    let xff = entries("x-forwarded-for");
    if !xff.is_empty() {
        return xff;
    }
    entries(header::FORWARDED.as_str())
        .iter()
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .map(|(_, v)| v.trim().trim_matches('"').to_owned())
                // An element without `for=` is not an address either.
                .unwrap_or_default()
        })
        .collect()
}

/// An address of a forwarding header: `1.2.3.4`, `1.2.3.4:5678`, `::1`,
/// `[::1]`, `[::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(sa) = hop.parse::<SocketAddr>() {
        return Some(sa.ip().to_canonical());
    }
    hop.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn networks_parse_and_match() {
        let net: IpNet = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "mapped IPv4");
        assert!(!net.contains(ip("::1")));
        let one: IpNet = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")));
        assert!(!one.contains(ip("192.0.2.8")));
        let v6: IpNet = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12:3456::1")));
        assert!(!v6.contains(ip("fe80::1")));
        let all: IpNet = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")));
        assert_eq!(one.to_string(), "192.0.2.7/32");
        for bad in [
            "",
            "proxy.example",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/x",
            "10.0.0/8",
        ] {
            assert!(bad.parse::<IpNet>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let none = TrustedProxies::default();
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=198.51.100.2"),
        ]);
        assert_eq!(none.client_ip(ip("203.0.113.5"), &h), ip("203.0.113.5"));
        let some = TrustedProxies::new(["10.0.0.0/8".parse().unwrap()]);
        assert_eq!(some.client_ip(ip("203.0.113.5"), &h), ip("203.0.113.5"));
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let t = TrustedProxies::new([
            "10.0.0.1".parse().unwrap(),
            "172.16.0.0/12".parse().unwrap(),
        ]);
        let proxy = ip("10.0.0.1");
        // No header: the proxy itself.
        assert_eq!(t.client_ip(proxy, &HeaderMap::new()), proxy);
        assert_eq!(
            t.client_ip(proxy, &headers(&[("x-forwarded-for", "198.51.100.1")])),
            ip("198.51.100.1")
        );
        // The client prepended a fake entry: the proxy's appended one wins.
        assert_eq!(
            t.client_ip(
                proxy,
                &headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.1")])
            ),
            ip("198.51.100.1")
        );
        // Two proxies: the inner one (trusted) is skipped.
        assert_eq!(
            t.client_ip(
                proxy,
                &headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.1, 172.16.3.4")])
            ),
            ip("198.51.100.1")
        );
        // Several header lines are one list, in order.
        assert_eq!(
            t.client_ip(
                proxy,
                &headers(&[
                    ("x-forwarded-for", "1.1.1.1"),
                    ("x-forwarded-for", "198.51.100.1:4711")
                ])
            ),
            ip("198.51.100.1")
        );
        // Every hop trusted: the left-most.
        assert_eq!(
            t.client_ip(
                proxy,
                &headers(&[("x-forwarded-for", "172.16.0.9, 172.16.0.8")])
            ),
            ip("172.16.0.9")
        );
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(
            t.client_ip(
                proxy,
                &headers(&[("x-forwarded-for", "198.51.100.1, bogus, 172.16.0.8")])
            ),
            ip("172.16.0.8")
        );
        assert_eq!(
            t.client_ip(proxy, &headers(&[("x-forwarded-for", "unknown")])),
            proxy
        );
        // Mapped IPv4 peers are trusted like IPv4 ones.
        assert_eq!(
            t.client_ip(
                ip("::ffff:10.0.0.1"),
                &headers(&[("x-forwarded-for", "198.51.100.1")])
            ),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn forwarded_is_read_only_without_x_forwarded_for() {
        let t = TrustedProxies::new(["10.0.0.1".parse().unwrap()]);
        let proxy = ip("10.0.0.1");
        assert_eq!(
            t.client_ip(
                proxy,
                &headers(&[(
                    "forwarded",
                    "for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\";proto=https;by=10.0.0.1"
                )])
            ),
            ip("2001:db8:cafe::17")
        );
        assert_eq!(
            t.client_ip(proxy, &headers(&[("forwarded", "For=198.51.100.1")])),
            ip("198.51.100.1")
        );
        assert_eq!(
            t.client_ip(proxy, &headers(&[("forwarded", "for=_hidden")])),
            proxy
        );
        assert_eq!(
            t.client_ip(proxy, &headers(&[("forwarded", "proto=https")])),
            proxy
        );
        assert_eq!(
            t.client_ip(
                proxy,
                &headers(&[
                    ("forwarded", "for=1.1.1.1"),
                    ("x-forwarded-for", "198.51.100.1")
                ])
            ),
            ip("198.51.100.1")
        );
    }
}
