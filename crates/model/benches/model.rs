//! Native benchmarks (divan): merging 10 replicas × 500 changes, and loading
//! the demo district (105 unit documents + the district document: load and
//! hydrate), plus computing its figures.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-model cargo bench -p yanzhen-model`.

use divan::Bencher;
use yanzhen_model::demo::{self, minimal_person};
use yanzhen_model::entities::*;
use yanzhen_model::figures::{self, Filter};
use yanzhen_model::store::{DistrictData, UnitData, UnitDocument};
use yanzhen_model::{ChangeMeta, DistrictDocument, Id};

fn main() {
    divan::main();
}

/// 10 replicas of one unit document, each with 500 local changes (adds and
/// field edits) made offline.
fn replicas() -> (UnitDocument, Vec<UnitDocument>) {
    let unit = Id::from_random_bytes([9; 16]);
    let base = UnitDocument::new_unit(&unit, &[1; 16], &ChangeMeta::new("d", "p", "r", 0)).unwrap();
    let mut out = Vec::new();
    for r in 0..10u8 {
        let mut doc = base.fork(&[r + 10; 16]);
        let mut mine: Vec<Person> = Vec::new();
        for k in 0..500u32 {
            let meta = ChangeMeta::new("dev", "p", "clerk", k as i64);
            if k % 5 == 0 || mine.is_empty() {
                let mut b = [r; 16];
                b[1..5].copy_from_slice(&k.to_le_bytes());
                let p = minimal_person(Id::from_random_bytes(b), &unit, k);
                doc.put(&p, &meta).unwrap();
                mine.push(p);
            } else {
                let i = (k as usize * 7) % mine.len();
                mine[i].phone = format!("139{:08}", k * 13 + r as u32);
                doc.put(&mine[i], &meta).unwrap();
            }
        }
        out.push(doc);
    }
    (base, out)
}

#[divan::bench(sample_count = 10)]
fn merge_10_replicas_x_500_changes(bencher: Bencher) {
    let (base, reps) = replicas();
    bencher
        .with_inputs(|| (base.clone(), reps.clone()))
        .bench_values(|(mut target, mut reps)| {
            for r in reps.iter_mut() {
                target.merge(r).unwrap();
            }
            target
        });
}

fn saved_demo() -> (Vec<u8>, Vec<Vec<u8>>) {
    let (d, units) = demo::build_documents(&demo::generate(42)).unwrap();
    (d.save(), units.iter().map(|(_, u)| u.save()).collect())
}

/// Loads and hydrates the saved district and unit documents.
fn load(district: &[u8], units: &[Vec<u8>]) -> (DistrictData, Vec<UnitData>) {
    let d = DistrictDocument::load(district, &[1; 16])
        .unwrap()
        .data()
        .unwrap();
    let u = units
        .iter()
        .map(|b| UnitDocument::load(b, &[1; 16]).unwrap().data().unwrap())
        .collect();
    (d, u)
}

#[divan::bench(sample_count = 10)]
fn load_demo_district(bencher: Bencher) {
    let (district, units) = saved_demo();
    bencher.bench(|| load(&district, &units));
}

#[divan::bench(sample_count = 10)]
fn load_demo_district_and_compute_figures(bencher: Bencher) {
    let (district, units) = saved_demo();
    bencher.bench(|| {
        let (d, u) = load(&district, &units);
        figures::compute(&d, &u, &Filter::year(2024))
    });
}

#[divan::bench(sample_count = 5)]
fn generate_and_build_demo_documents() -> usize {
    let (_, units) = demo::build_documents(&demo::generate(42)).unwrap();
    units.len()
}
