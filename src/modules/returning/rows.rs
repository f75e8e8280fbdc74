//! Rows of the 归雁 tables: appointments of a unit, investment leads over
//! the units on the tablet (with their village and advisor), the talent
//! register by kind, and appointment totals.

use yanzhen_model::entities::{Appointment, ExchangeKind, InvestmentLead, TalentExchange};
use yanzhen_model::sorting;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::{DocId, Id};

/// A unit's appointments: honorary secretaries first, then advisors, each
/// by appointment date and name.
pub fn appointment_rows(unit: &UnitData) -> Vec<Appointment> {
    let mut v: Vec<Appointment> = unit.appointments.values().cloned().collect();
    sorting::sort_by(&mut v, |a, b| {
        (a.kind, a.appointed, &a.name, &a.id).cmp(&(b.kind, b.appointed, &b.name, &b.id))
    });
    v
}

/// Active appointments over units: (honorary secretaries, advisors).
pub fn appointment_totals<'a>(units: impl IntoIterator<Item = &'a UnitData>) -> (usize, usize) {
    yanzhen_model::rules::appointments(units)
}

/// One investment lead with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadRow {
    /// The unit document holding it.
    pub doc: DocId,
    pub unit_name: String,
    /// The appointee who brought it (empty if not found).
    pub advisor: String,
    pub lead: InvestmentLead,
}

/// The leads of `units` (each with its document id), valid ones first,
/// then by stage (furthest first), date and title.
pub fn lead_rows<'a>(
    district: Option<&DistrictData>,
    units: impl IntoIterator<Item = (DocId, &'a UnitData)>,
) -> Vec<LeadRow> {
    let mut out: Vec<LeadRow> = units
        .into_iter()
        .flat_map(|(doc, u)| {
            let unit_name = district
                .and_then(|d| d.units.get(&u.unit_id))
                .map(|e| e.name.clone())
                .unwrap_or_default();
            u.leads.values().map(move |l| LeadRow {
                doc,
                unit_name: unit_name.clone(),
                advisor: u
                    .appointments
                    .get(&l.advisor_id)
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
                lead: l.clone(),
            })
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (
            !a.lead.valid,
            std::cmp::Reverse(a.lead.stage),
            a.lead.lead_date,
            &a.lead.title,
            &a.lead.id,
        )
            .cmp(&(
                !b.lead.valid,
                std::cmp::Reverse(b.lead.stage),
                b.lead.lead_date,
                &b.lead.title,
                &b.lead.id,
            ))
    });
    out
}

/// The register's entries of `kind`, newest first, then by name.
pub fn exchange_rows(district: &DistrictData, kind: ExchangeKind) -> Vec<TalentExchange> {
    let mut v: Vec<TalentExchange> = district
        .exchanges
        .values()
        .filter(|x| x.kind == kind)
        .cloned()
        .collect();
    sorting::sort_by(&mut v, |a, b| {
        (std::cmp::Reverse(a.start), &a.name, &a.id).cmp(&(
            std::cmp::Reverse(b.start),
            &b.name,
            &b.id,
        ))
    });
    v
}

/// The school pairs, for a teacher's pair: `(id, "from → to")`.
pub fn pair_choices(district: &DistrictData) -> Vec<(Id, String)> {
    exchange_rows(district, ExchangeKind::SchoolPair)
        .into_iter()
        .map(|p| (p.id, format!("{} → {}", p.from_org, p.to_org)))
        .collect()
}

/// The name of a register entry's village or school pair.
pub fn exchange_place(district: &DistrictData, x: &TalentExchange) -> String {
    if let Some(u) = x.unit_id.as_ref().and_then(|u| district.units.get(u)) {
        return u.name.clone();
    }
    if let Some(p) = x.pair_id.as_ref().and_then(|p| district.exchanges.get(p)) {
        return format!("{} → {}", p.from_org, p.to_org);
    }
    match (x.from_org.is_empty(), x.to_org.is_empty()) {
        (true, true) => String::new(),
        _ => format!("{} → {}", x.from_org, x.to_org),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::entities::LeadStage;

    #[test]
    fn demo_leads_and_register_rows() {
        let demo = yanzhen_model::demo::generate(7);
        let units: Vec<(DocId, &UnitData)> = demo
            .units
            .iter()
            .map(|u| (demo.district.units[&u.unit_id].doc_id.unwrap(), u))
            .collect();
        let rows = lead_rows(Some(&demo.district), units.iter().copied());
        assert_eq!(rows.len(), 20);
        assert!(
            rows.iter()
                .all(|r| !r.advisor.is_empty() && !r.unit_name.is_empty())
        );
        assert_eq!(rows[0].lead.stage, LeadStage::FundsArrived);
        assert!(!rows.last().unwrap().lead.valid);
        let f = yanzhen_model::rules::investment_funnel(units.iter().map(|u| u.1));
        assert_eq!(
            (f.leads, f.visits, f.projects, f.funds_yuan),
            (17, 13, 4, 10_300_000)
        );

        assert_eq!(
            exchange_rows(&demo.district, ExchangeKind::SchoolPair).len(),
            12
        );
        assert_eq!(pair_choices(&demo.district).len(), 12);
        let t = &exchange_rows(&demo.district, ExchangeKind::Teacher)[0];
        assert!(exchange_place(&demo.district, t).contains(" → "));
        let h = &exchange_rows(&demo.district, ExchangeKind::DemoHousehold)[0];
        assert!(exchange_place(&demo.district, h).ends_with('村'));
        assert_eq!(appointment_totals(&demo.units), (42, 96));
    }
}
