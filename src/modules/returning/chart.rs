//! Geometry of the 归雁 charts (pure numbers; the components draw them as
//! SVG): the compliance bar chart (one horizontal bar per village) and the
//! investment funnel (leads → visits → projects, then the funds).

use yanzhen_model::returning::VillageCompliance;
use yanzhen_model::rules::Funnel;

/// The bar chart's drawing width (SVG units; scaled to the card).
pub const BAR_WIDTH: f64 = 960.0;
/// Height of one bar row.
pub const BAR_ROW: f64 = 34.0;
/// Width of the name column on the left.
pub const BAR_LABEL: f64 = 220.0;
/// Width of the percentage column on the right.
pub const BAR_VALUE: f64 = 80.0;

/// One bar: the village, its percentage and where it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub percent: u32,
    pub y: f64,
    pub width: f64,
}

/// The bars of `rows` (villages without appointees are not in `rows`) and
/// the chart's height.
pub fn bars(rows: &[VillageCompliance]) -> (Vec<Bar>, f64) {
    let span = BAR_WIDTH - BAR_LABEL - BAR_VALUE;
    let v = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let percent = r.compliance.percent().unwrap_or(0);
            Bar {
                label: r.name.clone(),
                percent,
                y: i as f64 * BAR_ROW,
                width: span * f64::from(percent.min(100)) / 100.0,
            }
        })
        .collect();
    (v, rows.len() as f64 * BAR_ROW)
}

/// The funnel's drawing width and band height.
pub const FUNNEL_WIDTH: f64 = 720.0;
pub const FUNNEL_BAND: f64 = 78.0;

/// One band of the funnel: a trapezoid from `top` width to `bottom` width.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub top: f64,
    pub bottom: f64,
    pub y: f64,
}

impl Band {
    /// The SVG polygon points, centred in the drawing.
    pub fn points(&self) -> String {
        let c = FUNNEL_WIDTH / 2.0;
        let (t, b) = (self.top / 2.0, self.bottom / 2.0);
        let (y0, y1) = (self.y, self.y + FUNNEL_BAND - 6.0);
        format!(
            "{:.1},{y0:.1} {:.1},{y0:.1} {:.1},{y1:.1} {:.1},{y1:.1}",
            c - t,
            c + t,
            c + b,
            c - b
        )
    }
}

/// Four bands: leads, visits, projects (widths in proportion to the
/// counts, at least a readable minimum) and the funds (as wide as the
/// projects that brought them).
pub fn funnel_bands(f: &Funnel) -> [Band; 4] {
    let max = f.leads.max(1) as f64;
    let min = 200.0;
    let w = |n: usize| min + (FUNNEL_WIDTH - min) * (n as f64 / max).min(1.0);
    let widths = [w(f.leads), w(f.visits), w(f.projects), w(f.projects)];
    let next = [widths[1], widths[2], widths[3], widths[3] * 0.8];
    std::array::from_fn(|i| Band {
        top: widths[i],
        bottom: next[i],
        y: i as f64 * FUNNEL_BAND,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::Id;
    use yanzhen_model::returning::Compliance;

    #[test]
    fn bars_scale_with_the_percentage() {
        let row = |n: u8, contacted| VillageCompliance {
            unit_id: Id::from_random_bytes([n; 16]),
            name: format!("村{n}"),
            township: "镇".into(),
            compliance: Compliance {
                appointees: 4,
                contacted,
            },
        };
        let (b, h) = bars(&[row(1, 4), row(2, 1), row(3, 0)]);
        assert_eq!(h, 3.0 * BAR_ROW);
        let span = BAR_WIDTH - BAR_LABEL - BAR_VALUE;
        assert_eq!(b[0].width, span);
        assert_eq!(b[1].percent, 25);
        assert_eq!(b[1].width, span / 4.0);
        assert_eq!((b[2].width, b[2].y), (0.0, 2.0 * BAR_ROW));
    }

    #[test]
    fn funnel_narrows_with_the_counts() {
        let f = Funnel {
            leads: 17,
            visits: 13,
            projects: 4,
            funds_yuan: 10_300_000,
        };
        let b = funnel_bands(&f);
        assert_eq!(b[0].top, FUNNEL_WIDTH);
        assert!(b[0].top > b[1].top && b[1].top > b[2].top);
        assert_eq!(b[2].top, b[3].top);
        assert_eq!(b[0].bottom, b[1].top);
        assert!(b[0].points().starts_with("0.0,0.0 720.0,0.0"));
        let empty = funnel_bands(&Funnel::default());
        assert!(empty.iter().all(|b| b.top >= 200.0));
    }
}
