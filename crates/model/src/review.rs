//! The rules of 资格联审 (joint qualification review) and 书记备案 (filing
//! of village/community party secretaries), as pure functions over
//! hydrated documents. No clock: "today" is always an argument.
//!
//! Review, step by step:
//! 1. a unit nominates a candidate in its own document ([`Nomination`]);
//! 2. the district accepts it into the batch: [`accept`] makes the
//!    [`CandidateReview`] (same id) with one pending sign-off per
//!    [`Department`];
//! 3. each department signs off ([`sign_off`]): pass, or fail with a reason;
//! 4. a candidate every department passed goes into publicity (公示,
//!    [`start_publicity`], [`PUBLICITY_DAYS`] days);
//! 5. [`conclude`]: approved once publicity is over, blocked when a
//!    department failed the candidate;
//! 6. [`give_seat`] records the candidate's post in the unit's document —
//!    refused ([`SeatRefusal`]) for a candidate any department failed.
//!
//! Filing: [`filing_rows`] gives each unit's current secretary and whether
//! they are filed ([`FilingStatus`]); [`file_secretary`] makes the filing.
//!
//! Long file: the joint-review and filing rules are one procedure (steps,
//! departments, batches, filing status); tests beside them.

use crate::sorting;
use std::collections::BTreeMap;

use thiserror::Error;

use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;
use crate::store::{DistrictData, UnitData};
use crate::validate::{Validate, ValidationError, parse_id_number};

/// Length of the publicity period (公示), in days, first day included.
pub const PUBLICITY_DAYS: i64 = 5;

impl Validate for Nomination {
    fn validate(&self) -> Result<(), ValidationError> {
        if !self.id.is_valid() {
            return Err(ValidationError::BadId { field: "id" });
        }
        if !self.batch_id.is_valid() {
            return Err(ValidationError::Required { field: "batch_id" });
        }
        if self.candidate_name.trim().is_empty() {
            return Err(ValidationError::Required {
                field: "candidate_name",
            });
        }
        if self.candidate_name.chars().count() > 100 {
            return Err(ValidationError::TooLong {
                field: "candidate_name",
            });
        }
        parse_id_number(&self.candidate_id_number, "candidate_id_number")?;
        if self.note.chars().count() > 2000 {
            return Err(ValidationError::TooLong { field: "note" });
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- review

/// Where a candidate stands (derived from the record and today's date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CandidateStatus {
    /// Accepted into the batch, no department has signed yet.
    Submitted,
    /// Some departments signed (all passed so far), others pending.
    InReview,
    /// A department failed the candidate (or the review concluded blocked).
    Blocked,
    /// Every department passed; publicity not started.
    Passed,
    /// In the publicity period today.
    InPublicity,
    /// Publicity over, not concluded yet.
    PublicityOver,
    /// Concluded and approved.
    Approved,
}

/// One department's verdict on a candidate (`Pending` when it has not signed).
pub fn verdict(review: &CandidateReview, department: Department) -> SignOffResult {
    review
        .signoffs
        .iter()
        .find(|s| s.department == department)
        .map_or(SignOffResult::Pending, |s| s.result)
}

/// Every department's verdict, in [`Department::ALL`] order.
pub fn board(review: &CandidateReview) -> Vec<(Department, SignOffResult)> {
    Department::ALL
        .iter()
        .map(|&d| (d, verdict(review, d)))
        .collect()
}

/// The failed sign-offs.
pub fn failures(review: &CandidateReview) -> Vec<&SignOff> {
    review
        .signoffs
        .iter()
        .filter(|s| s.result == SignOffResult::Fail)
        .collect()
}

/// Whether the candidate is blocked: a department failed them, or the
/// review concluded blocked.
pub fn is_blocked(review: &CandidateReview) -> bool {
    !failures(review).is_empty() || review.final_result == Some(ReviewResult::Blocked)
}

/// How many departments have not signed yet.
pub fn pending(review: &CandidateReview) -> usize {
    board(review)
        .iter()
        .filter(|(_, r)| *r == SignOffResult::Pending)
        .count()
}

/// Whether every department passed the candidate.
pub fn all_passed(review: &CandidateReview) -> bool {
    board(review).iter().all(|(_, r)| *r == SignOffResult::Pass)
}

/// Days of publicity left after `today` (0 on the last day); `None`
/// without a publicity period or once it is over.
pub fn publicity_days_left(review: &CandidateReview, today: Date) -> Option<i64> {
    let (start, end) = (review.publicity_start?, review.publicity_end?);
    (start <= today && today <= end).then(|| end.days_since_epoch() - today.days_since_epoch())
}

/// The candidate's status on `today`.
pub fn status(review: &CandidateReview, today: Date) -> CandidateStatus {
    if is_blocked(review) {
        return CandidateStatus::Blocked;
    }
    if review.final_result == Some(ReviewResult::Approved) {
        return CandidateStatus::Approved;
    }
    if let (Some(start), Some(end)) = (review.publicity_start, review.publicity_end) {
        if today > end {
            return CandidateStatus::PublicityOver;
        }
        if today >= start {
            return CandidateStatus::InPublicity;
        }
    }
    if all_passed(review) {
        return CandidateStatus::Passed;
    }
    if pending(review) == Department::ALL.len() {
        CandidateStatus::Submitted
    } else {
        CandidateStatus::InReview
    }
}

/// The counts of a batch's status board. A candidate counts in every
/// column that applies: `passed` includes those in publicity and
/// concluded-approved; `concluded` includes approved and blocked ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    /// Candidates accepted into the batch.
    pub submitted: usize,
    /// Departments still to sign, none failed.
    pub in_review: usize,
    /// Every department passed.
    pub passed: usize,
    /// A department failed the candidate.
    pub blocked: usize,
    /// In the publicity period today.
    pub in_publicity: usize,
    /// Review concluded (approved or blocked).
    pub concluded: usize,
}

/// The candidates of batch `batch`.
pub fn candidates<'a>(
    district: &'a DistrictData,
    batch: &'a Id,
) -> impl Iterator<Item = &'a CandidateReview> {
    district
        .reviews
        .values()
        .filter(move |r| r.batch_id == *batch)
}

/// The counts of batch `batch` on `today`.
pub fn batch_counts(district: &DistrictData, batch: &Id, today: Date) -> BatchCounts {
    let mut c = BatchCounts::default();
    for r in candidates(district, batch) {
        c.submitted += 1;
        let blocked = is_blocked(r);
        if blocked {
            c.blocked += 1;
        } else if pending(r) > 0 {
            c.in_review += 1;
        }
        if all_passed(r) {
            c.passed += 1;
        }
        if !blocked && publicity_days_left(r, today).is_some() {
            c.in_publicity += 1;
        }
        if r.stage == ReviewStage::Concluded {
            c.concluded += 1;
        }
    }
    c
}

/// Nominations of every unit document given that the district has not
/// accepted yet (no review with the nomination's id), with their unit,
/// oldest first.
pub fn open_nominations<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
) -> Vec<(&'a Id, &'a Nomination)> {
    let mut out: Vec<(&Id, &Nomination)> = units
        .into_iter()
        .flat_map(|u| u.nominations.values().map(move |n| (&u.unit_id, n)))
        .filter(|(_, n)| !district.reviews.contains_key(&n.id))
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (a.1.submitted, &a.1.id).cmp(&(b.1.submitted, &b.1.id))
    });
    out
}

/// The review the district makes when it accepts `nomination` of `unit`:
/// same id, one pending sign-off per department.
pub fn accept(nomination: &Nomination, unit: &Id) -> CandidateReview {
    CandidateReview {
        id: nomination.id.clone(),
        batch_id: nomination.batch_id.clone(),
        unit_id: unit.clone(),
        candidate_name: nomination.candidate_name.trim().to_owned(),
        candidate_id_number: nomination.candidate_id_number.trim().to_uppercase(),
        seat: nomination.seat,
        stage: ReviewStage::Submitted,
        signoffs: Department::ALL
            .iter()
            .map(|&d| SignOff {
                department: d,
                result: SignOffResult::Pending,
                reviewer: String::new(),
                date: None,
                reason: String::new(),
            })
            .collect(),
        publicity_start: None,
        publicity_end: None,
        final_result: None,
    }
}

/// Why a step of the review is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReviewRefusal {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("the review is concluded")]
    Concluded,
    #[error("{0} departments have not signed off")]
    Pending(usize),
    #[error("a department failed the candidate")]
    Blocked,
    #[error("publicity has already started")]
    PublicityStarted,
    #[error("publicity has not started")]
    NoPublicity,
    #[error("publicity runs until {0}")]
    PublicityNotOver(Date),
}

/// `department`'s sign-off on `review`: pass, or fail with a reason; the
/// reviewer's name and the date are required. Returns the updated record
/// (validated); the review moves from "submitted" to "department review".
pub fn sign_off(
    review: &CandidateReview,
    department: Department,
    result: SignOffResult,
    reviewer: &str,
    date: Option<Date>,
    reason: &str,
) -> Result<CandidateReview, ReviewRefusal> {
    if review.stage == ReviewStage::Concluded {
        return Err(ReviewRefusal::Concluded);
    }
    if review.publicity_start.is_some() {
        return Err(ReviewRefusal::PublicityStarted);
    }
    if result == SignOffResult::Pending {
        return Err(ValidationError::Required {
            field: "signoffs.result",
        }
        .into());
    }
    let entry = SignOff {
        department,
        result,
        reviewer: reviewer.trim().to_owned(),
        date,
        reason: if result == SignOffResult::Fail {
            reason.trim().to_owned()
        } else {
            String::new()
        },
    };
    let mut r = review.clone();
    match r.signoffs.iter_mut().find(|s| s.department == department) {
        Some(s) => *s = entry,
        None => r.signoffs.push(entry),
    }
    r.stage = ReviewStage::DepartmentReview;
    r.validate()?;
    Ok(r)
}

/// Starts publicity on `today` for a candidate every department passed.
pub fn start_publicity(
    review: &CandidateReview,
    today: Date,
) -> Result<CandidateReview, ReviewRefusal> {
    if review.stage == ReviewStage::Concluded {
        return Err(ReviewRefusal::Concluded);
    }
    if is_blocked(review) {
        return Err(ReviewRefusal::Blocked);
    }
    if review.publicity_start.is_some() {
        return Err(ReviewRefusal::PublicityStarted);
    }
    let p = pending(review);
    if p > 0 {
        return Err(ReviewRefusal::Pending(p));
    }
    let mut r = review.clone();
    r.stage = ReviewStage::Publicity;
    r.publicity_start = Some(today);
    r.publicity_end = Some(today.add_days(PUBLICITY_DAYS - 1));
    r.validate()?;
    Ok(r)
}

/// Concludes a review: blocked when a department failed the candidate (and
/// every department has signed), approved once publicity is over.
pub fn conclude(review: &CandidateReview, today: Date) -> Result<CandidateReview, ReviewRefusal> {
    if review.stage == ReviewStage::Concluded {
        return Err(ReviewRefusal::Concluded);
    }
    let p = pending(review);
    if p > 0 {
        return Err(ReviewRefusal::Pending(p));
    }
    let mut r = review.clone();
    if is_blocked(review) {
        r.final_result = Some(ReviewResult::Blocked);
    } else {
        match review.publicity_end {
            None => return Err(ReviewRefusal::NoPublicity),
            Some(end) if today <= end => return Err(ReviewRefusal::PublicityNotOver(end)),
            Some(_) => r.final_result = Some(ReviewResult::Approved),
        }
    }
    r.stage = ReviewStage::Concluded;
    r.validate()?;
    Ok(r)
}

/// Why a candidate cannot be given the seat.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SeatRefusal {
    /// A department failed the candidate (`department` and its reason; no
    /// department when the review was concluded blocked without one).
    #[error("the candidate failed the joint review")]
    Blocked {
        department: Option<Department>,
        reason: String,
    },
    /// Departments have not signed off yet.
    #[error("{0} departments have not signed off")]
    NotReviewed(usize),
    /// Every department passed, but there was no publicity yet.
    #[error("publicity has not started")]
    NoPublicity,
    /// Publicity is still running (until the date, included).
    #[error("publicity runs until {0}")]
    PublicityNotOver(Date),
    /// The unit's document is not the candidate's unit.
    #[error("the document is not the candidate's unit")]
    WrongUnit,
    /// The candidate already holds this post in the unit.
    #[error("the candidate already holds the seat")]
    AlreadySeated,
    /// The review's record is not valid (e.g. a damaged ID number).
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

/// What giving the seat writes into the unit's document: the person (new
/// when nobody in the unit has the candidate's ID number) and the post.
#[derive(Debug, Clone, PartialEq)]
pub struct Seat {
    /// A new person record to create, or `None` when the candidate is
    /// already in the unit's roster.
    pub new_person: Option<Person>,
    pub post: Post,
}

/// Whether a candidate may be given the seat on `today` (the rule, without
/// the unit's document).
pub fn may_seat(review: &CandidateReview, today: Date) -> Result<(), SeatRefusal> {
    if let Some(f) = failures(review).first() {
        return Err(SeatRefusal::Blocked {
            department: Some(f.department),
            reason: f.reason.clone(),
        });
    }
    if review.final_result == Some(ReviewResult::Blocked) {
        return Err(SeatRefusal::Blocked {
            department: None,
            reason: String::new(),
        });
    }
    let p = pending(review);
    if p > 0 {
        return Err(SeatRefusal::NotReviewed(p));
    }
    if review.final_result == Some(ReviewResult::Approved) {
        return Ok(());
    }
    match review.publicity_end {
        None => Err(SeatRefusal::NoPublicity),
        Some(end) if today <= end => Err(SeatRefusal::PublicityNotOver(end)),
        Some(_) => Ok(()),
    }
}

/// Gives the seat to the candidate of `review` in `unit` (the candidate's
/// unit document) on `today`: the post (and the person, if not in the
/// roster yet) to write, or why not. `ids` makes fresh record ids.
pub fn give_seat(
    review: &CandidateReview,
    how: HowObtained,
    unit: &UnitData,
    today: Date,
    mut ids: impl FnMut() -> Id,
) -> Result<Seat, SeatRefusal> {
    may_seat(review, today)?;
    if unit.unit_id != review.unit_id {
        return Err(SeatRefusal::WrongUnit);
    }
    let number = review.candidate_id_number.trim().to_uppercase();
    let existing = unit
        .people
        .values()
        .find(|p| p.id_number.trim().to_uppercase() == number);
    if let Some(p) = existing {
        let seated = unit
            .posts
            .values()
            .any(|s| s.person_id == p.id && s.title == review.seat && s.end.is_none());
        if seated {
            return Err(SeatRefusal::AlreadySeated);
        }
    }
    let new_person = match existing {
        Some(_) => None,
        None => {
            let info = parse_id_number(&number, "candidate_id_number")?;
            Some(Person {
                id_number: number.clone(),
                ..Person::new(
                    ids(),
                    review.candidate_name.trim().to_owned(),
                    info.sex,
                    info.birth_date,
                    unit.unit_id.clone(),
                    PersonCategory::TwoCommitteeMember,
                )
            })
        }
    };
    let person_id = existing
        .map(|p| p.id.clone())
        .or_else(|| new_person.as_ref().map(|p| p.id.clone()))
        .expect("a person");
    Ok(Seat {
        new_person,
        post: Post {
            id: ids(),
            person_id,
            title: review.seat,
            start: today,
            end: None,
            how_obtained: how,
            concurrent_director: false,
        },
    })
}

/// How a seat from a batch of `kind` is obtained.
pub fn how_obtained(kind: BatchKind) -> HowObtained {
    match kind {
        BatchKind::Election => HowObtained::Election,
        BatchKind::ByElection => HowObtained::ByElection,
    }
}

// ---------------------------------------------------------------- filing

/// Whether a unit's current secretary is filed at district level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FilingStatus {
    /// A filing names the current secretary.
    Filed,
    /// Filed, but the secretary changed since: the unit's filings name
    /// someone else.
    SecretaryChanged,
    /// No filing for the unit at all.
    NotFiled,
    /// The unit has no current secretary (nothing to file).
    NoSecretary,
}

/// One unit's line of the filing screen.
#[derive(Debug, Clone, PartialEq)]
pub struct FilingRow {
    pub unit: Id,
    /// The current secretary and their open post.
    pub secretary: Option<(Person, Post)>,
    pub status: FilingStatus,
    /// The filing of the current secretary, or (secretary changed) the
    /// latest filing of the unit.
    pub filing: Option<Filing>,
}

impl FilingRow {
    /// Whether the current secretary still has to be filed.
    pub fn needs_filing(&self) -> bool {
        matches!(
            self.status,
            FilingStatus::NotFiled | FilingStatus::SecretaryChanged
        )
    }
}

/// The unit's current secretary: an active person holding an open
/// `Secretary` post (the earliest such post when there are several).
pub fn current_secretary(unit: &UnitData) -> Option<(&Person, &Post)> {
    let mut posts: Vec<&Post> = unit
        .posts
        .values()
        .filter(|p| p.title == PostTitle::Secretary && p.end.is_none())
        .collect();
    sorting::sort_by(&mut posts, |a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    posts.into_iter().find_map(|post| {
        unit.people
            .get(&post.person_id)
            .filter(|p| p.status == PersonStatus::Active)
            .map(|p| (p, post))
    })
}

/// The filing line of one unit.
pub fn filing_row(district: &DistrictData, unit: &UnitData) -> FilingRow {
    let mut of_unit: Vec<&Filing> = district
        .filings
        .values()
        .filter(|f| f.person.unit == unit.unit_id)
        .collect();
    sorting::sort_by(&mut of_unit, |a, b| (b.filed, &b.id).cmp(&(a.filed, &a.id)));
    let secretary = current_secretary(unit);
    let (status, filing) = match secretary {
        None => (FilingStatus::NoSecretary, of_unit.first()),
        Some((p, _)) => match of_unit.iter().find(|f| f.person.person == p.id) {
            Some(f) => (FilingStatus::Filed, Some(f)),
            None if of_unit.is_empty() => (FilingStatus::NotFiled, None),
            None => (FilingStatus::SecretaryChanged, of_unit.first()),
        },
    };
    FilingRow {
        unit: unit.unit_id.clone(),
        secretary: secretary.map(|(p, s)| (p.clone(), s.clone())),
        status,
        filing: filing.map(|f| (*f).clone()),
    }
}

/// The filing lines of the given unit documents, in the directory's order
/// of the units (units missing from the directory last).
pub fn filing_rows<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
) -> Vec<FilingRow> {
    let order: BTreeMap<&Id, &str> =
        crate::sorting::btree_map(district.units.values().map(|u| (&u.id, u.name.as_str())));
    let mut rows: Vec<FilingRow> = units.into_iter().map(|u| filing_row(district, u)).collect();
    sorting::sort_by(&mut rows, |a, b| {
        let ka = (!order.contains_key(&a.unit), order.get(&a.unit), &a.unit);
        let kb = (!order.contains_key(&b.unit), order.get(&b.unit), &b.unit);
        ka.cmp(&kb)
    });
    rows
}

/// Why a filing is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FilingRefusal {
    #[error("the unit has no current secretary")]
    NoSecretary,
    #[error("the secretary is already filed")]
    AlreadyFiled,
}

/// Files the current secretary of `row` on `today` (record id `id`).
pub fn file_secretary(row: &FilingRow, id: Id, today: Date) -> Result<Filing, FilingRefusal> {
    let Some((person, post)) = &row.secretary else {
        return Err(FilingRefusal::NoSecretary);
    };
    if row.status == FilingStatus::Filed {
        return Err(FilingRefusal::AlreadyFiled);
    }
    Ok(Filing {
        id,
        person: PersonRef {
            unit: row.unit.clone(),
            person: person.id.clone(),
        },
        post_id: post.id.clone(),
        filed: today,
        note: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::validate::{id_check_char, make_id_number};

    fn id(n: u8) -> Id {
        Id::from_random_bytes([n; 16])
    }

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn nomination(number: &str) -> Nomination {
        Nomination {
            id: id(1),
            batch_id: id(2),
            candidate_name: "测试候选".into(),
            candidate_id_number: number.into(),
            seat: PostTitle::CommitteeMember,
            submitted: d(2024, 8, 1),
            note: String::new(),
        }
    }

    fn good_number() -> String {
        make_id_number("990101", d(1990, 5, 6), 11)
    }

    fn review() -> CandidateReview {
        accept(&nomination(&good_number()), &id(3))
    }

    fn pass_all(mut r: CandidateReview, except: Option<Department>) -> CandidateReview {
        for &dep in Department::ALL {
            if Some(dep) != except {
                r = sign_off(
                    &r,
                    dep,
                    SignOffResult::Pass,
                    "审核员",
                    Some(d(2024, 8, 2)),
                    "",
                )
                .unwrap();
            }
        }
        r
    }

    #[test]
    fn a_nomination_needs_a_valid_id_number() {
        let good = good_number();
        assert!(nomination(&good).validate().is_ok());
        let body = &good[..17];
        let right = id_check_char(body).unwrap();
        let wrong = if right == '0' { '1' } else { '0' };
        let e = nomination(&format!("{body}{wrong}"))
            .validate()
            .unwrap_err();
        assert_eq!(
            e,
            ValidationError::IdNumberCheckDigit {
                field: "candidate_id_number"
            }
        );
        assert_eq!(
            nomination("12345").validate().unwrap_err().message_key(),
            "validation.id_number.length"
        );
        let mut n = nomination(&good);
        n.candidate_name = "  ".into();
        assert_eq!(n.validate().unwrap_err().field(), Some("candidate_name"));
    }

    #[test]
    fn accepting_makes_a_review_with_every_department_pending() {
        let r = review();
        assert_eq!(r.id, id(1));
        assert!(r.validate().is_ok());
        assert_eq!(pending(&r), Department::ALL.len());
        assert_eq!(status(&r, d(2024, 8, 2)), CandidateStatus::Submitted);
    }

    #[test]
    fn a_failed_sign_off_needs_a_reason_reviewer_and_date() {
        let r = review();
        let e = sign_off(
            &r,
            Department::Police,
            SignOffResult::Fail,
            "审核员",
            Some(d(2024, 8, 2)),
            " ",
        )
        .unwrap_err();
        assert_eq!(
            e,
            ReviewRefusal::Invalid(ValidationError::ReasonRequired {
                field: "signoffs.reason"
            })
        );
        let e = sign_off(
            &r,
            Department::Police,
            SignOffResult::Pass,
            "",
            Some(d(2024, 8, 2)),
            "",
        )
        .unwrap_err();
        assert_eq!(
            e,
            ReviewRefusal::Invalid(ValidationError::Required {
                field: "signoffs.reviewer"
            })
        );
        assert!(sign_off(&r, Department::Police, SignOffResult::Pass, "甲", None, "").is_err());
        let ok = sign_off(
            &r,
            Department::Police,
            SignOffResult::Fail,
            "审核员",
            Some(d(2024, 8, 2)),
            "有违法记录",
        )
        .unwrap();
        assert_eq!(verdict(&ok, Department::Police), SignOffResult::Fail);
        assert_eq!(ok.stage, ReviewStage::DepartmentReview);
        assert_eq!(ok.signoffs.len(), Department::ALL.len());
        assert_eq!(status(&ok, d(2024, 8, 2)), CandidateStatus::Blocked);
    }

    #[test]
    fn a_failed_candidate_cannot_be_given_the_seat() {
        let r = pass_all(review(), Some(Department::Court));
        let r = sign_off(
            &r,
            Department::Court,
            SignOffResult::Fail,
            "审核员",
            Some(d(2024, 8, 2)),
            "判决未执行",
        )
        .unwrap();
        let unit = UnitData::new(id(3));
        let e = give_seat(&r, HowObtained::ByElection, &unit, d(2025, 1, 1), || id(9)).unwrap_err();
        assert_eq!(
            e,
            SeatRefusal::Blocked {
                department: Some(Department::Court),
                reason: "判决未执行".into()
            }
        );
        // Publicity is refused too; concluding gives "blocked".
        assert_eq!(
            start_publicity(&r, d(2024, 8, 3)),
            Err(ReviewRefusal::Blocked)
        );
        let c = conclude(&r, d(2024, 8, 3)).unwrap();
        assert_eq!(c.final_result, Some(ReviewResult::Blocked));
        assert!(matches!(
            give_seat(&c, HowObtained::ByElection, &unit, d(2025, 1, 1), || id(9)),
            Err(SeatRefusal::Blocked { .. })
        ));
    }

    #[test]
    fn the_seat_waits_for_every_department_and_the_publicity() {
        let unit = UnitData::new(id(3));
        let today = d(2024, 8, 10);
        let r = pass_all(review(), Some(Department::Health));
        assert_eq!(
            give_seat(&r, HowObtained::Election, &unit, today, || id(9)),
            Err(SeatRefusal::NotReviewed(1))
        );
        assert_eq!(status(&r, today), CandidateStatus::InReview);
        let r = pass_all(r, None);
        assert_eq!(status(&r, today), CandidateStatus::Passed);
        assert_eq!(
            give_seat(&r, HowObtained::Election, &unit, today, || id(9)),
            Err(SeatRefusal::NoPublicity)
        );
        let r = start_publicity(&r, today).unwrap();
        let end = today.add_days(PUBLICITY_DAYS - 1);
        assert_eq!(r.publicity_end, Some(end));
        assert_eq!(publicity_days_left(&r, today), Some(PUBLICITY_DAYS - 1));
        assert_eq!(publicity_days_left(&r, end), Some(0));
        assert_eq!(publicity_days_left(&r, end.add_days(1)), None);
        assert_eq!(status(&r, today), CandidateStatus::InPublicity);
        assert_eq!(
            give_seat(&r, HowObtained::Election, &unit, end, || id(9)),
            Err(SeatRefusal::PublicityNotOver(end))
        );
        assert_eq!(conclude(&r, end), Err(ReviewRefusal::PublicityNotOver(end)));
        let after = end.add_days(1);
        assert_eq!(status(&r, after), CandidateStatus::PublicityOver);
        let c = conclude(&r, after).unwrap();
        assert_eq!(status(&c, after), CandidateStatus::Approved);
        let mut n = 10;
        let seat = give_seat(&c, HowObtained::ByElection, &unit, after, || {
            n += 1;
            id(n)
        })
        .unwrap();
        let p = seat.new_person.clone().unwrap();
        assert!(p.validate().is_ok());
        assert_eq!(p.birth_date, d(1990, 5, 6));
        assert_eq!(seat.post.person_id, p.id);
        assert_eq!(seat.post.title, PostTitle::CommitteeMember);
        assert_eq!(seat.post.how_obtained, HowObtained::ByElection);
        assert!(seat.post.validate().is_ok());
        // Seated once: a second time is refused; another unit is refused.
        let mut seated = unit.clone();
        seated.people.insert(p.id.clone(), p);
        seated.posts.insert(seat.post.id.clone(), seat.post);
        assert_eq!(
            give_seat(&c, HowObtained::ByElection, &seated, after, || id(30)),
            Err(SeatRefusal::AlreadySeated)
        );
        assert_eq!(
            give_seat(
                &c,
                HowObtained::ByElection,
                &UnitData::new(id(4)),
                after,
                || id(30)
            ),
            Err(SeatRefusal::WrongUnit)
        );
        // Concluded reviews take no more sign-offs.
        assert_eq!(
            sign_off(
                &c,
                Department::Police,
                SignOffResult::Pass,
                "甲",
                Some(after),
                ""
            ),
            Err(ReviewRefusal::Concluded)
        );
    }

    #[test]
    fn demo_counts_of_2024() {
        let demo = demo::generate(7);
        let dd = &demo.district;
        let today = demo::today();
        let mut total = BatchCounts::default();
        for b in dd.batches.values().filter(|b| b.year == 2024) {
            let c = batch_counts(dd, &b.id, today);
            total.submitted += c.submitted;
            total.blocked += c.blocked;
            total.passed += c.passed;
            total.concluded += c.concluded;
            total.in_review += c.in_review;
            total.in_publicity += c.in_publicity;
        }
        assert_eq!(total.submitted, 40);
        assert_eq!(total.blocked, 2);
        assert_eq!(total.passed, 38);
        assert_eq!(total.concluded, 40);
        assert_eq!(total.in_review + total.in_publicity, 0);
    }

    #[test]
    fn open_nominations_are_those_not_accepted() {
        let mut dd = DistrictData::new("区");
        let mut u = UnitData::new(id(3));
        let a = nomination(&good_number());
        let mut b = a.clone();
        b.id = id(5);
        u.nominations.insert(a.id.clone(), a.clone());
        u.nominations.insert(b.id.clone(), b.clone());
        assert_eq!(open_nominations(&dd, [&u]).len(), 2);
        let r = accept(&a, &u.unit_id);
        dd.reviews.insert(r.id.clone(), r);
        let open = open_nominations(&dd, [&u]);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].1.id, b.id);
        assert_eq!(open[0].0, &u.unit_id);
    }

    #[test]
    fn filing_status_follows_the_current_secretary() {
        let demo = demo::generate(7);
        let dd = &demo.district;
        let rows = filing_rows(dd, &demo.units);
        let count = |s| rows.iter().filter(|r| r.status == s).count();
        assert_eq!(count(FilingStatus::NotFiled), demo::NOT_FILED_UNITS.len());
        assert_eq!(
            count(FilingStatus::SecretaryChanged),
            demo::SECRETARY_CHANGED_UNITS.len()
        );
        assert_eq!(count(FilingStatus::NoSecretary), 0);
        assert_eq!(
            count(FilingStatus::Filed),
            demo.units.len() - demo::NOT_FILED_UNITS.len() - demo::SECRETARY_CHANGED_UNITS.len()
        );
        // The changed unit's row shows the former secretary's filing.
        let changed = &demo.units[demo::SECRETARY_CHANGED_UNITS[0]];
        let row = filing_row(dd, changed);
        let former = &row.filing.as_ref().unwrap().person.person;
        assert_eq!(changed.people[former].status, PersonStatus::Left);
        assert_ne!(Some(former), row.secretary.as_ref().map(|(p, _)| &p.id));

        // Filing the current secretary makes the row "filed".
        let f = file_secretary(&row, id(77), demo::today()).unwrap();
        assert!(f.validate().is_ok());
        let mut dd2 = dd.clone();
        dd2.filings.insert(f.id.clone(), f);
        let after = filing_row(&dd2, changed);
        assert_eq!(after.status, FilingStatus::Filed);
        assert!(!after.needs_filing());
        assert_eq!(
            file_secretary(&after, id(78), demo::today()),
            Err(FilingRefusal::AlreadyFiled)
        );
        // A unit without a secretary has nothing to file.
        let empty = filing_row(dd, &UnitData::new(id(3)));
        assert_eq!(empty.status, FilingStatus::NoSecretary);
        assert_eq!(
            file_secretary(&empty, id(79), demo::today()),
            Err(FilingRefusal::NoSecretary)
        );
    }
}
