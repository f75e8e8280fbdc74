//! End-to-end test of the 雏雁 (young geese) screens in real headless
//! Chromium on a 1280×800 tablet against the real server with the demo
//! district, acting like people:
//!
//! * the district organisation department's tablet (admin) sees the
//!   reserve funnel 99 → mentored → 25, the 60 recruited from the pool, the
//!   11 home-coming moves and the 26 career posts, each equal to what the
//!   model's rules compute from the demo data in this test;
//! * each workflow first gets a bad input (a missing required field, an
//!   outcome dated before the selection, a recruitment before registration,
//!   a move before the case was identified, no person picked) that shows a
//!   clear message and saves nothing (the figures and lists are unchanged
//!   after a reload), then the correct input, saved and still there after
//!   a reload; the record's history shows in its trail;
//! * recording a home-coming move takes the worker off the mismatch list
//!   and adds one to the moved count;
//! * a village tablet sees the admin's new reserve cadre after sync, adds
//!   one of its own that the admin then sees in the funnel, and is offered
//!   no pool form (district data), with the reason.
//!
//! Screenshots: `target/screenshots/young-*.png`.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use crate::support::{ArgServer, Browser};
use serde_json::json;
use yanzhen::i18n::{Lang, model_text};
use yanzhen::modules::young::messages::YoungMsg;
use yanzhen::routes::Screen;
use yanzhen_model::entities::{PersonStatus, PoolStatus, UnitKind};
use yanzhen_model::young::{
    career_summary, homecoming_rows, moved_count, pool_summary, reserve_funnel,
};

/// How long the first sync of every document may take (the admin tablet
/// holds all 105 unit documents).
const SYNC_SECS: u64 = 240;

/// What the test expects, computed from the demo data with the model's rules.
struct Expect {
    selected: usize,
    mentored: usize,
    entered: usize,
    recruited: usize,
    pool_total: usize,
    moved: usize,
    mismatches: usize,
    cross: usize,
    career_posts: usize,
    /// The village both tablets work on.
    village_id: String,
    village_doc: String,
    village_reserves: usize,
    village_careers: usize,
    /// An active person of that village.
    person_id: String,
    /// A waiting pool candidate and their registration date.
    candidate: String,
    registered: yanzhen_model::Date,
    /// A community of the district (recruiting unit).
    community: String,
    /// A worker with an open home-coming case, and the case's date.
    worker: String,
    identified: yanzhen_model::Date,
}

fn expect() -> Expect {
    let demo = yanzhen_model::demo::generate(yanzhen_server::demo::DEFAULT_SEED);
    let d = &demo.district;
    let f = reserve_funnel(demo.units.iter().flat_map(|u| u.reserve_cadres.values()));
    let rows = homecoming_rows(d, demo.units.iter());
    let village = demo
        .units
        .iter()
        .find(|u| {
            d.units[&u.unit_id].kind == UnitKind::Village
                && !u.reserve_cadres.is_empty()
                && u.people.values().any(|p| p.status == PersonStatus::Active)
        })
        .expect("a village with reserve cadres");
    let doc = d.units[&village.unit_id].doc_id.expect("its document");
    let cand = d
        .pool
        .values()
        .find(|c| c.status == PoolStatus::Waiting)
        .expect("a waiting candidate");
    let row = rows
        .iter()
        .find(|r| r.open_case.is_some() && r.mismatch.cross_street)
        .or_else(|| rows.iter().find(|r| r.open_case.is_some()))
        .expect("an open home-coming case");
    let case = &d.homecoming[row.open_case.as_ref().unwrap()];
    Expect {
        selected: f.selected,
        mentored: f.mentored,
        entered: f.entered,
        recruited: pool_summary(d.pool.values()).recruited,
        pool_total: pool_summary(d.pool.values()).total,
        moved: moved_count(d),
        mismatches: rows.len(),
        cross: rows.iter().filter(|r| r.mismatch.cross_street).count(),
        career_posts: career_summary(demo.units.iter().flat_map(|u| u.career_moves.values()))
            .career_post,
        village_id: village.unit_id.as_str().to_owned(),
        village_doc: yanzhen_sync::DocumentId::from_bytes(doc.0).to_string(),
        village_reserves: village.reserve_cadres.len(),
        village_careers: village.career_moves.len(),
        person_id: village
            .people
            .values()
            .find(|p| p.status == PersonStatus::Active)
            .unwrap()
            .id
            .as_str()
            .to_owned(),
        candidate: cand.id.as_str().to_owned(),
        registered: cand.registered,
        community: d
            .unit_documents()
            .find(|u| u.kind == UnitKind::Community)
            .unwrap()
            .id
            .as_str()
            .to_owned(),
        worker: row.mismatch.person.person.as_str().to_owned(),
        identified: case.identified,
    }
}

fn zh(m: YoungMsg) -> &'static str {
    m.text(Lang::ZhCn)
}

fn required() -> &'static str {
    model_text("validation.required", Lang::ZhCn).unwrap()
}

async fn open(b: &Browser, url: &str, screen: Screen) {
    b.goto(&format!("{url}{}", screen.path().trim_start_matches('/')))
        .await;
    b.wait_for_secs(60, "#page-title").await;
}

/// Waits until the figure (or list) `id` counts `n`.
async fn wait_count(b: &Browser, secs: u64, id: &str, n: usize) {
    b.wait_js_for(
        secs,
        &format!("const e = document.getElementById({id:?}); return e ? e.dataset.count : null"),
        json!(n.to_string()),
    )
    .await;
}

/// The shown number of figure `id` (its text, not only its data).
async fn shown(b: &Browser, id: &str) -> usize {
    b.js(&format!(
        "return document.getElementById({id:?}).innerText.trim()"
    ))
    .await
    .as_str()
    .unwrap()
    .parse()
    .unwrap()
}

/// Enrols like a person, first waiting (longer than the harness does) for
/// the settings screen: a debug build on a loaded machine starts slowly.
async fn enrol(b: &Browser, url: &str, code: &str, name: &str) {
    b.goto(&format!("{url}settings")).await;
    b.wait_for_secs(180, "#enrol-code").await;
    b.fill_enrol_form(code, name).await;
    b.tap("#enrol-submit").await;
    b.wait_for_secs(120, "#enrol-done").await;
}

/// Empties the field `css` as a person does (select all, delete): the
/// value is gone and the page gets the `input` event. (WebDriver's clear
/// fires none, and a backspace in an already empty field changes nothing.)
async fn clear_field(b: &Browser, css: &str) {
    b.wait_for(css).await;
    b.js(&format!(
        "const e = document.querySelector({css:?});
         e.value = '';
         e.dispatchEvent(new Event('input', {{ bubbles: true }}));
         return true"
    ))
    .await;
}

async fn reload(b: &Browser) {
    b.refresh().await;
    b.wait_for_secs(60, "#page-title").await;
}

async fn choose_unit(b: &Browser, doc: &str) {
    b.wait_for_secs(SYNC_SECS, &format!("#roster-unit option[value='{doc}']"))
        .await;
    b.choose("#roster-unit", doc).await;
}

/// The data-id of the row of `class` showing `text`.
async fn row_id(b: &Browser, class: &str, text: &str) -> String {
    let script = format!(
        "const r = [...document.querySelectorAll('.{class}')].find(r => r.innerText.includes({text:?})); return r ? r.dataset.id : null"
    );
    for _ in 0..300 {
        if let Some(s) = b.js(&script).await.as_str() {
            return s.to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no .{class} row shows {text}");
}

async fn history_rows(b: &Browser) -> u64 {
    b.js("return document.querySelectorAll('.record-trail .history-row').length")
        .await
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn young_geese_screens_on_two_tablets() {
    let e = expect();
    assert_eq!((e.selected, e.entered), (99, 25), "demo reserve figures");
    assert_eq!(
        (e.recruited, e.moved, e.career_posts),
        (60, 11, 26),
        "demo figures"
    );
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let admin = Browser::start().await;
    enrol(&admin, &url, &server.cli_code("admin", None), "组织部平板").await;
    let village = Browser::start().await;
    enrol(
        &village,
        &url,
        &server.cli_code("village", Some(&e.village_id)),
        "村平板",
    )
    .await;

    // ---- 后备干部: the funnel equals the model's figures.
    let a = &admin;
    open(a, &url, Screen::YoungReserve).await;
    wait_count(a, SYNC_SECS, "funnel-selected", e.selected).await;
    wait_count(a, SYNC_SECS, "funnel-entered", e.entered).await;
    wait_count(a, 30, "funnel-mentored", e.mentored).await;
    assert_eq!(shown(a, "funnel-selected").await, 99);
    assert_eq!(shown(a, "funnel-entered").await, 25);
    a.wait_js(
        "return document.querySelector('#reserve-funnel .funnel-entered').dataset.count",
        json!(e.entered.to_string()),
    )
    .await;
    a.screenshot("young-reserve-funnel").await;
    choose_unit(a, &e.village_doc).await;
    wait_count(a, 60, "reserve-list", e.village_reserves).await;
    a.screenshot("young-reserve-list").await;

    // A selection record without its date: a clear message, nothing saved.
    a.type_into("#reserve-name", "测试后备甲").await;
    a.choose("#reserve-sex", "1").await;
    a.type_into("#reserve-birth_date", "1996-02-03").await;
    a.tap("#reserve-save").await;
    a.wait_text("#reserve-selected-error", required()).await;
    a.wait_text("#reserve-save-state", zh(YoungMsg::SaveInvalid))
        .await;
    a.screenshot("young-reserve-add-missing-date").await;
    reload(a).await;
    choose_unit(a, &e.village_doc).await;
    wait_count(a, 60, "reserve-list", e.village_reserves).await;
    wait_count(a, SYNC_SECS, "funnel-selected", e.selected).await;

    // Correct: saved, listed, counted, still there after a reload.
    a.type_into("#reserve-name", "测试后备甲").await;
    a.choose("#reserve-sex", "1").await;
    a.type_into("#reserve-birth_date", "1996-02-03").await;
    a.type_into("#reserve-selected", "2024-03-01").await;
    a.tap("#reserve-save").await;
    a.wait_text("#reserve-save-state", zh(YoungMsg::SaveSaved))
        .await;
    wait_count(a, 30, "reserve-list", e.village_reserves + 1).await;
    wait_count(a, 30, "funnel-selected", e.selected + 1).await;
    reload(a).await;
    choose_unit(a, &e.village_doc).await;
    wait_count(a, 60, "reserve-list", e.village_reserves + 1).await;
    let new_id = row_id(a, "reserve-row", "测试后备甲").await;

    // 传帮带: one tap on a common entry, one on save.
    a.tap(&format!(".reserve-row[data-id='{new_id}']")).await;
    a.wait_text("#reserve-detail-name", "测试后备甲").await;
    a.tap(".note-quick[data-text='谈心谈话']").await;
    assert_eq!(a.value("#note-text").await, "谈心谈话");
    a.tap("#note-save").await;
    a.wait_text("#note-save-state", zh(YoungMsg::SaveSaved))
        .await;
    wait_count(a, 30, "reserve-log", 1).await;
    // A note without text is refused.
    a.tap("#note-save").await;
    a.wait_text("#note-text-error", required()).await;

    // The outcome dated before the selection: refused, nothing saved.
    a.choose("#outcome-kind", "1").await;
    a.type_into("#outcome-date", "2024-02-01").await;
    a.tap("#outcome-save").await;
    a.wait_text(
        "#outcome-date-error",
        zh(YoungMsg::ErrOutcomeBeforeSelection),
    )
    .await;
    a.screenshot("young-reserve-outcome-before-selection").await;
    reload(a).await;
    wait_count(a, SYNC_SECS, "funnel-entered", e.entered).await;
    choose_unit(a, &e.village_doc).await;
    a.tap(&format!(".reserve-row[data-id='{new_id}']")).await;
    a.wait_text("#reserve-detail-outcome", zh(YoungMsg::OutcomeInTraining))
        .await;
    // Without a date: refused too.
    a.choose("#outcome-kind", "1").await;
    clear_field(a, "#outcome-date").await;
    a.tap("#outcome-save").await;
    a.wait_text("#outcome-date-error", required()).await;
    // Correct.
    a.type_into("#outcome-date", "2024-09-01").await;
    a.tap("#outcome-save").await;
    a.wait_text("#outcome-save-state", zh(YoungMsg::SaveSaved))
        .await;
    wait_count(a, 30, "funnel-entered", e.entered + 1).await;
    a.wait_text(
        "#reserve-detail-outcome",
        &format!("{} 2024-09-01", zh(YoungMsg::OutcomeEntered)),
    )
    .await;
    // Its trail: created, a note, the outcome.
    a.wait_js(
        "return document.querySelectorAll('.record-trail .history-row').length",
        json!(3),
    )
    .await;
    a.js("document.querySelector('.record-trail').scrollIntoView({block: 'center'})")
        .await;
    a.screenshot("young-reserve-detail-trail").await;
    reload(a).await;
    wait_count(a, SYNC_SECS, "funnel-entered", e.entered + 1).await;

    // ---- The village tablet sees it after sync, and adds its own.
    let v = &village;
    open(v, &url, Screen::YoungReserve).await;
    wait_count(v, SYNC_SECS, "reserve-list", e.village_reserves + 1).await;
    let seen = row_id(v, "reserve-row", "测试后备甲").await;
    assert_eq!(seen, new_id);
    // Its funnel counts its own unit only.
    wait_count(v, 30, "funnel-selected", e.village_reserves + 1).await;
    v.type_into("#reserve-name", "测试后备乙").await;
    v.choose("#reserve-sex", "0").await;
    v.type_into("#reserve-birth_date", "1995-05-06").await;
    v.type_into("#reserve-selected", "2024-04-01").await;
    v.tap("#reserve-save").await;
    v.wait_text("#reserve-save-state", zh(YoungMsg::SaveSaved))
        .await;
    v.screenshot("young-village-reserve").await;
    wait_count(a, SYNC_SECS, "funnel-selected", e.selected + 2).await;
    // The pool is district data: the village tablet may only read it.
    open(v, &url, Screen::YoungPool).await;
    wait_count(v, SYNC_SECS, "pool-recruited", e.recruited).await;
    v.wait_text("#pool-locked", zh(YoungMsg::LockedDistrict))
        .await;
    assert!(
        !v.exists("#pool-add").await,
        "no add form on a village tablet"
    );
    v.tap(&format!(".pool-row[data-id='{}']", e.candidate))
        .await;
    v.wait_for("#pool-locked-detail").await;
    assert!(!v.exists("#recruit-save").await);
    v.screenshot("young-village-pool-locked").await;

    // ---- 储备库: 60 recruited; recruit one more.
    open(a, &url, Screen::YoungPool).await;
    wait_count(a, SYNC_SECS, "pool-recruited", e.recruited).await;
    assert_eq!(shown(a, "pool-recruited").await, 60);
    a.screenshot("young-pool").await;
    a.tap(".pool-filter[data-filter='waiting']").await;
    a.tap(&format!(".pool-row[data-id='{}']", e.candidate))
        .await;
    a.wait_for("#recruit-save").await;
    // No community picked: refused.
    a.tap("#recruit-save").await;
    a.wait_text("#recruit-unit-error", zh(YoungMsg::ErrPickUnit))
        .await;
    // Dated before registration: refused.
    a.choose("#recruit-unit", &e.community).await;
    a.type_into("#recruit-date", &e.registered.add_days(-1).to_string())
        .await;
    a.tap("#recruit-save").await;
    a.wait_text(
        "#recruit-date-error",
        zh(YoungMsg::ErrRecruitBeforeRegistered),
    )
    .await;
    a.screenshot("young-pool-recruit-refused").await;
    reload(a).await;
    wait_count(a, SYNC_SECS, "pool-recruited", e.recruited).await;
    a.tap(&format!(".pool-row[data-id='{}']", e.candidate))
        .await;
    a.wait_text("#pool-detail-status", zh(YoungMsg::PoolWaiting))
        .await;
    // Correct.
    a.choose("#recruit-unit", &e.community).await;
    a.type_into("#recruit-date", &e.registered.add_days(10).to_string())
        .await;
    a.tap("#recruit-save").await;
    a.wait_text("#recruit-save-state", zh(YoungMsg::SaveSaved))
        .await;
    wait_count(a, 30, "pool-recruited", e.recruited + 1).await;
    a.wait_text("#pool-detail-status", zh(YoungMsg::PoolRecruited))
        .await;
    a.screenshot("young-pool-recruited").await;
    reload(a).await;
    wait_count(a, SYNC_SECS, "pool-recruited", e.recruited + 1).await;
    // A new candidate without a name: refused; with one: added.
    a.type_into("#pool-name", "").await;
    a.tap("#pool-save").await;
    a.wait_text("#pool-name-error", required()).await;
    wait_count(a, 10, "pool-total", e.pool_total).await;
    a.type_into("#pool-name", "测试储备").await;
    a.tap("#pool-save").await;
    a.wait_text("#pool-save-state", zh(YoungMsg::SaveSaved))
        .await;
    wait_count(a, 30, "pool-total", e.pool_total + 1).await;

    // ---- 回家工程: the mismatch list and the moved count.
    open(a, &url, Screen::YoungHomecoming).await;
    wait_count(a, SYNC_SECS, "home-moved", e.moved).await;
    wait_count(a, SYNC_SECS, "home-open", e.mismatches).await;
    wait_count(a, 30, "home-cross", e.cross).await;
    assert_eq!(shown(a, "home-moved").await, 11);
    assert_eq!(
        a.count(".home-row.cross").await,
        e.cross,
        "cross-street rows are marked"
    );
    a.screenshot("young-homecoming").await;
    let row = format!(".home-row[data-person='{}']", e.worker);
    a.tap(&row).await;
    a.wait_for("#home-suggest").await;
    a.wait_for("#move-save").await;
    // No date: refused. Before the case: refused.
    // Cleared as a person does (a backspace fires the input event).
    clear_field(a, "#move-date").await;
    a.tap("#move-save").await;
    a.wait_text("#move-date-error", required()).await;
    a.type_into("#move-date", &e.identified.add_days(-1).to_string())
        .await;
    a.tap("#move-save").await;
    a.wait_text("#move-date-error", zh(YoungMsg::ErrMoveBeforeIdentified))
        .await;
    a.screenshot("young-homecoming-refused").await;
    reload(a).await;
    wait_count(a, SYNC_SECS, "home-open", e.mismatches).await;
    wait_count(a, 30, "home-moved", e.moved).await;
    // Correct: off the list, one more moved.
    a.tap(&row).await;
    a.type_into("#move-date", &e.identified.add_days(30).to_string())
        .await;
    a.tap("#move-save").await;
    a.wait_text("#move-save-state", zh(YoungMsg::SaveSaved))
        .await;
    wait_count(a, 30, "home-moved", e.moved + 1).await;
    wait_count(a, 30, "home-open", e.mismatches - 1).await;
    assert!(!a.exists(&row).await, "the worker is off the list");
    a.wait_text("#home-case-status", zh(YoungMsg::StatusMovedCase))
        .await;
    assert!(
        history_rows(a).await >= 2,
        "the case's history: imported, then moved"
    );
    a.screenshot("young-homecoming-moved").await;
    reload(a).await;
    wait_count(a, SYNC_SECS, "home-moved", e.moved + 1).await;
    wait_count(a, SYNC_SECS, "home-open", e.mismatches - 1).await;

    // ---- 职业发展: 26 career posts; record one.
    open(a, &url, Screen::YoungCareer).await;
    wait_count(a, SYNC_SECS, "career-posts", e.career_posts).await;
    assert_eq!(shown(a, "career-posts").await, 26);
    choose_unit(a, &e.village_doc).await;
    a.wait_for("#career-save").await;
    a.screenshot("young-career").await;
    // Nobody picked, no post: refused.
    a.tap("#career-save").await;
    a.wait_text("#career-person-error", zh(YoungMsg::ErrPickPerson))
        .await;
    a.wait_text("#career-post-error", required()).await;
    a.screenshot("young-career-refused").await;
    reload(a).await;
    wait_count(a, SYNC_SECS, "career-posts", e.career_posts).await;
    choose_unit(a, &e.village_doc).await;
    if e.village_careers > 0 {
        wait_count(a, 60, "career-list", e.village_careers).await;
    } else {
        a.wait_text("#career-state", zh(YoungMsg::CareerNone)).await;
    }
    // Correct.
    a.choose("#career-person", &e.person_id).await;
    a.choose("#career-kind", "1").await;
    a.type_into("#career-date", "2024-07-01").await;
    a.type_into("#career-post", "测试事业岗位").await;
    a.tap("#career-save").await;
    a.wait_text("#career-save-state", zh(YoungMsg::SaveSaved))
        .await;
    wait_count(a, 30, "career-posts", e.career_posts + 1).await;
    wait_count(a, 30, "career-list", e.village_careers + 1).await;
    a.wait_for(".record-trail .history-row").await;
    a.screenshot("young-career-saved").await;
    reload(a).await;
    wait_count(a, SYNC_SECS, "career-posts", e.career_posts + 1).await;

    // The village tablet sees the admin's career move after sync.
    open(v, &url, Screen::YoungCareer).await;
    wait_count(v, SYNC_SECS, "career-list", e.village_careers + 1).await;
    v.screenshot("young-village-career").await;

    admin.close().await;
    village.close().await;
}
