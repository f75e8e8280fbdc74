//! The review and filing forms as typed and their conversion to model
//! records: a unit's nomination, a new batch, a department's sign-off.
//! Problems are placed by field (the form's own names: `batch`, `name`,
//! `id_number`, `seat`, `year`, `department`, `result`, `reviewer`,
//! `date`, `reason`); a form with problems converts to nothing, so nothing
//! is written. Refusals that are not about one field (the review is
//! concluded, publicity started) come back as a [`ReviewMsg`].

use yanzhen_model::entities::{
    BatchKind, CandidateReview, Department, Nomination, PostTitle, ReviewBatch, SignOffResult,
};
use yanzhen_model::review::{self, ReviewRefusal};
use yanzhen_model::validate::{Validate, ValidationError};
use yanzhen_model::{Date, Id};

use crate::data::person_form::{ErrText, FieldErrors};
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::labels;

const REQUIRED: ErrText = ErrText::Model("validation.required");

/// The form's field for a model field name.
fn form_field(model: &str) -> &'static str {
    match model {
        "candidate_name" => "name",
        "candidate_id_number" => "id_number",
        "batch_id" => "batch",
        "signoffs.reviewer" => "reviewer",
        "signoffs.date" => "date",
        "signoffs.reason" => "reason",
        "signoffs.result" => "result",
        "year" => "year",
        "name" => "name",
        "seat" => "seat",
        _ => "",
    }
}

/// A model validation error placed at the form's field (or `fallback`).
pub fn field_errors(e: &ValidationError, fallback: &'static str) -> FieldErrors {
    let f = e.field().map(form_field).unwrap_or("");
    FieldErrors::one(if f.is_empty() { fallback } else { f }, e.into())
}

/// A unit's nomination as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NominationForm {
    /// The batch's record id (empty: none chosen).
    pub batch: String,
    pub name: String,
    pub id_number: String,
    pub seat: PostTitle,
}

impl Default for NominationForm {
    fn default() -> Self {
        NominationForm {
            batch: String::new(),
            name: String::new(),
            id_number: String::new(),
            seat: PostTitle::CommitteeMember,
        }
    }
}

impl NominationForm {
    /// The nomination (record `id`, submitted `today`), or where the
    /// problems are.
    pub fn to_nomination(&self, id: Id, today: Date) -> Result<Nomination, FieldErrors> {
        let Some(batch) = Id::parse(self.batch.trim()) else {
            return Err(FieldErrors::one("batch", REQUIRED));
        };
        let n = Nomination {
            id,
            batch_id: batch,
            candidate_name: self.name.trim().to_owned(),
            candidate_id_number: self.id_number.trim().to_uppercase(),
            seat: self.seat,
            submitted: today,
            note: String::new(),
        };
        n.validate().map_err(|e| field_errors(&e, "name"))?;
        Ok(n)
    }
}

/// A new review batch as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchForm {
    pub kind: BatchKind,
    pub year: String,
    pub name: String,
}

impl BatchForm {
    /// An empty form for a batch of `year`.
    pub fn for_year(year: u16) -> Self {
        BatchForm {
            kind: BatchKind::Election,
            year: year.to_string(),
            name: String::new(),
        }
    }

    /// The batch (record `id`, opened `today`), or where the problems are.
    pub fn to_batch(&self, id: Id, today: Date) -> Result<ReviewBatch, FieldErrors> {
        let Ok(year) = self.year.trim().parse::<u16>() else {
            return Err(FieldErrors::one(
                "year",
                ErrText::Model("validation.number.out_of_range"),
            ));
        };
        let b = ReviewBatch {
            id,
            name: self.name.trim().to_owned(),
            kind: self.kind,
            year,
            opened: today,
        };
        b.validate().map_err(|e| field_errors(&e, "name"))?;
        Ok(b)
    }
}

/// A department's sign-off as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignOffForm {
    pub department: Option<Department>,
    /// Pass or fail (none chosen yet: `None`).
    pub result: Option<SignOffResult>,
    pub reviewer: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub reason: String,
}

/// Why a sign-off (or another step) was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Next to the fields.
    Fields(FieldErrors),
    /// About the review as a whole.
    Review(ReviewMsg),
}

impl Refused {
    /// A model refusal in words (field problems placed at their fields).
    pub fn from_refusal(r: &ReviewRefusal) -> Refused {
        match r {
            ReviewRefusal::Invalid(v) => Refused::Fields(field_errors(v, "result")),
            other => Refused::Review(labels::review_refusal(other)),
        }
    }
}

impl SignOffForm {
    /// `review` with this sign-off, or why not.
    pub fn apply(&self, review: &CandidateReview) -> Result<CandidateReview, Refused> {
        let Some(department) = self.department else {
            return Err(Refused::Fields(FieldErrors::one("department", REQUIRED)));
        };
        let Some(result) = self.result else {
            return Err(Refused::Fields(FieldErrors::one("result", REQUIRED)));
        };
        let date = match self.date.trim() {
            "" => None,
            s => match Date::parse(s) {
                Some(d) => Some(d),
                None => {
                    return Err(Refused::Fields(FieldErrors::one(
                        "date",
                        ErrText::Model("validation.date.invalid"),
                    )));
                }
            },
        };
        review::sign_off(
            review,
            department,
            result,
            &self.reviewer,
            date,
            &self.reason,
        )
        .map_err(|r| Refused::from_refusal(&r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::validate::{id_check_char, make_id_number};

    fn today() -> Date {
        Date::new(2026, 11, 25).unwrap()
    }

    fn batch_id() -> Id {
        Id::from_random_bytes([2; 16])
    }

    fn nomination(number: &str) -> NominationForm {
        NominationForm {
            batch: batch_id().as_str().to_owned(),
            name: " 测试候选 ".into(),
            id_number: number.into(),
            seat: PostTitle::CommitteeMember,
        }
    }

    #[test]
    fn a_wrong_check_digit_is_refused_at_the_id_number() {
        let good = make_id_number("990101", Date::new(1991, 2, 3).unwrap(), 5);
        let right = id_check_char(&good[..17]).unwrap();
        let wrong = format!("{}{}", &good[..17], if right == '1' { '2' } else { '1' });
        let e = nomination(&wrong)
            .to_nomination(Id::from_random_bytes([1; 16]), today())
            .unwrap_err();
        assert_eq!(
            e.get("id_number"),
            Some(ErrText::Model("validation.id_number.check_digit"))
        );
        let n = nomination(&good.to_lowercase())
            .to_nomination(Id::from_random_bytes([1; 16]), today())
            .unwrap();
        assert_eq!(n.candidate_name, "测试候选");
        assert_eq!(n.candidate_id_number, good.to_uppercase());
        assert_eq!(n.batch_id, batch_id());
        assert_eq!(n.submitted, today());
    }

    #[test]
    fn a_nomination_needs_a_batch_and_a_name() {
        let good = make_id_number("990101", Date::new(1991, 2, 3).unwrap(), 5);
        let mut f = nomination(&good);
        f.batch.clear();
        let e = f.to_nomination(Id::from_random_bytes([1; 16]), today());
        assert!(e.unwrap_err().get("batch").is_some());
        let mut f = nomination(&good);
        f.name = " ".into();
        let e = f.to_nomination(Id::from_random_bytes([1; 16]), today());
        assert!(e.unwrap_err().get("name").is_some());
    }

    #[test]
    fn a_batch_needs_a_name_and_a_sensible_year() {
        let id = Id::from_random_bytes([1; 16]);
        let mut f = BatchForm::for_year(2026);
        assert!(
            f.to_batch(id.clone(), today())
                .unwrap_err()
                .get("name")
                .is_some()
        );
        f.name = "2026年换届联审".into();
        f.year = "二〇".into();
        assert!(
            f.to_batch(id.clone(), today())
                .unwrap_err()
                .get("year")
                .is_some()
        );
        f.year = "1800".into();
        assert!(
            f.to_batch(id.clone(), today())
                .unwrap_err()
                .get("year")
                .is_some()
        );
        f.year = "2026".into();
        let b = f.to_batch(id, today()).unwrap();
        assert_eq!((b.year, b.opened), (2026, today()));
    }

    #[test]
    fn a_fail_without_a_reason_is_refused_at_the_reason() {
        let n = nomination(&make_id_number("990101", Date::new(1991, 2, 3).unwrap(), 5))
            .to_nomination(Id::from_random_bytes([1; 16]), today())
            .unwrap();
        let r = review::accept(&n, &Id::from_random_bytes([3; 16]));
        let mut f = SignOffForm {
            department: Some(Department::Police),
            result: Some(SignOffResult::Fail),
            reviewer: "审核员".into(),
            date: "2026-11-25".into(),
            reason: String::new(),
        };
        match f.apply(&r) {
            Err(Refused::Fields(e)) => assert_eq!(
                e.get("reason"),
                Some(ErrText::Model("validation.review.reason_required"))
            ),
            other => panic!("{other:?}"),
        }
        f.reviewer.clear();
        f.reason = "有违法记录".into();
        assert!(matches!(f.apply(&r), Err(Refused::Fields(e)) if e.get("reviewer").is_some()));
        f.reviewer = "审核员".into();
        f.date = "2026-13-01".into();
        assert!(matches!(f.apply(&r), Err(Refused::Fields(e)) if e.get("date").is_some()));
        f.date = "2026-11-25".into();
        let ok = f.apply(&r).unwrap();
        assert_eq!(
            review::verdict(&ok, Department::Police),
            SignOffResult::Fail
        );
        f.result = None;
        assert!(matches!(f.apply(&r), Err(Refused::Fields(e)) if e.get("result").is_some()));
    }
}
