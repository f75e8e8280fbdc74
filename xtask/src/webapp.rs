//! The web app's release build, split by module (issue 16): what trunk did,
//! plus the one step trunk cannot run — splitting the linked wasm *before*
//! wasm-bindgen. Into a fresh `dist`:
//!
//! 1. cargo builds the `yanzhen` binary for wasm32 (profile `wasm-release`)
//!    with `--cfg yanzhen_split`, which turns the app's module screens into
//!    split points (`src/ui/lazy_screen.rs`), and `--emit-relocs`, which the
//!    splitter reads (so the profile's `strip` is off for this build);
//! 2. `wasm_split_cli_support` cuts it into the main module (the shell) and
//!    one `.wasm` per module (plus shared chunks), with the JS link module
//!    that loads a chunk the first time its code is called;
//! 3. wasm-bindgen (the pinned CLI) makes the JS glue for the main module;
//! 4. every built file gets a content hash in its name (the JS glue and the
//!    link module, which import each other, share one), so the server can
//!    mark them `immutable`; `index.html` is written from the source one
//!    (its `data-trunk` links: the app, the CSS, copied files) and
//!    `assets/sw.js` is stamped with the build's hash and every file, every
//!    chunk included, so a tablet precaches the whole app as one set.
//!
//! Precompression and the server build follow in [`super::build`].

use super::{cargo, run_checked, target_dir, tools};
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary (and output name) of the app.
const APP: &str = "yanzhen";
/// The link module the splitter writes and the main module imports.
const LINK: &str = "__wasm_split";
/// The build's placeholders in `assets/sw.js`.
const SW_BUILD: &str = "__YANZHEN_BUILD__";
const SW_ASSETS: &str = "\"__YANZHEN_ASSETS__\"";

/// Builds the app into `dist` (emptied first).
pub fn build_app(root: &Path, dist: &Path) -> Result<()> {
    let linked = compile(root)?;
    let staging = target_dir(root).join("webapp-staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    let chunks = split(&linked, &staging)?;
    bindgen(&staging)?;
    let _ = std::fs::remove_dir_all(dist);
    std::fs::create_dir_all(dist)?;
    let names = place(&staging, &chunks, dist)?;
    write_index(root, dist, &names)?;
    stamp_worker(root, dist)?;
    eprintln!(
        "web app built into {}: main module and {} chunk(s)",
        dist.display(),
        chunks.len()
    );
    Ok(())
}

/// Step 1: the linked wasm, with relocations.
fn compile(root: &Path) -> Result<PathBuf> {
    let mut cmd = cargo();
    cmd.args([
        "build",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        APP,
        "--bin",
        APP,
    ])
    // RUSTFLAGS replaces `.cargo/config.toml`'s wasm32 flags: repeat them.
    .env(
        "RUSTFLAGS",
        "--cfg erase_components --cfg yanzhen_split -Clink-args=--emit-relocs",
    )
    // Stripping would drop the relocation sections the splitter reads;
    // wasm-bindgen drops names and the splitter's output has none.
    .env("CARGO_PROFILE_WASM_RELEASE_STRIP", "false")
    .current_dir(root);
    run_checked(&mut cmd)?;
    Ok(target_dir(root).join(format!("wasm32-unknown-unknown/wasm-release/{APP}.wasm")))
}

/// Step 2: the main module (`<APP>_split.wasm`), the chunks and the link
/// module, in `staging`; returns the chunks' file names.
fn split(linked: &Path, staging: &Path) -> Result<Vec<String>> {
    let wasm = std::fs::read(linked).with_context(|| format!("reading {}", linked.display()))?;
    let main_out = staging.join(format!("{APP}_split.wasm"));
    let main_module = format!("./{APP}.js");
    let link_name = format!("./{LINK}.js");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = staging;
    opts.main_out_path = &main_out;
    opts.main_module = &main_module;
    opts.link_name = &link_name;
    let out = wasm_split_cli_support::transform(opts)
        .map_err(|e| anyhow::anyhow!("splitting the wasm: {e:#}"))?;
    let mut chunks: Vec<String> = out
        .split_modules
        .iter()
        .map(|p| file_name(p))
        .collect::<Result<_>>()?;
    chunks.sort();
    Ok(chunks)
}

fn file_name(p: &Path) -> Result<String> {
    p.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .with_context(|| format!("no file name in {}", p.display()))
}

/// Step 3: wasm-bindgen on the main module: `<APP>.js` and `<APP>_bg.wasm`.
/// The splitter's exports (what the chunks share with the main module)
/// must survive: `--keep-lld-exports`; names stay mangled as the link
/// module refers to them.
fn bindgen(staging: &Path) -> Result<()> {
    run_checked(
        Command::new(tools::wasm_bindgen())
            .arg(staging.join(format!("{APP}_split.wasm")))
            .arg("--out-dir")
            .arg(staging)
            .args([
                "--out-name",
                APP,
                "--target",
                "web",
                "--no-typescript",
                "--keep-lld-exports",
                "--no-demangle",
                "--remove-name-section",
                "--remove-producers-section",
            ]),
    )
}

/// The hash in a built file's name: 16 hex digits of SHA-256.
fn hash_of(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `stem.ext` → `stem-<hash>.ext` (`_bg.wasm` kept as the suffix).
fn hashed_name(name: &str, hash: &str) -> String {
    if let Some(stem) = name.strip_suffix("_bg.wasm") {
        return format!("{stem}-{hash}_bg.wasm");
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}-{hash}.{ext}"),
        None => format!("{name}-{hash}"),
    }
}

/// The hashed names of the main files, for `index.html`.
struct Names {
    js: String,
    wasm: String,
}

/// Step 4a: the app's files into `dist` under hashed names, with the names
/// they refer to each other by rewritten.
fn place(staging: &Path, chunks: &[String], dist: &Path) -> Result<Names> {
    let read = |name: &str| {
        let p = staging.join(name);
        std::fs::read(&p).with_context(|| format!("reading {}", p.display()))
    };
    // Chunks are leaves: their own content names them.
    let mut link = String::from_utf8(read(&format!("{LINK}.js"))?)?;
    for chunk in chunks {
        // The splitter keeps the chunks' `name` sections (wasm-bindgen
        // strips the main module's): up to a third of a chunk.
        let data = without_custom_sections(&read(chunk)?)
            .with_context(|| format!("reading the sections of {chunk}"))?;
        let name = hashed_name(chunk, &hash_of(&[&data]));
        replace_quoted(&mut link, &format!("./{chunk}"), &format!("./{name}"), "")?;
        std::fs::write(dist.join(&name), data)?;
    }
    let bg = read(&format!("{APP}_bg.wasm"))?;
    let wasm = hashed_name(&format!("{APP}_bg.wasm"), &hash_of(&[&bg]));
    std::fs::write(dist.join(&wasm), &bg)?;
    // The glue and the link module import each other: one hash for both.
    let mut glue = String::from_utf8(read(&format!("{APP}.js"))?)?;
    let pair = hash_of(&[glue.as_bytes(), link.as_bytes()]);
    let js = hashed_name(&format!("{APP}.js"), &pair);
    let link_file = hashed_name(&format!("{LINK}.js"), &pair);
    if chunks.is_empty() {
        // Nothing split off (no split points): nothing imports the link.
        ensure_absent(&glue, &format!("./{LINK}.js"))?;
    } else {
        // Only the import statements: the wasm's own import module name
        // (the key of the imports object) stays `./__wasm_split.js`.
        replace_quoted(
            &mut glue,
            &format!("./{LINK}.js"),
            &format!("./{link_file}"),
            "from ",
        )?;
        replace_quoted(
            &mut link,
            &format!("./{APP}.js"),
            &format!("./{js}"),
            "from ",
        )?;
        std::fs::write(dist.join(&link_file), &link)?;
    }
    std::fs::write(dist.join(&js), &glue)?;
    // wasm-bindgen's inline JS snippets, if any, as they are.
    let snippets = staging.join("snippets");
    if snippets.is_dir() {
        copy_dir(&snippets, &dist.join("snippets"))?;
    }
    Ok(Names { js, wasm })
}

/// Reads an unsigned LEB128 number at `*at`, moving past it.
fn leb128(bytes: &[u8], at: &mut usize) -> Result<usize> {
    let mut value: u64 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at).context("truncated number")?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return usize::try_from(value).context("number too large");
        }
    }
    bail!("number longer than 5 bytes")
}

/// The wasm module without its custom sections (id 0: names, producers,
/// target features — none changes what the module does).
fn without_custom_sections(wasm: &[u8]) -> Result<Vec<u8>> {
    const HEADER: &[u8] = b"\0asm\x01\0\0\0";
    if !wasm.starts_with(HEADER) {
        bail!("not a wasm module");
    }
    let mut out = HEADER.to_vec();
    let mut at = HEADER.len();
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let len = leb128(wasm, &mut at)?;
        let end = at.checked_add(len).filter(|&e| e <= wasm.len());
        let end = end.context("a section runs past the end")?;
        if id != 0 {
            out.extend_from_slice(&wasm[start..end]);
        }
        at = end;
    }
    Ok(out)
}

/// Replaces every quoted occurrence of `from` (as `"from"` or `'from'`)
/// right after `before`; fails if there is none, so a changed tool output
/// cannot slip through.
fn replace_quoted(text: &mut String, from: &str, to: &str, before: &str) -> Result<()> {
    let mut found = false;
    for q in ['"', '\''] {
        let pattern = format!("{before}{q}{from}{q}");
        if text.contains(&pattern) {
            *text = text.replace(&pattern, &format!("{before}{q}{to}{q}"));
            found = true;
        }
    }
    if !found {
        bail!("expected a reference to {from} in the generated JS");
    }
    Ok(())
}

fn ensure_absent(text: &str, name: &str) -> Result<()> {
    if text.contains(name) {
        bail!("{name} is imported but the splitter wrote no chunks");
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let dest = to.join(path.file_name().context("file name")?);
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest)?;
        }
    }
    Ok(())
}

/// One `<link data-trunk …>` of the source `index.html`.
#[derive(Debug, PartialEq)]
enum Directive {
    Rust,
    Css(String),
    Copy(String),
}

/// The `data-trunk` directive on a line, if any.
fn directive(line: &str) -> Result<Option<Directive>> {
    if !(line.trim_start().starts_with("<link") && line.contains(" data-trunk")) {
        return Ok(None);
    }
    let attr = |name: &str| {
        let key = format!("{name}=\"");
        line.split_once(&key)
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(v, _)| v.to_owned())
    };
    match attr("rel").as_deref() {
        Some("rust") => Ok(Some(Directive::Rust)),
        Some("css") => Ok(Some(Directive::Css(
            attr("href").context("css without href")?,
        ))),
        Some("copy-file") => Ok(Some(Directive::Copy(
            attr("href").context("copy-file without href")?,
        ))),
        _ => bail!("index.html: unknown data-trunk line: {}", line.trim()),
    }
}

/// Step 4b: `index.html` from the source one; the stylesheet and copied
/// files into `dist`.
fn write_index(root: &Path, dist: &Path, names: &Names) -> Result<()> {
    let source = std::fs::read_to_string(root.join("index.html"))?;
    let mut out = String::new();
    for line in source.lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        match directive(line)? {
            None => out.push_str(line),
            Some(Directive::Rust) => out.push_str(&format!(
                "{indent}<script type=\"module\" src=\"/boot.js\" data-js=\"/{js}\" data-wasm=\"/{wasm}\"></script>\n\
                 {indent}<link rel=\"modulepreload\" href=\"/{js}\">\n\
                 {indent}<link rel=\"preload\" href=\"/{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>",
                js = names.js,
                wasm = names.wasm
            )),
            Some(Directive::Css(href)) => {
                let data = std::fs::read(root.join(&href))
                    .with_context(|| format!("reading {href}"))?;
                let name = hashed_name(&file_name(Path::new(&href))?, &hash_of(&[&data]));
                std::fs::write(dist.join(&name), data)?;
                out.push_str(&format!("{indent}<link rel=\"stylesheet\" href=\"/{name}\">"));
            }
            Some(Directive::Copy(href)) => {
                let name = file_name(Path::new(&href))?;
                std::fs::copy(root.join(&href), dist.join(&name))
                    .with_context(|| format!("copying {href}"))?;
                continue;
            }
        }
        out.push('\n');
    }
    std::fs::write(dist.join("index.html"), out)?;
    Ok(())
}

/// Every file in `dir` (relative, `/`-separated, sorted).
fn all_files(dir: &Path) -> Result<Vec<String>> {
    let mut paths = Vec::new();
    super::build::files(dir, dir, &mut paths)?;
    let mut out: Vec<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    Ok(out)
}

/// Step 4c: `sw.js` stamped with the build (a hash of every file) and the
/// list of every file to precache.
fn stamp_worker(root: &Path, dist: &Path) -> Result<()> {
    let files: Vec<String> = all_files(dist)?
        .into_iter()
        .filter(|f| f != "sw.js")
        .collect();
    let mut contents: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    for f in &files {
        contents.insert(f, std::fs::read(dist.join(f))?);
    }
    let parts: Vec<&[u8]> = contents
        .iter()
        .flat_map(|(name, data)| [name.as_bytes(), data.as_slice()])
        .collect();
    let build = hash_of(&parts);
    let list = files
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(",");
    let sw = std::fs::read_to_string(root.join("assets/sw.js"))?;
    if !sw.contains(SW_BUILD) || !sw.contains(SW_ASSETS) {
        bail!("assets/sw.js lacks its build placeholders");
    }
    let sw = sw
        .replacen(SW_BUILD, &build, 1)
        .replacen(SW_ASSETS, &list, 1);
    std::fs::write(dist.join("sw.js"), sw)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_suffixes_the_server_and_worker_know() {
        assert_eq!(
            hashed_name("yanzhen_bg.wasm", "0123456789abcdef"),
            "yanzhen-0123456789abcdef_bg.wasm"
        );
        assert_eq!(
            hashed_name("main.css", "00ff00ff00ff00ff"),
            "main-00ff00ff00ff00ff.css"
        );
        assert_eq!(hashed_name("split_lead.wasm", "aa"), "split_lead-aa.wasm");
        assert_eq!(hash_of(&[b"a"]).len(), 16);
        // Length-prefixed: moving a byte between parts changes the hash.
        assert_ne!(hash_of(&[b"ab", b"c"]), hash_of(&[b"a", b"bc"]));
    }

    #[test]
    fn a_reference_is_rewritten_only_when_quoted_and_must_exist() {
        let mut js = "import * as a from './__wasm_split.js'; x('./__wasm_split.jsx'); \
                      imports = { './__wasm_split.js': a }"
            .to_owned();
        replace_quoted(
            &mut js,
            "./__wasm_split.js",
            "./__wasm_split-ab.js",
            "from ",
        )
        .unwrap();
        assert_eq!(
            js,
            "import * as a from './__wasm_split-ab.js'; x('./__wasm_split.jsx'); \
             imports = { './__wasm_split.js': a }"
        );
        let mut other = "nothing here".to_owned();
        assert!(replace_quoted(&mut other, "./yanzhen.js", "./y.js", "").is_err());
    }

    #[test]
    fn custom_sections_go_and_the_rest_stays_byte_for_byte() {
        let header = b"\0asm\x01\0\0\0".to_vec();
        // type section (id 1): one `() -> ()`; a custom "name" section with
        // a two-byte length; a custom section at the end.
        let types = [1u8, 4, 1, 0x60, 0, 0];
        let mut name = vec![0u8, 0x86, 0x01, 4];
        name.extend_from_slice(b"name");
        name.extend(std::iter::repeat_n(7u8, 129));
        let producers = [0u8, 3, 2, b'p', b'r'];
        let wasm = [header.clone(), types.to_vec(), name, producers.to_vec()].concat();
        let stripped = without_custom_sections(&wasm).unwrap();
        assert_eq!(stripped, [header.clone(), types.to_vec()].concat());
        // Hostile or broken input is an error, never a panic.
        assert!(without_custom_sections(b"not wasm").is_err());
        let mut cut = header.clone();
        cut.extend_from_slice(&[1, 9, 1]);
        assert!(without_custom_sections(&cut).is_err());
        let mut endless = header;
        endless.extend_from_slice(&[1, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert!(without_custom_sections(&endless).is_err());
    }

    #[test]
    fn index_directives_are_read_and_unknown_ones_refused() {
        assert_eq!(directive("<title>x</title>").unwrap(), None);
        // Words in a comment are not a directive.
        assert_eq!(
            directive("  <!-- replaces the data-trunk links -->").unwrap(),
            None
        );
        assert_eq!(
            directive(r#"  <link data-trunk rel="rust" data-bin="yanzhen">"#).unwrap(),
            Some(Directive::Rust)
        );
        assert_eq!(
            directive(r#"<link data-trunk rel="css" href="style/main.css">"#).unwrap(),
            Some(Directive::Css("style/main.css".into()))
        );
        assert_eq!(
            directive(r#"<link data-trunk rel="copy-file" href="assets/sw.js">"#).unwrap(),
            Some(Directive::Copy("assets/sw.js".into()))
        );
        assert!(directive(r#"<link data-trunk rel="sass" href="a.scss">"#).is_err());
    }
}
