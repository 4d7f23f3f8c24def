//! The integration test harness: a `SiteTest` writes a small fixture site into
//! a temporary directory, runs the real `blog` binary on it, and hands back
//! parsed HTML and XML, stderr with the temporary path redacted, and the exit
//! code.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct SiteTest {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    /// With the site's directory replaced by `[SITE]`.
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "build failed:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn assert_fails(&self) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1, got {}:\n{}{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

impl SiteTest {
    /// An empty site; add files with `file`.
    pub fn new() -> Self {
        SiteTest {
            dir: tempfile::tempdir().expect("tempdir"),
            cache: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn cache_dir(&self) -> &Path {
        self.cache.path()
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file of the site, creating folders.
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).expect("remove");
        self
    }

    /// A post in content/posts with YAML front matter.
    pub fn post(&self, slug: &str, front_matter: &str, body: &str) -> &Self {
        self.file(
            &format!("content/posts/{slug}.md"),
            &format!("---\n{front_matter}\n---\n{body}\n"),
        )
    }

    /// Runs `blog <args>` with the site as the working directory.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_blog"));
        cmd.args(args).current_dir(self.root());
        for key in ["BLOG_BASE_URL", "CONTEXT", "DEPLOY_PRIME_URL"] {
            cmd.env_remove(key);
        }
        // Each test site has its own highlight cache, never the user's.
        cmd.env("BLOG_CACHE_DIR", self.cache.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run blog");
        let redact = |s: &[u8]| {
            let text = String::from_utf8_lossy(s).into_owned();
            let root = self.root().to_string_lossy().into_owned();
            let canonical = self
                .root()
                .canonicalize()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            text.replace(&canonical, "[SITE]").replace(&root, "[SITE]")
        };
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: redact(&out.stdout),
            stderr: redact(&out.stderr),
        }
    }

    /// `blog build` with extra arguments.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    #[track_caller]
    pub fn html(&self, rel: &str) -> Html {
        Html(scraper::Html::parse_document(&self.read(rel)))
    }
}

pub struct Html(pub scraper::Html);

impl Html {
    /// The trimmed text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.0
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    #[track_caller]
    pub fn text(&self, selector: &str) -> String {
        let texts = self.texts(selector);
        assert!(!texts.is_empty(), "no element matches {selector}");
        texts[0].clone()
    }

    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.0
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.0.select(&sel).count()
    }

    pub fn inner_html(&self, selector: &str) -> String {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.0
            .select(&sel)
            .next()
            .map(|e| e.inner_html())
            .unwrap_or_default()
    }
}
