//! The words for the roster's fields and values: every model field of a
//! person or post and every enum value has a [`Msg`]; history rows and
//! conflicts name fields by the model's (dotted) field names, translated
//! here.

use yanzhen_model::entities::{
    EducationLevel, HowObtained, PersonCategory, PersonStatus, PoliticalStatus, PostTitle, Sex,
};

use crate::i18n::Msg;

pub fn sex(v: Sex) -> Msg {
    match v {
        Sex::Male => Msg::SexMale,
        Sex::Female => Msg::SexFemale,
    }
}

pub fn political_status(v: PoliticalStatus) -> Msg {
    match v {
        PoliticalStatus::PartyMember => Msg::PolParty,
        PoliticalStatus::ProbationaryMember => Msg::PolProbationary,
        PoliticalStatus::LeagueMember => Msg::PolLeague,
        PoliticalStatus::NonParty => Msg::PolNonParty,
        PoliticalStatus::Masses => Msg::PolMasses,
    }
}

pub fn category(v: PersonCategory) -> Msg {
    match v {
        PersonCategory::TwoCommitteeMember => Msg::CatTwoCommittee,
        PersonCategory::CommunityWorker => Msg::CatCommunityWorker,
        PersonCategory::Other => Msg::CatOther,
    }
}

pub fn status(v: PersonStatus) -> Msg {
    match v {
        PersonStatus::Active => Msg::StatusActive,
        PersonStatus::Left => Msg::StatusLeft,
        PersonStatus::MovedOut => Msg::StatusMovedOut,
    }
}

pub fn education(v: EducationLevel) -> Msg {
    match v {
        EducationLevel::Primary => Msg::EduPrimary,
        EducationLevel::JuniorHigh => Msg::EduJuniorHigh,
        EducationLevel::SeniorHigh => Msg::EduSeniorHigh,
        EducationLevel::Vocational => Msg::EduVocational,
        EducationLevel::College => Msg::EduCollege,
        EducationLevel::Bachelor => Msg::EduBachelor,
        EducationLevel::Master => Msg::EduMaster,
        EducationLevel::Doctor => Msg::EduDoctor,
    }
}

pub fn post_title(v: PostTitle) -> Msg {
    match v {
        PostTitle::Secretary => Msg::PostSecretary,
        PostTitle::DeputySecretary => Msg::PostDeputySecretary,
        PostTitle::Director => Msg::PostDirector,
        PostTitle::DeputyDirector => Msg::PostDeputyDirector,
        PostTitle::CommitteeMember => Msg::PostCommitteeMember,
        PostTitle::Other => Msg::PostOther,
    }
}

pub fn how_obtained(v: HowObtained) -> Msg {
    match v {
        HowObtained::Election => Msg::HowElection,
        HowObtained::ByElection => Msg::HowByElection,
        HowObtained::Appointment => Msg::HowAppointment,
        HowObtained::Other => Msg::HowOther,
    }
}

/// The label of a person's field by its model name (the first segment of a
/// dotted name: `education_full_time.school` → 全日制学历).
pub fn person_field(field: &str) -> Option<Msg> {
    let top = field.split('.').next().unwrap_or(field);
    Some(match top {
        "name" => Msg::FieldName,
        "sex" => Msg::FieldSex,
        "ethnicity" => Msg::FieldEthnicity,
        "birth_date" => Msg::FieldBirthDate,
        "native_place" => Msg::FieldNativePlace,
        "id_number" => Msg::FieldIdNumber,
        "political_status" => Msg::FieldPolitical,
        "party_join_date" => Msg::FieldPartyJoin,
        "work_start_date" => Msg::FieldWorkStart,
        "education_full_time" => Msg::FieldEduFullTime,
        "education_in_service" => Msg::FieldEduInService,
        "professional_title" => Msg::FieldProfTitle,
        "phone" => Msg::FieldPhone,
        "residence_unit" => Msg::FieldResidence,
        "category" => Msg::FieldCategory,
        "status" => Msg::FieldStatus,
        "resume" => Msg::FieldResume,
        "rewards" => Msg::FieldRewards,
        _ => return None,
    })
}

/// The choice of `all` whose stored (serde) name is `raw` (as Automerge
/// holds an enum value, e.g. `"Male"`).
pub fn stored_choice<T: Copy + serde::Serialize>(all: &[T], raw: &str) -> Option<T> {
    all.iter().copied().find(|v| {
        serde_json::to_value(v)
            .ok()
            .and_then(|j| j.as_str().map(str::to_owned))
            .as_deref()
            == Some(raw)
    })
}

/// The words for a stored enum value of `field` (as Automerge holds it,
/// e.g. `"Male"`), when the field is one of the person's enums.
pub fn person_value(field: &str, raw: &str) -> Option<Msg> {
    fn find<T: Copy + serde::Serialize>(all: &[T], raw: &str, f: fn(T) -> Msg) -> Option<Msg> {
        stored_choice(all, raw).map(f)
    }
    let last = field.rsplit('.').next().unwrap_or(field);
    match (field.split('.').next().unwrap_or(field), last) {
        ("sex", _) => find(Sex::ALL, raw, sex),
        ("political_status", _) => find(PoliticalStatus::ALL, raw, political_status),
        ("category", _) => find(PersonCategory::ALL, raw, category),
        ("status", _) => find(PersonStatus::ALL, raw, status),
        (_, "level") => find(EducationLevel::ALL, raw, education),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_stored_choice_is_found_by_its_serde_name() {
        assert_eq!(stored_choice(Sex::ALL, "Female"), Some(Sex::Female));
        assert_eq!(stored_choice(Sex::ALL, "female"), None);
        assert_eq!(stored_choice::<Sex>(&[], "Female"), None);
    }

    #[test]
    fn every_person_field_has_a_label() {
        for f in [
            "name",
            "sex",
            "education_full_time.school",
            "resume.0.text",
            "rewards",
        ] {
            assert!(person_field(f).is_some(), "{f}");
        }
        assert_eq!(person_field("nope"), None);
    }

    #[test]
    fn stored_enum_values_are_translated() {
        assert_eq!(person_value("sex", "Female"), Some(Msg::SexFemale));
        assert_eq!(
            person_value("education_full_time.level", "Bachelor"),
            Some(Msg::EduBachelor)
        );
        assert_eq!(person_value("name", "Female"), None);
        assert_eq!(Msg::SexFemale.text(Lang::ZhCn), "女");
    }
}
