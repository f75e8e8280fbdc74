//! The words for the model's 群雁 choices.

use yanzhen_model::entities::{
    CertificateLevel, MentorshipKind, MentorshipOutcome, TeacherSource, TrainingKind,
};
use yanzhen_model::flock::PlacementStatus;

use crate::modules::flock::messages::FlockMsg;

pub fn training_kind(k: TrainingKind) -> FlockMsg {
    match k {
        TrainingKind::PreJob => FlockMsg::KindPreJob,
        TrainingKind::OnDuty => FlockMsg::KindOnDuty,
        TrainingKind::Professional => FlockMsg::KindProfessional,
    }
}

pub fn teacher_source(s: TeacherSource) -> FlockMsg {
    match s {
        TeacherSource::PartySchool => FlockMsg::TeacherPartySchool,
        TeacherSource::AgricultureBureau => FlockMsg::TeacherAgriculture,
        TeacherSource::CivilAffairsBureau => FlockMsg::TeacherCivilAffairs,
        TeacherSource::FinanceBureau => FlockMsg::TeacherFinance,
        TeacherSource::University => FlockMsg::TeacherUniversity,
        TeacherSource::Other => FlockMsg::TeacherOther,
    }
}

pub fn certificate_level(l: CertificateLevel) -> FlockMsg {
    match l {
        CertificateLevel::Assistant => FlockMsg::LevelAssistant,
        CertificateLevel::Intermediate => FlockMsg::LevelIntermediate,
        CertificateLevel::Senior => FlockMsg::LevelSenior,
    }
}

pub fn mentorship_kind(k: MentorshipKind) -> FlockMsg {
    match k {
        MentorshipKind::Mentoring => FlockMsg::KindMentoring,
        MentorshipKind::Shadowing => FlockMsg::KindShadowing,
    }
}

pub fn outcome(o: Option<MentorshipOutcome>) -> FlockMsg {
    match o {
        None => FlockMsg::OutcomeNone,
        Some(MentorshipOutcome::Completed) => FlockMsg::OutcomeCompleted,
        Some(MentorshipOutcome::Extended) => FlockMsg::OutcomeExtended,
        Some(MentorshipOutcome::Discontinued) => FlockMsg::OutcomeDiscontinued,
    }
}

pub fn placement_status(s: PlacementStatus) -> FlockMsg {
    match s {
        PlacementStatus::Planned => FlockMsg::StatusPlanned,
        PlacementStatus::Ongoing => FlockMsg::StatusOngoing,
        PlacementStatus::Ended => FlockMsg::StatusEnded,
    }
}

/// The index of a choice in its `ALL` list (the `<option>` value).
pub fn index_of<T: PartialEq>(all: &[T], v: &T) -> String {
    all.iter()
        .position(|x| x == v)
        .map(|i| i.to_string())
        .unwrap_or_default()
}

/// The choice at an `<option>` value.
pub fn at<T: Copy>(all: &[T], value: &str) -> Option<T> {
    value
        .parse::<usize>()
        .ok()
        .and_then(|i| all.get(i).copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_choice_has_distinct_words_and_round_trips() {
        let kinds: Vec<_> = TrainingKind::ALL
            .iter()
            .map(|k| training_kind(*k))
            .collect();
        let sources: Vec<_> = TeacherSource::ALL
            .iter()
            .map(|s| teacher_source(*s))
            .collect();
        for list in [kinds, sources] {
            let mut zh: Vec<_> = list.iter().map(|m| m.text(Lang::ZhCn)).collect();
            zh.sort();
            zh.dedup();
            assert_eq!(zh.len(), list.len());
        }
        for (i, l) in CertificateLevel::ALL.iter().enumerate() {
            assert_eq!(index_of(CertificateLevel::ALL, l), i.to_string());
            assert_eq!(at(CertificateLevel::ALL, &i.to_string()), Some(*l));
        }
        assert_eq!(at(CertificateLevel::ALL, "9"), None);
        assert_eq!(outcome(None), FlockMsg::OutcomeNone);
    }
}
