//! A persistent cache of highlighted code blocks, keyed by a 128-bit hash of
//! the language, the code and the versions that shape the output. A warm
//! cache turns a rebuild's most expensive step into a lookup. The cache is an
//! optimisation only: a missing, stale, truncated or unreadable file means
//! misses, never a failed build or wrong output. Each entry carries the
//! CRC-32 of its HTML, so a damaged entry (a flipped byte in a cache
//! restored by CI) is highlighted again rather than published.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::page_cache::PageCache;

/// Changes whenever the cached HTML for the same input could change.
const HEADER: &str = concat!(
    "blog highlight cache 5 ",
    env!("CARGO_PKG_VERSION"),
    " syntect 5\n"
);
pub const FILE_NAME: &str = "highlight.bin";
pub const INDEX_NAME: &str = "highlight.idx";

pub type Key = u128;

/// The blocks live in an appended data file with an index
/// (`page_cache::PageCache`), read one at a time: the cache costs memory
/// for its index only, not for the site's highlighted code (0.6 GiB at
/// 100,000 posts when it was read whole).
pub struct HighlightCache {
    store: PageCache,
}

impl HighlightCache {
    /// Opens the cache in the folder `dir`; anything unreadable is an empty
    /// cache.
    pub fn open(dir: PathBuf) -> HighlightCache {
        HighlightCache {
            store: PageCache::open_named(dir, FILE_NAME, INDEX_NAME),
        }
    }

    /// XXH3's 128 bits over the cache's version, `language` (length first,
    /// so no two splits of the same bytes meet) and `code`: a build hashes
    /// every post and code block it reads, and SipHash, twice for 128 bits,
    /// was 8% of a warm rebuild.
    pub fn key(language: &str, code: &str) -> Key {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(HEADER.as_bytes());
        h.update(&(language.len() as u64).to_le_bytes());
        h.update(language.as_bytes());
        h.update(code.as_bytes());
        h.digest128()
    }

    /// The cached HTML for `key`, or `make()`'s, remembered for next time.
    /// When `make` gives nothing, nothing is remembered.
    pub fn get_or_make(&self, key: Key, make: impl FnOnce() -> Option<String>) -> Option<Arc<str>> {
        if let Some(html) = self
            .store
            .get(key)
            .and_then(|bytes| String::from_utf8(bytes).ok())
        {
            return Some(Arc::from(html));
        }
        let html = make()?;
        self.store.put(key, html.as_bytes());
        Some(Arc::from(html))
    }

    /// Keeps the entries for `keys` for next time, as if used: the code
    /// blocks of a page read back whole from the cache.
    pub fn keep(&self, keys: &[Key]) {
        self.store.keep(keys);
    }

    /// Writes the index of what this build used (and compacts the data
    /// file when most of it is unused).
    pub fn save(&self) -> io::Result<()> {
        self.store.save()
    }
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
        let cache = HighlightCache::open(dir.path().to_path_buf());
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

        let cache = HighlightCache::open(dir.path().to_path_buf());
        assert_eq!(
            cache.get_or_make(a, || panic!("must be cached")).as_deref(),
            Some("A")
        );
        cache.save().expect("save");
        let cache = HighlightCache::open(dir.path().to_path_buf());
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
        let cache = HighlightCache::open(dir.path().to_path_buf());
        let key = HighlightCache::key("c", "int x;");
        cache.get_or_make(key, || Some("X".into()));
        cache.save().expect("save");
        let bytes = std::fs::read(&path).expect("read");
        std::fs::write(&path, &bytes[..bytes.len() - 1]).expect("truncate");
        let cache = HighlightCache::open(dir.path().to_path_buf());
        assert_eq!(
            cache.get_or_make(key, || Some("remade".into())).as_deref(),
            Some("remade")
        );
        std::fs::write(&path, b"garbage").expect("write");
        let again = HighlightCache::open(dir.path().to_path_buf())
            .get_or_make(key, || Some("again".into()));
        assert_eq!(again.as_deref(), Some("again"));
    }

    #[test]
    fn a_damaged_entry_is_made_again_and_the_others_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        let cache = HighlightCache::open(dir.path().to_path_buf());
        let (a, b) = (HighlightCache::key("c", "a"), HighlightCache::key("c", "b"));
        cache.get_or_make(a, || Some("<span>first</span>".into()));
        cache.get_or_make(b, || Some("<span>other</span>".into()));
        cache.save().expect("save");
        let mut bytes = std::fs::read(&path).expect("read");
        let at = bytes.windows(5).position(|w| w == b"first").expect("entry");
        bytes[at] = b'F';
        std::fs::write(&path, &bytes).expect("write");
        let cache = HighlightCache::open(dir.path().to_path_buf());
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
