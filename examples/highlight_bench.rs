//! Highlighting speed per language, on one core: every fenced block of the
//! markdown files under a folder (the generated benchmark site's `content/`)
//! is highlighted through `blog`'s `Highlighter`, grouped by language.
//!
//! `cargo run --release --example highlight_bench -- DIR [LANG...] [--repeat N] [--syntect]`
//! prints lines per second per language; `--syntect` highlights every
//! language with syntect, as blog did before its lexers. Under valgrind,
//! `valgrind --tool=callgrind --toggle-collect='*highlight_bench::measure*'`
//! counts the instructions of the measured loop only (not loading a
//! grammar); that count does not drift with the machine's load.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use blog::markdown::Highlighter;

/// The allocator the `blog` binary uses, so the figures are its own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fences(text: &str, out: &mut BTreeMap<String, Vec<String>>) {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut code = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            code.push_str(l);
            code.push('\n');
        }
        out.entry(info.trim().to_string()).or_default().push(code);
    }
}

fn walk(dir: &Path, out: &mut BTreeMap<String, Vec<String>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                fences(&text, out);
            }
        }
    }
}

/// Highlights every block `repeat` times; the bytes of HTML made.
#[inline(never)]
fn measure(highlighter: &Highlighter, lang: &str, codes: &[String], repeat: usize) -> usize {
    let mut bytes = 0;
    for _ in 0..repeat {
        for code in codes {
            bytes += highlighter.block(lang, code).len();
        }
    }
    bytes
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: highlight_bench DIR [LANG...] [--repeat N] [--syntect]");
        std::process::exit(2);
    };
    let mut only = Vec::new();
    let mut repeat = 1;
    let mut syntect = false;
    while let Some(a) = args.next() {
        if a == "--syntect" {
            syntect = true;
        } else if a == "--repeat" {
            repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
        } else {
            only.push(a);
        }
    }
    let mut blocks = BTreeMap::new();
    walk(Path::new(&dir), &mut blocks);
    let start = Instant::now();
    let highlighter = if syntect {
        Highlighter::new().syntect_only()
    } else {
        Highlighter::new()
    };
    // The first block of each language pays for loading its syntax.
    let _ = highlighter.block(
        "rust",
        "/// Highlights every block `repeat` times; the bytes of HTML made.
#[inline(never)]
fn measure(highlighter: &Highlighter, lang: &str, codes: &[String], repeat: usize) -> usize {
    let mut bytes = 0;
    for _ in 0..repeat {
        for code in codes {
            bytes += highlighter.block(lang, code).len();
        }
    }
    bytes
}

fn main() {}\n",
    );
    println!("setup {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
    println!(
        "{:<12} {:>8} {:>10} {:>12} {:>10}",
        "language", "blocks", "lines", "lines/s", "µs/line"
    );
    let (mut all_lines, mut all_secs) = (0usize, 0f64);
    for (lang, codes) in &blocks {
        if !only.is_empty() && !only.contains(lang) {
            continue;
        }
        let lines: usize = codes.iter().map(|c| c.lines().count()).sum::<usize>() * repeat;
        let _ = highlighter.block(lang, &codes[0]);
        let start = Instant::now();
        std::hint::black_box(measure(&highlighter, lang, codes, repeat));
        let secs = start.elapsed().as_secs_f64();
        all_lines += lines;
        all_secs += secs;
        println!(
            "{lang:<12} {:>8} {lines:>10} {:>12.0} {:>10.2}",
            codes.len() * repeat,
            lines as f64 / secs,
            secs * 1e6 / lines as f64
        );
    }
    println!(
        "{:<12} {:>8} {all_lines:>10} {:>12.0} {:>10.2}",
        "all",
        "",
        all_lines as f64 / all_secs,
        all_secs * 1e6 / all_lines as f64
    );
}
