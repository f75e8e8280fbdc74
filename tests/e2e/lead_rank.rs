//! End-to-end tests of 年度考核, 任期承诺与述职评议 and 集体经济与薪酬 in real
//! headless Chromium on a 1280×800 tablet against the real server with the
//! demo district, acting like people:
//!
//! 1. the district admin opens the assessment screen: the demo's one
//!    adjustment is listed; a score out of range and a score with no
//!    secretary are refused with their messages and nothing changes; a low
//!    score for the secretary who was last in the previous year re-ranks
//!    the group exactly as `yanzhen_model::rank::enter_score` says and puts
//!    them on the "still to adjust" list; an adjustment without a reason is
//!    refused, with a reason it is recorded; after a reload the ranking and
//!    the adjustment are still there and the record's history shows it;
//! 2. the district admin sees the overview of commitments across units,
//!    opens a unit's commitment: progress 120 is refused (unchanged after a
//!    reload), 85 is saved (still there after a reload); a duty report's
//!    negative vote count is refused, good counts are saved and kept;
//! 3. a village tablet cannot enter scores (the form is replaced by the
//!    reason); it records its 2024 income: a negative amount is refused
//!    with the model's message and nothing is saved (also after a reload),
//!    the corrected amount is saved; the district tablet then sees the
//!    village's new income, rank and reward as the model computes them, and
//!    the community workers' average pay rise of the demo data;
//! 4. the district admin edits the reward policy (a negative base reward and
//!    an empty field refused, nothing changed after a reload; the saved
//!    policy recomputes the rewards as the model does); a community tablet
//!    sees the new policy after sync, cannot edit it, and records a worker's
//!    pay (no worker chosen, a negative amount refused, nothing saved after
//!    a reload; then saved and kept), which the district then sees.
//!
//! Screenshots: `target/screenshots/rank-*.png`, `economy-*.png`.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use crate::support::{ArgServer, Browser, demo, doc_param, show, wait_attr};
use serde_json::json;
use yanzhen::i18n::{Lang, model_text};
use yanzhen::modules::lead::messages::rank::RankMsg;
use yanzhen::modules::lead::rank::rows::{group_choices, person_key};
use yanzhen_model::entities::{Assessment, CollectiveIncome, UnitKind};
use yanzhen_model::rank;
use yanzhen_model::rules;

/// How long the first sync of the demo documents may take.
const SYNC_SECS: u64 = 180;

/// An attribute of the element matching `css` (null if none).
async fn attr(b: &Browser, css: &str, name: &str) -> serde_json::Value {
    b.js(&format!(
        "const e = document.querySelector({css:?}); return e ? e.getAttribute({name:?}) : null"
    ))
    .await
}

/// Empties the input matching `css` as a person does: the value gone and
/// the input event fired (WebDriver's clear fires none).
async fn empty(b: &Browser, css: &str) {
    b.wait_for(css).await;
    b.js(&format!(
        "const e = document.querySelector({css:?}); e.value = ''; \
         e.dispatchEvent(new Event('input', {{bubbles: true}}))"
    ))
    .await;
}

fn rank_text(m: RankMsg) -> &'static str {
    m.text(Lang::ZhCn)
}

/// The group and secretary the assessment test works on: the first group
/// (in the screen's order) whose secretary ranked last in 2023 is neither
/// last in 2024 nor adjusted, and the ranks after that secretary scores 50
/// in 2024.
struct Case {
    group: String,
    person_key: String,
    person_id: String,
    assessment: Assessment,
    expected: Vec<(String, u32)>,
    adjusted_demo: String,
}

fn case() -> Case {
    let demo = demo();
    let d = &demo.district;
    let adjusted_demo = rank::adjustments(d).done[0].id.as_str().to_owned();
    for (g, _) in group_choices(d) {
        let y23 = rank::group_year(d, &g, 2023);
        let y24 = rank::group_year(d, &g, 2024);
        if y24.len() < 3 {
            continue;
        }
        let last23 = y23.iter().map(|a| a.rank).max().unwrap();
        let last24 = y24.iter().map(|a| a.rank).max().unwrap();
        let Some(p) = y23
            .iter()
            .find(|a| a.rank == last23 && a.adjustment.is_none())
        else {
            continue;
        };
        let Some(a24) = y24.iter().find(|a| a.person == p.person) else {
            continue;
        };
        if a24.rank == last24
            || rank::adjustments(d)
                .done
                .iter()
                .any(|x| x.person == p.person)
        {
            continue;
        }
        let mut entered = (*a24).clone();
        entered.score = 50.0;
        let mut after = d.clone();
        for x in rank::enter_score(d, &entered) {
            after.assessments.insert(x.id.clone(), x);
        }
        let expected = rank::group_year(&after, &g, 2024)
            .into_iter()
            .map(|a| (a.person.person.as_str().to_owned(), a.rank))
            .collect();
        // The rule now lists them for adjustment.
        assert!(
            rank::adjustments(&after)
                .pending
                .iter()
                .any(|x| x.id == a24.id)
        );
        return Case {
            group: g,
            person_key: person_key(&p.person),
            person_id: p.person.person.as_str().to_owned(),
            assessment: (*a24).clone(),
            expected,
            adjusted_demo,
        };
    }
    panic!("no group fits the test");
}

async fn admin_tablet(server: &ArgServer, name: &str) -> Browser {
    server.tablet("admin", None, name).await
}

async fn open_assessment(b: &Browser, url: &str, c: &Case) {
    b.goto(&format!("{url}lead/assessment")).await;
    b.wait_for_secs(SYNC_SECS, "#rank-year option[value='2024']")
        .await;
    b.choose("#rank-year", "2024").await;
    b.wait_for_secs(
        SYNC_SECS,
        &format!("#rank-group option[value='{}']", c.group),
    )
    .await;
    b.choose("#rank-group", &c.group).await;
    b.wait_for_secs(
        SYNC_SECS,
        &format!("#rank-table tr.rank-row[data-person='{}']", c.person_id),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_district_scores_reranks_and_adjusts() {
    let c = case();
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let b = admin_tablet(&server, "区委组织部平板").await;
    open_assessment(&b, &url, &c).await;
    let row = format!("#rank-table tr.rank-row[data-person='{}']", c.person_id);
    assert_eq!(
        attr(&b, &row, "data-rank").await,
        json!(c.assessment.rank.to_string())
    );
    // The demo's one adjustment is shown; nobody is waiting.
    b.wait_for_secs(
        SYNC_SECS,
        &format!("#adjust-done .adjusted-row[data-id='{}']", c.adjusted_demo),
    )
    .await;
    assert_eq!(b.count("#adjust-done .adjusted-row").await, 1);
    assert!(b.exists("#adjust-none-pending").await);
    b.wait_text("#rank-tie-rule", rank_text(RankMsg::TieRule))
        .await;
    b.screenshot("rank-ranking").await;

    // A score out of range: refused, nothing changes.
    b.choose("#score-person", &c.person_key).await;
    b.wait_js(
        "return document.querySelector('#score-value').value !== ''",
        json!(true),
    )
    .await;
    b.type_into("#score-value", "120").await;
    b.tap("#score-submit").await;
    b.wait_text("#score-value-error", rank_text(RankMsg::ScoreRange))
        .await;
    wait_attr(&b, 5, "#score-state", "data-state", "invalid").await;
    show(&b, "#score-form").await;
    b.screenshot("rank-score-refused").await;
    assert_eq!(
        attr(&b, &row, "data-rank").await,
        json!(c.assessment.rank.to_string())
    );
    // No secretary chosen: refused too.
    b.choose("#score-person", "").await;
    b.type_into("#score-value", "50").await;
    b.tap("#score-submit").await;
    b.wait_text(
        "#score-person-error",
        model_text("validation.required", Lang::ZhCn).unwrap(),
    )
    .await;

    // A good score: the group is re-ranked as the model says.
    b.choose("#score-person", &c.person_key).await;
    b.type_into("#score-value", "50").await;
    b.choose("#score-grade", "2").await;
    b.tap("#score-submit").await;
    wait_attr(&b, 10, "#score-state", "data-state", "saved").await;
    let last = c.expected.iter().map(|(_, r)| *r).max().unwrap();
    wait_attr(&b, 10, &row, "data-rank", &last.to_string()).await;
    for (pid, r) in &c.expected {
        let css = format!("#rank-table tr.rank-row[data-person='{pid}']");
        assert_eq!(
            attr(&b, &css, "data-rank").await,
            json!(r.to_string()),
            "{pid}"
        );
    }
    // The rows are listed in rank order.
    let ranks = b
        .js("return [...document.querySelectorAll('#rank-table tr.rank-row')].map(r => +r.dataset.rank)")
        .await;
    let mut sorted: Vec<u64> = ranks
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let shown = sorted.clone();
    sorted.sort();
    assert_eq!(shown, sorted);

    // Now last two years running: listed for adjustment.
    let pending = format!(
        "#adjust-pending .adjust-row[data-id='{}']",
        c.assessment.id.as_str()
    );
    b.wait_for(&pending).await;
    show(&b, "#bottom-card").await;
    b.screenshot("rank-bottom").await;
    b.tap(&format!("{pending} .adjust-open")).await;
    b.wait_for("#adjust-form").await;
    // No reason: refused.
    b.tap("#adjust-submit").await;
    b.wait_text(
        "#adjust-reason-error",
        model_text("validation.required", Lang::ZhCn).unwrap(),
    )
    .await;
    assert_eq!(b.count("#adjust-done .adjusted-row").await, 1);
    show(&b, "#adjust-form").await;
    b.screenshot("rank-adjust-form").await;
    b.type_into("#adjust-reason", "测试：连续两年考核排名末位，按规定调整")
        .await;
    b.tap("#adjust-submit").await;
    let done = format!(
        "#adjust-done .adjusted-row[data-id='{}']",
        c.assessment.id.as_str()
    );
    b.wait_for(&done).await;
    wait_attr(&b, 10, "#adjust-state", "data-state", "saved").await;
    assert_eq!(b.count("#adjust-done .adjusted-row").await, 2);
    assert!(b.exists("#adjust-none-pending").await);

    // After a reload: the ranking and both adjustments are still there.
    open_assessment(&b, &url, &c).await;
    wait_attr(&b, 30, &row, "data-rank", &last.to_string()).await;
    b.wait_for(&done).await;
    b.wait_text(
        &format!("{done} .adjust-reason"),
        "测试：连续两年考核排名末位，按规定调整",
    )
    .await;
    assert_eq!(b.count("#adjust-done .adjusted-row").await, 2);
    assert!(b.exists("#adjust-none-pending").await);
    show(&b, "#bottom-card").await;
    b.screenshot("rank-adjusted").await;

    // The record's history: the demo import, the score, the adjustment.
    b.tap(&row).await;
    b.wait_for("#rank-detail").await;
    b.wait_text("#rank-detail-score", "50").await;
    b.wait_js(
        "return document.querySelectorAll('.record-trail .history-row').length >= 3",
        json!(true),
    )
    .await;
    show(&b, ".record-trail").await;
    b.screenshot("rank-detail").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commitments_progress_and_duty_report_votes() {
    let demo = demo();
    let unit = demo
        .district
        .unit_documents()
        .find(|u| u.kind == UnitKind::Village)
        .unwrap()
        .clone();
    let data = demo.units.iter().find(|u| u.unit_id == unit.id).unwrap();
    let c = data.commitments.values().next().unwrap().clone();
    let d = data.duty_reports.values().next().unwrap().clone();
    let unit_doc = doc_param(unit.doc_id.as_ref().unwrap());
    let units = demo.units.len();

    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let b = admin_tablet(&server, "区委组织部平板").await;
    let open = || async {
        b.goto(&format!("{url}lead/commitments")).await;
        b.wait_for_secs(
            SYNC_SECS,
            &format!("#roster-unit option[value='{unit_doc}']"),
        )
        .await;
        b.choose("#roster-unit", &unit_doc).await;
        b.wait_for_secs(
            SYNC_SECS,
            &format!(
                "#commitment-list tr.commitment-row[data-id='{}']",
                c.id.as_str()
            ),
        )
        .await;
    };
    open().await;
    // The district overview lists every unit once all have synced.
    b.wait_js_for(
        SYNC_SECS,
        "return document.querySelectorAll('#duty-overview tr.overview-row').length",
        json!(units),
    )
    .await;
    b.screenshot("rank-commitments").await;

    let crow = format!(
        "#commitment-list tr.commitment-row[data-id='{}']",
        c.id.as_str()
    );
    assert_eq!(
        attr(&b, &crow, "data-progress").await,
        json!(c.progress_pct.to_string())
    );
    b.tap(&crow).await;
    b.wait_for("#progress-form").await;
    b.type_into("#progress-value", "120").await;
    b.tap("#progress-submit").await;
    b.wait_text("#progress-value-error", rank_text(RankMsg::ProgressRange))
        .await;
    show(&b, "#commitment-detail").await;
    b.screenshot("rank-commitment-refused").await;
    open().await;
    assert_eq!(
        attr(&b, &crow, "data-progress").await,
        json!(c.progress_pct.to_string())
    );
    b.tap(&crow).await;
    b.type_into("#progress-value", "85").await;
    b.tap("#progress-submit").await;
    wait_attr(&b, 10, "#progress-state", "data-state", "saved").await;
    wait_attr(&b, 10, &crow, "data-progress", "85").await;
    b.wait_js(
        "return document.querySelectorAll('.record-trail .history-row').length >= 2",
        json!(true),
    )
    .await;
    show(&b, ".record-trail").await;
    b.screenshot("rank-commitment-saved").await;
    open().await;
    assert_eq!(attr(&b, &crow, "data-progress").await, json!("85"));

    // Duty report votes.
    let drow = format!("#duty-list tr.duty-row[data-id='{}']", d.id.as_str());
    let cast = d.votes_excellent + d.votes_competent + d.votes_basic + d.votes_incompetent;
    assert_eq!(attr(&b, &drow, "data-total").await, json!(cast.to_string()));
    b.tap(&drow).await;
    b.wait_for("#votes-form").await;
    b.type_into("#votes-basic", "-2").await;
    b.tap("#votes-submit").await;
    b.wait_text("#votes-basic-error", rank_text(RankMsg::VotesNegative))
        .await;
    show(&b, "#duty-detail").await;
    b.screenshot("rank-votes-refused").await;
    open().await;
    b.tap(&drow).await;
    b.wait_for("#votes-form").await;
    assert_eq!(b.value("#votes-basic").await, d.votes_basic.to_string());
    b.type_into("#votes-excellent", "25").await;
    b.type_into("#votes-competent", "6").await;
    b.type_into("#votes-basic", "1").await;
    b.type_into("#votes-incompetent", "0").await;
    b.type_into("#votes-total", "35").await;
    b.tap("#votes-submit").await;
    wait_attr(&b, 10, "#votes-state", "data-state", "saved").await;
    wait_attr(&b, 10, &drow, "data-total", "35").await;
    open().await;
    assert_eq!(attr(&b, &drow, "data-total").await, json!("35"));
    b.wait_text(&format!("{drow} .votes-excellent"), "25").await;
    b.screenshot("rank-votes-saved").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_village_records_income_and_the_district_sees_the_reward() {
    let demo = demo();
    let d = &demo.district;
    // The village: the one ranked in the middle in 2024.
    let rows = rank::economy_rows(d, &demo.units, 2024).unwrap();
    let village = rows[rows.len() / 2].unit.clone();
    let data = demo.units.iter().find(|u| u.unit_id == village).unwrap();
    let before = data.incomes.len();
    let new_income: i64 = rows[0].income_yuan + 123_456;
    // What the district should see: the 2024 record replaced.
    let mut after = demo.units.clone();
    let u = after.iter_mut().find(|u| u.unit_id == village).unwrap();
    let rec: CollectiveIncome = u.incomes.values().find(|i| i.year == 2024).unwrap().clone();
    u.incomes.insert(
        rec.id.clone(),
        CollectiveIncome {
            income_yuan: new_income,
            ..rec
        },
    );
    let expected = rank::economy_rows(d, &after, 2024)
        .unwrap()
        .into_iter()
        .find(|r| r.unit == village)
        .unwrap();
    assert_eq!(expected.rank, 1);
    let growth = rules::pay_growth(&demo.units, Some(2024));
    let avg = growth.average_yuan().unwrap();
    assert!(avg >= 4200, "{avg}");

    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let v = server
        .tablet("village", Some(village.as_str()), "村平板")
        .await;

    // Scores are district records: not offered here.
    v.goto(&format!("{url}lead/assessment")).await;
    v.wait_for_secs(SYNC_SECS, "#score-locked").await;
    assert!(!v.exists("#score-form").await);
    v.screenshot("rank-village-locked").await;

    let open_village = || async {
        v.goto(&format!("{url}lead/economy")).await;
        v.wait_for_secs(SYNC_SECS, "#income-form").await;
        v.wait_for_secs(SYNC_SECS, "#income-records").await;
    };
    open_village().await;
    v.wait_for("#economy-partial").await;
    assert_eq!(
        attr(&v, "#income-records", "data-count").await,
        json!(before.to_string())
    );
    v.type_into("#income-year", "2024").await;
    v.type_into("#income-amount", "-5000").await;
    v.tap("#income-submit").await;
    v.wait_text(
        "#income-amount-error",
        model_text("validation.amount.negative", Lang::ZhCn).unwrap(),
    )
    .await;
    show(&v, "#income-card").await;
    v.screenshot("economy-income-refused").await;
    open_village().await;
    assert_eq!(
        attr(&v, "#income-records", "data-count").await,
        json!(before.to_string())
    );
    assert_eq!(
        attr(&v, "#income-records li[data-year='2024']", "data-amount").await,
        json!(rec_amount(data).to_string())
    );
    v.type_into("#income-year", "2024").await;
    v.type_into("#income-amount", &new_income.to_string()).await;
    v.tap("#income-submit").await;
    wait_attr(&v, 10, "#income-state", "data-state", "saved").await;
    wait_attr(
        &v,
        10,
        "#income-records li[data-year='2024']",
        "data-amount",
        &new_income.to_string(),
    )
    .await;
    assert_eq!(
        attr(&v, "#income-records", "data-count").await,
        json!(before.to_string())
    );
    show(&v, "#income-card").await;
    v.screenshot("economy-village").await;
    // Wait until the server has it: on the sync status screen every
    // document is acknowledged and saved, none pending.
    v.goto(&format!("{url}sync-status")).await;
    v.wait_js_for(
        SYNC_SECS,
        "const rows = [...document.querySelectorAll('tr[data-doc]')];
         return rows.length > 0
           && rows.every(r => r.dataset.ack === 'acked' && r.dataset.unsaved === 'false')",
        json!(true),
    )
    .await;

    // The district tablet sees the new income, rank and reward.
    let b = admin_tablet(&server, "区委组织部平板").await;
    b.goto(&format!("{url}lead/economy")).await;
    let row = format!(
        "#economy-table tr.economy-row[data-unit='{}']",
        village.as_str()
    );
    b.wait_for_secs(SYNC_SECS, "#economy-policy").await;
    wait_attr(&b, SYNC_SECS, &row, "data-income", &new_income.to_string()).await;
    wait_attr(&b, 30, &row, "data-rank", &expected.rank.to_string()).await;
    assert_eq!(
        attr(&b, &row, "data-total").await,
        json!(expected.reward.total_yuan().to_string())
    );
    b.screenshot("economy-ranking").await;
    b.tap(&row).await;
    b.wait_for("#economy-detail").await;
    b.wait_js(
        "return document.querySelectorAll('.record-trail .history-row').length >= 2",
        json!(true),
    )
    .await;
    show(&b, "#economy-detail").await;
    b.screenshot("economy-detail").await;
    // Pay: the average rise of the demo's community workers.
    wait_attr(&b, 30, "#pay-average", "data-yuan", &avg.to_string()).await;
    assert_eq!(
        attr(&b, "#pay-average", "data-rises").await,
        json!(growth.rises.to_string())
    );
    b.wait_for("#pay-table tr.pay-row").await;
    b.tap("#pay-table tr.pay-row").await;
    b.wait_for(".record-trail .history-row").await;
    show(&b, "#pay-card").await;
    b.screenshot("economy-pay").await;
    v.close().await;
    b.close().await;
}

/// The demo's 2024 income of a village.
fn rec_amount(u: &yanzhen_model::store::UnitData) -> i64 {
    u.incomes
        .values()
        .find(|i| i.year == 2024)
        .unwrap()
        .income_yuan
}

/// 4. The district admin edits the 2024 reward policy (a negative base
///    reward is refused, nothing changes after a reload; the corrected
///    policy recomputes every reward as the model does) while a community's
///    tablet is open: the community sees the new policy after sync and
///    cannot edit it; it records a worker's 2025 pay (no worker chosen and a
///    negative amount are refused, nothing saved after a reload), and the
///    district sees that pay and the rise it makes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_district_edits_the_policy_and_a_community_records_pay() {
    let demo = demo();
    let d = &demo.district;
    let old = rank::policy_for(d, 2024).unwrap().clone();
    let new_base = old.base_reward_yuan + 10_000;
    let mut after = d.clone();
    after.policies.insert(
        old.id.clone(),
        yanzhen_model::entities::RewardPolicy {
            base_reward_yuan: new_base,
            ..old.clone()
        },
    );
    let rows_before = rank::economy_rows(d, &demo.units, 2024).unwrap();
    let rows_after = rank::economy_rows(&after, &demo.units, 2024).unwrap();
    let top = rows_after[0].clone();
    assert_ne!(
        rows_before[0].reward.total_yuan(),
        top.reward.total_yuan(),
        "the test's policy change must change the top village's reward"
    );
    // A community with a worker paid in 2024; the worker first by name.
    let (community, worker, pay24) = d
        .unit_documents()
        .filter(|u| u.kind == UnitKind::Community)
        .find_map(|u| {
            let data = demo.units.iter().find(|x| x.unit_id == u.id)?;
            rank::pay_rows(data, 2024)
                .into_iter()
                .find_map(|r| Some((u.clone(), r.person_id, r.pay_yuan?)))
        })
        .expect("a community with pay records");
    let data = demo
        .units
        .iter()
        .find(|u| u.unit_id == community.id)
        .unwrap();
    let pay25 = pay24 + 4_321;
    let community_doc = doc_param(community.doc_id.as_ref().unwrap());

    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let c = server
        .tablet("village", Some(community.id.as_str()), "社区平板")
        .await;
    let b = admin_tablet(&server, "区委组织部平板").await;

    // ---- the district edits the policy
    let open_district = || async {
        b.goto(&format!("{url}lead/economy")).await;
        b.wait_for_secs(SYNC_SECS, "#economy-policy[data-year='2024']")
            .await;
        b.wait_for_secs(SYNC_SECS, "#economy-table").await;
    };
    open_district().await;
    b.choose("#economy-year", "2024").await;
    b.tap("#policy-edit").await;
    b.wait_for("#policy-form").await;
    assert_eq!(
        b.value("#policy-base-reward").await,
        old.base_reward_yuan.to_string()
    );
    b.type_into("#policy-base-reward", "-100").await;
    empty(&b, "#policy-top-n-input").await;
    b.tap("#policy-submit").await;
    b.wait_text(
        "#policy-top-n-input-error",
        rank_text(RankMsg::PolicyRequired),
    )
    .await;
    b.type_into("#policy-top-n-input", &old.top_n.to_string())
        .await;
    b.tap("#policy-submit").await;
    b.wait_text(
        "#policy-base-reward-error",
        model_text("validation.amount.negative", Lang::ZhCn).unwrap(),
    )
    .await;
    wait_attr(&b, 10, "#policy-state", "data-state", "invalid").await;
    show(&b, "#policy-form").await;
    b.screenshot("economy-policy-refused").await;
    open_district().await;
    b.choose("#economy-year", "2024").await;
    b.wait_text(
        "#policy-base strong",
        &yanzhen::modules::lead::rank::rows::yuan(old.base_reward_yuan),
    )
    .await;
    b.tap("#policy-edit").await;
    b.type_into("#policy-base-reward", &new_base.to_string())
        .await;
    b.tap("#policy-submit").await;
    wait_attr(&b, 10, "#policy-state", "data-state", "saved").await;
    b.wait_text(
        "#policy-base strong",
        &yanzhen::modules::lead::rank::rows::yuan(new_base),
    )
    .await;
    let top_row = format!(
        "#economy-table tr.economy-row[data-unit='{}']",
        top.unit.as_str()
    );
    wait_attr(
        &b,
        10,
        &top_row,
        "data-total",
        &top.reward.total_yuan().to_string(),
    )
    .await;
    // The policy's history shows the change.
    b.wait_js(
        "return document.querySelectorAll('.record-trail .history-row').length >= 2",
        json!(true),
    )
    .await;
    show(&b, "#policy-form").await;
    b.screenshot("economy-policy-saved").await;

    // ---- the community sees it after sync, cannot edit it, records pay
    let open_community = || async {
        c.goto(&format!("{url}lead/economy")).await;
        c.wait_for_secs(SYNC_SECS, "#pay-form").await;
        c.wait_for_secs(SYNC_SECS, "#pay-table").await;
    };
    open_community().await;
    c.wait_for("#policy-locked").await;
    assert!(!c.exists("#policy-edit").await);
    c.wait_text_for(
        SYNC_SECS,
        "#policy-base strong",
        &yanzhen::modules::lead::rank::rows::yuan(new_base),
    )
    .await;
    assert_eq!(
        c.count("#pay-table tr.pay-row").await,
        rank::pay_rows(data, 2024).len()
    );
    c.type_into("#pay-form-year", "2025").await;
    c.type_into("#pay-amount", &pay25.to_string()).await;
    c.tap("#pay-submit").await;
    c.wait_text("#pay-worker-error", rank_text(RankMsg::PayWorkerMissing))
        .await;
    c.choose("#pay-worker", worker.as_str()).await;
    c.type_into("#pay-amount", "-1").await;
    c.tap("#pay-submit").await;
    c.wait_text(
        "#pay-amount-error",
        model_text("validation.amount.negative", Lang::ZhCn).unwrap(),
    )
    .await;
    show(&c, "#pay-form").await;
    c.screenshot("economy-pay-refused").await;
    // Nothing was saved: no 2025 pay year after a reload.
    open_community().await;
    assert!(!c.exists("#pay-year option[value='2025']").await);
    c.type_into("#pay-form-year", "2025").await;
    c.choose("#pay-worker", worker.as_str()).await;
    c.type_into("#pay-amount", &pay25.to_string()).await;
    c.tap("#pay-submit").await;
    wait_attr(&c, 10, "#pay-state", "data-state", "saved").await;
    let pay_row = format!(
        "#pay-table tr.pay-row[data-person='{}'][data-pay='{pay25}']",
        worker.as_str()
    );
    c.wait_for(&pay_row).await;
    wait_attr(
        &c,
        10,
        "#pay-average",
        "data-yuan",
        &(pay25 - pay24).to_string(),
    )
    .await;
    show(&c, "#pay-card").await;
    c.screenshot("economy-pay-saved").await;
    // Still there after a reload, and the only 2025 record.
    open_community().await;
    c.choose("#pay-year", "2025").await;
    c.wait_for(&pay_row).await;
    assert_eq!(
        c.count("#pay-table tr.pay-row[data-pay]").await,
        1,
        "one worker has 2025 pay (the others are listed with last year's)"
    );

    // ---- the district sees the community's pay
    open_district().await;
    b.wait_for_secs(SYNC_SECS, "#pay-year option[value='2025']")
        .await;
    b.choose("#pay-year", "2025").await;
    b.wait_for_secs(
        SYNC_SECS,
        &format!("#pay-unit option[value='{community_doc}']"),
    )
    .await;
    b.choose("#pay-unit", &community_doc).await;
    b.wait_for_secs(SYNC_SECS, &pay_row).await;
    wait_attr(
        &b,
        30,
        "#pay-average",
        "data-yuan",
        &(pay25 - pay24).to_string(),
    )
    .await;
    c.close().await;
    b.close().await;
}
