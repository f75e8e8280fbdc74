//! The app download: every `.wasm`, `.js` and `.css` file of the app's
//! `dist/` directory, raw, gzip (level 9) and brotli (quality 11, window
//! 22), as a server would send them with the best static compression.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use loadgen::report::{Figure, Target};

const SECTION: &str = "2. App download";

/// The target for the whole download, gzip, in KB (1000 bytes).
pub const TARGET_GZIP_KB: f64 = 550.0;

/// Sizes of one file or group, bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl std::ops::AddAssign for Sizes {
    fn add_assign(&mut self, o: Sizes) {
        self.raw += o.raw;
        self.gzip += o.gzip;
        self.brotli += o.brotli;
    }
}

/// Compressed sizes of `data`.
pub fn sizes(data: &[u8]) -> Result<Sizes> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data)?;
    let gzip = gz.finish()?.len() as u64;
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        w.write_all(data)?;
    }
    Ok(Sizes {
        raw: data.len() as u64,
        gzip,
        brotli: br.len() as u64,
    })
}

/// wasm, JS and CSS of a dist directory, subdirectories included (a split
/// build's chunks may live in one).
pub fn measure(dist: &Path) -> Result<[(&'static str, Sizes); 3]> {
    let mut out = [
        ("wasm", Sizes::default()),
        ("JS", Sizes::default()),
        ("CSS", Sizes::default()),
    ];
    add_dir(dist, &mut out)?;
    Ok(out)
}

fn add_dir(dir: &Path, out: &mut [(&'static str, Sizes); 3]) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            add_dir(&path, out)?;
            continue;
        }
        let i = match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => 0,
            Some("js") => 1,
            Some("css") => 2,
            _ => continue,
        };
        out[i].1 += sizes(&std::fs::read(&path)?)?;
    }
    Ok(())
}

/// Figures for a dist directory; `label` says which build it is.
pub fn figures(dist: &Path, label: &str) -> Result<Vec<Figure>> {
    let parts = measure(dist)?;
    let kb = |b: u64| b as f64 / 1000.0;
    let mut total = Sizes::default();
    let mut detail = Vec::new();
    for (name, s) in &parts {
        total += *s;
        detail.push(format!(
            "{name} {:.0} / {:.0} / {:.0}",
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        ));
    }
    let detail = format!("raw / gzip / brotli KB: {}", detail.join("; "));
    Ok(vec![
        Figure::new(
            SECTION,
            &format!("{label}: total, gzip"),
            "KB",
            kb(total.gzip),
        )
        .target(Target::Max(TARGET_GZIP_KB))
        .note(format!("KB = 1000 bytes; {detail}")),
        Figure::new(
            SECTION,
            &format!("{label}: total, brotli"),
            "KB",
            kb(total.brotli),
        ),
        Figure::new(
            SECTION,
            &format!("{label}: total, raw"),
            "KB",
            kb(total.raw),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_shrinks_repetitive_data() {
        let s = sizes(&vec![b'a'; 10_000]).unwrap();
        assert_eq!(s.raw, 10_000);
        assert!(s.gzip < 200 && s.brotli < 200, "{s:?}");
    }

    #[test]
    fn chunks_in_subdirectories_count() {
        let dir = std::env::temp_dir().join(format!("loadgen-size-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("chunks")).unwrap();
        std::fs::write(dir.join("app.wasm"), vec![1u8; 100]).unwrap();
        std::fs::write(dir.join("chunks/dash.wasm"), vec![2u8; 50]).unwrap();
        std::fs::write(dir.join("app.wasm.br"), vec![3u8; 10]).unwrap();
        std::fs::write(dir.join("style.css"), "a{}").unwrap();
        let [(_, wasm), (_, js), (_, css)] = measure(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((wasm.raw, js.raw, css.raw), (150, 0, 3));
    }
}
