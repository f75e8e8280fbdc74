//! The words for the review and filing screens' values: departments,
//! verdicts, candidate statuses, batch kinds, filing statuses and every
//! refusal of the model's rules.

use yanzhen_model::entities::{BatchKind, Department, SignOffResult};
use yanzhen_model::review::{
    CandidateStatus, FilingRefusal, FilingStatus, ReviewRefusal, SeatRefusal,
};

use crate::i18n::labels as roster_labels;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::trail::changes::{FieldNames, Shown};
use yanzhen_model::entities::{PostTitle, ReviewResult, ReviewStage};

/// The label of a candidate review's or a filing's field (history rows,
/// conflicts).
pub fn field(f: &str) -> Option<ReviewMsg> {
    Some(match f.split('.').next()? {
        "id" => ReviewMsg::FieldRecordId,
        "batch_id" => ReviewMsg::ColBatch,
        "unit_id" => ReviewMsg::ColUnit,
        "candidate_name" => ReviewMsg::ColName,
        "candidate_id_number" => ReviewMsg::ColIdNumber,
        "seat" => ReviewMsg::ColSeat,
        "stage" => ReviewMsg::FieldStage,
        "signoffs" => ReviewMsg::BoardTitle,
        "publicity_start" => ReviewMsg::FieldPublicityStart,
        "publicity_end" => ReviewMsg::FieldPublicityEnd,
        "final_result" => ReviewMsg::FieldFinalResult,
        "person" => ReviewMsg::ColFiledPerson,
        "post_id" => ReviewMsg::FieldPostId,
        "filed" => ReviewMsg::ColFiledDate,
        "note" => ReviewMsg::FieldNote,
        _ => return None,
    })
}

/// The words of a stored value of field `f` (enum values), if any.
pub fn field_value(f: &str, raw: &str) -> Option<Shown> {
    match f {
        "seat" => PostTitle::ALL
            .iter()
            .find(|t| format!("{t:?}") == raw)
            .map(|t| Shown::Msg(roster_labels::post_title(*t))),
        "stage" => ReviewStage::ALL
            .iter()
            .find(|s| format!("{s:?}") == raw)
            .map(|s| {
                Shown::of(match s {
                    ReviewStage::Submitted => ReviewMsg::StatusSubmitted,
                    ReviewStage::DepartmentReview => ReviewMsg::StatusInReview,
                    ReviewStage::Publicity => ReviewMsg::StatusInPublicity,
                    ReviewStage::Concluded => ReviewMsg::CountConcluded,
                })
            }),
        "final_result" => ReviewResult::ALL
            .iter()
            .find(|r| format!("{r:?}") == raw)
            .map(|r| {
                Shown::of(match r {
                    ReviewResult::Approved => ReviewMsg::StatusApproved,
                    ReviewResult::Blocked => ReviewMsg::StatusBlocked,
                })
            }),
        _ => None,
    }
}

/// How the record trail words a review's or a filing's fields.
pub const FIELD_NAMES: FieldNames = FieldNames {
    label: |f| field(f).map(Shown::of),
    value: field_value,
};

pub fn department(d: Department) -> ReviewMsg {
    match d {
        Department::Discipline => ReviewMsg::DeptDiscipline,
        Department::PoliticalLegal => ReviewMsg::DeptPoliticalLegal,
        Department::Police => ReviewMsg::DeptPolice,
        Department::Court => ReviewMsg::DeptCourt,
        Department::Procuratorate => ReviewMsg::DeptProcuratorate,
        Department::Justice => ReviewMsg::DeptJustice,
        Department::Petitions => ReviewMsg::DeptPetitions,
        Department::Health => ReviewMsg::DeptHealth,
        Department::CivilAffairs => ReviewMsg::DeptCivilAffairs,
    }
}

pub fn verdict(r: SignOffResult) -> ReviewMsg {
    match r {
        SignOffResult::Pending => ReviewMsg::VerdictPending,
        SignOffResult::Pass => ReviewMsg::VerdictPass,
        SignOffResult::Fail => ReviewMsg::VerdictFail,
    }
}

/// A one-character mark of a verdict for the compact board.
pub fn verdict_mark(r: SignOffResult) -> &'static str {
    match r {
        SignOffResult::Pending => "·",
        SignOffResult::Pass => "✓",
        SignOffResult::Fail => "✗",
    }
}

pub fn status(s: CandidateStatus) -> ReviewMsg {
    match s {
        CandidateStatus::Submitted => ReviewMsg::StatusSubmitted,
        CandidateStatus::InReview => ReviewMsg::StatusInReview,
        CandidateStatus::Blocked => ReviewMsg::StatusBlocked,
        CandidateStatus::Passed => ReviewMsg::StatusPassed,
        CandidateStatus::InPublicity => ReviewMsg::StatusInPublicity,
        CandidateStatus::PublicityOver => ReviewMsg::StatusPublicityOver,
        CandidateStatus::Approved => ReviewMsg::StatusApproved,
    }
}

/// The status as a stable name (for `data-status` and CSS).
pub fn status_key(s: CandidateStatus) -> &'static str {
    match s {
        CandidateStatus::Submitted => "submitted",
        CandidateStatus::InReview => "in-review",
        CandidateStatus::Blocked => "blocked",
        CandidateStatus::Passed => "passed",
        CandidateStatus::InPublicity => "in-publicity",
        CandidateStatus::PublicityOver => "publicity-over",
        CandidateStatus::Approved => "approved",
    }
}

pub fn batch_kind(k: BatchKind) -> ReviewMsg {
    match k {
        BatchKind::Election => ReviewMsg::KindElection,
        BatchKind::ByElection => ReviewMsg::KindByElection,
    }
}

pub fn filing_status(s: FilingStatus) -> ReviewMsg {
    match s {
        FilingStatus::Filed => ReviewMsg::FilingFiled,
        FilingStatus::SecretaryChanged => ReviewMsg::FilingChanged,
        FilingStatus::NotFiled => ReviewMsg::FilingNotFiled,
        FilingStatus::NoSecretary => ReviewMsg::FilingNoSecretary,
    }
}

/// The filing status as a stable name (for `data-status` and CSS).
pub fn filing_key(s: FilingStatus) -> &'static str {
    match s {
        FilingStatus::Filed => "filed",
        FilingStatus::SecretaryChanged => "changed",
        FilingStatus::NotFiled => "not-filed",
        FilingStatus::NoSecretary => "no-secretary",
    }
}

pub fn review_refusal(r: &ReviewRefusal) -> ReviewMsg {
    match r {
        ReviewRefusal::Invalid(_) => ReviewMsg::RefusedInvalid,
        ReviewRefusal::Concluded => ReviewMsg::RefusedConcluded,
        ReviewRefusal::Pending(_) => ReviewMsg::RefusedPending,
        ReviewRefusal::Blocked => ReviewMsg::RefusedBlocked,
        ReviewRefusal::PublicityStarted => ReviewMsg::RefusedPublicityStarted,
        ReviewRefusal::NoPublicity => ReviewMsg::RefusedNoPublicity,
        ReviewRefusal::PublicityNotOver(_) => ReviewMsg::RefusedPublicityNotOver,
    }
}

/// Why the seat is refused: the message and the details to show after it
/// (the failing department and its reason, or the publicity's last day).
pub fn seat_refusal(r: &SeatRefusal) -> (ReviewMsg, Option<ReviewMsg>, String) {
    match r {
        SeatRefusal::Blocked {
            department: d,
            reason,
        } => (
            ReviewMsg::SeatRefusedBlocked,
            d.map(department),
            reason.clone(),
        ),
        SeatRefusal::NotReviewed(n) => (ReviewMsg::SeatRefusedPending, None, n.to_string()),
        SeatRefusal::NoPublicity => (ReviewMsg::SeatRefusedNoPublicity, None, String::new()),
        SeatRefusal::PublicityNotOver(end) => {
            (ReviewMsg::SeatRefusedPublicity, None, end.to_string())
        }
        SeatRefusal::WrongUnit => (ReviewMsg::SeatRefusedWrongUnit, None, String::new()),
        SeatRefusal::AlreadySeated => (ReviewMsg::SeatRefusedAlreadySeated, None, String::new()),
        SeatRefusal::Invalid(_) => (ReviewMsg::RefusedInvalid, None, String::new()),
    }
}

pub fn filing_refusal(r: &FilingRefusal) -> ReviewMsg {
    match r {
        FilingRefusal::NoSecretary => ReviewMsg::FilingRefusedNoSecretary,
        FilingRefusal::AlreadyFiled => ReviewMsg::FilingRefusedAlreadyFiled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_department_and_status_has_its_own_words() {
        let mut zh: Vec<&str> = Department::ALL
            .iter()
            .map(|&d| department(d).text(Lang::ZhCn))
            .collect();
        zh.sort();
        zh.dedup();
        assert_eq!(zh.len(), Department::ALL.len());
        assert_eq!(
            department(Department::Discipline).text(Lang::ZhCn),
            "纪委监委"
        );
        let seat = seat_refusal(&SeatRefusal::Blocked {
            department: Some(Department::Police),
            reason: "有违法记录".into(),
        });
        assert_eq!(seat.1, Some(ReviewMsg::DeptPolice));
        assert_eq!(seat.2, "有违法记录");
        assert_eq!(field("signoffs.reason"), Some(ReviewMsg::BoardTitle));
        assert_eq!(field("unknown"), None);
        assert!(field_value("stage", "Publicity").is_some());
        assert!(field_value("seat", "Secretary").is_some());
    }
}
