//! `cargo xtask build`: the deployable server, exactly what `cargo xtask
//! run` serves. [`super::webapp`] builds the web app (release, split by
//! module) into `dist/`; every text
//! and wasm file there then gets a brotli (quality 11) `.br` and a gzip
//! (level 9) `.gz` sibling, which the server sends when a browser accepts
//! them (`crates/server/src/assets/encoding.rs`); then the release server is
//! built with `dist/` embedded. Prints each file's size raw / gzip / brotli
//! and the total as served (brotli where a sibling exists).
//!
//! The service worker (`assets/sw.js`, stamped by [`super::webapp`]) lists only
//! the plain files: the siblings are made after it, and the browser
//! negotiates the coding itself.

use super::{build_app, cargo, run_checked, target_dir};
use anyhow::{Context, Result};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Extensions worth compressing (images and fonts already are).
const COMPRESSIBLE: &[&str] = &[
    "html",
    "js",
    "mjs",
    "css",
    "wasm",
    "svg",
    "json",
    "webmanifest",
    "txt",
    "xml",
    "map",
];

/// One file of the built app and its sizes.
pub struct Sizes {
    /// Path relative to `dist/`.
    pub rel: String,
    pub raw: usize,
    /// The gzip and brotli siblings' sizes, if the file is compressible
    /// (a sibling that would not be smaller is not written).
    pub gzip: Option<usize>,
    pub brotli: Option<usize>,
}

impl Sizes {
    /// What the server sends to a browser that accepts brotli.
    pub fn served(&self) -> usize {
        self.brotli.or(self.gzip).unwrap_or(self.raw).min(self.raw)
    }
}

/// Builds the app and the release server with it embedded; returns the
/// server binary.
pub fn build(root: &Path) -> Result<PathBuf> {
    build_app(root)?;
    let sizes = precompress(&root.join("dist"))?;
    print_sizes(&sizes);
    run_checked(cargo().args(["build", "--release", "-p", "yanzhen-server"]))?;
    let server = target_dir(root).join("release/yanzhen-server");
    let size = std::fs::metadata(&server)
        .with_context(|| format!("{} was not built", server.display()))?
        .len();
    eprintln!(
        "built {} ({:.1} MB, the app embedded)",
        server.display(),
        size as f64 / 1e6
    );
    Ok(server)
}

/// Brotli at quality 11 with the largest standard window (16 MB: the whole
/// wasm fits, so matches may reach across it).
pub fn brotli(data: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).context("brotli")?;
    Ok(out)
}

/// gzip at level 9.
pub fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data)?;
    Ok(enc.finish()?)
}

/// Every file under `dir` but precompressed siblings, relative to `under`.
pub(crate) fn files(dir: &Path, under: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            files(&path, under, out)?;
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")) {
            out.push(path.strip_prefix(under)?.to_owned());
        }
    }
    Ok(())
}

/// Writes the `.br` and `.gz` siblings of every compressible file in
/// `dist` (replacing old ones; removing any that would not be smaller) and
/// returns every file's sizes, sorted by name. Files are compressed on
/// parallel threads (brotli 11 on the wasm dominates).
pub fn precompress(dist: &Path) -> Result<Vec<Sizes>> {
    let mut rels = Vec::new();
    files(dist, dist, &mut rels)?;
    rels.sort();
    let results: Vec<Result<Sizes>> = std::thread::scope(|s| {
        let handles: Vec<_> = rels
            .iter()
            .map(|rel| s.spawn(move || precompress_one(dist, rel)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a compression thread panicked"))
            .collect()
    });
    results.into_iter().collect()
}

fn precompress_one(dist: &Path, rel: &Path) -> Result<Sizes> {
    let path = dist.join(rel);
    let data = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let compressible = rel
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e.to_ascii_lowercase().as_str()));
    let mut sizes = Sizes {
        rel: rel.to_string_lossy().into_owned(),
        raw: data.len(),
        gzip: None,
        brotli: None,
    };
    for (suffix, compressed, slot) in [
        ("br", compressible.then(|| brotli(&data)), &mut sizes.brotli),
        ("gz", compressible.then(|| gzip(&data)), &mut sizes.gzip),
    ] {
        let sibling = PathBuf::from(format!("{}.{suffix}", path.display()));
        let _ = std::fs::remove_file(&sibling);
        if let Some(compressed) = compressed.transpose()?
            && compressed.len() < data.len()
        {
            std::fs::write(&sibling, &compressed)
                .with_context(|| format!("writing {}", sibling.display()))?;
            *slot = Some(compressed.len());
        }
    }
    Ok(sizes)
}

fn kb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1000.0)
}

/// Prints the table: each file raw / gzip / brotli (KB) and the totals.
pub fn print_sizes(sizes: &[Sizes]) {
    println!(
        "{:<40} {:>10} {:>10} {:>10} {:>10}",
        "file", "raw KB", "gzip KB", "brotli KB", "served KB"
    );
    let dash = |s: Option<usize>| s.map_or_else(|| "-".to_owned(), kb);
    for s in sizes {
        println!(
            "{:<40} {:>10} {:>10} {:>10} {:>10}",
            s.rel,
            kb(s.raw),
            dash(s.gzip),
            dash(s.brotli),
            kb(s.served())
        );
    }
    let raw: usize = sizes.iter().map(|s| s.raw).sum();
    let gzip: usize = sizes.iter().map(|s| s.gzip.unwrap_or(s.raw)).sum();
    let brotli: usize = sizes.iter().map(|s| s.brotli.unwrap_or(s.raw)).sum();
    let served: usize = sizes.iter().map(Sizes::served).sum();
    println!(
        "{:<40} {:>10} {:>10} {:>10} {:>10}",
        "total (every file)",
        kb(raw),
        kb(gzip),
        kb(brotli),
        kb(served)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_decode_to_the_file_and_only_when_smaller() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let text = "let x = 1; // yanzhen\n".repeat(500);
        std::fs::write(dir.join("app.js"), &text).unwrap();
        std::fs::write(dir.join("sub/tiny.css"), "a{}").unwrap();
        std::fs::write(dir.join("icon.png"), text.as_bytes()).unwrap();
        // A stale sibling of a file that no longer compresses goes.
        std::fs::write(dir.join("sub/tiny.css.br"), "stale").unwrap();

        let sizes = precompress(&dir).unwrap();
        let names: Vec<&str> = sizes.iter().map(|s| s.rel.as_str()).collect();
        assert_eq!(names, ["app.js", "icon.png", "sub/tiny.css"]);

        let br = std::fs::read(dir.join("app.js.br")).unwrap();
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut plain).unwrap();
        assert_eq!(plain, text.as_bytes());
        let gz = std::fs::read(dir.join("app.js.gz")).unwrap();
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain).unwrap();
        assert_eq!(plain, text.as_bytes());
        assert_eq!(sizes[0].brotli, Some(br.len()));
        assert_eq!(sizes[0].served(), br.len());

        // Images are left alone; a file too small to gain gets no sibling.
        assert!(!dir.join("icon.png.br").exists());
        assert!(!dir.join("sub/tiny.css.br").exists());
        assert!(!dir.join("sub/tiny.css.gz").exists());
        assert_eq!(sizes[2].served(), 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
