//! The transport: one WebSocket to `<server>/sync` (`ws:` for `http:`,
//! `wss:` for `https:`), carrying automerge-repo's binary CBOR messages.
//!
//! The decisions are pure and tested natively; the browser part
//! ([`Socket`], wasm32 only) just opens, sends and closes.
//!
//! * **Reconnect:** [`Link`] is the connection's state machine. After a close
//!   it waits `backoff_delay(attempt)` — exponential from
//!   [`BACKOFF_BASE_MS`] (1 s) doubling up to [`BACKOFF_CAP_MS`] (60 s), with
//!   *full jitter* (a uniformly random delay between 0 and that bound; the
//!   randomness is passed in) so a hundred tablets coming back after an outage
//!   do not all knock at once. The attempt counter resets once the server
//!   answers the handshake.
//! * **Online/offline:** the browser's `offline` event closes the socket and
//!   stops retrying; `online` reconnects at once.
//! * **Resync:** each socket is a new connection id for the `SyncNode`; when
//!   it handshakes again the node re-offers every document (with the sync
//!   state it retained for the server), so nothing needs replaying here.
//! * **Heartbeat:** automerge-repo has no ping message, and the browser
//!   WebSocket API cannot send pings. We chose silence detection: the server
//!   answers every sync message that carries changes it lacks, so while we
//!   have changes it has not acknowledged (its heads do not cover ours) and
//!   nothing arrived for [`DEAD_AFTER_MS`] (30 s) since they became pending or
//!   since the last message, the link is taken for dead
//!   ([`link_dead`]), closed and reconnected with backoff. An idle, in-sync
//!   link is never closed. A socket that does not open within
//!   [`CONNECT_TIMEOUT_MS`] is closed the same way.
//! * **Token:** the device token goes in the URL's query
//!   ([`sync_url_with_token`]: browsers cannot set headers on a WebSocket).
//!   A refused token (401 before the upgrade, or a protocol `error` saying
//!   `access.token.revoked`) [`Link::stop`]s the link: no retries until the
//!   person enrols again ([`Link::resume`]).

/// First backoff bound.
pub const BACKOFF_BASE_MS: u64 = 1_000;
/// Largest backoff bound.
pub const BACKOFF_CAP_MS: u64 = 60_000;
/// Silence (with unacknowledged changes) after which the link is dead.
pub const DEAD_AFTER_MS: f64 = 30_000.0;
/// A socket that has not opened after this long is given up.
pub const CONNECT_TIMEOUT_MS: f64 = 15_000.0;

/// The delay before reconnect attempt `attempt` (0-based): full jitter,
/// `random` in `[0, 1)` times `min(cap, base · 2^attempt)`.
pub fn backoff_delay(attempt: u32, random: f64, base_ms: u64, cap_ms: u64) -> u64 {
    let bound = base_ms
        .checked_shl(attempt.min(32))
        .filter(|b| *b >= base_ms)
        .unwrap_or(u64::MAX)
        .min(cap_ms);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((bound as f64) * random).floor().min(bound as f64) as u64
}

/// The WebSocket URL of the sync endpoint for a server base URL
/// (`http(s)://host[:port][/path]` or already `ws(s)://…`).
pub fn sync_url(server: &str) -> String {
    let base = server.trim_end_matches('/');
    let base = if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = base.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        base.to_owned()
    };
    if base.ends_with("/sync") {
        base
    } else {
        format!("{base}/sync")
    }
}

/// [`sync_url`] with the device token in the query (`?token=…`,
/// percent-encoded).
pub fn sync_url_with_token(server: &str, token: &str) -> String {
    let mut url = sync_url(server);
    url.push_str("?token=");
    for b in token.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The HTTP base URL (for `GET /api/bootstrap`) of a server setting; `ws(s)`
/// becomes `http(s)`, and a trailing `/sync` is dropped.
pub fn http_base(server: &str) -> String {
    let base = server.trim_end_matches('/');
    let base = base.strip_suffix("/sync").unwrap_or(base);
    if let Some(rest) = base.strip_prefix("wss://") {
        format!("https://{rest}")
    } else if let Some(rest) = base.strip_prefix("ws://") {
        format!("http://{rest}")
    } else {
        base.to_owned()
    }
}

/// Whether an open link is dead: changes are pending (since
/// `pending_since`) and nothing arrived for `timeout` since the later of
/// that and the last received message.
pub fn link_dead(now: f64, last_received: f64, pending_since: Option<f64>, timeout: f64) -> bool {
    match pending_since {
        Some(since) => now - since.max(last_received) >= timeout,
        None => false,
    }
}

/// Where the connection stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LinkState {
    /// Not started.
    Idle,
    /// The browser says it is offline: no attempts until it is back.
    Offline,
    /// A socket is opening (since `since`, ms).
    Connecting { since: f64 },
    /// The socket is open.
    Open,
    /// Waiting until `at` (ms) to try again.
    Retrying { at: f64 },
    /// Stopped on purpose (not enrolled, or the token was refused): no
    /// attempts until [`Link::resume`].
    Stopped,
}

/// What the IO layer should do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkAction {
    /// Open a new socket.
    Open,
    /// Close the current socket (its close event comes back as [`Link::closed`]).
    Close,
}

/// The reconnecting connection's state machine (see the module docs).
#[derive(Clone, Debug)]
pub struct Link {
    state: LinkState,
    attempt: u32,
}

impl Default for Link {
    fn default() -> Self {
        Self::new()
    }
}

impl Link {
    /// Not started.
    pub fn new() -> Self {
        Link {
            state: LinkState::Idle,
            attempt: 0,
        }
    }

    /// The current state.
    pub fn state(&self) -> LinkState {
        self.state
    }

    /// Failed attempts since the last handshake.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Starts: connect now if online.
    pub fn start(&mut self, now: f64, online: bool) -> Option<LinkAction> {
        if online {
            self.state = LinkState::Connecting { since: now };
            Some(LinkAction::Open)
        } else {
            self.state = LinkState::Offline;
            None
        }
    }

    /// Stops: no more attempts (closing the socket if there is one) until
    /// [`Link::resume`].
    pub fn stop(&mut self) -> Option<LinkAction> {
        let was = self.state;
        self.state = LinkState::Stopped;
        self.attempt = 0;
        match was {
            LinkState::Open | LinkState::Connecting { .. } => Some(LinkAction::Close),
            _ => None,
        }
    }

    /// Starts again after [`Link::stop`] (or restarts with a new token; the
    /// caller has dropped the old socket): connect now if online.
    pub fn resume(&mut self, now: f64, online: bool) -> Option<LinkAction> {
        self.attempt = 0;
        self.start(now, online)
    }

    /// The socket opened.
    pub fn opened(&mut self) {
        if matches!(self.state, LinkState::Connecting { .. }) {
            self.state = LinkState::Open;
        }
    }

    /// The server answered the handshake: the link works, backoff resets.
    pub fn handshaken(&mut self) {
        self.attempt = 0;
    }

    /// The socket closed (or failed to open). Schedules a retry with backoff
    /// (`random` in `[0, 1)`) unless offline.
    pub fn closed(&mut self, now: f64, random: f64) {
        match self.state {
            LinkState::Offline | LinkState::Idle | LinkState::Stopped => {}
            _ => {
                let delay = backoff_delay(self.attempt, random, BACKOFF_BASE_MS, BACKOFF_CAP_MS);
                self.attempt = self.attempt.saturating_add(1);
                self.state = LinkState::Retrying {
                    at: now + delay as f64,
                };
            }
        }
    }

    /// The browser is online again: connect now unless already connected.
    pub fn online(&mut self, now: f64) -> Option<LinkAction> {
        match self.state {
            LinkState::Open | LinkState::Connecting { .. } | LinkState::Stopped => None,
            _ => {
                self.state = LinkState::Connecting { since: now };
                Some(LinkAction::Open)
            }
        }
    }

    /// The browser went offline: close and wait for `online`.
    pub fn offline(&mut self) -> Option<LinkAction> {
        let was = self.state;
        if was == LinkState::Stopped {
            return None;
        }
        self.state = LinkState::Offline;
        match was {
            LinkState::Open | LinkState::Connecting { .. } => Some(LinkAction::Close),
            _ => None,
        }
    }

    /// Time passed: retry when due; give up a socket that does not open;
    /// close a dead link (see [`link_dead`]).
    pub fn tick(
        &mut self,
        now: f64,
        last_received: f64,
        pending_since: Option<f64>,
    ) -> Option<LinkAction> {
        match self.state {
            LinkState::Retrying { at } if now >= at => {
                self.state = LinkState::Connecting { since: now };
                Some(LinkAction::Open)
            }
            LinkState::Connecting { since } if now - since >= CONNECT_TIMEOUT_MS => {
                Some(LinkAction::Close)
            }
            LinkState::Open if link_dead(now, last_received, pending_since, DEAD_AFTER_MS) => {
                Some(LinkAction::Close)
            }
            _ => None,
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::Socket;

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{BinaryType, MessageEvent, WebSocket};

    /// One browser WebSocket and its event handlers (removed on drop).
    pub struct Socket {
        ws: WebSocket,
        _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    }

    impl Socket {
        /// Opens `url` (binary messages as `ArrayBuffer`) and calls
        /// `on_open`, `on_message` (one per binary message) and `on_close`
        /// (once, also when opening fails).
        pub fn open(
            url: &str,
            on_open: impl FnMut() + 'static,
            mut on_message: impl FnMut(Vec<u8>) + 'static,
            on_close: impl FnMut(String) + 'static,
        ) -> Result<Socket, String> {
            let ws = WebSocket::new(url).map_err(|e| crate::sync::js_error_text(&e))?;
            ws.set_binary_type(BinaryType::Arraybuffer);
            let mut on_open = on_open;
            let open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_open());
            let message = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                if let Some(m) = e.dyn_ref::<MessageEvent>()
                    && let Ok(buf) = m.data().dyn_into::<js_sys::ArrayBuffer>()
                {
                    on_message(js_sys::Uint8Array::new(&buf).to_vec());
                }
            });
            let on_close = std::rc::Rc::new(std::cell::RefCell::new(Some(on_close)));
            let c2 = on_close.clone();
            let close = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let reason = e
                    .dyn_ref::<web_sys::CloseEvent>()
                    .map(|c| format!("{} {}", c.code(), c.reason()))
                    .unwrap_or_default();
                if let Some(mut f) = c2.borrow_mut().take() {
                    f(reason);
                }
            });
            ws.set_onopen(Some(open.as_ref().unchecked_ref()));
            ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
            // `error` is always followed by `close`; only `close` is handled.
            ws.set_onclose(Some(close.as_ref().unchecked_ref()));
            Ok(Socket {
                ws,
                _handlers: vec![open, message, close],
            })
        }

        /// Sends one binary message; false if the socket is not open.
        pub fn send(&self, bytes: &[u8]) -> bool {
            self.ws.ready_state() == WebSocket::OPEN && self.ws.send_with_u8_array(bytes).is_ok()
        }

        /// Starts closing; the close handler runs when it is closed.
        pub fn close(&self) {
            let _ = self.ws.close();
        }
    }

    impl Drop for Socket {
        fn drop(&mut self) {
            self.ws.set_onopen(None);
            self.ws.set_onmessage(None);
            self.ws.set_onclose(None);
            let _ = self.ws.close();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_to_the_cap_with_full_jitter() {
        let top = |a| backoff_delay(a, 0.999_999, BACKOFF_BASE_MS, BACKOFF_CAP_MS);
        assert_eq!(top(0), 999);
        assert_eq!(top(1), 1_999);
        assert_eq!(top(5), 31_999);
        assert_eq!(top(6), 59_999);
        assert_eq!(top(40), 59_999, "capped, no overflow");
        assert_eq!(top(u32::MAX), 59_999);
        for a in 0..10 {
            assert_eq!(backoff_delay(a, 0.0, 1_000, 60_000), 0, "jitter down to 0");
        }
        assert_eq!(backoff_delay(3, 0.5, 1_000, 60_000), 4_000);
        assert_eq!(backoff_delay(3, f64::NAN, 1_000, 60_000), 0);
        assert_eq!(backoff_delay(3, 7.0, 1_000, 60_000), 8_000, "clamped");
    }

    #[test]
    fn urls_follow_the_page_scheme() {
        assert_eq!(
            sync_url("http://127.0.0.1:8080"),
            "ws://127.0.0.1:8080/sync"
        );
        assert_eq!(
            sync_url("https://yz.example.cn/"),
            "wss://yz.example.cn/sync"
        );
        assert_eq!(sync_url("wss://a.cn/sync"), "wss://a.cn/sync");
        assert_eq!(sync_url("https://a.cn/yz"), "wss://a.cn/yz/sync");
        assert_eq!(http_base("wss://a.cn/sync"), "https://a.cn");
        assert_eq!(http_base("ws://a.cn:9/"), "http://a.cn:9");
        assert_eq!(http_base("https://a.cn/yz"), "https://a.cn/yz");
    }

    #[test]
    fn the_token_goes_in_the_query() {
        assert_eq!(
            sync_url_with_token("http://a.cn:9", "yz_AbC-9"),
            "ws://a.cn:9/sync?token=yz_AbC-9"
        );
        assert_eq!(
            sync_url_with_token("https://a.cn", "a b&c"),
            "wss://a.cn/sync?token=a%20b%26c"
        );
    }

    #[test]
    fn a_stopped_link_waits_for_the_person() {
        let mut l = Link::new();
        l.start(0.0, true);
        l.opened();
        assert_eq!(l.stop(), Some(LinkAction::Close));
        l.closed(10.0, 0.5);
        assert_eq!(l.state(), LinkState::Stopped, "no retry");
        assert_eq!(l.tick(1e9, 0.0, None), None);
        assert_eq!(l.online(5.0), None, "online does not restart it");
        assert_eq!(l.offline(), None);
        assert_eq!(l.state(), LinkState::Stopped);
        assert_eq!(l.resume(20.0, true), Some(LinkAction::Open));
        assert_eq!(l.state(), LinkState::Connecting { since: 20.0 });
        let mut idle = Link::new();
        assert_eq!(idle.stop(), None);
    }

    #[test]
    fn dead_link_needs_pending_changes_and_silence() {
        assert!(
            !link_dead(100_000.0, 0.0, None, DEAD_AFTER_MS),
            "idle link is fine"
        );
        assert!(!link_dead(40_000.0, 0.0, Some(20_000.0), DEAD_AFTER_MS));
        assert!(link_dead(50_000.0, 0.0, Some(20_000.0), DEAD_AFTER_MS));
        assert!(
            !link_dead(50_000.0, 45_000.0, Some(20_000.0), DEAD_AFTER_MS),
            "server talked"
        );
    }

    #[test]
    fn reconnects_with_backoff_and_resets_after_handshake() {
        let mut l = Link::new();
        assert_eq!(l.start(0.0, true), Some(LinkAction::Open));
        l.closed(10.0, 0.5); // failed to open
        assert_eq!(l.state(), LinkState::Retrying { at: 510.0 });
        assert_eq!(l.tick(500.0, 0.0, None), None);
        assert_eq!(l.tick(510.0, 0.0, None), Some(LinkAction::Open));
        l.closed(600.0, 0.5);
        assert_eq!(l.state(), LinkState::Retrying { at: 1_600.0 }, "doubled");
        assert_eq!(l.attempt(), 2);
        assert_eq!(l.tick(1_600.0, 0.0, None), Some(LinkAction::Open));
        l.opened();
        l.handshaken();
        assert_eq!(l.state(), LinkState::Open);
        l.closed(2_000.0, 0.5);
        assert_eq!(l.state(), LinkState::Retrying { at: 2_500.0 }, "reset");
    }

    #[test]
    fn offline_stops_retries_and_online_connects_at_once() {
        let mut l = Link::new();
        assert_eq!(l.start(0.0, false), None);
        assert_eq!(l.state(), LinkState::Offline);
        assert_eq!(l.tick(1e9, 0.0, None), None);
        assert_eq!(l.online(5.0), Some(LinkAction::Open));
        l.opened();
        assert_eq!(l.online(6.0), None, "already open");
        assert_eq!(l.offline(), Some(LinkAction::Close));
        l.closed(7.0, 0.3);
        assert_eq!(l.state(), LinkState::Offline, "no retry while offline");
        assert_eq!(l.online(8.0), Some(LinkAction::Open));
        l.closed(9.0, 0.0);
        assert_eq!(
            l.online(10.0),
            Some(LinkAction::Open),
            "online cuts a wait short"
        );
    }

    #[test]
    fn stuck_or_dead_sockets_are_closed() {
        let mut l = Link::new();
        l.start(0.0, true);
        assert_eq!(l.tick(CONNECT_TIMEOUT_MS - 1.0, 0.0, None), None);
        assert_eq!(
            l.tick(CONNECT_TIMEOUT_MS, 0.0, None),
            Some(LinkAction::Close)
        );
        l.opened();
        assert_eq!(l.tick(1e6, 0.0, None), None, "in sync: kept open");
        assert_eq!(
            l.tick(1e6, 0.0, Some(1e6 - DEAD_AFTER_MS)),
            Some(LinkAction::Close)
        );
    }
}
