//! The words for 雏雁 values (outcome, pool status, case status, career
//! kind) and for the fields of its records as history and conflicts name
//! them ([`NAMES`] for the record trail).

use yanzhen_model::entities::{CareerMoveKind, HomecomingStatus, PoolStatus, ReserveOutcome};

use crate::modules::young::messages::YoungMsg;
use crate::trail::changes::{FieldNames, Shown};

pub fn outcome(v: ReserveOutcome) -> YoungMsg {
    match v {
        ReserveOutcome::InTraining => YoungMsg::OutcomeInTraining,
        ReserveOutcome::EnteredCommittee => YoungMsg::OutcomeEntered,
        ReserveOutcome::Left => YoungMsg::OutcomeLeft,
    }
}

pub fn pool_status(v: PoolStatus) -> YoungMsg {
    match v {
        PoolStatus::Waiting => YoungMsg::PoolWaiting,
        PoolStatus::Recruited => YoungMsg::PoolRecruited,
        PoolStatus::Withdrawn => YoungMsg::PoolWithdrawn,
    }
}

pub fn case_status(v: HomecomingStatus) -> YoungMsg {
    match v {
        HomecomingStatus::Open => YoungMsg::StatusOpen,
        HomecomingStatus::Moved => YoungMsg::StatusMovedCase,
        HomecomingStatus::Declined => YoungMsg::StatusDeclined,
    }
}

pub fn career_kind(v: CareerMoveKind) -> YoungMsg {
    match v {
        CareerMoveKind::CareerPost => YoungMsg::KindCareerPost,
        CareerMoveKind::CivilService => YoungMsg::KindCivil,
    }
}

/// A field of a 雏雁 record (as the model names it) in words.
pub fn field(f: &str) -> Option<YoungMsg> {
    Some(match f {
        "name" => YoungMsg::FieldName,
        "sex" => YoungMsg::FieldSex,
        "birth_date" => YoungMsg::FieldBirth,
        "id_number" => YoungMsg::FieldIdNumber,
        "selected" => YoungMsg::FieldSelected,
        "mentor_person_id" => YoungMsg::FieldMentor,
        "log" => YoungMsg::TrailLog,
        "outcome" => YoungMsg::ColOutcome,
        "outcome_date" => YoungMsg::TrailOutcomeDate,
        "registered" => YoungMsg::FieldRegistered,
        "status" => YoungMsg::TrailStatus,
        "recruited_unit" => YoungMsg::RecruitUnit,
        "recruited_date" => YoungMsg::RecruitDate,
        "person" | "person_id" => YoungMsg::TrailPersonRef,
        "residence_unit" => YoungMsg::ColResidence,
        "work_unit" => YoungMsg::ColWork,
        "identified" => YoungMsg::TrailIdentified,
        "moved_date" => YoungMsg::TrailMovedDate,
        "kind" => YoungMsg::FieldKind,
        "date" => YoungMsg::FieldDate,
        "post_name" => YoungMsg::FieldPost,
        _ => return None,
    })
}

/// A stored enum value of a 雏雁 record in words.
pub fn value(f: &str, v: &str) -> Option<YoungMsg> {
    let find = |all: &[(&str, YoungMsg)]| all.iter().find(|(s, _)| *s == v).map(|(_, m)| *m);
    match f {
        "outcome" => find(&[
            ("InTraining", YoungMsg::OutcomeInTraining),
            ("EnteredCommittee", YoungMsg::OutcomeEntered),
            ("Left", YoungMsg::OutcomeLeft),
        ]),
        "status" => find(&[
            ("Waiting", YoungMsg::PoolWaiting),
            ("Recruited", YoungMsg::PoolRecruited),
            ("Withdrawn", YoungMsg::PoolWithdrawn),
            ("Open", YoungMsg::StatusOpen),
            ("Moved", YoungMsg::StatusMovedCase),
            ("Declined", YoungMsg::StatusDeclined),
        ]),
        "kind" => find(&[
            ("CareerPost", YoungMsg::KindCareerPost),
            ("CivilService", YoungMsg::KindCivil),
        ]),
        _ => None,
    }
}

/// How the record trail names 雏雁 fields and values.
pub const NAMES: FieldNames = FieldNames {
    label: |f| field(f).map(Shown::of),
    value: |f, v| value(f, v).map(Shown::of),
};

/// What a unit's list shows instead of its rows, if anything: no unit on
/// this tablet (`choices` empty), no unit picked yet, the unit still
/// loading, or `none` when it has no such records.
pub fn list_note(
    picked: bool,
    choices: bool,
    loaded: bool,
    empty: bool,
    none: YoungMsg,
) -> Option<YoungMsg> {
    if !picked {
        Some(if choices {
            YoungMsg::PickUnitFirst
        } else {
            YoungMsg::NoUnits
        })
    } else if !loaded {
        Some(YoungMsg::Loading)
    } else if empty {
        Some(none)
    } else {
        None
    }
}

/// What a district-wide list (the pool, the home-coming cases) shows
/// instead of its rows: the district still loading, or `none` when it has
/// no such records; see [`list_note`].
pub fn district_list_note(loaded: bool, empty: bool, none: YoungMsg) -> Option<YoungMsg> {
    list_note(true, true, loaded, empty, none)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn stored_values_and_fields_have_words() {
        for o in ReserveOutcome::ALL {
            let stored = serde_json::to_value(o).unwrap();
            assert_eq!(
                value("outcome", stored.as_str().unwrap()),
                Some(outcome(*o))
            );
        }
        for s in PoolStatus::ALL {
            let stored = serde_json::to_value(s).unwrap();
            assert_eq!(
                value("status", stored.as_str().unwrap()),
                Some(pool_status(*s))
            );
        }
        for s in HomecomingStatus::ALL {
            let stored = serde_json::to_value(s).unwrap();
            assert_eq!(
                value("status", stored.as_str().unwrap()),
                Some(case_status(*s))
            );
        }
        for k in CareerMoveKind::ALL {
            let stored = serde_json::to_value(k).unwrap();
            assert_eq!(
                value("kind", stored.as_str().unwrap()),
                Some(career_kind(*k))
            );
        }
        assert_eq!(
            (NAMES.label)("outcome_date").map(|s| s.text(Lang::ZhCn)),
            Some("去向日期".to_owned())
        );
        assert!(field("unknown").is_none());
    }

    #[test]
    fn a_list_says_why_it_has_no_rows() {
        let none = YoungMsg::ReserveNone;
        assert_eq!(
            list_note(false, false, false, true, none),
            Some(YoungMsg::NoUnits)
        );
        assert_eq!(
            list_note(false, true, false, true, none),
            Some(YoungMsg::PickUnitFirst)
        );
        assert_eq!(
            list_note(true, true, false, true, none),
            Some(YoungMsg::Loading)
        );
        assert_eq!(list_note(true, true, true, true, none), Some(none));
        assert_eq!(list_note(true, true, true, false, none), None);
        assert_eq!(
            district_list_note(false, true, none),
            Some(YoungMsg::Loading)
        );
        assert_eq!(district_list_note(true, true, none), Some(none));
        assert_eq!(district_list_note(true, false, none), None);
    }
}
