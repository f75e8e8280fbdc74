//! The 雏雁 forms as typed (text and choices) and their conversion to model
//! records or rule inputs. Problems are reported **at their field**: text
//! that is not a date, a missing required value, and whatever the model's
//! rules (`yanzhen_model::young`, `validate`) reject, with a plainer message
//! for the date orders of this module (an outcome before the selection, a
//! recruitment before registration, a move before the case). A form with
//! problems converts to nothing, so nothing is written.

use yanzhen_model::entities::Person;
use yanzhen_model::entities::{
    CareerMove, CareerMoveKind, MentoringNote, PoolCandidate, PoolStatus, ReserveCadre,
    ReserveOutcome, Sex,
};
use yanzhen_model::store::UnitData;
use yanzhen_model::validate::{Validate, ValidationError};
use yanzhen_model::{Date, Id};

use crate::modules::young::messages::YoungMsg;
use crate::ui::form_errors::{FormWords, Problem, opt_date, req_date, required, typed_id_number};

/// A problem's words: a YoungMsg or a model message key.
pub type YErr = Problem<YoungMsg>;

impl YErr {
    /// A model validation error in this module's words.
    pub fn from_validation(e: &ValidationError) -> YErr {
        use ValidationError::*;
        match e {
            DateRange {
                field: "outcome_date",
            } => YErr::App(YoungMsg::ErrOutcomeBeforeSelection),
            DateRange { field: "log.date" } => YErr::App(YoungMsg::ErrNoteBeforeSelection),
            DateRange {
                field: "recruited_date",
            } => YErr::App(YoungMsg::ErrRecruitBeforeRegistered),
            DateRange {
                field: "moved_date",
            } => YErr::App(YoungMsg::ErrMoveBeforeIdentified),
            StageInconsistent { field: "status" } => YErr::App(YoungMsg::ErrNotWaiting),
            Required { field: "person_id" } => YErr::App(YoungMsg::ErrPickPerson),
            Required {
                field: "recruited_unit",
            } => YErr::App(YoungMsg::ErrPickUnit),
            other => YErr::Model(other.message_key()),
        }
    }
}

const REQUIRED: YErr = YErr::Model("validation.required");
const DATE_INVALID: YErr = YErr::Model("validation.date.invalid");

/// Problems of a form, by the model's field name (dotted when nested).
pub type YErrors = crate::ui::form_errors::FieldMap<YErr>;

impl FormWords for YErr {
    const REQUIRED: Self = REQUIRED;
    const DATE_INVALID: Self = DATE_INVALID;
    fn refusal(e: &ValidationError) -> Self {
        YErr::from_validation(e)
    }
}

/// Validates `r` and places its problem.
fn validated<T: Validate>(r: T, fallback: &str) -> Result<T, YErrors> {
    r.validate()
        .map_err(|e| YErrors::from_validation(&e, fallback))?;
    Ok(r)
}

/// A new reserve cadre's selection record as typed. Birth date and sex may
/// come from a valid resident ID.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReserveForm {
    pub name: String,
    pub sex: Option<Sex>,
    pub birth_date: String,
    pub id_number: String,
    pub selected: String,
    pub mentor: Option<Id>,
}

impl ReserveForm {
    /// The record with id `id`, or the problems by field.
    pub fn to_cadre(&self, id: Id) -> Result<ReserveCadre, YErrors> {
        let mut e = YErrors::default();
        required(&self.name, "name", &mut e);
        let selected = req_date(&self.selected, "selected", &mut e);
        let typed_birth = opt_date(&self.birth_date, "birth_date", &mut e);
        let (id_number, from_id) = typed_id_number(&self.id_number, &mut e);
        let birth = typed_birth.or(from_id.as_ref().map(|i| i.birth_date));
        if birth.is_none() && e.get("birth_date").is_none() && e.get("id_number").is_none() {
            e.add("birth_date", YErr::App(YoungMsg::ErrBirthOrId));
        }
        let sex = self.sex.or(from_id.as_ref().map(|i| i.sex));
        if sex.is_none() && e.get("id_number").is_none() {
            e.add("sex", REQUIRED);
        }
        let (Some(selected), Some(birth), Some(sex)) = (selected, birth, sex) else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        validated(
            ReserveCadre {
                id,
                name: self.name.trim().to_owned(),
                sex,
                birth_date: birth,
                id_number,
                selected,
                mentor_person_id: self.mentor.clone(),
                log: Vec::new(),
                outcome: ReserveOutcome::InTraining,
                outcome_date: None,
            },
            "name",
        )
    }
}

/// One 传帮带 note as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteForm {
    pub date: String,
    pub mentor: String,
    pub note: String,
}

impl NoteForm {
    /// The note, or the problems (`log.date`, `log.note`).
    pub fn to_note(&self) -> Result<MentoringNote, YErrors> {
        let mut e = YErrors::default();
        let date = req_date(&self.date, "log.date", &mut e);
        required(&self.note, "log.note", &mut e);
        let Some(date) = date else { return Err(e) };
        e.into_result(|| MentoringNote {
            date,
            mentor: self.mentor.trim().to_owned(),
            note: self.note.trim().to_owned(),
        })
    }
}

/// A reserve cadre's outcome as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeForm {
    pub outcome: ReserveOutcome,
    pub date: String,
}

impl OutcomeForm {
    /// The form showing `c`'s current outcome.
    pub fn of(c: &ReserveCadre) -> Self {
        OutcomeForm {
            outcome: c.outcome,
            date: c.outcome_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The outcome and its date (the rule checks the date is there and in order).
    pub fn parse(&self) -> Result<(ReserveOutcome, Option<Date>), YErrors> {
        let mut e = YErrors::default();
        let d = opt_date(&self.date, "outcome_date", &mut e);
        e.into_result(|| (self.outcome, d))
    }
}

/// A new pool candidate as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolForm {
    pub name: String,
    pub id_number: String,
    pub registered: String,
}

impl PoolForm {
    /// A waiting candidate with id `id`, or the problems.
    pub fn to_candidate(&self, id: Id) -> Result<PoolCandidate, YErrors> {
        let mut e = YErrors::default();
        required(&self.name, "name", &mut e);
        let registered = req_date(&self.registered, "registered", &mut e);
        let Some(registered) = registered else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        validated(
            PoolCandidate {
                id,
                name: self.name.trim().to_owned(),
                id_number: self.id_number.trim().to_uppercase(),
                registered,
                status: PoolStatus::Waiting,
                recruited_unit: None,
                recruited_date: None,
            },
            "name",
        )
    }
}

/// A date typed into a one-field form (recruitment, move): `field` names it.
pub fn parse_opt_date(s: &str, field: &str) -> Result<Option<Date>, YErrors> {
    let mut e = YErrors::default();
    let d = opt_date(s, field, &mut e);
    e.into_result(|| d)
}

/// A career move as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CareerForm {
    pub person: Option<Id>,
    pub kind: Option<CareerMoveKind>,
    pub date: String,
    pub post_name: String,
}

impl CareerForm {
    /// The move with id `id` (the rule then checks the person is the unit's).
    pub fn to_move(&self, id: Id) -> Result<CareerMove, YErrors> {
        let mut e = YErrors::default();
        if self.person.is_none() {
            e.add("person_id", YErr::App(YoungMsg::ErrPickPerson));
        }
        if self.kind.is_none() {
            e.add("kind", REQUIRED);
        }
        let date = req_date(&self.date, "date", &mut e);
        required(&self.post_name, "post_name", &mut e);
        let (Some(person_id), Some(kind), Some(date)) = (self.person.clone(), self.kind, date)
        else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        validated(
            CareerMove {
                id,
                person_id,
                kind,
                date,
                post_name: self.post_name.trim().to_owned(),
            },
            "post_name",
        )
    }
}

/// The unit's people that `keep` lets choose (a form's person choice), as
/// id and name in the document's order.
pub fn people_where(unit: &UnitData, keep: impl Fn(&Person) -> bool) -> Vec<(Id, String)> {
    unit.people
        .values()
        .filter(|p| keep(p))
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::validate::make_id_number;

    fn id() -> Id {
        Id::from_random_bytes([4; 16])
    }

    #[test]
    fn a_reserve_form_needs_name_selection_and_birth() {
        let e = ReserveForm::default().to_cadre(id()).unwrap_err();
        assert_eq!(e.get("name"), Some(REQUIRED));
        assert_eq!(e.get("selected"), Some(REQUIRED));
        assert_eq!(e.get("birth_date"), Some(YErr::App(YoungMsg::ErrBirthOrId)));
        let f = ReserveForm {
            name: "测试后备".into(),
            selected: "2024-13-01".into(),
            birth_date: "1996-02-03".into(),
            sex: Some(Sex::Female),
            ..Default::default()
        };
        assert_eq!(
            f.to_cadre(id()).unwrap_err().get("selected"),
            Some(DATE_INVALID)
        );
        let ok = ReserveForm {
            selected: "2024-03-01".into(),
            ..f
        }
        .to_cadre(id())
        .unwrap();
        assert_eq!(ok.outcome, ReserveOutcome::InTraining);
        assert!(ok.log.is_empty());
    }

    #[test]
    fn birth_and_sex_come_from_the_id_number() {
        let number = make_id_number("990101", Date::new(1997, 7, 9).unwrap(), 12);
        let c = ReserveForm {
            name: "测试".into(),
            selected: "2024-03-01".into(),
            id_number: number.clone(),
            ..Default::default()
        }
        .to_cadre(id())
        .unwrap();
        assert_eq!(c.birth_date, Date::new(1997, 7, 9).unwrap());
        assert_eq!(c.sex, Sex::Female);
        let wrong = format!(
            "{}{}",
            &number[..17],
            if number.ends_with('1') { '2' } else { '1' }
        );
        let e = ReserveForm {
            name: "测试".into(),
            selected: "2024-03-01".into(),
            id_number: wrong,
            ..Default::default()
        }
        .to_cadre(id())
        .unwrap_err();
        assert_eq!(
            e.get("id_number"),
            Some(YErr::Model("validation.id_number.check_digit"))
        );
    }

    #[test]
    fn notes_outcomes_and_dates_place_their_problems() {
        let e = NoteForm::default().to_note().unwrap_err();
        assert_eq!(e.get("log.date"), Some(REQUIRED));
        assert_eq!(e.get("log.note"), Some(REQUIRED));
        let n = NoteForm {
            date: "2024-05-06".into(),
            mentor: " 书记 ".into(),
            note: " 谈心谈话 ".into(),
        }
        .to_note()
        .unwrap();
        assert_eq!((n.mentor.as_str(), n.note.as_str()), ("书记", "谈心谈话"));
        let o = OutcomeForm {
            outcome: ReserveOutcome::EnteredCommittee,
            date: "soon".into(),
        };
        assert_eq!(
            o.parse().unwrap_err().get("outcome_date"),
            Some(DATE_INVALID)
        );
        assert_eq!(parse_opt_date("", "moved_date").unwrap(), None);
        assert!(parse_opt_date("2024-02-30", "moved_date").is_err());
        assert_eq!(
            YErr::from_validation(&ValidationError::DateRange {
                field: "outcome_date"
            }),
            YErr::App(YoungMsg::ErrOutcomeBeforeSelection)
        );
        assert_eq!(
            YErr::from_validation(&ValidationError::DateRange { field: "x" }),
            YErr::Model("validation.date.range")
        );
    }

    #[test]
    fn pool_and_career_forms() {
        let e = PoolForm::default().to_candidate(id()).unwrap_err();
        assert_eq!(e.get("name"), Some(REQUIRED));
        assert_eq!(e.get("registered"), Some(REQUIRED));
        let c = PoolForm {
            name: "测试储备".into(),
            registered: "2024-01-02".into(),
            ..Default::default()
        }
        .to_candidate(id())
        .unwrap();
        assert_eq!(c.status, PoolStatus::Waiting);

        let e = CareerForm::default().to_move(id()).unwrap_err();
        assert_eq!(e.get("person_id"), Some(YErr::App(YoungMsg::ErrPickPerson)));
        assert_eq!(e.get("post_name"), Some(REQUIRED));
        let m = CareerForm {
            person: Some(id()),
            kind: Some(CareerMoveKind::CareerPost),
            date: "2024-06-01".into(),
            post_name: " 事业岗位 ".into(),
        }
        .to_move(id())
        .unwrap();
        assert_eq!(m.post_name, "事业岗位");
    }

    #[test]
    fn only_the_people_kept_are_offered() {
        use yanzhen_model::entities::PersonStatus;
        let demo = yanzhen_model::demo::generate(3);
        let unit = &demo.units[0];
        let active = people_where(unit, |p| p.status == PersonStatus::Active);
        let expected = unit
            .people
            .values()
            .filter(|p| p.status == PersonStatus::Active)
            .count();
        assert!(expected > 0);
        assert_eq!(active.len(), expected);
        let (id, name) = &active[0];
        assert_eq!(unit.people[id].name, *name);
        assert!(people_where(unit, |_| false).is_empty());
        assert_eq!(people_where(unit, |_| true).len(), unit.people.len());
    }
}
