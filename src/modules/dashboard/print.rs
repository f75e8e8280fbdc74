//! What the A4 print layouts show: every field of a person file (一人一档)
//! as label/value pairs, the posts, résumé, rewards and penalties, annual
//! assessments (from the district document) and filings (备案) — in the
//! tablet's language. The secretary's filing form (备案表) uses the same
//! content with its own frame.

use yanzhen_model::entities::{Education, Person, PostTitle};
use yanzhen_model::sorting;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::{Date, Id};

use crate::i18n::labels;
use crate::i18n::{Lang, Msg, Text};
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::registers::grade;

/// A label from either the shared table or the dashboard's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    App(Msg),
    Dash(DashMsg),
}

impl Text for Label {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            Label::App(m) => m.text(lang),
            Label::Dash(m) => m.text(lang),
        }
    }
}

/// Everything a print layout shows about one person.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonPrint {
    pub name: String,
    pub unit_name: String,
    /// Every field of the file, in the form's order.
    pub facts: Vec<(Label, String)>,
    /// Posts: title, from, to, how obtained, 一肩挑.
    pub posts: Vec<[String; 5]>,
    /// The current secretary post, if any: from, how obtained, 一肩挑.
    pub secretary_post: Option<[String; 3]>,
    /// Résumé: period, text.
    pub resume: Vec<[String; 2]>,
    /// Rewards and penalties: date, kind, text.
    pub rewards: Vec<[String; 3]>,
    /// Annual assessments: year, score, rank, grade.
    pub assessments: Vec<[String; 4]>,
    /// Filings: date, note.
    pub filings: Vec<[String; 2]>,
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn yes_no(b: bool, lang: Lang) -> String {
    if b { DashMsg::Yes } else { DashMsg::No }
        .text(lang)
        .to_owned()
}

fn education(e: &Option<Education>, lang: Lang) -> String {
    match e {
        None => String::new(),
        Some(e) => [
            labels::education(e.level).text(lang),
            e.degree.as_str(),
            e.school.as_str(),
            e.major.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · "),
    }
}

fn unit_name(district: Option<&DistrictData>, id: &Id) -> String {
    district
        .and_then(|d| d.units.get(id))
        .map(|u| u.name.clone())
        .unwrap_or_default()
}

/// The print content of person `id` of `unit`, or `None` if not there.
pub fn person_print(
    district: Option<&DistrictData>,
    unit: &UnitData,
    id: &Id,
    lang: Lang,
) -> Option<PersonPrint> {
    let p: &Person = unit.people.get(id)?;
    let unit_name = unit_name(district, &unit.unit_id);
    let facts = vec![
        (Label::App(Msg::FieldName), p.name.clone()),
        (
            Label::App(Msg::FieldSex),
            labels::sex(p.sex).text(lang).to_owned(),
        ),
        (Label::App(Msg::FieldEthnicity), p.ethnicity.clone()),
        (Label::App(Msg::FieldBirthDate), p.birth_date.to_string()),
        (Label::App(Msg::FieldNativePlace), p.native_place.clone()),
        (Label::App(Msg::FieldIdNumber), p.id_number.clone()),
        (
            Label::App(Msg::FieldPolitical),
            labels::political_status(p.political_status)
                .text(lang)
                .to_owned(),
        ),
        (Label::App(Msg::FieldPartyJoin), date(p.party_join_date)),
        (Label::App(Msg::FieldWorkStart), date(p.work_start_date)),
        (
            Label::App(Msg::FieldProfTitle),
            p.professional_title.clone(),
        ),
        (
            Label::App(Msg::FieldEduFullTime),
            education(&p.education_full_time, lang),
        ),
        (
            Label::App(Msg::FieldEduInService),
            education(&p.education_in_service, lang),
        ),
        (Label::App(Msg::FieldPhone), p.phone.clone()),
        (
            Label::App(Msg::FieldResidence),
            unit_name_or_id(district, &p.residence_unit),
        ),
        (Label::App(Msg::FieldWorkUnit), unit_name.clone()),
        (
            Label::App(Msg::FieldCategory),
            labels::category(p.category).text(lang).to_owned(),
        ),
        (
            Label::App(Msg::FieldStatus),
            labels::status(p.status).text(lang).to_owned(),
        ),
    ];
    let mut posts: Vec<&yanzhen_model::entities::Post> =
        unit.posts.values().filter(|x| x.person_id == *id).collect();
    sorting::sort_by_key(&mut posts, |x| (x.start, x.title));
    let secretary_post = posts
        .iter()
        .rev()
        .find(|x| x.title == PostTitle::Secretary && x.end.is_none())
        .map(|x| {
            [
                x.start.to_string(),
                labels::how_obtained(x.how_obtained).text(lang).to_owned(),
                yes_no(x.concurrent_director, lang),
            ]
        });
    let posts = posts
        .iter()
        .map(|x| {
            [
                labels::post_title(x.title).text(lang).to_owned(),
                x.start.to_string(),
                x.end
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| Msg::PostCurrent.text(lang).to_owned()),
                labels::how_obtained(x.how_obtained).text(lang).to_owned(),
                yes_no(x.concurrent_director, lang),
            ]
        })
        .collect();
    let mut resume: Vec<_> = p.resume.iter().collect();
    sorting::sort_by_key(&mut resume, |r| r.from);
    let resume = resume
        .iter()
        .map(|r| {
            let to =
                r.to.map(|d| d.to_string())
                    .unwrap_or_else(|| Msg::PostCurrent.text(lang).to_owned());
            [format!("{} — {to}", r.from), r.text.clone()]
        })
        .collect();
    let mut rewards: Vec<_> = p.rewards.iter().collect();
    sorting::sort_by_key(&mut rewards, |r| r.date);
    let rewards = rewards
        .iter()
        .map(|r| {
            let kind = if r.is_reward {
                Msg::RewardIsReward
            } else {
                Msg::RewardIsPunishment
            };
            [
                r.date.to_string(),
                kind.text(lang).to_owned(),
                r.text.clone(),
            ]
        })
        .collect();
    let me = |unit_id: &Id, person: &Id| *unit_id == unit.unit_id && person == id;
    let mut assessments: Vec<[String; 4]> = district
        .map(|d| {
            d.assessments
                .values()
                .filter(|a| me(&a.person.unit, &a.person.person))
                .map(|a| {
                    [
                        a.year.to_string(),
                        format!("{:.1}", a.score),
                        a.rank.to_string(),
                        match lang {
                            Lang::ZhCn => grade(a.grade).to_owned(),
                            Lang::En => format!("{:?}", a.grade),
                        },
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    sorting::sort(&mut assessments);
    let mut filings: Vec<[String; 2]> = district
        .map(|d| {
            d.filings
                .values()
                .filter(|f| me(&f.person.unit, &f.person.person))
                .map(|f| [f.filed.to_string(), f.note.clone()])
                .collect()
        })
        .unwrap_or_default();
    sorting::sort(&mut filings);
    Some(PersonPrint {
        name: p.name.clone(),
        unit_name,
        facts,
        posts,
        secretary_post,
        resume,
        rewards,
        assessments,
        filings,
    })
}

fn unit_name_or_id(district: Option<&DistrictData>, id: &Id) -> String {
    let n = unit_name(district, id);
    if n.is_empty() {
        id.as_str().to_owned()
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::demo;

    #[test]
    fn a_secretary_prints_with_posts_assessments_and_filing() {
        let d = demo::generate(7);
        let f = d.district.filings.values().next().expect("a filing");
        let unit = d.units.iter().find(|u| u.unit_id == f.person.unit).unwrap();
        let p = person_print(Some(&d.district), unit, &f.person.person, Lang::ZhCn).unwrap();
        let person = &unit.people[&f.person.person];
        assert_eq!(p.name, person.name);
        assert_eq!(p.facts.len(), 17, "every field of the file");
        assert!(
            p.facts
                .contains(&(Label::App(Msg::FieldIdNumber), person.id_number.clone()))
        );
        assert!(
            p.facts
                .iter()
                .any(|(l, v)| *l == Label::App(Msg::FieldWorkUnit) && !v.is_empty())
        );
        assert!(p.secretary_post.is_some());
        assert_eq!(p.filings.len(), 1);
        assert_eq!(p.filings[0][0], f.filed.to_string());
        let assessed = d
            .district
            .assessments
            .values()
            .filter(|a| a.person == f.person)
            .count();
        assert_eq!(p.assessments.len(), assessed);
        assert_eq!(p.resume.len(), person.resume.len());
        assert!(person_print(None, unit, &Id::from_random_bytes([0; 16]), Lang::En).is_none());
    }
}
