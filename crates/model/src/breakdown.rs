//! The dashboard's breakdowns, from the same rules as the reference
//! figures: training coverage per township/street ([`training_by_township`],
//! [`rules::training_coverage`]), contact-duty compliance per village
//! ([`contact_compliance`], [`rules::contact_duty`]), and the years the
//! records span ([`years`]) for the year filter.

use crate::sorting;
use std::collections::BTreeSet;

use crate::date::Date;
use crate::entities::UnitKind;
use crate::ids::Id;
use crate::rules::{self, Coverage, DutyStatus};
use crate::store::{DistrictData, UnitData};

/// Training coverage of one township/street's units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownshipCoverage {
    pub township: Id,
    pub name: String,
    pub coverage: Coverage,
}

/// The townships and streets of the directory, by name (then id).
pub fn townships(district: &DistrictData) -> Vec<(Id, String)> {
    let mut out: Vec<(Id, String)> = district
        .units
        .values()
        .filter(|u| matches!(u.kind, UnitKind::Township | UnitKind::Street))
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    sorting::sort_by(&mut out, |a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    out
}

/// Coverage in `year` of every township/street (only `only`, if given),
/// summed over its units among `units`.
pub fn training_by_township<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
    year: u16,
    only: Option<&Id>,
) -> Vec<TownshipCoverage> {
    let units: Vec<&UnitData> = units.into_iter().collect();
    townships(district)
        .into_iter()
        .filter(|(id, _)| only.is_none_or(|o| o == id))
        .map(|(id, name)| {
            let coverage = rules::district_training_coverage(
                district,
                units
                    .iter()
                    .copied()
                    .filter(|u| rules::township_of(district, &u.unit_id) == Some(&id)),
                year,
            );
            TownshipCoverage {
                township: id,
                name,
                coverage,
            }
        })
        .collect()
}

/// Contact-duty compliance of one village/community on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactCompliance {
    pub unit: Id,
    pub name: String,
    /// Contacted this month, every earlier month covered.
    pub contacted: usize,
    /// Not yet contacted this month; no month missed.
    pub due: usize,
    /// A whole month missed.
    pub overdue: usize,
}

impl ContactCompliance {
    /// Active appointments.
    pub fn total(&self) -> usize {
        self.contacted + self.due + self.overdue
    }

    /// Appointments whose duty is kept (not overdue), whole percent,
    /// rounded half up (100 with no appointment).
    pub fn percent(&self) -> u32 {
        let t = self.total();
        if t == 0 {
            100
        } else {
            (((t - self.overdue) * 200 + t) / (t * 2)) as u32
        }
    }
}

/// Compliance of every unit among `units` with at least one active
/// appointment on `today`, lowest percentage first (then by name).
pub fn contact_compliance<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
    today: Date,
) -> Vec<ContactCompliance> {
    let mut out: Vec<ContactCompliance> = units
        .into_iter()
        .filter_map(|u| {
            let duty = rules::contact_duty(u, today);
            if duty.is_empty() {
                return None;
            }
            let mut c = ContactCompliance {
                unit: u.unit_id.clone(),
                name: district
                    .units
                    .get(&u.unit_id)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                contacted: 0,
                due: 0,
                overdue: 0,
            };
            for d in duty {
                match d.status {
                    DutyStatus::ContactedThisMonth => c.contacted += 1,
                    DutyStatus::DueThisMonth => c.due += 1,
                    DutyStatus::Overdue { .. } => c.overdue += 1,
                }
            }
            Some(c)
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (a.percent(), &a.name, &a.unit).cmp(&(b.percent(), &b.name, &b.unit))
    });
    out
}

/// The years the programme's dated district records fall in (review
/// batches, training sessions, assessments), oldest first.
pub fn years(district: &DistrictData) -> Vec<u16> {
    let mut y: BTreeSet<u16> = BTreeSet::new();
    y.extend(district.batches.values().map(|b| b.year));
    y.extend(district.sessions.values().map(|s| s.date.year()));
    y.extend(district.assessments.values().map(|a| a.year));
    y.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::figures::{self, Filter};

    #[test]
    fn township_coverage_sums_to_the_district_coverage() {
        let d = demo::generate(7);
        let year = demo::REFERENCE_YEAR;
        let rows = training_by_township(&d.district, &d.units, year, None);
        assert_eq!(rows.len(), 9, "4 towns and 5 streets");
        let total = rules::district_training_coverage(&d.district, &d.units, year);
        assert_eq!(
            rows.iter().map(|r| r.coverage.members).sum::<usize>(),
            total.members
        );
        assert_eq!(
            rows.iter().map(|r| r.coverage.trained).sum::<usize>(),
            total.trained
        );
        let one = &rows[3];
        let only = training_by_township(&d.district, &d.units, year, Some(&one.township));
        assert_eq!(only, vec![one.clone()]);
    }

    #[test]
    fn compliance_counts_every_active_appointment() {
        let d = demo::generate(7);
        let today = demo::today();
        let rows = contact_compliance(&d.district, &d.units, today);
        let f = figures::compute(&d.district, &d.units, &Filter::default());
        assert_eq!(
            rows.iter().map(ContactCompliance::total).sum::<usize>(),
            f.honorary_secretaries + f.development_advisors
        );
        let overdue: usize = d
            .units
            .iter()
            .flat_map(|u| rules::contact_duty(u, today))
            .filter(|c| matches!(c.status, DutyStatus::Overdue { .. }))
            .count();
        assert_eq!(rows.iter().map(|r| r.overdue).sum::<usize>(), overdue);
        assert!(rows.windows(2).all(|w| w[0].percent() <= w[1].percent()));
    }

    #[test]
    fn percent_rounds_and_years_are_listed() {
        let c = ContactCompliance {
            unit: Id::from_random_bytes([1; 16]),
            name: "甲村".into(),
            contacted: 1,
            due: 1,
            overdue: 1,
        };
        assert_eq!(c.percent(), 67);
        let d = demo::generate(7);
        assert!(years(&d.district).contains(&demo::REFERENCE_YEAR));
    }
}
