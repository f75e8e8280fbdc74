//! What the person file shows of a record's history and conflicts: history
//! rows (who — tablet, office, role —, when, what, which fields) from the
//! model's `ChangeEntry`, conflicting values with their writers from
//! `FieldConflict`, and an old record as label/value facts.

use automerge::{ChangeHash, ScalarValue};
use yanzhen_model::entities::Person;
use yanzhen_model::history::{ChangeEntry, FieldConflict, FieldValue};
use yanzhen_model::store::ChangeOp;

use crate::i18n::labels;
use crate::i18n::{Lang, Msg, Text};

/// A value as shown: words from the table, or text as stored.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Msg(Msg),
    /// Words from any module's message table: (zh-CN, English).
    Pair(&'static str, &'static str),
    Text(String),
}

impl Shown {
    /// Words from any message table.
    pub fn of<M: Text>(m: M) -> Shown {
        Shown::Pair(m.text(Lang::ZhCn), m.text(Lang::En))
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Shown::Msg(m) => m.text(lang).to_owned(),
            Shown::Pair(zh, en) => match lang {
                Lang::ZhCn => (*zh).to_owned(),
                Lang::En => (*en).to_owned(),
            },
            Shown::Text(s) => s.clone(),
        }
    }
}

/// How a record's fields are named and its stored values shown: a field
/// (dotted path as in the model's history) to its label, and a field plus
/// stored value to words (for enum values); `None`: shown as stored.
#[derive(Clone, Copy)]
pub struct FieldNames {
    pub label: fn(&str) -> Option<Shown>,
    pub value: fn(&str, &str) -> Option<Shown>,
}

impl FieldNames {
    /// Field names and values as stored.
    pub const RAW: FieldNames = FieldNames {
        label: |_| None,
        value: |_, _| None,
    };

    /// The person file's labels.
    pub const PERSON: FieldNames = FieldNames {
        label: |f| labels::person_field(f).map(Shown::Msg),
        value: |f, v| labels::person_value(f, v).map(Shown::Msg),
    };

    fn label_of(&self, field: &str) -> Shown {
        (self.label)(field).unwrap_or_else(|| Shown::Text(field.to_owned()))
    }
}

/// The short form of a tablet's id (its last 8 characters).
pub fn short_device(device: &str) -> String {
    let n = device.chars().count();
    device.chars().skip(n.saturating_sub(8)).collect()
}

pub fn op_msg(op: ChangeOp) -> Msg {
    match op {
        ChangeOp::Init => Msg::OpInit,
        ChangeOp::Import => Msg::OpImport,
        ChangeOp::Create => Msg::OpCreate,
        ChangeOp::Update => Msg::OpUpdate,
        ChangeOp::Remove => Msg::OpRemove,
        ChangeOp::Resolve => Msg::OpResolve,
        ChangeOp::Migrate => Msg::OpMigrate,
    }
}

/// One row of a record's history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub hash: ChangeHash,
    pub time_ms: i64,
    pub device: String,
    pub person: String,
    pub role: String,
    pub op: Option<Msg>,
    /// The fields touched (labels; unknown names as stored); empty: all.
    pub fields: Vec<Shown>,
}

/// History rows of the person file.
pub fn history_rows(entries: &[ChangeEntry]) -> Vec<HistoryRow> {
    history_rows_with(entries, FieldNames::PERSON)
}

/// History rows, fields named by `names`.
pub fn history_rows_with(entries: &[ChangeEntry], names: FieldNames) -> Vec<HistoryRow> {
    entries
        .iter()
        .map(|e| {
            let mut fields: Vec<Shown> = Vec::new();
            for f in &e.fields {
                let s = names.label_of(f);
                if !fields.contains(&s) {
                    fields.push(s);
                }
            }
            HistoryRow {
                hash: e.hash,
                time_ms: e.time_ms,
                device: short_device(&e.device),
                person: e.person.clone(),
                role: e.role.clone(),
                op: e.op.map(op_msg),
                fields,
            }
        })
        .collect()
}

/// One concurrent value of a field and who wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConflictValue {
    pub shown: Shown,
    /// The value to write when it is kept (`None` for nested objects).
    pub keep: Option<ScalarValue>,
    pub device: Option<String>,
    pub person: String,
    pub time_ms: Option<i64>,
}

/// A field with concurrent values.
#[derive(Clone, Debug, PartialEq)]
pub struct ConflictView {
    pub field: String,
    pub label: Shown,
    pub values: Vec<ConflictValue>,
}

/// Conflicts of the person file.
pub fn conflict_views(conflicts: &[FieldConflict]) -> Vec<ConflictView> {
    conflict_views_with(conflicts, FieldNames::PERSON)
}

/// Conflicts, fields and values named by `names`.
pub fn conflict_views_with(conflicts: &[FieldConflict], names: FieldNames) -> Vec<ConflictView> {
    conflicts
        .iter()
        .map(|c| ConflictView {
            field: c.field.clone(),
            label: names.label_of(&c.field),
            values: c
                .values
                .iter()
                .map(|(v, w)| {
                    let text = v.to_string();
                    let shown = match v {
                        FieldValue::Scalar(ScalarValue::Str(s)) if s.is_empty() => {
                            Shown::Msg(Msg::ConflictEmpty)
                        }
                        FieldValue::Scalar(ScalarValue::Null) => Shown::Msg(Msg::ConflictEmpty),
                        _ => (names.value)(&c.field, &text).unwrap_or(Shown::Text(text)),
                    };
                    ConflictValue {
                        shown,
                        keep: match v {
                            FieldValue::Scalar(s) => Some(s.clone()),
                            FieldValue::Object(_) => None,
                        },
                        device: w.as_ref().map(|w| short_device(&w.device())),
                        person: w
                            .as_ref()
                            .map(|w| w.person().to_owned())
                            .unwrap_or_default(),
                        time_ms: w.as_ref().map(|w| w.time_ms),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Any record as label/value facts (for "the record after this change"):
/// its top-level fields in order, labels and enum values named by `names`,
/// empty values left out, nested values as compact text.
pub fn record_facts<R: serde::Serialize>(record: &R, names: FieldNames) -> Vec<(Shown, Shown)> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(record) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .filter(|(k, _)| k != "id")
        .filter_map(|(k, v)| {
            let text = match &v {
                serde_json::Value::Null => return None,
                serde_json::Value::String(s) if s.is_empty() => return None,
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) if a.is_empty() => return None,
                other => other.to_string(),
            };
            let value = (names.value)(&k, &text).unwrap_or(Shown::Text(text));
            Some((names.label_of(&k), value))
        })
        .collect()
}

/// An old record as label/value facts (for "the file after this change").
pub fn person_facts(p: &Person) -> Vec<(Shown, Shown)> {
    let text = |s: &str| Shown::Text(s.to_owned());
    let date =
        |d: Option<yanzhen_model::Date>| Shown::Text(d.map(|d| d.to_string()).unwrap_or_default());
    let edu = |e: &Option<yanzhen_model::entities::Education>| match e {
        Some(e) => Shown::Text(
            [e.school.as_str(), e.major.as_str(), e.degree.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        None => Shown::Msg(Msg::EduNone),
    };
    vec![
        (Shown::Msg(Msg::FieldName), text(&p.name)),
        (Shown::Msg(Msg::FieldSex), Shown::Msg(labels::sex(p.sex))),
        (Shown::Msg(Msg::FieldEthnicity), text(&p.ethnicity)),
        (Shown::Msg(Msg::FieldBirthDate), date(Some(p.birth_date))),
        (Shown::Msg(Msg::FieldNativePlace), text(&p.native_place)),
        (
            Shown::Msg(Msg::FieldIdNumber),
            text(&yanzhen_model::validate::mask_id_number(&p.id_number)),
        ),
        (
            Shown::Msg(Msg::FieldPolitical),
            Shown::Msg(labels::political_status(p.political_status)),
        ),
        (Shown::Msg(Msg::FieldPartyJoin), date(p.party_join_date)),
        (Shown::Msg(Msg::FieldWorkStart), date(p.work_start_date)),
        (
            Shown::Msg(Msg::FieldEduFullTime),
            edu(&p.education_full_time),
        ),
        (
            Shown::Msg(Msg::FieldEduInService),
            edu(&p.education_in_service),
        ),
        (Shown::Msg(Msg::FieldProfTitle), text(&p.professional_title)),
        (Shown::Msg(Msg::FieldPhone), text(&p.phone)),
        (
            Shown::Msg(Msg::FieldCategory),
            Shown::Msg(labels::category(p.category)),
        ),
        (
            Shown::Msg(Msg::FieldStatus),
            Shown::Msg(labels::status(p.status)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::edit::{edit_unit, person_conflicts, person_history};
    use crate::data::person_form::PersonForm;
    use yanzhen_model::{ChangeMeta, Id, UnitDocument};

    #[test]
    fn history_rows_and_conflict_views_name_fields_and_writers() {
        let unit = Id::from_random_bytes([7; 16]);
        let m = |d: &str| ChangeMeta::new(d, "东风村", "office", 1_700_000_000_000);
        let mut a = UnitDocument::new_unit(&unit, &[1; 16], &m("tablet-aaaa-1111"))
            .unwrap()
            .into_automerge();
        let p = PersonForm {
            name: "张三".into(),
            birth_date: "1980-01-01".into(),
            ..PersonForm::new_in(&unit)
        }
        .to_person(Id::from_random_bytes([3; 16]))
        .unwrap();
        edit_unit(&mut a, |d| d.put(&p, &m("tablet-aaaa-1111"))).unwrap();
        let mut b = a
            .fork()
            .with_actor(automerge::ActorId::from([2u8; 16].as_slice()));
        let mut pa = p.clone();
        pa.sex = yanzhen_model::entities::Sex::Female;
        pa.birth_date = yanzhen_model::Date::new(1980, 1, 2).unwrap();
        edit_unit(&mut a, |d| d.put(&pa, &m("tablet-aaaa-1111"))).unwrap();
        let mut pb = p.clone();
        pb.birth_date = yanzhen_model::Date::new(1980, 1, 3).unwrap();
        edit_unit(&mut b, |d| d.put(&pb, &m("tablet-bbbb-2222"))).unwrap();
        a.merge(&mut b).unwrap();

        let rows = history_rows(&person_history(&a, &p.id).unwrap());
        assert_eq!(rows.len(), 3);
        let mine = rows.iter().find(|r| r.fields.len() == 2).unwrap();
        assert_eq!(mine.device, "aaa-1111");
        assert_eq!(mine.role, "office");
        assert_eq!(mine.op, Some(Msg::OpUpdate));
        assert!(mine.fields.contains(&Shown::Msg(Msg::FieldSex)));

        let v = conflict_views(&person_conflicts(&a, &p.id).unwrap());
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].label, Shown::Msg(Msg::FieldBirthDate));
        let devices: Vec<_> = v[0]
            .values
            .iter()
            .map(|x| x.device.clone().unwrap())
            .collect();
        assert!(
            devices.contains(&"aaa-1111".to_owned()) && devices.contains(&"bbb-2222".to_owned())
        );
        assert!(v[0].values.iter().all(|x| x.keep.is_some()));
        assert_eq!(
            person_facts(&p)[0],
            (Shown::Msg(Msg::FieldName), Shown::Text("张三".into()))
        );
    }

    #[test]
    fn any_record_is_shown_as_facts_with_its_field_names() {
        use yanzhen_model::entities::{Filing, PersonRef};
        let filing = Filing {
            id: Id::from_random_bytes([1; 16]),
            person: PersonRef {
                unit: Id::from_random_bytes([2; 16]),
                person: Id::from_random_bytes([3; 16]),
            },
            post_id: Id::from_random_bytes([4; 16]),
            filed: yanzhen_model::Date::parse("2024-03-01").unwrap(),
            note: String::new(),
        };
        let names = FieldNames {
            label: |f| (f == "filed").then_some(Shown::Pair("备案日期", "Filed on")),
            value: |_, _| None,
        };
        let facts = record_facts(&filing, names);
        // The id and the empty note are left out; the label is worded.
        assert!(facts.iter().all(|(l, _)| *l != Shown::Text("id".into())));
        assert!(facts.iter().all(|(l, _)| *l != Shown::Text("note".into())));
        let filed = facts
            .iter()
            .find(|(l, _)| l.text(Lang::En) == "Filed on")
            .expect("the filing date");
        assert_eq!(filed.1, Shown::Text("2024-03-01".into()));
        assert_eq!(filed.0.text(Lang::ZhCn), "备案日期");
        // Nested values are compact text that names what is inside.
        let person = facts
            .iter()
            .find(|(l, _)| *l == Shown::Text("person".into()))
            .unwrap();
        let who = Id::from_random_bytes([3; 16]);
        assert!(person.1.text(Lang::ZhCn).contains(who.as_str()));
        // With the raw names, labels are the stored field names.
        let raw = record_facts(&filing, FieldNames::RAW);
        assert!(raw.iter().any(|(l, _)| *l == Shown::Text("filed".into())));
    }
}
