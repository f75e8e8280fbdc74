//! WebCrypto (`crypto.subtle`) for the lock: PBKDF2-HMAC-SHA256 turns the
//! PIN into a key that wraps the random data key (AES-256-GCM); the data
//! key (a non-extractable `CryptoKey`) seals and opens IndexedDB chunks.
//! While unlocked the data key is held here, in memory only ([`set_key`],
//! [`key`], [`forget_key`]); it is never written anywhere.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use super::{Envelope, ITERATIONS, LockRecord, NONCE_LEN, open_envelope, seal_layout};

/// Associated data of the wrapped data key.
const WRAP_AAD: &[u8] = b"yanzhen.lock.v1";

/// Why a crypto step failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The browser has no WebCrypto (e.g. not a secure context).
    #[error("WebCrypto is not available")]
    Unavailable,
    /// The GCM tag did not verify: wrong PIN, wrong key or altered bytes.
    #[error("the key does not open this data")]
    WrongKey,
    /// The lock record or a chunk is malformed.
    #[error("unreadable: {0}")]
    Malformed(String),
    /// Any other WebCrypto failure.
    #[error("WebCrypto: {0}")]
    Failed(String),
}

thread_local! {
    static DEK: RefCell<Option<CryptoKey>> = const { RefCell::new(None) };
}

/// Keeps the data key in memory (after unlocking or creating the lock).
pub fn set_key(key: CryptoKey) {
    DEK.with(|k| *k.borrow_mut() = Some(key));
}

/// The data key, while unlocked.
pub fn key() -> Option<CryptoKey> {
    DEK.with(|k| k.borrow().clone())
}

/// Forgets the data key (locking).
pub fn forget_key() {
    DEK.with(|k| *k.borrow_mut() = None);
}

fn subtle() -> Result<SubtleCrypto, CryptoError> {
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or(CryptoError::Unavailable)?;
    let subtle = crypto.subtle();
    if subtle.is_undefined() || subtle.is_null() {
        return Err(CryptoError::Unavailable);
    }
    Ok(subtle)
}

fn failed(e: JsValue) -> CryptoError {
    let name = Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    if name == "OperationError" {
        return CryptoError::WrongKey;
    }
    let message = Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    CryptoError::Failed(format!("{name}: {message}"))
}

/// Random bytes from `crypto.getRandomValues`.
pub fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut b = [0u8; N];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or(CryptoError::Unavailable)?
        .get_random_values_with_u8_array(&mut b)
        .map_err(failed)?;
    Ok(b)
}

fn obj(pairs: &[(&str, &JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

fn usages(list: &[&str]) -> JsValue {
    list.iter()
        .map(|s| JsValue::from_str(s))
        .collect::<Array>()
        .into()
}

fn gcm(iv: &[u8], aad: &[u8]) -> Object {
    obj(&[
        ("name", &"AES-GCM".into()),
        ("iv", &Uint8Array::from(iv).into()),
        ("additionalData", &Uint8Array::from(aad).into()),
    ])
}

async fn call(p: Result<js_sys::Promise, JsValue>) -> Result<JsValue, CryptoError> {
    JsFuture::from(p.map_err(failed)?).await.map_err(failed)
}

/// The key derived from `pin` (PBKDF2-HMAC-SHA256, `iterations` rounds).
async fn pin_key(pin: &str, salt: &[u8], iterations: u32) -> Result<CryptoKey, CryptoError> {
    let s = subtle()?;
    let raw = Uint8Array::from(pin.as_bytes());
    let base: CryptoKey =
        call(s.import_key_with_str("raw", &raw, "PBKDF2", false, &usages(&["deriveKey"])))
            .await?
            .unchecked_into();
    let params = obj(&[
        ("name", &"PBKDF2".into()),
        ("salt", &Uint8Array::from(salt).into()),
        ("iterations", &iterations.into()),
        ("hash", &"SHA-256".into()),
    ]);
    let aes = obj(&[("name", &"AES-GCM".into()), ("length", &256.into())]);
    Ok(call(s.derive_key_with_object_and_object(
        &params,
        &base,
        &aes,
        false,
        &usages(&["encrypt", "decrypt"]),
    ))
    .await?
    .unchecked_into())
}

/// Which way AES-GCM runs.
#[derive(Clone, Copy)]
enum Gcm {
    Encrypt,
    /// [`CryptoError::WrongKey`] when the tag fails.
    Decrypt,
}

/// AES-GCM encryption or decryption of `data` under `key`.
async fn aes_gcm(
    way: Gcm,
    key: &CryptoKey,
    iv: &[u8],
    aad: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let s = subtle()?;
    let params = gcm(iv, aad);
    let promise = match way {
        Gcm::Encrypt => s.encrypt_with_object_and_u8_array(&params, key, data),
        Gcm::Decrypt => s.decrypt_with_object_and_u8_array(&params, key, data),
    };
    let out = call(promise).await?;
    Ok(Uint8Array::new(&out).to_vec())
}

/// Imports raw data-key bytes as a non-extractable AES-GCM key.
pub async fn import_data_key(raw: &[u8]) -> Result<CryptoKey, CryptoError> {
    let s = subtle()?;
    Ok(call(s.import_key_with_str(
        "raw",
        &Uint8Array::from(raw),
        "AES-GCM",
        false,
        &usages(&["encrypt", "decrypt"]),
    ))
    .await?
    .unchecked_into())
}

/// Wraps `raw` (the data key) with a key from `pin` and fresh salt and nonce.
async fn wrap(pin: &str, raw: &[u8]) -> Result<LockRecord, CryptoError> {
    let salt = random::<16>()?;
    let iv = random::<NONCE_LEN>()?;
    let kek = pin_key(pin, &salt, ITERATIONS).await?;
    let wrapped = aes_gcm(Gcm::Encrypt, &kek, &iv, WRAP_AAD, raw).await?;
    Ok(LockRecord::new(&salt, ITERATIONS, &iv, &wrapped))
}

/// The raw data key, unwrapped with `pin` ([`CryptoError::WrongKey`] if the
/// PIN is wrong).
async fn unwrap(record: &LockRecord, pin: &str) -> Result<Vec<u8>, CryptoError> {
    let p = record
        .parts()
        .map_err(|e| CryptoError::Malformed(e.to_string()))?;
    let kek = pin_key(pin, &p.salt, p.iterations).await?;
    aes_gcm(Gcm::Decrypt, &kek, &p.iv, WRAP_AAD, &p.wrapped).await
}

/// A new lock: a random data key wrapped with `pin`. Returns the record
/// to keep and the data key to use.
pub async fn create_lock(pin: &str) -> Result<(LockRecord, CryptoKey), CryptoError> {
    let mut raw = random::<32>()?;
    let record = wrap(pin, &raw).await;
    let key = import_data_key(&raw).await;
    raw.fill(0);
    Ok((record?, key?))
}

/// The data key of `record`, if `pin` is right.
pub async fn unlock(record: &LockRecord, pin: &str) -> Result<CryptoKey, CryptoError> {
    let mut raw = unwrap(record, pin).await?;
    let key = import_data_key(&raw).await;
    raw.fill(0);
    key
}

/// The same data key wrapped with `new_pin` (fresh salt and nonce), if
/// `old_pin` is right. The chunks stay as they are.
pub async fn rewrap(
    record: &LockRecord,
    old_pin: &str,
    new_pin: &str,
) -> Result<LockRecord, CryptoError> {
    let mut raw = unwrap(record, old_pin).await?;
    let out = wrap(new_pin, &raw).await;
    raw.fill(0);
    out
}

/// Seals a chunk stored under `key_path`: `YZE1 ‖ nonce ‖ ciphertext+tag`.
pub async fn seal(key: &CryptoKey, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let nonce = random::<NONCE_LEN>()?;
    let sealed = aes_gcm(Gcm::Encrypt, key, &nonce, aad, plain).await?;
    Ok(seal_layout(&nonce, &sealed))
}

/// Opens a stored chunk: a sealed one with `key` (none: locked →
/// [`CryptoError::WrongKey`]), a plaintext Automerge chunk as it is.
pub async fn open(
    key: Option<&CryptoKey>,
    aad: &[u8],
    bytes: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    match open_envelope(bytes).map_err(|e| CryptoError::Malformed(e.to_string()))? {
        Envelope::Plain(p) => Ok(p.to_vec()),
        Envelope::Sealed { nonce, sealed } => {
            let key = key.ok_or(CryptoError::WrongKey)?;
            aes_gcm(Gcm::Decrypt, key, nonce, aad, sealed).await
        }
    }
}
