//! End-to-end test of the 群雁 (flock) screens in real headless Chromium
//! on 1280×800 tablets against the real server with the demo district,
//! acting like people:
//!
//! 1. Training, on the district's (admin) tablet: the district coverage
//!    and the units below 100 % are the model's figures for the demo; a
//!    tap on such a unit lists who is missing. A new session with no title
//!    and 0 class hours shows both messages and saves nothing (the list is
//!    unchanged after a reload); the corrected session is saved and still
//!    there after a reload.
//! 2. A village tablet of a unit below 100 % sees that session after sync
//!    (it cannot create sessions: the reason is shown), taps the missing
//!    member present and watches the unit's coverage go to the model's
//!    figure (also after a reload); the district tablet then sees the unit
//!    leave the list and its district figure grow by one.
//! 3. Certificates, on a community tablet: the lectures (6) and the share
//!    of the unit; a certificate without a number is refused (nothing
//!    saved), then saved; the share changes to the model's figure; the
//!    district tablet sees the district share change after sync.
//! 4. Studios, on the district tablet: 3 studios, 5 trained by shadowing;
//!    a placement ending before it starts is refused (nothing saved), the
//!    corrected one is saved and the count grows to 6 (also after a reload).
//!
//! Screenshots: `target/screenshots/flock-*.png`.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use crate::support::{ArgServer, Browser, doc_param, show};
use serde_json::json;
use yanzhen::i18n::{Lang, model_text};
use yanzhen::modules::flock::messages::FlockMsg;
use yanzhen_model::demo::{self, REFERENCE_YEAR};
use yanzhen_model::entities::{MentorshipKind, PersonCategory, PersonStatus, UnitKind};
use yanzhen_model::flock::{self, share_tenths, tenths_text};
use yanzhen_model::rules::{self, CertifiedShare, Coverage};
use yanzhen_model::store::UnitData;

/// A first sync of the district's ~100 documents, or a change reaching
/// another tablet, may take this long on a loaded machine.
const SYNC_SECS: u64 = 180;

const SESSION_TITLE: &str = "测试专题履职培训";
const CERT_NUMBER: &str = "TEST-SW-0001";

/// What the demo data and the model's rules say the screens must show.
struct Expect {
    /// Sessions dated in the reference year.
    sessions: usize,
    district_before: Coverage,
    /// The unit below 100 % the village tablet works for.
    unit_id: String,
    unit_before: Coverage,
    unit_after: Coverage,
    missing_id: String,
    missing_name: String,
    /// The community whose worker gets a certificate.
    community_id: String,
    worker_id: String,
    community_before: CertifiedShare,
    community_after: CertifiedShare,
    district_share_before: CertifiedShare,
    district_share_after: CertifiedShare,
    lectures: usize,
    studios: usize,
    shadowing_before: usize,
    /// The community whose secretary is placed for shadowing.
    mentee_doc: String,
}

fn expect() -> Expect {
    let d = demo::generate(yanzhen_server::demo::DEFAULT_SEED);
    let year = REFERENCE_YEAR;
    let unit = d
        .units
        .iter()
        .find(|u| !flock::untrained_members(&d.district, u, year).is_empty())
        .expect("a unit below 100 %");
    let missing = flock::untrained_members(&d.district, unit, year)[0];
    let unit_before = rules::training_coverage(&d.district, unit, year);
    let unit_after = Coverage {
        trained: unit_before.trained + 1,
        ..unit_before
    };
    let doc =
        |id: &yanzhen_model::Id| doc_param(&d.district.units[id].doc_id.expect("a unit document"));

    let is_community =
        |u: &&UnitData| rules::unit_kind(&d.district, &u.unit_id) == Some(UnitKind::Community);
    let community = d
        .units
        .iter()
        .filter(is_community)
        .find(|u| {
            flock::workers_with_certificates(u)
                .iter()
                .any(|(_, c)| c.is_empty())
        })
        .expect("a community with an uncertified worker");
    let worker = flock::workers_with_certificates(community)
        .into_iter()
        .find(|(_, c)| c.is_empty())
        .unwrap()
        .0;
    assert_eq!(worker.category, PersonCategory::CommunityWorker);
    assert_eq!(worker.status, PersonStatus::Active);
    let community_before = rules::certified_share([community]);
    let district_before = rules::certified_share(&d.units);
    let plus_one = |s: CertifiedShare| CertifiedShare {
        certified: s.certified + 1,
        ..s
    };

    let mentees: Vec<_> = d
        .district
        .mentorships
        .values()
        .filter(|m| m.kind == MentorshipKind::Shadowing)
        .map(|m| m.mentee.unit.clone())
        .collect();
    let mentee_unit = d
        .units
        .iter()
        .filter(is_community)
        .find(|u| !mentees.contains(&u.unit_id) && rules::secretary(u).is_some())
        .expect("a community whose secretary has not shadowed");

    Expect {
        sessions: flock::sessions_of_year(&d.district, Some(year)).len(),
        district_before: rules::district_training_coverage(&d.district, &d.units, year),
        unit_id: unit.unit_id.as_str().to_owned(),
        unit_before,
        unit_after,
        missing_id: missing.id.as_str().to_owned(),
        missing_name: missing.name.clone(),
        community_id: community.unit_id.as_str().to_owned(),
        worker_id: worker.id.as_str().to_owned(),
        community_before,
        community_after: plus_one(community_before),
        district_share_before: district_before,
        district_share_after: plus_one(district_before),
        lectures: flock::exam_prep_lectures(&d.district).len(),
        studios: d.district.studios.len(),
        shadowing_before: flock::shadowing_trained(&d.district),
        mentee_doc: doc(&mentee_unit.unit_id),
    }
}

/// The `data-<attr>` of the element matching `css` (null if absent).
fn data_js(css: &str, attr: &str) -> String {
    format!("const e = document.querySelector({css:?}); return e ? e.dataset[{attr:?}] : null")
}

/// Waits (up to `secs`) until `data-<attr>` of `css` is `value`.
async fn wait_data(b: &Browser, secs: u64, css: &str, attr: &str, value: &str) {
    b.wait_js_for(secs, &data_js(css, attr), json!(value)).await;
}

fn count_js(css: &str) -> String {
    format!("return document.querySelectorAll({css:?}).length")
}

/// Sets a date field as the tablet's date picker does (an `input` event
/// with the ISO date).
async fn set_date(b: &Browser, css: &str, value: &str) {
    b.wait_for(css).await;
    b.js(&format!(
        "const e = document.querySelector({css:?}); e.value = {value:?}; \
         e.dispatchEvent(new Event('input', {{bubbles: true}}));"
    ))
    .await;
}

/// Taps the session row whose title cell shows `title`.
async fn tap_session(b: &Browser, title: &str) {
    let css = ".flock-session-row";
    b.wait_js_for(
        SYNC_SECS,
        &format!(
            "return [...document.querySelectorAll({css:?})].some(r => r.innerText.includes({title:?}))"
        ),
        json!(true),
    )
    .await;
    b.js(&format!(
        "[...document.querySelectorAll({css:?})].find(r => r.innerText.includes({title:?})).click()"
    ))
    .await;
}

/// Reloads the certificates screen and waits until `worker` shows `certs`
/// certificates and the share `certified` certified workers.
async fn reload_certificates(b: &Browser, worker: &str, certs: &str, certified: usize) {
    b.refresh().await;
    wait_data(b, SYNC_SECS, worker, "certs", certs).await;
    wait_data(b, 5, "#flock-share", "certified", &certified.to_string()).await;
}

/// A new placement in `studio` of the first mentee of the unit with
/// document `mentee_doc`, from 2024-09-01 to `end`, filled in (not saved).
async fn new_placement(b: &Browser, studio: &str, mentee_doc: &str, end: &str) {
    b.tap("#flock-placement-new").await;
    b.wait_for("#flock-placement-form").await;
    b.choose("#flock-placement-studio", studio).await;
    b.choose("#roster-unit", mentee_doc).await;
    b.wait_for_secs(SYNC_SECS, "#flock-placement-mentee option[value='0']")
        .await;
    b.choose("#flock-placement-mentee", "0").await;
    set_date(b, "#flock-placement-start", "2024-09-01").await;
    set_date(b, "#flock-placement-end", end).await;
}

/// Waits until the district's coverage counts `trained` trained members
/// (after a sync, so up to `SYNC_SECS`).
async fn district_trained(b: &Browser, trained: usize) {
    wait_data(
        b,
        SYNC_SECS,
        "#flock-district-coverage",
        "trained",
        &trained.to_string(),
    )
    .await;
}

fn pct(c: Coverage) -> String {
    c.percent().to_string()
}

fn share_pct(s: CertifiedShare) -> String {
    tenths_text(share_tenths(&s))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flock_trains_certifies_and_places_people() {
    let e = expect();
    let zh = Lang::ZhCn;
    let required = model_text("validation.required", zh).unwrap();
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();

    // ---- 1. the district's tablet: coverage, then a new session
    let district = server.tablet("admin", None, "区委组织部平板").await;
    district.goto(&format!("{url}flock/training")).await;
    let coverage = "#flock-district-coverage";
    district_trained(&district, e.district_before.trained).await;
    wait_data(
        &district,
        5,
        coverage,
        "members",
        &e.district_before.members.to_string(),
    )
    .await;
    wait_data(&district, 5, coverage, "pct", &pct(e.district_before)).await;
    let below = format!(".flock-below-unit[data-unit='{}']", e.unit_id);
    wait_data(&district, 10, &below, "pct", &pct(e.unit_before)).await;
    let n_below = district.count(".flock-below-unit").await;
    assert!(n_below >= 1);
    district
        .wait_js(&count_js(".flock-session-row"), json!(e.sessions))
        .await;
    district.screenshot("flock-training").await;
    // Who is missing in that unit.
    district.tap(&below).await;
    district
        .wait_js(
            "return [...document.querySelectorAll('#flock-missing .flock-missing-person')].map(li => li.innerText.trim())",
            json!([e.missing_name.clone()]),
        )
        .await;
    show(&district, "#flock-missing").await;
    district.screenshot("flock-training-missing").await;

    // No title, 0 class hours: two messages, nothing saved.
    district.tap("#flock-session-new").await;
    district.wait_for("#flock-session-form").await;
    set_date(&district, "#flock-session-date", "2024-09-10").await;
    district.type_into("#flock-session-hours", "0").await;
    district.tap("#flock-session-save").await;
    district
        .wait_text("#flock-session-title-error", required)
        .await;
    district
        .wait_text(
            "#flock-session-hours-error",
            FlockMsg::HoursPositive.text(zh),
        )
        .await;
    district
        .wait_text("#flock-session-state", FlockMsg::FixErrors.text(zh))
        .await;
    show(&district, "#flock-session-form").await;
    district.screenshot("flock-training-session-invalid").await;
    // A title but still 0 hours: still refused.
    district
        .type_into("#flock-session-title", SESSION_TITLE)
        .await;
    district.tap("#flock-session-save").await;
    district
        .wait_text(
            "#flock-session-hours-error",
            FlockMsg::HoursPositive.text(zh),
        )
        .await;
    assert!(!district.exists("#flock-session-title-error").await);
    district.refresh().await;
    district_trained(&district, e.district_before.trained).await;
    district
        .wait_js(&count_js(".flock-session-row"), json!(e.sessions))
        .await;

    // Corrected: saved, listed, still there after a reload.
    district.tap("#flock-session-new").await;
    district
        .type_into("#flock-session-title", SESSION_TITLE)
        .await;
    set_date(&district, "#flock-session-date", "2024-09-10").await;
    district.type_into("#flock-session-hours", "8").await;
    district
        .type_into("#flock-session-location", "区委党校")
        .await;
    district
        .tap("#flock-session-teacher option[value='1']")
        .await;
    district.tap("#flock-session-save").await;
    district
        .wait_text("#flock-session-state", FlockMsg::SavedLocal.text(zh))
        .await;
    district
        .wait_js(&count_js(".flock-session-row"), json!(e.sessions + 1))
        .await;
    show(&district, "#flock-session-form").await;
    district.screenshot("flock-training-session-saved").await;
    district.refresh().await;
    district
        .wait_js_for(
            SYNC_SECS,
            &count_js(".flock-session-row"),
            json!(e.sessions + 1),
        )
        .await;
    tap_session(&district, SESSION_TITLE).await;
    district.wait_for("#flock-session-trail .history-row").await;
    assert_eq!(district.value("#flock-session-hours").await, "8");
    assert_eq!(district.value("#flock-session-title").await, SESSION_TITLE);
    show(&district, "#flock-session-trail").await;
    district.screenshot("flock-training-session-history").await;

    // ---- 2. the village tablet marks attendance
    let village = server
        .tablet("village", Some(&e.unit_id), "村委会平板")
        .await;
    village.goto(&format!("{url}flock/training")).await;
    // The district's new session reached the village tablet.
    tap_session(&village, SESSION_TITLE).await;
    village.wait_for("#flock-session-readonly").await;
    assert!(
        !village.exists("#flock-session-new").await,
        "no new session here"
    );
    assert!(
        !village.exists("#flock-session-form").await,
        "no session form here"
    );
    wait_data(
        &village,
        SYNC_SECS,
        "#flock-unit-coverage",
        "pct",
        &pct(e.unit_before),
    )
    .await;
    wait_data(&village, 5, &below, "pct", &pct(e.unit_before)).await;
    let attend = format!(".flock-attend[data-person='{}']", e.missing_id);
    wait_data(&village, 5, &attend, "person", &e.missing_id).await;
    assert_eq!(
        village
            .js(&format!(
                "return document.querySelector({attend:?}).getAttribute('aria-pressed')"
            ))
            .await,
        json!("false")
    );
    show(&village, "#flock-session-detail").await;
    village.screenshot("flock-training-attendance").await;
    village.tap(&attend).await;
    wait_data(
        &village,
        10,
        "#flock-unit-coverage",
        "pct",
        &pct(e.unit_after),
    )
    .await;
    wait_data(
        &village,
        5,
        "#flock-unit-coverage",
        "trained",
        &e.unit_after.trained.to_string(),
    )
    .await;
    village.wait_for("#flock-below-none").await;
    show(&village, "#flock-session-detail").await;
    village.screenshot("flock-training-attendance-marked").await;
    village.refresh().await;
    tap_session(&village, SESSION_TITLE).await;
    wait_data(
        &village,
        SYNC_SECS,
        "#flock-unit-coverage",
        "pct",
        &pct(e.unit_after),
    )
    .await;
    assert_eq!(
        village
            .js(&format!(
                "return document.querySelector({attend:?}).getAttribute('aria-pressed')"
            ))
            .await,
        json!("true")
    );
    // The district tablet sees the village's attendance after sync.
    district.goto(&format!("{url}flock/training")).await;
    district_trained(&district, e.district_before.trained + 1).await;
    district
        .wait_js(&count_js(".flock-below-unit"), json!(n_below - 1))
        .await;
    assert!(!district.exists(&below).await, "the unit is fully covered");

    // ---- 3. certificates on a community tablet
    let community = server
        .tablet("village", Some(&e.community_id), "社区平板")
        .await;
    community.goto(&format!("{url}flock/certificates")).await;
    let share = "#flock-share";
    wait_data(
        &community,
        SYNC_SECS,
        share,
        "certified",
        &e.community_before.certified.to_string(),
    )
    .await;
    wait_data(&community, 5, share, "pct", &share_pct(e.community_before)).await;
    community
        .wait_text("#flock-lectures-count", &e.lectures.to_string())
        .await;
    assert_eq!(community.count(".flock-lecture-row").await, 6);
    let worker = format!(".flock-worker-row[data-person='{}']", e.worker_id);
    wait_data(&community, SYNC_SECS, &worker, "certs", "0").await;
    community.screenshot("flock-certificates").await;
    community.tap(&worker).await;
    community.wait_for("#flock-cert-form").await;
    set_date(&community, "#flock-cert-obtained", "2024-07-15").await;
    community.tap("#flock-cert-save").await;
    community
        .wait_text("#flock-cert-number-error", required)
        .await;
    community
        .wait_text("#flock-cert-state", FlockMsg::FixErrors.text(zh))
        .await;
    show(&community, "#flock-cert-form").await;
    community.screenshot("flock-certificates-invalid").await;
    reload_certificates(&community, &worker, "0", e.community_before.certified).await;

    community.tap(&worker).await;
    community.tap("#flock-cert-level option[value='1']").await;
    set_date(&community, "#flock-cert-obtained", "2024-07-15").await;
    community.type_into("#flock-cert-number", CERT_NUMBER).await;
    community.tap("#flock-cert-save").await;
    community
        .wait_text("#flock-cert-state", FlockMsg::SavedLocal.text(zh))
        .await;
    wait_data(&community, 10, &worker, "certs", "1").await;
    wait_data(&community, 5, share, "pct", &share_pct(e.community_after)).await;
    assert_ne!(share_pct(e.community_before), share_pct(e.community_after));
    community.wait_for("#flock-cert-trail .history-row").await;
    show(&community, "#flock-cert-trail").await;
    community.screenshot("flock-certificates-saved").await;
    reload_certificates(&community, &worker, "1", e.community_after.certified).await;

    // The district sees the district share change after sync.
    district.goto(&format!("{url}flock/certificates")).await;
    wait_data(
        &district,
        SYNC_SECS,
        share,
        "certified",
        &e.district_share_after.certified.to_string(),
    )
    .await;
    wait_data(
        &district,
        5,
        share,
        "workers",
        &e.district_share_before.workers.to_string(),
    )
    .await;
    wait_data(
        &district,
        5,
        share,
        "pct",
        &share_pct(e.district_share_after),
    )
    .await;
    assert_eq!(e.district_share_before.percent(), 39, "the published 39 %");
    district.screenshot("flock-certificates-district").await;

    // ---- 4. studios and a shadowing placement, on the district tablet
    district.goto(&format!("{url}flock/studios")).await;
    district
        .wait_text("#flock-studios-count", &e.studios.to_string())
        .await;
    district
        .wait_text("#flock-shadowing-count", &e.shadowing_before.to_string())
        .await;
    district.wait_for(".flock-placement-row").await;
    district.screenshot("flock-studios").await;
    let studio = district
        .js("return document.querySelector('.flock-studio').dataset.studio")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    let placements = |s: &str| {
        format!(
            "return document.querySelector(\".flock-studio[data-studio='{s}']\").dataset.placements"
        )
    };
    let before: usize = district
        .js(&placements(&studio))
        .await
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    new_placement(&district, &studio, &e.mentee_doc, "2024-08-01").await;
    district.tap("#flock-placement-save").await;
    district
        .wait_text(
            "#flock-placement-end-error",
            model_text("validation.date.range", zh).unwrap(),
        )
        .await;
    district
        .wait_text("#flock-placement-state", FlockMsg::FixErrors.text(zh))
        .await;
    show(&district, "#flock-placement-form").await;
    district.screenshot("flock-studios-placement-invalid").await;
    district.refresh().await;
    district
        .wait_text_for(SYNC_SECS, "#flock-studios-count", &e.studios.to_string())
        .await;
    wait_data(
        &district,
        SYNC_SECS,
        &format!(".flock-studio[data-studio='{studio}']"),
        "placements",
        &before.to_string(),
    )
    .await;
    district
        .wait_text("#flock-shadowing-count", &e.shadowing_before.to_string())
        .await;

    // Corrected, with its outcome: saved, counted, kept after a reload.
    new_placement(&district, &studio, &e.mentee_doc, "2024-12-31").await;
    district.choose("#flock-placement-outcome", "0").await;
    district.tap("#flock-placement-save").await;
    district
        .wait_text("#flock-placement-state", FlockMsg::SavedLocal.text(zh))
        .await;
    district
        .wait_text(
            "#flock-shadowing-count",
            &(e.shadowing_before + 1).to_string(),
        )
        .await;
    wait_data(
        &district,
        10,
        &format!(".flock-studio[data-studio='{studio}']"),
        "placements",
        &(before + 1).to_string(),
    )
    .await;
    district
        .wait_for("#flock-placement-trail .history-row")
        .await;
    show(&district, "#flock-placement-form").await;
    district.screenshot("flock-studios-placement-saved").await;
    district.refresh().await;
    district
        .wait_text_for(
            SYNC_SECS,
            "#flock-shadowing-count",
            &(e.shadowing_before + 1).to_string(),
        )
        .await;
    assert_eq!(
        district.js(&placements(&studio)).await,
        json!((before + 1).to_string())
    );

    community.close().await;
    village.close().await;
    district.close().await;
}
