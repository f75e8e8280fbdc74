//! Property tests: two or three replicas making random valid edits offline
//! converge to the same state whatever the merge order, and no record is
//! lost.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use yanzhen_model::demo::minimal_person;
use yanzhen_model::entities::*;
use yanzhen_model::store::UnitDocument;
use yanzhen_model::{ChangeMeta, Id};

#[derive(Debug, Clone)]
enum Edit {
    /// Add a person (id from the seed byte).
    AddPerson(u8),
    /// Change the phone of the n-th existing person.
    Phone(usize, u32),
    /// Change the name of the n-th existing person.
    Name(usize, u8),
    /// Add a pay record for the n-th existing person.
    Pay(usize, u32),
    /// Remove the n-th pay record.
    RemovePay(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<u8>().prop_map(Edit::AddPerson),
        (any::<usize>(), 0u32..100_000_000).prop_map(|(i, p)| Edit::Phone(i, p)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, n)| Edit::Name(i, n)),
        (any::<usize>(), 0u32..200_000).prop_map(|(i, p)| Edit::Pay(i, p)),
        any::<usize>().prop_map(Edit::RemovePay),
    ]
}

/// Applies `edits` on replica `r` (index `ri`); returns the ids it created.
fn apply(doc: &mut UnitDocument, ri: u8, edits: &[Edit], unit: &Id) -> Vec<Id> {
    let mut created = Vec::new();
    for (k, e) in edits.iter().enumerate() {
        let meta = ChangeMeta::new(&format!("dev-{ri}"), "p", "clerk", k as i64);
        let data = doc.data().unwrap();
        let people: Vec<&Person> = data.people.values().collect();
        let fresh = Id::from_random_bytes([
            ri,
            k as u8,
            (k >> 8) as u8,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            11,
            12,
            13,
        ]);
        match e {
            Edit::AddPerson(n) => {
                doc.put(&minimal_person(fresh.clone(), unit, u32::from(*n)), &meta)
                    .unwrap();
                created.push(fresh);
            }
            Edit::Phone(i, p) if !people.is_empty() => {
                let mut p2 = people[i % people.len()].clone();
                p2.phone = format!("139{p:08}");
                doc.put(&p2, &meta).unwrap();
            }
            Edit::Name(i, n) if !people.is_empty() => {
                let mut p2 = people[i % people.len()].clone();
                p2.name = format!("名{n}");
                doc.put(&p2, &meta).unwrap();
            }
            Edit::Pay(i, pay) if !people.is_empty() => {
                let r = PayRecord {
                    id: fresh.clone(),
                    person_id: people[i % people.len()].id.clone(),
                    year: 2024,
                    annual_pay_yuan: *pay as i64,
                };
                doc.put(&r, &meta).unwrap();
                created.push(fresh);
            }
            Edit::RemovePay(i) if !data.pay.is_empty() => {
                let id = data.pay.keys().nth(i % data.pay.len()).unwrap().clone();
                doc.remove::<PayRecord>(&id, &meta).unwrap();
            }
            _ => {}
        }
    }
    created
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge(
        base in proptest::collection::vec(edit(), 0..6),
        e in proptest::collection::vec(proptest::collection::vec(edit(), 0..8), 2..=3),
        order in any::<u8>(),
    ) {
        let unit = Id::from_random_bytes([200; 16]);
        let mut origin = UnitDocument::new_unit(&unit, &[100; 16], &ChangeMeta::new("d", "p", "r", 0)).unwrap();
        apply(&mut origin, 100, &base, &unit);
        let mut replicas: Vec<UnitDocument> = (0..e.len()).map(|i| origin.fork(&[i as u8 + 1; 16])).collect();
        let mut created = Vec::new();
        for (i, r) in replicas.iter_mut().enumerate() {
            created.extend(apply(r, i as u8 + 1, &e[i], &unit));
        }
        // Merge in two different orders into two fresh copies.
        let n = replicas.len();
        let mut forward = origin.fork(&[50; 16]);
        let mut backward = origin.fork(&[51; 16]);
        for i in 0..n {
            forward.merge(&mut replicas[(i + order as usize) % n].clone()).unwrap();
            backward.merge(&mut replicas[(n - 1 - i + order as usize) % n].clone()).unwrap();
        }
        // And pairwise sync between the replicas themselves.
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let mut other = replicas[j].clone();
                    replicas[i].merge(&mut other).unwrap();
                }
            }
        }
        let a = forward.data().unwrap();
        // The one-pass read agrees with autosurgeon's field-by-field one,
        // conflicts included.
        let by_field: yanzhen_model::store::UnitData =
            autosurgeon::hydrate(forward.automerge()).unwrap();
        prop_assert_eq!(&a, &by_field);
        // So do single records (the people replicas edited concurrently).
        let (_, people) = automerge::ReadDoc::get(forward.automerge(), automerge::ROOT, "people")
            .unwrap()
            .unwrap();
        for id in a.people.keys() {
            let one: Person =
                autosurgeon::hydrate_prop(forward.automerge(), &people, id.as_str()).unwrap();
            prop_assert_eq!(forward.get::<Person>(id).unwrap(), Some(one));
        }
        prop_assert_eq!(&a, &backward.data().unwrap());
        for r in &replicas {
            prop_assert_eq!(&a, &r.data().unwrap());
        }
        // Every created person survives; every created pay record survives
        // unless a replica removed it.
        for id in &created {
            let present = a.people.contains_key(id) || a.pay.contains_key(id);
            let removed = forward
                .history::<PayRecord>(id)
                .unwrap()
                .iter()
                .any(|h| h.op == Some(yanzhen_model::store::ChangeOp::Remove));
            prop_assert!(present || removed, "lost record {}", id);
        }
        for p in a.people.values() {
            prop_assert!(yanzhen_model::validate::Validate::validate(p).is_ok());
        }
    }
}
