//! Walks `content/` and turns it into pages, section metadata and assets.
//! Classification is sequential and cheap; reading, parsing and rendering
//! each file runs in parallel with rayon. Per-file problems become
//! diagnostics, and the walk goes on so every error is reported at once.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::page::{self, Page, SectionMeta};
use crate::diagnostics::Diagnostic;
use crate::dialect::Shortcodes;
use crate::markdown::Highlighter;
use crate::progress::Progress;

pub const CONTENT_DIR: &str = "content";

/// Refuses a folder that is not a site — one with neither content/ nor
/// config.toml — where a build would write public/, or `blog new` a
/// content/ folder, into whatever folder the command happened to run in.
pub fn check_site_root(root: &Path) -> Result<(), Diagnostic> {
    if root.join(CONTENT_DIR).is_dir() || root.join(crate::config::CONFIG_FILE).is_file() {
        return Ok(());
    }
    let shown = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if !root.is_dir() {
        return Err(
            Diagnostic::new(shown, "is not a folder").hint("pass --root with the site's folder")
        );
    }
    let jekyll = ["_config.yml", "_config.yaml", "_config.toml", "_posts"]
        .iter()
        .any(|n| root.join(n).exists());
    let hint = if jekyll {
        "this is a Jekyll site: `blog import --from jekyll . ../my-blog` makes a site of blog's own from it, every old URL kept"
    } else {
        "run `blog init` to make a site here, or pass --root with the site's folder"
    };
    Err(Diagnostic::new(
        shown,
        "is not a site: it has no content/ folder and no config.toml",
    )
    .hint(hint))
}

#[derive(Debug, Default)]
pub struct Loaded {
    /// Pages in source-path order.
    pub pages: Vec<Arc<Page>>,
    /// Every section directory (relative to content/, `""` for the root) with
    /// what its `_index.md` says, if it has one.
    pub sections: BTreeMap<String, SectionMeta>,
    /// Non-markdown files outside bundles, relative to content/; copied as is.
    pub assets: Vec<PathBuf>,
}

enum Job {
    Page {
        file: PathBuf,
        section: String,
        assets: Vec<PathBuf>,
    },
    Section {
        file: PathBuf,
        section: String,
    },
}

/// Loads every content file under `root/content`.
pub fn load(root: &Path, config: &Config, highlighter: &Highlighter) -> (Loaded, Vec<Diagnostic>) {
    load_cached(
        root,
        config,
        highlighter,
        None,
        &mut ParseCache::default(),
        &Progress::off(),
    )
}

/// `load`, reusing the parse of every file that did not change since the
/// cache was filled.
pub fn load_cached(
    root: &Path,
    config: &Config,
    highlighter: &Highlighter,
    shortcodes: Option<&dyn Shortcodes>,
    cache: &mut ParseCache,
    progress: &Progress,
) -> (Loaded, Vec<Diagnostic>) {
    let key = config_key(config, highlighter, shortcodes);
    if cache.key != key {
        cache.entries.clear();
        cache.key = key;
    }
    let content = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    let mut loaded = Loaded::default();
    loaded
        .sections
        .insert(String::new(), SectionMeta::default());
    if !content.is_dir() {
        return (loaded, diagnostics);
    }

    let mut files: Vec<PathBuf> = Vec::new();
    let site_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    while let Some(entry) = walker.next() {
        match entry {
            Ok(entry) if outside_site(&site_root, &entry).is_some() => {
                diagnostics.push(outside_diagnostic(root, &site_root, &entry));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            Ok(entry) => {
                let rel = match entry.path().strip_prefix(&content) {
                    Ok(rel) => rel.to_path_buf(),
                    Err(_) => continue,
                };
                if entry.file_type().is_dir() {
                    if entry.depth() > 0 {
                        loaded
                            .sections
                            .entry(rel_string(&jekyll_section(&rel)))
                            .or_default();
                    }
                } else {
                    files.push(rel);
                }
            }
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative_to(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let hint = if e.loop_ancestor().is_some() {
                    "a symbolic link points at a folder that contains it; remove the link"
                } else {
                    "check that the file exists and is readable"
                };
                diagnostics.push(
                    Diagnostic::new(path, format!("cannot read: {}", io_message(&e))).hint(hint),
                );
            }
        }
    }

    // In walk order with each folder sorted by name: a path's components
    // joined by NUL sort as that walk would. Sorting the folders in walkdir
    // cost 136 M instructions at 10,000 posts in one folder (it takes each
    // name from its path again at every comparison).
    files.sort_by_cached_key(|file| walk_order(file));

    // A folder holding index.md is a page bundle, not a section.
    let bundles: BTreeSet<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "index.md"))
        .filter_map(|f| f.parent())
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .collect();
    let mut bundle_assets: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut jobs = Vec::new();
    for file in files {
        if let Some(bundle) = file.ancestors().skip(1).find(|a| bundles.contains(*a)) {
            if file.parent() == Some(bundle) && file.file_name().is_some_and(|n| n == "index.md") {
                let section = bundle.parent().map(rel_string).unwrap_or_default();
                jobs.push(Job::Page {
                    file,
                    section,
                    assets: Vec::new(),
                });
            } else {
                bundle_assets
                    .entry(bundle.to_path_buf())
                    .or_default()
                    .push(file);
            }
            continue;
        }
        let section = file
            .parent()
            .map(|p| rel_string(&jekyll_section(p)))
            .unwrap_or_default();
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "_index.md" {
            jobs.push(Job::Section { file, section });
        } else if name.ends_with(".md") || name.ends_with(".markdown") {
            jobs.push(Job::Page {
                file,
                section,
                assets: Vec::new(),
            });
        } else {
            loaded.assets.push(file);
        }
    }
    for bundle in &bundles {
        loaded.sections.remove(&rel_string(bundle));
        let nested: Vec<String> = loaded
            .sections
            .keys()
            .filter(|k| Path::new(k.as_str()).starts_with(bundle))
            .cloned()
            .collect();
        for k in nested {
            loaded.sections.remove(&k);
        }
    }
    for job in &mut jobs {
        if let Job::Page { file, assets, .. } = job {
            if let Some(found) = file.parent().and_then(|p| bundle_assets.remove(p)) {
                *assets = found;
            }
        }
    }

    // What a page parsed by an earlier build must have been parsed with
    // to be read back from the page cache.
    let settings = format!(
        "{}\0{key:016x}\0{}",
        crate::output::rendered::binary_identity(),
        highlighter.settings()
    );
    let previous = std::mem::take(&mut cache.entries);
    let changed = std::mem::take(&mut cache.changed);
    progress.set_total(jobs.len());
    let jobs = biggest_first(&content, jobs);
    read_ahead(
        &content,
        jobs.iter()
            .map(|(_, job, _)| match job {
                Job::Page { file, .. } | Job::Section { file, .. } => file,
            })
            .filter(|file| !previous.contains_key(*file))
            .cloned()
            .collect(),
    );
    let mut results: Vec<_> = jobs
        .into_par_iter()
        .map(|(order, job, stamp)| {
            progress.tick();
            let file = match &job {
                Job::Page { file, .. } | Job::Section { file, .. } => file.clone(),
            };
            let full = content.join(&file);
            let cached = previous
                .get(&file)
                .filter(|(s, _)| Some(*s) == stamp && !changed.contains(&full))
                .map(|(_, parsed)| parsed.clone());
            let result = match (cached, job) {
                (Some(Parsed::Page(mut page)), Job::Page { assets, .. }) => {
                    if page.assets != assets {
                        Arc::make_mut(&mut page).assets = assets;
                    }
                    Ok(Parsed::Page(page))
                }
                (Some(parsed @ Parsed::Section(..)), Job::Section { .. }) => Ok(parsed),
                (_, job) => parse_job(
                    &content,
                    job,
                    stamp.map(|s| s.len),
                    config,
                    highlighter,
                    shortcodes,
                    &settings,
                ),
            };
            (order, file, stamp, result)
        })
        .collect();
    results.sort_unstable_by_key(|r| r.0);
    for (_, file, stamp, result) in results {
        if let (Some(stamp), Ok(parsed)) = (stamp, &result) {
            cache.entries.insert(file, (stamp, parsed.clone()));
        }
        match result {
            Ok(Parsed::Page(page)) => loaded.pages.push(page),
            Ok(Parsed::Section(section, meta)) => {
                loaded.sections.insert(section, *meta);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    (loaded, diagnostics)
}

/// What sorts paths as a walk visits them, each folder's entries sorted by
/// name: the components joined by NUL, which no name holds.
fn walk_order(path: &Path) -> Vec<u8> {
    let mut key = Vec::new();
    for part in path.components() {
        if !key.is_empty() {
            key.push(0);
        }
        key.extend_from_slice(part.as_os_str().as_encoded_bytes());
    }
    key
}

/// The jobs numbered in walk order, largest file first: rayon's threads
/// share out what is left as they finish, so when the long posts (the most
/// code to highlight) go first, the last jobs are short and no core waits
/// idle on one long post at the end. Each with its file's stamp, taken
/// before the file is read (one `stat` a file, not one here and one for
/// the stamp).
fn biggest_first(content: &Path, jobs: Vec<Job>) -> Vec<(usize, Job, Option<Stamp>)> {
    let mut sized: Vec<(usize, Job, Option<Stamp>)> = jobs
        .into_par_iter()
        .enumerate()
        .map(|(i, job)| {
            let file = match &job {
                Job::Page { file, .. } | Job::Section { file, .. } => file,
            };
            let stamp = std::fs::metadata(content.join(file)).ok().map(|m| Stamp {
                len: m.len(),
                modified: m.modified().ok(),
            });
            (i, job, stamp)
        })
        .collect();
    let len = |stamp: &Option<Stamp>| stamp.map_or(0, |s| s.len);
    sized.sort_unstable_by(|a, b| len(&b.2).cmp(&len(&a.2)).then(a.0.cmp(&b.0)));
    sized
}

/// Fewer files than this are read as they come: a thread would cost more
/// than it saves (`blog serve` re-reads one or two).
const READ_AHEAD_MIN: usize = 32;

/// Asks the kernel to start reading `files` (under `content`), in the order
/// the parse takes them, from a thread of its own. A file that is not in
/// memory (a first build after a reboot, or on a virtual machine that
/// gives its file cache back to the host, as the one BENCHMARKS.md was
/// measured on does within a minute) otherwise blocks one of
/// the parse threads on the disk one file at a time: on 1,000 posts read
/// from the disk, the content stage took twice as long. The thread only
/// queues reads (`posix_fadvise(WILLNEED)`), several at once, and ends
/// when it has asked for every file; a file it cannot open is read, and
/// reported, by the parse.
fn read_ahead(content: &Path, files: Vec<PathBuf>) {
    if files.len() < READ_AHEAD_MIN {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let content = content.to_path_buf();
        let _ = std::thread::Builder::new()
            .name("read-ahead".into())
            .spawn(move || {
                for file in files {
                    if let Ok(f) = std::fs::File::open(content.join(file)) {
                        let _ = rustix::fs::fadvise(&f, 0, None, rustix::fs::Advice::WillNeed);
                    }
                }
            });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (content, files);
}

/// A file's bytes, read into room for `len` (from its stamp) and one more
/// byte, which finds the end: `std::fs::read` would ask the file's length
/// again, one more system call for each of a site's posts.
fn read_file(path: &Path, len: Option<u64>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let Some(len) = len.and_then(|l| usize::try_from(l).ok()) else {
        return std::fs::read(path);
    };
    let mut file = std::fs::File::open(path)?;
    let mut bytes = vec![0; len.saturating_add(1)];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            // Longer than its stamp said: written to since.
            bytes.resize(bytes.len() * 2, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

#[derive(Clone)]
enum Parsed {
    Page(Arc<Page>),
    Section(String, Box<SectionMeta>),
}

/// A file's length and modification time: while both are unchanged (and the
/// file is not among the paths the watcher reported), its parse is reused.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

/// Parsed files kept between rebuilds by `blog serve`. Only valid for one
/// config and highlighter; `load` empties it when `key` changes.
#[derive(Default)]
pub struct ParseCache {
    key: u64,
    entries: HashMap<PathBuf, (Stamp, Parsed)>,
    /// Absolute paths reported changed since the last load: always re-read.
    pub changed: HashSet<PathBuf>,
}

fn parse_job(
    content: &Path,
    job: Job,
    len: Option<u64>,
    config: &Config,
    highlighter: &Highlighter,
    shortcodes: Option<&dyn Shortcodes>,
    settings: &str,
) -> Result<Parsed, Diagnostic> {
    let file = match &job {
        Job::Page { file, .. } | Job::Section { file, .. } => file.clone(),
    };
    let source = Path::new(CONTENT_DIR).join(&file);
    let bytes = read_file(&content.join(&file), len).map_err(|e| {
        Diagnostic::new(&source, format!("cannot read: {e}"))
            .hint("check that the file exists and is readable")
    })?;
    let text = page::normalize_text(bytes, &source)?;
    match job {
        Job::Page {
            section, assets, ..
        } => page::parse_page_cached(
            source,
            section,
            assets,
            &text,
            config,
            highlighter,
            shortcodes,
            settings,
        )
        .map(|p| Parsed::Page(Arc::new(p))),
        Job::Section { section, .. } => page::parse_section(source, &text, config, highlighter)
            .map(|m| Parsed::Section(section, Box::new(m))),
    }
}

/// Identifies what a parse depends on besides the file: the config, the
/// highlighting themes and the shortcode templates.
fn config_key(
    config: &Config,
    highlighter: &Highlighter,
    shortcodes: Option<&dyn Shortcodes>,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    serde_json::to_string(config)
        .unwrap_or_default()
        .hash(&mut h);
    highlighter.themes().hash(&mut h);
    shortcodes.map(|s| s.version()).hash(&mut h);
    h.finish()
}

/// Jekyll's drafts are posts not yet published: a file under `_drafts/`
/// belongs to the `_posts` section beside it, so with `--drafts` it is
/// listed and addressed as the post it will be.
fn jekyll_section(folder: &Path) -> PathBuf {
    folder
        .components()
        .map(|c| match c.as_os_str().to_str() {
            Some("_drafts") => std::ffi::OsStr::new("_posts"),
            _ => c.as_os_str(),
        })
        .collect()
}

/// Hidden files, editor swap and backup files are not content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
}

/// For a symbolic link that leads outside the site, where it leads. Such links
/// are refused: following them would publish (or serve) files from anywhere
/// on the machine.
pub fn outside_site(site_root: &Path, entry: &walkdir::DirEntry) -> Option<PathBuf> {
    if !entry.path_is_symlink() {
        return None;
    }
    let target = entry.path().canonicalize().ok()?;
    (!target.starts_with(site_root)).then_some(target)
}

pub fn outside_diagnostic(root: &Path, site_root: &Path, entry: &walkdir::DirEntry) -> Diagnostic {
    let target = outside_site(site_root, entry).unwrap_or_default();
    let path = entry.path().strip_prefix(root).unwrap_or(entry.path());
    Diagnostic::new(
        path,
        format!(
            "is a symbolic link to {}, outside the site",
            target.display()
        ),
    )
    .hint("copy the files into the site instead; blog never publishes files from outside it")
}

/// A path relative to content/ as a `/`-separated string.
pub fn rel_string(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn io_message(e: &walkdir::Error) -> String {
    if let Some(ancestor) = e.loop_ancestor() {
        return format!("symbolic link loop back to {}", ancestor.display());
    }
    match e.io_error() {
        Some(io) => io.to_string(),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_sort_as_a_walk_with_each_folder_sorted_by_name() {
        let dir = std::env::temp_dir().join(format!("blog-walk-order-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // A folder beside files whose names extend it ("a" and "a.md",
        // "a-b.md"), capitals, digits, a bundle and nested folders.
        for file in [
            "a.md",
            "a-b.md",
            "a/x.md",
            "a/b/c.md",
            "a/b.md",
            "a0.md",
            "B.md",
            "b/index.md",
            "b/photo.jpg",
            "_index.md",
            "z/_index.md",
            "z/a.md",
            "é.md",
        ] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            std::fs::write(&path, "x").expect("file");
        }
        let walked: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.expect("entry"))
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&dir).expect("inside").to_path_buf())
            .collect();
        let mut sorted: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.expect("entry"))
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&dir).expect("inside").to_path_buf())
            .collect();
        sorted.reverse();
        sorted.sort_by_cached_key(|f| walk_order(f));
        assert_eq!(sorted, walked);
        // Not the order of the paths as strings: "a-b.md" < "a.md" < "a/x.md"
        // there, but a walk visits "a" (and all in it) before "a-b.md".
        let position = |p: &str| sorted.iter().position(|f| f == Path::new(p));
        assert!(position("a-b.md") < position("a.md"));
        assert!(position("a/x.md") < position("a-b.md"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_is_read_whole_whatever_length_its_stamp_said() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("post.md");
        let text = "---\ntitle: A\n---\n".to_string() + &"word ".repeat(5000);
        std::fs::write(&path, &text).expect("write");
        let len = text.len() as u64;
        // The stamp's length, one that grew or shrank since, and none.
        for hint in [Some(len), Some(3), Some(len * 2), Some(0), None] {
            let bytes = read_file(&path, hint).expect("read");
            assert_eq!(bytes, text.as_bytes(), "{hint:?}");
        }
        std::fs::write(&path, "").expect("empty");
        assert!(read_file(&path, Some(len)).expect("read").is_empty());
        let missing = read_file(&dir.path().join("gone.md"), Some(10)).expect_err("missing");
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
    }
}
