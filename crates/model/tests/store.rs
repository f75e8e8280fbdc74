//! Writes, rejected writes, references, conflicts, resolution and history.

use automerge::ScalarValue;
use yanzhen_model::entities::*;
use yanzhen_model::history::FieldValue;
use yanzhen_model::store::{ChangeOp, UnitDocument};
use yanzhen_model::validate::{ValidationError, make_id_number};
use yanzhen_model::{ChangeMeta, Date, Id, ModelError};

fn id(n: u8) -> Id {
    Id::from_random_bytes([n; 16])
}

fn meta(device: &str, t: i64) -> ChangeMeta {
    ChangeMeta::new(device, "测试员", "clerk", t)
}

fn person(n: u8, unit: &Id) -> Person {
    let birth = Date::new(1980, 5, n.max(1)).unwrap();
    Person {
        id: id(n),
        name: format!("张{n}"),
        sex: Sex::Male,
        ethnicity: "汉族".into(),
        birth_date: birth,
        native_place: "湖北".into(),
        id_number: make_id_number("990101", birth, 11),
        political_status: PoliticalStatus::PartyMember,
        party_join_date: Date::new(2005, 7, 1),
        work_start_date: Date::new(2002, 9, 1),
        education_full_time: None,
        education_in_service: None,
        professional_title: String::new(),
        phone: String::new(),
        residence_unit: unit.clone(),
        category: PersonCategory::TwoCommitteeMember,
        status: PersonStatus::Active,
        resume: vec![],
        rewards: vec![],
    }
}

fn unit_doc() -> (UnitDocument, Id) {
    let unit = id(200);
    (
        UnitDocument::new_unit(&unit, &[1; 16], &meta("tab-1", 1_000)).unwrap(),
        unit,
    )
}

#[test]
fn put_get_update_remove() {
    let (mut doc, unit) = unit_doc();
    let p = person(1, &unit);
    assert!(doc.put(&p, &meta("tab-1", 2_000)).unwrap().is_some());
    assert_eq!(doc.get::<Person>(&p.id).unwrap(), Some(p.clone()));
    // Writing the same record again changes nothing.
    assert!(doc.put(&p, &meta("tab-1", 3_000)).unwrap().is_none());
    let mut p2 = p.clone();
    p2.phone = "13900000000".into();
    doc.put(&p2, &meta("tab-1", 4_000)).unwrap();
    let h = doc.history::<Person>(&p.id).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].op, Some(ChangeOp::Create));
    assert_eq!(h[1].fields, vec!["phone".to_string()]);
    assert_eq!(h[1].time_ms, 4_000);
    assert_eq!(h[1].person, "测试员");
    // The record as it was at the first change.
    assert_eq!(
        doc.record_at::<Person>(&p.id, &h[0].hash).unwrap(),
        Some(p.clone())
    );
    doc.remove::<Person>(&p.id, &meta("tab-1", 5_000)).unwrap();
    assert_eq!(doc.get::<Person>(&p.id).unwrap(), None);
    assert!(matches!(
        doc.remove::<Person>(&p.id, &meta("tab-1", 6_000)),
        Err(ModelError::NotFound)
    ));
    assert_eq!(doc.data().unwrap().people.len(), 0);
}

#[test]
fn rejected_writes_change_nothing() {
    let (mut doc, unit) = unit_doc();
    let p = person(1, &unit);
    doc.put(&p, &meta("tab-1", 2_000)).unwrap();
    let heads = doc.heads();
    let bytes = doc.save();

    let mut bad = p.clone();
    bad.id_number.replace_range(
        17..18,
        if bad.id_number.ends_with('1') {
            "2"
        } else {
            "1"
        },
    );
    let e = doc.put(&bad, &meta("tab-1", 3_000)).unwrap_err();
    assert_eq!(e.message_key(), "validation.id_number.check_digit");
    assert_eq!(e.field(), Some("id_number"));

    let mut bad = p.clone();
    bad.sex = Sex::Female;
    assert_eq!(
        doc.put(&bad, &meta("t", 1)).unwrap_err().message_key(),
        "validation.id_number.sex_mismatch"
    );
    let mut bad = p.clone();
    bad.phone = "123".into();
    assert_eq!(
        doc.put(&bad, &meta("t", 1)).unwrap_err().field(),
        Some("phone")
    );
    let mut bad = p.clone();
    bad.name = "  ".into();
    assert_eq!(
        doc.put(&bad, &meta("t", 1)).unwrap_err().message_key(),
        "validation.required"
    );

    // Unknown reference.
    let post = Post {
        id: id(50),
        person_id: id(99),
        title: PostTitle::Secretary,
        start: Date::new(2021, 1, 1).unwrap(),
        end: None,
        how_obtained: HowObtained::Election,
        concurrent_director: true,
    };
    assert!(matches!(
        doc.put(&post, &meta("t", 1)),
        Err(ModelError::Validation(ValidationError::UnknownReference {
            field: "person_id"
        }))
    ));
    // Bad date range.
    let mut post2 = post.clone();
    post2.person_id = p.id.clone();
    post2.end = Date::new(2020, 1, 1);
    assert_eq!(
        doc.put(&post2, &meta("t", 1)).unwrap_err().message_key(),
        "validation.date.range"
    );
    // Negative amount.
    let pay = PayRecord {
        id: id(60),
        person_id: p.id.clone(),
        year: 2024,
        annual_pay_yuan: -1,
    };
    assert_eq!(
        doc.put(&pay, &meta("t", 1)).unwrap_err().message_key(),
        "validation.amount.negative"
    );

    assert_eq!(doc.heads(), heads);
    assert_eq!(doc.save(), bytes);
    post2.end = None;
    doc.put(&post2, &meta("t", 1)).unwrap();
}

#[test]
fn concurrent_edits_conflict_and_resolve() {
    let (mut a, unit) = unit_doc();
    let p = person(1, &unit);
    a.put(&p, &meta("tab-a", 2_000)).unwrap();
    let mut b = a.fork(&[2; 16]);
    let mut pa = p.clone();
    pa.phone = "13911111111".into();
    a.put(&pa, &ChangeMeta::new("tab-a", "王书记", "secretary", 3_000))
        .unwrap();
    let mut pb = p.clone();
    pb.phone = "13922222222".into();
    pb.native_place = "荆州".into();
    b.put(&pb, &ChangeMeta::new("tab-b", "李文书", "clerk", 3_500))
        .unwrap();
    a.merge(&mut b).unwrap();
    b.merge(&mut a).unwrap();
    assert_eq!(
        a.get::<Person>(&p.id).unwrap(),
        b.get::<Person>(&p.id).unwrap()
    );

    let c = a.conflicts::<Person>(&p.id).unwrap();
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].field, "phone");
    let mut writers: Vec<String> = c[0]
        .values
        .iter()
        .map(|(_, w)| w.as_ref().unwrap().person().to_string())
        .collect();
    writers.sort();
    assert_eq!(writers, vec!["李文书".to_string(), "王书记".to_string()]);
    assert!(
        c[0].values
            .iter()
            .any(|(v, _)| *v == FieldValue::Scalar(ScalarValue::Str("13922222222".into())))
    );
    // Non-conflicting concurrent edit merged.
    assert_eq!(
        a.get::<Person>(&p.id).unwrap().unwrap().native_place,
        "荆州"
    );

    // An invalid chosen value is rejected and changes nothing.
    let heads = a.heads();
    assert!(
        a.resolve::<Person>(
            &p.id,
            "phone",
            ScalarValue::Str("x".into()),
            &meta("tab-a", 4_000)
        )
        .is_err()
    );
    assert_eq!(a.heads(), heads);
    // So is one the record cannot be read with (read back inside the
    // resolving transaction, which is then rolled back).
    assert!(matches!(
        a.resolve::<Person>(&p.id, "phone", ScalarValue::Int(5), &meta("tab-a", 4_000)),
        Err(ModelError::Hydrate(_))
    ));
    assert_eq!(a.heads(), heads);
    assert!(matches!(
        a.resolve::<Person>(
            &p.id,
            "nope",
            ScalarValue::Str("x".into()),
            &meta("tab-a", 4_000)
        ),
        Err(ModelError::NoSuchField(_))
    ));

    a.resolve::<Person>(
        &p.id,
        "phone",
        ScalarValue::Str("13911111111".into()),
        &meta("tab-a", 4_000),
    )
    .unwrap();
    assert!(a.conflicts::<Person>(&p.id).unwrap().is_empty());
    assert_eq!(
        a.get::<Person>(&p.id).unwrap().unwrap().phone,
        "13911111111"
    );
    let h = a.history::<Person>(&p.id).unwrap();
    assert_eq!(h.len(), 4);
    assert_eq!(h.last().unwrap().op, Some(ChangeOp::Resolve));
    assert!(
        h.iter()
            .any(|e| e.device == "tab-b" && e.fields.contains(&"native_place".to_string()))
    );
}

#[test]
fn save_load_round_trip() {
    let (mut doc, unit) = unit_doc();
    doc.put(&person(3, &unit), &meta("tab-1", 2_000)).unwrap();
    let loaded = UnitDocument::load(&doc.save(), &[9; 16]).unwrap();
    assert_eq!(loaded.data().unwrap(), doc.data().unwrap());
    assert_eq!(
        loaded.schema_version().unwrap(),
        yanzhen_model::store::SCHEMA_VERSION
    );
}

#[test]
fn collections_read_as_autosurgeons_own_maps() {
    // The documents' collections are read by `store::hydrate_records`, not
    // autosurgeon's `BTreeMap` reading: the same maps, in the same order.
    use std::collections::BTreeMap;
    use yanzhen_model::store::{DistrictData, UnitData};
    let demo = yanzhen_model::demo::generate(1);
    let (district, units) = yanzhen_model::demo::build_documents(&demo).unwrap();
    let am = district.automerge();
    let d: DistrictData = autosurgeon::hydrate(am).unwrap();
    let units_map: BTreeMap<Id, Unit> =
        autosurgeon::hydrate_prop(am, automerge::ROOT, "units").unwrap();
    assert!(units_map.len() > 1);
    assert_eq!(d.units, units_map);
    let mut people = 0;
    for (_, u) in &units {
        let am = u.automerge();
        let data: UnitData = autosurgeon::hydrate(am).unwrap();
        let p: BTreeMap<Id, Person> =
            autosurgeon::hydrate_prop(am, automerge::ROOT, "people").unwrap();
        let posts: BTreeMap<Id, Post> =
            autosurgeon::hydrate_prop(am, automerge::ROOT, "posts").unwrap();
        assert_eq!(data.people, p);
        assert_eq!(data.posts, posts);
        people += p.len();
    }
    assert!(people > 10, "{people}");
}
