//! Slow link (placeholder until written).
use anyhow::Result;
use loadgen::report::Figure;
pub async fn slow_link(
    _: &crate::procs::ServerPaths,
    _: loadgen::workload::StormSpec,
) -> Result<Vec<Figure>> {
    Ok(vec![])
}
