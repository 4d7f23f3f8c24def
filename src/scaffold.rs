//! Creating the author's files: `blog new` (one post with front matter) and
//! `blog init` (a new site that builds at once with the built-in theme).
//! Both create files only where none exist; nothing is ever overwritten or
//! deleted.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::content::load::CONTENT_DIR;
use crate::content::url::slugify;
use crate::diagnostics::Diagnostic;

pub struct NewPost<'a> {
    pub title: &'a str,
    pub section: &'a str,
    pub draft: bool,
    pub bundle: bool,
    /// The date to write, like `2026-11-25T09:30:00+01:00`.
    pub date: String,
}

/// The current local time with its UTC offset, as front matter wants it.
pub fn now_with_offset() -> String {
    let now = jiff::ZonedDateTime::now();
    now.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Creates `content/<section>/<slug>.md` (or `<slug>/index.md`) under `root`
/// and returns its path relative to `root`.
pub fn new_post(root: &Path, post: &NewPost) -> Result<PathBuf, Diagnostic> {
    crate::content::load::check_site_root(root)?;
    let slug = slugify(post.title);
    if slug.is_empty() {
        return Err(Diagnostic::new(
            CONTENT_DIR,
            format!(
                "the title {:?} has no letters or digits to make a file name from",
                post.title
            ),
        )
        .hint("give the post a title with at least one letter or digit"));
    }
    let mut rel = PathBuf::from(CONTENT_DIR);
    for part in post.section.split('/').filter(|p| !p.is_empty()) {
        if part == "." || part == ".." || part.contains('\\') || part.contains('\0') {
            return Err(Diagnostic::new(
                CONTENT_DIR,
                format!(
                    "the section {:?} is not a folder name inside content/",
                    post.section
                ),
            )
            .hint("use a section name like posts or notes/2024"));
        }
        rel.push(part);
    }
    if post.bundle {
        rel.push(&slug);
        rel.push("index.md");
    } else {
        rel.push(format!("{slug}.md"));
    }
    let mut text = String::from("---\n");
    text.push_str(&format!(
        "title: {}\n",
        serde_json::to_string(post.title).unwrap_or_default()
    ));
    text.push_str(&format!("date: {}\n", post.date));
    if post.draft {
        text.push_str("draft: true\n");
    }
    text.push_str("tags: []\n---\n\n");
    create_new(&root.join(&rel), text.as_bytes()).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            Diagnostic::new(&rel, "already exists; nothing was changed")
                .hint("pick another title, or edit the existing post")
        }
        _ => Diagnostic::new(&rel, format!("cannot create: {e}"))
            .hint("check that the folder is writable"),
    })?;
    Ok(rel)
}

/// What `init_site` did.
#[derive(Debug, Default)]
pub struct InitReport {
    pub created: Vec<PathBuf>,
    /// Files that already existed and were left as they were.
    pub kept: Vec<PathBuf>,
}

/// Writes a new site into `dir`. A non-empty `dir` is refused unless
/// `force`, and even then existing files are kept as they are.
pub fn init_site(dir: &Path, force: bool, date: &str) -> Result<InitReport, Diagnostic> {
    let non_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::new(dir, "is a file, not a folder")
            .hint("choose a folder name for the new site"));
    }
    if non_empty && !force {
        return Err(Diagnostic::new(dir, "is not empty; nothing was changed")
            .hint("choose an empty or new folder, or add --force to add only the missing files (nothing is overwritten)"));
    }
    let name = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.is_empty() && n != ".")
        .unwrap_or_else(|| "My Blog".into());
    let title = name.replace(['-', '_'], " ");
    let files: Vec<(PathBuf, String)> = vec![
        (
            PathBuf::from("config.toml"),
            format!(
                "# Every key is optional; see the configuration reference in blog's README.\n\
                 title = {}\nbase_url = \"https://example.org\"\ndescription = \"\"\nauthor = \"\"\n\
                 language = \"en\"\npaginate = 10\ntaxonomies = [\"tags\", \"categories\"]\n",
                serde_json::to_string(&title).unwrap_or_default()
            ),
        ),
        (
            PathBuf::from("content/posts/hello-world.md"),
            format!(
                "---\ntitle: \"Hello, world\"\ndate: {date}\ntags: [meta]\n---\n\n\
                 This is your first post. Edit it, or write another with `blog new \"A title\"`.\n\n\
                 <!-- more -->\n\nRun `blog serve` to see the site while you write, and `blog build`\n\
                 to write it into `public/`.\n"
            ),
        ),
        (PathBuf::from(".gitignore"), "/public/\n".to_string()),
    ];
    let mut report = InitReport::default();
    for (rel, text) in files {
        match create_new(&dir.join(&rel), text.as_bytes()) {
            Ok(()) => report.created.push(rel),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => report.kept.push(rel),
            Err(e) => {
                return Err(
                    Diagnostic::new(dir.join(&rel), format!("cannot create: {e}"))
                        .hint("check that the folder is writable"),
                )
            }
        }
    }
    let static_dir = dir.join("static");
    if static_dir.exists() {
        report.kept.push(PathBuf::from("static"));
    } else {
        std::fs::create_dir_all(&static_dir)
            .map_err(|e| Diagnostic::new(&static_dir, format!("cannot create: {e}")))?;
        report.created.push(PathBuf::from("static"));
    }
    Ok(report)
}

/// Writes a file that must not exist yet, creating its folders.
fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post<'a>(title: &'a str, section: &'a str) -> NewPost<'a> {
        NewPost {
            title,
            section,
            draft: false,
            bundle: false,
            date: "2026-01-02T03:04:05+01:00".into(),
        }
    }

    /// An empty site: a folder with content/.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join(CONTENT_DIR)).expect("content/");
        dir
    }

    #[test]
    fn new_post_writes_front_matter_that_parses() {
        let dir = site();
        let rel = new_post(dir.path(), &post("Hello: \"World\"", "posts")).expect("created");
        assert_eq!(rel, PathBuf::from("content/posts/hello-world.md"));
        let text = std::fs::read_to_string(dir.path().join(&rel)).expect("read");
        let split = crate::content::front_matter::split(&text).expect("split");
        let fm = crate::content::front_matter::parse(
            crate::content::front_matter::Format::Yaml,
            split.front_matter,
            &["tags"],
        )
        .expect("parses");
        assert_eq!(fm.title.as_deref(), Some("Hello: \"World\""));
        assert_eq!(
            fm.date.expect("date").to_rfc3339(),
            "2026-01-02T03:04:05+01:00"
        );
        assert!(!fm.draft);
    }

    #[test]
    fn new_post_refuses_to_overwrite_and_bad_sections() {
        let dir = site();
        new_post(dir.path(), &post("Same", "posts")).expect("first");
        std::fs::write(dir.path().join("content/posts/same.md"), "mine").expect("edit");
        let err = new_post(dir.path(), &post("Same", "posts")).expect_err("exists");
        assert!(err.message.contains("already exists"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/posts/same.md")).expect("read"),
            "mine"
        );
        assert!(new_post(dir.path(), &post("X", "../outside")).is_err());
        assert!(new_post(dir.path(), &post("!!!", "posts")).is_err());
    }

    #[test]
    fn new_post_needs_a_site() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = new_post(dir.path(), &post("Lost", "posts")).expect_err("not a site");
        assert!(err.message.contains("is not a site"), "{}", err.message);
        assert!(
            std::fs::read_dir(dir.path())
                .expect("read")
                .next()
                .is_none(),
            "nothing was written"
        );
        // A config.toml alone makes a site: content/ is created.
        std::fs::write(dir.path().join("config.toml"), "").expect("config");
        new_post(dir.path(), &post("Found", "posts")).expect("created");
    }

    #[test]
    fn slugs_from_any_script_are_readable() {
        assert_eq!(
            slugify("Crème Brûlée à la carte"),
            "creme-brulee-a-la-carte"
        );
        assert_eq!(slugify("日本語のブログ"), "ri-ben-yu-noburogu");
        assert_eq!(slugify("🎉 Party time"), "tada-party-time");
        assert_eq!(slugify("Привет мир"), "privet-mir");
    }
}
