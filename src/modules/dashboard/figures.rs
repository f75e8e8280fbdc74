//! The reference figures as dashboard rows: a stable key per figure (the
//! `data-figure` of its card), its label, its value as shown, and the
//! module it belongs to. Values are formatted here once, so the screen and
//! the tests agree on what "1030 万元" or "39%" look like.

use yanzhen_model::figures::ReferenceFigures;

use crate::modules::dashboard::messages::DashMsg;

/// The module a figure belongs to (a group of cards).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Lead,
    Flock,
    Returning,
    Young,
}

impl Group {
    pub const ALL: [Group; 4] = [Group::Lead, Group::Flock, Group::Returning, Group::Young];

    pub const fn title(self) -> DashMsg {
        match self {
            Group::Lead => DashMsg::GroupLead,
            Group::Flock => DashMsg::GroupFlock,
            Group::Returning => DashMsg::GroupReturning,
            Group::Young => DashMsg::GroupYoung,
        }
    }
}

/// One figure as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureRow {
    pub key: &'static str,
    pub label: DashMsg,
    /// The number as shown (without the unit).
    pub value: String,
    /// The unit after the number (人, 万元…), if any.
    pub unit: Option<DashMsg>,
    /// A sign right after the number (`%`), if any.
    pub suffix: &'static str,
    pub group: Group,
}

/// Yuan as 万元 with at most two decimals (`10300000` → `1030`).
pub fn wan(yuan: i64) -> String {
    let hundredths = (yuan as f64 / 100.0).round() as i64;
    let (whole, frac) = (hundredths / 100, (hundredths % 100).abs());
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// Every reference figure of `f`, by module.
pub fn figure_rows(f: &ReferenceFigures) -> Vec<FigureRow> {
    use DashMsg as M;
    use Group::*;
    let n = |x: usize| x.to_string();
    let row = |key, label, value: String, unit, group| FigureRow {
        key,
        label,
        value,
        unit,
        suffix: "",
        group,
    };
    vec![
        row(
            "candidates_reviewed",
            M::FigCandidatesReviewed,
            n(f.candidates_reviewed),
            Some(M::UnitPeople),
            Lead,
        ),
        row(
            "secretaries_adjusted",
            M::FigSecretariesAdjusted,
            n(f.secretaries_adjusted),
            Some(M::UnitPeople),
            Lead,
        ),
        row(
            "average_pay_rise_yuan",
            M::FigPayRise,
            f.average_pay_rise_yuan
                .map_or_else(|| "—".to_owned(), |v| v.to_string()),
            Some(M::UnitYuan),
            Lead,
        ),
        row(
            "certified_workers",
            M::FigCertified,
            n(f.certified_workers),
            Some(M::UnitPeople),
            Flock,
        ),
        row(
            "community_workers",
            M::FigCommunityWorkers,
            n(f.community_workers),
            Some(M::UnitPeople),
            Flock,
        ),
        FigureRow {
            suffix: "%",
            ..row(
                "certified_share_pct",
                M::FigCertifiedShare,
                f.certified_share_pct.to_string(),
                None,
                Flock,
            )
        },
        row(
            "exam_prep_lectures",
            M::FigExamPrep,
            n(f.exam_prep_lectures),
            Some(M::UnitTimes),
            Flock,
        ),
        row(
            "master_studios",
            M::FigStudios,
            n(f.master_studios),
            Some(M::UnitCount),
            Flock,
        ),
        row(
            "shadowing_secretaries",
            M::FigShadowing,
            n(f.shadowing_secretaries),
            Some(M::UnitPeople),
            Flock,
        ),
        row(
            "honorary_secretaries",
            M::FigHonorary,
            n(f.honorary_secretaries),
            Some(M::UnitPeople),
            Returning,
        ),
        row(
            "development_advisors",
            M::FigAdvisors,
            n(f.development_advisors),
            Some(M::UnitPeople),
            Returning,
        ),
        row(
            "investment_leads",
            M::FigLeads,
            n(f.investment_leads),
            Some(M::UnitCount),
            Returning,
        ),
        row(
            "investment_visits",
            M::FigVisits,
            n(f.investment_visits),
            Some(M::UnitTimes),
            Returning,
        ),
        row(
            "investment_projects",
            M::FigProjects,
            n(f.investment_projects),
            Some(M::UnitCount),
            Returning,
        ),
        row(
            "investment_funds_yuan",
            M::FigFunds,
            wan(f.investment_funds_yuan),
            Some(M::UnitWan),
            Returning,
        ),
        row(
            "school_pairs",
            M::FigSchoolPairs,
            n(f.school_pairs),
            Some(M::UnitPairs),
            Returning,
        ),
        row(
            "teachers_exchanged",
            M::FigTeachers,
            n(f.teachers_exchanged),
            Some(M::UnitPeople),
            Returning,
        ),
        row(
            "medical_staff_trained",
            M::FigMedical,
            n(f.medical_staff_trained),
            Some(M::UnitPeople),
            Returning,
        ),
        row(
            "tech_commissioners",
            M::FigTechCommissioners,
            n(f.tech_commissioners),
            Some(M::UnitPeople),
            Returning,
        ),
        row(
            "demo_households",
            M::FigDemoHouseholds,
            n(f.demo_households),
            Some(M::UnitHouseholds),
            Returning,
        ),
        row(
            "reserve_selected",
            M::FigReserveSelected,
            n(f.reserve_selected),
            Some(M::UnitPeople),
            Young,
        ),
        row(
            "reserve_entered_committee",
            M::FigReserveEntered,
            n(f.reserve_entered_committee),
            Some(M::UnitPeople),
            Young,
        ),
        row(
            "pool_recruited",
            M::FigPoolRecruited,
            n(f.pool_recruited),
            Some(M::UnitPeople),
            Young,
        ),
        row(
            "homecoming_moved",
            M::FigHomecoming,
            n(f.homecoming_moved),
            Some(M::UnitPeople),
            Young,
        ),
        row(
            "career_posts",
            M::FigCareerPosts,
            n(f.career_posts),
            Some(M::UnitPeople),
            Young,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::demo;
    use yanzhen_model::figures::{Filter, compute};

    #[test]
    fn funds_in_wan() {
        assert_eq!(wan(10_300_000), "1030");
        assert_eq!(wan(12_345), "1.23");
        assert_eq!(wan(15_000), "1.5");
        assert_eq!(wan(0), "0");
    }

    #[test]
    fn the_demo_district_shows_the_published_figures() {
        let d = demo::generate(yanzhen_model::demo::REFERENCE_YEAR as u64);
        let f = compute(&d.district, &d.units, &Filter::year(demo::REFERENCE_YEAR));
        let rows = figure_rows(&f);
        let v = |k: &str| rows.iter().find(|r| r.key == k).unwrap().value.clone();
        assert_eq!(v("investment_funds_yuan"), "1030");
        assert_eq!(v("investment_leads"), "17");
        assert_eq!(v("reserve_selected"), "99");
        assert_eq!(v("certified_share_pct"), "39");
        let mut keys: Vec<_> = rows.iter().map(|r| r.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), rows.len(), "keys are unique");
        for g in Group::ALL {
            assert!(rows.iter().any(|r| r.group == g));
        }
    }
}
