//! Series, related posts, footnotes at the bottom and a placed table of
//! contents, each on a fixture site built with the real binary and read
//! back parsed.

mod common;

use common::SiteTest;

fn site(config: &str) -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        &format!("title = \"W\"\nbase_url = \"https://example.org\"\n{config}"),
    );
    site
}

fn series_posts(site: &SiteTest) {
    // Out of date order on purpose: `series_order` wins, then the date.
    site.file(
        "content/posts/one.md",
        "+++\ntitle = \"One\"\ndate = 2024-03-01\nseries = \"Learning Rust\"\nseries_order = 1\n+++\nFirst.\n",
    );
    site.post(
        "two",
        "title: Two\ndate: 2024-01-01\nseries: Learning Rust\nseries_order: 2",
        "Second.",
    );
    site.post(
        "three",
        "title: Three\ndate: 2024-02-01\nseries: Learning Rust",
        "Third.",
    );
    site.post(
        "four",
        "title: Four\ndate: 2024-02-02\nseries: Learning Rust",
        "Fourth.",
    );
    site.post("alone", "title: Alone\ndate: 2024-02-03", "Not in one.");
}

#[test]
fn a_series_has_its_page_and_each_post_its_place() {
    let site = site("");
    series_posts(&site);
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/two/index.html");
    assert_eq!(
        page.text(".series p"),
        "Part 2 of 4: Learning Rust",
        "{}",
        page.inner_html(".series")
    );
    assert_eq!(
        page.attrs(".series p a", "href"),
        ["https://example.org/series/learning-rust/"]
    );
    assert_eq!(page.texts(".series li"), ["One", "Two", "Three", "Four"]);
    assert_eq!(
        page.attrs(".series li a[aria-current=page]", "href"),
        ["https://example.org/posts/two/"]
    );
    assert_eq!(page.count(".series li a[aria-current]"), 1);
    assert_eq!(
        site.html("public/posts/four/index.html").text(".series p"),
        "Part 4 of 4: Learning Rust"
    );
    assert_eq!(
        site.html("public/posts/alone/index.html").count(".series"),
        0
    );

    let list = site.html("public/series/learning-rust/index.html");
    assert_eq!(
        list.texts(".post-list h2"),
        [
            "Part 1: One",
            "Part 2: Two",
            "Part 3: Three",
            "Part 4: Four"
        ]
    );
    let all = site.html("public/series/index.html");
    assert_eq!(all.texts(".term-list a"), ["Learning Rust"]);
    assert!(site
        .read("public/sitemap.xml")
        .contains("/series/learning-rust/"));

    // Off: no box, no pages.
    site.file(
        "config.toml",
        "title = \"W\"\nbase_url = \"https://example.org\"\n[series]\nenabled = false\n",
    );
    site.build(&["--strict"]).assert_ok();
    assert_eq!(site.html("public/posts/two/index.html").count(".series"), 0);
    assert!(!site.exists("public/series/learning-rust/index.html"));
}

#[test]
fn a_site_with_a_series_taxonomy_keeps_its_term_pages() {
    let site = site("taxonomies = [\"tags\", \"series\"]\n");
    site.post("a", "title: A\ndate: 2024-01-01\nseries: [Deep Dive]", "A.");
    site.post("b", "title: B\ndate: 2024-01-02\nseries: [Deep Dive]", "B.");
    site.post(
        "c",
        "title: C\ndate: 2024-01-03\nseries: [x, y]",
        "In two: no box.",
    );
    site.build(&["--strict"]).assert_ok();
    // The taxonomy's term page is the series' page.
    let term = site.html("public/series/deep-dive/index.html");
    assert_eq!(term.texts(".post-list h2"), ["B", "A"]);
    assert_eq!(
        site.html("public/series/index.html").count(".term-list li"),
        3
    );
    let page = site.html("public/posts/b/index.html");
    assert_eq!(page.text(".series p"), "Part 2 of 2: Deep Dive");
    assert_eq!(
        page.attrs(".series p a", "href"),
        ["https://example.org/series/deep-dive/"]
    );
    assert_eq!(site.html("public/posts/c/index.html").count(".series"), 0);
}

#[test]
fn bad_series_values_name_their_place() {
    let site = site("");
    site.post("a", "title: A\nseries: 3", "A.");
    site.file(
        "content/posts/b.md",
        "+++\ntitle = \"B\"\nseries = \"S\"\nseries_order = \"first\"\n+++\nB.\n",
    );
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("content/posts/a.md:3:9: error: front matter: `series` must be the series' name as a string")
        .assert_stderr_has("content/posts/b.md:4:16: error: front matter: invalid type: string \"first\", expected i64");
}

/// Five posts sharing terms: `common` on all, `rare` on two, `mid` on three.
fn related_posts(site: &SiteTest) {
    site.post(
        "base",
        "title: Base\ndate: 2024-01-01\ntags: [common, rare, mid]",
        "B.",
    );
    site.post(
        "rare",
        "title: Rare\ndate: 2024-01-02\ntags: [common, rare]",
        "R.",
    );
    site.post(
        "mid-old",
        "title: Mid old\ndate: 2024-01-03\ntags: [common, mid]",
        "M.",
    );
    site.post(
        "mid-new",
        "title: Mid new\ndate: 2024-01-05\ntags: [common, mid]",
        "M.",
    );
    site.post(
        "plain",
        "title: Plain\ndate: 2024-01-06\ntags: [common]",
        "P.",
    );
}

/// Related posts are read back from the cache while the pages' terms,
/// dates and drafts and `[related]` are unchanged, and found again when
/// any of them changes: each time they are what a build without a cache
/// finds.
#[test]
fn related_posts_read_back_from_the_cache_follow_every_change() {
    let site = site("[related]\nlimit = 2\n");
    related_posts(&site);
    let related = |site: &SiteTest| {
        site.build(&["--strict"]).assert_ok();
        let cached = site
            .html("public/posts/base/index.html")
            .texts(".related li a");
        site.run_env(&["build", "--output", "fresh"], &[("BLOG_CACHE_DIR", "")])
            .assert_ok();
        let fresh = site
            .html("fresh/posts/base/index.html")
            .texts(".related li a");
        assert_eq!(cached, fresh, "as a build without a cache finds them");
        cached
    };
    assert_eq!(related(&site), ["Rare", "Mid new"]);
    assert_eq!(related(&site), ["Rare", "Mid new"], "read back");
    // A term gone: `rare` is on one post now, and counts for nothing.
    site.post(
        "rare",
        "title: Rare\ndate: 2024-01-02\ntags: [common]",
        "R.",
    );
    assert_eq!(related(&site), ["Mid new", "Mid old"]);
    // A date: the newer of two equal candidates goes first.
    site.post(
        "mid-old",
        "title: Mid old\ndate: 2024-02-01\ntags: [common, mid]",
        "M.",
    );
    assert_eq!(related(&site), ["Mid old", "Mid new"]);
    // A draft is never related.
    site.post(
        "mid-old",
        "title: Mid old\ndate: 2024-02-01\ndraft: true\ntags: [common, mid]",
        "M.",
    );
    assert_eq!(related(&site), ["Mid new", "Plain"]);
    // The settings.
    site.file(
        "config.toml",
        "title = \"W\"\nbase_url = \"https://example.org\"\n[related]\nlimit = 1\n",
    );
    assert_eq!(related(&site), ["Mid new"]);
}

#[test]
fn related_posts_share_the_rarest_terms_and_never_drafts() {
    let site = site("[related]\nlimit = 2\n");
    // `common` is on every post; `rare` on two only.
    related_posts(&site);
    site.post(
        "draft",
        "title: Draft\ndate: 2024-01-07\ndraft: true\ntags: [common, rare, mid]",
        "D.",
    );
    site.post(
        "other",
        "title: Other\ndate: 2024-01-08\ntags: [unrelated]",
        "O.",
    );
    site.build(&["--strict", "--drafts"]).assert_ok();
    let page = site.html("public/posts/base/index.html");
    // rare (1 other post) beats mid (2), and among mid the newer first.
    assert_eq!(page.texts(".related li a"), ["Rare", "Mid new"]);
    assert_eq!(
        site.html("public/posts/mid-old/index.html")
            .texts(".related li a"),
        ["Mid new", "Base"]
    );
    assert_eq!(
        site.html("public/posts/other/index.html").count(".related"),
        0
    );
    let draft = site.html("public/posts/draft/index.html");
    assert!(!draft.texts(".related li a").contains(&"Draft".to_string()));
    for post in ["base", "rare", "mid-old", "mid-new", "plain"] {
        let links = site
            .html(&format!("public/posts/{post}/index.html"))
            .texts(".related li a");
        assert!(!links.contains(&"Draft".to_string()), "{post}: {links:?}");
        assert!(links.len() <= 2);
    }

    site.file(
        "config.toml",
        "title = \"W\"\nbase_url = \"https://example.org\"\n[related]\nenabled = false\n",
    );
    site.build(&["--strict"]).assert_ok();
    assert_eq!(
        site.html("public/posts/base/index.html").count(".related"),
        0
    );

    site.file(
        "config.toml",
        "title = \"W\"\n[related]\ntaxonomies = [\"topics\"]\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:3:1: error: [related] taxonomies names `topics`");
}

#[test]
fn footnotes_gather_at_the_bottom_and_their_anchors_check() {
    let site = site("");
    site.post(
        "notes",
        "title: Notes\ndate: 2024-01-01",
        "A claim[^src] and another[^2], the first again[^src].\n\n<!-- more -->\n\n## Fn src\n\n[^2]: Second note.\n\n[^src]: The source.\n\n[^dead]: Nobody points here.\n\nNo such[^none].\n",
    );
    site.post(
        "linker",
        "title: Linker\ndate: 2024-01-02",
        "[to the note](/posts/notes/#fn-src) and [back](/posts/notes/#fnref-src-2).\n",
    );
    site.build(&["--strict"]).assert_ok();
    site.run(&["check"]).assert_ok();
    let page = site.html("public/posts/notes/index.html");
    assert_eq!(page.texts(".content sup a"), ["1", "2", "1"]);
    assert_eq!(
        page.attrs(".content p sup a", "id"),
        ["fnref-src", "fnref-2", "fnref-src-2"]
    );
    assert_eq!(
        page.attrs("section.footnotes ol > li", "id"),
        ["fn-src", "fn-2"]
    );
    assert_eq!(
        page.attrs("section.footnotes li a.footnote-backref", "aria-label"),
        [
            "Back to reference 1",
            "Back to reference 1-2",
            "Back to reference 2"
        ]
    );
    assert_eq!(
        page.attrs("section.footnotes li a.footnote-backref", "href"),
        ["#fnref-src", "#fnref-src-2", "#fnref-2"]
    );
    assert!(!page.text(".content").contains("Nobody points here"));
    assert!(page.text(".content").contains("No such[^none]."));
    assert_eq!(page.attrs(".content h2", "id"), ["fn-src-1"]);
    // The summary's references lead to the notes on the post.
    let home = site.html("public/index.html");
    let hrefs = home.attrs(".summary sup a", "href");
    assert!(
        hrefs.contains(&"https://example.org/posts/notes/#fn-src".to_string()),
        "{hrefs:?}"
    );
    assert_eq!(home.count(".summary [id]"), 0);

    site.file(
        "config.toml",
        "title = \"W\"\nbase_url = \"https://example.org\"\n[markdown]\nbottom_footnotes = false\n",
    );
    site.post("linker", "title: Linker\ndate: 2024-01-02", "Plain.\n");
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/notes/index.html");
    assert_eq!(page.count("section.footnotes"), 0);
    assert_eq!(page.count(".footnote-definition"), 3);
}

#[test]
fn a_toc_line_places_the_contents_and_hides_the_themes() {
    let site = site("");
    site.post(
        "guide",
        "title: Guide\ndate: 2024-01-01",
        "Intro.\n\n<!-- toc -->\n\n## Install\n\n### On Linux\n\n## Use\n\n```markdown\n<!-- toc -->\n```\n",
    );
    site.post("plain", "title: Plain\ndate: 2024-01-02", "## A\n\n## B\n");
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/guide/index.html");
    assert_eq!(page.count("nav.toc"), 1);
    assert_eq!(
        page.attrs(".content nav.toc[aria-label=Contents] a", "href"),
        ["#install", "#on-linux", "#use"]
    );
    assert_eq!(page.count(".content nav.toc > ol > li > ol > li"), 1);
    assert_eq!(page.texts("pre code"), ["<!-- toc -->"]);
    // Without the marker the theme's own contents stay.
    let plain = site.html("public/posts/plain/index.html");
    assert_eq!(plain.count("nav.toc"), 1);
    assert_eq!(plain.count(".content nav.toc"), 0);
}
