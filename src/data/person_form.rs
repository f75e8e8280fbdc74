//! The person and post forms as typed (text, choices) and their conversion
//! to model records. Conversion reports **where** each problem is: text
//! that is not a date, a missing name, and then whatever the model's own
//! validation ([`yanzhen_model::validate`]) rejects, placed by
//! `ValidationError::field()`. A form with problems converts to nothing, so
//! nothing is written.
//!
//! The birth date and sex may be left empty when a valid ID number is given:
//! they are read from the number (`ui::form_errors::typed_id_number`).
//!
//! Over 500 lines with its native unit tests (about 170 lines); the
//! conversion itself stays under 400.

use yanzhen_model::entities::{
    Education, EducationLevel, HowObtained, Person, PersonCategory, PersonStatus, PoliticalStatus,
    Post, PostTitle, ResumeRow, RewardPunishment, Sex,
};
use yanzhen_model::validate::{Validate, ValidationError};
use yanzhen_model::{Date, Id};

use crate::i18n::Msg;
use crate::ui::form_errors::{FormWords, Problem, opt_date, typed_id_number};

/// A problem's words: a Msg or a model message key.
pub type ErrText = Problem<Msg>;

impl From<&ValidationError> for ErrText {
    fn from(e: &ValidationError) -> Self {
        ErrText::Model(e.message_key())
    }
}

/// Problems of a form, by field. Keys are the model's field names; nested
/// names are dotted (`education_full_time.school`, `resume.to`).
pub type FieldErrors = crate::ui::form_errors::FieldMap<ErrText>;

const DATE_INVALID: ErrText = ErrText::Model("validation.date.invalid");
const REQUIRED: ErrText = ErrText::Model("validation.required");

impl FormWords for ErrText {
    const REQUIRED: Self = REQUIRED;
    const DATE_INVALID: Self = DATE_INVALID;
    fn refusal(e: &ValidationError) -> Self {
        e.into()
    }
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// One education entry as typed; no level means no entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EduForm {
    pub level: Option<EducationLevel>,
    pub degree: String,
    pub school: String,
    pub major: String,
}

impl EduForm {
    fn from_model(e: &Option<Education>) -> Self {
        e.as_ref().map_or_else(EduForm::default, |e| EduForm {
            level: Some(e.level),
            degree: e.degree.clone(),
            school: e.school.clone(),
            major: e.major.clone(),
        })
    }

    fn to_model(&self) -> Option<Education> {
        self.level.map(|level| Education {
            level,
            degree: self.degree.trim().to_owned(),
            school: self.school.trim().to_owned(),
            major: self.major.trim().to_owned(),
        })
    }
}

/// A 简历 row as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumeForm {
    pub from: String,
    pub to: String,
    pub text: String,
}

/// A 奖惩 row as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardForm {
    pub date: String,
    pub is_reward: bool,
    pub text: String,
}

impl Default for RewardForm {
    fn default() -> Self {
        RewardForm {
            date: String::new(),
            is_reward: true,
            text: String::new(),
        }
    }
}

/// The person file as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonForm {
    pub name: String,
    pub sex: Sex,
    pub ethnicity: String,
    pub birth_date: String,
    pub native_place: String,
    pub id_number: String,
    pub political_status: PoliticalStatus,
    pub party_join_date: String,
    pub work_start_date: String,
    pub education_full_time: EduForm,
    pub education_in_service: EduForm,
    pub professional_title: String,
    pub phone: String,
    /// The residence unit's id (text).
    pub residence_unit: String,
    pub category: PersonCategory,
    pub status: PersonStatus,
    pub resume: Vec<ResumeForm>,
    pub rewards: Vec<RewardForm>,
}

impl PersonForm {
    /// An empty form for a new person living in `unit`.
    pub fn new_in(unit: &Id) -> Self {
        PersonForm {
            name: String::new(),
            sex: Sex::Male,
            ethnicity: String::new(),
            birth_date: String::new(),
            native_place: String::new(),
            id_number: String::new(),
            political_status: PoliticalStatus::Masses,
            party_join_date: String::new(),
            work_start_date: String::new(),
            education_full_time: EduForm::default(),
            education_in_service: EduForm::default(),
            professional_title: String::new(),
            phone: String::new(),
            residence_unit: unit.as_str().to_owned(),
            category: PersonCategory::TwoCommitteeMember,
            status: PersonStatus::Active,
            resume: Vec::new(),
            rewards: Vec::new(),
        }
    }

    /// The form showing `p`.
    pub fn from_person(p: &Person) -> Self {
        PersonForm {
            name: p.name.clone(),
            sex: p.sex,
            ethnicity: p.ethnicity.clone(),
            birth_date: p.birth_date.to_string(),
            native_place: p.native_place.clone(),
            id_number: p.id_number.clone(),
            political_status: p.political_status,
            party_join_date: date_text(p.party_join_date),
            work_start_date: date_text(p.work_start_date),
            education_full_time: EduForm::from_model(&p.education_full_time),
            education_in_service: EduForm::from_model(&p.education_in_service),
            professional_title: p.professional_title.clone(),
            phone: p.phone.clone(),
            residence_unit: p.residence_unit.as_str().to_owned(),
            category: p.category,
            status: p.status,
            resume: p
                .resume
                .iter()
                .map(|r| ResumeForm {
                    from: r.from.to_string(),
                    to: date_text(r.to),
                    text: r.text.clone(),
                })
                .collect(),
            rewards: p
                .rewards
                .iter()
                .map(|r| RewardForm {
                    date: r.date.to_string(),
                    is_reward: r.is_reward,
                    text: r.text.clone(),
                })
                .collect(),
        }
    }

    /// The record with id `id`, validated by the model; or every problem
    /// found, by field. Empty résumé and reward rows are dropped.
    pub fn to_person(&self, id: Id) -> Result<Person, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.add("name", REQUIRED);
        }
        let (id_number, from_id) = typed_id_number(&self.id_number, &mut errors);
        let birth = opt_date(&self.birth_date, "birth_date", &mut errors);
        let birth_empty = self.birth_date.trim().is_empty();
        let (birth_date, sex) = match (birth, from_id) {
            (Some(b), _) => (Some(b), self.sex),
            // Left empty: read from a valid ID number.
            (None, Some(info)) if birth_empty => (Some(info.birth_date), info.sex),
            (None, _) => {
                if birth_empty && id_number.is_empty() {
                    errors.add("birth_date", REQUIRED);
                }
                (None, self.sex)
            }
        };
        let party_join_date = opt_date(&self.party_join_date, "party_join_date", &mut errors);
        let work_start_date = opt_date(&self.work_start_date, "work_start_date", &mut errors);
        let residence_unit = Id::parse(self.residence_unit.trim());
        if residence_unit.is_none() {
            errors.add("residence_unit", REQUIRED);
        }
        let mut resume = Vec::new();
        for r in &self.resume {
            if r.from.trim().is_empty() && r.to.trim().is_empty() && r.text.trim().is_empty() {
                continue;
            }
            let from = match opt_date(&r.from, "resume.from", &mut errors) {
                Some(d) => Some(d),
                None => {
                    if r.from.trim().is_empty() {
                        errors.add("resume.from", REQUIRED);
                    }
                    None
                }
            };
            let to = opt_date(&r.to, "resume.to", &mut errors);
            if let Some(from) = from {
                resume.push(ResumeRow {
                    from,
                    to,
                    text: r.text.trim().to_owned(),
                });
            }
        }
        let mut rewards = Vec::new();
        for r in &self.rewards {
            if r.date.trim().is_empty() && r.text.trim().is_empty() {
                continue;
            }
            let date = opt_date(&r.date, "rewards.date", &mut errors);
            if r.date.trim().is_empty() {
                errors.add("rewards.date", REQUIRED);
            }
            if let Some(date) = date {
                rewards.push(RewardPunishment {
                    date,
                    is_reward: r.is_reward,
                    text: r.text.trim().to_owned(),
                });
            }
        }
        let (Some(birth_date), Some(residence_unit), true) =
            (birth_date, residence_unit, errors.is_empty())
        else {
            return Err(errors);
        };
        let person = Person {
            id,
            name,
            sex,
            ethnicity: self.ethnicity.trim().to_owned(),
            birth_date,
            native_place: self.native_place.trim().to_owned(),
            id_number,
            political_status: self.political_status,
            party_join_date,
            work_start_date,
            education_full_time: self.education_full_time.to_model(),
            education_in_service: self.education_in_service.to_model(),
            professional_title: self.professional_title.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            residence_unit,
            category: self.category,
            status: self.status,
            resume,
            rewards,
        };
        match person.validate() {
            Ok(()) => Ok(person),
            Err(e) => Err(FieldErrors::from_validation(&e, "name")),
        }
    }
}

/// A post as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostForm {
    pub title: PostTitle,
    pub start: String,
    pub end: String,
    pub how_obtained: HowObtained,
    pub concurrent_director: bool,
}

impl Default for PostForm {
    fn default() -> Self {
        PostForm {
            title: PostTitle::CommitteeMember,
            start: String::new(),
            end: String::new(),
            how_obtained: HowObtained::Election,
            concurrent_director: false,
        }
    }
}

impl PostForm {
    /// The post `id` of `person`, validated by the model; or the problems.
    pub fn to_post(&self, id: Id, person: &Id) -> Result<Post, FieldErrors> {
        let mut errors = FieldErrors::default();
        let start = opt_date(&self.start, "start", &mut errors);
        if self.start.trim().is_empty() {
            errors.add("start", REQUIRED);
        }
        let end = opt_date(&self.end, "end", &mut errors);
        let (Some(start), true) = (start, errors.is_empty()) else {
            return Err(errors);
        };
        let post = Post {
            id,
            person_id: person.clone(),
            title: self.title,
            start,
            end,
            how_obtained: self.how_obtained,
            concurrent_director: self.concurrent_director,
        };
        match post.validate() {
            Ok(()) => Ok(post),
            Err(e) => Err(FieldErrors::from_validation(&e, "title")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Text};
    use yanzhen_model::validate::make_id_number;

    fn unit() -> Id {
        Id::from_random_bytes([7; 16])
    }

    fn pid() -> Id {
        Id::from_random_bytes([1; 16])
    }

    fn good() -> PersonForm {
        let birth = Date::new(1985, 6, 15).unwrap();
        PersonForm {
            name: " 王晓龙 ".into(),
            birth_date: "1985-06-15".into(),
            id_number: make_id_number("990101", birth, 11).to_lowercase(),
            phone: "13800138000".into(),
            ethnicity: "汉族".into(),
            party_join_date: "2008-07-01".into(),
            resume: vec![
                ResumeForm {
                    from: "2005-09-01".into(),
                    to: "2008-06-30".into(),
                    text: "荆州某学院学习".into(),
                },
                ResumeForm::default(),
            ],
            education_full_time: EduForm {
                level: Some(EducationLevel::College),
                school: "长江大学".into(),
                ..Default::default()
            },
            ..PersonForm::new_in(&unit())
        }
    }

    #[test]
    fn a_good_form_becomes_a_valid_person_and_round_trips() {
        let p = good().to_person(pid()).unwrap();
        assert_eq!(p.name, "王晓龙");
        assert!(
            p.id_number
                .ends_with(|c: char| c.is_ascii_digit() || c == 'X')
        );
        assert_eq!(p.resume.len(), 1, "empty rows are dropped");
        assert_eq!(p.education_full_time.as_ref().unwrap().school, "长江大学");
        assert_eq!(p.education_in_service, None);
        let again = PersonForm::from_person(&p).to_person(pid()).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn birth_date_and_sex_come_from_the_id_number_when_left_empty() {
        let birth = Date::new(1990, 2, 28).unwrap();
        let f = PersonForm {
            name: "李娜".into(),
            id_number: make_id_number("990101", birth, 12),
            ..PersonForm::new_in(&unit())
        };
        let p = f.to_person(pid()).unwrap();
        assert_eq!(p.birth_date, birth);
        assert_eq!(p.sex, Sex::Female);
    }

    #[test]
    fn a_wrong_check_digit_is_placed_at_the_id_number() {
        let mut f = good();
        let mut id: Vec<char> = f.id_number.chars().collect();
        id[17] = if id[17] == '0' { '1' } else { '0' };
        f.id_number = id.into_iter().collect();
        let e = f.to_person(pid()).unwrap_err();
        assert_eq!(
            e.get("id_number"),
            Some(ErrText::Model("validation.id_number.check_digit"))
        );
        assert_eq!(e.0.len(), 1, "{e:?}");
    }

    #[test]
    fn every_form_problem_is_reported_at_its_field() {
        let f = PersonForm {
            birth_date: "1985-13-01".into(),
            party_join_date: "soon".into(),
            ..PersonForm::new_in(&unit())
        };
        let e = f.to_person(pid()).unwrap_err();
        assert_eq!(e.get("name"), Some(REQUIRED));
        assert_eq!(e.get("birth_date"), Some(DATE_INVALID));
        assert_eq!(e.get("party_join_date"), Some(DATE_INVALID));
        assert_eq!(e.get("phone"), None);
        // Nothing typed for a date and no ID number: the date is required.
        let e = PersonForm {
            name: "张三".into(),
            ..PersonForm::new_in(&unit())
        }
        .to_person(pid())
        .unwrap_err();
        assert_eq!(e.get("birth_date"), Some(REQUIRED));
    }

    #[test]
    fn model_validation_errors_land_at_the_models_field() {
        let mut f = good();
        f.phone = "1234".into();
        let e = f.to_person(pid()).unwrap_err();
        assert_eq!(
            e.get("phone"),
            Some(ErrText::Model("validation.mobile.format"))
        );

        let mut f = good();
        f.birth_date = "1985-06-16".into();
        let e = f.to_person(pid()).unwrap_err();
        assert_eq!(
            e.get("birth_date"),
            Some(ErrText::Model("validation.id_number.birth_mismatch"))
        );

        let mut f = good();
        f.resume[0].to = "2004-01-01".into();
        let e = f.to_person(pid()).unwrap_err();
        // Nested fields show at their section.
        assert_eq!(
            e.get("resume"),
            Some(ErrText::Model("validation.date.range"))
        );
        assert_eq!(e.get("res"), None);
    }

    #[test]
    fn error_texts_are_translated() {
        assert_eq!(
            ErrText::Model("validation.id_number.check_digit").text(Lang::ZhCn),
            "身份证号校验位不正确，请核对后重新输入。"
        );
        assert_eq!(
            ErrText::App(Msg::PersonFixErrors).text(Lang::En),
            Msg::PersonFixErrors.text(Lang::En)
        );
    }

    #[test]
    fn posts_convert_and_validate() {
        let person = pid();
        let f = PostForm {
            title: PostTitle::Secretary,
            start: "2021-01-05".into(),
            concurrent_director: true,
            ..Default::default()
        };
        let p = f.to_post(Id::from_random_bytes([2; 16]), &person).unwrap();
        assert!(p.concurrent_director && p.end.is_none());
        let bad = PostForm {
            title: PostTitle::CommitteeMember,
            start: "2021-01-05".into(),
            end: "2020-01-01".into(),
            ..Default::default()
        };
        let e = bad
            .to_post(Id::from_random_bytes([2; 16]), &person)
            .unwrap_err();
        assert_eq!(e.get("end"), Some(ErrText::Model("validation.date.range")));
        let e = PostForm::default()
            .to_post(Id::from_random_bytes([2; 16]), &person)
            .unwrap_err();
        assert_eq!(e.get("start"), Some(REQUIRED));
    }
}
