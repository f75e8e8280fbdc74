//! What the person file shows of a record's history and conflicts: history
//! rows (who — tablet, office, role —, when, what, which fields) from the
//! model's `ChangeEntry`, conflicting values with their writers from
//! `FieldConflict`, and an old record as label/value facts.

use automerge::{ChangeHash, ScalarValue};
use yanzhen_model::entities::Person;
use yanzhen_model::history::{ChangeEntry, FieldConflict, FieldValue};
use yanzhen_model::store::ChangeOp;

use super::labels;
use crate::i18n::Msg;

/// A value as shown: words from the table, or text as stored.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Msg(Msg),
    Text(String),
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

pub fn history_rows(entries: &[ChangeEntry]) -> Vec<HistoryRow> {
    entries
        .iter()
        .map(|e| {
            let mut fields: Vec<Shown> = Vec::new();
            for f in &e.fields {
                let s = labels::person_field(f).map_or_else(|| Shown::Text(f.clone()), Shown::Msg);
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

pub fn conflict_views(conflicts: &[FieldConflict]) -> Vec<ConflictView> {
    conflicts
        .iter()
        .map(|c| ConflictView {
            field: c.field.clone(),
            label: labels::person_field(&c.field)
                .map_or_else(|| Shown::Text(c.field.clone()), Shown::Msg),
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
                        _ => labels::person_value(&c.field, &text)
                            .map_or(Shown::Text(text), Shown::Msg),
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

/// An old record as label/value facts (for "the file after this change").
pub fn person_facts(p: &Person) -> Vec<(Msg, Shown)> {
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
        (Msg::FieldName, text(&p.name)),
        (Msg::FieldSex, Shown::Msg(labels::sex(p.sex))),
        (Msg::FieldEthnicity, text(&p.ethnicity)),
        (Msg::FieldBirthDate, date(Some(p.birth_date))),
        (Msg::FieldNativePlace, text(&p.native_place)),
        (
            Msg::FieldIdNumber,
            text(&yanzhen_model::validate::mask_id_number(&p.id_number)),
        ),
        (
            Msg::FieldPolitical,
            Shown::Msg(labels::political_status(p.political_status)),
        ),
        (Msg::FieldPartyJoin, date(p.party_join_date)),
        (Msg::FieldWorkStart, date(p.work_start_date)),
        (Msg::FieldEduFullTime, edu(&p.education_full_time)),
        (Msg::FieldEduInService, edu(&p.education_in_service)),
        (Msg::FieldProfTitle, text(&p.professional_title)),
        (Msg::FieldPhone, text(&p.phone)),
        (Msg::FieldCategory, Shown::Msg(labels::category(p.category))),
        (Msg::FieldStatus, Shown::Msg(labels::status(p.status))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::form::PersonForm;
    use crate::roster::write::{edit_unit, person_conflicts, person_history};
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
            (Msg::FieldName, Shown::Text("张三".into()))
        );
    }
}
