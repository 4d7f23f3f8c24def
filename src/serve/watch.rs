//! Watching the site's sources with notify: content/, templates/, themes/,
//! static/ and config.toml. Events are debounced into one change set, so an
//! editor's write-to-temp-and-rename, a burst of saves or a `git checkout` of
//! many files ends in one rebuild. `--poll` polls instead, for filesystems
//! where native events do not arrive (network mounts, some containers).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::RecursiveMode;

pub const SOURCES: [&str; 4] = ["content", "templates", "themes", "static"];

pub struct Watcher {
    root: PathBuf,
    events: Receiver<notify::Result<notify::Event>>,
    watcher: Box<dyn notify::Watcher + Send>,
    watched: BTreeSet<PathBuf>,
}

impl Watcher {
    pub fn new(root: &Path, poll: bool) -> Result<Watcher> {
        // Events carry absolute paths; compare them with an absolute root.
        let root = &root
            .canonicalize()
            .with_context(|| format!("reading {}", root.display()))?;
        let (tx, events) = channel();
        let mut watcher: Box<dyn notify::Watcher + Send> = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(200));
            Box::new(notify::PollWatcher::new(tx, config).context("starting the file watcher")?)
        } else {
            Box::new(notify::recommended_watcher(tx).context("starting the file watcher")?)
        };
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", root.display()))?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            events,
            watcher,
            watched: BTreeSet::new(),
        };
        w.watch_sources();
        Ok(w)
    }

    /// Watches each source folder that exists and is not watched yet.
    fn watch_sources(&mut self) {
        for name in SOURCES {
            let dir = self.root.join(name);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
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

    fn collect(&self, event: notify::Result<notify::Event>, changed: &mut BTreeSet<PathBuf>) {
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
    first == crate::config::CONFIG_FILE || SOURCES.contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/content/posts/a.md")));
        assert!(is_source(root, Path::new("/site/config.toml")));
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
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        let mut watcher = Watcher::new(dir.path(), false).expect("watcher");
        for i in 0..20 {
            std::fs::write(dir.path().join(format!("content/p{i}.md")), "x").expect("write");
        }
        let batch = watcher
            .next_batch(Duration::from_millis(100), Duration::from_secs(5))
            .expect("batch");
        assert_eq!(batch.len(), 20, "{batch:?}");
    }
}
