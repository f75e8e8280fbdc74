//! A city in one deployment, against the real server in-process with the
//! demo city (four districts) and real WebSocket tablets: a district's
//! devices can neither read, write, enrol nor revoke anything of another
//! district; the city viewer reads every district and writes nothing; the
//! city admin creates a district and its first admin works in it alone;
//! the first district's figures, computed from what the server stores,
//! are the demo district's reference figures.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use yanzhen_model::figures::{Filter, compute};
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_server::Role;
use yanzhen_sync::DocumentId;
use yanzhen_testkit::server::{Enrolled, Server, test_settings};

use crate::scenario_access::check;

/// The first village (with a document) of `district`: its unit id and
/// document.
fn a_village(server_city: &yanzhen_server::policy::City, district: &str) -> (String, DocumentId) {
    let d = &server_city.districts[district];
    d.directory
        .units
        .values()
        .find_map(|u| u.doc.map(|doc| (u.id.clone(), doc)))
        .expect("a village")
}

fn enrolled(server: &Server, answer: &Value) -> Enrolled {
    let token = answer["token"].as_str().expect("a token").to_owned();
    Enrolled {
        url: format!("{}?token={token}", server.sync_base),
        device_id: answer["deviceId"].as_str().unwrap().to_owned(),
        token,
    }
}

fn districts_of(me: &Value) -> Vec<String> {
    me["districts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["districtId"].as_str().unwrap().to_owned())
        .collect()
}

fn document_districts(me: &Value) -> BTreeSet<String> {
    me["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["districtId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_district_sees_nothing_of_another_and_the_city_reads_all() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_city(data.path(), test_settings()).await;
    let city = server.city().await;
    let ids: Vec<&str> = city.districts.keys().map(String::as_str).collect();
    assert_eq!(ids, ["hexi", "hudong", "lingnan", "yancheng"]);
    let (a, b) = (&city.districts["yancheng"], &city.districts["hexi"]);
    let (a_district, b_district) = (a.directory.district.unwrap(), b.directory.district.unwrap());
    let (_, a_unit_doc) = a_village(&city, "yancheng");
    let (b_unit, b_unit_doc) = a_village(&city, "hexi");

    let a_admin = server
        .enrol_in(Some("yancheng"), Role::Admin, None, "admin a")
        .await;
    let b_admin = server
        .enrol_in(Some("hexi"), Role::Admin, None, "admin b")
        .await;
    let b_village = server
        .enrol_in(Some("hexi"), Role::Village, Some(&b_unit), "village b")
        .await;
    let viewer = server.enrol(Role::CityViewer, None, "city viewer").await;
    let city_admin = server.enrol(Role::CityAdmin, None, "city admin").await;

    // Sync: (read, write) of each device on each document.
    let (rw, r, none) = ((true, true), (true, false), (false, false));
    let matrix = [
        ("admin", &a_admin, a_district, rw),
        ("admin", &a_admin, b_district, none),
        ("admin", &a_admin, b_unit_doc, none),
        ("village", &b_village, a_unit_doc, none),
        ("village", &b_village, a_district, none),
        ("city_viewer", &viewer, b_unit_doc, r),
        ("city_viewer", &viewer, a_district, r),
        ("city_admin", &city_admin, b_district, r),
    ];
    let mut failures = Vec::new();
    for (seed, (who, device, doc, want)) in (1u8..).zip(matrix) {
        let got = check(&server, device, who, seed, doc).await;
        if got != want {
            failures.push(format!("{who} × {doc}: {got:?}, expected {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // What /api/me lists: its own district only, or every one.
    let (status, me) = server
        .call("GET", "/api/me", Some(&a_admin.token), None)
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(districts_of(&me), ["yancheng"]);
    assert_eq!(me["districtId"], "yancheng");
    assert_eq!(document_districts(&me), BTreeSet::from(["yancheng".into()]));
    let (_, me) = server
        .call("GET", "/api/me", Some(&viewer.token), None)
        .await;
    assert_eq!(
        districts_of(&me),
        ["yancheng", "hexi", "hudong", "lingnan"],
        "creation order"
    );
    assert_eq!(me["districtId"], Value::Null);
    assert_eq!(document_districts(&me).len(), 4);
    let docs = me["documents"].as_array().unwrap();
    assert!(docs.iter().all(|d| d["access"] == "read"), "{me}");
    let listed: usize = city
        .districts
        .values()
        .map(|d| {
            1 + d
                .directory
                .units
                .values()
                .filter(|u| u.doc.is_some())
                .count()
        })
        .sum();
    assert_eq!(docs.len(), listed);

    // The admin of one district manages only its own.
    let (_, list) = server
        .call("GET", "/api/admin/devices", Some(&a_admin.token), None)
        .await;
    let seen: BTreeSet<&str> = list["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["deviceId"].as_str().unwrap())
        .collect();
    assert!(seen.contains(a_admin.device_id.as_str()));
    for other in [&b_admin, &b_village, &viewer, &city_admin] {
        assert!(!seen.contains(other.device_id.as_str()), "{seen:?}");
    }
    let revoke = format!("/api/admin/devices/{}/revoke", b_village.device_id);
    let (status, _) = server
        .call("POST", &revoke, Some(&a_admin.token), None)
        .await;
    assert_eq!(status, 404, "another district's device is not there");
    let (status, _) = server
        .call("GET", "/api/me", Some(&b_village.token), None)
        .await;
    assert_eq!(status, 200, "and it still works");
    for body in [
        json!({"role": "village", "unitId": b_unit}),
        json!({"role": "city_viewer"}),
        json!({"role": "city_admin"}),
    ] {
        let (status, answer) = server
            .call(
                "POST",
                "/api/admin/codes",
                Some(&a_admin.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, 400, "{body} → {answer}");
    }
    // Its codes enrol devices of its district.
    let (status, code) = server
        .call(
            "POST",
            "/api/admin/codes",
            Some(&a_admin.token),
            Some(json!({"role": "viewer"})),
        )
        .await;
    assert_eq!((status, &code["districtId"]), (200, &json!("yancheng")));
    // The district's own admin may revoke it.
    let (status, _) = server
        .call("POST", &revoke, Some(&b_admin.token), None)
        .await;
    assert_eq!(status, 200);

    // District devices may not call the city's API; the viewer may read it.
    for token in [&a_admin.token, &b_admin.token] {
        let (status, _) = server
            .call("GET", "/api/districts", Some(token), None)
            .await;
        assert_eq!(status, 403);
    }
    let (status, _) = server
        .call(
            "POST",
            "/api/districts",
            Some(&viewer.token),
            Some(json!({"districtId": "x", "name": "X区"})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, list) = server
        .call("GET", "/api/districts", Some(&viewer.token), None)
        .await;
    assert_eq!(status, 200);
    let yancheng = &list["districts"].as_array().unwrap()[0];
    assert_eq!(yancheng["districtId"], "yancheng", "creation order");
    // The server's own admin and a_admin (the viewer's code is unused).
    assert_eq!(yancheng["devices"], 2);
    server.stop().await;
}

#[tokio::test]
async fn the_city_admin_creates_a_district_whose_admin_works_there_alone() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_city(data.path(), test_settings()).await;
    let city_admin = server.enrol(Role::CityAdmin, None, "city admin").await;
    let token = Some(city_admin.token.as_str());
    for (body, status, key) in [
        (
            json!({"districtId": "Xinqu", "name": "新区"}),
            400,
            "district.invalid",
        ),
        (
            json!({"districtId": "xinqu", "name": " "}),
            400,
            "district.invalid",
        ),
        (
            json!({"districtId": "xinqu", "name": "新区", "expiresHours": 0}),
            400,
            "district.invalid",
        ),
        (
            json!({"districtId": "yancheng", "name": "又一个"}),
            409,
            "district.exists",
        ),
    ] {
        let (got, answer) = server
            .call("POST", "/api/districts", token, Some(body.clone()))
            .await;
        assert_eq!(
            (got, answer["error"].as_str()),
            (status, Some(key)),
            "{body}"
        );
    }
    let (status, created) = server
        .call(
            "POST",
            "/api/districts",
            token,
            Some(json!({"districtId": "xinqu", "name": "新区"})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["role"], "admin");
    let doc: DocumentId = created["district"]["districtDocumentId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (status, again) = server
        .call("POST", "/api/districts/xinqu/codes", token, Some(json!({})))
        .await;
    assert_eq!((status, &again["districtId"]), (201, &json!("xinqu")));
    let (status, _) = server
        .call(
            "POST",
            "/api/districts/nowhere/codes",
            token,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 404);

    // Its first admin enrols into it, sees it alone, and writes there only.
    let (status, answer) = server
        .call(
            "POST",
            "/api/enrol",
            None,
            Some(json!({"code": created["code"], "deviceName": "新区管理员"})),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["districtId"], "xinqu");
    assert_eq!(districts_of(&answer), ["xinqu"]);
    assert_eq!(answer["districtDocumentId"], doc.to_string());
    let docs = answer["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["access"], "write");
    let admin = enrolled(&server, &answer);
    let other = server.city().await.districts["yancheng"]
        .directory
        .district
        .unwrap();
    assert_eq!(check(&server, &admin, "admin", 1, doc).await, (true, true));
    assert_eq!(
        check(&server, &admin, "admin", 2, other).await,
        (false, false)
    );
    // The new district's document is the model's district document.
    let stored = server.stored(&doc).await.expect("stored");
    let d: DistrictData = yanzhen_model::whole::read(&stored).unwrap();
    assert_eq!(d.name, "新区");
    server.stop().await;
}

#[tokio::test]
async fn the_first_district_keeps_the_reference_figures_in_a_city() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_city(data.path(), test_settings()).await;
    let city = server.city().await;
    let filter = Filter::year(2024);
    let mut all = Vec::new();
    for d in city.districts.values() {
        let am = server.stored(&d.directory.district.unwrap()).await.unwrap();
        let district: DistrictData = yanzhen_model::whole::read(&am).unwrap();
        let mut units: Vec<UnitData> = Vec::new();
        for u in d.directory.units.values() {
            if let Some(doc) = u.doc {
                let am = server.stored(&doc).await.unwrap();
                units.push(yanzhen_model::whole::read(&am).unwrap());
            }
        }
        all.push((d.id.clone(), compute(&district, &units, &filter)));
    }
    let yancheng = &all.iter().find(|(id, _)| id == "yancheng").unwrap().1;
    assert!(
        yancheng.mismatches_with_published().is_empty(),
        "{:?}",
        yancheng.mismatches_with_published()
    );
    for (id, f) in &all {
        if id != "yancheng" {
            assert_ne!(f, yancheng, "{id} has figures of its own");
        }
    }
    server.stop().await;
}

/// Files (`.yanzhen`) are sealed with the district's own transfer key: two
/// districts' devices get different keys (the first district keeps the
/// deployment's), and a file sealed in one district does not open when a
/// device of another carries it to the server.
#[tokio::test]
async fn a_file_sealed_in_one_district_opens_in_that_district_only() {
    use crate::files::{keys_of, post_relay};
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_city(data.path(), test_settings()).await;
    let a = server
        .enrol_in(Some("yancheng"), Role::Admin, None, "admin a")
        .await;
    let b = server
        .enrol_in(Some("hexi"), Role::Admin, None, "admin b")
        .await;
    let b2 = server
        .enrol_in(Some("hexi"), Role::Viewer, None, "viewer b")
        .await;
    let viewer = server.enrol(Role::CityViewer, None, "city viewer").await;
    let (ka, kb) = (
        keys_of(&server, &a.token).await,
        keys_of(&server, &b.token).await,
    );
    assert_ne!(ka.transfer_key.id, kb.transfer_key.id);
    assert_ne!(ka.transfer_key.key, kb.transfer_key.key);
    assert_eq!(ka.server_key, kb.server_key);
    assert_eq!(
        keys_of(&server, &b2.token).await,
        kb,
        "one key per district"
    );
    assert_eq!(
        keys_of(&server, &viewer.token).await.transfer_key,
        ka.transfer_key,
        "the first district and the city keep the deployment's key"
    );
    let mut w = yanzhen_sync::file::FileWriter::new("hexi", 1).unwrap();
    w.add_document(
        DocumentId::from_bytes([4; 16]),
        &automerge::Automerge::new(),
    );
    let sealed = w.finish_sealed(&kb.transfer_key, [5; 12]);
    let (status, answer) = post_relay(&server, &b2.token, &sealed).await;
    assert_eq!(status, 200, "{answer}");
    for other in [&a, &viewer] {
        let (status, answer) = post_relay(&server, &other.token, &sealed).await;
        assert_eq!(status, 400, "{answer}");
    }
    server.stop().await;
}
