//! Benchmark figures and the two files `cargo xtask bench` writes:
//! `BENCHMARKS.md` (readable: machine, versions, one table per section, then
//! the hand-written analysis from `bench/NOTES.md`) and `bench/results.json`
//! (one object per figure: name, ours, reference, ratio, target, pass).
//!
//! Each measuring command appends its figures as JSON lines to one file;
//! [`render`] turns that file into the report.

use serde::{Deserialize, Serialize};

use crate::Error;

/// How a figure is judged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Target {
    /// `ours` must be at most this.
    Max(f64),
    /// `ours ÷ reference` must be at most this.
    RatioMax(f64),
    /// `ours` must be at least this.
    Min(f64),
    /// Informational only.
    None,
}

/// One measured figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Section of the report ("reconnect storm", "app download", …).
    pub section: String,
    /// What was measured.
    pub name: String,
    /// Unit of `ours` and `reference`.
    pub unit: String,
    /// Our value.
    pub ours: f64,
    /// The reference's value, if there is one.
    pub reference: Option<f64>,
    /// `ours ÷ reference`.
    pub ratio: Option<f64>,
    /// The target, as text ("≤ 550 KB", "ratio ≤ 0.20", …).
    pub target: String,
    /// Whether the target is met (`None`: no target).
    pub pass: Option<bool>,
    /// How it was measured, what it includes.
    #[serde(default)]
    pub note: String,
}

impl Figure {
    /// A figure without reference or target.
    pub fn new(section: &str, name: &str, unit: &str, ours: f64) -> Self {
        Self {
            section: section.into(),
            name: name.into(),
            unit: unit.into(),
            ours,
            reference: None,
            ratio: None,
            target: String::new(),
            pass: None,
            note: String::new(),
        }
    }

    /// Adds the reference's value (and the ratio).
    pub fn reference(mut self, reference: f64) -> Self {
        self.reference = Some(reference);
        self.ratio = (reference != 0.0).then(|| self.ours / reference);
        self
    }

    /// Judges the figure.
    pub fn target(mut self, target: Target) -> Self {
        match target {
            Target::Max(max) => {
                self.target = format!("≤ {} {}", fmt_num(max), self.unit);
                self.pass = Some(self.ours <= max);
            }
            Target::Min(min) => {
                self.target = format!("≥ {} {}", fmt_num(min), self.unit);
                self.pass = Some(self.ours >= min);
            }
            Target::RatioMax(max) => {
                self.target = format!("ratio ≤ {}", fmt_num(max));
                self.pass = self.ratio.map(|r| r <= max);
            }
            Target::None => {}
        }
        self
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}

/// A number with a sensible number of digits.
pub fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// Appends figures to a JSON-lines file.
pub fn append(path: &str, figures: &[Figure]) -> Result<(), Error> {
    use std::io::Write as _;
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    for fig in figures {
        let line = serde_json::to_string(fig).map_err(|source| Error::Json {
            path: path.into(),
            source,
        })?;
        writeln!(f, "{line}").map_err(io)?;
    }
    Ok(())
}

/// Reads a JSON-lines file of figures.
pub fn read(path: &str) -> Result<Vec<Figure>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).map_err(|source| Error::Json {
                path: path.into(),
                source,
            })
        })
        .collect()
}

/// `bench/results.json`: the machine and every figure.
pub fn results_json(machine: &[(String, String)], figures: &[Figure]) -> serde_json::Value {
    serde_json::json!({
        "machine": machine.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect::<serde_json::Map<_, _>>(),
        "figures": figures,
    })
}

/// `BENCHMARKS.md`: machine, tables per section, then `notes` verbatim.
pub fn render(machine: &[(String, String)], figures: &[Figure], notes: &str) -> String {
    let mut s = String::new();
    s.push_str("# Benchmarks\n\n");
    s.push_str(
        "Written by `cargo xtask bench` (do not edit by hand: the analysis below the \
         tables comes from `bench/NOTES.md`). Machine-readable: `bench/results.json`. \
         Ratio = ours ÷ reference (lower is better for every figure here).\n\n",
    );
    s.push_str("## Machine and versions\n\n| | |\n|---|---|\n");
    for (k, v) in machine {
        s.push_str(&format!("| {k} | {} |\n", v.replace('|', "\\|")));
    }
    let passed = figures.iter().filter(|f| f.pass == Some(true)).count();
    let judged = figures.iter().filter(|f| f.pass.is_some()).count();
    s.push_str(&format!("\n**Targets met: {passed} of {judged}.**\n"));
    let mut sections: Vec<&str> = Vec::new();
    for f in figures {
        if !sections.contains(&f.section.as_str()) {
            sections.push(&f.section);
        }
    }
    // Sections are numbered: report them in order, whatever ran first.
    sections.sort_unstable();
    for section in sections {
        s.push_str(&format!(
            "\n## {section}\n\n| figure | ours | reference | ratio | target | pass | how |\n|---|---:|---:|---:|---|---|---|\n"
        ));
        for f in figures.iter().filter(|f| f.section == section) {
            let opt = |x: Option<f64>| x.map_or("–".to_owned(), fmt_num);
            let pass = match f.pass {
                Some(true) => "✅ yes",
                Some(false) => "❌ no",
                None => "",
            };
            s.push_str(&format!(
                "| {} | {} {} | {} | {} | {} | {} | {} |\n",
                f.name,
                fmt_num(f.ours),
                f.unit,
                opt(f.reference),
                opt(f.ratio),
                f.target,
                pass,
                f.note.replace('|', "\\|")
            ));
        }
    }
    if !notes.trim().is_empty() {
        s.push('\n');
        s.push_str(notes.trim());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_judged_and_rendered() {
        let f = Figure::new("storm", "time", "s", 1.0)
            .reference(10.0)
            .target(Target::RatioMax(0.2));
        assert_eq!(f.ratio, Some(0.1));
        assert_eq!(f.pass, Some(true));
        let g = Figure::new("size", "gzip", "KB", 600.0).target(Target::Max(550.0));
        assert_eq!(g.pass, Some(false));
        let md = render(&[("cpu".into(), "x".into())], &[f, g], "## Notes\n");
        assert!(md.contains("| time | 1.00 s | 10.0 | 0.100 | ratio ≤ 0.200 | ✅ yes |"));
        assert!(md.contains("Targets met: 1 of 2"));
        assert!(md.ends_with("## Notes\n"));
    }
}
