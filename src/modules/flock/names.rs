//! How the history and conflicts of 群雁 records word their fields and
//! stored values ([`FieldNames`] for the shared `RecordTrail`): a session's,
//! a certificate's and a placement's fields by their form labels, and their
//! kinds, sources, levels and outcomes by their words.

use yanzhen_model::entities::{
    CertificateLevel, MentorshipKind, MentorshipOutcome, TeacherSource, TrainingKind,
};

use crate::i18n::labels::stored_choice;
use crate::modules::flock::labels;
use crate::modules::flock::messages::FlockMsg;
use crate::trail::changes::{FieldNames, Shown};

/// The words of the choice of `all` whose stored (serde) name is `raw`.
fn find<T: Copy + serde::Serialize>(all: &[T], raw: &str, f: fn(T) -> FlockMsg) -> Option<Shown> {
    stored_choice(all, raw).map(|v| Shown::of(f(v)))
}

fn yes_no(raw: &str) -> Option<Shown> {
    match raw {
        "true" => Some(Shown::of(FlockMsg::Yes)),
        "false" => Some(Shown::of(FlockMsg::No)),
        _ => None,
    }
}

fn session_label(field: &str) -> Option<FlockMsg> {
    Some(match field {
        "id" => FlockMsg::RecordId,
        "title" => FlockMsg::SessionTitle,
        "kind" => FlockMsg::SessionKind,
        "date" => FlockMsg::SessionDate,
        "hours" => FlockMsg::SessionHours,
        "first_topic" => FlockMsg::SessionFirstTopic,
        "teacher_source" => FlockMsg::SessionTeacher,
        "exam_prep" => FlockMsg::SessionExamPrep,
        "location" => FlockMsg::SessionPlace,
        _ => return None,
    })
}

fn session_value(field: &str, raw: &str) -> Option<Shown> {
    match field {
        "kind" => find(TrainingKind::ALL, raw, labels::training_kind),
        "teacher_source" => find(TeacherSource::ALL, raw, labels::teacher_source),
        "first_topic" | "exam_prep" => yes_no(raw),
        _ => None,
    }
}

fn certificate_label(field: &str) -> Option<FlockMsg> {
    Some(match field {
        "id" => FlockMsg::RecordId,
        "person_id" => FlockMsg::CertFor,
        "level" => FlockMsg::CertLevel,
        "obtained" => FlockMsg::CertObtained,
        "number" => FlockMsg::CertNumber,
        _ => return None,
    })
}

fn certificate_value(field: &str, raw: &str) -> Option<Shown> {
    match field {
        "level" => find(CertificateLevel::ALL, raw, labels::certificate_level),
        _ => None,
    }
}

fn placement_label(field: &str) -> Option<FlockMsg> {
    Some(match field.split('.').next().unwrap_or(field) {
        "id" => FlockMsg::RecordId,
        "studio_id" => FlockMsg::PlacementStudio,
        "mentee" => FlockMsg::PlacementMentee,
        "kind" => FlockMsg::PlacementKind,
        "start" => FlockMsg::PlacementStart,
        "end" => FlockMsg::PlacementEnd,
        "outcome" => FlockMsg::PlacementOutcome,
        "note" => FlockMsg::PlacementNote,
        _ => return None,
    })
}

fn placement_value(field: &str, raw: &str) -> Option<Shown> {
    match field {
        "kind" => find(MentorshipKind::ALL, raw, labels::mentorship_kind),
        "outcome" => find(MentorshipOutcome::ALL, raw, |o| labels::outcome(Some(o))),
        _ => None,
    }
}

/// A training session's fields and values.
pub const SESSION: FieldNames = FieldNames {
    label: |f| session_label(f).map(Shown::of),
    value: session_value,
};

/// A certificate's fields and values.
pub const CERTIFICATE: FieldNames = FieldNames {
    label: |f| certificate_label(f).map(Shown::of),
    value: certificate_value,
};

/// A placement's fields and values.
pub const PLACEMENT: FieldNames = FieldNames {
    label: |f| placement_label(f).map(Shown::of),
    value: placement_value,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::trail::changes::record_facts;
    use yanzhen_model::demo;

    #[test]
    fn records_are_worded_with_the_forms_labels_and_choices() {
        let d = demo::generate(7);
        let s = d.district.sessions.values().next().unwrap();
        let facts = record_facts(s, SESSION);
        let kind = facts
            .iter()
            .find(|(l, _)| l.text(Lang::ZhCn) == FlockMsg::SessionKind.text(Lang::ZhCn))
            .expect("the kind, labelled");
        assert_eq!(
            kind.1.text(Lang::ZhCn),
            labels::training_kind(s.kind).text(Lang::ZhCn)
        );
        assert_eq!(
            (SESSION.value)("first_topic", "true").map(|v| v.text(Lang::ZhCn)),
            Some("是".to_owned())
        );
        let c = d
            .units
            .iter()
            .flat_map(|u| u.certificates.values())
            .next()
            .unwrap();
        let facts = record_facts(c, CERTIFICATE);
        assert!(facts.iter().any(|(l, v)| l.text(Lang::En) == "Level"
            && v.text(Lang::ZhCn) == labels::certificate_level(c.level).text(Lang::ZhCn)));
        assert_eq!(
            (PLACEMENT.value)("outcome", "Completed").map(|v| v.text(Lang::ZhCn)),
            Some("结业合格".to_owned())
        );
        assert_eq!(
            (PLACEMENT.label)("mentee.person").map(|v| v.text(Lang::ZhCn)),
            Some("学员".to_owned())
        );
    }
}
