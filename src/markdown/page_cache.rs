//! A persistent cache of rendered markdown, keyed by a 128-bit hash of a
//! page's markdown and of everything else that shapes its HTML (see
//! `render::render_cached`). A rebuild reads an unchanged page back instead
//! of rendering it. The highlight cache keeps its code blocks in a store of
//! the same kind (`PageCache::open_named`).
//!
//! Two files: `pages.bin`, where entries are appended (key, length, CRC-32,
//! bytes), and `pages.idx`, where each entry of the last build is. Entries
//! are read one at a time, when their page is, so the cache costs no memory
//! beyond the pages themselves (a site of 100,000 posts does not hold a
//! second copy of its HTML), and a build writes two files, not one per page.
//! When more than half of `pages.bin` is entries no build used last, it is
//! written anew with only the used ones.
//!
//! Like the highlight cache, it is an optimisation only: a missing, damaged
//! (length or CRC-32 wrong), truncated or unreadable entry is a miss, and
//! the page is rendered again; a file that cannot be written costs speed
//! next time, never the build.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::cache::Key;

const INDEX_HEADER: &[u8] = b"blog pages index 1\n";
pub const DATA_FILE: &str = "pages.bin";
pub const INDEX_FILE: &str = "pages.idx";
/// Key, length and CRC-32 before each entry's bytes.
const RECORD_HEAD: u64 = 16 + 8 + 4;
/// Entries are gathered into writes of about this many bytes. One write an
/// entry was 4,000 writes at 1,000 posts, each beginning and ending inside a
/// page of the file and both parse threads waiting on its lock in turn: the
/// cache's writes took more of a cold build's system time than the site's
/// 1,700 files.
const BATCH: usize = 1 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Loc {
    /// Where the entry's bytes start in the data file.
    offset: u64,
    len: u64,
    crc: u32,
}

pub struct PageCache {
    dir: PathBuf,
    /// The data file's and the index's names in `dir`.
    data_name: &'static str,
    index_name: &'static str,
    /// The data file as it was opened, for reading.
    data: Option<File>,
    index: HashMap<Key, Loc>,
    /// Every key this process looked up or stored, and where it is.
    used: Mutex<HashMap<Key, Option<Loc>>>,
    /// The data file opened for appending, and the entries not yet in it.
    writer: Mutex<Option<Writer>>,
}

/// Where new entries go. An entry's place is taken under the lock and its
/// bytes copied into `batch`; a batch that is full is written outside the
/// lock, so parse threads do not wait on each other's writes (at 100,000
/// posts they did: the content stage ran at 1.6 cores with the cache, 1.9
/// without). Until it is in the file, an entry is read from its batch.
struct Writer {
    file: Arc<File>,
    /// Where the data file ends once every batch is written.
    end: u64,
    /// The entries after the written ones: their bytes from `batch_at` on.
    batch_at: u64,
    batch: Vec<u8>,
    /// Batches being written, by where they start.
    writing: Vec<(u64, Arc<Vec<u8>>)>,
    /// Where the first batch whose write failed starts: `save` names no
    /// entry from there on.
    first_failure: Option<u64>,
    /// A written batch's buffer, for the next: each new one was a megabyte
    /// of memory the kernel had to fault in afresh.
    spare: Option<Vec<u8>>,
}

impl Writer {
    /// The `len` bytes at `offset` when they are not in the file yet.
    fn unwritten(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        let slice = |at: u64, bytes: &[u8]| {
            let start = usize::try_from(offset.checked_sub(at)?).ok()?;
            bytes
                .get(start..start.checked_add(len)?)
                .map(<[u8]>::to_vec)
        };
        if offset >= self.batch_at {
            return slice(self.batch_at, &self.batch);
        }
        self.writing
            .iter()
            .find_map(|(at, bytes)| slice(*at, bytes))
    }

    /// Takes the batch out to be written, and where it goes.
    fn take_batch(&mut self) -> Option<(u64, Arc<Vec<u8>>)> {
        if self.batch.is_empty() {
            return None;
        }
        let next = self.spare.take().unwrap_or_else(new_batch);
        let bytes = Arc::new(std::mem::replace(&mut self.batch, next));
        let at = self.batch_at;
        self.batch_at = self.end;
        self.writing.push((at, Arc::clone(&bytes)));
        Some((at, bytes))
    }

    /// Records that the batch at `at` is written, or that it failed.
    fn written(&mut self, at: u64, result: &io::Result<()>) {
        self.writing.retain(|(start, _)| *start != at);
        if result.is_err() {
            self.first_failure = Some(self.first_failure.map_or(at, |f| f.min(at)));
        }
    }
}

/// An empty batch, with room for a full one and the entry that fills it.
fn new_batch() -> Vec<u8> {
    Vec::with_capacity(BATCH + BATCH / 8)
}

impl PageCache {
    /// Opens the cache in `dir`; anything unreadable is an empty cache.
    pub fn open(dir: PathBuf) -> PageCache {
        PageCache::open_named(dir, DATA_FILE, INDEX_FILE)
    }

    /// Opens a store of the same kind under other file names (the
    /// highlight cache's).
    pub fn open_named(
        dir: PathBuf,
        data_name: &'static str,
        index_name: &'static str,
    ) -> PageCache {
        let data = File::open(dir.join(data_name)).ok();
        let data_len = data
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .map_or(0, |m| m.len());
        let index = read_index(&dir.join(index_name), data_len).unwrap_or_default();
        PageCache {
            dir,
            data_name,
            index_name,
            data,
            index,
            used: Mutex::new(HashMap::new()),
            writer: Mutex::new(None),
        }
    }

    /// The bytes stored for `key`, when its entry is whole.
    pub fn get(&self, key: Key) -> Option<Vec<u8>> {
        // Where this process last saw it (an earlier build of `blog
        // serve`), else where the index says.
        let seen = self
            .used
            .lock()
            .ok()
            .and_then(|used| used.get(&key).copied().flatten());
        let loc = seen.or_else(|| self.index.get(&key).copied());
        let found = loc.and_then(|loc| Some((self.read(loc)?, loc)));
        if let Ok(mut used) = self.used.lock() {
            used.insert(key, found.as_ref().map(|(_, loc)| *loc));
        }
        found.map(|(bytes, _)| bytes)
    }

    fn read(&self, loc: Loc) -> Option<Vec<u8>> {
        let len = usize::try_from(loc.len).ok()?;
        let whole = |bytes: &[u8]| crc32fast::hash(bytes) == loc.crc;
        let pending = self
            .writer
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().and_then(|w| w.unwritten(loc.offset, len)));
        // Not whole there: an offset of the index read at open that a
        // compaction since has put inside a new batch. The file opened then
        // still has it.
        if let Some(bytes) = pending.filter(|b| whole(b)) {
            return Some(bytes);
        }
        let mut bytes = vec![0; len];
        if let Some(file) = &self.data {
            if read_at(file, &mut bytes, loc.offset).is_ok() && whole(&bytes) {
                return Some(bytes);
            }
        }
        // The file as it is now: written anew since this process opened it.
        let file = File::open(self.dir.join(self.data_name)).ok()?;
        read_at(&file, &mut bytes, loc.offset).ok()?;
        whole(&bytes).then_some(bytes)
    }

    /// Keeps the entries of `keys` for next time, as if read, without
    /// reading them (the code blocks of a page read back whole).
    pub fn keep(&self, keys: &[Key]) {
        let Ok(mut used) = self.used.lock() else {
            return;
        };
        for key in keys {
            if let Some(loc) = self.index.get(key) {
                used.entry(*key).or_insert(Some(*loc));
            }
        }
    }

    /// Appends `body` for `key`. A write that fails is a miss next time.
    pub fn put(&self, key: Key, body: &[u8]) {
        let loc = self.append(key, body).ok();
        if let Ok(mut used) = self.used.lock() {
            used.insert(key, loc);
        }
    }

    /// Writes the entries still in the batch.
    fn flush(&self) -> io::Result<()> {
        let taken = {
            let mut slot = self
                .writer
                .lock()
                .map_err(|_| io::Error::other("page cache lock poisoned"))?;
            slot.as_mut()
                .and_then(|w| Some((Arc::clone(&w.file), w.take_batch()?)))
        };
        if let Some((file, (at, bytes))) = taken {
            self.write_batch(&file, at, bytes);
        }
        Ok(())
    }

    fn write_batch(&self, file: &File, at: u64, bytes: Arc<Vec<u8>>) {
        let result = write_at(file, &bytes, at);
        if let Ok(mut slot) = self.writer.lock() {
            if let Some(w) = slot.as_mut() {
                w.written(at, &result);
                // No reader keeps a batch: they copy out of it under the lock.
                // One grown by a huge entry is not kept for the process's
                // life.
                if let Ok(mut buffer) = Arc::try_unwrap(bytes) {
                    if buffer.capacity() <= 2 * BATCH {
                        buffer.clear();
                        w.spare.get_or_insert(buffer);
                    }
                }
            }
        }
    }

    /// Adds an entry where the data file ends: its place is taken and its
    /// bytes copied into the batch under the lock; a full batch is written
    /// by the thread that filled it, outside the lock. An entry whose batch
    /// failed to be written is never named (`save`), and its bytes are
    /// dropped when the file is next compacted.
    fn append(&self, key: Key, body: &[u8]) -> io::Result<Loc> {
        let crc = crc32fast::hash(body);
        let (at, full) = {
            let mut slot = self
                .writer
                .lock()
                .map_err(|_| io::Error::other("page cache lock poisoned"))?;
            if slot.is_none() {
                std::fs::create_dir_all(&self.dir)?;
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .write(true)
                    .truncate(false)
                    .open(self.dir.join(self.data_name))?;
                let end = file.metadata()?.len();
                *slot = Some(Writer {
                    file: Arc::new(file),
                    end,
                    batch_at: end,
                    batch: new_batch(),
                    writing: Vec::new(),
                    first_failure: None,
                    spare: None,
                });
            }
            let Some(w) = slot.as_mut() else {
                return Err(io::Error::other("no writer"));
            };
            let at = w.end;
            w.end += RECORD_HEAD + body.len() as u64;
            w.batch.extend_from_slice(&key.to_le_bytes());
            w.batch
                .extend_from_slice(&(body.len() as u64).to_le_bytes());
            w.batch.extend_from_slice(&crc.to_le_bytes());
            w.batch.extend_from_slice(body);
            let full = match w.batch.len() >= BATCH {
                true => w.take_batch().map(|b| (Arc::clone(&w.file), b)),
                false => None,
            };
            (at, full)
        };
        if let Some((file, (start, bytes))) = full {
            self.write_batch(&file, start, bytes);
        }
        Ok(Loc {
            offset: at + RECORD_HEAD,
            len: body.len() as u64,
            crc,
        })
    }

    /// Writes the index of the entries this process used (and compacts the
    /// data file when most of it is unused). Called when no `put` is under
    /// way (after a build's parse): an entry stored during it could be
    /// named before its batch is written.
    pub fn save(&self) -> io::Result<()> {
        self.flush()?;
        let (end, first_failure) = {
            let slot = self
                .writer
                .lock()
                .map_err(|_| io::Error::other("page cache lock poisoned"))?;
            // Every batch is written: each `put` returned after the one it
            // filled, and `flush` wrote the last.
            (
                slot.as_ref().map(|w| w.end),
                slot.as_ref().and_then(|w| w.first_failure),
            )
        };
        // After a batch that failed (a full disk), the file may end early:
        // the index names only what comes before it, and says the file is
        // that long, so the next build still trusts it.
        let before_failure = |loc: &Loc| first_failure.is_none_or(|f| loc.offset + loc.len <= f);
        let used = self
            .used
            .lock()
            .map_err(|_| io::Error::other("page cache lock poisoned"))?;
        let live: HashMap<Key, Loc> = used
            .iter()
            .filter_map(|(k, loc)| Some((*k, (*loc).filter(before_failure)?)))
            .collect();
        if end.is_none() && live == self.index {
            return Ok(());
        }
        let data_len = match end {
            Some(end) => first_failure.map_or(end, |f| f.min(end)),
            None => std::fs::metadata(self.dir.join(self.data_name)).map_or(0, |m| m.len()),
        };
        let live_bytes: u64 = live.values().map(|l| RECORD_HEAD + l.len).sum();
        std::fs::create_dir_all(&self.dir)?;
        if data_len > (1 << 20) && live_bytes < data_len / 2 {
            drop(used);
            return self.compact(&live);
        }
        write_index(&self.dir.join(self.index_name), &live, data_len)
    }

    /// Writes the data file anew with only `live`'s entries, and its index.
    fn compact(&self, live: &HashMap<Key, Loc>) -> io::Result<()> {
        let source = File::open(self.dir.join(self.data_name))?;
        let tmp = self
            .dir
            .join(format!("{}.tmp{}", self.data_name, std::process::id()));
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        let mut keys: Vec<&Key> = live.keys().collect();
        keys.sort();
        let mut index = HashMap::new();
        let mut end = 0u64;
        for key in keys {
            let loc = live[key];
            let mut bytes = vec![0; usize::try_from(loc.len).map_err(io::Error::other)?];
            if read_at(&source, &mut bytes, loc.offset).is_err()
                || crc32fast::hash(&bytes) != loc.crc
            {
                continue;
            }
            out.write_all(&key.to_le_bytes())?;
            out.write_all(&loc.len.to_le_bytes())?;
            out.write_all(&loc.crc.to_le_bytes())?;
            out.write_all(&bytes)?;
            index.insert(
                *key,
                Loc {
                    offset: end + RECORD_HEAD,
                    ..loc
                },
            );
            end += RECORD_HEAD + loc.len;
        }
        out.into_inner().map_err(|e| e.into_error())?;
        // The old index names entries the new file does not have where it
        // says: it goes first, so a crash in between leaves no index.
        let _ = std::fs::remove_file(self.dir.join(self.index_name));
        std::fs::rename(&tmp, self.dir.join(self.data_name))?;
        write_index(&self.dir.join(self.index_name), &index, end)?;
        // Later appends (a next build of `blog serve`) go to the new file,
        // and this process finds its entries where they now are.
        if let Ok(mut slot) = self.writer.lock() {
            *slot = None;
        }
        if let Ok(mut used) = self.used.lock() {
            for (key, loc) in used.iter_mut() {
                *loc = index.get(key).copied();
            }
        }
        Ok(())
    }
}

fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_write(
                file,
                &buf[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            done += n;
        }
        Ok(())
    }
}

fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

/// The index names the data file's length when it was written: an index
/// whose data file is shorter (cut, or replaced) is not read.
fn read_index(path: &std::path::Path, data_len: u64) -> io::Result<HashMap<Key, Loc>> {
    let mut bytes = Vec::new();
    File::open(path)?.read_to_end(&mut bytes)?;
    let rest = bytes
        .strip_prefix(INDEX_HEADER)
        .ok_or_else(|| io::Error::other("other version"))?;
    let (len, mut rest) = rest
        .split_at_checked(8)
        .ok_or_else(|| io::Error::other("truncated"))?;
    let indexed_len = u64::from_le_bytes(len.try_into().map_err(io::Error::other)?);
    if indexed_len > data_len {
        return Err(io::Error::other("data file is shorter than its index says"));
    }
    let mut index = HashMap::new();
    while !rest.is_empty() {
        let (entry, tail) = rest
            .split_at_checked(16 + 8 + 8 + 4)
            .ok_or_else(|| io::Error::other("truncated"))?;
        rest = tail;
        let key = Key::from_le_bytes(entry[..16].try_into().map_err(io::Error::other)?);
        let offset = u64::from_le_bytes(entry[16..24].try_into().map_err(io::Error::other)?);
        let len = u64::from_le_bytes(entry[24..32].try_into().map_err(io::Error::other)?);
        let crc = u32::from_le_bytes(entry[32..36].try_into().map_err(io::Error::other)?);
        if offset.saturating_add(len) <= indexed_len {
            index.insert(key, Loc { offset, len, crc });
        }
    }
    Ok(index)
}

fn write_index(path: &std::path::Path, index: &HashMap<Key, Loc>, data_len: u64) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(INDEX_HEADER.len() + 8 + index.len() * 36);
    bytes.extend_from_slice(INDEX_HEADER);
    bytes.extend_from_slice(&data_len.to_le_bytes());
    let mut keys: Vec<&Key> = index.keys().collect();
    keys.sort();
    for key in keys {
        let loc = index[key];
        bytes.extend_from_slice(&key.to_le_bytes());
        bytes.extend_from_slice(&loc.offset.to_le_bytes());
        bytes.extend_from_slice(&loc.len.to_le_bytes());
        bytes.extend_from_slice(&loc.crc.to_le_bytes());
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_entries_read_back_and_damaged_or_unused_ones_do_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let at = dir.path().join("pages");
        let cache = PageCache::open(at.clone());
        cache.put(1, b"{\"html\":\"<p>one</p>\"}");
        cache.put(2, b"two");
        cache.put(3, b"three");
        // Read back in the same process, before any save.
        assert_eq!(cache.get(2).as_deref(), Some(&b"two"[..]));
        assert_eq!(cache.get(9), None);
        cache.save().expect("save");

        let next = PageCache::open(at.clone());
        assert_eq!(
            next.get(1).as_deref(),
            Some(&b"{\"html\":\"<p>one</p>\"}"[..])
        );
        assert_eq!(next.get(3).as_deref(), Some(&b"three"[..]));

        // A flipped byte in an entry: that entry misses, the others hold.
        let data = at.join(DATA_FILE);
        let mut bytes = std::fs::read(&data).expect("data");
        let needle = bytes
            .windows(5)
            .position(|w| w == b"three")
            .expect("entry three");
        bytes[needle] ^= 1;
        std::fs::write(&data, &bytes).expect("damage");
        let damaged = PageCache::open(at.clone());
        assert_eq!(damaged.get(3), None);
        assert_eq!(damaged.get(2).as_deref(), Some(&b"two"[..]));
        // Only 2 was used: entries 1 and 3 leave the index.
        damaged.save().expect("save");
        let after = PageCache::open(at.clone());
        assert_eq!(after.get(1), None);
        assert_eq!(after.get(2).as_deref(), Some(&b"two"[..]));

        // A cut data file: its index is not trusted.
        std::fs::write(&data, &bytes[..10]).expect("cut");
        let cut = PageCache::open(at.clone());
        assert_eq!(cut.get(2), None);
    }

    #[test]
    fn entries_written_from_many_threads_at_once_read_back_whole() {
        // Places are taken under the lock and bytes written outside it:
        // entries of every size from four threads, read back in this
        // process at once, and after a save by the next.
        let dir = tempfile::tempdir().expect("tempdir");
        let at = dir.path().join("pages");
        let cache = PageCache::open(at.clone());
        let body = |key: u128| vec![key as u8; 1 + (key as usize * 37) % 5000];
        std::thread::scope(|scope| {
            for thread in 0..4u128 {
                let cache = &cache;
                scope.spawn(move || {
                    for i in 0..50u128 {
                        let key = thread * 1000 + i;
                        cache.put(key, &body(key));
                        assert_eq!(cache.get(key), Some(body(key)), "{key}");
                    }
                });
            }
        });
        cache.save().expect("save");
        let next = PageCache::open(at.clone());
        for thread in 0..4u128 {
            for i in 0..50u128 {
                let key = thread * 1000 + i;
                assert_eq!(next.get(key), Some(body(key)), "{key}");
            }
        }
        // Appending after a reopen starts where the file ends.
        next.put(9999, b"later");
        next.save().expect("save");
        let last = PageCache::open(at);
        assert_eq!(last.get(9999).as_deref(), Some(&b"later"[..]));
        assert_eq!(last.get(1049), Some(body(1049)));
    }

    #[test]
    fn entries_read_back_from_their_batch_from_the_file_and_after_a_save() {
        // Entries of 100 kB fill a batch every ten or so: each is read back
        // at once (from the batch, or the file once the batch is written),
        // and none is in the file before the batch it is in is full.
        let dir = tempfile::tempdir().expect("tempdir");
        let at = dir.path().join("pages");
        let cache = PageCache::open(at.clone());
        let body = |key: u128| vec![(key % 251) as u8; 100_000 + key as usize];
        let on_disk = || std::fs::metadata(at.join(DATA_FILE)).map_or(0, |m| m.len());
        cache.put(0, &body(0));
        assert_eq!(on_disk(), 0, "the first entry waits in its batch");
        for key in 0..30u128 {
            if key > 0 {
                cache.put(key, &body(key));
            }
            for earlier in 0..=key {
                assert_eq!(
                    cache.get(earlier),
                    Some(body(earlier)),
                    "{earlier} after {key}"
                );
            }
        }
        let written = on_disk();
        assert!(
            written >= BATCH as u64,
            "{written}: full batches are written"
        );
        let all: u64 = (0..30u128)
            .map(|k| RECORD_HEAD + body(k).len() as u64)
            .sum();
        assert!(
            written < all,
            "{written} of {all}: the last batch waits for save"
        );
        cache.save().expect("save");
        assert_eq!(on_disk(), all);
        let next = PageCache::open(at);
        for key in 0..30u128 {
            assert_eq!(next.get(key), Some(body(key)), "{key}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn entries_whose_batch_could_not_be_written_are_not_named() {
        // The data file is /dev/full: every write fails as on a full disk.
        let dir = tempfile::tempdir().expect("tempdir");
        let at = dir.path().join("pages");
        std::fs::create_dir_all(&at).expect("folder");
        std::os::unix::fs::symlink("/dev/full", at.join(DATA_FILE)).expect("symlink");
        let cache = PageCache::open(at.clone());
        let body = vec![7u8; 300_000];
        for key in 0..8u128 {
            cache.put(key, &body);
        }
        cache.save().expect("the index is still written");
        let index = std::fs::read(at.join(INDEX_FILE)).expect("index");
        assert_eq!(index.len(), INDEX_HEADER.len() + 8, "no entry named");
        let length = u64::from_le_bytes(index[INDEX_HEADER.len()..].try_into().expect("8 bytes"));
        assert_eq!(length, 0, "the file's length as it is up to the failure");
        let next = PageCache::open(at);
        for key in 0..8u128 {
            assert_eq!(next.get(key), None, "{key}");
        }
    }

    #[test]
    fn a_mostly_unused_data_file_is_written_anew() {
        let dir = tempfile::tempdir().expect("tempdir");
        let at = dir.path().join("pages");
        let big = vec![b'x'; 300_000];
        let first = PageCache::open(at.clone());
        for key in 0..8u128 {
            first.put(key, &big);
        }
        first.save().expect("save");
        let before = std::fs::metadata(at.join(DATA_FILE)).expect("data").len();
        let second = PageCache::open(at.clone());
        assert_eq!(second.get(5).as_deref(), Some(&big[..]));
        second.save().expect("save");
        let after = std::fs::metadata(at.join(DATA_FILE)).expect("data").len();
        assert!(after < before / 4, "{after} of {before}");
        let third = PageCache::open(at);
        assert_eq!(third.get(5).as_deref(), Some(&big[..]));
        assert_eq!(third.get(4), None);
    }
}
