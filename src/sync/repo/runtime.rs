//! The browser around [`RepoState`]: turns callbacks (IndexedDB, the
//! WebSocket, the one-second timer, online/offline, the enrolment signal,
//! finished HTTP calls) into [`Input`]s and carries out the [`Action`]s it
//! answers. No decisions here: what to do is the state's.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use automerge::Automerge;
use gloo_storage::{LocalStorage as BrowserStorage, Storage as _};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use yanzhen_sync::attest::{Attestation, DistrictKeys};
use yanzhen_sync::{Config, ConnectionId, DocumentId, PeerId, PeerMetadata, StorageId, SyncNode};

use super::super::api::{self, ApiError};
use super::super::idb::{IdbStore, StorageError};
use super::super::status::{Bootstrap, IDENTITY_KEY, Problem, SyncIdentity};
use super::super::transfer::{self, ImportPreview, TransferError};
use super::super::ws::{Socket, http_base};
use super::SyncContext;
use super::action::Action;
use super::input::Input;
use super::state::RepoState;
use crate::access::device::Refusal;
use crate::settings::Settings;

pub type Shared = Rc<RefCell<Runtime>>;

/// The state and the browser objects its actions work on.
pub struct Runtime {
    pub state: RepoState,
    store: Option<IdbStore>,
    socket: Option<(ConnectionId, Socket)>,
    ctx: SyncContext,
    identity: SyncIdentity,
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    let ok = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
    if !ok {
        for x in b.iter_mut() {
            *x = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    b
}

fn random_unit() -> f64 {
    f64::from(u32::from_le_bytes(random_bytes::<4>())) / 4_294_967_296.0
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The server's HTTP base URL: the setting, or the page's origin.
fn server_base(configured: Option<String>) -> String {
    let base = configured.unwrap_or_else(|| {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    });
    http_base(&base)
}

/// Hands one input to the state and carries out what it answers.
pub fn dispatch(shared: &Shared, input: Input) {
    let actions = shared.borrow_mut().state.on(now(), input);
    perform(shared, actions);
}

/// The context (signals are set with the runtime not borrowed).
fn ctx(shared: &Shared) -> SyncContext {
    shared.borrow().ctx
}

fn problem(shared: &Shared, p: Problem) {
    dispatch(shared, Input::Problem(p));
}

/// Carries out actions in order (the state is not borrowed meanwhile).
fn perform(shared: &Shared, actions: Vec<Action>) {
    for action in actions {
        match action {
            Action::Send { conn, bytes } => {
                if let Some((c, s)) = &shared.borrow().socket
                    && *c == conn
                {
                    s.send(&bytes);
                }
            }
            Action::Close { conn } => {
                if let Some((c, s)) = &shared.borrow().socket
                    && *c == conn
                {
                    s.close();
                }
            }
            Action::Drop { conn } => {
                let mut r = shared.borrow_mut();
                if r.socket.as_ref().is_some_and(|(c, _)| *c == conn) {
                    // Not dropped inside its own close handler: later.
                    let old = r.socket.take();
                    spawn_local(async move { drop(old) });
                }
            }
            Action::Connect { conn, url } => connect(shared, conn, &url),
            Action::Load { doc } => spawn_local(load(shared.clone(), doc)),
            Action::Write { doc: _, ops } => spawn_local(write(shared.clone(), ops)),
            Action::OpenStore => spawn_local(open_store(shared.clone())),
            Action::ForgetStore => shared.borrow_mut().store = None,
            Action::Bootstrap { base } => spawn_local(bootstrap(shared.clone(), base)),
            Action::CheckToken { base, token } => {
                spawn_local(check_token(shared.clone(), base, token))
            }
            Action::Attest { digest } => {
                let shared = shared.clone();
                spawn_local(async move {
                    let ctx = shared.borrow().ctx;
                    if let Ok(keys) = ctx.file_keys() {
                        let _ = attestations(&shared, &keys).await;
                    }
                    dispatch(&shared, Input::Attested { digest });
                });
            }
            Action::PassOn { base, token } => {
                let shared = shared.clone();
                spawn_local(async move {
                    pass_on(&shared, &base, &token).await;
                    dispatch(&shared, Input::PassedOn);
                });
            }
            Action::KeepDistrict(district) => {
                let mut r = shared.borrow_mut();
                r.identity.district_document_id = district.map(|d| d.to_string());
                let _ = BrowserStorage::set(IDENTITY_KEY, &r.identity);
            }
            Action::Rows(rows) => ctx(shared).docs.set(rows),
            Action::Connection(c) => ctx(shared).connection.set(c),
            Action::Problem(p) => ctx(shared).last_error.set(p),
            Action::DocsLoaded => {
                ctx(shared).docs_loaded.set(true);
                super::performance_mark(super::DOCS_LOADED_MARK);
            }
            Action::Revoked { unsynced } => {
                crate::lock::actions::revoked("access.token.revoked", unsynced)
            }
            Action::KeepRelay { file } => {
                let shared = shared.clone();
                spawn_local(async move {
                    let name = transfer::relay_name(&file);
                    match crate::lock::store::keep_pending_relay(&name, &file).await {
                        Ok(()) => dispatch(&shared, Input::RelayKept),
                        Err(e) => problem(&shared, Problem::Storage(e.into())),
                    }
                });
            }
        }
    }
}

fn connect(shared: &Shared, conn: ConnectionId, url: &str) {
    let (s1, s2, s3) = (shared.clone(), shared.clone(), shared.clone());
    let socket = Socket::open(
        url,
        move || dispatch(&s1, Input::Opened { conn }),
        move |bytes| dispatch(&s2, Input::Received { conn, bytes }),
        move |_reason| {
            let random = random_unit();
            dispatch(&s3, Input::Closed { conn, random })
        },
    );
    match socket {
        Ok(s) => {
            let old = shared.borrow_mut().socket.replace((conn, s));
            drop(old);
        }
        Err(_) => {
            let random = random_unit();
            dispatch(shared, Input::Closed { conn, random });
        }
    }
}

async fn load(shared: Shared, doc: DocumentId) {
    let store = shared.borrow().store.clone();
    let chunks = match store {
        Some(s) => s.load_chunks_checked(&doc).await.map(|(c, d)| (c, d.len())),
        None => Ok((Vec::new(), 0)),
    };
    dispatch(&shared, Input::Loaded { doc, chunks });
}

async fn write(shared: Shared, ops: Vec<yanzhen_sync::StorageOp>) {
    let store = shared.borrow().store.clone();
    let result = match store {
        Some(s) => s.apply(ops).await,
        None => Err(StorageError::Unavailable(
            "IndexedDB is not open".to_owned(),
        )),
    };
    match result {
        Ok(()) => dispatch(&shared, Input::Written),
        Err(e) => dispatch(&shared, Input::WriteFailed(e)),
    }
}

async fn open_store(shared: Shared) {
    let result = match IdbStore::open_default().await {
        Ok(s) => {
            shared.borrow_mut().store = Some(s);
            Ok(())
        }
        Err(e) => Err(e),
    };
    dispatch(&shared, Input::StoreOpened(result));
}

async fn fetch_bootstrap(base: &str) -> Result<Bootstrap, String> {
    if crate::settings::check_server_url(base).is_err() {
        return Err(format!("{base}: not https"));
    }
    let window = web_sys::window().ok_or("no window")?;
    let url = format!("{base}/api/bootstrap");
    let resp = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|e| format!("{url}: {}", crate::sync::js_error_text(&e)))?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|e| crate::sync::js_error_text(&e))?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|e| crate::sync::js_error_text(&e))?)
        .await
        .map_err(|e| crate::sync::js_error_text(&e))?
        .as_string()
        .unwrap_or_default();
    Bootstrap::parse(&text)
}

async fn bootstrap(shared: Shared, base: String) {
    let result = fetch_bootstrap(&base).await.and_then(|b| b.district());
    dispatch(&shared, Input::Bootstrapped(result));
}

/// `GET /api/me`: a refused token stops the link (the state decides); an
/// answer updates the device info and the district keys.
async fn check_token(shared: Shared, base: String, token: String) {
    match api::me(&base, &token).await {
        Err(ApiError::Refused { status: 401, key }) => {
            let refusal = Refusal::from_key(&key).unwrap_or(Refusal::Unknown);
            dispatch(&shared, Input::TokenRefused { token, refusal });
        }
        Ok(me) => {
            let ctx = shared.borrow().ctx;
            let updated = ctx.enrolment.with_untracked(|e| {
                e.as_ref()
                    .filter(|e| e.token == token)
                    .and_then(|e| e.refreshed(me))
            });
            if let Some(updated) = updated {
                // Sealed under the data key before it is used; fails
                // (and is asked again next time) while locked.
                let _ = ctx.enrol(updated).await;
            }
        }
        Err(_) => {}
    }
}

/// `POST /api/relay` for every kept carried file, oldest first: a file
/// the server took (whatever it decided for each vouch) or refused is
/// forgotten; a network failure stops here and keeps the rest for the
/// next connection. The makers' edits then come back through sync.
async fn pass_on(shared: &Shared, base: &str, token: &str) {
    for name in crate::lock::store::pending_relays().await {
        let Some(file) = crate::lock::store::pending_relay(&name).await else {
            let _ = crate::lock::store::forget_pending_relay(&name).await;
            continue;
        };
        match api::relay(base, token, file).await {
            Ok(_) | Err(ApiError::Refused { .. }) => {
                if let Err(e) = crate::lock::store::forget_pending_relay(&name).await {
                    problem(shared, Problem::Storage(e.into()));
                }
            }
            Err(_) => break,
        }
    }
}

/// See [`SyncContext::encrypt_stored`].
pub async fn encrypt_stored(shared: Shared) {
    let store = shared.borrow().store.clone();
    let store = match store {
        Some(s) => s,
        None => match IdbStore::open_default().await {
            Ok(s) => s,
            Err(e) => return problem(&shared, Problem::Storage(e)),
        },
    };
    if let Err(e) = store.encrypt_plaintext().await {
        problem(&shared, Problem::Storage(e));
    }
}

/// The person asked to reconnect now.
pub fn retry_now(shared: &Shared) {
    dispatch(shared, Input::Online);
}

/// See [`SyncContext::change`].
pub fn change<R>(
    shared: &Shared,
    id: DocumentId,
    f: impl FnOnce(&mut Automerge) -> R,
) -> Result<R, yanzhen_sync::Error> {
    let (r, actions) = shared.borrow_mut().state.change(now(), id, f)?;
    perform(shared, actions);
    Ok(r)
}

/// See [`SyncContext::import_file`].
pub fn import(
    shared: &Shared,
    bytes: &[u8],
    keys: &DistrictKeys,
    apply: bool,
) -> Result<ImportPreview, TransferError> {
    let (result, actions) = shared.borrow_mut().state.import(now(), bytes, keys, apply);
    perform(shared, actions);
    result
}

/// The attestations to put in an export: the kept ones, with fresh ones
/// from the server first when connected (kept for later).
pub async fn attestations(shared: &Shared, keys: &DistrictKeys) -> Vec<Attestation> {
    let kept = crate::lock::store::attestations().await;
    let ask = shared.borrow().state.attest_request();
    let Some((base, token, ids)) = ask else {
        return transfer::newest_attestations(kept, Vec::new(), &keys.server_key);
    };
    match api::attest(&base, &token, &ids).await {
        Ok(fresh) => {
            let newest = transfer::newest_attestations(kept, fresh, &keys.server_key);
            if let Err(e) = crate::lock::store::keep_attestations(&newest).await {
                problem(shared, Problem::Storage(e.into()));
            }
            newest
        }
        Err(_) => transfer::newest_attestations(kept, Vec::new(), &keys.server_key),
    }
}

fn identity() -> SyncIdentity {
    let mut id: SyncIdentity = BrowserStorage::get(IDENTITY_KEY).unwrap_or_default();
    if id.storage_id.is_none() {
        id.storage_id = Some(
            StorageId::from_random(random_bytes::<16>())
                .as_str()
                .to_owned(),
        );
        let _ = BrowserStorage::set(IDENTITY_KEY, &id);
    }
    id
}

/// Starts the repo: identity, node, timers and events, then IndexedDB.
pub fn start(ctx: SyncContext, settings: RwSignal<Settings>) {
    let identity = identity();
    let storage_id = StorageId::new(identity.storage_id.clone().unwrap_or_default());
    let peer = PeerId::from_random("tablet", &random_bytes::<8>());
    let session: [u8; 8] = random_bytes();
    let mut config = Config::client(peer.clone(), PeerMetadata::durable(storage_id));
    config.storage = true;
    config.session_id = yanzhen_sync::SessionId::new(format!(
        "{peer}-{}",
        session
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    ));
    let district = identity
        .district_document_id
        .as_deref()
        .and_then(|s| s.parse::<DocumentId>().ok());
    let base = server_base(settings.with_untracked(|s| s.server_url.clone()));
    let shared: Shared = Rc::new(RefCell::new(Runtime {
        state: RepoState::new(SyncNode::new(config), base),
        store: None,
        socket: None,
        ctx,
        identity,
    }));
    ctx.repo.set_value(Some(shared.clone()));
    ctx.now.set(now());

    // Timers and network events live as long as the app.
    let s = shared.clone();
    let _ = set_interval_with_handle(
        move || {
            ctx.now.set(now());
            dispatch(&s, Input::Tick);
        },
        Duration::from_secs(1),
    );
    let s = shared.clone();
    std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
        dispatch(&s, Input::Online)
    }));
    let s = shared.clone();
    std::mem::forget(window_event_listener(leptos::ev::offline, move |_| {
        dispatch(&s, Input::Offline)
    }));

    spawn_local(async move {
        if let Ok(storage) = window().navigator().storage().persist() {
            let _ = JsFuture::from(storage).await;
        }
    });

    // The server setting, as it changes.
    let s = shared.clone();
    leptos::prelude::Effect::new(move |_| {
        let base = server_base(settings.with(|s| s.server_url.clone()));
        dispatch(&s, Input::Server { base });
    });
    // Enrolling (again) restarts the link with the new token.
    let s = shared.clone();
    leptos::prelude::Effect::new(move |_| {
        let enrolment = ctx.enrolment.get();
        dispatch(
            &s,
            Input::Enrolment {
                online: online(),
                enrolment,
            },
        );
    });

    spawn_local(async move {
        let enrolment = ctx.enrolment.get_untracked();
        let (store_open, stored) = match IdbStore::open_default().await {
            Ok(store) => {
                let ids = store.document_ids().await;
                shared.borrow_mut().store = Some(store);
                (true, ids)
            }
            Err(e) => (false, Err(e)),
        };
        dispatch(
            &shared,
            Input::Started {
                online: online(),
                store_open,
                stored,
                enrolment,
                district,
            },
        );
    });
}
