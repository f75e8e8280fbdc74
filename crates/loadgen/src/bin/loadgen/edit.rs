//! One field edit (placeholder until written).
use anyhow::Result;
use loadgen::report::Figure;
pub async fn run(_: &crate::procs::ServerPaths) -> Result<Vec<Figure>> {
    Ok(vec![])
}
