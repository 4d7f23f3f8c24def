//! What a build rendered, kept for the next one: for each page written
//! from a template, the fingerprint of its inputs and the length and CRC-32
//! of the bytes written. A rebuild whose staging directory starts from that
//! site (the spare, `write::Staging`) keeps a page whose fingerprint is
//! unchanged without rendering it, once the file's bytes are checked to be
//! the ones recorded: a file edited by hand, damaged or truncated is
//! rendered again, never published as it is.
//!
//! A record belongs to one directory of output, named by the id in its
//! marker file, and to one `blog` binary: a record written by another
//! version or build of `blog` is not read, since the same inputs may render
//! differently there.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Starts the marker's line naming the record of that output directory.
pub const ID_LINE: &str = "rendered: ";
const HEADER: &str = "blog rendered pages 1";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: u64,
    pub len: u64,
    pub crc: u32,
}

/// The record of the site a staging directory started from, and the one
/// being made for the site it becomes.
#[derive(Default)]
pub struct Record {
    /// Where records are kept (one file per output directory's id); none
    /// without a cache folder.
    dir: Option<PathBuf>,
    previous: HashMap<String, Entry>,
    current: Mutex<HashMap<String, Entry>>,
}

impl Record {
    /// The record for a staging directory in `dir` that starts from a site
    /// whose marker says `marker` (empty: it starts empty).
    pub fn open(dir: Option<PathBuf>, marker: &str) -> Record {
        let previous = match (&dir, id_of(marker)) {
            (Some(dir), Some(id)) => read(&dir.join(id)).unwrap_or_default(),
            _ => HashMap::new(),
        };
        Record {
            dir,
            previous,
            current: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the file at `path` (`rel` in the site) was rendered from
    /// inputs with this fingerprint and still holds those bytes; if so it
    /// is recorded as kept.
    pub fn keep(&self, rel: &str, path: &Path, fingerprint: u64) -> bool {
        let Some(entry) = self.previous.get(rel) else {
            return false;
        };
        if entry.fingerprint != fingerprint || !holds(path, entry.len, entry.crc) {
            return false;
        }
        self.note(rel, *entry);
        true
    }

    /// Records `bytes` as rendered at `rel` from inputs with `fingerprint`.
    pub fn wrote(&self, rel: &str, bytes: &[u8], fingerprint: u64) {
        self.note(
            rel,
            Entry {
                fingerprint,
                len: bytes.len() as u64,
                crc: crc32fast::hash(bytes),
            },
        );
    }

    fn note(&self, rel: &str, entry: Entry) {
        if let Ok(mut current) = self.current.lock() {
            current.insert(rel.to_string(), entry);
        }
    }

    /// Writes this build's record under its id, returned for the marker;
    /// removes the records of every id but it and `keep_id` (the site that
    /// becomes the spare). `None` when there is no cache folder or the
    /// record could not be written (the next build then renders all).
    pub fn save(&self, keep_id: Option<&str>) -> Option<String> {
        let dir = self.dir.as_ref()?;
        let current = self.current.lock().ok()?;
        let mut text = format!("{HEADER} {}\n", binary_identity());
        let mut paths: Vec<&String> = current.keys().collect();
        paths.sort();
        for rel in paths {
            if rel.contains('\n') {
                continue;
            }
            let e = current[rel];
            text.push_str(&format!(
                "{:016x} {} {:08x} {rel}\n",
                e.fingerprint, e.len, e.crc
            ));
        }
        // Named by its content: the same site gets the same id, so that
        // the same input still gives byte-identical output.
        let id = format!("{:08x}", crc32fast::hash(text.as_bytes()));
        std::fs::create_dir_all(dir).ok()?;
        let tmp = dir.join(format!(".{id}.tmp"));
        std::fs::write(&tmp, text).ok()?;
        std::fs::rename(&tmp, dir.join(&id)).ok()?;
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name != id && Some(name.as_str()) != keep_id {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Some(id)
    }
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

/// A record file's entries; `None` when it is missing, damaged or written
/// by another `blog`.
fn read(path: &Path) -> Option<HashMap<String, Entry>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != format!("{HEADER} {}", binary_identity()) {
        return None;
    }
    let mut entries = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(4, ' ');
        let fingerprint = u64::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let crc = u32::from_str_radix(parts.next()?, 16).ok()?;
        let rel = parts.next()?;
        entries.insert(
            rel.to_string(),
            Entry {
                fingerprint,
                len,
                crc,
            },
        );
    }
    Some(entries)
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
        let first = Record::open(Some(records.clone()), "");
        std::fs::write(site.join("a.html"), "<p>a</p>").expect("a");
        std::fs::write(site.join("b.html"), "<p>b</p>").expect("b");
        first.wrote("a.html", b"<p>a</p>", 1);
        first.wrote("b.html", b"<p>b</p>", 2);
        let id = first.save(None).expect("a record is written");
        let marker = format!("marker\n{ID_LINE}{id}\n");

        // Same bytes, same fingerprint: kept.
        let second = Record::open(Some(records.clone()), &marker);
        assert!(second.keep("a.html", &site.join("a.html"), 1));
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
        std::fs::write(records.join(&id), "blog rendered pages 1 nonsense\n").expect("damage");
        let third = Record::open(Some(records.clone()), &marker);
        std::fs::write(site.join("a.html"), "<p>a</p>").expect("a again");
        assert!(!third.keep("a.html", &site.join("a.html"), 1));

        // Saving keeps the new record and the one named, no other.
        let kept = second.save(Some(&id)).expect("saved");
        let mut names: Vec<String> = std::fs::read_dir(&records)
            .expect("records")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut want = vec![id.clone(), kept];
        want.sort();
        assert_eq!(names, want);
        assert_eq!(id_of(&marker), Some(id.as_str()));
        assert_eq!(id_of("rendered: ../x"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
