//! Interop with two independent implementations: workbooks we write read
//! back with calamine, and workbooks rust_xlsxwriter writes read by us
//! exactly as calamine reads them.

#![cfg(not(target_arch = "wasm32"))]

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook as XWorkbook};
use yanzhen_xlsx::{CellOut, SheetOut, Value, Workbook, write_workbook};

/// Every sheet: name, top left cell, rows.
type Sheets = Vec<(String, (u32, u32), Vec<Vec<Value>>)>;

/// calamine's reading of every sheet, as our [`Value`]s.
fn calamine_sheets(bytes: &[u8]) -> Sheets {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            let rows = r
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|d| match d {
                            Data::Empty => Value::Empty,
                            Data::String(s) => Value::Text(s.clone()),
                            Data::Float(f) => Value::Number(*f),
                            Data::Int(i) => Value::Number(*i as f64),
                            Data::Bool(b) => Value::Bool(*b),
                            Data::DateTime(d) => Value::Date(d.as_f64()),
                            Data::DateTimeIso(s) => Value::DateIso(s.clone()),
                            Data::DurationIso(s) => Value::Text(s.clone()),
                            Data::Error(_) => Value::Error,
                        })
                        .collect()
                })
                .collect();
            (n, r.start().unwrap_or((0, 0)), rows)
        })
        .collect()
}

fn ours(bytes: &[u8]) -> Sheets {
    let wb = Workbook::open(bytes).unwrap();
    wb.sheet_names()
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let r = wb.sheet(i).unwrap();
            (n, r.start, r.rows)
        })
        .collect()
}

#[test]
fn our_workbooks_read_back_with_calamine() {
    let tricky = "a<b>&\"c\" _x0041_ \u{1}\r\n end ";
    let sheets = [
        SheetOut {
            name: "花名册",
            headers: vec!["姓名", "身份证号", "金额"],
            rows: vec![
                vec![
                    CellOut::Text("张三"),
                    CellOut::Text("0012"),
                    CellOut::Number(1_030_000.0),
                ],
                vec![
                    CellOut::Text("2024-08-22"),
                    CellOut::Empty,
                    CellOut::Number(87.5),
                ],
                vec![CellOut::Text(tricky), CellOut::Text("张三")],
            ],
            widths: vec![6.0, 20.0, 9.0],
        },
        SheetOut {
            name: "空 表 & <2>",
            headers: vec!["甲"],
            rows: vec![],
            widths: vec![],
        },
    ];
    let bytes = write_workbook(&sheets).unwrap();
    let cal = calamine_sheets(&bytes);
    assert_eq!(cal, ours(&bytes));
    assert_eq!(cal.len(), 2);
    assert_eq!(cal[0].0, "花名册");
    assert_eq!(cal[1].0, "空 表 & <2>");
    let t = |s: &str| Value::Text(s.into());
    assert_eq!(
        cal[0].2,
        vec![
            vec![t("姓名"), t("身份证号"), t("金额")],
            // "@" text cells stay text: no leading zeros lost, no date made.
            vec![t("张三"), t("0012"), Value::Number(1_030_000.0)],
            vec![t("2024-08-22"), Value::Empty, Value::Number(87.5)],
            vec![t(tricky), t("张三"), Value::Empty],
        ]
    );
    assert_eq!(cal[1].2, vec![vec![t("甲")]]);
}

#[test]
fn rust_xlsxwriter_workbooks_read_as_calamine_reads_them() {
    let mut wb = XWorkbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let cn_date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let money = Format::new().set_num_format("#,##0.00");
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("名单").unwrap();
    ws.write_string_with_format(0, 0, "姓名", &bold).unwrap();
    ws.write_string(0, 1, "出生日期").unwrap();
    ws.write_string(0, 3, "党员").unwrap();
    ws.write_string(2, 0, "  李四  ").unwrap();
    ws.write_number_with_format(2, 1, 45_526.0, &date).unwrap();
    ws.write_number_with_format(2, 2, 45_527.5, &cn_date)
        .unwrap();
    ws.write_boolean(2, 3, true).unwrap();
    ws.write_number_with_format(3, 2, 1234.5, &money).unwrap();
    ws.write_boolean(3, 3, false).unwrap();
    ws.write_rich_string(4, 0, &[(&bold, "王"), (&Format::default(), "五")])
        .unwrap();
    ws.write_formula(4, 1, "=1+1").unwrap();
    ws.set_freeze_panes(1, 0).unwrap();
    let ws2 = wb.add_worksheet().set_name("Sheet B").unwrap();
    ws2.write_string(3, 2, "far").unwrap();
    ws2.write_number(5, 4, -0.25).unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let got = ours(&bytes);
    assert_eq!(got, calamine_sheets(&bytes));
    assert_eq!(got[0].2[2][1], Value::Date(45_526.0));
    assert_eq!(got[0].2[4][0], Value::Text("王五".into()));
    assert_eq!(got[1].1, (3, 2));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any text (control characters, `_xHHHH_` look-alikes, markup,
    /// surrounding spaces) and any finite number reads back as written,
    /// with calamine and with our reader.
    #[test]
    fn any_text_and_number_round_trips(
        texts in proptest::collection::vec(".{1,12}|[ _x0-9A-F<&>\"\r\n\t\u{0}-\u{1f}]{1,12}", 1..8),
        numbers in proptest::collection::vec(proptest::num::f64::NORMAL | proptest::num::f64::ZERO | proptest::num::f64::SUBNORMAL, 1..8),
    ) {
        let row: Vec<CellOut> = texts
            .iter()
            .map(|t| CellOut::Text(t))
            .chain(numbers.iter().map(|n| CellOut::Number(*n)))
            .collect();
        let bytes = write_workbook(&[SheetOut {
            name: "s",
            headers: vec!["h"],
            rows: vec![row],
            widths: vec![],
        }])
        .unwrap();
        let want: Vec<Value> = texts
            .iter()
            .map(|t| Value::Text(t.clone()))
            .chain(numbers.iter().map(|n| Value::Number(*n)))
            .collect();
        let cal = calamine_sheets(&bytes);
        proptest::prop_assert_eq!(&cal[0].2[1], &want);
        proptest::prop_assert_eq!(cal, ours(&bytes));
    }
}
