//! Schema migration from the kept v1 fixture (`tests/fixtures/unit_v1.automerge`).
//!
//! The fixture was written by `write_v1_fixture` (ignored; run with
//! `cargo test -p yanzhen-model --test migration -- --ignored` only if the
//! v1 layout description below changes, which it must not).

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ObjType, ROOT, ReadDoc};
use yanzhen_model::entities::*;
use yanzhen_model::store::{SCHEMA_VERSION, UnitDocument};
use yanzhen_model::{Id, ModelError};

const FIXTURE: &[u8] = include_bytes!("fixtures/unit_v1.automerge");

fn id(n: u8) -> String {
    Id::from_random_bytes([n; 16]).to_string()
}

/// The empty collections of a v1 unit document (`leads` aside: v1 wrote
/// each lead with its funds as a float).
const V1_COLLECTIONS: &[&str] = &[
    "people",
    "posts",
    "commitments",
    "duty_reports",
    "incomes",
    "pay",
    "attendance",
    "certificates",
    "appointments",
    "contacts",
    "reserve_cadres",
];

/// An old unit document's root: its schema `version`, its unit id and
/// empty `collections`.
fn put_root(tx: &mut impl Transactable, version: u64, collections: &[&str]) {
    tx.put(ROOT, "schema_version", version).unwrap();
    tx.put(ROOT, "unit_id", id(1)).unwrap();
    for c in collections {
        tx.put_object(ROOT, *c, ObjType::Map).unwrap();
    }
}

/// The v1 layout: no `career_moves`, lead funds as float `funds_wan`.
fn v1_document() -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(&[0x11u8; 16][..]));
    let mut tx = doc.transaction();
    put_root(&mut tx, 1, V1_COLLECTIONS);
    let appts = tx.get(ROOT, "appointments").unwrap().unwrap().1;
    let a = tx.put_object(&appts, id(2), ObjType::Map).unwrap();
    for (k, v) in [
        ("id", id(2)),
        ("kind", "DevelopmentAdvisor".into()),
        ("name", "测试顾问".into()),
        ("origin", "武汉".into()),
        ("phone", String::new()),
        ("appointed", "2023-03-01".into()),
        ("certificate_no", "V1-1".into()),
    ] {
        tx.put(&a, k, v).unwrap();
    }
    tx.put(&a, "active", true).unwrap();
    let leads = tx.put_object(ROOT, "leads", ObjType::Map).unwrap();
    let l = tx.put_object(&leads, id(3), ObjType::Map).unwrap();
    for (k, v) in [
        ("id", id(3)),
        ("advisor_id", id(2)),
        ("title", "农产品加工项目".into()),
        ("stage", "FundsArrived".into()),
        ("lead_date", "2023-04-01".into()),
        ("visit_date", "2023-05-01".into()),
        ("project_date", "2023-08-01".into()),
    ] {
        tx.put(&l, k, v).unwrap();
    }
    tx.put(&l, "valid", true).unwrap();
    tx.put(&l, "funds_wan", 257.5f64).unwrap();
    tx.commit();
    doc
}

/// The kept fixture is exactly what the v1 writer above produces (its actor
/// and contents are fixed), so the fixture and the code that documents the
/// v1 layout cannot drift apart. To regenerate it, write
/// `v1_document().save()` to `tests/fixtures/unit_v1.automerge`.
#[test]
fn fixture_is_the_documented_v1_document() {
    let fixture = Automerge::load(FIXTURE).unwrap();
    assert_eq!(yanzhen_model::migrate::schema_version(&fixture).unwrap(), 1);
    assert_eq!(fixture.get_heads(), v1_document().get_heads());
}

#[test]
fn v1_fixture_migrates() {
    let doc = UnitDocument::load(FIXTURE, &[5; 16]).unwrap();
    assert_eq!(doc.schema_version().unwrap(), SCHEMA_VERSION);
    let data = doc.data().unwrap();
    let lead = data.leads.values().next().unwrap();
    assert_eq!(lead.funds_yuan, 2_575_000);
    assert_eq!(lead.stage, LeadStage::FundsArrived);
    assert!(data.career_moves.is_empty());
    assert!(data.nominations.is_empty());
    // The migrated document accepts new-collection writes.
    let mut doc = doc;
    let history = doc.history::<InvestmentLead>(&lead.id).unwrap();
    assert!(!history.is_empty());
    let mut l2 = lead.clone();
    l2.title = "农产品深加工项目".into();
    doc.put(&l2, &yanzhen_model::ChangeMeta::new("t", "p", "r", 1))
        .unwrap();
}

#[test]
fn concurrent_migrations_are_identical() {
    let mut a = UnitDocument::load(FIXTURE, &[5; 16]).unwrap();
    let mut b = UnitDocument::load(FIXTURE, &[6; 16]).unwrap();
    assert_eq!(
        a.heads(),
        b.heads(),
        "the migration change is deterministic"
    );
    a.merge(&mut b).unwrap();
    let lead = a.data().unwrap().leads.into_values().next().unwrap();
    assert!(a.conflicts::<InvestmentLead>(&lead.id).unwrap().is_empty());
}

#[test]
fn newer_schema_is_refused() {
    let mut doc = v1_document();
    doc.transact(|tx| tx.put(ROOT, "schema_version", SCHEMA_VERSION + 1))
        .unwrap();
    let e = UnitDocument::load(&doc.save(), &[1; 16]).unwrap_err();
    assert!(matches!(e, ModelError::SchemaTooNew(_)));
    assert_eq!(e.message_key(), "model.schema.too_new");
}

/// A schema-2 unit document: everything of v3 but the `nominations`
/// collection (what tablets wrote before the joint-review nominations).
fn v2_document() -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(&[0x22u8; 16][..]));
    let mut tx = doc.transaction();
    put_root(&mut tx, 2, V1_COLLECTIONS);
    for c in ["leads", "career_moves"] {
        tx.put_object(ROOT, c, ObjType::Map).unwrap();
    }
    tx.commit();
    doc
}

#[test]
fn v2_document_migrates_and_takes_nominations() {
    let bytes = v2_document().save();
    // Hydrating a v2 document directly (as screens do) gives no nominations.
    let raw: yanzhen_model::store::UnitData =
        autosurgeon::hydrate(&Automerge::load(&bytes).unwrap()).unwrap();
    assert!(raw.nominations.is_empty());
    // The app's reader (serde) reads it the same, without the collection.
    let fast: yanzhen_model::store::UnitData =
        yanzhen_model::whole::read(&Automerge::load(&bytes).unwrap()).unwrap();
    assert_eq!(fast, raw);
    let mut doc = UnitDocument::load(&bytes, &[5; 16]).unwrap();
    assert_eq!(doc.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(doc.data().unwrap().nominations.is_empty());
    let n = Nomination {
        id: Id::from_random_bytes([9; 16]),
        batch_id: Id::from_random_bytes([8; 16]),
        candidate_name: "测试候选".into(),
        candidate_id_number: yanzhen_model::validate::make_id_number(
            "990101",
            yanzhen_model::Date::new(1990, 1, 2).unwrap(),
            3,
        ),
        seat: PostTitle::CommitteeMember,
        submitted: yanzhen_model::Date::new(2024, 8, 1).unwrap(),
        note: String::new(),
    };
    doc.put(&n, &yanzhen_model::ChangeMeta::new("t", "p", "r", 1))
        .unwrap();
    assert_eq!(doc.data().unwrap().nominations[&n.id], n);
    // Two tablets migrating the same v2 state make the same change.
    let a = UnitDocument::load(&bytes, &[5; 16]).unwrap();
    let b = UnitDocument::load(&bytes, &[6; 16]).unwrap();
    assert_eq!(a.heads(), b.heads());
}
