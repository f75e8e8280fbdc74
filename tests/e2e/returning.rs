//! End-to-end tests of 归雁 (returning geese) in real headless Chromium on a
//! 1280×800 tablet against the real server with the demo district, acting
//! like people; every expected figure is computed here from the demo data
//! (`yanzhen_model::demo::generate`) with the model's rules and today's date.
//!
//! 1. `a_village_logs_a_contact_offline_and_the_district_sees_it`: a village
//!    tablet's home screen lists the appointees due this month / overdue
//!    (exactly the model's `due_list` for today); with the server stopped,
//!    one tap logs a talk and the person leaves the list (also after a
//!    reload); after the server is back, the district tablet's compliance
//!    row for that village counts the contact. The village tablet is told
//!    why it cannot add to the district's talent register.
//! 2. `the_district_records_appointments_leads_and_talent`: totals 42 / 96;
//!    an appointment with no certificate number, then with another
//!    village's certificate number, is refused with a message and nothing
//!    is saved (count unchanged after a reload); a correct one is saved and
//!    still there after a reload. The funnel shows 17 → 13 → 4 → 1030 万元;
//!    advancing a lead to "project placed" changes it; negative funds are
//!    refused with a message and nothing saved; funds then arrive. The
//!    talent register's counts; an entry without a name is refused, a
//!    correct one is counted.
//!
//! Screenshots: `target/screenshots/returning-*.png`, `home-contact-due.png`.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use crate::support::{ArgServer, Browser, demo, show_at, today, wait_attr};
use serde_json::json;
use yanzhen::i18n::{Lang, model_text};
use yanzhen::modules::returning::messages::ReturningMsg;
use yanzhen_model::Date;
use yanzhen_model::demo::Demo;
use yanzhen_model::entities::{ContactKind, ContactLog, ExchangeKind, LeadStage, UnitKind};
use yanzhen_model::returning::{compliance, district_compliance, due_list, talent_counts};
use yanzhen_model::rules::{appointments, investment_funnel};
use yanzhen_model::store::UnitData;

/// How long a first sync of the demo documents may take (a district tablet
/// loads ~100 unit documents).
const SYNC_SECS: u64 = 180;
/// How long a tablet may take to reconnect after the server comes back
/// (the link's backoff is capped at 60 s) and sync what it missed.
const RECONNECT_SECS: u64 = 150;

/// The tablet's own calendar day must be the test's.
async fn assert_same_day(b: &Browser) {
    let v = b
        .js("const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]")
        .await;
    let t = today();
    assert_eq!(
        v,
        json!([t.year(), t.month(), t.day()]),
        "the browser's calendar day differs from the test's (time zone?)"
    );
}

/// The document id of a unit as in URLs and picker values.
fn doc_param(demo: &Demo, unit: &yanzhen_model::Id) -> String {
    let doc = demo.district.units[unit].doc_id.unwrap();
    yanzhen_sync::DocumentId::from_bytes(doc.0).to_string()
}

/// The first village (directory order) whose appointees include someone
/// due or overdue today.
fn village(demo: &Demo, today: Date) -> &UnitData {
    demo.units
        .iter()
        .filter(|u| demo.district.units[&u.unit_id].kind == UnitKind::Village)
        .find(|u| !due_list(u, today).is_empty())
        .expect("a village with someone to contact")
}

async fn data_attr(b: &Browser, css: &str, attr: &str) -> String {
    b.wait_for(css).await;
    b.js(&format!(
        "return document.querySelector({css:?}).getAttribute({attr:?})"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// The appointment ids listed (in order) under `list`.
/// Chooses the village with document `v_doc` on the screen, once it is
/// offered.
async fn pick_village(b: &Browser, v_doc: &str) {
    b.wait_for_secs(SYNC_SECS, &format!("#roster-unit option[value='{v_doc}']"))
        .await;
    b.choose("#roster-unit", v_doc).await;
}

/// Reloads and picks the village again; once it lists `appointments`
/// appointments, the count of development advisors shown.
async fn reload_village(b: &Browser, v_doc: &str, appointments: usize) -> String {
    b.refresh().await;
    pick_village(b, v_doc).await;
    wait_attr(
        b,
        SYNC_SECS,
        "#ret-appointments",
        "data-count",
        &appointments.to_string(),
    )
    .await;
    data_attr(b, "#ret-advisors", "data-count").await
}

async fn listed(b: &Browser, list: &str) -> Vec<String> {
    let v = b
        .js(&format!(
            "return [...document.querySelectorAll('{list} .due-row')].map(r => r.dataset.appointment)"
        ))
        .await;
    serde_json::from_value(v).unwrap()
}

/// Enrols as a person does (Settings, the code, a name), first waiting
/// for the app to start (a dev build on a busy machine may take a while).
async fn enrol(b: &Browser, url: &str, code: &str, name: &str) {
    b.goto(&format!("{url}settings")).await;
    b.wait_for_secs(SYNC_SECS, "#enrol-code").await;
    b.enrol_on_settings(url, code, name).await;
}

/// Picks a date in the date input matching `css` (a date picker takes no
/// typed ISO text in Chromium; the value is set as the picker sets it).
async fn set_date(b: &Browser, css: &str, iso: &str) {
    b.wait_for(css).await;
    b.js(&format!(
        "const e = document.querySelector({css:?}); e.value = {iso:?};
         e.dispatchEvent(new Event('input', {{bubbles: true}}));
         e.dispatchEvent(new Event('change', {{bubbles: true}}));"
    ))
    .await;
}

/// Scrolls the element matching `css` to the top of the screen.
async fn show(b: &Browser, css: &str) {
    show_at(b, css, "start").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_village_logs_a_contact_offline_and_the_district_sees_it() {
    let demo = demo();
    let today = today();
    let v = village(&demo, today);
    let due = due_list(v, today);
    let expected: Vec<String> = due
        .iter()
        .map(|r| r.appointment_id.as_str().to_owned())
        .collect();
    let person = due[0].appointment_id.clone();
    let before = compliance(v, today);

    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let village_tab = Browser::start().await;
    enrol(
        &village_tab,
        &url,
        &server.cli_code("village", Some(v.unit_id.as_str())),
        "测试村平板",
    )
    .await;
    let district = Browser::start().await;
    enrol(
        &district,
        &url,
        &server.cli_code("admin", None),
        "区委组织部平板",
    )
    .await;
    assert_same_day(&village_tab).await;

    // The district's compliance per village, as computed from the demo data.
    district.goto(&format!("{url}returning/contacts")).await;
    let rows = district_compliance(&demo.district, &demo.units, today);
    district
        .wait_js_for(
            SYNC_SECS,
            "return document.querySelectorAll('#ret-compliance .ret-compliance-row').length",
            json!(rows.len()),
        )
        .await;
    let shown = district
        .js(
            "return [...document.querySelectorAll('#ret-compliance .ret-compliance-row')]
                .map(r => [r.dataset.unit, +r.dataset.appointees, +r.dataset.contacted])",
        )
        .await;
    let want: Vec<_> = rows
        .iter()
        .map(|r| {
            json!([
                r.unit_id.as_str(),
                r.compliance.appointees,
                r.compliance.contacted
            ])
        })
        .collect();
    let mut shown: Vec<serde_json::Value> = serde_json::from_value(shown).unwrap();
    let mut want_sorted = want.clone();
    shown.sort_by_key(|v| v.to_string());
    want_sorted.sort_by_key(|v| v.to_string());
    assert_eq!(shown, want_sorted, "compliance per village");
    assert_eq!(
        district
            .js("return document.querySelectorAll('#ret-compliance-chart .bar').length")
            .await,
        json!(rows.len()),
        "one bar per village"
    );
    let row = format!("#ret-compliance tr[data-unit='{}']", v.unit_id.as_str());
    assert_eq!(
        data_attr(&district, &row, "data-contacted").await,
        before.contacted.to_string()
    );
    district.screenshot("returning-contacts-district").await;
    show(&district, "#ret-compliance-chart").await;
    district.screenshot("returning-contacts-chart").await;

    // The village tablet may not write the district's talent register.
    village_tab.goto(&format!("{url}returning/talent")).await;
    village_tab
        .wait_text(
            "#ret-talent-readonly",
            ReturningMsg::ReadOnlyDistrict.text(Lang::ZhCn),
        )
        .await;
    assert!(!village_tab.exists("#ret-talent-form").await);
    village_tab.screenshot("returning-talent-village").await;

    // The village's home screen: exactly the model's due list for today.
    village_tab.goto(&url).await;
    village_tab
        .wait_js_for(
            SYNC_SECS,
            "return document.querySelectorAll('#contact-due-list .due-row').length",
            json!(expected.len()),
        )
        .await;
    let mut got = listed(&village_tab, "#contact-due-list").await;
    let mut want_ids = expected.clone();
    got.sort();
    want_ids.sort();
    assert_eq!(got, want_ids, "the due list on the home screen");
    assert_eq!(
        data_attr(&village_tab, "#contact-due-count", "data-count").await,
        expected.len().to_string()
    );
    show(&village_tab, "#contact-due").await;
    village_tab.screenshot("home-contact-due").await;

    // Server stopped: one tap on the home screen logs a talk.
    let stopped = server.stop();
    let button = format!(
        "#contact-due-list .due-row[data-appointment='{}'] .contact-log[data-kind='Talk']",
        person.as_str()
    );
    village_tab.wait_for_secs(SYNC_SECS, &button).await;
    village_tab.tap(&button).await; // the one and only tap
    village_tab
        .wait_text("#contact-due-state", ReturningMsg::Saved.text(Lang::ZhCn))
        .await;
    let mut after = v.clone();
    let c = ContactLog {
        id: yanzhen_model::Id::from_random_bytes([9; 16]),
        appointment_id: person.clone(),
        date: today,
        kind: ContactKind::Talk,
        note: String::new(),
    };
    after.contacts.insert(c.id.clone(), c);
    let mut want_after: Vec<String> = due_list(&after, today)
        .iter()
        .map(|r| r.appointment_id.as_str().to_owned())
        .collect();
    assert_eq!(want_after.len(), expected.len() - 1);
    village_tab
        .wait_js(
            "return document.querySelectorAll('#contact-due-list .due-row').length",
            json!(want_after.len()),
        )
        .await;
    let mut got = listed(&village_tab, "#contact-due-list").await;
    got.sort();
    want_after.sort();
    assert_eq!(got, want_after, "the contacted person left the due list");
    assert!(!got.contains(&person.as_str().to_owned()));
    village_tab.screenshot("home-contact-due-logged").await;
    // The village's contact screen shows it too, with its history (the
    // app's own navigation: no server to load pages from).
    village_tab.tap("a.nav-link[data-route='returning']").await;
    village_tab.tap("a.tile[data-screen='contacts']").await;
    village_tab
        .wait_for_secs(SYNC_SECS, "#ret-recent .ret-recent-row")
        .await;
    let after_c = compliance(&after, today);
    wait_attr(
        &village_tab,
        30,
        "#ret-unit-compliance",
        "data-contacted",
        &after_c.contacted.to_string(),
    )
    .await;
    assert!(
        !village_tab.exists(".unit-picker").await && !village_tab.exists("#ret-compliance").await,
        "a village tablet sees its own village only"
    );
    village_tab.tap("#ret-recent .ret-recent-row").await;
    village_tab.screenshot("returning-contacts-village").await;

    // Server back: the district's compliance for the village counts it.
    let _server = stopped.start_again();
    wait_attr(
        &district,
        RECONNECT_SECS,
        &row,
        "data-contacted",
        &(before.contacted + 1).to_string(),
    )
    .await;
    assert_eq!(
        data_attr(&district, &row, "data-appointees").await,
        before.appointees.to_string()
    );
    show(&district, &row).await;
    district
        .screenshot("returning-contacts-district-synced")
        .await;
    // Reloaded, the village tablet still has it (IndexedDB and server agree).
    village_tab.goto(&url).await;
    village_tab
        .wait_js_for(
            SYNC_SECS,
            "return document.querySelectorAll('#contact-due-list .due-row').length",
            json!(want_after.len()),
        )
        .await;
    village_tab.close().await;
    district.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_district_records_appointments_leads_and_talent() {
    let demo = demo();
    let today = today();
    let v = village(&demo, today);
    let v_doc = doc_param(&demo, &v.unit_id);
    let (honorary, advisors) = appointments(&demo.units);
    let funnel = investment_funnel(&demo.units);
    let talent = talent_counts(&demo.district);
    // A certificate number of another village's appointee.
    let other_cert = demo
        .units
        .iter()
        .filter(|u| u.unit_id != v.unit_id)
        .flat_map(|u| u.appointments.values())
        .next()
        .unwrap()
        .certificate_no
        .clone();

    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let b = Browser::start().await;
    enrol(&b, &url, &server.cli_code("admin", None), "区委组织部平板").await;

    // ---- appointments
    b.goto(&format!("{url}returning/appointments")).await;
    wait_attr(
        &b,
        SYNC_SECS,
        "#ret-advisors",
        "data-count",
        &advisors.to_string(),
    )
    .await;
    assert_eq!(
        data_attr(&b, "#ret-honorary", "data-count").await,
        honorary.to_string()
    );
    assert_eq!(
        (honorary, advisors),
        (42, 96),
        "DOMAIN.md reference figures"
    );
    pick_village(&b, &v_doc).await;
    let n = v.appointments.len();
    wait_attr(&b, 30, "#ret-appointments", "data-count", &n.to_string()).await;
    b.screenshot("returning-appointments").await;
    b.tap("#ret-appointments .ret-appt-row").await;
    b.wait_for("#ret-appt-detail").await;
    b.screenshot("returning-appointments-detail").await;

    // No certificate number: a message, nothing saved.
    b.type_into("#ret-appt-name", "测试顾问").await;
    b.type_into("#ret-appt-origin", "测试市").await;
    set_date(&b, "#ret-appt-appointed", "2026-01-05").await;
    set_date(&b, "#ret-appt-term", "2029-01-04").await;
    b.tap("#ret-appt-save").await;
    b.wait_text(
        "#ret-appt-certificate-error",
        model_text("validation.required", Lang::ZhCn).unwrap(),
    )
    .await;
    b.wait_text(
        "#ret-appt-save-state",
        ReturningMsg::FixErrors.text(Lang::ZhCn),
    )
    .await;
    // Another village's certificate number: a message, nothing saved.
    b.type_into("#ret-appt-certificate", &other_cert).await;
    b.tap("#ret-appt-save").await;
    b.wait_text(
        "#ret-appt-certificate-error",
        ReturningMsg::CertificateDuplicate.text(Lang::ZhCn),
    )
    .await;
    show(&b, "#ret-appt-form").await;
    b.screenshot("returning-appointments-duplicate").await;
    // A term that ends before it starts.
    b.type_into("#ret-appt-certificate", "TEST-PIN-0001").await;
    set_date(&b, "#ret-appt-term", "2025-12-31").await;
    b.tap("#ret-appt-save").await;
    b.wait_text(
        "#ret-appt-term-error",
        model_text("validation.date.range", Lang::ZhCn).unwrap(),
    )
    .await;
    assert_eq!(
        reload_village(&b, &v_doc, n).await,
        advisors.to_string(),
        "nothing was saved"
    );
    // Correct: saved, listed, and still there after a reload.
    b.type_into("#ret-appt-name", "测试顾问").await;
    b.type_into("#ret-appt-certificate", "TEST-PIN-0001").await;
    set_date(&b, "#ret-appt-appointed", "2026-01-05").await;
    set_date(&b, "#ret-appt-term", "2029-01-04").await;
    b.tap("#ret-appt-save").await;
    b.wait_text("#ret-appt-save-state", ReturningMsg::Saved.text(Lang::ZhCn))
        .await;
    wait_attr(
        &b,
        30,
        "#ret-appointments",
        "data-count",
        &(n + 1).to_string(),
    )
    .await;
    b.wait_for("#ret-appointments tr[data-certificate='TEST-PIN-0001']")
        .await;
    assert_eq!(
        reload_village(&b, &v_doc, n + 1).await,
        (advisors + 1).to_string()
    );
    b.tap("#ret-appointments tr[data-certificate='TEST-PIN-0001']")
        .await;
    b.wait_for("#ret-appt-detail").await;
    show(&b, "#ret-appt-detail").await;
    b.screenshot("returning-appointments-saved").await;

    // ---- investment leads
    b.goto(&format!("{url}returning/investment")).await;
    wait_attr(
        &b,
        SYNC_SECS,
        "#ret-funnel",
        "data-leads",
        &funnel.leads.to_string(),
    )
    .await;
    for (attr, want) in [
        ("data-visits", funnel.visits as i64),
        ("data-projects", funnel.projects as i64),
        ("data-funds-yuan", funnel.funds_yuan),
    ] {
        assert_eq!(
            data_attr(&b, "#ret-funnel", attr).await,
            want.to_string(),
            "{attr}"
        );
    }
    assert_eq!(
        (
            funnel.leads,
            funnel.visits,
            funnel.projects,
            funnel.funds_yuan
        ),
        (17, 13, 4, 10_300_000),
        "DOMAIN.md reference figures"
    );
    let chart = b
        .js("return [...document.querySelectorAll('#ret-funnel-chart .funnel-value')].map(e => e.textContent)")
        .await;
    assert_eq!(chart, json!(["17", "13", "4", "1030 万元"]));
    b.screenshot("returning-investment").await;

    // Advance a lead from "visited" to "project placed": the funnel changes.
    let lead = demo
        .units
        .iter()
        .flat_map(|u| u.leads.values())
        .filter(|l| l.valid && l.stage == LeadStage::Visited)
        .min_by_key(|l| l.id.clone())
        .unwrap();
    let lead_row = format!("#ret-leads tr[data-id='{}']", lead.id.as_str());
    b.tap(&lead_row).await;
    wait_attr(&b, 10, "#ret-lead-detail", "data-id", lead.id.as_str()).await;
    wait_attr(&b, 10, "#ret-lead-advance", "data-next", "Project").await;
    b.tap("#ret-lead-advance").await;
    wait_attr(
        &b,
        30,
        "#ret-funnel",
        "data-projects",
        &(funnel.projects + 1).to_string(),
    )
    .await;
    assert_eq!(
        data_attr(&b, "#ret-funnel", "data-visits").await,
        funnel.visits.to_string()
    );
    wait_attr(&b, 10, &lead_row, "data-stage", "Project").await;
    // Negative funds: a message, nothing saved.
    wait_attr(&b, 10, "#ret-lead-advance", "data-next", "FundsArrived").await;
    b.type_into("#ret-lead-funds-input", "-5").await;
    b.tap("#ret-lead-advance").await;
    b.wait_text(
        "#ret-lead-funds-input-error",
        model_text("validation.amount.negative", Lang::ZhCn).unwrap(),
    )
    .await;
    b.screenshot("returning-investment-negative").await;
    b.refresh().await;
    wait_attr(&b, SYNC_SECS, &lead_row, "data-stage", "Project").await;
    assert_eq!(
        data_attr(&b, "#ret-funnel", "data-funds-yuan").await,
        funnel.funds_yuan.to_string(),
        "nothing was saved"
    );
    // 120 万元 arrive.
    b.tap(&lead_row).await;
    wait_attr(&b, 10, "#ret-lead-advance", "data-next", "FundsArrived").await;
    b.type_into("#ret-lead-funds-input", "120").await;
    b.tap("#ret-lead-advance").await;
    wait_attr(
        &b,
        30,
        "#ret-funnel",
        "data-funds-yuan",
        &(funnel.funds_yuan + 1_200_000).to_string(),
    )
    .await;
    b.wait_text("#ret-lead-funds", "120").await;
    b.screenshot("returning-investment-advanced").await;

    // ---- rural talent
    b.goto(&format!("{url}returning/talent")).await;
    for k in ExchangeKind::ALL {
        wait_attr(
            &b,
            SYNC_SECS,
            &format!("#ret-talent-{k:?}"),
            "data-count",
            &talent.of(*k).to_string(),
        )
        .await;
    }
    assert_eq!(talent.school_pairs, 12);
    assert!(talent.teachers >= 60 && talent.medical_trained >= 400);
    assert_eq!(
        (talent.tech_commissioners, talent.demo_households),
        (20, 105)
    );
    b.screenshot("returning-talent").await;
    b.tap("#ret-talent-DemoHousehold").await;
    wait_attr(
        &b,
        10,
        "#ret-talent",
        "data-count",
        &talent.demo_households.to_string(),
    )
    .await;
    b.tap("#ret-talent .ret-talent-row").await;
    b.screenshot("returning-talent-households").await;
    // A medical-training entry without a name: refused, nothing saved.
    let medical = ExchangeKind::ALL
        .iter()
        .position(|k| *k == ExchangeKind::MedicalTraining)
        .unwrap();
    b.choose("#ret-talent-kind", &medical.to_string()).await;
    set_date(&b, "#ret-talent-start", "2026-03-01").await;
    b.tap("#ret-talent-save").await;
    b.wait_text(
        "#ret-talent-name-error",
        model_text("validation.required", Lang::ZhCn).unwrap(),
    )
    .await;
    show(&b, "#ret-talent-form").await;
    b.screenshot("returning-talent-missing-name").await;
    assert_eq!(
        data_attr(&b, "#ret-talent-MedicalTraining", "data-count").await,
        talent.medical_trained.to_string()
    );
    b.type_into("#ret-talent-name", "测试医生").await;
    b.type_into("#ret-talent-from", "区人民医院").await;
    b.tap("#ret-talent-save").await;
    b.wait_text(
        "#ret-talent-save-state",
        ReturningMsg::Saved.text(Lang::ZhCn),
    )
    .await;
    wait_attr(
        &b,
        30,
        "#ret-talent-MedicalTraining",
        "data-count",
        &(talent.medical_trained + 1).to_string(),
    )
    .await;
    b.refresh().await;
    wait_attr(
        &b,
        SYNC_SECS,
        "#ret-talent-MedicalTraining",
        "data-count",
        &(talent.medical_trained + 1).to_string(),
    )
    .await;
    b.close().await;
}
