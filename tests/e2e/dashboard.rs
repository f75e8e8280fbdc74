//! End-to-end tests of the dashboard, Excel import/export and the A4 print
//! layouts in real headless Chromium on a 1280×800 tablet against the real
//! server with the demo district.
//!
//! * The district admin's dashboard shows every reference figure equal to
//!   `figures::compute` on the demo data (computed here), the funnels, the
//!   coverage and compliance charts; the township and year filters change
//!   the figures as computed, without hydrating any document again; an
//!   edited person (a community worker who left) changes the figures.
//! * A village office sees its own figures on the home screen; exports the
//!   roster and the investment leads and reads the downloaded workbooks
//!   back with calamine; imports a roster with one bad row (nothing is
//!   imported, the row and column are named, the count is unchanged after
//!   a reload), then a good `.csv` (every row imported, kept after reload);
//!   prints the person file and the filing form (A4 `@page`, navigation
//!   hidden under print media emulated through Chrome DevTools).
//!
//! Screenshots: `dashboard-*.png`, `excel-*.png`, `print-*.png`.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use std::collections::BTreeMap;
use std::io::Cursor;

use crate::support::{ArgServer, Browser, doc_param, today};
use calamine::{Reader, Xlsx};
use yanzhen::modules::dashboard::figures::figure_rows;
use yanzhen::modules::dashboard::registers::Register;
use yanzhen::modules::dashboard::roster_sheet::SHEET_NAME;
use yanzhen::routes::{PersonRoute, PrintRoute, Screen};
use yanzhen_model::breakdown;
use yanzhen_model::demo::{Demo, generate};
use yanzhen_model::entities::{PersonCategory, PersonStatus, PostTitle, UnitKind};
use yanzhen_model::figures::{Filter, compute};
use yanzhen_model::store::UnitData;
use yanzhen_model::validate::make_id_number;
use yanzhen_model::{Date, Id, rules};

/// The two tests run one after the other: each loads a debug build of the
/// app and syncs the demo district, which on a loaded 2-core machine is
/// enough work for one browser at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Opens the app and waits (longer than the harness's default) until it has
/// started, then enrols it as a person would (code, tablet name, enrol).
async fn enrol(b: &Browser, url: &str, code: &str, name: &str) {
    b.goto(&format!("{url}settings")).await;
    b.wait_for_secs(SYNC_SECS, "#enrol-code").await;
    b.fill_enrol_form(code, name).await;
    b.tap("#enrol-submit").await;
    b.wait_for_secs(SYNC_SECS, "#enrol-done").await;
}

/// How long the first sync of every document may take.
const SYNC_SECS: u64 = 240;

fn demo() -> Demo {
    generate(yanzhen_server::demo::DEFAULT_SEED)
}

fn unit_doc(demo: &Demo, unit: &Id) -> String {
    doc_param(&demo.district.units[unit].doc_id.expect("a unit document"))
}

/// Every figure the page shows, by key (`data-figure` → `data-value`),
/// inside `root`.
async fn shown(b: &Browser, root: &str) -> BTreeMap<String, String> {
    let v = b
        .js(&format!(
            "return Object.fromEntries([...document.querySelectorAll('{root} .dash-figure')]\
             .map(e => [e.dataset.figure, e.dataset.value]))"
        ))
        .await;
    serde_json::from_value(v).unwrap()
}

fn expected(f: &yanzhen_model::figures::ReferenceFigures) -> BTreeMap<String, String> {
    figure_rows(f)
        .into_iter()
        .map(|r| (r.key.to_owned(), r.value))
        .collect()
}

/// Waits until the page shows exactly `want` (fails with the difference).
async fn wait_figures(b: &Browser, root: &str, want: &BTreeMap<String, String>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let got = shown(b, root).await;
        if got == *want {
            return;
        }
        if std::time::Instant::now() > deadline {
            assert_eq!(got, *want, "figures shown vs computed");
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn attr(b: &Browser, css: &str, name: &str) -> String {
    b.js(&format!(
        "const e = document.querySelector({css:?}); return e ? (e.getAttribute({name:?}) || '') : null"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_district_dashboard_counts_every_figure_live() {
    let _one = ONE_AT_A_TIME.lock().await;
    let mut demo = demo();
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let code = server.cli_code("admin", None);
    let b = Browser::start().await;
    enrol(&b, &url, &code, "区委组织部平板").await;

    let total = demo.district.unit_documents().count();
    b.goto(&format!("{url}dashboard")).await;
    b.wait_js_for(
        SYNC_SECS,
        "const d = document.querySelector('#dashboard'); return d ? [d.dataset.loaded, d.dataset.total] : null",
        serde_json::json!([total.to_string(), total.to_string()]),
    )
    .await;
    let year = *breakdown::years(&demo.district).last().unwrap();
    assert_eq!(year, yanzhen_model::demo::REFERENCE_YEAR);
    assert_eq!(attr(&b, "#dashboard", "data-year").await, year.to_string());

    // Every reference figure, as the model counts it on the demo data.
    let all = compute(&demo.district, &demo.units, &Filter::year(year));
    assert!(all.mismatches_with_published().is_empty());
    wait_figures(&b, "#dashboard", &expected(&all)).await;
    // The funnels: 17 → 13 → 4 → 1030 万元 and 99 → 25.
    let steps = b
        .js("return [...document.querySelectorAll('.funnel-step')].map(g => g.dataset.step + '=' + g.dataset.value)")
        .await;
    assert_eq!(
        steps,
        serde_json::json!([
            format!("leads={}", all.investment_leads),
            format!("visits={}", all.investment_visits),
            format!("projects={}", all.investment_projects),
            format!("selected={}", all.reserve_selected),
            format!("entered={}", all.reserve_entered_committee),
        ])
    );
    assert_eq!(
        attr(&b, "#chart-investment .funnel-closing", "data-value").await,
        "1030"
    );
    // Training coverage per township/street, contact duty per village.
    let coverage = breakdown::training_by_township(&demo.district, &demo.units, year, None);
    let shown_cov = b
        .js("return [...document.querySelectorAll('.coverage-row')].map(g => g.dataset.township + ':' + g.dataset.trained + '/' + g.dataset.members)")
        .await;
    let want_cov: Vec<String> = coverage
        .iter()
        .map(|c| {
            format!(
                "{}:{}/{}",
                c.township.as_str(),
                c.coverage.trained,
                c.coverage.members
            )
        })
        .collect();
    assert_eq!(shown_cov, serde_json::json!(want_cov));
    let compliance = breakdown::contact_compliance(&demo.district, &demo.units, today());
    assert_eq!(b.count(".compliance-row").await, compliance.len());
    let overdue: usize = compliance.iter().map(|c| c.overdue).sum();
    let shown_overdue = b
        .js("return [...document.querySelectorAll('.compliance-row')].reduce((s, g) => s + Number(g.dataset.overdue), 0)")
        .await;
    assert_eq!(shown_overdue, serde_json::json!(overdue));
    b.screenshot("dashboard-district").await;
    b.js("document.querySelector('.dash-charts').scrollIntoView()")
        .await;
    b.screenshot("dashboard-funnels").await;
    b.js("document.querySelector('#chart-training').scrollIntoView()")
        .await;
    b.screenshot("dashboard-charts").await;
    b.js("window.scrollTo(0, 0)").await;

    // Filters re-count from the memoised documents: nothing is hydrated again.
    let hydrations = attr(&b, "#dashboard", "data-hydrations").await;
    let townships = breakdown::townships(&demo.district);
    let (town, _) = &townships[0];
    b.choose("#dash-township", town.as_str()).await;
    let f = Filter {
        township: Some(town.clone()),
        unit: None,
        year: Some(year),
    };
    let by_town = compute(&demo.district, &demo.units, &f);
    assert_ne!(by_town, all);
    wait_figures(&b, "#dashboard", &expected(&by_town)).await;
    assert_eq!(b.count(".coverage-row").await, 1);
    b.screenshot("dashboard-township").await;
    b.choose("#dash-year", "").await;
    let f_all_years = Filter { year: None, ..f };
    wait_figures(
        &b,
        "#dashboard",
        &expected(&compute(&demo.district, &demo.units, &f_all_years)),
    )
    .await;
    let first_year = breakdown::years(&demo.district)[0];
    b.choose("#dash-year", &first_year.to_string()).await;
    let f_first = Filter {
        year: Some(first_year),
        ..f_all_years
    };
    wait_figures(
        &b,
        "#dashboard",
        &expected(&compute(&demo.district, &demo.units, &f_first)),
    )
    .await;
    b.screenshot("dashboard-township-year").await;
    assert_eq!(
        attr(&b, "#dashboard", "data-hydrations").await,
        hydrations,
        "filters hydrate nothing again"
    );

    // Edit one record: a community worker leaves. The figures follow.
    let (ui, person) = demo
        .units
        .iter()
        .enumerate()
        .find_map(|(i, u)| {
            u.people
                .values()
                .find(|p| {
                    p.category == PersonCategory::CommunityWorker
                        && p.status == PersonStatus::Active
                })
                .map(|p| (i, p.id.clone()))
        })
        .expect("an active community worker");
    let unit_id = demo.units[ui].unit_id.clone();
    let path = PersonRoute::File {
        unit: unit_doc(&demo, &unit_id),
        person: person.as_str().to_owned(),
    }
    .path();
    b.goto(&format!("{}{}", url.trim_end_matches('/'), path))
        .await;
    b.wait_for_secs(SYNC_SECS, "#person-status").await;
    b.choose("#person-status", "1").await;
    b.tap("#person-save").await;
    b.wait_text(
        "#person-save-state",
        yanzhen::i18n::Msg::PersonSavedLocal.text(yanzhen::i18n::Lang::ZhCn),
    )
    .await;
    demo.units[ui].people.get_mut(&person).unwrap().status = PersonStatus::Left;
    let after = compute(&demo.district, &demo.units, &Filter::year(year));
    assert_eq!(after.community_workers + 1, all.community_workers);
    b.tap("a.nav-link[data-route='dashboard']").await;
    b.wait_js_for(
        SYNC_SECS,
        "const d = document.querySelector('#dashboard'); return d ? d.dataset.loaded : null",
        serde_json::json!(total.to_string()),
    )
    .await;
    wait_figures(&b, "#dashboard", &expected(&after)).await;
    b.screenshot("dashboard-after-edit").await;
    b.close().await;
}

/// A demo village with investment leads and a filed secretary.
fn pick_village(demo: &Demo) -> (usize, Id) {
    demo.units
        .iter()
        .enumerate()
        .find_map(|(i, u)| {
            let kind = demo.district.units[&u.unit_id].kind;
            if kind != UnitKind::Village || u.leads.is_empty() {
                return None;
            }
            let sec = rules::secretary(u)?;
            demo.district
                .filings
                .values()
                .any(|f| f.person.unit == u.unit_id && f.person.person == sec.id)
                .then(|| (i, sec.id.clone()))
        })
        .expect("a village with leads and a filed secretary")
}

async fn roster_count(b: &Browser, url: &str) -> usize {
    b.goto(&format!("{url}roster")).await;
    b.wait_for_secs(SYNC_SECS, "#roster-count").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    b.js("return document.querySelector('#roster-count').dataset.count")
        .await
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn sheet_rows(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an .xlsx workbook");
    let range = wb.worksheet_range(name).expect("the sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_village_exports_imports_and_prints() {
    let _one = ONE_AT_A_TIME.lock().await;
    let demo = demo();
    let (ui, secretary) = pick_village(&demo);
    let unit: &UnitData = &demo.units[ui];
    let doc = unit_doc(&demo, &unit.unit_id);
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let code = server.cli_code("village", Some(unit.unit_id.as_str()));
    let downloads = tempfile::tempdir().unwrap();
    let b = Browser::start_downloading(downloads.path()).await;
    enrol(&b, &url, &code, "村委会平板").await;

    // The home screen: this unit's own figures.
    b.goto(&url).await;
    b.wait_for_secs(SYNC_SECS, "#unit-figures .dash-figure")
        .await;
    let year = breakdown::years(&demo.district).last().copied();
    let mine = compute(
        &demo.district,
        std::slice::from_ref(unit),
        &Filter {
            township: None,
            unit: Some(unit.unit_id.clone()),
            year,
        },
    );
    let mut want = expected(&mine);
    want.retain(|k, _| k != "exam_prep_lectures" && k != "candidates_reviewed");
    wait_figures(&b, "#unit-figures", &want).await;
    let cov = rules::training_coverage(&demo.district, unit, year.unwrap());
    assert_eq!(
        attr(&b, "#unit-coverage", "data-percent").await,
        cov.percent().to_string()
    );
    b.js("document.querySelector('#unit-figures').scrollIntoView()")
        .await;
    b.screenshot("dashboard-unit-home").await;

    // Export: the roster, read back with calamine.
    let before = roster_count(&b, &url).await;
    let active = unit
        .people
        .values()
        .filter(|p| p.status == PersonStatus::Active)
        .count();
    assert_eq!(before, active);
    b.tap("#roster-excel-link").await;
    b.wait_for("#excel-make").await;
    assert_eq!(b.path().await, Screen::RosterExcel.path());
    b.wait_for_secs(SYNC_SECS, "#excel-unit").await;
    b.screenshot("excel-screen").await;
    b.tap("#excel-make").await;
    let bytes = b.download("#excel-download", downloads.path()).await;
    b.screenshot("excel-export-ready").await;
    let rows = sheet_rows(&bytes, SHEET_NAME);
    assert_eq!(&rows[0][..3], ["单位", "姓名", "性别"]);
    assert_eq!(rows.len(), unit.people.len() + 1);
    let mut got: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[1].clone(), r[6].clone()))
        .collect();
    let mut want_people: Vec<(String, String)> = unit
        .people
        .values()
        .map(|p| (p.name.clone(), p.id_number.clone()))
        .collect();
    got.sort();
    want_people.sort();
    assert_eq!(
        got, want_people,
        "names and ID numbers as in the unit document"
    );
    let unit_name = &demo.district.units[&unit.unit_id].name;
    assert!(rows[1..].iter().all(|r| &r[0] == unit_name));

    // Export: the investment leads register.
    b.choose("#excel-register", Register::Leads.key()).await;
    b.wait_js(
        "return document.querySelector('#excel-download') === null",
        serde_json::json!(true),
    )
    .await;
    b.tap("#excel-make").await;
    let bytes = b.download("#excel-download", downloads.path()).await;
    let leads = sheet_rows(&bytes, Register::Leads.sheet_name());
    assert_eq!(leads.len(), unit.leads.len() + 1);
    let funds: i64 = leads[1..]
        .iter()
        .filter(|r| r[3] == "是")
        .map(|r| r[8].parse::<f64>().unwrap() as i64)
        .sum();
    assert_eq!(funds, rules::investment_funnel([unit]).funds_yuan);

    // Import with one bad row: nothing is imported, the row is named.
    let dir = tempfile::tempdir().unwrap();
    let id = |y: u16, seq: u16| make_id_number("990188", Date::new(y, 3, 9).unwrap(), seq);
    let good = [id(1995, 21), id(1996, 22), id(1997, 23)];
    let wrong = {
        let g = id(1998, 24);
        let last = g.chars().last().unwrap();
        format!("{}{}", &g[..17], if last == '1' { '2' } else { '1' })
    };
    let bad_path = dir.path().join("花名册-有错.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let rows: [[&str; 4]; 4] = [
            ["姓名", "身份证号", "人员类别", "政治面貌"],
            ["导入甲", &good[0], "社区工作者", "群众"],
            ["导入乙", &wrong, "社区工作者", "中共党员"],
            ["导入丙", &good[1], "“两委”成员", "群众"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        wb.save(&bad_path).unwrap();
    }
    b.choose_file("#excel-file", &bad_path).await;
    b.wait_for("#excel-bad").await;
    assert_eq!(attr(&b, "#excel-bad", "data-count").await, "1");
    assert!(
        !b.exists("#excel-apply").await,
        "no import while a row is bad"
    );
    assert_eq!(
        attr(&b, "tr.excel-row[data-line='3']", "data-ok").await,
        "false"
    );
    assert_eq!(
        attr(&b, "tr.excel-row[data-line='3'] .excel-problem", "data-key").await,
        "validation.id_number.check_digit"
    );
    assert_eq!(
        attr(
            &b,
            "tr.excel-row[data-line='3'] .excel-problem",
            "data-header"
        )
        .await,
        "身份证号"
    );
    assert_eq!(b.count("tr.excel-row[data-ok='true']").await, 2);
    b.js("document.querySelector('#excel-import').scrollIntoView()")
        .await;
    b.screenshot("excel-import-bad-row").await;
    b.refresh().await;
    assert_eq!(roster_count(&b, &url).await, before, "nothing was imported");

    // A good .csv: every row imported in one go, still there after a reload.
    let csv_path = dir.path().join("花名册.csv");
    let csv = format!(
        "\u{feff}姓名,性别,身份证号,人员类别,出生年月,单位\n导入甲,男,{},社区工作者,,某村\n导入乙,女,{},社区工作者,1996/3/9,某村\n导入丙,,{},“两委”成员,,某村\n",
        good[0], good[1], good[2]
    );
    std::fs::write(&csv_path, csv).unwrap();
    b.goto(&format!(
        "{}{}",
        url.trim_end_matches('/'),
        Screen::RosterExcel.path()
    ))
    .await;
    b.wait_for_secs(SYNC_SECS, "#excel-unit").await;
    b.choose_file("#excel-file", &csv_path).await;
    b.wait_for("#excel-good").await;
    assert_eq!(attr(&b, "#excel-good", "data-count").await, "3");
    b.js("document.querySelector('#excel-import').scrollIntoView()")
        .await;
    b.screenshot("excel-import-preview").await;
    b.tap("#excel-apply").await;
    b.wait_for("#excel-imported").await;
    assert_eq!(attr(&b, "#excel-imported", "data-count").await, "3");
    b.wait_js(
        "return document.querySelector('#excel-imported').dataset.state",
        serde_json::json!("saved"),
    )
    .await;
    b.screenshot("excel-imported").await;
    b.refresh().await;
    assert_eq!(
        roster_count(&b, &url).await,
        before + 3,
        "kept after a reload"
    );
    b.type_into("#roster-search", "导入").await;
    b.wait_js(
        "return document.querySelectorAll('#person-list .person-row').length",
        serde_json::json!(3),
    )
    .await;

    // Print: the secretary's person file and filing form.
    let sec = &unit.people[&secretary];
    assert!(
        unit.posts
            .values()
            .any(|p| p.person_id == secretary && p.title == PostTitle::Secretary)
    );
    let file = PersonRoute::File {
        unit: doc.clone(),
        person: secretary.as_str().to_owned(),
    };
    b.goto(&format!("{}{}", url.trim_end_matches('/'), file.path()))
        .await;
    b.tap("#person-print-link").await;
    b.wait_for_secs(SYNC_SECS, "#print-person").await;
    assert_eq!(
        b.path().await,
        PrintRoute::Person {
            unit: doc.clone(),
            person: secretary.as_str().to_owned()
        }
        .path()
    );
    let text = b
        .js("return document.querySelector('#print-person').innerText")
        .await;
    let text = text.as_str().unwrap();
    assert!(
        text.contains(&sec.name) && text.contains(&sec.id_number),
        "{text}"
    );
    assert_eq!(
        b.count("#print-assessments tbody tr").await,
        demo.district
            .assessments
            .values()
            .filter(|a| a.person.person == secretary)
            .count()
            .max(1)
    );
    b.screenshot("print-person").await;
    let filing = PrintRoute::Filing {
        unit: doc.clone(),
        person: secretary.as_str().to_owned(),
    };
    b.goto(&format!("{}{}", url.trim_end_matches('/'), filing.path()))
        .await;
    b.wait_for_secs(SYNC_SECS, "#print-filing").await;
    let filed = demo
        .district
        .filings
        .values()
        .find(|f| f.person.person == secretary)
        .unwrap()
        .filed
        .to_string();
    let filings = b
        .js("return document.querySelector('#print-filings').innerText")
        .await;
    assert!(filings.as_str().unwrap().contains(&filed));
    assert!(b.exists("#print-secretary-post tbody tr").await);
    assert_eq!(b.count(".print-opinion").await, 3);
    b.screenshot("print-filing").await;

    // A4 pages; the navigation is hidden when printing.
    let page = b
        .js("for (const s of document.styleSheets) for (const r of s.cssRules) \
             if (r.constructor.name === 'CSSPageRule') return r.style.getPropertyValue('size'); return null")
        .await;
    assert!(
        page.as_str()
            .unwrap_or_default()
            .to_ascii_lowercase()
            .contains("a4"),
        "{page}"
    );
    assert_eq!(
        b.js("return getComputedStyle(document.querySelector('nav.nav')).display")
            .await,
        "flex"
    );
    emulate_media(&b, "print").await;
    assert_eq!(
        b.js("return matchMedia('print').matches").await,
        serde_json::json!(true)
    );
    for css in ["nav.nav", ".print-toolbar"] {
        assert_eq!(
            b.js(&format!(
                "return getComputedStyle(document.querySelector({css:?})).display"
            ))
            .await,
            "none",
            "{css} under print media"
        );
    }
    b.screenshot("print-filing-print-media").await;
    emulate_media(&b, "").await;
    b.close().await;
}

/// Print or screen media, emulated through Chrome DevTools.
async fn emulate_media(b: &Browser, media: &str) {
    b.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": media }),
    )
    .await;
}
