use automerge::ScalarValue as S;
use automerge::hydrate::Value as HV;
use std::time::Instant;
use yanzhen_model::store::UnitData;
fn conv(v: &HV) -> serde_json::Value {
    match v {
        HV::Scalar(s) => match s {
            S::Str(x) => serde_json::Value::String(x.to_string()),
            S::Int(i) => (*i).into(),
            S::Uint(u) => (*u).into(),
            S::F64(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            S::Counter(c) => i64::from(c).into(),
            S::Timestamp(t) => (*t).into(),
            S::Boolean(b) => (*b).into(),
            S::Bytes(b) => b.iter().map(|x| serde_json::Value::from(*x)).collect(),
            _ => serde_json::Value::Null,
        },
        HV::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, mv)| (k.clone(), conv(&mv.value)))
                .collect(),
        ),
        HV::List(l) => serde_json::Value::Array(l.iter().map(|lv| conv(&lv.value)).collect()),
        HV::Text(t) => serde_json::Value::String(String::from(t)),
    }
}
fn main() {
    let demo = yanzhen_model::demo::generate(1);
    let (_district, units) = yanzhen_model::demo::build_documents(&demo).unwrap();
    let docs: Vec<automerge::Automerge> = units
        .iter()
        .map(|(_, u)| automerge::Automerge::load(&u.automerge().save()).unwrap())
        .collect();
    let slow: Vec<UnitData> = docs
        .iter()
        .map(|d| autosurgeon::hydrate(d).unwrap())
        .collect();
    for _ in 0..3 {
        let t = Instant::now();
        let hv: Vec<HV> = docs.iter().map(|d| d.hydrate(None)).collect();
        let t1 = t.elapsed();
        let js: Vec<serde_json::Value> = hv.iter().map(conv).collect();
        let t2 = t.elapsed();
        let fast: Vec<Result<UnitData, _>> = js
            .into_iter()
            .map(serde_json::from_value::<UnitData>)
            .collect();
        let t3 = t.elapsed();
        let ok = fast
            .iter()
            .zip(&slow)
            .filter(|(f, s)| f.as_ref().ok() == Some(s))
            .count();
        let err = fast
            .iter()
            .find_map(|f| f.as_ref().err().map(|e| e.to_string()));
        println!(
            "hydrate {t1:?} conv {t2:?} serde {t3:?}; equal {ok}/{}; first error {err:?}",
            slow.len()
        );
    }
}
