//! Watching the site's sources with notify: content/, templates/, themes/,
//! static/, sass/ and config.toml (and a Hugo site's hugo.toml or config/). Events are debounced into one change set, so an
//! editor's write-to-temp-and-rename, a burst of saves or a `git checkout` of
//! many files ends in one rebuild. `--poll` polls instead, for filesystems
//! where native events do not arrive (network mounts, some containers): it
//! compares each source file's modification time (to the nanosecond), size
//! and inode between walks, so two saves within one second are both seen
//! (notify's own poller keeps whole seconds and misses the second).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use notify::RecursiveMode;

pub const SOURCES: [&str; 6] = ["content", "templates", "themes", "static", "sass", "config"];

/// The configuration files a build reads: blog's, and a Hugo site's own
/// when it has no config.toml (`config/_default/` is under SOURCES).
pub const CONFIG_FILES: [&str; 8] = [
    crate::config::CONFIG_FILE,
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// The shortest pause between two walks of the sources when polling.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

type Events = notify::Result<notify::Event>;

pub struct Watcher {
    root: PathBuf,
    events: Receiver<Events>,
    source: Source,
    watched: BTreeSet<PathBuf>,
}

enum Source {
    Native(Box<dyn notify::Watcher + Send>),
    /// The polling thread runs until this is set.
    Poll(Arc<AtomicBool>),
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Source::Poll(stop) = &self.source {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

impl Watcher {
    pub fn new(root: &Path, poll: bool) -> Result<Watcher> {
        // Events carry absolute paths; compare them with an absolute root.
        let root = &root
            .canonicalize()
            .with_context(|| format!("reading {}", root.display()))?;
        let (tx, events) = channel();
        if poll {
            let stop = Arc::new(AtomicBool::new(false));
            // The first snapshot is taken here, before the first build, so
            // no save between the two is missed.
            let first = snapshot(root);
            let (thread_root, thread_stop) = (root.to_path_buf(), stop.clone());
            std::thread::Builder::new()
                .name("poll".into())
                .spawn(move || poll_loop(&thread_root, first, &tx, &thread_stop))
                .context("starting the file poller")?;
            return Ok(Watcher {
                root: root.to_path_buf(),
                events,
                source: Source::Poll(stop),
                watched: BTreeSet::new(),
            });
        }
        let mut watcher = notify::recommended_watcher(tx).context("starting the file watcher")?;
        notify::Watcher::watch(&mut watcher, root, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", root.display()))?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            events,
            source: Source::Native(Box::new(watcher)),
            watched: BTreeSet::new(),
        };
        w.watch_sources();
        Ok(w)
    }

    /// Watches each source folder that exists and is not watched yet.
    fn watch_sources(&mut self) {
        // The poller walks every source folder each time, new ones too.
        let Source::Native(watcher) = &mut self.source else {
            return;
        };
        for name in SOURCES {
            let dir = self.root.join(name);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }

    /// Blocks until sources change, then gathers changes until `quiet` has
    /// passed without one (at most `limit` in all). Returns the changed paths.
    pub fn next_batch(&mut self, quiet: Duration, limit: Duration) -> Option<BTreeSet<PathBuf>> {
        let mut changed = BTreeSet::new();
        loop {
            let event = self.events.recv().ok()?;
            self.collect(event, &mut changed);
            if !changed.is_empty() {
                break;
            }
        }
        let started = Instant::now();
        while started.elapsed() < limit {
            match self.events.recv_timeout(quiet) {
                Ok(event) => self.collect(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        // A source folder created since start (say, templates/) is watched now.
        self.watch_sources();
        Some(changed)
    }

    fn collect(&self, event: Events, changed: &mut BTreeSet<PathBuf>) {
        let Ok(event) = event else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if is_source(&self.root, &path) {
                changed.insert(path);
            }
        }
    }
}

/// What tells one version of a file from the next when polling.
#[derive(PartialEq, Eq, Clone, Copy)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

/// Every file and folder under the sources (and config.toml), with its stamp.
fn snapshot(root: &Path) -> HashMap<PathBuf, Stamp> {
    let mut files = HashMap::new();
    let roots = SOURCES
        .iter()
        .map(|s| root.join(s))
        .chain(CONFIG_FILES.iter().map(|f| root.join(f)));
    for top in roots {
        // Links are followed as the build follows them; walkdir stops at loops.
        for entry in walkdir::WalkDir::new(top).follow_links(true) {
            let Ok(entry) = entry else { continue };
            let Ok(meta) = entry.metadata() else { continue };
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&meta);
            #[cfg(not(unix))]
            let inode = 0;
            // A folder counts when it appears or goes; its own time changes
            // with every file saved by rename inside it, which says nothing
            // the files' own stamps do not.
            let stamp = if meta.is_dir() {
                Stamp {
                    modified: None,
                    len: 0,
                    inode,
                }
            } else {
                Stamp {
                    modified: meta.modified().ok(),
                    len: meta.len(),
                    inode,
                }
            };
            files.insert(entry.into_path(), stamp);
        }
    }
    files
}

/// Walks the sources until `stop`, sending one event per walk that found
/// files added, removed or changed. A large site is walked less often: the
/// pause is at least ten times the last walk's time, so polling never takes
/// more than a tenth of a core.
fn poll_loop(
    root: &Path,
    mut previous: HashMap<PathBuf, Stamp>,
    tx: &Sender<Events>,
    stop: &AtomicBool,
) {
    let mut pause = POLL_INTERVAL;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(pause);
        let started = Instant::now();
        let current = snapshot(root);
        pause = POLL_INTERVAL.max(started.elapsed() * 10);
        let mut event = notify::Event::new(notify::EventKind::Any);
        for (path, stamp) in &current {
            if previous.get(path) != Some(stamp) {
                event = event.add_path(path.clone());
            }
        }
        for path in previous.keys() {
            if !current.contains_key(path) {
                event = event.add_path(path.clone());
            }
        }
        previous = current;
        if !event.paths.is_empty() && tx.send(Ok(event)).is_err() {
            return;
        }
    }
}

/// Whether a changed path can affect the site: under a source folder or
/// config.toml, and not an editor's temporary or backup file.
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'));
    if temporary {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    CONFIG_FILES.contains(&first.as_str()) || SOURCES.contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/content/posts/a.md")));
        assert!(is_source(root, Path::new("/site/config.toml")));
        assert!(is_source(root, Path::new("/site/hugo.toml")));
        assert!(is_source(
            root,
            Path::new("/site/config/_default/params.toml")
        ));
        assert!(!is_source(
            root,
            Path::new("/site/layouts/_default/single.html")
        ));
        assert!(is_source(
            root,
            Path::new("/site/themes/x/templates/page.html")
        ));
        for ignored in [
            "/site/public/index.html",
            "/site/target/x",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/elsewhere/content/a.md",
        ] {
            assert!(!is_source(root, Path::new(ignored)), "{ignored}");
        }
    }

    #[test]
    fn a_burst_of_saves_is_one_batch() {
        for poll in [false, true] {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
            let mut watcher = Watcher::new(dir.path(), poll).expect("watcher");
            for i in 0..20 {
                std::fs::write(dir.path().join(format!("content/p{i}.md")), "x").expect("write");
            }
            // A poll sees the burst in one walk; wait past it.
            let quiet = Duration::from_millis(if poll { 500 } else { 100 });
            let batch = watcher
                .next_batch(quiet, Duration::from_secs(5))
                .expect("batch");
            let files = batch.iter().filter(|p| p.is_file()).count();
            assert_eq!(files, 20, "poll {poll}: {batch:?}");
        }
    }

    #[test]
    fn polling_sees_two_saves_within_one_second_and_a_removal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let post = dir.path().join("content/a.md");
        std::fs::create_dir_all(post.parent().expect("parent")).expect("mkdir");
        std::fs::write(&post, "one").expect("write");
        let mut watcher = Watcher::new(dir.path(), true).expect("watcher");
        let root = dir.path().canonicalize().expect("canonical");
        let next = |w: &mut Watcher| {
            w.next_batch(Duration::from_millis(50), Duration::from_secs(5))
                .expect("batch")
        };
        // Same length, written twice within a second: only the
        // sub-second time tells them apart.
        std::fs::write(&post, "two").expect("write");
        assert!(next(&mut watcher).contains(&root.join("content/a.md")));
        std::fs::write(&post, "six").expect("write");
        assert!(next(&mut watcher).contains(&root.join("content/a.md")));
        std::fs::remove_file(&post).expect("remove");
        assert!(next(&mut watcher).contains(&root.join("content/a.md")));
        std::fs::write(dir.path().join("config.toml"), "title = \"x\"").expect("write");
        assert!(next(&mut watcher).contains(&root.join("config.toml")));
    }
}
