//! Build script: make release builds re-embed the web app when `dist/`
//! changes (new hashed file names included). Debug builds read `dist/` from
//! disk at run time, so they need no rebuilds.

fn main() {
    if std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_some() {
        println!("cargo::rerun-if-changed=build.rs");
    } else {
        println!("cargo::rerun-if-changed=../../dist");
    }
}
