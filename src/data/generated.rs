//! The check shared by the tables that native tests generate and the app
//! embeds as committed binary files (`data/pinyin/table.bin`,
//! `modules/dashboard/excel/gbk.bin`).

/// Asserts that the committed table `current` (the file `path`, relative
/// to the crate) is what the generator `made`; with the environment
/// variable `env` set, rewrites the file instead (after a version bump of
/// the crate it is generated from).
pub fn check_table(made: &[u8], current: &[u8], path: &str, env: &str) {
    if made != current && std::env::var_os(env).is_some() {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::write(file, made).unwrap();
        return;
    }
    assert!(
        made == current,
        "{path} is stale: rerun this test with {env}=1"
    );
}
