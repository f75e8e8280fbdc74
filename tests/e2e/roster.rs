//! End-to-end test of the roster (花名册) and the person file (一人一档) in
//! real headless Chromium on a 1280×800 tablet against the real server with
//! the demo district: a township office enrols, picks a village, finds a
//! person by pinyin initials, reveals the masked ID number, edits the phone
//! number and sees it saved (and still there after a reload); adds a person
//! with a wrong ID check digit and gets a clear message with nothing saved
//! (the list count is unchanged after a reload); fixes it and the person is
//! saved, listed and still there after a reload. Screenshots of every
//! roster screen go to `target/screenshots/roster-*.png`.

use crate::support::{ArgServer, Browser};
use yanzhen::data::choices::unit_choices;
use yanzhen::data::pinyin::{initials, matches};
use yanzhen::i18n::{Lang, Msg, model_text};
use yanzhen_model::entities::{PersonStatus, UnitKind};
use yanzhen_model::validate::{make_id_number, mask_id_number};
use yanzhen_model::{Date, DocId};

/// The person to look for, and the unit and township they are in.
struct Pick {
    township: String,
    unit_doc: String,
    person_id: String,
    name: String,
    id_number: String,
    query: String,
}

fn pick() -> Pick {
    let demo = yanzhen_model::demo::generate(yanzhen_server::demo::DEFAULT_SEED);
    let d = &demo.district;
    let township = d
        .units
        .values()
        .find(|u| matches!(u.kind, UnitKind::Township | UnitKind::Street))
        .expect("a township");
    let docs: Vec<DocId> = d
        .unit_documents()
        .filter(|u| u.parent.as_ref() == Some(&township.id))
        .filter_map(|u| u.doc_id)
        .collect();
    let choice = unit_choices(d, &docs)
        .into_iter()
        .next()
        .expect("a village");
    let data = demo
        .units
        .iter()
        .find(|u| u.unit_id == choice.unit_id)
        .unwrap();
    let active: Vec<_> = data
        .people
        .values()
        .filter(|p| p.status == PersonStatus::Active)
        .collect();
    let p = active
        .iter()
        .find(|p| {
            let q = initials(&p.name);
            !p.id_number.is_empty()
                && q.len() >= 2
                && active.iter().filter(|o| matches(&o.name, &q)).count() == 1
        })
        .expect("a person with unique initials");
    Pick {
        township: township.id.as_str().to_owned(),
        unit_doc: yanzhen_sync::DocumentId::from_bytes(choice.doc.0).to_string(),
        person_id: p.id.as_str().to_owned(),
        name: p.name.clone(),
        id_number: p.id_number.clone(),
        query: initials(&p.name),
    }
}

async fn count(b: &Browser) -> usize {
    b.wait_for("#roster-count").await;
    let v = b
        .js("return document.querySelector('#roster-count').dataset.count")
        .await;
    v.as_str().unwrap().parse().unwrap()
}

async fn open_roster(b: &Browser, url: &str, unit_doc: &str) {
    b.goto(&format!("{url}roster")).await;
    b.wait_for_secs(60, &format!("#roster-unit option[value='{unit_doc}']"))
        .await;
    b.wait_for_secs(60, "#person-list .person-row").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_office_finds_edits_and_adds_people() {
    let p = pick();
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let code = server.cli_code("township", Some(&p.township));
    let b = Browser::start().await;
    b.enrol_on_settings(&url, &code, "岑河镇平板").await;

    // The roster asks for a unit first.
    b.goto(&format!("{url}roster")).await;
    b.wait_for_secs(60, &format!("#roster-unit option[value='{}']", p.unit_doc))
        .await;
    b.screenshot("roster-pick-unit").await;
    b.choose("#roster-unit", &p.unit_doc).await;
    b.wait_for_secs(60, "#person-list .person-row").await;
    b.screenshot("roster-list").await;
    let n = count(&b).await;
    assert!(n >= 3, "{n} people listed");

    // Search by pinyin initials.
    b.type_into("#roster-search", &p.query).await;
    b.wait_js(
        "return document.querySelectorAll('#person-list .person-row').length",
        serde_json::json!(1),
    )
    .await;
    let found = b
        .js("return document.querySelector('#person-list .person-row').dataset.person")
        .await;
    assert_eq!(found, p.person_id.as_str(), "{} finds {}", p.query, p.name);
    b.screenshot("roster-search-initials").await;

    // The person file: the ID number is masked until revealed.
    b.tap("#person-list .person-row").await;
    b.wait_text("#page-title", &p.name).await;
    b.wait_text("#person-id-masked", &mask_id_number(&p.id_number))
        .await;
    assert!(
        !b.exists("#person-id_number").await,
        "the full number is hidden"
    );
    b.screenshot("roster-person").await;
    b.tap("#person-id-reveal").await;
    b.wait_for("#person-id_number").await;
    assert_eq!(b.value("#person-id_number").await, p.id_number);
    b.screenshot("roster-person-id-revealed").await;

    // Edit the mobile number: saved on the tablet, still there after a reload.
    b.type_into("#person-phone", "13912345678").await;
    b.tap("#person-save").await;
    b.wait_text("#person-save-state", Msg::PersonSavedLocal.text(Lang::ZhCn))
        .await;
    b.screenshot("roster-person-saved").await;
    b.refresh().await;
    b.wait_for_secs(60, "#person-phone").await;
    assert_eq!(b.value("#person-phone").await, "13912345678");
    b.screenshot("roster-person-history").await;

    // Back to the list: the unit choice is remembered.
    b.tap("#person-back").await;
    b.wait_for_secs(60, "#person-list .person-row").await;
    let before = count(&b).await;

    // A new person with a wrong check digit: a clear message, nothing saved.
    b.tap("#roster-add").await;
    b.wait_text("#page-title", Msg::PersonNewTitle.text(Lang::ZhCn))
        .await;
    let good = make_id_number("990101", Date::new(1990, 5, 4).unwrap(), 11);
    let last = good.chars().last().unwrap();
    let wrong = format!("{}{}", &good[..17], if last == '1' { '2' } else { '1' });
    b.type_into("#person-name", "测试新人").await;
    b.type_into("#person-id_number", &wrong).await;
    b.tap("#person-save").await;
    b.wait_text(
        "#person-id_number-error",
        model_text("validation.id_number.check_digit", Lang::ZhCn).unwrap(),
    )
    .await;
    b.wait_text("#person-save-state", Msg::PersonFixErrors.text(Lang::ZhCn))
        .await;
    assert!(
        b.path().await.ends_with("/new"),
        "still the new-person form"
    );
    b.screenshot("roster-add-wrong-id").await;
    open_roster(&b, &url, &p.unit_doc).await;
    b.refresh().await;
    b.wait_for_secs(60, "#person-list .person-row").await;
    assert_eq!(count(&b).await, before, "nothing was saved");

    // Fixed: saved, listed, and still there after a reload.
    b.tap("#roster-add").await;
    b.type_into("#person-name", "测试新人").await;
    b.type_into("#person-id_number", &good).await;
    b.screenshot("roster-add-form").await;
    b.tap("#person-save").await;
    b.wait_text("#page-title", "测试新人").await;
    b.wait_text("#person-save-state", Msg::PersonSavedLocal.text(Lang::ZhCn))
        .await;
    assert!(!b.path().await.ends_with("/new"));
    b.screenshot("roster-add-saved").await;
    b.tap("#person-back").await;
    b.wait_for_secs(60, "#person-list .person-row").await;
    assert_eq!(count(&b).await, before + 1);
    b.refresh().await;
    b.wait_for_secs(60, "#person-list .person-row").await;
    assert_eq!(count(&b).await, before + 1, "kept in IndexedDB");
    b.type_into("#roster-search", "csxr").await;
    b.wait_js(
        "return document.querySelectorAll('#person-list .person-row').length",
        serde_json::json!(1),
    )
    .await;
    b.type_into("#roster-search", "zzzz").await;
    b.wait_text("#roster-state", Msg::RosterNoMatch.text(Lang::ZhCn))
        .await;
    b.screenshot("roster-no-match").await;
    b.close().await;
}
