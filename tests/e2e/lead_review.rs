//! End-to-end test of 资格联审 (joint qualification review) and 书记备案
//! (secretary filing) in real headless Chromium (1280×800) against the real
//! server with the demo district, two tablets acting like people:
//!
//! 1. a village tablet nominates a candidate with a wrong ID check digit:
//!    the message is next to the field and nothing is saved (also after a
//!    reload); with the number fixed the nomination is saved and still
//!    there after a reload;
//! 2. the district admin tablet sees the nomination after sync, accepts it
//!    into its batch (the batch's counts grow by one, computed from the
//!    demo data with the model's rules), signs off departments — a fail
//!    without a reason is refused at the reason and changes nothing, with a
//!    reason it is saved and the candidate is blocked; "give the seat" is
//!    refused with the failing department and reason; the record's history
//!    shows the changes; a batch with a bad year is refused, then opened;
//! 3. the village tablet sees its candidate blocked after sync, and the
//!    district's actions are not offered to it;
//! 4. the filing screen lists the secretaries not filed yet (from the demo
//!    data), the admin files one, the list shrinks by one and stays so
//!    after a reload; every row links to the A4 filing form.
//!
//! Screenshots: `target/screenshots/review-*.png`, `filing-*.png`.

use crate::support::{ArgServer, Browser, show, today, wait_attr};
use serde_json::json;
use yanzhen::i18n::{Lang, model_text};
use yanzhen::modules::lead::messages::review::ReviewMsg;
use yanzhen::modules::lead::review::rows::{batch_rows, filing_views};
use yanzhen_model::Date;
use yanzhen_model::entities::{Department, UnitKind};
use yanzhen_model::review::{BatchCounts, FilingStatus};
use yanzhen_model::validate::{id_check_char, make_id_number};

/// How long a first sync may take (the admin tablet syncs every document).
const SYNC_SECS: u64 = 180;

const CANDIDATE: &str = "测试候选人";
const REVIEWER: &str = "测试审核员";
const REASON: &str = "测试理由：有违法记录";

fn zh(m: ReviewMsg) -> &'static str {
    m.text(Lang::ZhCn)
}

struct Plan {
    village_unit: String,
    village_name: String,
    batch: String,
    counts: BatchCounts,
    todo: Vec<(String, FilingStatus)>,
    units: usize,
}

/// The filing screen, once its summary counts `units` units.
async fn open_filing(t: &Browser, url: &str, units: &str) {
    t.goto(&format!("{url}lead/filing")).await;
    wait_attr(t, SYNC_SECS, "#filing-summary", "data-units", units).await;
}

fn plan() -> Plan {
    let demo = yanzhen_model::demo::generate(yanzhen_server::demo::DEFAULT_SEED);
    let d = &demo.district;
    let v = d
        .unit_documents()
        .find(|u| u.kind == UnitKind::Village && u.doc_id.is_some())
        .expect("a village");
    // The newest batch: the first the screens list.
    let batches = batch_rows(d, today());
    let b = &batches[0];
    let views = filing_views(d, &demo.units);
    let todo = views
        .iter()
        .filter(|v| v.row.needs_filing())
        .map(|v| (v.row.unit.as_str().to_owned(), v.row.status))
        .collect();
    Plan {
        village_unit: v.id.as_str().to_owned(),
        village_name: v.name.clone(),
        batch: b.id.as_str().to_owned(),
        counts: b.counts,
        todo,
        units: demo.units.len(),
    }
}

/// A synthetic resident ID (region 99) and the same with a wrong check digit.
fn id_numbers() -> (String, String) {
    let good = make_id_number("990101", Date::new(1990, 6, 15).unwrap(), 37);
    let right = id_check_char(&good[..17]).unwrap();
    let wrong = if right == '3' { '4' } else { '3' };
    (good.clone(), format!("{}{wrong}", &good[..17]))
}

async fn text_of(b: &Browser, css: &str) -> String {
    b.wait_for(css).await;
    b.js(&format!(
        "return document.querySelector({css:?}).textContent.trim()"
    ))
    .await
    .as_str()
    .unwrap()
    .to_owned()
}

async fn attr(b: &Browser, css: &str, name: &str) -> String {
    b.wait_for(css).await;
    b.js(&format!(
        "return document.querySelector({css:?}).getAttribute({name:?})"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn count_of(b: &Browser, css: &str) -> usize {
    b.js(&format!("return document.querySelectorAll({css:?}).length"))
        .await
        .as_u64()
        .unwrap() as usize
}

async fn wait_count(b: &Browser, secs: u64, css: &str, n: usize) {
    b.wait_js_for(
        secs,
        &format!("return document.querySelectorAll({css:?}).length"),
        json!(n),
    )
    .await;
}

async fn batch_count(b: &Browser, batch: &str, col: &str) -> usize {
    text_of(
        b,
        &format!("tr.batch-row[data-batch='{batch}'] .count-{col}"),
    )
    .await
    .parse()
    .unwrap()
}

fn department_index(d: Department) -> String {
    Department::ALL
        .iter()
        .position(|x| *x == d)
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn units_nominate_the_district_reviews_and_files_secretaries() {
    let p = plan();
    let (good, wrong) = id_numbers();
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let village_code = server.cli_code("village", Some(&p.village_unit));
    let admin_code = server.cli_code("admin", None);

    // ---- 1. the village tablet nominates
    let v = Browser::start().await;
    v.enrol(&url, &village_code, "测试村平板").await;
    v.goto(&format!("{url}lead/review")).await;
    v.wait_for_secs(
        SYNC_SECS,
        &format!("#nominate-batch option[value='{}']", p.batch),
    )
    .await;
    assert!(
        v.exists("#review-readonly").await,
        "district actions explained"
    );
    assert!(
        !v.exists("#batch-form").await,
        "no batch form on a village tablet"
    );
    v.choose("#nominate-batch", &p.batch).await;
    v.type_into("#nominate-name", CANDIDATE).await;
    v.type_into("#nominate-id-number", &wrong).await;
    v.tap("#nominate-submit").await;
    v.wait_text(
        "#nominate-id-number-error",
        model_text("validation.id_number.check_digit", Lang::ZhCn).unwrap(),
    )
    .await;
    v.wait_for("#my-nominations-none").await;
    show(&v, "#nominate-form").await;
    v.screenshot("review-village-bad-id").await;
    v.goto(&format!("{url}lead/review")).await;
    v.wait_for_secs(SYNC_SECS, "#nominate-form").await;
    v.wait_for("#my-nominations-none").await;
    assert_eq!(count_of(&v, "#my-nominations .nomination-row").await, 0);

    v.choose("#nominate-batch", &p.batch).await;
    v.type_into("#nominate-name", CANDIDATE).await;
    v.type_into("#nominate-id-number", &good).await;
    v.tap("#nominate-submit").await;
    wait_count(&v, 20, "#my-nominations .nomination-row", 1).await;
    wait_attr(&v, 20, "#nominate-state", "data-state", "saved").await;
    assert!(!v.exists("#nominate-id-number-error").await);
    let nomination = attr(&v, "#my-nominations .nomination-row", "data-id").await;
    assert_eq!(
        text_of(&v, "#my-nominations .nomination-row .badge").await,
        zh(ReviewMsg::NominationWaiting)
    );
    v.goto(&format!("{url}lead/review")).await;
    v.wait_for_secs(
        SYNC_SECS,
        &format!("#my-nominations .nomination-row[data-id='{nomination}']"),
    )
    .await;
    show(&v, "#my-nominations").await;
    v.screenshot("review-village-nominated").await;

    // ---- 2. the district admin tablet reviews
    let a = Browser::start().await;
    a.enrol(&url, &admin_code, "测试组织部平板").await;
    a.goto(&format!("{url}lead/review")).await;
    let row = format!("#open-nominations .open-nomination[data-id='{nomination}']");
    a.wait_for_secs(SYNC_SECS, &row).await;
    assert!(text_of(&a, &row).await.contains(&p.village_name));
    show(&a, "#queue").await;
    a.screenshot("review-queue").await;

    // The batch's counts before and after accepting.
    let batch = &p.batch;
    a.wait_for(&format!("tr.batch-row[data-batch='{batch}']"))
        .await;
    assert_eq!(
        batch_count(&a, batch, "submitted").await,
        p.counts.submitted
    );
    assert_eq!(batch_count(&a, batch, "blocked").await, p.counts.blocked);
    assert_eq!(batch_count(&a, batch, "passed").await, p.counts.passed);
    assert_eq!(
        batch_count(&a, batch, "concluded").await,
        p.counts.concluded
    );
    a.tap(&format!("{row} .accept-nomination")).await;
    a.wait_for("#queue-none").await;
    a.wait_js(
        &format!(
            "const e = document.querySelector(\"tr.batch-row[data-batch='{batch}'] .count-submitted\"); return e ? Number(e.textContent) : null"
        ),
        json!(p.counts.submitted + 1),
    )
    .await;
    assert_eq!(
        batch_count(&a, batch, "in-review").await,
        p.counts.in_review + 1
    );
    assert_eq!(batch_count(&a, batch, "blocked").await, p.counts.blocked);
    show(&a, "#batches").await;
    a.screenshot("review-batches").await;

    // The candidate in the batch's board.
    a.tap(&format!("tr.batch-row[data-batch='{batch}'] .batch-open"))
        .await;
    let cand = format!("tr.candidate-row[data-id='{nomination}']");
    a.wait_for(&cand).await;
    assert_eq!(attr(&a, &cand, "data-status").await, "submitted");
    a.tap(&format!("{cand} .candidate-open")).await;
    a.wait_text("#candidate-name", CANDIDATE).await;
    assert_eq!(
        count_of(&a, "#candidate-board tr.signoff-row[data-result='Pending']").await,
        Department::ALL.len()
    );

    // Two departments pass.
    for d in [Department::Discipline, Department::Court] {
        a.choose("#signoff-department", &department_index(d)).await;
        a.tap("#signoff-pass").await;
        a.type_into("#signoff-reviewer", REVIEWER).await;
        a.tap("#signoff-submit").await;
        wait_attr(
            &a,
            20,
            &format!("tr.signoff-row[data-department='{d:?}']"),
            "data-result",
            "Pass",
        )
        .await;
    }
    assert_eq!(
        attr(&a, "#candidate-status", "data-status").await,
        "in-review"
    );

    // Police fails the candidate without a reason: refused, nothing saved.
    let police = "tr.signoff-row[data-department='Police']";
    a.choose("#signoff-department", &department_index(Department::Police))
        .await;
    a.tap("#signoff-fail").await;
    a.type_into("#signoff-reviewer", REVIEWER).await;
    a.type_into("#signoff-reason", " ").await;
    a.tap("#signoff-submit").await;
    a.wait_text(
        "#signoff-reason-error",
        model_text("validation.review.reason_required", Lang::ZhCn).unwrap(),
    )
    .await;
    assert_eq!(attr(&a, police, "data-result").await, "Pending");
    wait_attr(&a, 5, "#signoff-state", "data-state", "invalid").await;
    show(&a, "#signoff-form").await;
    a.screenshot("review-signoff-no-reason").await;
    let history = count_of(&a, "section.record-trail .history-row").await;
    assert!(history >= 3, "accepted + two sign-offs: {history}");

    // With a reason: saved, the candidate is blocked.
    a.type_into("#signoff-reason", REASON).await;
    a.tap("#signoff-submit").await;
    wait_attr(&a, 20, police, "data-result", "Fail").await;
    assert_eq!(
        text_of(&a, &format!("{police} .signoff-reason")).await,
        REASON
    );
    wait_attr(&a, 20, "#candidate-status", "data-status", "blocked").await;
    wait_attr(&a, 20, &cand, "data-status", "blocked").await;
    wait_count(&a, 20, "section.record-trail .history-row", history + 1).await;
    assert_eq!(
        batch_count(&a, batch, "blocked").await,
        p.counts.blocked + 1
    );
    assert_eq!(
        batch_count(&a, batch, "in-review").await,
        p.counts.in_review
    );
    assert_eq!(
        batch_count(&a, batch, "submitted").await,
        p.counts.submitted + 1
    );

    // Giving the seat is refused with the department and its reason.
    a.tap("#give-seat").await;
    a.wait_for("#candidate-message").await;
    assert_eq!(attr(&a, "#candidate-message", "data-ok").await, "false");
    let msg = text_of(&a, "#candidate-message").await;
    assert!(msg.contains(zh(ReviewMsg::SeatRefusedBlocked)), "{msg}");
    assert!(msg.contains(zh(ReviewMsg::DeptPolice)), "{msg}");
    assert!(msg.contains(REASON), "{msg}");
    // Publicity is refused too.
    a.tap("#publicity-start").await;
    a.wait_text("#candidate-message", zh(ReviewMsg::RefusedBlocked))
        .await;
    a.tap("#give-seat").await;
    a.wait_js(
        "return document.querySelector('#candidate-message').textContent.includes('有违法记录')",
        json!(true),
    )
    .await;
    show(&a, "#candidate-panel").await;
    a.screenshot("review-candidate-blocked").await;
    show(&a, "section.record-trail").await;
    a.screenshot("review-candidate-history").await;

    // A batch with a year that is not a number is refused; then opened.
    let batches = count_of(&a, "tr.batch-row").await;
    a.type_into("#batch-year", "二〇二六").await;
    a.type_into("#batch-name", "测试换届联审批次").await;
    a.tap("#batch-submit").await;
    a.wait_text(
        "#batch-year-error",
        model_text("validation.number.out_of_range", Lang::ZhCn).unwrap(),
    )
    .await;
    assert_eq!(count_of(&a, "tr.batch-row").await, batches);
    a.type_into("#batch-year", &today().year().to_string())
        .await;
    a.tap("#batch-submit").await;
    wait_count(&a, 20, "tr.batch-row", batches + 1).await;
    a.wait_for("#candidates-none").await;

    // ---- 3. the village sees its candidate blocked after sync
    v.wait_js_for(
        SYNC_SECS,
        &format!(
            "const e = document.querySelector(\"#my-nominations .nomination-row[data-id='{nomination}'] .badge\"); return e ? e.textContent.trim() : null"
        ),
        json!(zh(ReviewMsg::StatusBlocked)),
    )
    .await;
    v.tap(&format!("tr.batch-row[data-batch='{batch}'] .batch-open"))
        .await;
    v.tap(&format!("{cand} .candidate-open")).await;
    v.wait_for("#signoff-readonly").await;
    assert!(!v.exists("#signoff-form").await);
    assert!(!v.exists("#publicity-start").await);
    show(&v, "#candidate-panel").await;
    v.screenshot("review-village-candidate").await;

    // ---- 4. filing
    let todo_rows = "#filing-todo .filing-todo-row";
    open_filing(&a, &url, &p.units.to_string()).await;
    wait_count(&a, 20, todo_rows, p.todo.len()).await;
    assert!(p.todo.len() >= 2, "the demo leaves secretaries to file");
    for (unit, status) in &p.todo {
        let key = match status {
            FilingStatus::NotFiled => "not-filed",
            _ => "changed",
        };
        assert_eq!(
            attr(
                &a,
                &format!("{todo_rows}[data-unit='{unit}']"),
                "data-status"
            )
            .await,
            key
        );
    }
    assert_eq!(count_of(&a, "#filing-table tr.filing-row").await, p.units);
    let links = a
        .js("return [...document.querySelectorAll('#filing-table tr.filing-row a.print-link')].filter(a => a.getAttribute('href').startsWith('/print/filing/')).length")
        .await;
    assert_eq!(links, json!(p.units));
    a.screenshot("filing-list").await;

    let (unit, _) = &p.todo[0];
    a.tap(&format!("{todo_rows}[data-unit='{unit}'] .file-secretary"))
        .await;
    wait_count(&a, 20, todo_rows, p.todo.len() - 1).await;
    wait_attr(
        &a,
        20,
        &format!("#filing-table tr.filing-row[data-unit='{unit}']"),
        "data-status",
        "filed",
    )
    .await;
    wait_attr(&a, 20, "#filing-message", "data-state", "saved").await;
    a.wait_for("#filing-record section.record-trail .history-row")
        .await;
    show(&a, "#filing-record").await;
    a.screenshot("filing-filed").await;

    open_filing(&a, &url, &p.units.to_string()).await;
    wait_count(&a, 20, todo_rows, p.todo.len() - 1).await;
    assert!(!a.exists(&format!("{todo_rows}[data-unit='{unit}']")).await);

    // The village tablet sees its own unit, and cannot file.
    open_filing(&v, &url, "1").await;
    v.wait_for("#filing-readonly").await;
    v.screenshot("filing-village").await;
    let disabled = v
        .js("return [...document.querySelectorAll('.file-secretary')].every(b => b.disabled)")
        .await;
    assert_eq!(disabled, json!(true));

    a.close().await;
    v.close().await;
}
