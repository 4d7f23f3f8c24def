//! A persistent cache of rendered markdown: one file per page body, named by
//! a 128-bit hash of the markdown and of everything else that shapes its
//! HTML (see `render::render_cached`). A rebuild reads an unchanged page
//! back instead of rendering it. Each file is read when its page is, so the
//! cache costs no memory beyond the pages themselves, and a site of 100,000
//! posts does not hold a second copy of its HTML.
//!
//! Like the highlight cache, it is an optimisation only: a missing, damaged
//! (length or CRC-32 wrong), truncated or unreadable file is a miss, and the
//! page is rendered again; a file that cannot be written costs speed next
//! time, never the build. Files no build of this process used are removed
//! when the cache is saved, so it never outgrows the site.

use std::collections::HashSet;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Mutex;

use super::cache::Key;

const MAGIC: &[u8] = b"blog page 1\n";
pub const DIR_NAME: &str = "pages";

pub struct PageCache {
    dir: PathBuf,
    /// Every key looked up or stored by this process.
    used: Mutex<HashSet<Key>>,
}

impl PageCache {
    pub fn open(dir: PathBuf) -> PageCache {
        PageCache {
            dir,
            used: Mutex::new(HashSet::new()),
        }
    }

    fn path(&self, key: Key) -> PathBuf {
        self.dir.join(format!("{key:032x}"))
    }

    fn note(&self, key: Key) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
    }

    /// The bytes stored for `key`, when its file is whole.
    pub fn get(&self, key: Key) -> Option<Vec<u8>> {
        self.note(key);
        let mut file = std::fs::File::open(self.path(key)).ok()?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).ok()?;
        let rest = bytes.strip_prefix(MAGIC)?;
        let (len, rest) = rest.split_at_checked(8)?;
        let (crc, body) = rest.split_at_checked(4)?;
        let len = u64::from_le_bytes(len.try_into().ok()?);
        let crc = u32::from_le_bytes(crc.try_into().ok()?);
        if body.len() as u64 != len || crc32fast::hash(body) != crc {
            return None;
        }
        let start = bytes.len() - body.len();
        bytes.drain(..start);
        Some(bytes)
    }

    /// Stores `body` for `key` (written whole, then renamed into place).
    pub fn put(&self, key: Key, body: &[u8]) {
        self.note(key);
        let _ = self.write(key, body);
    }

    fn write(&self, key: Key, body: &[u8]) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + 12 + body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
        bytes.extend_from_slice(body);
        let path = self.path(key);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    }

    /// Removes the files of pages this process never looked up.
    pub fn prune(&self) -> io::Result<()> {
        let used = self
            .used
            .lock()
            .map_err(|_| io::Error::other("page cache lock poisoned"))?;
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let keep = name
                .to_str()
                .and_then(|n| Key::from_str_radix(n, 16).ok())
                .is_some_and(|key| used.contains(&key));
            if !keep {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_files_read_back_and_damaged_or_unused_ones_do_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = PageCache::open(dir.path().join(DIR_NAME));
        cache.put(1, b"{\"html\":\"<p>one</p>\"}");
        cache.put(2, b"two");
        assert_eq!(
            cache.get(1).as_deref(),
            Some(&b"{\"html\":\"<p>one</p>\"}"[..])
        );
        assert_eq!(cache.get(3), None);

        // A flipped byte, a cut file: misses.
        let path = cache.path(1);
        let mut bytes = std::fs::read(&path).expect("entry");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).expect("damage");
        assert_eq!(cache.get(1), None);
        std::fs::write(&path, &bytes[..bytes.len() - 3]).expect("cut");
        assert_eq!(cache.get(1), None);

        // A new process that only used entry 2 removes the others.
        let next = PageCache::open(dir.path().join(DIR_NAME));
        assert_eq!(next.get(2).as_deref(), Some(&b"two"[..]));
        std::fs::write(dir.path().join(DIR_NAME).join("stray.tmp1"), "x").expect("stray");
        next.prune().expect("prune");
        let left: Vec<String> = std::fs::read_dir(dir.path().join(DIR_NAME))
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, vec![format!("{:032x}", 2)]);
    }
}
