//! The city level (市委组织部): every reference figure per district, computed
//! from that district's records exactly as its own dashboard does
//! ([`figures::compute_refs`]), and for the city as a whole, computed from
//! the same records: counts summed, the certified share recomputed from
//! the summed certified and worker counts, the average pay rise recomputed
//! over every district's rises (never an average of percentages or of
//! averages). Nothing here is stored: the city dashboard recomputes it
//! from the documents it holds.

use crate::figures::{self, Filter, ReferenceFigures};
use crate::rules::{self, CertifiedShare, PayGrowth};
use crate::store::{DistrictData, UnitData};

/// The figures of a city: one entry per district (in the order given) and
/// the city as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CityFigures {
    pub districts: Vec<ReferenceFigures>,
    pub city: ReferenceFigures,
}

/// The latest year any district's records name (the city dashboard's
/// year, as the district dashboard takes its own latest year).
pub fn latest_year<'a>(districts: impl IntoIterator<Item = &'a DistrictData>) -> Option<u16> {
    districts
        .into_iter()
        .filter_map(|d| crate::breakdown::years(d).last().copied())
        .max()
}

/// The figures of every district (its directory document and its unit
/// documents) and of the city, as of `year` (see [`Filter`]; `None`:
/// cumulative).
pub fn compute<'a, U>(
    districts: impl IntoIterator<Item = (&'a DistrictData, U)>,
    year: Option<u16>,
) -> CityFigures
where
    U: IntoIterator<Item = &'a UnitData>,
{
    let filter = Filter {
        year,
        ..Filter::default()
    };
    let mut out = CityFigures::default();
    let mut pay = PayGrowth::default();
    for (district, units) in districts {
        let units: Vec<&UnitData> = units.into_iter().collect();
        let f = figures::compute_refs(district, units.iter().copied(), &filter);
        let g = rules::pay_growth(units.iter().copied(), year);
        pay.rises += g.rises;
        pay.total_rise_yuan += g.total_rise_yuan;
        add_counts(&mut out.city, &f);
        out.districts.push(f);
    }
    out.city.certified_share_pct = CertifiedShare {
        certified: out.city.certified_workers,
        workers: out.city.community_workers,
    }
    .percent();
    out.city.average_pay_rise_yuan = pay.average_yuan();
    out
}

/// Adds every count of `f` to `total`; the share and the average are left
/// to the caller (they are recomputed from the sums). The destructuring is
/// exhaustive so that a new figure cannot be forgotten here.
fn add_counts(total: &mut ReferenceFigures, f: &ReferenceFigures) {
    let ReferenceFigures {
        candidates_reviewed,
        secretaries_adjusted,
        certified_workers,
        community_workers,
        certified_share_pct: _,
        exam_prep_lectures,
        master_studios,
        shadowing_secretaries,
        honorary_secretaries,
        development_advisors,
        investment_leads,
        investment_visits,
        investment_projects,
        investment_funds_yuan,
        school_pairs,
        teachers_exchanged,
        medical_staff_trained,
        tech_commissioners,
        demo_households,
        reserve_selected,
        reserve_entered_committee,
        pool_recruited,
        homecoming_moved,
        career_posts,
        average_pay_rise_yuan: _,
    } = f;
    total.candidates_reviewed += candidates_reviewed;
    total.secretaries_adjusted += secretaries_adjusted;
    total.certified_workers += certified_workers;
    total.community_workers += community_workers;
    total.exam_prep_lectures += exam_prep_lectures;
    total.master_studios += master_studios;
    total.shadowing_secretaries += shadowing_secretaries;
    total.honorary_secretaries += honorary_secretaries;
    total.development_advisors += development_advisors;
    total.investment_leads += investment_leads;
    total.investment_visits += investment_visits;
    total.investment_projects += investment_projects;
    total.investment_funds_yuan += investment_funds_yuan;
    total.school_pairs += school_pairs;
    total.teachers_exchanged += teachers_exchanged;
    total.medical_staff_trained += medical_staff_trained;
    total.tech_commissioners += tech_commissioners;
    total.demo_households += demo_households;
    total.reserve_selected += reserve_selected;
    total.reserve_entered_committee += reserve_entered_committee;
    total.pool_recruited += pool_recruited;
    total.homecoming_moved += homecoming_moved;
    total.career_posts += career_posts;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{self, Demo, REFERENCE_YEAR};

    /// A second district unlike the demo one: fewer units (so fewer
    /// workers), no certificates, and every pay record raised by 1000 yuan
    /// a year more.
    fn other(demo: &Demo) -> Demo {
        let mut o = demo.clone();
        let n = o.units.len();
        o.units.drain(..n * 2 / 3);
        for u in &mut o.units {
            u.certificates.clear();
            for p in u.pay.values_mut() {
                p.annual_pay_yuan += 1000 * i64::from(p.year - 2000);
            }
        }
        o
    }

    fn city(a: &Demo, b: &Demo) -> CityFigures {
        compute(
            [(&a.district, a.units.iter()), (&b.district, b.units.iter())],
            Some(REFERENCE_YEAR),
        )
    }

    #[test]
    fn a_district_has_the_same_figures_alone_and_in_a_city() {
        let a = demo::generate(42);
        let b = other(&a);
        let alone = figures::compute(&a.district, &a.units, &Filter::year(REFERENCE_YEAR));
        assert!(alone.mismatches_with_published().is_empty());
        let c = city(&a, &b);
        assert_eq!(c.districts.len(), 2);
        assert_eq!(c.districts[0], alone);
        let b_alone = figures::compute(&b.district, &b.units, &Filter::year(REFERENCE_YEAR));
        assert_eq!(c.districts[1], b_alone);
        assert_ne!(c.districts[0], c.districts[1], "the two districts differ");
        // The order given is kept.
        let swapped = compute(
            [(&b.district, b.units.iter()), (&a.district, a.units.iter())],
            Some(REFERENCE_YEAR),
        );
        assert_eq!(swapped.districts[1], alone);
        assert_eq!(swapped.city, c.city);
    }

    #[test]
    fn the_city_counts_are_the_sums_of_the_districts() {
        let a = demo::generate(42);
        let b = other(&a);
        let c = city(&a, &b);
        let (x, y) = (&c.districts[0], &c.districts[1]);
        assert_eq!(c.city.candidates_reviewed, 80);
        assert_eq!(
            c.city.community_workers,
            x.community_workers + y.community_workers
        );
        assert_eq!(c.city.certified_workers, 250);
        assert_eq!(
            c.city.investment_funds_yuan,
            x.investment_funds_yuan + y.investment_funds_yuan
        );
        assert_eq!(c.city.homecoming_moved, 22);
        assert_eq!(
            c.city.reserve_selected,
            x.reserve_selected + y.reserve_selected
        );
        assert_eq!(c.city.career_posts, x.career_posts + y.career_posts);
    }

    #[test]
    fn the_share_and_the_average_come_from_the_records_not_from_percentages() {
        let a = demo::generate(42);
        let b = other(&a);
        let c = city(&a, &b);
        let (x, y) = (&c.districts[0], &c.districts[1]);
        assert_eq!(x.certified_share_pct, 39);
        assert_eq!(y.certified_share_pct, 0);
        let pooled = CertifiedShare {
            certified: x.certified_workers + y.certified_workers,
            workers: x.community_workers + y.community_workers,
        }
        .percent();
        let averaged = (x.certified_share_pct + y.certified_share_pct) / 2;
        assert_ne!(pooled, averaged, "the test data tell the two apart");
        assert_eq!(c.city.certified_share_pct, pooled);

        let all = rules::pay_growth(a.units.iter().chain(&b.units), Some(REFERENCE_YEAR));
        let (ax, ay) = (
            x.average_pay_rise_yuan.unwrap(),
            y.average_pay_rise_yuan.unwrap(),
        );
        assert!(ay > ax, "the second district's rises are larger");
        assert_ne!(all.average_yuan(), Some((ax + ay) / 2));
        assert_eq!(c.city.average_pay_rise_yuan, all.average_yuan());
    }

    #[test]
    fn an_empty_city_has_no_average_and_no_share() {
        let c = compute(std::iter::empty::<(&DistrictData, Vec<&UnitData>)>(), None);
        assert!(c.districts.is_empty());
        assert_eq!(c.city, ReferenceFigures::default());
        let a = demo::generate(42);
        assert_eq!(latest_year([&a.district]), Some(REFERENCE_YEAR));
        assert_eq!(latest_year([]), None);
    }
}
