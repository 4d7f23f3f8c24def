//! What a build rendered, kept for the next one: for each page written
//! from a template, the fingerprint of its inputs and the length and CRC-32
//! of the bytes written. A rebuild whose staging directory starts from that
//! site (the spare, `write::Staging`) keeps a page whose fingerprint is
//! unchanged without rendering it, once the file's bytes are checked to be
//! the ones recorded: a file edited by hand, damaged or truncated is
//! rendered again, never published as it is.
//!
//! Reading every kept page back would be most of a rebuild that renders
//! nothing, so each entry also holds the file's inode and change time
//! (`ctime`), taken once it was written. A file that still has them, and
//! that changed before the record was saved, holds the bytes recorded:
//! writing to a file, replacing it or restoring it from elsewhere sets a
//! new change time, and no call sets an old one. Any other file is read
//! and checked against its CRC-32. A file changed in the same tick of the
//! clock as the record was saved (its change time not before the
//! record's) is read too, since a later edit in that tick would leave the
//! time as it was (what git calls a racy entry).
//!
//! What the stamp cannot see is damage that goes through no system call
//! (a failing disk, a crash that kept a file's metadata but not its data)
//! or a clock set back: as with git's index, the output is trusted to the
//! filesystem. A file damaged that way is published as it is until its
//! page changes; deleting the output (or the cache) renders it again.
//!
//! A record belongs to one directory of output, named by the id in its
//! marker file and the directory's inode, and to one `blog` binary: a
//! record written by another version or build of `blog` is not read, since
//! the same inputs may render differently there.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Starts the marker's line naming the record of that output directory.
pub const ID_LINE: &str = "rendered: ";
const HEADER: &str = "blog rendered pages 2";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: u64,
    pub len: u64,
    pub crc: u32,
    /// The file as it stood once written, if the system tells.
    pub stamp: Option<Stamp>,
}

/// What says a file was not changed since: its inode and change time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    /// Change time, seconds and nanoseconds (first, for the order).
    pub changed: (i64, i64),
    pub inode: u64,
}

impl Stamp {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        Some(Stamp {
            changed: (meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Option<Stamp> {
        None
    }
}

/// How a kept file was found to hold the bytes recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// Its inode and change time are the ones recorded, from before the
    /// record was saved.
    Stamp,
    /// It was read, and its length and CRC-32 are the ones recorded.
    Read,
}

/// The record of the site a staging directory started from, and the one
/// being made for the site it becomes.
#[derive(Default)]
pub struct Record {
    /// Where records are kept (one file per output directory's id); none
    /// without a cache folder.
    dir: Option<PathBuf>,
    previous: HashMap<String, Entry>,
    /// When the previous record was saved: a file changed at or after it
    /// is read, whatever its stamp.
    saved: Option<(i64, i64)>,
    current: Mutex<HashMap<String, Entry>>,
}

impl Record {
    /// The record for the staging directory `site`, kept in `dir`, that
    /// starts from a site whose marker says `marker` (empty: it starts
    /// empty).
    pub fn open(dir: Option<PathBuf>, marker: &str, site: &Path) -> Record {
        let (previous, saved) = match (&dir, id_of(marker)) {
            (Some(dir), Some(id)) => read(&dir.join(file_name(id, site))).unwrap_or_default(),
            _ => (HashMap::new(), None),
        };
        Record {
            dir,
            previous,
            saved,
            current: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the file at `path` (`rel` in the site) was rendered from
    /// inputs with this fingerprint and still holds those bytes; if so it
    /// is recorded as kept.
    pub fn keep(&self, rel: &str, path: &Path, fingerprint: u64) -> bool {
        self.check(rel, path, fingerprint).is_some()
    }

    /// `keep`, saying how the file was found unchanged.
    fn check(&self, rel: &str, path: &Path, fingerprint: u64) -> Option<Held> {
        let entry = self.previous.get(rel)?;
        if entry.fingerprint != fingerprint {
            return None;
        }
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() || meta.len() != entry.len {
            return None;
        }
        let now = Stamp::of(&meta);
        let before_save = |s: &Stamp| self.saved.is_some_and(|saved| s.changed < saved);
        let held = match (entry.stamp, now) {
            (Some(was), Some(now)) if was == now && before_save(&now) => Held::Stamp,
            _ if holds(path, entry.len, entry.crc) => Held::Read,
            _ => return None,
        };
        self.note(
            rel,
            Entry {
                stamp: now,
                ..*entry
            },
        );
        Some(held)
    }

    /// Records `bytes` as rendered at `rel` (now at `path`) from inputs
    /// with `fingerprint`.
    pub fn wrote(&self, rel: &str, path: &Path, bytes: &[u8], fingerprint: u64) {
        let stamp = std::fs::symlink_metadata(path)
            .ok()
            .and_then(|m| Stamp::of(&m));
        self.note(
            rel,
            Entry {
                fingerprint,
                len: bytes.len() as u64,
                crc: crc32fast::hash(bytes),
                stamp,
            },
        );
    }

    fn note(&self, rel: &str, entry: Entry) {
        if let Ok(mut current) = self.current.lock() {
            current.insert(rel.to_string(), entry);
        }
    }

    /// Writes this build's record for the directory `site` under its id,
    /// returned for the marker; removes every record but it and `keep`
    /// (the id and directory of the site that becomes the spare). `None`
    /// when there is no cache folder or the record could not be written
    /// (the next build then renders all).
    pub fn save(&self, site: &Path, keep: Option<(&str, &Path)>) -> Option<String> {
        let dir = self.dir.as_ref()?;
        let current = self.current.lock().ok()?;
        let mut text = format!("{HEADER} {}\n", binary_identity());
        // The id covers what was rendered, not the files' stamps: the same
        // site gets the same id, so that the same input still gives a
        // byte-identical marker. The file name adds the directory, since
        // the spare and the output may be the same site in two places.
        let mut id = crc32fast::Hasher::new();
        let mut paths: Vec<&String> = current.keys().collect();
        paths.sort();
        // Written in place: a line formatted on its own for each of 15,800
        // files was 3% of a rebuild's instructions.
        use std::fmt::Write as _;
        text.reserve(paths.len() * 100);
        for rel in paths {
            if rel.contains('\n') {
                continue;
            }
            let e = current[rel];
            let start = text.len();
            let _ = write!(text, "{:016x} {} {:08x}", e.fingerprint, e.len, e.crc);
            id.update(&text.as_bytes()[start..]);
            id.update(b" ");
            id.update(rel.as_bytes());
            id.update(b"\n");
            // No stamp is written as inode 0, which no file has.
            let s = e.stamp.unwrap_or(Stamp {
                changed: (0, 0),
                inode: 0,
            });
            let _ = writeln!(text, " {} {} {} {rel}", s.inode, s.changed.0, s.changed.1);
        }
        let id = format!("{:08x}", id.finalize());
        let name = file_name(&id, site);
        let keep = keep.map(|(id, site)| file_name(id, site));
        std::fs::create_dir_all(dir).ok()?;
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, text).ok()?;
        std::fs::rename(&tmp, dir.join(&name)).ok()?;
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let file = entry.file_name().to_string_lossy().into_owned();
                if file != name && Some(&file) != keep.as_ref() {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Some(id)
    }
}

/// The file of the record `id` for the output directory `site`: the id and
/// the directory's inode, which moving the directory keeps.
fn file_name(id: &str, site: &Path) -> String {
    let inode = std::fs::metadata(site)
        .ok()
        .and_then(|m| Stamp::of(&m))
        .map_or(0, |s| s.inode);
    format!("{id}-{inode}")
}

/// The record id a marker file's text names.
pub fn id_of(marker: &str) -> Option<&str> {
    marker
        .lines()
        .find_map(|l| l.strip_prefix(ID_LINE))
        .map(str::trim)
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// This `blog`: its version and its executable's length and modification
/// time, which change with every build of it.
pub fn binary_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(identity)
}

fn identity() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok());
    let (len, modified) = match exe {
        Some(m) => (
            m.len(),
            m.modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos()),
        ),
        None => (0, 0),
    };
    format!("{} {len} {modified}", env!("CARGO_PKG_VERSION"))
}

/// A record file's entries and when it was saved (its own change time);
/// `None` when it is missing, damaged or written by another `blog`.
#[allow(clippy::type_complexity)]
fn read(path: &Path) -> Option<(HashMap<String, Entry>, Option<(i64, i64)>)> {
    let mut file = std::fs::File::open(path).ok()?;
    let saved = file
        .metadata()
        .ok()
        .and_then(|m| Stamp::of(&m))
        .map(|s| s.changed);
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    let mut lines = text.lines();
    if lines.next()? != format!("{HEADER} {}", binary_identity()) {
        return None;
    }
    let mut entries = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(7, ' ');
        let fingerprint = u64::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let crc = u32::from_str_radix(parts.next()?, 16).ok()?;
        let inode: u64 = parts.next()?.parse().ok()?;
        let changed = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
        let rel = parts.next()?;
        entries.insert(
            rel.to_string(),
            Entry {
                fingerprint,
                len,
                crc,
                stamp: (inode != 0).then_some(Stamp { changed, inode }),
            },
        );
    }
    Some((entries, saved))
}

/// Whether the file at `path` is `len` bytes with this CRC-32.
fn holds(path: &Path, len: u64, crc: u32) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != len {
        return false;
    }
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut bytes = Vec::with_capacity(len as usize);
    if file.read_to_end(&mut bytes).is_err() || bytes.len() as u64 != len {
        return false;
    }
    crc32fast::hash(&bytes) == crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_page_must_hold_the_bytes_recorded() {
        let dir = std::env::temp_dir().join(format!("blog-rendered-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let site = dir.join("site");
        std::fs::create_dir_all(&site).expect("site dir");
        let records = dir.join("records");
        let first = Record::open(Some(records.clone()), "", &site);
        std::fs::write(site.join("a.html"), "<p>a</p>").expect("a");
        std::fs::write(site.join("b.html"), "<p>b</p>").expect("b");
        first.wrote("a.html", &site.join("a.html"), b"<p>a</p>", 1);
        first.wrote("b.html", &site.join("b.html"), b"<p>b</p>", 2);
        // Past the clock's tick, so that the files changed before the
        // record was saved.
        std::thread::sleep(std::time::Duration::from_millis(50));
        let id = first.save(&site, None).expect("a record is written");
        let marker = format!("marker\n{ID_LINE}{id}\n");

        // Same bytes, same fingerprint: kept, on its stamp alone where the
        // system gives one (elsewhere, read).
        let second = Record::open(Some(records.clone()), &marker, &site);
        assert_eq!(
            second.check("a.html", &site.join("a.html"), 1),
            Some(if cfg!(unix) { Held::Stamp } else { Held::Read })
        );
        // Written again with the same bytes: a new change time, so read,
        // and kept.
        std::fs::write(site.join("a.html"), "<p>a</p>").expect("a rewritten");
        assert_eq!(
            second.check("a.html", &site.join("a.html"), 1),
            Some(Held::Read)
        );
        // Another fingerprint: rendered again.
        assert!(!second.keep("b.html", &site.join("b.html"), 3));
        // Same length, other bytes (edited by hand or damaged): rendered again.
        std::fs::write(site.join("b.html"), "<p>X</p>").expect("b edited");
        assert!(!second.keep("b.html", &site.join("b.html"), 2));
        // Truncated, or gone.
        std::fs::write(site.join("a.html"), "<p>").expect("a truncated");
        assert!(!second.keep("a.html", &site.join("a.html"), 1));
        assert!(!second.keep("c.html", &site.join("c.html"), 1));

        // A damaged record is not read at all.
        std::fs::write(
            records.join(file_name(&id, &site)),
            "blog rendered pages 1 nonsense\n",
        )
        .expect("damage");
        let third = Record::open(Some(records.clone()), &marker, &site);
        std::fs::write(site.join("a.html"), "<p>a</p>").expect("a again");
        assert!(!third.keep("a.html", &site.join("a.html"), 1));

        // Saving keeps the new record and the one named, no other.
        let kept = second.save(&site, Some((&id, &site))).expect("saved");
        let mut names: Vec<String> = std::fs::read_dir(&records)
            .expect("records")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut want = vec![file_name(&id, &site), file_name(&kept, &site)];
        want.sort();
        assert_eq!(names, want);
        assert_eq!(id_of(&marker), Some(id.as_str()));
        assert_eq!(id_of("rendered: ../x"), None);

        // A file changed in the tick its record was saved in is read, not
        // trusted to its stamp: an edit in that tick leaves the stamp as
        // it was.
        let records = dir.join("racy");
        let first = Record::open(Some(records.clone()), "", &site);
        std::fs::write(site.join("d.html"), "<p>d</p>").expect("d");
        first.wrote("d.html", &site.join("d.html"), b"<p>d</p>", 4);
        let id = first.save(&site, None).expect("saved");
        std::fs::write(site.join("d.html"), "<p>D</p>").expect("d edited at once");
        let second = Record::open(Some(records.clone()), &format!("{ID_LINE}{id}\n"), &site);
        assert_eq!(second.check("d.html", &site.join("d.html"), 4), None);
        std::fs::write(site.join("d.html"), "<p>d</p>").expect("d put back");
        assert_eq!(
            second.check("d.html", &site.join("d.html"), 4),
            Some(Held::Read)
        );

        // The same site in two directories (the output and the spare) has
        // one id and two records, each with its own files' stamps.
        let records = dir.join("two");
        let other = dir.join("other");
        std::fs::create_dir_all(&other).expect("other dir");
        std::fs::write(other.join("d.html"), "<p>d</p>").expect("d");
        let here = Record::open(Some(records.clone()), "", &site);
        here.wrote("d.html", &site.join("d.html"), b"<p>d</p>", 4);
        let there = Record::open(Some(records.clone()), "", &other);
        there.wrote("d.html", &other.join("d.html"), b"<p>d</p>", 4);
        std::thread::sleep(std::time::Duration::from_millis(50));
        let id = here.save(&site, None).expect("saved");
        let same = there.save(&other, Some((&id, &site))).expect("saved");
        assert_eq!(id, same);
        let marker = format!("{ID_LINE}{id}\n");
        for place in [&site, &other] {
            let record = Record::open(Some(records.clone()), &marker, place);
            assert_eq!(
                record.check("d.html", &place.join("d.html"), 4),
                Some(if cfg!(unix) { Held::Stamp } else { Held::Read })
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
