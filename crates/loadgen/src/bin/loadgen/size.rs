//! App size (placeholder until written).
use anyhow::Result;
use loadgen::report::Figure;
pub fn figures(_: &std::path::Path, _: &str) -> Result<Vec<Figure>> {
    Ok(vec![])
}
