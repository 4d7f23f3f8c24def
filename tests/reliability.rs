//! Bad input, faults and hostile paths (docs/RELIABILITY.md lists each case
//! and the test that proves it). Every build here runs bounded in time and
//! memory (`guarded`): it must end with correct output (exit 0) or a clear
//! error (exit 1), never a panic, a hang or a crash, and must leave every
//! file under content/, templates/, themes/ and static/ as it was.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, SiteTest};

const CONFIG: &str = "title = \"R\"\nbase_url = \"https://example.org\"\n";
/// Address space a build may use: far above what any case here needs.
const MEMORY_LIMIT: u64 = 4 << 30;
const TIME_LIMIT: Duration = Duration::from_secs(120);

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file("config.toml", CONFIG);
    site.file("static/style.css", "body{}");
    site
}

/// Every source file of the site and its bytes.
fn sources(site: &SiteTest) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for dir in ["content", "templates", "themes", "static", "config.toml"] {
        collect(&site.path(dir), &mut files);
    }
    files
}

fn collect(path: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(meta) = path.symlink_metadata() else {
        return;
    };
    if meta.file_type().is_symlink() {
        files.insert(path.to_path_buf(), b"symlink".to_vec());
    } else if meta.is_dir() {
        for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
            collect(&entry.path(), files);
        }
    } else {
        files.insert(path.to_path_buf(), std::fs::read(path).unwrap_or_default());
    }
}

/// `blog build` under a memory limit and a time limit, asserting it ended
/// with 0 or 1 (not a panic's 101, not a signal) and changed no source.
#[track_caller]
fn guarded(site: &SiteTest, args: &[&str]) -> Run {
    guarded_env(site, args, &[])
}

#[track_caller]
fn guarded_env(site: &SiteTest, args: &[&str], env: &[(&str, &str)]) -> Run {
    let before = sources(site);
    let mut command = Command::new("prlimit");
    command
        .arg(format!("--as={MEMORY_LIMIT}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_blog"))
        .arg("build")
        .args(args)
        .current_dir(site.root())
        .env("BLOG_CACHE_DIR", site.cache_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("prlimit runs blog");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("blog build {args:?} hangs (over {TIME_LIMIT:?})");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let output = child.wait_with_output().expect("output");
    let root = site.root().to_string_lossy().into_owned();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).replace(&root, "[SITE]"),
    };
    assert!(
        run.code == 0 || run.code == 1,
        "blog build {args:?} ended with {status}:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(sources(site), before, "a build changed the author's files");
    run
}

fn page(site: &SiteTest, slug: &str) -> String {
    site.read(&format!("public/posts/{slug}/index.html"))
}

// ---- Content ---------------------------------------------------------

#[test]
fn nul_bytes_become_replacement_characters() {
    let site = site();
    site.bytes(
        "content/posts/nul.md",
        b"---\ntitle: Nul\n---\nbefore\0after\n\n`a\0b`\n",
    );
    guarded(&site, &[]).assert_ok();
    let html = page(&site, "nul");
    assert!(html.contains("before\u{FFFD}after"), "{html}");
    assert!(!html.contains('\0'));
}

#[test]
fn empty_and_front_matter_only_files_build() {
    let site = site();
    site.file("content/posts/empty.md", "");
    site.file(
        "content/posts/only.md",
        "---\ntitle: Only front matter\n---\n",
    );
    site.file(
        "content/posts/only-toml.md",
        "+++\ntitle = \"Only TOML\"\n+++",
    );
    guarded(&site, &[]).assert_ok();
    assert!(page(&site, "empty").contains("<h1"));
    assert!(page(&site, "only").contains("Only front matter"));
    assert!(page(&site, "only-toml").contains("Only TOML"));
}

#[test]
fn blank_lines_before_front_matter_are_allowed() {
    let site = site();
    site.file(
        "content/posts/blank.md",
        "\n\n---\ntitle: After blank lines\ntags: [x]\n---\nBody.\n",
    );
    guarded(&site, &[]).assert_ok();
    let html = page(&site, "blank");
    assert!(html.contains("After blank lines"));
    assert!(!html.contains("tags: [x]"), "front matter is not body text");
    assert!(site.exists("public/tags/x/index.html"));
}

#[test]
fn huge_inputs_build_in_bounded_time_and_memory() {
    let site = site();
    let paragraph = "Words of a long post, over and over again. ".repeat(20) + "\n\n";
    let big = format!(
        "---\ntitle: Big\n---\n{}",
        paragraph.repeat(20 * 1024 * 1024 / paragraph.len())
    );
    assert!(big.len() >= 20 * 1024 * 1024 - paragraph.len());
    site.file("content/posts/big.md", &big);
    let code = format!(
        "---\ntitle: Code\n---\n```rust\n{}```\n",
        "fn f(x: u32) -> u32 { x + 1 } // a line of code\n".repeat(10_000)
    );
    site.file("content/posts/code.md", &code);
    site.file(
        "content/posts/line.md",
        &format!("---\ntitle: Line\n---\n{}\n", "x".repeat(1024 * 1024)),
    );
    guarded(&site, &[]).assert_ok();
    assert!(
        std::fs::metadata(site.path("public/posts/big/index.html"))
            .expect("big page")
            .len()
            > 20 * 1024 * 1024
    );
    assert_eq!(
        page(&site, "code").matches("a line of code").count(),
        10_000
    );
    assert!(page(&site, "line").contains(&"x".repeat(1024 * 1024)));
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let site = site();
    let lists: String = (0..5000)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    site.file(
        "content/posts/lists.md",
        &format!("---\ntitle: Lists\n---\n{lists}"),
    );
    site.file(
        "content/posts/quotes.md",
        &format!("---\ntitle: Quotes\n---\n{} deep\n", ">".repeat(5000)),
    );
    site.file(
        "content/posts/tags.md",
        &format!(
            "---\ntitle: Tags\n---\n{}x{}\n",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        ),
    );
    guarded(&site, &[]).assert_ok();
    assert!(page(&site, "lists").contains("level 4999"));
    assert!(page(&site, "quotes").contains("deep"));
}

#[test]
fn odd_fence_languages_are_shown_as_code() {
    let site = site();
    site.file(
        "content/posts/fences.md",
        "---\ntitle: Fences\n---\n```c++\nint main() { return 0; }\n```\n\n```rust=\nfn a() {}\n```\n\n\
         ```mermaid\ngraph TD; A-->B\n```\n\n```toml,name=x\na = 1\n```\n\n```{.python .numberLines}\nx = 1\n```\n\n\
         ```\nno language\n```\n",
    );
    guarded(&site, &[]).assert_ok();
    let html = page(&site, "fences");
    for (lang, code) in [
        ("c++", "main"),
        ("rust", "fn"),
        ("toml", "a"),
        ("python", "x"),
    ] {
        assert!(
            html.contains(&format!("data-lang=\"{lang}\"")),
            "{lang}: {html}"
        );
        assert!(html.contains(code), "{code}");
    }
    assert!(html.contains("no language"));
    // A diagram is left for mermaid.js, which reads a bare `<pre class="mermaid" tabindex="0">`.
    assert!(html.contains("<pre class=\"mermaid\" tabindex=\"0\">graph TD; A--&gt;B\n</pre>"));
}

#[test]
fn raw_html_and_comments_pass_through() {
    let site = site();
    site.file(
        "content/posts/raw.md",
        "---\ntitle: Raw\n---\n<figure class=\"wide\"><b>bold</b></figure>\n\n<!-- a note to self -->\n\nText with <kbd>Ctrl</kbd>.\n",
    );
    guarded(&site, &[]).assert_ok();
    let html = page(&site, "raw");
    assert!(html.contains("<figure class=\"wide\"><b>bold</b></figure>"));
    assert!(html.contains("<!-- a note to self -->"));
    assert!(html.contains("<kbd>Ctrl</kbd>"));
}

// ---- Front matter ----------------------------------------------------

#[test]
fn wrong_types_are_errors_with_positions() {
    let site = site();
    site.file("content/posts/a.md", "---\ntitle: A\ntags: 5\n---\n");
    site.file(
        "content/posts/b.md",
        "---\ntitle: B\ndate: yesterday\n---\n",
    );
    site.file("content/posts/c.md", "---\ntitle: C\ndraft: maybe\n---\n");
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("content/posts/a.md:3:")
        .assert_stderr_has("content/posts/b.md:3:")
        .assert_stderr_has("content/posts/c.md:3:8: error: front matter: draft: invalid type");
    assert!(!site.exists("public"));
}

#[test]
fn duplicate_keys_are_an_error() {
    let site = site();
    site.file("content/posts/dup.md", "---\ntitle: One\ntitle: Two\n---\n");
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("content/posts/dup.md:")
        .assert_stderr_has("duplicate field `title`");
}

#[test]
fn keys_with_colons_and_numeric_titles_are_kept() {
    let site = site();
    site.file(
        "templates/page.html",
        "<h1>{{ page.title }}</h1><p>{{ page.meta[\"a:b\"] }}</p>",
    );
    site.file(
        "content/posts/odd.md",
        "---\ntitle: 2024\n\"a:b\": kept\n---\n",
    );
    guarded(&site, &[]).assert_ok();
    assert_eq!(page(&site, "odd"), "<h1>2024</h1><p>kept</p>");
}

#[test]
fn yaml_alias_bombs_fail_fast() {
    let site = site();
    let mut lines = vec![
        "---".to_string(),
        "title: Bomb".into(),
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]".into(),
    ];
    let mut previous = 'a';
    for name in 'b'..='j' {
        let refs = vec![format!("*{previous}"); 9].join(",");
        lines.push(format!("{name}: &{name} [{refs}]"));
        previous = name;
    }
    lines.push("---".into());
    site.file("content/posts/bomb.md", &(lines.join("\n") + "\n"));
    let started = Instant::now();
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("content/posts/bomb.md:")
        .assert_stderr_has("repetition limit exceeded");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn deeply_nested_values_are_refused() {
    let site = site();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    site.file(
        "content/posts/yaml.md",
        &format!("---\ntitle: Y\nextra:\n  v: {deep}\n---\n"),
    );
    site.file(
        "content/posts/toml.md",
        &format!("+++\ntitle = \"T\"\n[extra]\nv = {deep}\n+++\n"),
    );
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("content/posts/yaml.md:4:")
        .assert_stderr_has("recursion limit exceeded")
        .assert_stderr_has("content/posts/toml.md:4:");
}

#[test]
fn a_huge_tag_list_is_refused() {
    let site = site();
    let tags: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
    site.file(
        "content/posts/tags.md",
        &format!("---\ntitle: Tags\ntags: [{}]\n---\n", tags.join(",")),
    );
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("content/posts/tags.md:3:1: error: front matter: `tags` has 100000 names; a page may have at most 1000");
    // Repeated names count once.
    let repeated = vec!["same"; 5000].join(", ");
    site.file(
        "content/posts/tags.md",
        &format!("---\ntitle: Tags\ntags: [{repeated}]\n---\n"),
    );
    guarded(&site, &[]).assert_ok();
}

// ---- Paths and URLs --------------------------------------------------

#[test]
fn unsafe_slugs_are_made_safe() {
    let site = site();
    for (i, slug) in [
        "../../escape",
        "a/b",
        "/etc/passwd",
        "%2e%2e%2fx",
        "CON",
        "x\\0y",
        "..\\\\windows",
    ]
    .iter()
    .enumerate()
    {
        site.file(
            &format!("content/posts/s{i}.md"),
            &format!("---\ntitle: S{i}\nslug: \"{slug}\"\n---\n"),
        );
    }
    guarded(&site, &[]).assert_ok();
    let mut made: Vec<String> = std::fs::read_dir(site.path("public/posts"))
        .expect("posts")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    made.sort();
    assert_eq!(
        made,
        vec![
            "2e-2e-2fx",
            "a-b",
            "con",
            "escape",
            "etc-passwd",
            "windows",
            "x-y"
        ]
    );
    let root_names: Vec<String> = std::fs::read_dir(site.root())
        .expect("root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!root_names.iter().any(|n| n == "escape" || n == "windows"));
}

#[test]
fn unsafe_aliases_are_refused() {
    let site = site();
    for (i, alias) in [
        "/../x/",
        "/%2e%2e/%2e%2e/x/",
        "a\\\\b",
        "https://evil.example/",
        "/a\\0b/",
        "/con:x/",
    ]
    .iter()
    .enumerate()
    {
        site.file(
            &format!("content/posts/a{i}.md"),
            &format!("---\ntitle: A{i}\naliases: [\"{alias}\"]\n---\n"),
        );
    }
    let run = guarded(&site, &[]);
    run.assert_fails();
    for i in 0..6 {
        run.assert_stderr_has(&format!("content/posts/a{i}.md:3:1: error: alias"));
    }
}

#[test]
fn unicode_names_make_readable_slugs_and_look_alikes_are_explained() {
    let site = site();
    site.file("content/posts/שלום.md", "---\ntitle: RTL\n---\n");
    site.file("content/posts/🎉-party.md", "---\ntitle: Emoji\n---\n");
    site.file("content/posts/日本語.md", "---\ntitle: CJK\n---\n");
    guarded(&site, &[]).assert_ok();
    for slug in ["shlvm", "tada-party", "ri-ben-yu"] {
        assert!(
            site.exists(&format!("public/posts/{slug}/index.html")),
            "{slug}"
        );
    }
    // The same name in NFC (é) and NFD (e + combining accent).
    site.file("content/posts/caf\u{e9}.md", "---\ntitle: NFC\n---\n");
    site.file("content/posts/cafe\u{301}.md", "---\ntitle: NFD\n---\n");
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("`/posts/cafe/` is claimed twice")
        .assert_stderr_has("the two names look alike but are spelled with different characters");
}

#[test]
fn long_slugs_are_cut_to_200_bytes() {
    let site = site();
    site.file(
        "content/posts/long.md",
        &format!("---\ntitle: Long\nslug: {}\n---\n", "word-".repeat(60)),
    );
    guarded(&site, &[]).assert_ok();
    let names: Vec<String> = std::fs::read_dir(site.path("public/posts"))
        .expect("posts")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    assert_eq!(names.len(), 1);
    assert!(
        names[0].len() <= 200 && !names[0].ends_with('-'),
        "{names:?}"
    );
}

#[test]
fn names_differing_only_by_case_clash() {
    let site = site();
    site.file("content/posts/Post.md", "---\ntitle: Upper\n---\n");
    site.file("content/posts/post.md", "---\ntitle: Lower\n---\n");
    guarded(&site, &[]).assert_fails().assert_stderr_has(
        "`/posts/post/` is claimed twice: by content/posts/Post.md and by content/posts/post.md",
    );
}

// ---- Files -----------------------------------------------------------

#[test]
fn a_symlink_loop_is_an_error() {
    let site = site();
    site.file("content/posts/a.md", "---\ntitle: A\n---\n");
    std::os::unix::fs::symlink("..", site.path("content/posts/loop")).expect("symlink");
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("content/posts/loop: error: cannot read: symbolic link loop")
        .assert_stderr_has("hint: a symbolic link points at a folder that contains it");
}

#[test]
fn an_unreadable_file_is_an_error() {
    let site = site();
    site.file("content/posts/a.md", "---\ntitle: A\n---\n");
    std::os::unix::fs::symlink("/nonexistent/post.md", site.path("content/posts/gone.md"))
        .expect("symlink");
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("content/posts/gone.md: error: cannot read");
}

#[test]
fn an_unreadable_file_among_enough_to_be_read_ahead_is_an_error() {
    // Sites of 32 files or more are read ahead by a thread of their own
    // (`content::load::read_ahead`): the parse still reads, and reports,
    // each file itself.
    let site = site();
    for i in 0..40 {
        site.file(
            &format!("content/posts/p{i:02}.md"),
            &format!("---\ntitle: Post {i}\n---\nBody {i}.\n"),
        );
    }
    std::os::unix::fs::symlink("/nonexistent/post.md", site.path("content/posts/gone.md"))
        .expect("symlink");
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("content/posts/gone.md: error: cannot read");
    std::fs::remove_file(site.path("content/posts/gone.md")).expect("rm");
    guarded(&site, &[]).assert_ok();
    for i in 0..40 {
        assert!(site
            .read(&format!("public/posts/p{i:02}/index.html"))
            .contains(&format!("Body {i}.")));
    }
}

#[test]
fn a_folder_where_a_file_is_expected() {
    let site = site();
    site.file(
        "content/posts/folder.md/inner.md",
        "---\ntitle: Inner\n---\n",
    );
    guarded(&site, &[]).assert_ok();
    assert!(site.exists("public/posts/folder-md/inner/index.html"));
    std::fs::remove_file(site.path("config.toml")).expect("rm");
    std::fs::create_dir(site.path("config.toml")).expect("mkdir");
    guarded(&site, &[])
        .assert_fails()
        .assert_stderr_has("config.toml: error: cannot read");
}

#[test]
fn files_vanishing_and_appearing_during_builds() {
    let site = site();
    for i in 0..200 {
        site.file(
            &format!("content/posts/p{i}.md"),
            &format!("---\ntitle: P{i}\n---\nBody {i}.\n"),
        );
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let stop = stop.clone();
        let dir = site.path("content/posts");
        std::thread::spawn(move || {
            // Bounded: at most 20,000 steps, and stops when told.
            for i in 0..20_000 {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let path = dir.join(format!("churn{}.md", i % 7));
                if i % 2 == 0 {
                    let _ = std::fs::write(&path, "---\ntitle: Churn\n---\nx\n");
                } else {
                    let _ = std::fs::remove_file(&path);
                }
            }
        })
    };
    let mut outcomes = Vec::new();
    for _ in 0..5 {
        // `guarded` compares sources before and after, which churn changes:
        // check exit codes and panics here instead.
        let output = Command::new(env!("CARGO_BIN_EXE_blog"))
            .args(["build", "--quiet"])
            .current_dir(site.root())
            .env("BLOG_CACHE_DIR", "")
            .output()
            .expect("blog");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(matches!(output.status.code(), Some(0 | 1)), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        if output.status.code() == Some(1) {
            assert!(stderr.contains("content/posts/churn"), "{stderr}");
        }
        outcomes.push(output.status.code());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().expect("churn");
    for i in 0..200 {
        assert_eq!(
            site.read(&format!("content/posts/p{i}.md")),
            format!("---\ntitle: P{i}\n---\nBody {i}.\n")
        );
    }
    // Once the files hold still, the build succeeds.
    guarded(&site, &[]).assert_ok();
}

// ---- Output ----------------------------------------------------------

#[test]
fn output_to_the_filesystem_root_or_home_is_refused() {
    let site = site();
    site.file("content/posts/a.md", "---\ntitle: A\n---\n");
    let home = tempfile::tempdir().expect("home");
    std::fs::write(home.path().join("diary.txt"), "private").expect("write");
    let home_path = home.path().to_string_lossy().into_owned();
    for target in ["/", home_path.as_str(), "content", "."] {
        guarded_env(&site, &["--output", target], &[("HOME", &home_path)])
            .assert_fails()
            .assert_stderr_has("refusing to write the site here");
    }
    assert_eq!(
        std::fs::read_to_string(home.path().join("diary.txt")).expect("diary"),
        "private"
    );
}

/// Makes a folder immutable (even for root) until dropped.
struct Immutable(PathBuf);

impl Immutable {
    fn new(path: PathBuf) -> Self {
        let status = Command::new("chattr")
            .arg("+i")
            .arg(&path)
            .status()
            .expect("chattr");
        assert!(status.success(), "chattr +i {} failed", path.display());
        Immutable(path)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_output_directory_is_an_error_and_keeps_the_site() {
    let site = site();
    site.file("content/posts/a.md", "---\ntitle: First\n---\n");
    guarded(&site, &[]).assert_ok();
    let before = site.read("public/posts/a/index.html");
    site.file("content/posts/a.md", "---\ntitle: Second\n---\n");
    {
        let _lock = Immutable::new(site.path("public"));
        guarded(&site, &[])
            .assert_fails()
            .assert_stderr_has("error:")
            .assert_stderr_has("public");
        assert_eq!(site.read("public/posts/a/index.html"), before);
    }
    guarded(&site, &[]).assert_ok();
    assert!(site.read("public/posts/a/index.html").contains("Second"));
}

/// A small tmpfs, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn new(path: PathBuf, size: &str) -> Self {
        std::fs::create_dir_all(&path).expect("mkdir");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "mounting a tmpfs needs root (the disk-full test makes a small disk)"
        );
        SmallDisk(path)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_an_error_and_keeps_the_site() {
    let holder = tempfile::tempdir().expect("tempdir");
    let disk = SmallDisk::new(holder.path().join("disk"), "2m");
    let root = disk.0.join("site");
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("config.toml", CONFIG);
    write("content/posts/a.md", "---\ntitle: First\n---\nSmall.\n");
    let build = || {
        Command::new(env!("CARGO_BIN_EXE_blog"))
            .args(["build", "--quiet"])
            .current_dir(&root)
            .env("BLOG_CACHE_DIR", "")
            .output()
            .expect("blog")
    };
    assert!(build().status.success());
    let before = std::fs::read_to_string(root.join("public/posts/a/index.html")).expect("page");
    // About 1.5 MB of text on a 2 MB disk: its page does not fit beside it.
    write(
        "content/posts/a.md",
        &format!(
            "---\ntitle: Second\n---\n{}",
            "A long line of prose.\n\n".repeat(70_000)
        ),
    );
    let output = build();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("hint: check free disk space"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(root.join("public/posts/a/index.html")).expect("page"),
        before
    );
    let leftovers: Vec<String> = std::fs::read_dir(&root)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".blog-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    drop(disk);
}

#[test]
fn sigkill_mid_build_keeps_the_site_and_the_next_build_cleans_up() {
    let site = site();
    for i in 0..300 {
        site.file(
            &format!("content/posts/p{i}.md"),
            &format!(
                "---\ntitle: Post {i}\ntags: [t{}]\n---\nBody {i}.\n\n```rust\nfn f{i}() -> u32 {{ {i} }}\n```\n",
                i % 10
            ),
        );
    }
    guarded(&site, &["--quiet"]).assert_ok();
    let snapshot = |site: &SiteTest| {
        let mut files = BTreeMap::new();
        collect(&site.path("public"), &mut files);
        files
    };
    let first = snapshot(&site);
    site.file(
        "content/posts/p0.md",
        "---\ntitle: Changed\n---\nNew body.\n",
    );
    for delay_ms in [20, 60, 150, 300] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_blog"))
            .args(["build", "--quiet"])
            .current_dir(site.root())
            .env("BLOG_CACHE_DIR", "")
            .spawn()
            .expect("blog");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = snapshot(&site);
        // Either the old site, whole, or (if the build finished first) the
        // new one, whole: never a mix.
        let changed = now
            .get(&site.path("public/posts/p0/index.html"))
            .is_some_and(|b| String::from_utf8_lossy(b).contains("Changed"));
        if !changed {
            assert_eq!(now, first, "after a kill at {delay_ms} ms");
        } else {
            assert_eq!(now.len(), first.len(), "after a kill at {delay_ms} ms");
        }
    }
    guarded(&site, &["--quiet"]).assert_ok();
    assert!(site.read("public/posts/p0/index.html").contains("Changed"));
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".blog-"))
        .collect();
    assert!(leftovers.is_empty(), "leftovers accumulate: {leftovers:?}");
}

#[test]
fn every_row_names_a_real_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/RELIABILITY.md")).expect("doc");
    let mut rows = 0;
    // Only the rows of the case tables (headed `| case |`); other tables,
    // such as the fuzz figures, name no test.
    let mut in_case_table = false;
    for line in doc.lines() {
        if !line.starts_with('|') {
            in_case_table = false;
            continue;
        }
        if line.starts_with("| case") {
            in_case_table = true;
            continue;
        }
        if !in_case_table || !line.starts_with("| ") {
            continue;
        }
        let Some(tests) = line.trim_end_matches('|').rsplit('|').next() else {
            continue;
        };
        let names: Vec<&str> = tests.split('`').filter(|t| t.contains("::")).collect();
        assert!(!names.is_empty(), "a row without a test: {line}");
        for name in names {
            let (file, test) = name.split_once("::").expect("file::test");
            let source = std::fs::read_to_string(root.join("tests").join(format!("{file}.rs")))
                .unwrap_or_else(|_| panic!("tests/{file}.rs does not exist ({line})"));
            assert!(
                source.contains(&format!("fn {test}()")),
                "tests/{file}.rs has no test `{test}`"
            );
        }
        rows += 1;
    }
    assert!(rows >= 39, "only {rows} rows");
}
