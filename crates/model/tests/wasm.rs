#![cfg(target_arch = "wasm32")]
//! Browser test (headless Chromium via wasm-bindgen-test): generate the demo
//! district, compute the reference figures, and round-trip a document.

use wasm_bindgen_test::*;
use yanzhen_model::DistrictDocument;
use yanzhen_model::demo;
use yanzhen_model::figures::{self, Filter};
use yanzhen_model::store::{UnitData, UnitDocument};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn demo_figures_in_the_browser() {
    let demo = demo::generate(42);
    let (district, units) = demo::build_documents(&demo).unwrap();
    let d = DistrictDocument::load(&district.save(), &[7; 16])
        .unwrap()
        .data()
        .unwrap();
    let u: Vec<UnitData> = units
        .iter()
        .map(|(_, doc)| {
            UnitDocument::load(&doc.save(), &[7; 16])
                .unwrap()
                .data()
                .unwrap()
        })
        .collect();
    let f = figures::compute(&d, &u, &Filter::year(demo::REFERENCE_YEAR));
    assert_eq!(f.candidates_reviewed, 40);
    assert_eq!((f.honorary_secretaries, f.development_advisors), (42, 96));
    assert_eq!(f.investment_funds_yuan, 10_300_000);
    assert_eq!(f.certified_share_pct, 39);
    assert!(f.mismatches_with_published().is_empty());
}

#[wasm_bindgen_test]
fn save_load_round_trip() {
    let demo = demo::generate(1);
    let (_, units) = demo::build_documents(&demo).unwrap();
    let (_, doc) = &units[0];
    let loaded = UnitDocument::load(&doc.save(), &[8; 16]).unwrap();
    assert_eq!(loaded.data().unwrap(), doc.data().unwrap());
    assert_eq!(loaded.heads(), doc.heads());
}
