//! Validation at the model's edge. Every write command validates the record
//! first; a [`ValidationError`] carries a stable message key (translated by
//! the UI into zh-CN / en) and the field it belongs to.
//!
//! Long file: every field check with its message key, which
//! `ALL_MESSAGE_KEYS` lists and the UI translates; kept in one place so no
//! key is missed.

use thiserror::Error;

use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;

/// Why a record was rejected. `field` names the struct field (dotted for
/// nested values, e.g. `signoffs.reason`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("{field} is too long")]
    TooLong { field: &'static str },
    #[error("{field} is not a valid record id")]
    BadId { field: &'static str },
    #[error("resident ID must have 18 characters")]
    IdNumberLength { field: &'static str },
    #[error("resident ID must be 17 digits followed by a digit or X")]
    IdNumberFormat { field: &'static str },
    #[error("resident ID check digit is wrong")]
    IdNumberCheckDigit { field: &'static str },
    #[error("resident ID contains an invalid birth date")]
    IdNumberBirthDate { field: &'static str },
    #[error("birth date does not match the resident ID")]
    BirthDateMismatch { field: &'static str },
    #[error("sex does not match the resident ID")]
    SexMismatch { field: &'static str },
    #[error("not a valid mobile number")]
    Mobile { field: &'static str },
    #[error("not a valid date")]
    Date { field: &'static str },
    #[error("{field} is before the start date")]
    DateRange { field: &'static str },
    #[error("{field} must not be negative")]
    NegativeAmount { field: &'static str },
    #[error("{field} is out of range")]
    OutOfRange { field: &'static str },
    #[error("{field} refers to a record that does not exist")]
    UnknownReference { field: &'static str },
    #[error("a department signs off at most once")]
    DuplicateDepartment { field: &'static str },
    #[error("a failed sign-off needs a reason")]
    ReasonRequired { field: &'static str },
    #[error("{field} is inconsistent with the stage")]
    StageInconsistent { field: &'static str },
}

/// Every message key a [`ValidationError`] (or [`crate::store::ModelError`])
/// can produce. The app tests that each has a zh-CN and an English text.
pub const ALL_MESSAGE_KEYS: &[&str] = &[
    "validation.required",
    "validation.text.too_long",
    "validation.id.invalid",
    "validation.id_number.length",
    "validation.id_number.format",
    "validation.id_number.check_digit",
    "validation.id_number.birth_date",
    "validation.id_number.birth_mismatch",
    "validation.id_number.sex_mismatch",
    "validation.mobile.format",
    "validation.date.invalid",
    "validation.date.range",
    "validation.amount.negative",
    "validation.number.out_of_range",
    "validation.reference.unknown",
    "validation.review.duplicate_department",
    "validation.review.reason_required",
    "validation.stage.inconsistent",
    "model.not_found",
    "model.schema.too_new",
    "model.schema.unsupported",
    "model.document.corrupt",
    "model.conflict.no_such_field",
];

impl ValidationError {
    /// The stable message key (see [`ALL_MESSAGE_KEYS`]).
    pub fn message_key(&self) -> &'static str {
        use ValidationError::*;
        match self {
            Required { .. } => "validation.required",
            TooLong { .. } => "validation.text.too_long",
            BadId { .. } => "validation.id.invalid",
            IdNumberLength { .. } => "validation.id_number.length",
            IdNumberFormat { .. } => "validation.id_number.format",
            IdNumberCheckDigit { .. } => "validation.id_number.check_digit",
            IdNumberBirthDate { .. } => "validation.id_number.birth_date",
            BirthDateMismatch { .. } => "validation.id_number.birth_mismatch",
            SexMismatch { .. } => "validation.id_number.sex_mismatch",
            Mobile { .. } => "validation.mobile.format",
            Date { .. } => "validation.date.invalid",
            DateRange { .. } => "validation.date.range",
            NegativeAmount { .. } => "validation.amount.negative",
            OutOfRange { .. } => "validation.number.out_of_range",
            UnknownReference { .. } => "validation.reference.unknown",
            DuplicateDepartment { .. } => "validation.review.duplicate_department",
            ReasonRequired { .. } => "validation.review.reason_required",
            StageInconsistent { .. } => "validation.stage.inconsistent",
        }
    }

    /// The field the message belongs next to.
    pub fn field(&self) -> Option<&'static str> {
        use ValidationError::*;
        match self {
            Required { field }
            | TooLong { field }
            | BadId { field }
            | IdNumberLength { field }
            | IdNumberFormat { field }
            | IdNumberCheckDigit { field }
            | IdNumberBirthDate { field }
            | BirthDateMismatch { field }
            | SexMismatch { field }
            | Mobile { field }
            | Date { field }
            | DateRange { field }
            | NegativeAmount { field }
            | OutOfRange { field }
            | UnknownReference { field }
            | DuplicateDepartment { field }
            | ReasonRequired { field }
            | StageInconsistent { field } => Some(field),
        }
    }
}

/// Result of a validation.
pub type VResult = Result<(), ValidationError>;

/// A record that can check itself before it is written.
pub trait Validate {
    /// Checks the record on its own (references to other records are checked
    /// by the store).
    fn validate(&self) -> VResult;
}

// ---------------------------------------------------------------- resident ID

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The ISO 7064 MOD 11-2 check character for the first 17 digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    Some(CHECK_CHARS[(sum % 11) as usize] as char)
}

/// What an 18-digit resident ID tells: birth date and sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdNumberInfo {
    pub birth_date: Date,
    pub sex: Sex,
}

/// Checks an 18-character resident ID (length, digits, check digit, birth
/// date) and returns the birth date and sex it encodes.
pub fn parse_id_number(id: &str, field: &'static str) -> Result<IdNumberInfo, ValidationError> {
    let id = id.trim();
    if id.chars().count() != 18 {
        return Err(ValidationError::IdNumberLength { field });
    }
    let (body, check) = id.split_at(17);
    if !body.bytes().all(|b| b.is_ascii_digit())
        || !matches!(check.as_bytes()[0], b'0'..=b'9' | b'X' | b'x')
    {
        return Err(ValidationError::IdNumberFormat { field });
    }
    let expected = id_check_char(body).ok_or(ValidationError::IdNumberFormat { field })?;
    if check.to_ascii_uppercase() != expected.to_string() {
        return Err(ValidationError::IdNumberCheckDigit { field });
    }
    let birth_date =
        Date::parse(&body[6..14]).ok_or(ValidationError::IdNumberBirthDate { field })?;
    let sex = if (body.as_bytes()[16] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    Ok(IdNumberInfo { birth_date, sex })
}

/// Builds a valid 18-digit ID from a 6-digit region, a birth date and a
/// 3-digit sequence (odd = male). Used by the demo generator and tests.
pub fn make_id_number(region: &str, birth: Date, seq: u16) -> String {
    let body = format!(
        "{region}{:04}{:02}{:02}{:03}",
        birth.year(),
        birth.month(),
        birth.day(),
        seq % 1000
    );
    let c = id_check_char(&body).expect("17 digits");
    format!("{body}{c}")
}

/// Masks a resident ID for display: `420102********123X`.
pub fn mask_id_number(id: &str) -> String {
    id.chars()
        .enumerate()
        .map(|(i, c)| if (6..14).contains(&i) { '*' } else { c })
        .collect()
}

/// Checks a mainland mobile number: 11 digits, `1[3-9]…`.
pub fn check_mobile(phone: &str, field: &'static str) -> VResult {
    let b = phone.as_bytes();
    if b.len() == 11
        && b.iter().all(|c| c.is_ascii_digit())
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
    {
        Ok(())
    } else {
        Err(ValidationError::Mobile { field })
    }
}

// ---------------------------------------------------------------- helpers

const MAX_TEXT: usize = 2000;

fn required(s: &str, field: &'static str) -> VResult {
    if s.trim().is_empty() {
        Err(ValidationError::Required { field })
    } else {
        text(s, field)
    }
}

fn text(s: &str, field: &'static str) -> VResult {
    if s.chars().count() > MAX_TEXT {
        Err(ValidationError::TooLong { field })
    } else {
        Ok(())
    }
}

fn id(i: &Id, field: &'static str) -> VResult {
    if i.is_valid() {
        Ok(())
    } else {
        Err(ValidationError::BadId { field })
    }
}

fn range(start: Date, end: Option<Date>, field: &'static str) -> VResult {
    match end {
        Some(e) if e < start => Err(ValidationError::DateRange { field }),
        _ => Ok(()),
    }
}

fn non_negative(v: i64, field: &'static str) -> VResult {
    if v < 0 {
        Err(ValidationError::NegativeAmount { field })
    } else {
        Ok(())
    }
}

fn year(y: u16, field: &'static str) -> VResult {
    if (1949..=2100).contains(&y) {
        Ok(())
    } else {
        Err(ValidationError::OutOfRange { field })
    }
}

fn optional_id_number(
    s: &str,
    field: &'static str,
) -> Result<Option<IdNumberInfo>, ValidationError> {
    if s.is_empty() {
        Ok(None)
    } else {
        parse_id_number(s, field).map(Some)
    }
}

fn optional_mobile(s: &str, field: &'static str) -> VResult {
    if s.is_empty() {
        Ok(())
    } else {
        check_mobile(s, field)
    }
}

// ---------------------------------------------------------------- records

impl Validate for Unit {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.name, "name")?;
        match (&self.parent, self.kind) {
            (None, UnitKind::District) => Ok(()),
            (None, _) => Err(ValidationError::Required { field: "parent" }),
            (Some(p), _) => id(p, "parent"),
        }
    }
}

impl Validate for Person {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.name, "name")?;
        text(&self.ethnicity, "ethnicity")?;
        text(&self.native_place, "native_place")?;
        text(&self.professional_title, "professional_title")?;
        if let Some(info) = optional_id_number(&self.id_number, "id_number")? {
            if info.birth_date != self.birth_date {
                return Err(ValidationError::BirthDateMismatch {
                    field: "birth_date",
                });
            }
            if info.sex != self.sex {
                return Err(ValidationError::SexMismatch { field: "sex" });
            }
        }
        optional_mobile(&self.phone, "phone")?;
        id(&self.residence_unit, "residence_unit")?;
        if let Some(d) = self.party_join_date
            && d < self.birth_date
        {
            return Err(ValidationError::DateRange {
                field: "party_join_date",
            });
        }
        if let Some(d) = self.work_start_date
            && d < self.birth_date
        {
            return Err(ValidationError::DateRange {
                field: "work_start_date",
            });
        }
        for r in &self.resume {
            range(r.from, r.to, "resume.to")?;
            text(&r.text, "resume.text")?;
        }
        for r in &self.rewards {
            required(&r.text, "rewards.text")?;
        }
        Ok(())
    }
}

impl Validate for Post {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person_id, "person_id")?;
        range(self.start, self.end, "end")?;
        if self.concurrent_director && self.title != PostTitle::Secretary {
            return Err(ValidationError::StageInconsistent {
                field: "concurrent_director",
            });
        }
        Ok(())
    }
}

impl Validate for ReviewBatch {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.name, "name")?;
        year(self.year, "year")
    }
}

impl Validate for CandidateReview {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.batch_id, "batch_id")?;
        id(&self.unit_id, "unit_id")?;
        required(&self.candidate_name, "candidate_name")?;
        parse_id_number(&self.candidate_id_number, "candidate_id_number")?;
        let mut seen = Vec::new();
        for s in &self.signoffs {
            if seen.contains(&s.department) {
                return Err(ValidationError::DuplicateDepartment { field: "signoffs" });
            }
            seen.push(s.department);
            if s.result != SignOffResult::Pending {
                required(&s.reviewer, "signoffs.reviewer")?;
                if s.date.is_none() {
                    return Err(ValidationError::Required {
                        field: "signoffs.date",
                    });
                }
            }
            if s.result == SignOffResult::Fail && s.reason.trim().is_empty() {
                return Err(ValidationError::ReasonRequired {
                    field: "signoffs.reason",
                });
            }
        }
        if let Some(start) = self.publicity_start {
            range(start, self.publicity_end, "publicity_end")?;
        }
        let pending = self
            .signoffs
            .iter()
            .any(|s| s.result == SignOffResult::Pending);
        let failed = self
            .signoffs
            .iter()
            .any(|s| s.result == SignOffResult::Fail);
        match self.final_result {
            Some(_) if pending => Err(ValidationError::StageInconsistent {
                field: "final_result",
            }),
            Some(ReviewResult::Approved) if failed => Err(ValidationError::StageInconsistent {
                field: "final_result",
            }),
            Some(_) if self.stage != ReviewStage::Concluded => {
                Err(ValidationError::StageInconsistent { field: "stage" })
            }
            None if self.stage == ReviewStage::Concluded => Err(ValidationError::Required {
                field: "final_result",
            }),
            _ => Ok(()),
        }
    }
}

impl Validate for Filing {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person.unit, "person.unit")?;
        id(&self.person.person, "person.person")?;
        id(&self.post_id, "post_id")?;
        text(&self.note, "note")
    }
}

impl Validate for Assessment {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person.person, "person.person")?;
        year(self.year, "year")?;
        required(&self.group, "group")?;
        if !(0.0..=100.0).contains(&self.score) {
            return Err(ValidationError::OutOfRange { field: "score" });
        }
        if self.rank == 0 {
            return Err(ValidationError::OutOfRange { field: "rank" });
        }
        if self.votes_for > self.votes_total {
            return Err(ValidationError::OutOfRange { field: "votes_for" });
        }
        if let Some(a) = &self.adjustment {
            required(&a.by, "adjustment.by")?;
            required(&a.reason, "adjustment.reason")?;
        }
        Ok(())
    }
}

impl Validate for TermCommitment {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person_id, "person_id")?;
        year(self.term_start_year, "term_start_year")?;
        required(&self.text, "text")?;
        if self.progress_pct > 100 {
            return Err(ValidationError::OutOfRange {
                field: "progress_pct",
            });
        }
        Ok(())
    }
}

impl Validate for DutyReport {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person_id, "person_id")?;
        year(self.year, "year")?;
        if let Some(total) = self.votes_total {
            let cast = [
                self.votes_excellent,
                self.votes_competent,
                self.votes_basic,
                self.votes_incompetent,
            ]
            .iter()
            .map(|v| u64::from(*v))
            .sum::<u64>();
            if cast > u64::from(total) {
                return Err(ValidationError::OutOfRange {
                    field: "votes_total",
                });
            }
        }
        text(&self.summary, "summary")
    }
}

impl Validate for CollectiveIncome {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        year(self.year, "year")?;
        non_negative(self.income_yuan, "income_yuan")
    }
}

impl Validate for RewardPolicy {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        year(self.year, "year")?;
        non_negative(self.base_threshold_yuan, "base_threshold_yuan")?;
        non_negative(self.base_reward_yuan, "base_reward_yuan")?;
        non_negative(self.increment_cap_yuan, "increment_cap_yuan")?;
        non_negative(self.top_bonus_yuan, "top_bonus_yuan")?;
        if self.increment_permille > 1000 {
            return Err(ValidationError::OutOfRange {
                field: "increment_permille",
            });
        }
        Ok(())
    }
}

impl Validate for PayRecord {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person_id, "person_id")?;
        year(self.year, "year")?;
        non_negative(self.annual_pay_yuan, "annual_pay_yuan")
    }
}

impl Validate for TrainingSession {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.title, "title")?;
        text(&self.location, "location")?;
        if self.hours == 0 || self.hours > 200 {
            return Err(ValidationError::OutOfRange { field: "hours" });
        }
        Ok(())
    }
}

impl Validate for Attendance {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.session_id, "session_id")?;
        id(&self.person_id, "person_id")?;
        if self.hours > 200 {
            return Err(ValidationError::OutOfRange { field: "hours" });
        }
        Ok(())
    }
}

impl Validate for Certificate {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person_id, "person_id")?;
        required(&self.number, "number")
    }
}

impl Validate for MasterStudio {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.name, "name")?;
        required(&self.leader_name, "leader_name")?;
        id(&self.unit_id, "unit_id")
    }
}

impl Validate for Mentorship {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.studio_id, "studio_id")?;
        id(&self.mentee.person, "mentee.person")?;
        range(self.start, self.end, "end")?;
        // A placement that is over (completed or discontinued) has an end date.
        if matches!(
            self.outcome,
            Some(MentorshipOutcome::Completed | MentorshipOutcome::Discontinued)
        ) && self.end.is_none()
        {
            return Err(ValidationError::Required { field: "end" });
        }
        text(&self.note, "note")
    }
}

impl Validate for Appointment {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.name, "name")?;
        text(&self.origin, "origin")?;
        optional_mobile(&self.phone, "phone")?;
        text(&self.certificate_no, "certificate_no")
    }
}

impl Validate for ContactLog {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.appointment_id, "appointment_id")?;
        text(&self.note, "note")
    }
}

impl Validate for InvestmentLead {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.advisor_id, "advisor_id")?;
        required(&self.title, "title")?;
        non_negative(self.funds_yuan, "funds_yuan")?;
        if let Some(v) = self.visit_date {
            range(self.lead_date, Some(v), "visit_date")?;
        }
        if let (Some(v), Some(p)) = (self.visit_date.or(Some(self.lead_date)), self.project_date) {
            range(v, Some(p), "project_date")?;
        }
        if self.stage >= LeadStage::Visited && self.visit_date.is_none() {
            return Err(ValidationError::Required {
                field: "visit_date",
            });
        }
        if self.stage >= LeadStage::Project && self.project_date.is_none() {
            return Err(ValidationError::Required {
                field: "project_date",
            });
        }
        if self.funds_yuan > 0 && self.stage != LeadStage::FundsArrived {
            return Err(ValidationError::StageInconsistent {
                field: "funds_yuan",
            });
        }
        Ok(())
    }
}

impl Validate for TalentExchange {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.name, "name")?;
        if let Some(u) = &self.unit_id {
            id(u, "unit_id")?;
        }
        match (&self.kind, &self.pair_id) {
            (ExchangeKind::Teacher, None) => Err(ValidationError::Required { field: "pair_id" }),
            (_, Some(p)) => id(p, "pair_id"),
            _ => Ok(()),
        }
    }
}

impl Validate for ReserveCadre {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.name, "name")?;
        if let Some(info) = optional_id_number(&self.id_number, "id_number")? {
            if info.birth_date != self.birth_date {
                return Err(ValidationError::BirthDateMismatch {
                    field: "birth_date",
                });
            }
            if info.sex != self.sex {
                return Err(ValidationError::SexMismatch { field: "sex" });
            }
        }
        for n in &self.log {
            required(&n.note, "log.note")?;
        }
        if self.outcome != ReserveOutcome::InTraining && self.outcome_date.is_none() {
            return Err(ValidationError::Required {
                field: "outcome_date",
            });
        }
        range(self.selected, self.outcome_date, "outcome_date")
    }
}

impl Validate for PoolCandidate {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        required(&self.name, "name")?;
        optional_id_number(&self.id_number, "id_number")?;
        if self.status == PoolStatus::Recruited {
            match &self.recruited_unit {
                None => {
                    return Err(ValidationError::Required {
                        field: "recruited_unit",
                    });
                }
                Some(u) => id(u, "recruited_unit")?,
            }
            if self.recruited_date.is_none() {
                return Err(ValidationError::Required {
                    field: "recruited_date",
                });
            }
        }
        range(self.registered, self.recruited_date, "recruited_date")
    }
}

impl Validate for HomecomingCase {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person.person, "person.person")?;
        id(&self.residence_unit, "residence_unit")?;
        id(&self.work_unit, "work_unit")?;
        if self.status == HomecomingStatus::Moved && self.moved_date.is_none() {
            return Err(ValidationError::Required {
                field: "moved_date",
            });
        }
        range(self.identified, self.moved_date, "moved_date")
    }
}

impl Validate for CareerMove {
    fn validate(&self) -> VResult {
        id(&self.id, "id")?;
        id(&self.person_id, "person_id")?;
        required(&self.post_name, "post_name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_check_digit() {
        // A synthetic number (region 99 exists nowhere) whose check character is X.
        assert_eq!(id_check_char("99010519491231004"), Some('X'));
        let info = parse_id_number("99010519491231004X", "id_number").unwrap();
        assert_eq!(info.birth_date, Date::new(1949, 12, 31).unwrap());
        assert_eq!(info.sex, Sex::Female);
        assert_eq!(
            parse_id_number("990105194912310041", "id_number"),
            Err(ValidationError::IdNumberCheckDigit { field: "id_number" })
        );
        assert_eq!(
            parse_id_number("9901051949123100", "id_number"),
            Err(ValidationError::IdNumberLength { field: "id_number" })
        );
        assert_eq!(
            parse_id_number("99010519491231A04X", "id_number"),
            Err(ValidationError::IdNumberFormat { field: "id_number" })
        );
        let bad_date = make_id_number("990101", Date::new(1990, 1, 1).unwrap(), 1)
            .replacen("19900101", "19901301", 1);
        let fixed = format!(
            "{}{}",
            &bad_date[..17],
            id_check_char(&bad_date[..17]).unwrap()
        );
        assert_eq!(
            parse_id_number(&fixed, "x"),
            Err(ValidationError::IdNumberBirthDate { field: "x" })
        );
        let made = make_id_number("990101", Date::new(1985, 6, 15).unwrap(), 123);
        let info = parse_id_number(&made, "x").unwrap();
        assert_eq!(info.sex, Sex::Male);
        assert_eq!(info.birth_date, Date::new(1985, 6, 15).unwrap());
        assert_eq!(
            mask_id_number(&made),
            format!("990101********{}", &made[14..])
        );
        // Lower-case x is accepted.
        assert!(parse_id_number("99010519491231004x", "x").is_ok());
    }

    #[test]
    fn mobile() {
        assert!(check_mobile("13912345678", "phone").is_ok());
        assert!(check_mobile("12912345678", "phone").is_err());
        assert!(check_mobile("1391234567", "phone").is_err());
        assert!(check_mobile("1391234567a", "phone").is_err());
    }

    #[test]
    fn keys_are_listed_and_unique() {
        let all = [
            ValidationError::Required { field: "f" },
            ValidationError::TooLong { field: "f" },
            ValidationError::BadId { field: "f" },
            ValidationError::IdNumberLength { field: "f" },
            ValidationError::IdNumberFormat { field: "f" },
            ValidationError::IdNumberCheckDigit { field: "f" },
            ValidationError::IdNumberBirthDate { field: "f" },
            ValidationError::BirthDateMismatch { field: "f" },
            ValidationError::SexMismatch { field: "f" },
            ValidationError::Mobile { field: "f" },
            ValidationError::Date { field: "f" },
            ValidationError::DateRange { field: "f" },
            ValidationError::NegativeAmount { field: "f" },
            ValidationError::OutOfRange { field: "f" },
            ValidationError::UnknownReference { field: "f" },
            ValidationError::DuplicateDepartment { field: "f" },
            ValidationError::ReasonRequired { field: "f" },
            ValidationError::StageInconsistent { field: "f" },
        ];
        for e in &all {
            assert!(
                ALL_MESSAGE_KEYS.contains(&e.message_key()),
                "{}",
                e.message_key()
            );
            assert_eq!(e.field(), Some("f"));
        }
        let mut keys = ALL_MESSAGE_KEYS.to_vec();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), ALL_MESSAGE_KEYS.len());
    }
}
