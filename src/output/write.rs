//! Writing the site without risking the author's files. A build writes into a
//! fresh staging directory beside the target and swaps it in only after the
//! whole build succeeded, so a failed or killed build leaves the last good
//! site as it was and no stale file survives. Before anything is written, the
//! target is checked: never the site root, its sources, `/` or the home
//! directory, nor a directory holding files `blog` did not write.

use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::diagnostics::Diagnostic;

/// Written into every output directory; its presence means `blog` owns it.
pub const MARKER: &str = ".blog-output";
const MARKER_TEXT: &str =
    "This directory is written by `blog build` and replaced on every build.\n";
/// Starts a marker line naming a top-level dotfile the build wrote itself
/// (from static/), which is not the author's to keep.
const WROTE: &str = "written by blog: ";

/// Refuses output directories that would put the author's files at risk.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |why: String| {
        Diagnostic::new(
            output.display().to_string(),
            format!("refusing to write the site here: {why}"),
        )
        .hint("choose an empty directory or one `blog` wrote before, e.g. --output public")
    };
    if output.parent().is_none() {
        return Err(refuse("it is the filesystem root".into()));
    }
    if let Some(home) = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|h| absolute(&h))
    {
        if output == home {
            return Err(refuse("it is your home directory".into()));
        }
    }
    if root.starts_with(&output) {
        return Err(refuse("it holds the site's own sources".into()));
    }
    for source in ["content", "templates", "static", "themes", "config.toml"] {
        if output.starts_with(root.join(source)) {
            return Err(refuse(format!("it is inside the site's {source}")));
        }
    }
    match std::fs::symlink_metadata(&output) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(refuse(format!("cannot inspect it: {e}"))),
        Ok(meta) if !meta.is_dir() => Err(refuse("it is a file, not a directory".into())),
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(&output).map_err(|e| refuse(format!("cannot read it: {e}")))?;
            let empty = entries.next().is_none();
            if empty || output.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(refuse(format!(
                    "it holds files `blog` did not write (no {MARKER} file)"
                )))
            }
        }
    }
}

/// Makes a path absolute and lexically clean without requiring it to exist.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Resolve symlinks for the part that exists.
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        match name.to_str() {
            Some("..") => {
                out.pop();
            }
            Some(".") => {}
            _ => out.push(name),
        }
    }
    out
}

/// A directory being filled beside `target`. Dropped without `commit`, it is
/// removed and the target is untouched.
///
/// A rebuild mostly writes what is already there. So the site a build
/// replaces is not deleted but kept as a *spare* (in the cache folder, on the
/// same filesystem), and the next build starts its staging directory from it:
/// files whose bytes are unchanged are left alone, the rest are written, and
/// whatever the new site does not have is pruned before the swap. Deleting and
/// recreating tens of thousands of files is most of a large rebuild's I/O.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Where the replaced site is kept for the next build, if anywhere.
    spare: Option<PathBuf>,
    /// True when `dir` started as a spare, so files may already be in place.
    reused: bool,
    /// What the spare's pages were rendered from, and what this build's are.
    record: super::rendered::Record,
    committed: bool,
}

impl Staging {
    /// Creates a staging directory for `target`, starting from `spare` when
    /// it holds a previous site on the same filesystem.
    pub fn create(target: &Path, spare: Option<&Path>) -> Result<Staging> {
        let target = absolute(target);
        let parent = target
            .parent()
            .context("output directory has no parent")?
            .to_path_buf();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        recover_and_clean(&target)?;
        let dir = side_path(&target, "staging", std::process::id());
        if dir.exists() {
            remove_tree(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        let spare = spare
            .filter(|s| same_filesystem(s, &parent))
            .map(Path::to_path_buf);
        let reused = spare
            .as_ref()
            .is_some_and(|s| s.join(MARKER).is_file() && std::fs::rename(s, &dir).is_ok());
        if !reused {
            std::fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let marker = match reused {
            true => std::fs::read_to_string(dir.join(MARKER)).unwrap_or_default(),
            false => String::new(),
        };
        let records = spare.as_ref().map(|s| {
            let name = s.file_name().map(|n| n.to_string_lossy().into_owned());
            s.with_file_name(format!("rendered-{}", name.unwrap_or_default()))
        });
        let record = super::rendered::Record::open(records, &marker, &dir);
        let staging = Staging {
            target,
            dir,
            spare,
            reused,
            record,
            committed: false,
        };
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the output),
    /// unless the file already holds exactly these bytes.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_at(rel, bytes).map(|_| ())
    }

    /// `write`, returning where the file is.
    fn write_at(&self, rel: &str, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.prepare(rel)?;
        if !(self.reused && same_content(&path, bytes.len() as u64, || Ok(bytes.to_vec()))) {
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(path)
    }

    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let path = self.prepare(rel)?;
        if self.reused {
            let len = std::fs::metadata(from).map(|m| m.len()).unwrap_or(u64::MAX);
            if same_content(&path, len, || std::fs::read(from)) {
                return Ok(());
            }
        }
        std::fs::copy(from, &path)
            .with_context(|| format!("copying {} to {}", from.display(), path.display()))?;
        Ok(())
    }

    /// The path for `rel`, with its folder made and anything in the way (a
    /// file where a folder must be, or the reverse) removed.
    fn prepare(&self, rel: &str) -> Result<PathBuf> {
        let path = self.path_for(rel)?;
        let parent = path.parent().unwrap_or(&self.dir);
        if std::fs::create_dir_all(parent).is_err() {
            for ancestor in parent
                .ancestors()
                .take_while(|a| a.starts_with(&self.dir) && *a != self.dir)
            {
                if ancestor.is_file() {
                    std::fs::remove_file(ancestor)
                        .with_context(|| format!("removing {}", ancestor.display()))?;
                }
            }
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        if self.reused && path.is_dir() {
            remove_tree(&path).with_context(|| format!("removing {}", path.display()))?;
        }
        Ok(path)
    }

    /// Removes every file and folder the new site does not have. `keep`
    /// holds the `/`-separated paths written by this build.
    pub fn prune(&self, keep: &std::collections::HashSet<&str>) -> Result<()> {
        if self.reused {
            prune_dir(&self.dir, "", keep)
                .with_context(|| format!("pruning {}", self.dir.display()))?;
        }
        Ok(())
    }

    fn path_for(&self, rel: &str) -> Result<PathBuf> {
        let mut path = self.dir.clone();
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            anyhow::ensure!(
                part != ".." && part != "." && !part.contains('\\'),
                "unsafe output path {rel:?}"
            );
            path.push(part);
        }
        Ok(path)
    }

    /// Swaps the staging directory in for the target; the replaced site
    /// becomes the spare for the next build, or is deleted.
    pub fn commit(mut self) -> Result<()> {
        let old = side_path(&self.target, "old", std::process::id());
        let had_target = self.target.exists();
        // The marker names the dotfiles this site wrote, so that the next
        // build can tell them from the author's.
        let mut marker = MARKER_TEXT.to_string();
        for name in dotfiles(&self.dir)? {
            marker.push_str(&format!("{WROTE}{name}\n"));
        }
        // The site being replaced becomes the spare: its record is kept.
        let replaced = std::fs::read_to_string(self.target.join(MARKER)).unwrap_or_default();
        let replaced = super::rendered::id_of(&replaced).map(str::to_string);
        let keep = replaced.as_deref().map(|id| (id, self.target.as_path()));
        if let Some(id) = self.record.save(&self.dir, keep) {
            marker.push_str(&format!("{}{id}\n", super::rendered::ID_LINE));
        }
        std::fs::write(self.dir.join(MARKER), marker)
            .with_context(|| format!("writing {}", self.dir.join(MARKER).display()))?;
        if had_target {
            // The author's dotfiles (a deployment repository's `.git`) go
            // with the output, never with the replaced site.
            carry_dotfiles(&self.target, &self.dir)
                .with_context(|| format!("keeping the dotfiles of {}", self.target.display()))?;
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("moving the previous {} aside", self.target.display()))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_target {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e)
                .with_context(|| format!("moving the new site into {}", self.target.display()));
        }
        self.committed = true;
        if had_target {
            let kept = self.spare.as_ref().is_some_and(|spare| {
                if spare.exists() {
                    let _ = remove_tree(spare);
                }
                spare
                    .parent()
                    .is_some_and(|p| std::fs::create_dir_all(p).is_ok())
                    && std::fs::rename(&old, spare).is_ok()
            });
            if !kept {
                remove_tree(&old).with_context(|| format!("removing {}", old.display()))?;
            }
        }
        Ok(())
    }
}

/// The top-level entries of `dir` whose names start with a dot, but for the
/// marker.
fn dotfiles(dir: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name != MARKER {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The top-level dotfiles of an output directory that the author put there
/// (a `.git`), not the build: what `blog deploy` must not publish.
pub fn authors_dotfiles(output: &Path) -> Vec<String> {
    let marker = std::fs::read_to_string(output.join(MARKER)).unwrap_or_default();
    let written: Vec<&str> = marker
        .lines()
        .filter_map(|line| line.strip_prefix(WROTE))
        .collect();
    dotfiles(output)
        .unwrap_or_default()
        .into_iter()
        .filter(|name| !written.contains(&name.as_str()))
        .collect()
}

/// Moves the dotfiles of `from` that the author put there — like the `.git`
/// of a repository that deploys the site — into `to`: not those its marker
/// says a build wrote, nor names `to` has itself.
fn carry_dotfiles(from: &Path, to: &Path) -> io::Result<()> {
    let marker = std::fs::read_to_string(from.join(MARKER)).unwrap_or_default();
    let written: Vec<&str> = marker
        .lines()
        .filter_map(|line| line.strip_prefix(WROTE))
        .collect();
    for name in dotfiles(from)? {
        let dest = to.join(&name);
        if written.contains(&name.as_str()) || std::fs::symlink_metadata(&dest).is_ok() {
            continue;
        }
        std::fs::rename(from.join(&name), dest)?;
    }
    Ok(())
}

/// Whether the file at `path` is `len` bytes long and equal to `bytes()`.
fn same_content(path: &Path, len: u64, bytes: impl FnOnce() -> io::Result<Vec<u8>>) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == len => match (std::fs::read(path), bytes()) {
            (Ok(existing), Ok(new)) => existing == new,
            _ => false,
        },
        _ => false,
    }
}

/// Removes what `keep` does not name under `dir`; whether nothing is left.
/// A folder's entries are pruned in parallel when there are many: a site's
/// posts are thousands of folders of one page each.
fn prune_dir(dir: &Path, prefix: &str, keep: &std::collections::HashSet<&str>) -> io::Result<bool> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    // Whether the entry stays (in part, for a folder).
    let prune = |entry: &std::fs::DirEntry| -> io::Result<bool> {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if prune_dir(&path, &rel, keep)? {
                std::fs::remove_dir(&path)?;
                return Ok(false);
            }
            Ok(true)
        } else if keep.contains(rel.as_str()) {
            Ok(true)
        } else {
            std::fs::remove_file(&path)?;
            Ok(false)
        }
    };
    let stays: Vec<bool> = if entries.len() >= 64 {
        entries.par_iter().map(prune).collect::<io::Result<_>>()?
    } else {
        entries.iter().map(prune).collect::<io::Result<_>>()?
    };
    Ok(!stays.contains(&true))
}

#[cfg(unix)]
fn same_filesystem(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let device = |p: &Path| {
        p.ancestors()
            .find_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.dev())
    };
    matches!((device(a), device(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(not(unix))]
fn same_filesystem(_: &Path, _: &Path) -> bool {
    false
}

impl crate::output::Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        Staging::copy(self, rel, from)
    }

    fn reuse(&self, rel: &str, fingerprint: u64) -> bool {
        self.reused
            && self
                .path_for(rel)
                .is_ok_and(|path| self.record.keep(rel, &path, fingerprint))
    }

    fn write_rendered(&self, rel: &str, bytes: &[u8], fingerprint: u64) -> Result<()> {
        let path = self.write_at(rel, bytes)?;
        self.record.wrote(rel, &path, bytes, fingerprint);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a directory tree, its top-level entries in parallel: on a large
/// site, unlinking thousands of files is I/O-bound and both cores help.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|path| {
        let meta = std::fs::symlink_metadata(path)?;
        if meta.is_dir() {
            remove_tree(path)
        } else {
            std::fs::remove_file(path)
        }
    })?;
    std::fs::remove_dir(dir)
}

/// `.public.blog-staging-1234` beside `public`.
fn side_path(target: &Path, kind: &str, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.blog-{kind}-{pid}"))
}

/// Cleans what a killed build left beside the target. If a build died between
/// moving the old site aside and moving the new one in, the old site is put
/// back first, so the last good site is never lost.
fn recover_and_clean(target: &Path) -> Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    let prefix = format!(".{name}.blog-");
    let mut leftovers: Vec<(String, u32, PathBuf)> = Vec::new();
    for entry in
        std::fs::read_dir(parent).with_context(|| format!("reading {}", parent.display()))?
    {
        let entry = entry?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let Some((kind, pid)) = rest.rsplit_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid != std::process::id() && process_alive(pid) {
            continue; // Another build is running right now.
        }
        leftovers.push((kind.to_string(), pid, entry.path()));
    }
    for (kind, _, path) in &leftovers {
        if kind == "old" && !target.exists() {
            std::fs::rename(path, target)
                .with_context(|| format!("restoring {}", target.display()))?;
        }
    }
    for (_, _, path) in leftovers {
        // A build killed while swapping may have left the author's dotfiles
        // in its staging folder or the old site: they go back first.
        if path.is_dir() && target.is_dir() {
            carry_dotfiles(&path, target)
                .with_context(|| format!("restoring the dotfiles of {}", target.display()))?;
        }
        if path.exists() {
            remove_tree(&path).with_context(|| format!("removing leftover {}", path.display()))?;
        }
    }
    Ok(())
}

fn process_alive(pid: u32) -> bool {
    Path::new("/proc").is_dir() && Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_outputs() {
        let site = tempfile::tempdir().expect("tempdir");
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::create_dir_all(root.join("other")).expect("mkdir");
        std::fs::write(root.join("other/notes.txt"), "mine").expect("write");
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/x"),
            root.join("other"),
            PathBuf::from("/"),
        ] {
            assert!(
                check_output_dir(root, &bad).is_err(),
                "{} should be refused",
                bad.display()
            );
        }
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        assert!(root.join("other/notes.txt").exists());
    }

    #[test]
    fn staging_swaps_in_and_drop_leaves_target() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("public");
        let s = Staging::create(&target, None).expect("staging");
        s.write("a/index.html", b"one").expect("write");
        s.commit().expect("commit");
        assert_eq!(
            std::fs::read(target.join("a/index.html")).expect("read"),
            b"one"
        );
        let s = Staging::create(&target, None).expect("staging");
        s.write("b/index.html", b"two").expect("write");
        drop(s);
        assert!(target.join("a/index.html").exists());
        assert!(!target.join("b").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    /// One build of `files` into `target`, starting from `spare`.
    fn build_site(target: &Path, spare: &Path, files: &[(&str, &str)]) {
        let s = Staging::create(target, Some(spare)).expect("staging");
        for (rel, text) in files {
            s.write(rel, text.as_bytes()).expect("write");
        }
        let keep = files.iter().map(|(rel, _)| *rel).chain([MARKER]);
        s.prune(&keep.collect()).expect("prune");
        s.commit().expect("commit");
    }

    #[test]
    fn the_authors_dotfiles_stay_through_swaps_and_crashes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("public");
        let spare = dir.path().join("cache/spare");
        let build = |files: &[(&str, &str)]| build_site(&target, &spare, files);
        build(&[("index.html", "one"), (".well-known/x", "site's")]);
        std::fs::create_dir_all(target.join(".git/refs")).expect("git");
        std::fs::write(target.join(".git/HEAD"), "ref: main").expect("HEAD");
        std::fs::write(target.join(".nojekyll"), "").expect("nojekyll");
        // Twice, so the second build starts from the spare of the first.
        for _ in 0..2 {
            build(&[("index.html", "two")]);
            assert_eq!(
                std::fs::read_to_string(target.join(".git/HEAD")).expect("HEAD kept"),
                "ref: main"
            );
            assert!(target.join(".nojekyll").exists());
            assert!(target.join(MARKER).exists());
        }
        // The site's own dotfolder goes when the site stops writing it.
        assert!(!target.join(".well-known").exists());

        // Killed after moving .git into its staging folder, before the
        // swap: the next build puts it back.
        let dead = side_path(&target, "staging", 999_999_999);
        std::fs::create_dir(&dead).expect("staging");
        std::fs::rename(target.join(".git"), dead.join(".git")).expect("move");
        build(&[("index.html", "three")]);
        assert!(target.join(".git/HEAD").exists(), "restored");
        assert!(!dead.exists());
    }

    #[test]
    fn a_spare_site_is_reused_pruned_and_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("public");
        let spare = dir.path().join("cache/spare");
        let build = |files: &[(&str, &str)]| build_site(&target, &spare, files);
        build(&[
            ("a/index.html", "A1"),
            ("b/index.html", "B1"),
            ("x", "file"),
        ]);
        assert!(!spare.exists(), "nothing was replaced yet");
        build(&[
            ("a/index.html", "A2"),
            ("c/index.html", "C2"),
            ("x/index.html", "now a folder"),
        ]);
        assert!(
            spare.join("b/index.html").exists(),
            "the replaced site is the spare"
        );
        build(&[("a/index.html", "A3"), ("d/index.html", "D3")]);
        let mut files: Vec<String> = Vec::new();
        for e in walkdir::WalkDir::new(&target)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            files.push(
                e.path()
                    .strip_prefix(&target)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
        files.sort();
        assert_eq!(files, vec![MARKER, "a/index.html", "d/index.html"]);
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).expect("read"),
            "A3"
        );
        assert!(!target.join("b").exists() && !target.join("x").exists());
    }

    #[test]
    fn recovers_the_old_site_after_a_crash_mid_swap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("public");
        let old = side_path(&target, "old", 999_999_999);
        std::fs::create_dir_all(&old).expect("mkdir");
        std::fs::write(old.join("index.html"), "last good").expect("write");
        let s = Staging::create(&target, None).expect("staging");
        drop(s);
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).expect("read"),
            "last good"
        );
    }
}
