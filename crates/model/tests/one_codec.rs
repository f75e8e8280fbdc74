//! The app's one reading codec ([`yanzhen_model::whole`], serde over
//! Automerge's hydrated tree) against autosurgeon's `Hydrate`, which the app
//! no longer reaches: every tree autosurgeon reads, serde reads to the same
//! value, and what serde refuses is an error, not a panic. Single records
//! (current, at old heads, inside a transaction) and whole documents, with
//! every field of every record (nested fields included) replaced by each
//! kind of Automerge value.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Debug;

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value};
use autosurgeon::Hydrate;
use serde::de::DeserializeOwned;
use yanzhen_model::entities::*;
use yanzhen_model::store::{DistrictData, Document, Record, UnitData};
use yanzhen_model::whole::read_obj;
use yanzhen_model::{ChangeMeta, DistrictDocument, UnitDocument};

/// One slot of a tree: a map key or a list index of an object.
type Slot = (ObjId, Prop);

/// Every slot under `obj`, at every depth (parents before children).
fn slots<D: ReadDoc>(doc: &D, obj: &ObjId, out: &mut Vec<Slot>) {
    let props: Vec<Prop> = match doc.object_type(obj) {
        Ok(ObjType::Map | ObjType::Table) => doc.keys(obj).map(Prop::Map).collect(),
        Ok(ObjType::List) => (0..doc.length(obj)).map(Prop::Seq).collect(),
        _ => Vec::new(),
    };
    for p in props {
        out.push((obj.clone(), p.clone()));
        if let Ok(Some((Value::Object(_), child))) = doc.get(obj, p) {
            slots(doc, &child, out);
        }
    }
}

/// What a slot is replaced with.
#[derive(Debug, Clone)]
enum Hostile {
    Scalar(ScalarValue),
    /// A text object with this content.
    Text(String),
    /// A counter set to the first value, then incremented by the second.
    Counter(i64, i64),
    /// An empty map, or one with a single integer entry under this key.
    Map(Option<String>),
    /// A list of these strings.
    List(Vec<String>),
    /// The slot removed.
    Missing,
}

/// Each kind of Automerge value, in a few shapes: strings a record could
/// hold (a date, an id, enum variants), integers at the edges of their
/// widths and signs, floats including non-finite ones, objects.
fn hostiles(original: Option<&str>) -> Vec<Hostile> {
    use Hostile::*;
    use ScalarValue as S;
    let mut strings = vec![
        String::new(),
        "2024-05-06".to_owned(),
        "0192a0e4-5d5b-4f3c-8a7e-0123456789ab".to_owned(),
        "Village".to_owned(),
        "Male".to_owned(),
        "Pass".to_owned(),
    ];
    strings.extend(original.map(str::to_owned));
    let mut out: Vec<Hostile> = Vec::new();
    for s in &strings {
        out.push(Scalar(S::Str(s.as_str().into())));
        out.push(Text(s.clone()));
    }
    for i in [0, -1, 7, 255, 65_536, i64::MIN, i64::MAX] {
        out.push(Scalar(S::Int(i)));
    }
    for u in [0, 7, 255, 65_536, u64::MAX] {
        out.push(Scalar(S::Uint(u)));
    }
    for f in [0.0, 2.5, -1.0, f64::NAN, f64::INFINITY] {
        out.push(Scalar(S::F64(f)));
    }
    out.extend([
        Scalar(S::Boolean(true)),
        Scalar(S::Boolean(false)),
        Scalar(S::Null),
        Scalar(S::Timestamp(0)),
        Scalar(S::Timestamp(1_700_000_000_000)),
        Scalar(S::Bytes(vec![1, 2])),
        Scalar(S::Unknown {
            type_code: 20,
            bytes: vec![1],
        }),
        Counter(7, 3),
        Map(None),
        Map(Some("Male".to_owned())),
        List(Vec::new()),
        List(vec!["2024-05-06".to_owned()]),
        Missing,
    ]);
    out
}

/// Writes `h` into `slot` (inside `tx`).
fn put(tx: &mut Transaction<'_>, (obj, prop): &Slot, h: &Hostile) {
    let make = |tx: &mut Transaction<'_>, t: ObjType| tx.put_object(obj, prop.clone(), t).unwrap();
    match h {
        Hostile::Scalar(s) => tx.put(obj, prop.clone(), s.clone()).unwrap(),
        Hostile::Text(s) => {
            let t = make(tx, ObjType::Text);
            tx.splice_text(&t, 0, 0, s).unwrap();
        }
        Hostile::Counter(start, by) => {
            tx.put(obj, prop.clone(), ScalarValue::counter(*start))
                .unwrap();
            tx.increment(obj, prop.clone(), *by).unwrap();
        }
        Hostile::Map(key) => {
            let m = make(tx, ObjType::Map);
            if let Some(k) = key {
                tx.put(&m, k.as_str(), 1_i64).unwrap();
            }
        }
        Hostile::List(items) => {
            let l = make(tx, ObjType::List);
            for (i, s) in items.iter().enumerate() {
                tx.insert(&l, i, s.as_str()).unwrap();
            }
        }
        Hostile::Missing => match prop {
            Prop::Map(k) => tx.delete(obj, k.as_str()).unwrap(),
            Prop::Seq(i) => tx.delete(obj, *i).unwrap(),
        },
    }
}

/// How the two readers fared over many trees.
#[derive(Debug, Default)]
struct Tally {
    /// Both read the tree, to the same value.
    same: usize,
    /// Only serde read it (autosurgeon refused).
    serde_only: usize,
    /// Both refused.
    refused: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.same += o.same;
        self.serde_only += o.serde_only;
        self.refused += o.refused;
    }
}

/// Compares the two readers on one tree: `ours` must read whatever
/// `theirs` reads, to the same value.
fn judge<T: PartialEq + Debug>(
    tally: &mut Tally,
    theirs: Result<T, autosurgeon::HydrateError>,
    ours: Result<T, autosurgeon::HydrateError>,
    what: &dyn Fn() -> String,
) {
    match (theirs, ours) {
        (Ok(a), Ok(b)) => {
            // As printed: a NaN read both ways is the same value.
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", what());
            tally.same += 1;
        }
        (Ok(a), Err(e)) => panic!("{}: autosurgeon read {a:?}, serde refused: {e}", what()),
        (Err(_), Ok(_)) => tally.serde_only += 1,
        (Err(_), Err(e)) => {
            assert!(!e.to_string().is_empty());
            tally.refused += 1;
        }
    }
}

/// The record of type `R` with the most slots (the most nested fields
/// filled in) in any of `ams`: which document, its collection, its key, its
/// object.
fn fullest<R: Record>(ams: &[Automerge]) -> (usize, ObjId, String, ObjId) {
    let mut best: Option<(usize, (usize, ObjId, String, ObjId))> = None;
    for (i, am) in ams.iter().enumerate() {
        let (_, coll) = am.get(ROOT, R::COLLECTION).unwrap().unwrap();
        for key in am.keys(&coll) {
            let (_, obj) = am.get(&coll, key.as_str()).unwrap().unwrap();
            let mut s = Vec::new();
            slots(am, &obj, &mut s);
            if best.as_ref().is_none_or(|(n, _)| s.len() > *n) {
                best = Some((s.len(), (i, coll.clone(), key, obj)));
            }
        }
    }
    best.unwrap_or_else(|| panic!("no {} in the demo", R::COLLECTION))
        .1
}

/// Every slot of the fullest record of type `R` replaced by each hostile
/// value, read inside the transaction that wrote it (then rolled back).
fn every_field_of<R>(ams: &mut [Automerge]) -> Tally
where
    R: Record + Hydrate + DeserializeOwned + PartialEq + Debug,
{
    let (i, coll, key, obj) = fullest::<R>(ams);
    let am = &mut ams[i];
    let heads = am.get_heads();
    let mut all = Vec::new();
    slots(am, &obj, &mut all);
    assert!(!all.is_empty());
    let mut tally = Tally::default();
    for slot in &all {
        let original = match am.get(&slot.0, slot.1.clone()).unwrap() {
            Some((Value::Scalar(s), _)) => s.as_str().map(str::to_owned),
            _ => None,
        };
        for h in hostiles(original.as_deref()) {
            let mut tx = am.transaction();
            put(&mut tx, slot, &h);
            let theirs = autosurgeon::hydrate_prop::<_, R, _, _>(&tx, &coll, key.as_str());
            let ours = read_obj::<R, _>(&tx, &obj);
            judge(&mut tally, theirs, ours, &|| {
                format!("{} {key}: {:?} := {h:?}", R::COLLECTION, slot.1)
            });
            tx.rollback();
        }
    }
    // Every transaction was rolled back.
    assert_eq!(am.get_heads(), heads);
    tally
}

/// Every root key of a whole document replaced by each hostile value.
fn every_collection_of<T>(am: &mut Automerge) -> Tally
where
    T: Hydrate + DeserializeOwned + PartialEq + Debug,
{
    let keys: Vec<String> = am.keys(ROOT).collect();
    let mut tally = Tally::default();
    for k in keys {
        for h in hostiles(None) {
            let mut tx = am.transaction();
            put(&mut tx, &(ROOT, Prop::Map(k.clone())), &h);
            let theirs = autosurgeon::hydrate::<_, T>(&tx);
            let ours = read_obj::<T, _>(&tx, &ROOT);
            judge(&mut tally, theirs, ours, &|| format!("root {k} := {h:?}"));
            tx.rollback();
        }
    }
    tally
}

fn meta(t: i64) -> ChangeMeta {
    ChangeMeta::new("dev", "测试员", "clerk", t)
}

fn nomination() -> Nomination {
    let born = yanzhen_model::Date::new(1990, 1, 2).unwrap();
    Nomination {
        id: yanzhen_model::Id::from_random_bytes([9; 16]),
        batch_id: yanzhen_model::Id::from_random_bytes([8; 16]),
        candidate_name: "测试候选".into(),
        candidate_id_number: yanzhen_model::validate::make_id_number("990101", born, 3),
        seat: PostTitle::CommitteeMember,
        submitted: yanzhen_model::Date::new(2024, 8, 1).unwrap(),
        note: String::new(),
    }
}

fn demo() -> (DistrictDocument, Vec<UnitDocument>) {
    let demo = yanzhen_model::demo::generate(1);
    let (district, units) = yanzhen_model::demo::build_documents(&demo).unwrap();
    (district, units.into_iter().map(|(_, u)| u).collect())
}

#[test]
fn every_field_of_every_unit_record_reads_as_autosurgeon_reads_it() {
    let (_, mut units) = demo();
    // The demo has no nominations yet.
    units[0].put(&nomination(), &meta(1)).unwrap();
    let mut ams: Vec<Automerge> = units.iter().map(|u| u.automerge().clone()).collect();
    let mut t = Tally::default();
    t.add(&every_field_of::<Person>(&mut ams));
    t.add(&every_field_of::<Post>(&mut ams));
    t.add(&every_field_of::<TermCommitment>(&mut ams));
    t.add(&every_field_of::<DutyReport>(&mut ams));
    t.add(&every_field_of::<CollectiveIncome>(&mut ams));
    t.add(&every_field_of::<PayRecord>(&mut ams));
    t.add(&every_field_of::<Attendance>(&mut ams));
    t.add(&every_field_of::<Certificate>(&mut ams));
    t.add(&every_field_of::<Appointment>(&mut ams));
    t.add(&every_field_of::<ContactLog>(&mut ams));
    t.add(&every_field_of::<InvestmentLead>(&mut ams));
    t.add(&every_field_of::<ReserveCadre>(&mut ams));
    t.add(&every_field_of::<CareerMove>(&mut ams));
    t.add(&every_field_of::<Nomination>(&mut ams));
    // The three outcomes all occurred (the test exercises each).
    assert!(
        t.same > 400 && t.serde_only > 400 && t.refused > 3000,
        "{t:?}"
    );
}

#[test]
fn every_field_of_every_district_record_reads_as_autosurgeon_reads_it() {
    let (district, _) = demo();
    let mut ams = [district.automerge().clone()];
    let mut t = Tally::default();
    t.add(&every_field_of::<Unit>(&mut ams));
    t.add(&every_field_of::<RewardPolicy>(&mut ams));
    t.add(&every_field_of::<ReviewBatch>(&mut ams));
    t.add(&every_field_of::<CandidateReview>(&mut ams));
    t.add(&every_field_of::<Filing>(&mut ams));
    t.add(&every_field_of::<Assessment>(&mut ams));
    t.add(&every_field_of::<TrainingSession>(&mut ams));
    t.add(&every_field_of::<MasterStudio>(&mut ams));
    t.add(&every_field_of::<Mentorship>(&mut ams));
    t.add(&every_field_of::<TalentExchange>(&mut ams));
    t.add(&every_field_of::<PoolCandidate>(&mut ams));
    t.add(&every_field_of::<HomecomingCase>(&mut ams));
    assert!(
        t.same > 400 && t.serde_only > 400 && t.refused > 3000,
        "{t:?}"
    );
}

#[test]
fn every_collection_of_a_whole_document_reads_as_autosurgeon_reads_it() {
    // Small documents (each read is of the whole document): one record in
    // a unit document, none in the district's.
    let unit_id = yanzhen_model::Id::from_random_bytes([1; 16]);
    let mut unit = UnitDocument::new_unit(&unit_id, &[1; 16], &meta(0)).unwrap();
    let person = yanzhen_model::Id::from_random_bytes([2; 16]);
    let p = yanzhen_model::demo::minimal_person(person, &unit_id, 1);
    unit.put(&p, &meta(1)).unwrap();
    unit.put(&nomination(), &meta(2)).unwrap();
    let district = DistrictDocument::new_district("区", &[3; 16], &meta(0)).unwrap();
    let mut t = every_collection_of::<UnitData>(&mut unit.automerge().clone());
    t.add(&every_collection_of::<DistrictData>(
        &mut district.automerge().clone(),
    ));
    assert!(t.same > 20 && t.serde_only > 20 && t.refused > 500, "{t:?}");
}

/// `Document::get` of every record of a document against autosurgeon.
fn every_record_of<R>(doc: &Document<R::Scope>) -> usize
where
    R: Record + Hydrate + PartialEq + Debug,
{
    let am = doc.automerge();
    let (_, coll) = am.get(ROOT, R::COLLECTION).unwrap().unwrap();
    let mut n = 0;
    for key in am.keys(&coll) {
        let theirs: R = autosurgeon::hydrate_prop(am, &coll, key.as_str()).unwrap();
        let id = yanzhen_model::Id::from_string(key);
        assert_eq!(Some(theirs), doc.get::<R>(&id).unwrap());
        n += 1;
    }
    n
}

#[test]
fn every_record_of_the_demo_district_reads_one_by_one_as_autosurgeon_reads_it() {
    let (district, units) = demo();
    let d = &district;
    let mut n = every_record_of::<Unit>(d);
    n += every_record_of::<RewardPolicy>(d);
    n += every_record_of::<ReviewBatch>(d);
    n += every_record_of::<CandidateReview>(d);
    n += every_record_of::<Filing>(d);
    n += every_record_of::<Assessment>(d);
    n += every_record_of::<TrainingSession>(d);
    n += every_record_of::<MasterStudio>(d);
    n += every_record_of::<Mentorship>(d);
    n += every_record_of::<TalentExchange>(d);
    n += every_record_of::<PoolCandidate>(d);
    n += every_record_of::<HomecomingCase>(d);
    for unit in units.iter().take(5) {
        let u = unit;
        n += every_record_of::<Person>(u);
        n += every_record_of::<Post>(u);
        n += every_record_of::<TermCommitment>(u);
        n += every_record_of::<DutyReport>(u);
        n += every_record_of::<CollectiveIncome>(u);
        n += every_record_of::<PayRecord>(u);
        n += every_record_of::<Attendance>(u);
        n += every_record_of::<Certificate>(u);
        n += every_record_of::<Appointment>(u);
        n += every_record_of::<ContactLog>(u);
        n += every_record_of::<InvestmentLead>(u);
        n += every_record_of::<ReserveCadre>(u);
        n += every_record_of::<CareerMove>(u);
        n += every_record_of::<Nomination>(u);
    }
    assert!(n > 500, "{n}");
}

#[test]
fn a_record_at_old_heads_reads_as_autosurgeon_reads_it() {
    let (_, units) = demo();
    let mut unit = units.into_iter().next().unwrap();
    let unit_id = unit.data().unwrap().unit_id;
    let id = yanzhen_model::Id::from_random_bytes([42; 16]);
    let mut p = yanzhen_model::demo::minimal_person(id, &unit_id, 3);
    for (t, phone) in ["", "13900000001", "13900000002", "13900000003"]
        .into_iter()
        .enumerate()
    {
        p.phone = phone.into();
        unit.put(&p, &meta(t as i64)).unwrap();
    }
    let history = unit.history::<Person>(&p.id).unwrap();
    assert!(history.len() >= 4, "{history:?}");
    let mut seen = Vec::new();
    for entry in &history {
        let old = unit.automerge().fork_at(&[entry.hash]).unwrap();
        let (_, coll) = old.get(ROOT, "people").unwrap().unwrap();
        let theirs: Person = autosurgeon::hydrate_prop(&old, &coll, p.id.as_str()).unwrap();
        let ours = unit.record_at::<Person>(&p.id, &entry.hash).unwrap();
        assert_eq!(ours.as_ref(), Some(&theirs));
        seen.push(theirs.phone);
    }
    // Each old state is its own (not the current one read again).
    assert_eq!(seen, ["", "13900000001", "13900000002", "13900000003"]);
    // Before the person existed (the document's first change): none.
    let root = unit.automerge().get_changes(&[])[0].hash();
    assert_eq!(unit.record_at::<Person>(&p.id, &root).unwrap(), None);
}
