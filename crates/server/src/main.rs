//! `yanzhen-server` binary: parse the CLI, set up logging, run the library.

use clap::Parser as _;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = yanzhen_server::Cli::parse();
    // Every log line names the node (`--node-id`), as text or JSON.
    let (format, node_id) = cli.log_settings();
    yanzhen_server::logging::init(format, &node_id);
    yanzhen_server::run(cli).await?;
    Ok(())
}
