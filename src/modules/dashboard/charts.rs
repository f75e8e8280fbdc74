//! Geometry of the dashboard's inline SVG charts, in SVG user units: bar
//! lengths scaled to the largest value, funnel bars centred, stacked bars
//! split into segments; the funnels' steps from the reference figures.
//! The components only draw what these return.

use yanzhen_model::figures::ReferenceFigures;

use crate::modules::dashboard::components::funnel::FunnelStep;
use crate::modules::dashboard::messages::DashMsg;

/// Length of a bar for `value` when `max` fills `full` (a non-zero value
/// is at least 2 units long, so it stays visible).
pub fn scale(value: f64, max: f64, full: f64) -> f64 {
    if max <= 0.0 || value <= 0.0 {
        return 0.0;
    }
    (value / max * full).clamp(2.0, full)
}

/// A horizontal span: start and length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub x: f64,
    pub width: f64,
}

/// A funnel step's bar, centred in `full`.
pub fn funnel_bar(value: f64, max: f64, full: f64) -> Span {
    let width = scale(value, max, full);
    Span {
        x: (full - width) / 2.0,
        width,
    }
}

/// Consecutive segments of a stacked bar for `parts`, scaled so `max`
/// fills `full`, starting at `x0`.
pub fn stack(parts: &[f64], max: f64, full: f64, x0: f64) -> Vec<Span> {
    let mut x = x0;
    parts
        .iter()
        .map(|p| {
            let width = if max > 0.0 { p / max * full } else { 0.0 };
            let s = Span { x, width };
            x += width;
            s
        })
        .collect()
}

/// The share `part / whole` in whole percent (rounded half up; 0 when the
/// whole is 0).
pub fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        0
    } else {
        ((part * 200 + whole) / (whole * 2)) as u32
    }
}

/// The steps of the investment funnel.
pub fn investment_steps(f: &ReferenceFigures) -> Vec<FunnelStep> {
    vec![
        FunnelStep {
            key: "leads",
            label: DashMsg::StepLeads,
            value: f.investment_leads,
        },
        FunnelStep {
            key: "visits",
            label: DashMsg::StepVisits,
            value: f.investment_visits,
        },
        FunnelStep {
            key: "projects",
            label: DashMsg::StepProjects,
            value: f.investment_projects,
        },
    ]
}

/// The steps of the reserve-cadre funnel.
pub fn reserve_steps(f: &ReferenceFigures) -> Vec<FunnelStep> {
    vec![
        FunnelStep {
            key: "selected",
            label: DashMsg::StepSelected,
            value: f.reserve_selected,
        },
        FunnelStep {
            key: "entered",
            label: DashMsg::StepEntered,
            value: f.reserve_entered_committee,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value() {
        assert_eq!(scale(17.0, 17.0, 600.0), 600.0);
        assert_eq!(scale(0.0, 17.0, 600.0), 0.0);
        assert_eq!(scale(0.01, 17.0, 600.0), 2.0);
        assert_eq!(scale(5.0, 0.0, 600.0), 0.0);
        let b = funnel_bar(4.0, 16.0, 600.0);
        assert_eq!(
            b,
            Span {
                x: 225.0,
                width: 150.0
            }
        );
    }

    #[test]
    fn stacks_are_consecutive() {
        let s = stack(&[2.0, 1.0, 1.0], 8.0, 400.0, 100.0);
        assert_eq!(
            s,
            vec![
                Span {
                    x: 100.0,
                    width: 100.0
                },
                Span {
                    x: 200.0,
                    width: 50.0
                },
                Span {
                    x: 250.0,
                    width: 50.0
                }
            ]
        );
        assert_eq!(percent(25, 99), 25);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(0, 0), 0);
    }
}
