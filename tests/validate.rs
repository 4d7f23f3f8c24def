//! What `blog` writes is valid: every HTML page passes the Nu HTML Checker
//! (vnu), rss.xml validates as RSS 2.0, atom.xml as Atom (RFC 4287) and
//! sitemap.xml as a sitemap (xmllint, with the schemas in tests/schemas/).
//! Checked on the example site of this repository and on a generated site of
//! 1,000 posts. `scripts/test-deps.sh` (run by `make test`) installs java,
//! xmllint and vnu when they are missing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vnu_jar() -> PathBuf {
    let jar = repo().join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.exists(),
        "{} is missing: run scripts/test-deps.sh (make test does)",
        jar.display()
    );
    jar
}

/// Every error and warning vnu reports for the HTML files under `dir`, as
/// `file:line: message`, leaving out messages that match `allowed`.
fn html_problems(dir: &Path, allowed: &[&str]) -> Vec<String> {
    let output = Command::new("java")
        .arg("-Xss4m")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--skip-non-html", "--format", "json"])
        .arg(dir)
        .output()
        .expect("java runs (scripts/test-deps.sh installs it)");
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let messages = report["messages"].as_array().expect("messages");
    messages
        .iter()
        .filter(|m| {
            m["type"] == "error" || m["type"] == "non-document-error" || m["subType"] == "warning"
        })
        .map(|m| {
            format!(
                "{}:{}: {}",
                m["url"].as_str().unwrap_or("?"),
                m["lastLine"],
                m["message"].as_str().unwrap_or("?")
            )
        })
        .filter(|line| !allowed.iter().any(|a| line.contains(a)))
        .collect()
}

/// Validates `file` with xmllint against a schema of tests/schemas/.
fn xml_problems(file: &Path, schema: &str) -> Option<String> {
    let schema_path = repo().join("tests/schemas").join(schema);
    let flag = if schema.ends_with(".rng") {
        "--relaxng"
    } else {
        "--schema"
    };
    let output = Command::new("xmllint")
        .args(["--noout", "--nonet", flag])
        .arg(&schema_path)
        .arg(file)
        .output()
        .expect("xmllint runs (scripts/test-deps.sh installs it)");
    (!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).into_owned())
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|c| c.tag_name().name() == name)
        .collect()
}

/// The Atom rules RFC 4287 states outside its RELAX NG schema.
fn atom_rule_problems(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).expect("atom.xml");
    let doc = roxmltree::Document::parse(&text).expect("atom.xml parses");
    let feed = doc.root_element();
    let mut problems = Vec::new();
    let entries = child(feed, "entry");
    if child(feed, "author").is_empty() && entries.iter().any(|e| child(*e, "author").is_empty()) {
        problems.push("an entry has no author and the feed has none".to_string());
    }
    for entry in &entries {
        let alternate = child(*entry, "link")
            .iter()
            .any(|l| l.attribute("rel").is_none_or(|r| r == "alternate"));
        if child(*entry, "content").is_empty() && !alternate {
            problems.push("an entry without content has no alternate link".to_string());
        }
    }
    problems
}

/// Checks a built site in `dir`; `allowed` lists vnu messages about the
/// author's own markup, which no generator can change.
fn assert_valid(dir: &Path, allowed: &[&str]) {
    let html = html_problems(dir, allowed);
    assert!(html.is_empty(), "invalid HTML:\n{}", html.join("\n"));
    if let Some(problem) = xml_problems(&dir.join("sitemap.xml"), "sitemap.xsd") {
        panic!("sitemap.xml is not valid:\n{problem}");
    }
    // The site's feeds, and every term's.
    let feeds = feed_files(dir);
    assert!(feeds.contains(&dir.join("rss.xml")) && feeds.contains(&dir.join("atom.xml")));
    for file in feeds {
        let atom = file.ends_with("atom.xml");
        let schema = if atom { "atom.rng" } else { "rss2.rng" };
        if let Some(problem) = xml_problems(&file, schema) {
            panic!("{} is not valid:\n{problem}", file.display());
        }
        if atom {
            let problems = atom_rule_problems(&file);
            assert!(problems.is_empty(), "{}: {problems:?}", file.display());
        }
    }
}

/// Every rss.xml and atom.xml under `dir`.
fn feed_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, &|p| p.ends_with("rss.xml") || p.ends_with("atom.xml"))
}

/// The files under `dir` that `keep` accepts, sorted.
fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if keep(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn build(root: &Path, out: &Path) {
    build_with(root, out, &[]);
}

fn build_with(root: &Path, out: &Path, args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_blog"))
        .args(["build", "--quiet"])
        .args(args)
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("BLOG_CACHE_DIR", "")
        .status()
        .expect("blog runs");
    assert!(status.success(), "the build of {} failed", root.display());
}

#[test]
fn the_example_site_is_valid() {
    let out = tempfile::tempdir().expect("tempdir");
    let public = out.path().join("public");
    build(&repo(), &public);
    // The example's tags have feeds of their own: they are checked too.
    assert!(feed_files(&public).len() > 2, "no term feeds");
    assert_valid(&public, &[]);
}

/// `--minify` leaves valid HTML, and every `<pre>` (code, mermaid) and
/// `<math>` of every page byte for byte as it was.
#[test]
fn the_example_site_minified_is_valid_and_keeps_its_code() {
    let out = tempfile::tempdir().expect("tempdir");
    let (plain, small) = (out.path().join("plain"), out.path().join("small"));
    build(&repo(), &plain);
    build_with(&repo(), &small, &["--minify"]);
    assert_valid(&small, &[]);
    let mut pres = 0;
    for rel in html_files(&plain) {
        let a = std::fs::read_to_string(plain.join(&rel)).expect("plain page");
        let b = std::fs::read_to_string(small.join(&rel)).expect("minified page");
        assert!(b.len() <= a.len(), "{} grew", rel.display());
        for (open, close) in [("<pre", "</pre>"), ("<math", "</math>")] {
            let (pa, pb) = (
                common::elements(&a, open, close),
                common::elements(&b, open, close),
            );
            assert_eq!(pa, pb, "{}: a {open}> changed", rel.display());
            pres += pa.len();
        }
    }
    assert!(
        pres > 10,
        "only {pres} <pre>/<math> elements in the example"
    );
}

/// The HTML files under `dir`, as paths relative to it.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, &|p| p.extension().is_some_and(|e| e == "html"))
        .into_iter()
        .map(|p| p.strip_prefix(dir).expect("under dir").to_path_buf())
        .collect()
}

#[test]
fn a_generated_site_of_1000_posts_is_valid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let status = Command::new("python3")
        .arg(repo().join("tests/fixtures/gen_corpus.py"))
        .args(["--posts", "1000", "--flavor", "blog", "--out"])
        .arg(&site)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let public = dir.path().join("public");
    build(&site, &public);
    let pages = html_files(&public).len();
    assert!(pages > 1500, "only {pages} HTML files");
    // The generated posts put an `###` heading right under the page's
    // title: the author's choice of levels, reported by vnu as a skip.
    assert_valid(&public, &["skipping 1 heading level"]);
}

/// The validators are real: each rejects a broken document.
#[test]
fn the_validators_reject_invalid_documents() {
    let site = common::SiteTest::new();
    site.file(
        "config.toml",
        "title = \"V\"\nbase_url = \"https://example.org\"\n",
    );
    site.post("a", "title: A\ndate: 2024-01-01", "Text.");
    site.build(&[]).assert_ok();
    let public = site.path("public");
    let edit = |file: &str, from: &str, to: &str| {
        let path = public.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };

    edit("posts/a/index.html", "<main", "<main><div><p></div");
    let html = html_problems(&public, &[]);
    assert!(
        html.iter().any(|p| p.contains("posts/a/index.html")),
        "{html:?}"
    );

    let rss = public.join("rss.xml");
    assert!(xml_problems(&rss, "rss2.rng").is_none());
    edit("rss.xml", "<description>", "<summary>");
    edit("rss.xml", "</description>", "</summary>");
    assert!(
        xml_problems(&rss, "rss2.rng").is_some(),
        "a channel needs a description"
    );

    let atom = public.join("atom.xml");
    assert!(xml_problems(&atom, "atom.rng").is_none());
    edit("atom.xml", "Z</updated>", "</updated>");
    assert!(
        xml_problems(&atom, "atom.rng").is_some(),
        "dates need a zone"
    );

    let sitemap = public.join("sitemap.xml");
    assert!(xml_problems(&sitemap, "sitemap.xsd").is_none());
    edit("sitemap.xml", "<loc>https://example.org/", "<loc>/");
    assert!(
        xml_problems(&sitemap, "sitemap.xsd").is_some(),
        "locations are absolute"
    );
}
