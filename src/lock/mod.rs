//! Personal data at rest (issue 9, item 8): the office PIN, the lock record,
//! the encrypted chunk envelope, wrong-PIN back-off, auto-lock and the
//! "this tablet was wiped" record.
//!
//! Everything here is plain Rust with unit tests; the WebCrypto calls are in
//! [`crypto`] (WebCrypto), the browser steps in [`actions`] and the local-storage records in [`store`].
//!
//! * A random 256-bit data key (DEK) encrypts every IndexedDB chunk with
//!   AES-256-GCM: `b"YZE1" ‖ 12-byte nonce ‖ ciphertext+tag`, the chunk's key
//!   path as associated data ([`seal_layout`], [`open_envelope`], [`aad`]).
//! * A key derived from the PIN (PBKDF2-HMAC-SHA256, [`ITERATIONS`] rounds,
//!   16-byte salt) wraps the DEK; the [`LockRecord`] keeps salt, rounds,
//!   nonce and the wrapped DEK (base64) under [`LOCK_KEY`].
//! * The DEK lives only in memory while the app is unlocked.
//! * **Every secret is sealed under the DEK:** the device token (the
//!   enrolment) is kept only as a sealed record ([`secrets`]); before the PIN
//!   the app knows only *that* it is enrolled, so a locked tablet cannot sync
//!   or call the server. [`start_screen`] decides the first screen from what
//!   is found; without a lock, sealed data means "enrol again with a new
//!   code" — never "set a new PIN".
//! * Wrong PINs back off ([`Backoff`], [`Countdown`]): kept in local storage
//!   and IndexedDB (the stricter copy wins), counted down on the monotonic
//!   clock.
//!
//! Over 500 lines with its native unit tests (about 250 lines); the rules
//! themselves stay near 550 and are one piece (PIN, lock record, envelope,
//! back-off).

pub mod actions;
pub mod components;
pub mod crypto;
pub mod messages;
pub mod secrets;
pub mod store;

use serde::{Deserialize, Serialize};

/// The local-storage key of the lock record.
pub const LOCK_KEY: &str = "yanzhen.lock.v1";
/// The key of the wrong-PIN back-off ([`Backoff`]), in local storage and in
/// the IndexedDB database [`store::TABLET_DATABASE`].
pub const BACKOFF_KEY: &str = "yanzhen.lock.backoff.v2";
/// The local-storage key of the wrong-PIN counter of the version before
/// (read once as [`OldAttempts`], then deleted).
pub const ATTEMPTS_KEY: &str = "yanzhen.lock.attempts.v1";
/// The local-storage key of the auto-lock setting (minutes).
pub const LOCK_AFTER_KEY: &str = "yanzhen.lock.after.v1";
/// The local-storage key of the "this tablet was wiped" record.
pub const WIPED_KEY: &str = "yanzhen.wiped.v1";
/// The performance mark set when the PIN was accepted.
pub const UNLOCKED_MARK: &str = "yanzhen:unlocked";

/// The lock record's format version.
pub const LOCK_VERSION: u32 = 1;
/// PBKDF2-HMAC-SHA256 rounds for a new lock record (OWASP 2023 minimum).
pub const ITERATIONS: u32 = 600_000;
/// Fewer rounds than this in a stored record are refused (a tampered record).
pub const MIN_ITERATIONS: u32 = 600_000;
/// The PIN's allowed length.
pub const PIN_MIN: usize = 6;
pub const PIN_MAX: usize = 12;

/// The first bytes of an encrypted chunk.
pub const MAGIC: &[u8; 4] = b"YZE1";
/// AES-GCM nonce length.
pub const NONCE_LEN: usize = 12;
/// AES-GCM tag length.
pub const TAG_LEN: usize = 16;
/// The first bytes of every Automerge chunk (document or change).
pub const AUTOMERGE_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Wrong PINs in a row allowed before attempts are refused for a while.
pub const FREE_ATTEMPTS: u32 = 5;
/// The first wait after [`FREE_ATTEMPTS`] wrong PINs; doubles after each
/// further wrong PIN.
pub const FIRST_WAIT_MS: f64 = 30_000.0;

/// The auto-lock choices (minutes) and the default.
pub const LOCK_AFTER_CHOICES: [u32; 4] = [1, 5, 10, 30];
pub const LOCK_AFTER_DEFAULT: u32 = 5;
/// How long "lock now" waits for pending saves at most.
pub const SAVE_WAIT_MS: f64 = 5_000.0;

/// Why a PIN is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("the PIN is empty")]
    Empty,
    #[error("the PIN may only hold digits")]
    NotDigits,
    #[error("the PIN is shorter than 6 digits")]
    TooShort,
    #[error("the PIN is longer than 12 digits")]
    TooLong,
    #[error("the PIN is too easy to guess")]
    Guessable,
    #[error("the two PINs differ")]
    Differ,
}

/// Checks a new PIN and its repetition; returns the PIN as typed (spaces
/// around it removed).
pub fn check_new_pin(pin: &str, again: &str) -> Result<String, PinError> {
    let pin = pin.trim();
    if pin.is_empty() {
        return Err(PinError::Empty);
    }
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(PinError::NotDigits);
    }
    if pin.len() < PIN_MIN {
        return Err(PinError::TooShort);
    }
    if pin.len() > PIN_MAX {
        return Err(PinError::TooLong);
    }
    if guessable(pin) {
        return Err(PinError::Guessable);
    }
    if pin != again.trim() {
        return Err(PinError::Differ);
    }
    Ok(pin.to_owned())
}

/// All one digit, or a run up or down (123456, 654321, 901234…), or two
/// digits alternating (121212).
fn guessable(pin: &str) -> bool {
    let d: Vec<i32> = pin.bytes().map(|b| i32::from(b - b'0')).collect();
    let steps: Vec<i32> = d.windows(2).map(|w| (w[1] - w[0]).rem_euclid(10)).collect();
    let all_same_step = steps.windows(2).all(|w| w[0] == w[1]);
    let one_run = all_same_step && matches!(steps.first(), Some(0 | 1 | 9));
    let alternating = d.len() >= 4 && d.iter().enumerate().all(|(i, x)| *x == d[i % 2]);
    one_run || alternating
}

/// The message shown for a refused PIN.
pub fn pin_error_msg(e: PinError) -> crate::lock::messages::LockMsg {
    use crate::lock::messages::LockMsg as M;
    match e {
        PinError::Empty => M::PinErrEmpty,
        PinError::NotDigits => M::PinErrNotDigits,
        PinError::TooShort => M::PinErrTooShort,
        PinError::TooLong => M::PinErrTooLong,
        PinError::Guessable => M::PinErrGuessable,
        PinError::Differ => M::PinErrDiffer,
    }
}

/// The message of an auto-lock choice.
pub fn minutes_msg(minutes: u32) -> crate::lock::messages::LockMsg {
    use crate::lock::messages::LockMsg as M;
    match minutes {
        1 => M::Minutes1,
        10 => M::Minutes10,
        30 => M::Minutes30,
        _ => M::Minutes5,
    }
}

/// The lock record kept in local storage: everything needed to unwrap the
/// data key with the PIN — and nothing that reveals the PIN or the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockRecord {
    pub v: u32,
    /// PBKDF2 salt (16 bytes, base64).
    pub salt: String,
    pub iterations: u32,
    /// AES-GCM nonce of the wrapping (12 bytes, base64).
    pub iv: String,
    /// The data key encrypted with the PIN key: 32 bytes + 16-byte tag (base64).
    pub wrapped: String,
}

/// Why a lock record cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("unknown lock record version {0}")]
    Version(u32),
    #[error("too few PBKDF2 rounds: {0}")]
    Iterations(u32),
    #[error("bad field {0}")]
    Field(&'static str),
}

/// A lock record's decoded bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockParts {
    pub salt: Vec<u8>,
    pub iterations: u32,
    pub iv: Vec<u8>,
    pub wrapped: Vec<u8>,
}

impl LockRecord {
    /// A record from its parts.
    pub fn new(salt: &[u8], iterations: u32, iv: &[u8], wrapped: &[u8]) -> Self {
        LockRecord {
            v: LOCK_VERSION,
            salt: b64_encode(salt),
            iterations,
            iv: b64_encode(iv),
            wrapped: b64_encode(wrapped),
        }
    }

    /// The decoded parts, checked.
    pub fn parts(&self) -> Result<LockParts, RecordError> {
        if self.v != LOCK_VERSION {
            return Err(RecordError::Version(self.v));
        }
        if self.iterations < MIN_ITERATIONS {
            return Err(RecordError::Iterations(self.iterations));
        }
        let field = |s: &str, name: &'static str, len: usize| {
            b64_decode(s)
                .filter(|b| b.len() == len)
                .ok_or(RecordError::Field(name))
        };
        Ok(LockParts {
            salt: field(&self.salt, "salt", 16)?,
            iterations: self.iterations,
            iv: field(&self.iv, "iv", NONCE_LEN)?,
            wrapped: field(&self.wrapped, "wrapped", 32 + TAG_LEN)?,
        })
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn b64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard padded base64; `None` if it is not.
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if !s.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    for (ci, c) in s.chunks(4).enumerate() {
        let last = ci == s.len() / 4 - 1;
        let pad = c.iter().rev().take_while(|b| **b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for (i, b) in c.iter().enumerate() {
            let v = if i >= 4 - pad {
                0
            } else {
                B64.iter().position(|x| x == b)? as u32
            };
            n |= v << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// What a stored chunk is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Envelope<'a> {
    /// Encrypted: the nonce and the ciphertext with its tag.
    Sealed { nonce: &'a [u8], sealed: &'a [u8] },
    /// Plaintext, written before the lock existed: an Automerge chunk
    /// (it starts with [`AUTOMERGE_MAGIC`]) or an encoded sync state.
    Plain(&'a [u8]),
}

/// Why a stored chunk cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("an encrypted chunk too short to hold a nonce and a tag")]
    Truncated,
}

/// Recognises a stored chunk.
pub fn open_envelope(bytes: &[u8]) -> Result<Envelope<'_>, EnvelopeError> {
    if let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) {
        if rest.len() < NONCE_LEN + TAG_LEN {
            return Err(EnvelopeError::Truncated);
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        return Ok(Envelope::Sealed { nonce, sealed });
    }
    // No Automerge chunk (magic 85 6f 4a 83) nor sync state (first byte
    // 0x43) starts with "YZE1".
    Ok(Envelope::Plain(bytes))
}

/// True if `bytes` is an encrypted chunk.
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Lays out an encrypted chunk: magic, nonce, ciphertext+tag.
pub fn seal_layout(nonce: &[u8; NONCE_LEN], sealed: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(nonce);
    out.extend_from_slice(sealed);
    out
}

/// The associated data of a chunk: its key path, each part followed by a
/// 0 byte (parts never contain one), so a chunk does not decrypt under
/// another key.
pub fn aad(key: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in key {
        out.extend_from_slice(part.as_bytes());
        out.push(0);
    }
    out
}

/// The auto-lock decision: idle for `limit_ms` or longer.
pub fn should_lock(last_activity_ms: f64, now_ms: f64, limit_ms: f64) -> bool {
    now_ms - last_activity_ms >= limit_ms
}

/// The auto-lock setting in minutes, from what is stored (anything but a
/// known choice gives the default).
pub fn lock_after_minutes(stored: Option<u32>) -> u32 {
    stored
        .filter(|m| LOCK_AFTER_CHOICES.contains(m))
        .unwrap_or(LOCK_AFTER_DEFAULT)
}

/// The longest wait between two PIN attempts (a day).
pub const MAX_WAIT_MS: f64 = 86_400_000.0;

/// The wrong-PIN back-off as it is kept (local storage and IndexedDB):
/// wrong PINs in a row and how much of the wait is still left. It holds no
/// wall-clock time, so setting the tablet's clock forward shortens nothing;
/// while the app runs the wait is counted down on a monotonic clock
/// ([`Countdown`]). Time while the app is closed does not count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Backoff {
    /// Wrong PINs in a row.
    pub failures: u32,
    /// Milliseconds still to wait before the next attempt.
    pub left_ms: f64,
}

impl Backoff {
    /// The wait after `failures` wrong PINs in a row: none for the first
    /// [`FREE_ATTEMPTS`], then 30 s, doubling with each further one (capped
    /// at a day).
    pub fn wait_after(failures: u32) -> f64 {
        if failures < FREE_ATTEMPTS {
            return 0.0;
        }
        let doublings = (failures - FREE_ATTEMPTS).min(12);
        (FIRST_WAIT_MS * f64::from(1u32 << doublings)).min(MAX_WAIT_MS)
    }

    /// After one more wrong PIN: the full wait for the new count (never
    /// less than what was left).
    pub fn failed(self) -> Self {
        let failures = self.failures.saturating_add(1);
        Backoff {
            failures,
            left_ms: Self::wait_after(failures).max(self.sane().left_ms),
        }
    }

    /// After `ms` of (monotonic) time passed; a negative or unknown
    /// duration counts as none.
    pub fn elapsed(self, ms: f64) -> Self {
        let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
        let s = self.sane();
        Backoff {
            failures: s.failures,
            left_ms: (s.left_ms - ms).max(0.0),
        }
    }

    /// The stricter of two kept copies (local storage and IndexedDB): the
    /// higher count and the longer wait, so deleting one copy gains nothing.
    pub fn stricter(self, other: Self) -> Self {
        let (a, b) = (self.sane(), other.sane());
        Backoff {
            failures: a.failures.max(b.failures),
            left_ms: a.left_ms.max(b.left_ms),
        }
    }

    /// An edited or damaged wait (not a number, negative, longer than a
    /// day) is read as the full wait for the count.
    pub fn sane(self) -> Self {
        let ok = self.left_ms.is_finite() && (0.0..=MAX_WAIT_MS).contains(&self.left_ms);
        Backoff {
            failures: self.failures,
            left_ms: if ok {
                self.left_ms
            } else {
                Self::wait_after(self.failures)
            },
        }
    }
}

/// The back-off while the app runs: what was kept, and the monotonic time
/// (`performance.now()`, ms) from which it counts down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Countdown {
    kept: Backoff,
    since: f64,
}

impl Countdown {
    /// Starts counting `kept` down from `now` (monotonic ms).
    pub fn new(kept: Backoff, now: f64) -> Self {
        Countdown {
            kept: kept.sane(),
            since: now,
        }
    }

    /// The back-off at `now`: what is left of the wait (to keep, too).
    pub fn at(&self, now: f64) -> Backoff {
        self.kept.elapsed(now - self.since)
    }

    /// Milliseconds left before the next attempt (0: now).
    pub fn remaining_ms(&self, now: f64) -> f64 {
        self.at(now).left_ms
    }

    /// A wrong PIN at `now`: counts it and starts its wait. Returns what to keep.
    pub fn failed(&mut self, now: f64) -> Backoff {
        self.kept = self.at(now).failed();
        self.since = now;
        self.kept
    }

    /// The right PIN: no failures, no wait.
    pub fn clear(&mut self, now: f64) {
        *self = Countdown::new(Backoff::default(), now);
    }
}

/// The kept back-off of the version before [`Backoff`] (a wall-clock time
/// of the last wrong PIN): read as the full wait for its count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
pub struct OldAttempts {
    pub failures: u32,
}

impl From<OldAttempts> for Backoff {
    fn from(a: OldAttempts) -> Self {
        Backoff {
            failures: a.failures,
            left_ms: Backoff::wait_after(a.failures),
        }
    }
}

/// Whole seconds to show for a wait (rounded up).
pub fn wait_secs(ms: f64) -> u64 {
    (ms / 1000.0).ceil().max(0.0) as u64
}

/// What happened to a wiped tablet, kept until the person taps "知道了".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wiped {
    /// When (ms since the epoch).
    pub at: i64,
    /// Why: the server's refusal key (e.g. `access.token.revoked`).
    pub reason: String,
    /// The local data is erased (false while it is being erased).
    #[serde(default)]
    pub erased: bool,
    /// The tablet held edits the server had not confirmed yet: they were
    /// erased with the rest, and the screen says so.
    #[serde(default)]
    pub unsynced: bool,
}

/// The lock record as found at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockFound {
    /// Neither in local storage nor in IndexedDB.
    Missing,
    /// There, but unreadable (bad JSON, version, rounds or field sizes).
    Unusable,
    /// There and well-formed (whether the PIN opens it is for unlocking).
    Present,
}

/// What the tablet holds at start, as far as it is known before the PIN
/// (nothing here is secret).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// The server revoked the tablet (`yanzhen.wiped.v1`).
    pub wiped: bool,
    pub lock: LockFound,
    /// Some record is sealed under a data key: a secret (the enrolment) or
    /// a document chunk. Looked for only when the lock is missing.
    pub sealed: bool,
    /// An enrolment kept in plaintext by a version before the secrets were
    /// sealed (local storage or the `yanzhen-tablet` database).
    pub legacy_enrolment: bool,
}

/// The first screen, from what the tablet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Revoked: say why while the data is erased.
    Wiped,
    /// The PIN opens the data key; nothing else is shown or contacted.
    Locked,
    /// Sealed records (or a damaged lock) but no lock to open them: the
    /// data key is gone for good. The tablet must be enrolled again with a
    /// new code; nothing is offered that would reuse what is there.
    EnrolAgain,
    /// Enrolled by a version from before the lock (a plaintext enrolment,
    /// nothing sealed): set the PIN once, which then seals the enrolment.
    SetPin,
    /// Nothing to protect: not enrolled.
    Fresh,
}

/// Decides the first screen. No sequence of deletions leads from sealed
/// data to a screen that opens it without the PIN: without the lock, sealed
/// data leads to [`Start::EnrolAgain`], which needs a fresh enrolment code
/// for any access to the server, and the token is only ever kept sealed.
pub fn start_screen(f: Found) -> Start {
    if f.wiped {
        return Start::Wiped;
    }
    match f.lock {
        LockFound::Present => Start::Locked,
        LockFound::Unusable => Start::EnrolAgain,
        LockFound::Missing if f.sealed => Start::EnrolAgain,
        LockFound::Missing if f.legacy_enrolment => Start::SetPin,
        LockFound::Missing => Start::Fresh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_rules() {
        assert_eq!(check_new_pin("", ""), Err(PinError::Empty));
        assert_eq!(check_new_pin("12a456", "12a456"), Err(PinError::NotDigits));
        assert_eq!(check_new_pin("٣٤٥٦٧٨", "٣٤٥٦٧٨"), Err(PinError::NotDigits));
        assert_eq!(check_new_pin("20481", "20481"), Err(PinError::TooShort));
        assert_eq!(
            check_new_pin("2048139573015", "2048139573015"),
            Err(PinError::TooLong)
        );
        for easy in [
            "1111111",
            "000000",
            "123456",
            "654321",
            "234567890",
            "901234",
            "121212",
            "989898",
        ] {
            assert_eq!(
                check_new_pin(easy, easy),
                Err(PinError::Guessable),
                "{easy}"
            );
        }
        assert_eq!(check_new_pin("204813", "204831"), Err(PinError::Differ));
        assert_eq!(check_new_pin(" 204813 ", "204813"), Ok("204813".to_owned()));
        assert_eq!(
            check_new_pin("204813957301", "204813957301"),
            Ok("204813957301".to_owned())
        );
        // Not a run: 135791 steps by 2.
        assert!(check_new_pin("135792", "135792").is_ok());
        assert!(check_new_pin("112233", "112233").is_ok());
    }

    #[test]
    fn base64_round_trips_and_matches_the_standard() {
        assert_eq!(b64_encode(b""), "");
        assert_eq!(b64_encode(b"f"), "Zg==");
        assert_eq!(b64_encode(b"fo"), "Zm8=");
        assert_eq!(b64_encode(b"foo"), "Zm9v");
        assert_eq!(b64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(b64_encode(&[0xff, 0xfe, 0xfd, 0x00]), "//79AA==");
        for n in 0..70u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            assert_eq!(b64_decode(&b64_encode(&bytes)), Some(bytes));
        }
        assert_eq!(b64_decode("Zg="), None);
        assert_eq!(b64_decode("Z!=="), None);
        assert_eq!(b64_decode("Zg==Zg=="), None);
    }

    #[test]
    fn lock_record_round_trips_and_refuses_tampering() {
        let r = LockRecord::new(&[7; 16], ITERATIONS, &[9; 12], &[3; 48]);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"iterations\":600000"), "{json}");
        let back: LockRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        let p = back.parts().unwrap();
        assert_eq!(p.salt, vec![7; 16]);
        assert_eq!(p.iv, vec![9; 12]);
        assert_eq!(p.wrapped, vec![3; 48]);
        let weak = LockRecord {
            iterations: 1000,
            ..r.clone()
        };
        assert_eq!(weak.parts(), Err(RecordError::Iterations(1000)));
        let v2 = LockRecord { v: 2, ..r.clone() };
        assert_eq!(v2.parts(), Err(RecordError::Version(2)));
        let short = LockRecord {
            salt: b64_encode(&[1; 8]),
            ..r
        };
        assert_eq!(short.parts(), Err(RecordError::Field("salt")));
    }

    #[test]
    fn envelopes_are_recognised() {
        let nonce = [5u8; NONCE_LEN];
        let sealed = [1u8; 40];
        let bytes = seal_layout(&nonce, &sealed);
        assert!(bytes.starts_with(b"YZE1"));
        assert_eq!(
            open_envelope(&bytes),
            Ok(Envelope::Sealed {
                nonce: &nonce,
                sealed: &sealed
            })
        );
        let plain = [0x85, 0x6f, 0x4a, 0x83, 1, 2, 3];
        assert_eq!(open_envelope(&plain), Ok(Envelope::Plain(&plain)));
        assert_eq!(open_envelope(b"YZE1short"), Err(EnvelopeError::Truncated));
        // A sync state (first byte 0x43) is plaintext too.
        assert_eq!(open_envelope(&[0x43, 1]), Ok(Envelope::Plain(&[0x43, 1])));
        assert!(is_sealed(&bytes));
        assert!(!is_sealed(&plain));
        // A real Automerge chunk starts with the magic the loader expects.
        let mut doc = automerge::AutoCommit::new();
        assert!(doc.save().starts_with(&AUTOMERGE_MAGIC));
    }

    #[test]
    fn associated_data_tells_keys_apart() {
        let k = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_ne!(aad(&k(&["ab", "c"])), aad(&k(&["a", "bc"])));
        assert_ne!(
            aad(&k(&["d", "snapshot", "h1"])),
            aad(&k(&["d", "snapshot", "h2"]))
        );
        assert_eq!(aad(&k(&["d", "x"])), b"d\0x\0".to_vec());
    }

    #[test]
    fn idle_decision() {
        let min = 60_000.0;
        assert!(!should_lock(1_000.0, 60_999.0, min));
        assert!(should_lock(1_000.0, 61_000.0, min));
        assert!(should_lock(0.0, 10.0 * min, 5.0 * min));
        assert_eq!(lock_after_minutes(None), 5);
        assert_eq!(lock_after_minutes(Some(1)), 1);
        assert_eq!(lock_after_minutes(Some(30)), 30);
        assert_eq!(lock_after_minutes(Some(7)), 5);
    }

    #[test]
    fn wrong_pins_back_off() {
        let mut c = Countdown::new(Backoff::default(), 0.0);
        for i in 0..FREE_ATTEMPTS {
            let t = 1_000.0 * f64::from(i);
            assert_eq!(c.remaining_ms(t), 0.0);
            c.failed(t);
        }
        // The fifth wrong PIN was at 4 s: 30 s to wait.
        assert_eq!(c.at(4_000.0).failures, 5);
        assert_eq!(c.remaining_ms(4_000.0), 30_000.0);
        assert_eq!(c.remaining_ms(20_000.0), 14_000.0);
        assert_eq!(c.remaining_ms(34_000.0), 0.0);
        assert_eq!(c.failed(40_000.0).left_ms, 60_000.0);
        assert_eq!(c.failed(100_000.0).left_ms, 120_000.0);
        c.clear(200_000.0);
        assert_eq!(c.at(200_000.0), Backoff::default());
        let many = Backoff {
            failures: 60,
            left_ms: 0.0,
        };
        assert_eq!(Backoff::wait_after(60), MAX_WAIT_MS);
        assert_eq!(many.failed().left_ms, MAX_WAIT_MS);
        assert_eq!(wait_secs(14_001.0), 15);
        assert_eq!(wait_secs(0.0), 0);
        let b = Backoff {
            failures: 6,
            left_ms: 12_345.0,
        };
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<Backoff>(&json).unwrap(), b);
    }

    #[test]
    fn the_wait_counts_elapsed_time_not_the_clock() {
        // Kept with 25 s left; the app starts again: the wait goes on from
        // 25 s on the monotonic clock, whatever the wall clock says.
        let kept = Backoff {
            failures: 5,
            left_ms: 25_000.0,
        };
        let c = Countdown::new(kept, 1_000_000.0);
        assert_eq!(c.remaining_ms(1_000_000.0), 25_000.0);
        assert_eq!(c.remaining_ms(1_010_000.0), 15_000.0);
        // A clock that runs backwards gains nothing.
        assert_eq!(c.remaining_ms(0.0), 25_000.0);
        assert_eq!(kept.elapsed(f64::NAN).left_ms, 25_000.0);
        assert_eq!(kept.elapsed(f64::INFINITY).left_ms, 25_000.0);
        // What is kept as time passes shrinks only by elapsed time.
        assert_eq!(c.at(1_020_000.0).left_ms, 5_000.0);
        assert_eq!(c.at(1_020_000.0).failures, 5);
    }

    #[test]
    fn the_stricter_copy_wins_and_edited_waits_are_full() {
        let ls = Backoff {
            failures: 2,
            left_ms: 0.0,
        };
        let idb = Backoff {
            failures: 6,
            left_ms: 40_000.0,
        };
        // Local storage wiped (default) or older: IndexedDB's copy holds.
        assert_eq!(Backoff::default().stricter(idb), idb);
        assert_eq!(ls.stricter(idb), idb);
        assert_eq!(idb.stricter(ls), idb);
        for bad in [f64::NAN, -1.0, f64::INFINITY, MAX_WAIT_MS * 2.0] {
            let edited = Backoff {
                failures: 5,
                left_ms: bad,
            };
            assert_eq!(edited.sane().left_ms, FIRST_WAIT_MS, "{bad}");
        }
        // The version before kept a wall-clock time: the full wait.
        let old: OldAttempts =
            serde_json::from_str(r#"{"failures":5,"last_ms":1700000000000}"#).unwrap();
        assert_eq!(Backoff::from(old).left_ms, FIRST_WAIT_MS);
    }

    #[test]
    fn the_start_screen_never_reuses_sealed_data_without_the_lock() {
        let f = |wiped, lock, sealed, legacy_enrolment| Found {
            wiped,
            lock,
            sealed,
            legacy_enrolment,
        };
        use LockFound::*;
        for lock in [Missing, Unusable, Present] {
            for sealed in [false, true] {
                for legacy in [false, true] {
                    assert_eq!(start_screen(f(true, lock, sealed, legacy)), Start::Wiped);
                    let s = start_screen(f(false, lock, sealed, legacy));
                    match lock {
                        Present => assert_eq!(s, Start::Locked),
                        // A damaged lock record opens nothing: enrol again.
                        Unusable => assert_eq!(s, Start::EnrolAgain),
                        Missing if sealed => assert_eq!(s, Start::EnrolAgain),
                        Missing if legacy => assert_eq!(s, Start::SetPin),
                        Missing => assert_eq!(s, Start::Fresh),
                    }
                    // Whatever is deleted, sealed data is never opened
                    // by a new PIN.
                    if sealed {
                        assert_ne!(s, Start::SetPin);
                        assert_ne!(s, Start::Fresh);
                    }
                }
            }
        }
    }

    #[test]
    fn wiped_record_reads_without_erased() {
        let w: Wiped = serde_json::from_str(r#"{"at":5,"reason":"access.token.revoked"}"#).unwrap();
        assert!(!w.erased);
        assert!(!w.unsynced);
        assert_eq!(w.reason, "access.token.revoked");
    }
}
