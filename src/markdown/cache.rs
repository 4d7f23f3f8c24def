//! A persistent cache of highlighted code blocks, keyed by a 128-bit hash of
//! the language, the code and the versions that shape the output. A warm
//! cache turns a rebuild's most expensive step into a lookup. The cache is an
//! optimisation only: a missing, stale, truncated or unreadable file means
//! misses, never a failed build or wrong output. Each entry carries the
//! CRC-32 of its HTML, so a damaged entry (a flipped byte in a cache
//! restored by CI) is highlighted again rather than published.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Changes whenever the cached HTML for the same input could change.
const HEADER: &str = concat!(
    "blog highlight cache 3 ",
    env!("CARGO_PKG_VERSION"),
    " syntect 5 tree-sitter 0.26\n"
);
pub const FILE_NAME: &str = "highlight.bin";

pub type Key = u128;

pub struct HighlightCache {
    path: PathBuf,
    loaded: HashMap<Key, Arc<str>>,
    /// What this build used; written back, so the file never outgrows the site.
    used: Mutex<HashMap<Key, Arc<str>>>,
    changed: AtomicBool,
}

impl HighlightCache {
    /// Opens the cache file at `path`; anything unreadable is an empty cache.
    pub fn open(path: PathBuf) -> HighlightCache {
        let loaded = read(&path).unwrap_or_default();
        HighlightCache {
            path,
            loaded,
            used: Mutex::new(HashMap::new()),
            changed: AtomicBool::new(false),
        }
    }

    pub fn key(language: &str, code: &str) -> Key {
        let hash = |salt: u8| {
            let mut h = DefaultHasher::new();
            salt.hash(&mut h);
            HEADER.hash(&mut h);
            language.hash(&mut h);
            code.hash(&mut h);
            h.finish()
        };
        (u128::from(hash(1)) << 64) | u128::from(hash(2))
    }

    /// The cached HTML for `key`, or `make()`'s, remembered for next time.
    /// When `make` gives nothing, nothing is remembered.
    pub fn get_or_make(&self, key: Key, make: impl FnOnce() -> Option<String>) -> Option<Arc<str>> {
        let seen = self.loaded.get(&key).cloned().or_else(|| {
            // Blocks first made earlier in this process (a serve session).
            self.used
                .lock()
                .ok()
                .and_then(|used| used.get(&key).cloned())
        });
        let html = match seen {
            Some(html) => html,
            None => {
                self.changed.store(true, Ordering::Relaxed);
                Arc::from(make()?)
            }
        };
        if let Ok(mut used) = self.used.lock() {
            used.insert(key, html.clone());
        }
        Some(html)
    }

    /// Keeps the loaded entries for `keys` for next time, as if used: the
    /// code blocks of a page read back whole from the cache.
    pub fn keep(&self, keys: &[Key]) {
        let Ok(mut used) = self.used.lock() else {
            return;
        };
        for key in keys {
            if let Some(value) = self.loaded.get(key) {
                used.entry(*key).or_insert_with(|| value.clone());
            }
        }
    }

    /// Writes what this build used, when it differs from what was loaded.
    pub fn save(&self) -> io::Result<()> {
        let used = self
            .used
            .lock()
            .map_err(|_| io::Error::other("cache lock poisoned"))?;
        if !self.changed.load(Ordering::Relaxed) && used.len() == self.loaded.len() {
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        let mut out = io::BufWriter::new(std::fs::File::create(&tmp)?);
        out.write_all(HEADER.as_bytes())?;
        let mut keys: Vec<&Key> = used.keys().collect();
        keys.sort();
        for key in keys {
            let html = &used[key];
            out.write_all(&key.to_le_bytes())?;
            out.write_all(&(html.len() as u64).to_le_bytes())?;
            out.write_all(&crc32fast::hash(html.as_bytes()).to_le_bytes())?;
            out.write_all(html.as_bytes())?;
        }
        out.into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()
            .ok();
        std::fs::rename(&tmp, &self.path)
    }
}

fn read(path: &Path) -> io::Result<HashMap<Key, Arc<str>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.read_to_end(&mut bytes)?;
    let body = bytes
        .strip_prefix(HEADER.as_bytes())
        .ok_or_else(|| io::Error::other("other version"))?;
    let mut map = HashMap::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (key, tail) = rest
            .split_at_checked(16)
            .ok_or_else(|| io::Error::other("truncated"))?;
        let (len, tail) = tail
            .split_at_checked(8)
            .ok_or_else(|| io::Error::other("truncated"))?;
        let len = u64::from_le_bytes(len.try_into().map_err(io::Error::other)?) as usize;
        let (crc, tail) = tail
            .split_at_checked(4)
            .ok_or_else(|| io::Error::other("truncated"))?;
        let crc = u32::from_le_bytes(crc.try_into().map_err(io::Error::other)?);
        let (html, tail) = tail
            .split_at_checked(len)
            .ok_or_else(|| io::Error::other("truncated"))?;
        rest = tail;
        // A damaged entry is a miss; the others are still good.
        if crc32fast::hash(html) != crc {
            continue;
        }
        let Ok(html) = std::str::from_utf8(html) else {
            continue;
        };
        map.insert(
            Key::from_le_bytes(key.try_into().map_err(io::Error::other)?),
            Arc::from(html),
        );
    }
    Ok(map)
}

/// Where a site's cache lives: `$BLOG_CACHE_DIR` (empty turns caching off),
/// else `$XDG_CACHE_HOME/blog` or `~/.cache/blog`; one folder per site root.
pub fn site_cache_dir(root: &Path, env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = match env("BLOG_CACHE_DIR") {
        Some(dir) if dir.is_empty() => return None,
        Some(dir) => PathBuf::from(dir),
        None => match env("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir).join("blog"),
            None => PathBuf::from(env("HOME")?).join(".cache").join("blog"),
        },
    };
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut h = DefaultHasher::new();
    canonical.hash(&mut h);
    Some(base.join(format!("{:016x}", h.finish())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_drops_unused_entries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        let cache = HighlightCache::open(path.clone());
        let (a, b) = (
            HighlightCache::key("rust", "fn a() {}"),
            HighlightCache::key("rust", "fn b() {}"),
        );
        assert_ne!(a, b);
        assert_eq!(
            cache.get_or_make(a, || Some("A".into())).as_deref(),
            Some("A")
        );
        assert_eq!(
            cache.get_or_make(b, || Some("B".into())).as_deref(),
            Some("B")
        );
        assert_eq!(cache.get_or_make(7, || None), None);
        cache.save().expect("save");

        let cache = HighlightCache::open(path.clone());
        assert_eq!(
            cache.get_or_make(a, || panic!("must be cached")).as_deref(),
            Some("A")
        );
        cache.save().expect("save");
        let cache = HighlightCache::open(path);
        let b_again = cache.get_or_make(b, || Some("fresh".into()));
        assert_eq!(
            b_again.as_deref(),
            Some("fresh"),
            "b was not used, so it was dropped"
        );
    }

    #[test]
    fn a_damaged_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        let cache = HighlightCache::open(path.clone());
        let key = HighlightCache::key("c", "int x;");
        cache.get_or_make(key, || Some("X".into()));
        cache.save().expect("save");
        let bytes = std::fs::read(&path).expect("read");
        std::fs::write(&path, &bytes[..bytes.len() - 1]).expect("truncate");
        let cache = HighlightCache::open(path.clone());
        assert_eq!(
            cache.get_or_make(key, || Some("remade".into())).as_deref(),
            Some("remade")
        );
        std::fs::write(&path, b"garbage").expect("write");
        let again = HighlightCache::open(path).get_or_make(key, || Some("again".into()));
        assert_eq!(again.as_deref(), Some("again"));
    }

    #[test]
    fn a_damaged_entry_is_made_again_and_the_others_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        let cache = HighlightCache::open(path.clone());
        let (a, b) = (HighlightCache::key("c", "a"), HighlightCache::key("c", "b"));
        cache.get_or_make(a, || Some("<span>first</span>".into()));
        cache.get_or_make(b, || Some("<span>other</span>".into()));
        cache.save().expect("save");
        let mut bytes = std::fs::read(&path).expect("read");
        let at = bytes.windows(5).position(|w| w == b"first").expect("entry");
        bytes[at] = b'F';
        std::fs::write(&path, &bytes).expect("write");
        let cache = HighlightCache::open(path);
        assert_eq!(
            cache.get_or_make(a, || Some("remade".into())).as_deref(),
            Some("remade")
        );
        assert_eq!(
            cache.get_or_make(b, || Some("not used".into())).as_deref(),
            Some("<span>other</span>")
        );
    }

    #[test]
    fn cache_dir_follows_the_environment() {
        let root = Path::new("/site");
        assert!(site_cache_dir(root, &|k| (k == "BLOG_CACHE_DIR").then(String::new)).is_none());
        let dir = site_cache_dir(root, &|k| (k == "BLOG_CACHE_DIR").then(|| "/c".to_string()))
            .expect("dir");
        assert!(dir.starts_with("/c"));
        let dir =
            site_cache_dir(root, &|k| (k == "HOME").then(|| "/home/me".to_string())).expect("dir");
        assert!(dir.starts_with("/home/me/.cache/blog"));
    }
}
