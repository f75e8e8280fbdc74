//! Access control against the real server in-process (demo district, real
//! WebSocket tablets): the role × document × (read, write) matrix; missing,
//! forged and revoked tokens (401 before the upgrade, and a device revoked
//! while connected is disconnected with `access.token.revoked`); expired and
//! reused enrolment codes; rate-limited code guessing; admin endpoints; and
//! `/api/me`. Every wait is bounded.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use yanzhen_testkit::server;
use yanzhen_testkit::tablet;

use std::time::Duration;

use automerge::{ReadDoc as _, ScalarValue, transaction::Transactable as _};
use server::{Server, test_settings};
use tablet::{Tablet, ws_status};
use yanzhen_model::entities::UnitKind;
use yanzhen_server::Role;
use yanzhen_sync::{DocumentId, Effect};

/// The documents of the matrix, seen from a village office of `own`.
struct Docs {
    /// Its unit (village) id, and that unit's township.
    own_unit: String,
    township: String,
    own: DocumentId,
    /// Another village of the same township.
    same_township: DocumentId,
    /// A village of another township.
    other_township: DocumentId,
    district: DocumentId,
}

async fn pick_docs(server: &Server) -> Docs {
    let dir = server.directory().await;
    let villages_of = |t: &str| -> Vec<(String, DocumentId)> {
        dir.units
            .values()
            .filter(|u| u.parent.as_deref() == Some(t) && u.doc.is_some())
            .map(|u| (u.id.clone(), u.doc.unwrap()))
            .collect()
    };
    let townships: Vec<&str> = dir
        .units
        .values()
        .filter(|u| matches!(u.kind, UnitKind::Township | UnitKind::Street))
        .map(|u| u.id.as_str())
        .collect();
    let t1 = townships
        .iter()
        .find(|t| villages_of(t).len() >= 2)
        .expect("a township with two villages");
    let t2 = townships
        .iter()
        .find(|t| *t != t1 && !villages_of(t).is_empty())
        .expect("another township with a village");
    let mine = villages_of(t1);
    Docs {
        own_unit: mine[0].0.clone(),
        township: (*t1).to_owned(),
        own: mine[0].1,
        same_township: mine[1].1,
        other_township: villages_of(t2)[0].1,
        district: dir.district.expect("district document"),
    }
}

fn refused(t: &Tablet, doc: DocumentId, what: &str) -> bool {
    t.saw(|e| matches!(e, Effect::RemoteError { message, .. } if message.contains(what) && message.contains(&doc.to_string())))
}

/// The probe key a write of `who` leaves in a document.
fn probe(who: &str) -> String {
    format!("probe-{who}")
}

async fn stored_has(server: &Server, doc: DocumentId, key: &str) -> bool {
    let am = server.stored(&doc).await.expect("stored document");
    am.get(automerge::ROOT, key).unwrap().is_some()
}

/// What one device can do with one document: (read, write).
/// `who` is the device's role name, which its changes name (with its
/// device id) as the server requires.
pub(crate) async fn check(
    server: &Server,
    device: &server::Enrolled,
    who: &str,
    seed: u8,
    doc: DocumentId,
) -> (bool, bool) {
    let url = device.url.as_str();
    let mut t = Tablet::new(&format!("{who}-{seed}"), seed);
    t.connect(url).await;
    t.find(doc).await;
    t.pump_until("the document or its refusal", |t| {
        !t.heads(&doc).is_empty()
            || t.saw(|e| matches!(e, Effect::DocumentUnavailable { doc: d } if *d == doc))
    })
    .await;
    let read = !t.heads(&doc).is_empty();
    let key = probe(&format!("{who}-{seed}"));
    let write = if read {
        t.change(doc, |am| {
            let mut tx = am.transaction();
            tx.put(automerge::ROOT, &key, ScalarValue::Int(1)).unwrap();
            tx.commit_with(tablet::signed(&device.device_id, who));
        })
        .await;
        // A write the server takes is acknowledged; a refused one may be
        // answered with an `error`, or only ignored (read-only sync state).
        // Either way, once the server answered a later request on the same
        // connection, it has handled what it got. The change itself may
        // come one sync round late (the tablet skips a change the server's
        // Bloom filter falsely claims, until the server asks for it), so
        // the tablet gives it three rounds.
        for round in 0..3u8 {
            let marker =
                DocumentId::from_bytes([seed, round, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            t.find(marker).await;
            t.pump_until("the write to be handled", |t| {
                t.saw(|e| matches!(e, Effect::DocumentUnavailable { doc } if *doc == marker))
            })
            .await;
            if stored_has(server, doc, &key).await {
                break;
            }
        }
        if stored_has(server, doc, &key).await {
            t.sync_to_server(doc).await;
        }
        stored_has(server, doc, &key).await
    } else {
        // Offer our own version of the document, with a change.
        let mut other = Tablet::new(&format!("{who}-{seed}-w"), seed.wrapping_add(100));
        other.connect(url).await;
        let mut am = automerge::AutoCommit::new();
        am.put(automerge::ROOT, &key, ScalarValue::Int(1)).unwrap();
        other.add(doc, am.document().clone()).await;
        other
            .pump_until("the write to be refused", |t| {
                refused(t, doc, "access denied")
            })
            .await;
        assert!(other.is_connected());
        stored_has(server, doc, &key).await
    };
    assert!(t.is_connected(), "{who}: refusals do not disconnect");
    (read, write)
}

#[tokio::test]
async fn role_document_matrix() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), true).await;
    let d = pick_docs(&server).await;
    let village = server
        .enrol(Role::Village, Some(&d.own_unit), "village")
        .await;
    let township = server
        .enrol(Role::Township, Some(&d.township), "township")
        .await;
    let admin = server.enrol(Role::Admin, None, "admin").await;
    let viewer = server.enrol(Role::Viewer, None, "viewer").await;
    let docs = [
        ("own unit", d.own),
        ("same township", d.same_township),
        ("other township", d.other_township),
        ("district", d.district),
    ];
    let (rw, r, none) = ((true, true), (true, false), (false, false));
    let matrix = [
        ("village", &village, [rw, none, none, r]),
        ("township", &township, [rw, rw, none, r]),
        ("admin", &admin, [rw, rw, rw, rw]),
        ("viewer", &viewer, [r, r, r, r]),
    ];
    let mut seed = 1u8;
    let mut failures = Vec::new();
    for (who, device, expected) in matrix {
        for ((what, doc), want) in docs.iter().zip(expected) {
            seed += 1;
            let got = check(&server, device, who, seed, *doc).await;
            if got != want {
                failures.push(format!(
                    "{who} × {what}: (read, write) = {got:?}, expected {want:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    server.stop().await;
}

/// The refusal of a WebSocket to `url` (status and body); fails the test
/// if it upgraded.
async fn ws_refusal(url: &str) -> (u16, String) {
    let refusal = ws_status(url).await;
    assert_ne!(refusal.0, 101, "{url}: upgraded without a valid token");
    refusal
}

#[tokio::test]
async fn sync_needs_a_valid_token_and_revocation_disconnects() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), true).await;
    let (status, body) = ws_refusal(&server.sync_base).await;
    assert_eq!(status, 401);
    assert!(body.contains("access.token.missing"), "{body}");
    let (status, body) = ws_refusal(&format!("{}?token=yz_forged", server.sync_base)).await;
    assert_eq!(status, 401);
    assert!(body.contains("access.token.unknown"), "{body}");

    // Revoked through the admin API while connected: disconnected at once.
    let d = pick_docs(&server).await;
    let device = server
        .enrol(Role::Village, Some(&d.own_unit), "to revoke")
        .await;
    let mut t = Tablet::new("revoked", 1);
    t.connect(&device.url).await;
    t.find(d.own).await;
    t.pump_until("the unit document", |t| !t.heads(&d.own).is_empty())
        .await;
    let (status, _) = server
        .call(
            "POST",
            &format!("/api/admin/devices/{}/revoke", device.device_id),
            Some(&server.admin_token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    t.pump_until("the revocation", |t| !t.is_connected()).await;
    assert!(
        t.saw(|e| matches!(e, Effect::RemoteError { message, .. } if message == "access.token.revoked")),
        "{:?}",
        t.seen
    );
    assert_eq!(t.closed.as_deref(), Some("access.token.revoked"));
    let (status, body) = ws_refusal(&device.url).await;
    assert_eq!(status, 401);
    assert!(body.contains("access.token.revoked"), "{body}");

    // Revoked by the CLI (straight in the database): the server notices.
    let device = server.enrol(Role::Viewer, None, "cli revoked").await;
    let mut t = Tablet::new("cli-revoked", 2);
    t.connect(&device.url).await;
    assert!(server.auth.revoke(&device.device_id).await.unwrap());
    let started = std::time::Instant::now();
    t.pump_until("the revocation", |t| !t.is_connected()).await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(t.closed.as_deref(), Some("access.token.revoked"));

    // Native clients may use the Authorization header instead.
    let admin = server.enrol(Role::Admin, None, "native").await;
    let mut req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        server.sync_base.as_str(),
    )
    .unwrap();
    req.headers_mut().insert(
        "Authorization",
        format!("Bearer {}", admin.token).parse().unwrap(),
    );
    tokio_tungstenite::connect_async(req)
        .await
        .expect("bearer header accepted");
    server.stop().await;
}

/// A code the admin issues for `request` through `/api/admin/codes`.
async fn issue_code(server: &Server, request: serde_json::Value) -> String {
    let (status, code) = server
        .call(
            "POST",
            "/api/admin/codes",
            Some(&server.admin_token),
            Some(request),
        )
        .await;
    assert_eq!(status, 200, "{code}");
    code["code"].as_str().unwrap().to_owned()
}

fn enrol_body(code: &str, name: &str) -> serde_json::Value {
    serde_json::json!({ "code": code, "deviceName": name })
}

async fn device_count(server: &Server) -> usize {
    server.auth.devices().await.unwrap().len()
}

#[tokio::test]
async fn enrolment_codes_are_single_use_expiring_and_rate_limited() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), true).await;
    let d = pick_docs(&server).await;

    // The admin issues a code; a tablet enrols with it as typed (lower
    // case, spaces) and gets its documents.
    let code = issue_code(
        &server,
        serde_json::json!({"role": "village", "unitId": d.own_unit, "expiresHours": 24}),
    )
    .await;
    let typed = code.to_lowercase().replace('-', " ");
    let (status, me) = server
        .call(
            "POST",
            "/api/enrol",
            None,
            Some(enrol_body(&typed, "村平板")),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["role"], "village");
    assert_eq!(me["unitId"], d.own_unit.as_str());
    assert_eq!(me["districtDocumentId"], d.district.to_string());
    let token = me["token"].as_str().unwrap().to_owned();
    let docs = me["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert!(docs.contains(&serde_json::json!({
        "documentId": d.district.to_string(), "access": "read", "unitId": null, "name": null,
        "districtId": "yancheng"
    })));
    assert_eq!(me["districtId"], "yancheng");
    assert!(
        docs.iter()
            .any(|x| x["documentId"] == d.own.to_string() && x["access"] == "write")
    );

    // /api/me: the same, without the token; 401s with reasons.
    let (status, again) = server.call("GET", "/api/me", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(again["deviceId"], me["deviceId"]);
    assert_eq!(again["documents"], me["documents"]);
    assert!(again.get("token").is_none());
    assert_eq!(
        server.call("GET", "/api/me", None, None).await,
        (401, serde_json::json!({"error": "access.token.missing"}))
    );
    assert_eq!(
        server.call("GET", "/api/me", Some("yz_forged"), None).await,
        (401, serde_json::json!({"error": "access.token.unknown"}))
    );

    // Reused: refused, nothing created.
    let before = device_count(&server).await;
    assert_eq!(
        server
            .call("POST", "/api/enrol", None, Some(enrol_body(&code, "again")))
            .await,
        (400, serde_json::json!({"error": "access.code.used"}))
    );
    // Expired: refused, nothing created.
    let old = issue_code(&server, serde_json::json!({"role": "viewer"})).await;
    server
        .auth
        .set_code_expiry(&old, yanzhen_server::auth::now_ms() - 1)
        .await
        .unwrap();
    assert_eq!(
        server
            .call("POST", "/api/enrol", None, Some(enrol_body(&old, "late")))
            .await,
        (400, serde_json::json!({"error": "access.code.expired"}))
    );
    assert_eq!(device_count(&server).await, before);

    // Guessing from one address: 5 failures, then 429 with Retry-After,
    // even for a correct code; another address still enrols.
    let fresh = issue_code(&server, serde_json::json!({"role": "viewer"})).await;
    let guess = |code: &'static str| enrol_body(code, "guesser");
    for _ in 0..5 {
        let (status, _, body) = server
            .request(
                "127.0.0.2",
                "POST",
                "/api/enrol",
                &[],
                Some(&guess("22222-22222")),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("access.code.invalid"));
    }
    let (status, headers, body) = server
        .request(
            "127.0.0.2",
            "POST",
            "/api/enrol",
            &[],
            Some(&enrol_body(&fresh, "guesser")),
        )
        .await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("access.enrol.rate_limited"));
    let retry: u64 = headers
        .iter()
        .find(|(k, _)| k == "retry-after")
        .map(|(_, v)| v.parse().unwrap())
        .expect("Retry-After");
    assert!((1..=600).contains(&retry), "{retry}");
    let (status, _, body) = server
        .request(
            "127.0.0.3",
            "POST",
            "/api/enrol",
            &[],
            Some(&enrol_body(&fresh, "honest")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    server.stop().await;
}

#[tokio::test]
async fn admin_endpoints_are_for_admins_only() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), true).await;
    let d = pick_docs(&server).await;
    let viewer = server.enrol(Role::Viewer, None, "viewer").await;
    let village = server
        .enrol(Role::Village, Some(&d.own_unit), "village")
        .await;
    let code_req = serde_json::json!({"role": "admin"});
    for token in [&viewer.token, &village.token] {
        let forbidden = (403, serde_json::json!({"error": "access.forbidden"}));
        assert_eq!(
            server
                .call(
                    "POST",
                    "/api/admin/codes",
                    Some(token),
                    Some(code_req.clone())
                )
                .await,
            forbidden
        );
        assert_eq!(
            server
                .call("GET", "/api/admin/devices", Some(token), None)
                .await,
            forbidden
        );
        assert_eq!(
            server
                .call(
                    "POST",
                    &format!("/api/admin/devices/{}/revoke", village.device_id),
                    Some(token),
                    None
                )
                .await,
            forbidden
        );
    }
    assert_eq!(
        server.call("GET", "/api/admin/devices", None, None).await.0,
        401
    );
    // The admin sees the devices (no secrets) and can revoke.
    let (status, list) = server
        .call("GET", "/api/admin/devices", Some(&server.admin_token), None)
        .await;
    assert_eq!(status, 200);
    let list = list["devices"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(!list.iter().any(|d| d.to_string().contains("yz_")));
    assert!(
        list.iter()
            .any(|x| x["deviceId"] == village.device_id.as_str()
                && x["role"] == "village"
                && x["unitId"] == d.own_unit.as_str()
                && x["revokedAt"].is_null())
    );
    // A bad code request and an unknown device.
    assert_eq!(
        server
            .call(
                "POST",
                "/api/admin/codes",
                Some(&server.admin_token),
                Some(serde_json::json!({"role": "village", "unitId": "nope"}))
            )
            .await
            .0,
        400
    );
    assert_eq!(
        server
            .call(
                "POST",
                "/api/admin/devices/nope/revoke",
                Some(&server.admin_token),
                None
            )
            .await
            .0,
        404
    );
    server.stop().await;
}

/// The admin calls check who asks before they read the body: without a
/// valid admin token a malformed body is refused as unauthorised, never
/// parsed; an admin's malformed body is refused as malformed.
#[tokio::test]
async fn admin_calls_check_the_token_before_the_body() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), true).await;
    let bad = serde_json::json!({"role": 5});
    assert_eq!(
        server
            .call("POST", "/api/admin/codes", None, Some(bad.clone()))
            .await,
        (401, serde_json::json!({"error": "access.token.missing"}))
    );
    assert_eq!(
        server
            .call(
                "POST",
                "/api/admin/codes",
                Some("yz_forged"),
                Some(bad.clone())
            )
            .await,
        (401, serde_json::json!({"error": "access.token.unknown"}))
    );
    let (status, _) = server
        .call(
            "POST",
            "/api/admin/codes",
            Some(server.admin_token.as_str()),
            Some(bad),
        )
        .await;
    assert_eq!(status, 422);
    let before = server.auth.devices().await.unwrap().len();
    assert_eq!(
        server
            .call("POST", "/api/admin/devices/nobody/revoke", None, None)
            .await
            .0,
        401
    );
    assert_eq!(server.auth.devices().await.unwrap().len(), before);
}
