//! The 群雁 forms as typed (text, choices) and their conversion to model
//! records: a training session, a certificate, a studio placement. A form
//! with problems converts to nothing (so nothing is written); each problem
//! is placed at its field: text that is not a date or a number, a missing
//! choice, class hours of 0, then whatever the model's own validation
//! rejects (by `ValidationError::field()`), e.g. an end before the start.

use yanzhen_model::entities::{
    Certificate, CertificateLevel, Mentorship, MentorshipKind, MentorshipOutcome, PersonRef,
    TeacherSource, TrainingKind, TrainingSession,
};
use yanzhen_model::validate::{Validate, ValidationError};
use yanzhen_model::{Date, Id};

use crate::modules::flock::messages::FlockMsg;
use crate::ui::form_errors::{FormWords, Problem, opt_date, req_date, required};

/// A problem's words: a FlockMsg or a model message key.
pub type FlockErr = Problem<FlockMsg>;

/// Stands in for a date a form did not give; never written (a form with a
/// missing date converts to its problems).
fn no_date() -> Date {
    Date::new(1970, 1, 1).expect("a valid date")
}

const REQUIRED: FlockErr = FlockErr::Model("validation.required");
const DATE_INVALID: FlockErr = FlockErr::Model("validation.date.invalid");

/// Problems of a form, by the model's field name.
pub type FlockErrors = crate::ui::form_errors::FieldMap<FlockErr>;

impl FormWords for FlockErr {
    const REQUIRED: Self = REQUIRED;
    const DATE_INVALID: Self = DATE_INVALID;
    fn refusal(e: &ValidationError) -> Self {
        FlockErr::Model(e.message_key())
    }
}

/// Runs the model's validation on a record built from a form.
fn validated<R: Validate>(r: R, fallback: &str) -> Result<R, FlockErrors> {
    match r.validate() {
        Ok(()) => Ok(r),
        Err(e) => Err(FlockErrors::from_validation(&e, fallback)),
    }
}

// ---------------------------------------------------------------- session

/// A training session as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionForm {
    pub title: String,
    pub kind: TrainingKind,
    pub date: String,
    pub hours: String,
    pub first_topic: bool,
    pub teacher_source: TeacherSource,
    pub exam_prep: bool,
    pub location: String,
}

impl Default for SessionForm {
    fn default() -> Self {
        SessionForm {
            title: String::new(),
            kind: TrainingKind::OnDuty,
            date: String::new(),
            hours: String::new(),
            first_topic: true,
            teacher_source: TeacherSource::PartySchool,
            exam_prep: false,
            location: String::new(),
        }
    }
}

impl SessionForm {
    /// The form showing a saved session.
    pub fn from_session(s: &TrainingSession) -> Self {
        SessionForm {
            title: s.title.clone(),
            kind: s.kind,
            date: s.date.to_string(),
            hours: s.hours.to_string(),
            first_topic: s.first_topic,
            teacher_source: s.teacher_source,
            exam_prep: s.exam_prep,
            location: s.location.clone(),
        }
    }

    /// The session with record id `id`, or every field's problem.
    pub fn to_session(&self, id: Id) -> Result<TrainingSession, FlockErrors> {
        let mut e = FlockErrors::default();
        required(&self.title, "title", &mut e);
        let date = req_date(&self.date, "date", &mut e);
        let hours = match self.hours.trim() {
            "" => {
                e.add("hours", REQUIRED);
                None
            }
            h => match h.parse::<i64>() {
                Ok(n) if n <= 0 => {
                    e.add("hours", FlockErr::App(FlockMsg::HoursPositive));
                    None
                }
                Ok(n) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
                Err(_) => {
                    e.add("hours", FlockErr::App(FlockMsg::NotNumber));
                    None
                }
            },
        };
        let s = e.into_result(|| TrainingSession {
            id,
            title: self.title.trim().to_owned(),
            kind: self.kind,
            date: date.unwrap_or_else(no_date),
            hours: hours.unwrap_or_default(),
            first_topic: self.first_topic,
            teacher_source: self.teacher_source,
            exam_prep: self.exam_prep,
            location: self.location.trim().to_owned(),
        })?;
        validated(s, "title")
    }
}

// ---------------------------------------------------------------- certificate

/// A certificate as typed (the holder is the worker picked in the list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertForm {
    pub person: Option<Id>,
    pub level: CertificateLevel,
    pub obtained: String,
    pub number: String,
}

impl Default for CertForm {
    fn default() -> Self {
        CertForm {
            person: None,
            level: CertificateLevel::Assistant,
            obtained: String::new(),
            number: String::new(),
        }
    }
}

impl CertForm {
    /// The certificate with record id `id`, or every field's problem.
    pub fn to_certificate(&self, id: Id) -> Result<Certificate, FlockErrors> {
        let mut e = FlockErrors::default();
        if self.person.is_none() {
            e.add("person_id", FlockErr::App(FlockMsg::CertPickWorker));
        }
        let obtained = req_date(&self.obtained, "obtained", &mut e);
        required(&self.number, "number", &mut e);
        let c = e.into_result(|| Certificate {
            id,
            person_id: self.person.clone().unwrap_or_default(),
            level: self.level,
            obtained: obtained.unwrap_or_else(no_date),
            number: self.number.trim().to_owned(),
        })?;
        validated(c, "number")
    }
}

// ---------------------------------------------------------------- placement

/// A mentoring / shadowing placement as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementForm {
    pub studio: Option<Id>,
    pub kind: MentorshipKind,
    pub mentee: Option<PersonRef>,
    pub start: String,
    pub end: String,
    pub outcome: Option<MentorshipOutcome>,
    pub note: String,
}

impl Default for PlacementForm {
    fn default() -> Self {
        PlacementForm {
            studio: None,
            kind: MentorshipKind::Shadowing,
            mentee: None,
            start: String::new(),
            end: String::new(),
            outcome: None,
            note: String::new(),
        }
    }
}

impl PlacementForm {
    /// The form showing a saved placement.
    pub fn from_placement(m: &Mentorship) -> Self {
        PlacementForm {
            studio: Some(m.studio_id.clone()),
            kind: m.kind,
            mentee: Some(m.mentee.clone()),
            start: m.start.to_string(),
            end: m.end.map(|d| d.to_string()).unwrap_or_default(),
            outcome: m.outcome,
            note: m.note.clone(),
        }
    }

    /// The placement with record id `id`, or every field's problem.
    pub fn to_placement(&self, id: Id) -> Result<Mentorship, FlockErrors> {
        let mut e = FlockErrors::default();
        if self.studio.is_none() {
            e.add("studio_id", FlockErr::App(FlockMsg::PlacementPickStudio));
        }
        if self.mentee.is_none() {
            e.add("mentee", FlockErr::App(FlockMsg::PlacementPickMentee));
        }
        let start = req_date(&self.start, "start", &mut e);
        let end = opt_date(&self.end, "end", &mut e);
        let m = e.into_result(|| Mentorship {
            id,
            studio_id: self.studio.clone().unwrap_or_default(),
            mentee: self.mentee.clone().unwrap_or(PersonRef {
                unit: Id::default(),
                person: Id::default(),
            }),
            kind: self.kind,
            start: start.unwrap_or_else(no_date),
            end,
            note: self.note.trim().to_owned(),
            outcome: self.outcome,
        })?;
        validated(m, "start")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> Id {
        Id::from_random_bytes([n; 16])
    }

    #[test]
    fn a_session_needs_a_title_a_date_and_hours_above_zero() {
        let empty = SessionForm::default().to_session(id(1)).unwrap_err();
        assert_eq!(empty.get("title"), Some(REQUIRED));
        assert_eq!(empty.get("date"), Some(REQUIRED));
        assert_eq!(empty.get("hours"), Some(REQUIRED));
        let mut f = SessionForm {
            title: " 两委成员履职培训 ".into(),
            date: "2024-09-10".into(),
            hours: "0".into(),
            ..SessionForm::default()
        };
        let e = f.to_session(id(1)).unwrap_err();
        assert_eq!(
            e.0,
            vec![("hours".to_owned(), FlockErr::App(FlockMsg::HoursPositive))]
        );
        f.hours = "-3".into();
        assert_eq!(
            f.to_session(id(1)).unwrap_err().get("hours"),
            Some(FlockErr::App(FlockMsg::HoursPositive))
        );
        f.hours = "八".into();
        assert_eq!(
            f.to_session(id(1)).unwrap_err().get("hours"),
            Some(FlockErr::App(FlockMsg::NotNumber))
        );
        // The model's own limit (200 class hours) is placed at the field.
        f.hours = "500".into();
        assert_eq!(
            f.to_session(id(1)).unwrap_err().get("hours"),
            Some(FlockErr::Model("validation.number.out_of_range"))
        );
        f.date = "2024-13-01".into();
        assert_eq!(
            f.to_session(id(1)).unwrap_err().get("date"),
            Some(DATE_INVALID)
        );
        f.date = "2024-09-10".into();
        f.hours = "8".into();
        let s = f.to_session(id(1)).unwrap();
        assert_eq!(s.title, "两委成员履职培训");
        assert_eq!(s.hours, 8);
        assert!(s.first_topic);
        assert_eq!(SessionForm::from_session(&s).to_session(id(1)).unwrap(), s);
    }

    #[test]
    fn a_certificate_needs_a_holder_a_date_and_a_number() {
        let e = CertForm::default().to_certificate(id(2)).unwrap_err();
        assert_eq!(
            e.get("person_id"),
            Some(FlockErr::App(FlockMsg::CertPickWorker))
        );
        assert_eq!(e.get("obtained"), Some(REQUIRED));
        assert_eq!(e.get("number"), Some(REQUIRED));
        let f = CertForm {
            person: Some(id(3)),
            level: CertificateLevel::Intermediate,
            obtained: "2024-06-30".into(),
            number: " SW-1 ".into(),
        };
        let c = f.to_certificate(id(2)).unwrap();
        assert_eq!((c.number.as_str(), c.person_id), ("SW-1", id(3)));
    }

    #[test]
    fn a_placement_ending_before_it_starts_is_refused_at_the_end_date() {
        let mut f = PlacementForm {
            studio: Some(id(4)),
            mentee: Some(PersonRef {
                unit: id(5),
                person: id(6),
            }),
            start: "2024-09-01".into(),
            end: "2024-08-01".into(),
            ..PlacementForm::default()
        };
        assert_eq!(
            f.to_placement(id(7)).unwrap_err().get("end"),
            Some(FlockErr::Model("validation.date.range"))
        );
        f.end = String::new();
        f.outcome = Some(MentorshipOutcome::Completed);
        assert_eq!(
            f.to_placement(id(7)).unwrap_err().get("end"),
            Some(REQUIRED)
        );
        f.end = "2024-12-31".into();
        let m = f.to_placement(id(7)).unwrap();
        assert_eq!(m.end, Date::new(2024, 12, 31));
        assert_eq!(PlacementForm::from_placement(&m), f);
        let none = PlacementForm::default().to_placement(id(7)).unwrap_err();
        assert!(none.get("studio_id").is_some() && none.get("mentee").is_some());
        assert_eq!(none.get("start"), Some(REQUIRED));
    }
}
