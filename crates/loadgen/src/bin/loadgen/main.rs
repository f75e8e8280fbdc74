//! `loadgen`: the measuring commands of `cargo xtask bench`. Each appends
//! its figures (JSON lines, [`loadgen::report::Figure`]) to `--out`:
//!
//! * `storm`: the reconnect storm against our server and the reference.
//! * `city`: the reconnect storm at city scale on SQLite, PostgreSQL and
//!   two nodes behind HAProxy, and the node model for a province ([`city`];
//!   `--tablets 5000 --docs 2700 --changes 5 --edits 50 --setups
//!   sqlite,postgres,two`).
//! * `edit`: one field edit, two clients, bytes/round trips/latency.
//! * `slow`: one storm tablet through a shaped loopback proxy.
//! * `merge`: the offline merge, native.
//! * `size <dist>`: the app download, raw / gzip / brotli.
//! * `add`: one figure measured elsewhere (`--section --name --unit --ours
//!   [--max] [--note]`).
//! * `report`: renders `BENCHMARKS.md` and `bench/results.json`.
//! * `kill`, `flap`, `load`, `corpus <dir>`: the long fault and load runs
//!   of `cargo xtask soak`, and the fuzz seed corpus ([`faults`]).
//! * `table`: prints the figures of `--out` as the soak's result table.
//! * `ref-seed <file>`: the demo district (the seed `--demo` uses) in
//!   automerge-repo's storage layout, for the cold open's JS reference
//!   ([`ref_seed`]).
//!
//! Common options: `--server <yanzhen-server>`, `--reference
//! <bench/reference-server.mjs>`, `--scratch <dir>`, `--out <figures.jsonl>`.

mod city;
mod edit;
mod faults;
mod procs;
mod proxy;
mod size;
mod storm;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use loadgen::report::{self, Figure, Target};
use loadgen::workload::StormSpec;

/// Options as `--name value` pairs after the command.
struct Args {
    command: String,
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Args {
    fn parse() -> Result<Args> {
        let mut it = std::env::args().skip(1);
        let command = it.next().unwrap_or_default();
        let (mut positional, mut named) = (Vec::new(), Vec::new());
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let v = it
                    .next()
                    .with_context(|| format!("--{name} needs a value"))?;
                named.push((name.to_owned(), v));
            } else {
                positional.push(a);
            }
        }
        Ok(Args {
            command,
            positional,
            named,
        })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.named
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn path(&self, name: &str) -> Result<PathBuf> {
        self.get(name)
            .map(PathBuf::from)
            .with_context(|| format!("--{name} is required"))
    }

    fn num(&self, name: &str, default: u32) -> Result<u32> {
        self.get(name)
            .map_or(Ok(default), str::parse)
            .with_context(|| format!("--{name}"))
    }

    fn servers(&self) -> Result<procs::ServerPaths> {
        let scratch = self.path("scratch")?;
        std::fs::create_dir_all(&scratch)?;
        Ok(procs::ServerPaths {
            ours: self.path("server")?,
            reference: self.path("reference")?,
            scratch,
        })
    }
}

fn main() -> Result<()> {
    let args = Args::parse()?;
    let out = args.get("out").unwrap_or("figures.jsonl").to_owned();
    let figures = match args.command.as_str() {
        "storm" => runtime()?.block_on(storm_cmd(&args))?,
        "edit" => runtime()?.block_on(edit::run(&args.servers()?))?,
        "city" => runtime()?.block_on(city_cmd(&args))?,
        "slow" => runtime()?.block_on(slow_cmd(&args))?,
        "merge" => merge_cmd()?,
        "size" => {
            let dist = args.positional.first().context("size <dist dir>")?;
            size::figures(dist.as_ref(), args.get("label").unwrap_or("app as built"))?
        }
        "report" => return report_cmd(&args, &out),
        "kill" => runtime()?.block_on(faults::kill(
            &args.path("server")?,
            &scratch(&args)?,
            args.num("tablets", 200)?,
            args.num("group", 4)?,
            args.num("adds", 5)?,
            args.num("edits", 5)?,
            u64::from(args.num("kill-after", 400)?),
        ))?,
        "flap" => runtime()?.block_on(faults::flap(
            &args.path("server")?,
            &scratch(&args)?,
            args.num("tablets", 40)?,
            args.num("rounds", 3)?,
        ))?,
        "load" => runtime()?.block_on(faults::load(
            &args.path("server")?,
            &scratch(&args)?,
            args.num("clients", 1000)?,
            args.num("edits", 3)?,
        ))?,
        "corpus" => {
            let dir = args.positional.first().context("corpus <dir>")?;
            let n = faults::corpus(dir.as_ref())?;
            eprintln!("wrote {n} corpus files under {dir}");
            return Ok(());
        }
        "table" => return table_cmd(&out),
        "ref-seed" => {
            let file = args.positional.first().context("ref-seed <file>")?;
            let n = ref_seed(file.as_ref())?;
            eprintln!("wrote {n} storage entries to {file}");
            return Ok(());
        }
        "add" => add_cmd(&args)?,
        other => {
            bail!(
                "unknown command {other:?}: storm | city | edit | slow | merge | size <dist> | report | kill | flap | load | corpus <dir> | table | ref-seed <file>"
            )
        }
    };
    for f in &figures {
        eprintln!(
            "{}: {} = {} {} (reference {:?}, target {} → {:?})",
            f.section,
            f.name,
            report::fmt_num(f.ours),
            f.unit,
            f.reference.map(report::fmt_num),
            f.target,
            f.pass
        );
    }
    report::append(&out, &figures)?;
    Ok(())
}

fn scratch(args: &Args) -> Result<PathBuf> {
    let s = args.path("scratch")?;
    std::fs::create_dir_all(&s)?;
    Ok(s)
}

/// Prints the figures as one table: item, figure, value, target, pass.
fn table_cmd(figures_path: &str) -> Result<()> {
    let figures = report::read(figures_path)?;
    println!("| item | figure | value | target | pass | how |");
    println!("|---|---|---:|---|---|---|");
    for f in &figures {
        let pass = match f.pass {
            Some(true) => "PASS",
            Some(false) => "FAIL",
            None => "",
        };
        println!(
            "| {} | {} | {} {} | {} | {} | {} |",
            f.section,
            f.name,
            report::fmt_num(f.ours),
            f.unit,
            f.target,
            pass,
            f.note.replace('|', "\\|")
        );
    }
    let failed = figures.iter().filter(|f| f.pass == Some(false)).count();
    if failed > 0 {
        bail!("{failed} figures failed");
    }
    Ok(())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn spec(args: &Args) -> Result<StormSpec> {
    let d = StormSpec::default();
    Ok(StormSpec {
        tablets: args.num("tablets", d.tablets)?,
        docs: args.num("docs", d.docs)?,
        changes: args.num("changes", d.changes)?,
        group: args.num("group", d.group)?,
    })
}

const STORM: &str = "1. Reconnect storm";

async fn storm_cmd(args: &Args) -> Result<Vec<Figure>> {
    let paths = args.servers()?;
    let spec = spec(args)?;
    let limit = Duration::from_secs(u64::from(args.num("limit-s", 240)?));
    let p = storm::prepare(spec)?;
    let ours = storm::run(procs::Kind::Ours, &paths, &p, limit).await?;
    let reference = storm::run(procs::Kind::Reference, &paths, &p, limit).await?;
    let shape = format!(
        "{} tablets × {} documents × {} offline changes, {} tablets per document ({} documents)",
        spec.tablets,
        spec.docs,
        spec.changes,
        spec.group,
        spec.document_count()
    );
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    Ok(vec![
        Figure::new(STORM, "time until every replica converged", "s", ours.converge_s)
            .reference(reference.converge_s)
            .target(Target::RatioMax(0.2))
            .note(format!(
                "{shape}; all tablets connect at once; until each tablet has every change of its documents and the server told it it has them too. Median tablet: ours {:.2} s, reference {:.2} s. Load average before: {} / {}",
                ours.tablet_p50_s, reference.tablet_p50_s, ours.load_before, reference.load_before
            )),
        Figure::new(STORM, "server CPU", "s", ours.server_cpu_s)
            .reference(reference.server_cpu_s)
            .target(Target::None)
            .note(format!(
                "user+system, from the storm's start until 1 s after the last tablet converged. Load generator CPU meanwhile: ours {:.1} s, reference {:.1} s",
                ours.loadgen_cpu_s, reference.loadgen_cpu_s
            )),
        Figure::new(STORM, "server peak RSS", "MiB", ours.server_peak_rss_mib)
            .reference(reference.server_peak_rss_mib)
            .target(Target::RatioMax(0.25))
            .note("VmHWM of the server process over its life (start, seeding the documents, storm)"),
        Figure::new(STORM, "tablets → server", "MiB", mib(ours.traffic.wire_sent))
            .reference(mib(reference.traffic.wire_sent))
            .note(format!(
                "all tablets, WebSocket frames; {} / {} messages",
                ours.traffic.sent_msgs, reference.traffic.sent_msgs
            )),
        Figure::new(STORM, "server → tablets", "MiB", mib(ours.traffic.wire_recv))
            .reference(mib(reference.traffic.wire_recv))
            .note(format!(
                "all tablets, WebSocket frames; {} / {} messages",
                ours.traffic.recv_msgs, reference.traffic.recv_msgs
            )),
        Figure::new(STORM, "seeding the documents (one client)", "s", ours.seed_s)
            .reference(reference.seed_s)
            .note("not part of the storm: one client uploads every base document before it"),
    ])
}

async fn city_cmd(args: &Args) -> Result<Vec<Figure>> {
    let spec = city::CitySpec {
        tablets: args.num("tablets", 5000)?,
        docs: args.num("docs", 2700)?.max(1),
        changes: args.num("changes", 5)?,
        edits: args.num("edits", 50)?.max(1),
    };
    let setups = args
        .get("setups")
        .unwrap_or("sqlite,postgres,two")
        .split(',')
        .map(city::Setup::parse)
        .collect::<Result<Vec<_>>>()?;
    let limit = Duration::from_secs(u64::from(args.num("limit-s", 600)?));
    let bin = args.path("server")?;
    let scratch = scratch(args)?;
    let p = tokio::task::block_in_place(|| city::prepare(spec))?;
    let mut figures = Vec::new();
    let mut results = Vec::new();
    let mut failed = Vec::new();
    for setup in setups {
        // One deployment failing keeps the others' figures.
        match city::run(setup, &bin, &scratch, &p, limit).await {
            Ok(r) => {
                figures.extend(city::figures(&spec, &r));
                results.push(r);
            }
            Err(e) => {
                eprintln!("city {}: FAILED: {e:#}", setup.label());
                failed.push(setup.label());
            }
        }
    }
    if results.is_empty() {
        bail!("every city storm failed: {}", failed.join(", "));
    }
    figures.extend(city::model(&spec, &results));
    Ok(figures)
}

async fn slow_cmd(args: &Args) -> Result<Vec<Figure>> {
    let paths = args.servers()?;
    let spec = spec(args)?;
    proxy::slow_link(&paths, spec).await
}

const MERGE: &str = "5. Offline merge";

fn merge_cmd() -> Result<Vec<Figure>> {
    let (base, reps) = loadgen::workload::merge_workload()?;
    let mut times = Vec::new();
    for _ in 0..10 {
        let (mut target, mut reps) = (base.clone(), reps.clone());
        let t0 = std::time::Instant::now();
        loadgen::workload::merge_all(&mut target, &mut reps)?;
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    // The same changes applied in one batch (all replicas' changes at once).
    let mut batch_times = Vec::new();
    let base_heads = base.heads();
    let all: Vec<automerge::Change> = reps
        .iter()
        .flat_map(|r| r.automerge().get_changes(&base_heads))
        .collect();
    for _ in 0..10 {
        let mut target = base.clone().into_automerge();
        let changes = all.clone();
        let t0 = std::time::Instant::now();
        target.apply_changes(changes)?;
        batch_times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    batch_times.sort_by(f64::total_cmp);
    Ok(vec![
        Figure::new(MERGE, "10 replicas × 500 changes merged, native", "ms", times[5])
            .target(Target::Max(100.0))
            .note("median of 10, release build; `UnitDocument::merge` of each replica in turn; the workload of the model crate's divan bench (crates/model/benches/model.rs)"),
        Figure::new(MERGE, "the same 5000 changes applied in one batch, native", "ms", batch_times[5])
            .note("median of 10; `Automerge::apply_changes` with every replica's changes at once (what a node could do with one sync message carrying them all)"),
    ])
}

fn add_cmd(args: &Args) -> Result<Vec<Figure>> {
    let get = |k: &str| args.get(k).with_context(|| format!("--{k} is required"));
    let ours: f64 = get("ours")?.parse().context("--ours")?;
    let mut f = Figure::new(
        get("section")?,
        get("name")?,
        args.get("unit").unwrap_or(""),
        ours,
    );
    if let Some(reference) = args.get("reference") {
        f = f.reference(reference.parse().context("--reference")?);
    }
    if let Some(max) = args.get("max") {
        f = f.target(Target::Max(max.parse().context("--max")?));
    }
    if let Some(max) = args.get("max-ratio") {
        f = f.target(Target::RatioMax(max.parse().context("--max-ratio")?));
    }
    if let Some(min) = args.get("min") {
        f = f.target(Target::Min(min.parse().context("--min")?));
    }
    if let Some(note) = args.get("note") {
        f = f.note(note);
    }
    Ok(vec![f])
}

fn report_cmd(args: &Args, figures_path: &str) -> Result<()> {
    let figures = report::read(figures_path)?;
    let machine = machine_info(args);
    let notes = args
        .get("notes")
        .map(std::fs::read_to_string)
        .transpose()
        .context("reading the notes")?
        .unwrap_or_default();
    let md = args.path("markdown")?;
    let json = args.path("json")?;
    std::fs::write(&md, report::render(&machine, &figures, &notes))?;
    std::fs::write(
        &json,
        serde_json::to_string_pretty(&report::results_json(&machine, &figures))? + "\n",
    )?;
    eprintln!("wrote {} and {}", md.display(), json.display());
    Ok(())
}

/// The machine and tool versions for the report.
fn machine_info(args: &Args) -> Vec<(String, String)> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    let mem = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:").map(|v| v.trim().to_owned()))
        .unwrap_or_default();
    let version = |cmd: &str, arg: &str| {
        std::process::Command::new(cmd)
            .arg(arg)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_else(|| "not found".into())
    };
    let mut v = vec![
        ("CPU".to_owned(), format!("{cpu} × {}", std::thread::available_parallelism().map_or(0, |n| n.get()))),
        ("memory".to_owned(), mem),
        ("kernel".to_owned(), read("/proc/sys/kernel/osrelease").trim().to_owned()),
        ("rustc".to_owned(), version("rustc", "--version")),
        ("node".to_owned(), version("node", "--version")),
        ("chromium".to_owned(), version("chromium", "--version")),
        ("automerge (Rust)".to_owned(), "0.12 (Cargo.lock)".to_owned()),
        (
            "reference".to_owned(),
            "@automerge/automerge-repo 2.5.6, -network-websocket 2.5.6, -storage-nodefs 2.5.6, @automerge/automerge 3.5.0 (bench/package.json)".to_owned(),
        ),
        ("load average at report time".to_owned(), procs::loadavg()),
    ];
    for (k, val) in &args.named {
        if let Some(key) = k.strip_prefix("info-") {
            v.push((key.replace('-', " "), val.clone()));
        }
    }
    v
}

/// Writes the demo district as the server stores it for `--demo` (the same
/// bytes under the same automerge-repo keys, `/`-joined) to `file`, for the
/// cold open's JS reference (`bench/cold-open.mjs` writes the entries into
/// the reference's IndexedDB): entry by entry, a `u16` key length, the
/// key, a `u32` data length and the data, little-endian. The app's own
/// export is sealed, so the reference cannot read the documents from it.
/// Returns the number of entries.
fn ref_seed(file: &std::path::Path) -> Result<usize> {
    let (_, entries) = yanzhen_server::demo::demo_entries(yanzhen_server::demo::DEFAULT_SEED)?;
    let mut out = Vec::new();
    for (key, data) in &entries {
        out.extend_from_slice(&u16::try_from(key.len())?.to_le_bytes());
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(&u32::try_from(data.len())?.to_le_bytes());
        out.extend_from_slice(data);
    }
    std::fs::write(file, out)?;
    Ok(entries.len())
}
