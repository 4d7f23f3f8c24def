//! Replays every input the fuzzers keep (`fuzz/corpus/<target>/`) and every
//! crash they found (`fuzz/regressions/<target>/`, each fixed) through the
//! same functions the fuzz targets call, on stable Rust and in every test
//! run. `make fuzz` looks for new ones.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for kind in ["corpus", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n == ".gitkeep") {
                continue;
            }
            let data = std::fs::read(&path).expect("read input");
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} panics", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn content_file_inputs_never_panic() {
    assert!(replay("content_file", blog::fuzz::content_file) > 0);
}

#[test]
fn markdown_inputs_never_panic() {
    assert!(replay("markdown", blog::fuzz::markdown) > 0);
}

#[test]
fn url_inputs_never_panic() {
    assert!(replay("urls", blog::fuzz::urls) > 0);
}
