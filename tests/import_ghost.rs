//! `blog import --from ghost EXPORT.json DEST`, on an export written for
//! these tests (tests/fixtures/ghost/export.json): what each kind of post
//! becomes (its body from `html`, `lexical` or `mobiledoc`), that every
//! published `/<slug>/` answers after `blog build`, that the export is
//! only read, and that a broken export writes nothing.

mod common;

use common::SiteTest;

const EXPORT: &str = include_str!("fixtures/ghost/export.json");

fn imported() -> (SiteTest, common::Run) {
    let site = SiteTest::new();
    site.file("ghost/export.json", EXPORT);
    let run = site.run(&["import", "--from", "ghost", "ghost/export.json", "out"]);
    run.assert_ok();
    (site, run)
}

/// The line of `needle` in the export, 1-based.
fn line_of(needle: &str) -> usize {
    EXPORT[..EXPORT.find(needle).expect("needle")]
        .lines()
        .count()
}

#[test]
fn an_export_becomes_a_site_where_every_published_url_answers() {
    let (site, run) = imported();
    for line in [
        "ghost/export.json: 1 draft is written with `draft = true`".to_string(),
        "ghost/export.json: 1 scheduled post is written with `draft = true`".to_string(),
        format!(
            "ghost/export.json:{}:13: post p5 “Lexical Post”: its `bookmark` card is not one blog converts: its text is kept as a paragraph",
            line_of("\"id\": \"p5\"")
        ),
        format!(
            "ghost/export.json:{}:13: post p6 “Mobiledoc Post”: its `html` card is not one blog converts: its text is kept as a paragraph",
            line_of("\"id\": \"p6\"")
        ),
        "Imported the Ghost site at ghost/export.json into out: 7 pages (2 drafts), 0 sections, 0 files copied; 5 old URLs answer, 1 as aliases".to_string(),
    ] {
        assert!(run.stdout.contains(&line), "no {line:?} in:\n{}", run.stdout);
    }
    // The export is only read.
    assert_eq!(site.read("ghost/export.json"), EXPORT);

    let config = site.read("out/config.toml");
    for line in [
        "base_url = \"https://example.com\"\n",
        "title = \"Ann’s Ghost\"\n",
        "description = \"Notes & pictures\"\n",
        "language = \"en\"\n",
        "[permalinks]\nposts = \"/:slug/\"\n",
    ] {
        assert!(config.contains(line), "no {line:?} in:\n{config}");
    }

    // html: front matter, tags without the internal `#hidden`, the first
    // author, the feature image and images at the site's URL.
    let hello = site.read("out/content/posts/hello-world.md");
    assert_eq!(
        hello,
        "+++\ntitle = \"Hello World\"\ndate = 2024-01-01T10:00:00Z\nupdated = 2024-01-02T10:00:00Z\ndescription = \"The first post.\"\n\n[taxonomies]\ntags = [\"Rust\", \"Notes\"]\n\n[extra]\nauthor = \"Ann Author\"\nghost_id = \"p1\"\nimage = \"https://example.com/content/images/2024/01/cover.jpg\"\n+++\n\nFirst paragraph with **bold** and *emphasis*.\n\n![The sun](https://example.com/content/images/2024/01/sun.jpg)\n\n## More\n\n```python\nprint(\"hi\")\n```\n"
    );
    // lexical only.
    let lexical = site.read("out/content/posts/lexical-post.md");
    assert!(
        lexical.contains("[extra]\nauthor = \"Bob\"\nghost_id = \"p5\"\n"),
        "{lexical}"
    );
    assert!(
        lexical.ends_with("+++\n\n## Getting started\n\nSome **bold** and *italic* and `code` with a [link](https://example.org/).\n\n- one\n- two\n\n1. first\n2. second\n\n> A quote.\n\n```rust\nfn main() {\n    println!(\"hi\");\n}\n```\n\n![The moon](https://example.com/content/images/2024/02/moon.jpg)\n\nA bookmark https://example.net/\n"),
        "{lexical}"
    );
    // mobiledoc only: the markdown card as it is.
    let mobiledoc = site.read("out/content/posts/mobiledoc-post.md");
    assert!(
        mobiledoc.ends_with("+++\n\nWritten in **markdown**.\n\n- a\n- b\n\nRaw HTML\n"),
        "{mobiledoc}"
    );
    // Not published.
    for draft in ["draft-idea", "future-post"] {
        let text = site.read(&format!("out/content/posts/{draft}.md"));
        assert!(text.contains("\ndraft = true\n"), "{draft}: {text}");
    }
    assert!(site
        .read("out/content/posts/draft-idea.md")
        .contains("date = 2024-01-01T09:00:00Z\n"));
    // A page in the root section; a unicode slug made plain, its old URL
    // kept as an alias.
    assert!(site
        .read("out/content/about.md")
        .contains("This is **me**.\n"));
    let cafe = site.read("out/content/posts/cafe-uber.md");
    assert!(cafe.contains("aliases = [\"/café-über/\"]\n"), "{cafe}");

    site.run(&["build", "--root", "out"]).assert_ok();
    for url in [
        "hello-world",
        "about",
        "lexical-post",
        "mobiledoc-post",
        "cafe-uber",
        "café-über",
    ] {
        assert!(
            site.exists(&format!("out/public/{url}/index.html")),
            "/{url}/ does not answer"
        );
    }
    assert!(!site.exists("out/public/draft-idea/index.html"));
    assert!(!site.exists("out/public/posts/hello-world/index.html"));
    assert_eq!(site.read("ghost/export.json"), EXPORT);
}

#[test]
fn two_posts_of_one_slug_get_their_own_files_and_keep_their_urls() {
    let site = SiteTest::new();
    // `hello-wörld` is `hello-world` once made plain: a second file.
    let export = EXPORT.replace("\"slug\": \"café-über\"", "\"slug\": \"hello-wörld\"");
    assert_ne!(export, EXPORT);
    site.file("g.json", &export);
    let run = site.run(&["import", "--from", "ghost", "g.json", "out"]);
    run.assert_ok();
    assert!(
        run.stdout.contains(
            "post p7 “Café Über”: is written as content/posts/hello-world-2.md: another post has its slug"
        ),
        "{}",
        run.stdout
    );
    assert!(site
        .read("out/content/posts/hello-world.md")
        .contains("ghost_id = \"p1\""));
    assert!(site
        .read("out/content/posts/hello-world-2.md")
        .contains("aliases = [\"/hello-wörld/\"]\n"));
    site.run(&["build", "--root", "out"]).assert_ok();
    for url in ["hello-world", "hello-world-2", "hello-wörld"] {
        assert!(
            site.exists(&format!("out/public/{url}/index.html")),
            "/{url}/ does not answer"
        );
    }
    assert!(site
        .read("out/public/hello-world/index.html")
        .contains("First paragraph"));
}

#[test]
fn a_broken_export_is_an_error_at_its_line_and_column_and_writes_nothing() {
    let site = SiteTest::new();
    site.file("bad.json", "{\"db\": [\n  {\"data\": {\"posts\": [}\n]}\n");
    site.run(&["import", "--from", "ghost", "bad.json", "out"])
        .assert_fails()
        .assert_stderr_has("bad.json:2:23: error: is not valid JSON: expected value\n")
        .assert_stderr_has("nothing was written to out");
    assert!(!site.exists("out"));

    site.file("other.json", "{\"posts\": []}\n");
    site.run(&["import", "--from", "ghost", "other.json", "out"])
        .assert_fails()
        .assert_stderr_has("other.json: error: is not a Ghost export");
    assert!(!site.exists("out"));

    site.run(&["import", "--from", "ghost", "missing.json", "out"])
        .assert_fails()
        .assert_stderr_has("missing.json: error: is not a file");
    assert!(!site.exists("out"));
}

#[test]
fn without_a_site_url_ghost_image_urls_are_kept_with_a_note() {
    let site = SiteTest::new();
    let export = EXPORT.replace("\"key\": \"url\"", "\"key\": \"not_url\"");
    assert_ne!(export, EXPORT);
    site.file("g.json", &export);
    let run = site.run(&["import", "--from", "ghost", "g.json", "out"]);
    run.assert_ok();
    for line in [
        "g.json: the export has no site URL: set `base_url` in config.toml",
        "post p1 “Hello World”: its image URLs start with __GHOST_URL__, and the export has no site URL: kept as written",
        "post p5 “Lexical Post”: its image URLs start with __GHOST_URL__",
    ] {
        assert!(run.stdout.contains(line), "no {line:?} in:\n{}", run.stdout);
    }
    assert!(!site.read("out/config.toml").contains("base_url"));
    assert!(site
        .read("out/content/posts/hello-world.md")
        .contains("image = \"__GHOST_URL__/content/images/2024/01/cover.jpg\""));
}

#[test]
fn an_older_export_with_number_ids_and_no_db_wrapper_is_read() {
    let site = SiteTest::new();
    site.file(
        "old.json",
        r#"{"meta": {"exported_on": 1388805572000, "version": "003"},
"data": {
  "posts": [
    {"id": 5, "title": "Old Post", "slug": "old-post", "html": "<p>Old <i>text</i>.</p>",
     "page": 0, "status": "published", "created_at": 1283780649000, "published_at": 1283780649000},
    {"id": 50, "title": "Old Page", "slug": "old-page", "html": "<p>A page.</p>",
     "page": 1, "status": "published", "created_at": 1283780649000}
  ],
  "tags": [{"id": 3, "name": "Old Tag", "slug": "old-tag"}],
  "posts_tags": [{"tag_id": 3, "post_id": 5}],
  "users": [{"id": 1, "name": "Owner"}],
  "posts_authors": [{"post_id": 5, "author_id": 1}],
  "settings": [{"key": "title", "value": "Old Blog"}]
}}
"#,
    );
    let run = site.run(&["import", "--from", "ghost", "old.json", "out"]);
    run.assert_ok();
    let post = site.read("out/content/posts/old-post.md");
    assert!(
        post.starts_with("+++\ntitle = \"Old Post\"\ndate = 2010-09-06T13:44:09Z\n\n[taxonomies]\ntags = [\"Old Tag\"]\n\n[extra]\nauthor = \"Owner\"\nghost_id = \"5\"\n+++\n\nOld *text*.\n"),
        "{post}"
    );
    assert!(site.read("out/content/old-page.md").contains("A page.\n"));
    site.run(&["build", "--root", "out"]).assert_ok();
    for url in ["old-post", "old-page"] {
        assert!(
            site.exists(&format!("out/public/{url}/index.html")),
            "/{url}/"
        );
    }
}
