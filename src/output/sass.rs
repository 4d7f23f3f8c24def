//! Sass: every `.scss` and `.sass` file of the site's sass/ (and the
//! theme's) compiled to CSS with grass, a pure-Rust compiler, and
//! published at the same path with `.css` (`sass/css/site.scss` →
//! `/css/site.css`), as Zola does. Names starting with `_` are partials,
//! only reached by `@use`/`@import`; the site's file wins over the theme's
//! of the same name, and a static/ file of the same output path is an error.
//!
//! A compiled file is kept, per process, with the hash of every file the
//! compiler read for it, so `blog serve` compiles again only when one of
//! them changed.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::diagnostics::Diagnostic;
use crate::render::theme::{walk_files, StaticFile};

/// The site's folder of Sass files.
pub const SASS_DIR: &str = "sass";

/// A compiled stylesheet and the files (with their content's hash) it read.
#[derive(Clone)]
struct Compiled {
    css: Vec<u8>,
    inputs: Vec<(PathBuf, u64)>,
    /// Every path the compiler looked for, and whether it was a file: a
    /// partial added where an import looks is a change too.
    probes: Vec<(PathBuf, bool)>,
}

fn cache() -> &'static Mutex<HashMap<PathBuf, Compiled>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Compiled>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn hash_of(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// grass's file access, noting every file read so that a later build can
/// tell whether the stylesheet would come out the same.
#[derive(Debug, Default)]
struct Recording {
    read: Mutex<Vec<(PathBuf, u64)>>,
    probes: Mutex<Vec<(PathBuf, bool)>>,
}

impl grass::Fs for Recording {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        let is = path.is_file();
        if let Ok(mut probes) = self.probes.lock() {
            probes.push((path.to_path_buf(), is));
        }
        is
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let bytes = std::fs::read(path)?;
        if let Ok(mut read) = self.read.lock() {
            read.push((path.to_path_buf(), hash_of(&bytes)));
        }
        Ok(without_front_matter(bytes))
    }
}

/// Jekyll marks the stylesheets it compiles with a front matter block,
/// usually empty (`---\n---\n`); it is no Sass, so it is read as blank
/// lines, which keeps every line number of the file.
fn without_front_matter(bytes: Vec<u8>) -> Vec<u8> {
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(_) => return bytes,
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = body
        .strip_prefix("---\n")
        .or_else(|| body.strip_prefix("---\r\n"))
    else {
        return bytes;
    };
    let mut end = None;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            end = Some(at + line.len());
            break;
        }
        at += line.len();
    }
    let Some(end) = end else {
        return bytes;
    };
    let lines = 1 + rest[..end].matches('\n').count();
    let mut out = "\n".repeat(lines);
    out.push_str(&rest[end..]);
    out.into_bytes()
}

/// Whether a file grass reads is a stylesheet to publish (not a partial).
fn is_entry(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    !name.starts_with('_') && (rel.ends_with(".scss") || rel.ends_with(".sass"))
}

/// Compiles the theme's and the site's Sass into `static_files`, as
/// generated files; errors name the file, line and column.
pub fn compile_into(
    root: &Path,
    theme_dir: Option<&Path>,
    static_files: &mut BTreeMap<String, StaticFile>,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let site_dir = root.join(SASS_DIR);
    let theme_sass = theme_dir.map(|d| d.join(SASS_DIR));
    // Output path → (sass folder, file); the site's own last, so it wins.
    let mut entries: BTreeMap<String, (PathBuf, PathBuf)> = BTreeMap::new();
    for dir in theme_sass.iter().chain([&site_dir]) {
        walk_files(root, dir, &mut errors, |rel, path| {
            if is_entry(&rel) {
                let css = format!("{}.css", &rel[..rel.rfind('.').unwrap_or(rel.len())]);
                entries.insert(css, (dir.clone(), path));
            }
        });
    }
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    for (css_rel, (dir, path)) in entries {
        if let Some(StaticFile::Disk(other)) = static_files.get(&css_rel) {
            if other.starts_with(root.join("static")) {
                errors.push(
                    Diagnostic::new(
                        shown(&path),
                        format!(
                            "`/{css_rel}` is claimed twice: by this file and by {}",
                            shown(other).display()
                        ),
                    )
                    .hint("remove one of them, or rename the Sass file"),
                );
                continue;
            }
        }
        match compile(&path, &dir, theme_sass.as_deref()) {
            Ok(css) => {
                static_files.insert(
                    css_rel,
                    StaticFile::Compiled {
                        source: shown(&path),
                        css,
                    },
                );
            }
            Err(e) => errors.push(diagnostic(root, &path, *e)),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn compile(
    path: &Path,
    dir: &Path,
    theme_sass: Option<&Path>,
) -> Result<Vec<u8>, Box<grass::Error>> {
    if let Ok(cached) = cache().lock() {
        if let Some(hit) = cached.get(path) {
            let same = hit.probes.iter().all(|(file, is)| file.is_file() == *is)
                && hit
                    .inputs
                    .iter()
                    .all(|(file, hash)| std::fs::read(file).is_ok_and(|b| hash_of(&b) == *hash));
            if same {
                return Ok(hit.css.clone());
            }
        }
    }
    let fs = Recording::default();
    let mut options = grass::Options::default().fs(&fs).load_path(dir);
    if let Some(theme) = theme_sass {
        options = options.load_path(theme);
    }
    let css = grass::from_path(path, &options)?.into_bytes();
    let inputs = fs.read.into_inner().unwrap_or_default();
    let probes = fs.probes.into_inner().unwrap_or_default();
    if let Ok(mut cached) = cache().lock() {
        cached.insert(
            path.to_path_buf(),
            Compiled {
                css: css.clone(),
                inputs,
                probes,
            },
        );
    }
    Ok(css)
}

/// grass's error at its place: the file it is in (a partial, perhaps),
/// line and column, and its message.
fn diagnostic(root: &Path, entry: &Path, e: grass::Error) -> Diagnostic {
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    match e.kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => {
            let file = PathBuf::from(loc.file.name());
            Diagnostic::new(shown(&file), format!("Sass: {message}"))
                .at(loc.begin.line + 1, loc.begin.column + 1)
                .hint(format!(
                    "fix the stylesheet; it is compiled for {}",
                    shown(entry).display()
                ))
        }
        grass::ErrorKind::FromUtf8Error(_) => Diagnostic::new(
            shown(entry),
            "Sass: this file, or one it uses, is not UTF-8",
        )
        .hint("save it as UTF-8"),
        grass::ErrorKind::IoError(io) => Diagnostic::new(shown(entry), format!("Sass: {io}"))
            .hint("check the paths of its @use and @import rules"),
        _ => Diagnostic::new(shown(entry), "Sass: the stylesheet does not compile"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_front_matter_is_read_as_blank_lines() {
        let read = |s: &str| String::from_utf8(without_front_matter(s.as_bytes().to_vec()));
        assert_eq!(
            read("---\n---\n@import \"x\";\n").as_deref(),
            Ok("\n\n@import \"x\";\n")
        );
        assert_eq!(read("---\nx: 1\n---\na{}").as_deref(), Ok("\n\n\na{}"));
        assert_eq!(read("---\r\n---\r\na{}").as_deref(), Ok("\n\na{}"));
        // Not front matter: as written.
        assert_eq!(read("a{}\n---\n").as_deref(), Ok("a{}\n---\n"));
        assert_eq!(read("---\nno end").as_deref(), Ok("---\nno end"));
    }

    #[test]
    fn partials_and_other_files_are_not_published() {
        assert!(is_entry("site.scss") && is_entry("css/old.sass"));
        assert!(!is_entry("_vars.scss") && !is_entry("css/_mixins.scss"));
        assert!(!is_entry("notes.txt") && !is_entry("style.css"));
    }
}
