//! Sealed `.yanzhen` files against the real server in-process (demo
//! district), issue 14's attacks sent for real:
//!
//! 1. **honest relay**: village A syncs the district document, asks
//!    `POST /api/attest`, writes a sealed file; offline village B imports it
//!    and has exactly the server's heads, then syncs with no refusal;
//! 2. a **crafted rewrite of the unit directory** (a unit's `doc_id`) above
//!    the attested heads: an admin tablet importing the file applies none
//!    of it, and after it syncs the server still has the old directory;
//! 3. the same with **another village's unit document**;
//! 4. **forged attestations** (another key, edited heads): nothing applied;
//! 5. a file of **another district** (another server): `OtherDistrict`;
//! 6. (one flipped byte: `crates/sync/tests/file_sealed.rs`, every byte)
//! 7. **confidentiality**: a sealed unit document holds none of its people's
//!    names or ID numbers in its bytes, nor in any deflate stream in them;
//! 8. the server's keys **survive a restart**; `/api/attest` refuses
//!    without a token, leaves out documents the device may not read, and
//!    bounds its body.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use yanzhen_testkit::server;
use yanzhen_testkit::tablet;

use std::collections::BTreeMap;
use std::io::Read as _;

use automerge::{Automerge, ChangeHash, ROOT, ReadDoc as _};
use server::Server;
use tablet::Tablet;
use yanzhen_model::entities::Unit;
use yanzhen_model::ids::DocId;
use yanzhen_server::Role;
use yanzhen_sync::DocumentId;
use yanzhen_sync::attest::{self, Attestation, DistrictKeys};
use yanzhen_sync::file::{self, FileError, FileWriter};

const T0: u64 = 1_780_000_000_000;

fn district() -> DocumentId {
    yanzhen_server::demo::district_document_id(yanzhen_server::demo::DEFAULT_SEED)
}

/// The district keys a device gets from `GET /api/me`.
pub(crate) async fn keys_of(server: &Server, token: &str) -> DistrictKeys {
    let (status, body) = server.call("GET", "/api/me", Some(token), None).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body["keys"].clone()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// `POST /api/attest` for `docs` with `token`: the attestations.
async fn attest(server: &Server, token: &str, docs: &[DocumentId]) -> Vec<Attestation> {
    let ids: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
    let (status, body) = server
        .call(
            "POST",
            "/api/attest",
            Some(token),
            Some(serde_json::json!({ "documents": ids })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body["attestations"].clone()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// A tablet connected with `url` that has fetched `docs` from the server.
async fn synced_tablet(name: &str, seed: u8, url: &str, docs: &[DocumentId]) -> Tablet {
    let mut t = Tablet::new(name, seed);
    t.connect(url).await;
    for d in docs {
        t.find(*d).await;
        let d = *d;
        t.pump_until(&format!("{name} to have {d}"), |t| {
            !t.heads(&d).is_empty() && t.server_has_our_heads(&d)
        })
        .await;
    }
    t
}

fn sorted(mut v: Vec<ChangeHash>) -> Vec<ChangeHash> {
    v.sort();
    v
}

/// The unit directory's `doc_id`s, by unit id.
fn directory_doc_ids(am: &Automerge) -> BTreeMap<String, Option<DocId>> {
    let units: BTreeMap<String, Unit> = autosurgeon::hydrate_prop(am, ROOT, "units").unwrap();
    units.into_iter().map(|(k, u)| (k, u.doc_id)).collect()
}

/// The crafted change of the attack: `unit`'s `doc_id` in the district
/// document now points at `to` (one change on top of `am`).
fn rewrite_doc_id(am: &mut Automerge, unit: &str, to: DocumentId) {
    let mut units: BTreeMap<String, Unit> = autosurgeon::hydrate_prop(&*am, ROOT, "units").unwrap();
    units.get_mut(unit).unwrap().doc_id = Some(DocId(*to.as_bytes()));
    let mut tx = am.transaction();
    autosurgeon::reconcile_prop(&mut tx, ROOT, "units", &units).unwrap();
    tx.commit();
}

/// A sealed file of all of `docs`' changes with `attestations`.
fn sealed_file(
    keys: &DistrictKeys,
    docs: &[(DocumentId, &Automerge)],
    attestations: Vec<Attestation>,
) -> Vec<u8> {
    let mut w = FileWriter::new("测试村", T0).unwrap();
    for (id, am) in docs {
        assert!(w.add_changes_since(*id, am, &[]) > 0);
    }
    for a in attestations {
        w.add_attestation(a);
    }
    w.finish_sealed(&keys.transfer_key, [7; 12])
}

/// 1. Village A carries the district's latest state to offline village B.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn honest_relay_brings_the_servers_district_to_an_offline_village() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let ((a_unit, _), (b_unit, _)) = server.two_villages().await;
    let a = server.enrol(Role::Village, Some(&a_unit), "A").await;
    let b = server.enrol(Role::Village, Some(&b_unit), "B").await;
    let d = district();
    let stored = server.stored(&d).await.unwrap().get_heads();

    let tablet_a = synced_tablet("a", 1, &a.url, &[d]).await;
    let keys_a = keys_of(&server, &a.token).await;
    let attestations = attest(&server, &a.token, &[d]).await;
    assert_eq!(attestations.len(), 1);
    assert_eq!(
        sorted(attestations[0].heads.clone()),
        sorted(stored.clone())
    );
    attestations[0].verify(&keys_a.server_key).unwrap();
    let bytes = sealed_file(
        &keys_a,
        &[(d, tablet_a.node.document(&d).unwrap())],
        attestations,
    );

    // B, offline, with the keys it got at enrolment.
    let keys_b = keys_of(&server, &b.token).await;
    assert_eq!(keys_b, keys_a, "one district, one set of keys");
    let mut docs = BTreeMap::new();
    let report =
        file::import_sealed(&bytes, &keys_b.transfer_key, &keys_b.server_key, &mut docs).unwrap();
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].unconfirmed, 0);
    assert!(report[0].created && report[0].changed);
    assert_eq!(sorted(docs[&d].get_heads()), sorted(stored.clone()));

    // B comes online: nothing to refuse, nothing to send.
    let mut tablet_b = Tablet::new("b", 2);
    tablet_b.connect(&b.url).await;
    tablet_b.add(d, docs.remove(&d).unwrap()).await;
    tablet_b.sync_to_server(d).await;
    assert!(tablet_b.closed.is_none(), "{:?}", tablet_b.closed);
    assert!(!tablet_b.saw(|e| matches!(e, yanzhen_sync::Effect::RemoteError { .. })));
    assert_eq!(
        sorted(server.stored(&d).await.unwrap().get_heads()),
        sorted(stored)
    );
    server.stop().await;
}

/// 2. A village rewrites a unit's `doc_id` in the district document, attests
///    the (older) server heads and ships everything to an admin tablet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crafted_directory_rewrite_is_not_applied_nor_pushed() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let ((a_unit, a_doc), (b_unit, _)) = server.two_villages().await;
    let a = server.enrol(Role::Village, Some(&a_unit), "A").await;
    let d = district();
    let before = server.stored(&d).await.unwrap();
    let old_dir = directory_doc_ids(&before);

    let mut tablet_a = synced_tablet("a", 1, &a.url, &[d]).await;
    tablet_a.disconnect().await;
    let keys = keys_of(&server, &a.token).await;
    let attestations = attest(&server, &a.token, &[d]).await;
    let mut crafted = tablet_a.node.document(&d).unwrap().clone();
    // Village B's entry now points at A's document.
    rewrite_doc_id(&mut crafted, &b_unit, a_doc);
    assert_ne!(directory_doc_ids(&crafted), old_dir);
    let bytes = sealed_file(&keys, &[(d, &crafted)], attestations.clone());

    // Unprotected (version 1), the same content would have been applied.
    let mut v1 = FileWriter::new("测试村", T0).unwrap();
    v1.add_changes_since(d, &crafted, &[]);
    let mut victim = BTreeMap::from([(d, before.clone())]);
    file::import(&v1.finish(), &mut victim).unwrap();
    assert_ne!(
        directory_doc_ids(&victim[&d]),
        old_dir,
        "the attack is real"
    );

    // An admin tablet, synced, imports the sealed file.
    let mut admin = synced_tablet("admin", 3, &server.url, &[d]).await;
    let mut docs = BTreeMap::from([(d, admin.node.document(&d).unwrap().clone())]);
    let f = file::read_sealed(&bytes, &keys.transfer_key, &keys.server_key).unwrap();
    assert_eq!(f.unconfirmed_count(&d, docs.get(&d)), 1);
    let report = f.apply(&mut docs).unwrap();
    assert_eq!(report[0].unconfirmed, 1);
    assert!(!report[0].changed);
    assert_eq!(docs[&d].save(), before.save());

    // The admin relays what it has: the server keeps the old directory.
    let mut relay = Tablet::new("relay", 4);
    relay.connect(&server.url).await;
    relay.add(d, docs.remove(&d).unwrap()).await;
    relay.sync_to_server(d).await;
    admin.disconnect().await;
    let after = server.stored(&d).await.unwrap();
    assert_eq!(sorted(after.get_heads()), sorted(before.get_heads()));
    assert_eq!(directory_doc_ids(&after), old_dir);
    let dir = server.directory().await;
    assert_eq!(
        dir.units[&b_unit].doc,
        old_dir[&b_unit].map(|x| DocumentId::from_bytes(x.0))
    );
    server.stop().await;
}

/// 3. A village changes another village's unit document (an old copy it got
///    somehow, with a genuine attestation of that copy): none of it applies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crafted_change_to_another_villages_document_is_not_applied() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let ((a_unit, _), (_, b_doc)) = server.two_villages().await;
    let a = server.enrol(Role::Village, Some(&a_unit), "A").await;
    let keys = keys_of(&server, &a.token).await;
    // The village itself gets no attestation of B's document.
    assert!(attest(&server, &a.token, &[b_doc]).await.is_empty());

    let stored = server.stored(&b_doc).await.unwrap();
    let genuine = attest(&server, &server.admin_token, &[b_doc]).await;
    assert_eq!(genuine.len(), 1);
    let mut crafted = stored.clone();
    {
        use automerge::transaction::Transactable as _;
        let mut tx = crafted.transaction();
        tx.put(ROOT, "note", "伪造的修改").unwrap();
        tx.commit();
    }
    let bytes = sealed_file(&keys, &[(b_doc, &crafted)], genuine);

    // A township or admin tablet with the server's copy.
    let mut docs = BTreeMap::from([(b_doc, stored.clone())]);
    let report =
        file::import_sealed(&bytes, &keys.transfer_key, &keys.server_key, &mut docs).unwrap();
    assert_eq!(report[0].unconfirmed, 1);
    assert!(!report[0].changed);
    assert_eq!(docs[&b_doc].save(), stored.save());
    // A tablet without the document gets the server's state only.
    let mut empty = BTreeMap::new();
    let report =
        file::import_sealed(&bytes, &keys.transfer_key, &keys.server_key, &mut empty).unwrap();
    assert_eq!(report[0].unconfirmed, 1);
    assert_eq!(
        sorted(empty[&b_doc].get_heads()),
        sorted(stored.get_heads())
    );
    assert!(empty[&b_doc].get(ROOT, "note").unwrap().is_none());
    server.stop().await;
}

/// 4. Attestations signed by another key, or with edited heads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_attestations_apply_nothing() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let ((a_unit, a_doc), (b_unit, _)) = server.two_villages().await;
    let a = server.enrol(Role::Village, Some(&a_unit), "A").await;
    let keys = keys_of(&server, &a.token).await;
    let d = district();
    let before = server.stored(&d).await.unwrap();
    let mut crafted = before.clone();
    rewrite_doc_id(&mut crafted, &b_unit, a_doc);

    let forged = attest::sign(d, crafted.get_heads(), T0, &[0x99; 32]);
    let mut edited = attest(&server, &a.token, &[d]).await.remove(0);
    edited.heads = crafted.get_heads();
    for bad in [forged, edited] {
        let bytes = sealed_file(&keys, &[(d, &crafted)], vec![bad]);
        let f = file::read_sealed(&bytes, &keys.transfer_key, &keys.server_key).unwrap();
        assert_eq!(f.invalid_attestations, 1);
        let mut docs = BTreeMap::from([(d, before.clone())]);
        let report = f.apply(&mut docs).unwrap();
        assert_eq!(report[0].unconfirmed, 1);
        assert_eq!(docs[&d].save(), before.save());
        let mut empty = BTreeMap::new();
        let report = f.apply(&mut empty).unwrap();
        assert!(!report[0].created);
        assert!(
            empty.is_empty(),
            "nothing at all for a document without a valid attestation"
        );
    }
    server.stop().await;
}

/// 5. Another district's server made the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_of_another_district_is_refused() {
    let ours_dir = tempfile::tempdir().unwrap();
    let theirs_dir = tempfile::tempdir().unwrap();
    let ours = Server::start(ours_dir.path(), server::test_settings(), true).await;
    let theirs = Server::start(theirs_dir.path(), server::test_settings(), true).await;
    let our_keys = keys_of(&ours, &ours.admin_token).await;
    let their_keys = keys_of(&theirs, &theirs.admin_token).await;
    assert_ne!(our_keys.transfer_key.id, their_keys.transfer_key.id);
    assert_ne!(our_keys.server_key, their_keys.server_key);
    let d = district();
    let doc = theirs.stored(&d).await.unwrap();
    let atts = attest(&theirs, &theirs.admin_token, &[d]).await;
    let bytes = sealed_file(&their_keys, &[(d, &doc)], atts);
    let mut docs = BTreeMap::new();
    let err = file::import_sealed(
        &bytes,
        &our_keys.transfer_key,
        &our_keys.server_key,
        &mut docs,
    )
    .unwrap_err();
    assert_eq!(err, FileError::OtherDistrict);
    assert!(docs.is_empty());
    ours.stop().await;
    theirs.stop().await;
}

/// Every deflate, zlib and gzip stream found at any offset, inflated (up
/// to 4 MiB each).
fn inflate_everywhere(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for i in 0..bytes.len() {
        let tail = &bytes[i..];
        let readers: [Box<dyn std::io::Read>; 3] = [
            Box::new(flate2::read::DeflateDecoder::new(tail)),
            Box::new(flate2::read::ZlibDecoder::new(tail)),
            Box::new(flate2::read::GzDecoder::new(tail)),
        ];
        for r in readers {
            let mut buf = Vec::new();
            let _ = r.take(4 << 20).read_to_end(&mut buf);
            if buf.len() >= 4 {
                out.push(buf);
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// 7. The demo's (synthetic) people of a village travel sealed: no name or
///    ID number in the bytes, nor in anything they inflate to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_unit_document_shows_no_personal_data() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let ((a_unit, a_doc), _) = server.two_villages().await;
    let a = server.enrol(Role::Village, Some(&a_unit), "A").await;
    let keys = keys_of(&server, &a.token).await;
    let stored = server.stored(&a_doc).await.unwrap();
    let people = yanzhen_model::store::UnitDocument::from_automerge(stored.clone())
        .unwrap()
        .data()
        .unwrap()
        .people;
    assert!(!people.is_empty());
    let secrets: Vec<Vec<u8>> = people
        .values()
        .flat_map(|p| {
            [
                p.name.clone().into_bytes(),
                p.id_number.clone().into_bytes(),
            ]
        })
        .filter(|s| s.len() >= 6)
        .collect();
    assert!(secrets.len() >= 2);

    let mut w = FileWriter::new("测试村", T0).unwrap();
    w.add_document(a_doc, &stored);
    for att in attest(&server, &a.token, &[a_doc]).await {
        w.add_attestation(att);
    }
    let bytes = w.finish_sealed(&keys.transfer_key, [3; 12]);
    let inflated = inflate_everywhere(&bytes);
    for s in &secrets {
        assert!(!contains(&bytes, s));
        assert!(!inflated.iter().any(|i| contains(i, s)));
    }
    // Without the key: nothing (a key of the right id but wrong bytes).
    let mut stranger = keys.transfer_key.clone();
    stranger.key = [0; 32];
    assert_eq!(
        file::read_sealed(&bytes, &stranger, &keys.server_key).unwrap_err(),
        FileError::Tampered
    );
    let mut docs = BTreeMap::new();
    let report =
        file::import_sealed(&bytes, &keys.transfer_key, &keys.server_key, &mut docs).unwrap();
    assert_eq!(report[0].unconfirmed, 0);
    assert_eq!(sorted(docs[&a_doc].get_heads()), sorted(stored.get_heads()));
    server.stop().await;
}

/// 8. Keys kept across restarts; `/api/attest`'s refusals and bounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_survive_a_restart_and_attest_is_guarded() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let ((a_unit, a_doc), (_, b_doc)) = server.two_villages().await;
    let a = server.enrol(Role::Village, Some(&a_unit), "A").await;
    let before = keys_of(&server, &a.token).await;
    let d = district();
    let old = attest(&server, &a.token, &[d]).await;

    // Enrolment hands out the same keys.
    let city = server.city().await;
    let code = server
        .auth
        .issue_code(
            city.only_district().unwrap().into(),
            Role::Village,
            Some(&a_unit),
            1,
        )
        .await
        .unwrap();
    let (status, body) = server
        .call(
            "POST",
            "/api/enrol",
            None,
            Some(serde_json::json!({ "code": code.code, "deviceName": "新平板" })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let enrolled: DistrictKeys = serde_json::from_value(body["keys"].clone()).unwrap();
    assert_eq!(enrolled, before);

    // Without a token, with a bad one.
    let docs = serde_json::json!({ "documents": [d.to_string()] });
    let (status, body) = server
        .call("POST", "/api/attest", None, Some(docs.clone()))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("access.token.missing"))
    );
    let (status, _) = server
        .call("POST", "/api/attest", Some("yz_not_a_token"), Some(docs))
        .await;
    assert_eq!(status, 401);
    // What the village may not read is left out; unknown ids too.
    let unknown = DocumentId::from_bytes([0xee; 16]);
    let got = attest(&server, &a.token, &[d, a_doc, b_doc, unknown]).await;
    let mut got_ids: Vec<DocumentId> = got.iter().map(|a| a.document_id).collect();
    got_ids.sort();
    let mut want = vec![d, a_doc];
    want.sort();
    assert_eq!(got_ids, want);
    // Strings that are no ids: left out as well; not strings: refused.
    let (status, body) = server
        .call(
            "POST",
            "/api/attest",
            Some(&a.token),
            Some(serde_json::json!({ "documents": ["nonsense", "", d.to_string()] })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["attestations"].as_array().unwrap().len(), 1);
    let (status, body) = server
        .call(
            "POST",
            "/api/attest",
            Some(&a.token),
            Some(serde_json::json!({ "documents": [5] })),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("attest.invalid"))
    );
    // Too many ids, a body over the limit, not JSON.
    let many: Vec<String> = (0..1025).map(|_| d.to_string()).collect();
    let (status, body) = server
        .call(
            "POST",
            "/api/attest",
            Some(&a.token),
            Some(serde_json::json!({ "documents": many })),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("attest.too_many"))
    );
    let huge: Vec<String> = (0..3000).map(|_| "x".repeat(30)).collect();
    let (status, _) = server
        .call(
            "POST",
            "/api/attest",
            Some(&a.token),
            Some(serde_json::json!({ "documents": huge })),
        )
        .await;
    assert_eq!(status, 413);
    let (status, body) = server
        .call(
            "POST",
            "/api/attest",
            Some(&a.token),
            Some(serde_json::json!(["not", "the", "shape"])),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("attest.invalid"))
    );

    // Restart on the same data: the same keys, old attestations still hold.
    server.stop().await;
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let after = keys_of(&server, &a.token).await;
    assert_eq!(after, before);
    old[0].verify(&after.server_key).unwrap();
    let again = attest(&server, &a.token, &[d]).await;
    assert_eq!(sorted(again[0].heads.clone()), sorted(old[0].heads.clone()));
    server.stop().await;
}

/// `POST /api/relay` with `token` and raw `body`: status and JSON answer.
pub(crate) async fn post_relay(
    server: &Server,
    token: &str,
    body: &[u8],
) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(&server.addr).await.unwrap();
    let head = format!(
        "POST /api/relay HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
        server.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or_default())
}

/// The relay key `GET /api/me` gives a device.
async fn device_key_of(server: &Server, token: &str) -> yanzhen_sync::relay::DeviceKey {
    let (status, body) = server.call("GET", "/api/me", Some(token), None).await;
    assert_eq!(status, 200, "{body}");
    yanzhen_sync::relay::DeviceKey::from_hex(body["deviceKey"].as_str().unwrap()).unwrap()
}

/// 9. **Relay**: a village with no connectivity makes an edit to its own
///    document and exports it with its vouch; a township tablet carries
///    the file and hands it to `POST /api/relay`; the server stores the
///    edit as the village's (authorship checked against the village, not
///    the carrier). What the carrier slipped into the file (a change naming
///    the village) is left out; a vouch under another key, a revoked
///    maker's vouch and a vouch for a document the maker may not write are
///    refused, and none of it reaches the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_villages_own_edit_is_relayed_as_its_own_and_nothing_else_is() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let ((a_unit, a_doc), (b_unit, b_doc)) = server.two_villages().await;
    let a = server.enrol(Role::Village, Some(&a_unit), "A").await;
    let b = server.enrol(Role::Village, Some(&b_unit), "B").await;
    let carrier = server.enrol(Role::Viewer, None, "carrier").await;
    let keys = keys_of(&server, &a.token).await;
    let key_a = device_key_of(&server, &a.token).await;
    assert_ne!(key_a, device_key_of(&server, &b.token).await);

    // A syncs once, then edits offline.
    let mut tablet_a = synced_tablet("a", 1, &a.url, &[a_doc]).await;
    tablet_a.disconnect().await;
    let attestations = attest(&server, &a.token, &[a_doc]).await;
    let stored = server.stored(&a_doc).await.unwrap();
    let mut edited = tablet_a.node.document(&a_doc).unwrap().clone();
    edited
        .transact_with(
            |_| tablet::signed(&a.device_id, "village"),
            |tx| automerge::transaction::Transactable::put(tx, ROOT, "relay_note", "走访"),
        )
        .unwrap();
    let mine = yanzhen_sync::relay::own_unconfirmed(&edited, &stored.get_heads(), |_| true);
    assert_eq!(mine.len(), 1);
    // The carrier's own slip, naming A, concurrent with A's edit.
    let mut slipped = stored.clone();
    slipped
        .transact_with(
            |_| tablet::signed(&a.device_id, "village"),
            |tx| automerge::transaction::Transactable::put(tx, ROOT, "relay_note", "伪造"),
        )
        .unwrap();
    let mut carried = edited.clone();
    carried.merge(&mut slipped).unwrap();

    let file_with = |vouches: Vec<yanzhen_sync::relay::Vouch>, doc: &Automerge, id| {
        let mut w = FileWriter::new("测试村", T0).unwrap();
        w.add_changes_since(id, doc, &[]);
        for at in &attestations {
            w.add_attestation(at.clone());
        }
        for v in vouches {
            w.add_vouch(v);
        }
        w.finish_sealed(&keys.transfer_key, [9; 12])
    };
    let vouch = |key: &yanzhen_sync::relay::DeviceKey, device: &str, doc| {
        yanzhen_sync::relay::Vouch::make(key, device, doc, mine.clone()).unwrap()
    };

    // A vouch under B's key (B claims A's edit) and one naming A under B's
    // key: both refused.
    let key_b = device_key_of(&server, &b.token).await;
    let forged = file_with(
        vec![
            vouch(&key_b, &a.device_id, a_doc),
            vouch(&key_b, &b.device_id, a_doc),
        ],
        &carried,
        a_doc,
    );
    let (status, body) = post_relay(&server, &carrier.token, &forged).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["relayed"][0]["result"], "relay.bad_vouch", "{body}");
    // B's key, B's name: a genuine vouch of B — but B may not write A's
    // document, and the change names A: the hub refuses it.
    assert_eq!(body["relayed"][1]["result"], "relay.refused", "{body}");
    assert_eq!(
        server.stored(&a_doc).await.unwrap().get_heads(),
        stored.get_heads()
    );

    // A's vouch for B's document: A may not write it.
    let wrong_doc = file_with(vec![vouch(&key_a, &a.device_id, b_doc)], &carried, b_doc);
    let (_, body) = post_relay(&server, &carrier.token, &wrong_doc).await;
    assert_ne!(body["relayed"][0]["result"], "relayed", "{body}");
    let b_stored = server.stored(&b_doc).await.unwrap();
    assert!(b_stored.get_change_meta_by_hash(&mine[0]).is_none());

    // The honest relay: A's edit lands as A's, the slip does not.
    let honest = file_with(vec![vouch(&key_a, &a.device_id, a_doc)], &carried, a_doc);
    let (status, body) = post_relay(&server, &carrier.token, &honest).await;
    assert_eq!(
        (status, &body["relayed"][0]["result"]),
        (200, &serde_json::json!("relayed")),
        "{body}"
    );
    let after = server.stored(&a_doc).await.unwrap();
    assert!(after.get_change_meta_by_hash(&mine[0]).is_some());
    let slip = slipped.get_heads()[0];
    assert!(
        after.get_change_meta_by_hash(&slip).is_none(),
        "the carrier's slip was relayed"
    );
    let note = after.get(ROOT, "relay_note").unwrap().unwrap().0;
    assert_eq!(note.as_str(), Some("走访"));
    // Relaying the same file again changes nothing.
    let (_, body) = post_relay(&server, &carrier.token, &honest).await;
    assert_eq!(body["relayed"][0]["result"], "relayed", "{body}");
    assert_eq!(
        server.stored(&a_doc).await.unwrap().get_heads(),
        after.get_heads()
    );

    // A revoked maker's vouches are refused; a file that does not open is a 400.
    server.auth.revoke(&a.device_id).await.unwrap();
    let (_, body) = post_relay(&server, &carrier.token, &honest).await;
    assert_eq!(
        body["relayed"][0]["result"], "relay.unknown_device",
        "{body}"
    );
    let mut damaged = honest.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let (status, body) = post_relay(&server, &carrier.token, &damaged).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("sync_file.tampered"))
    );
    let (status, _) = post_relay(&server, "not-a-token", &honest).await;
    assert_eq!(status, 401);
    server.stop().await;
}
