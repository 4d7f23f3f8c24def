//! `blog build` end to end: each test builds a small fixture site with the
//! real binary and checks the parsed output.

mod common;

use common::SiteTest;

const CONFIG: &str = "title = \"Test Site\"\nbase_url = \"https://example.org\"\n";

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file("config.toml", CONFIG);
    site
}

#[test]
fn a_site_without_config_builds_with_defaults() {
    let site = SiteTest::new();
    site.file("content/posts/hello.md", "# Hello\n\nFirst post.\n");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stdout.starts_with("Built 1 pages, 1 sections"),
        "{}",
        run.stdout
    );
    let page = site.html("public/posts/hello/index.html");
    assert_eq!(page.text("article h1"), "Hello");
    assert_eq!(
        site.html("public/index.html").texts(".post-list h2"),
        vec!["Hello"]
    );
    for file in [
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "rss.xml",
        "atom.xml",
        "style.css",
        "syntax.css",
    ] {
        assert!(site.exists(&format!("public/{file}")), "{file} missing");
    }
}

#[test]
fn yaml_toml_and_no_front_matter() {
    let site = site();
    site.file(
        "content/posts/yaml.md",
        "---\ntitle: From YAML\ndate: 2024-01-02\n---\nBody.\n",
    );
    site.file(
        "content/posts/toml.md",
        "+++\ntitle = \"From TOML\"\ndate = 2024-01-03T10:00:00+02:00\n+++\nBody.\n",
    );
    site.file(
        "content/posts/2024-01-01-plain.md",
        "No front matter and no heading.\n",
    );
    site.build(&[]).assert_ok();
    assert_eq!(
        site.html("public/posts/yaml/index.html").text("article h1"),
        "From YAML"
    );
    let toml = site.html("public/posts/toml/index.html");
    assert_eq!(toml.text("article h1"), "From TOML");
    assert_eq!(
        toml.attrs("article header time", "datetime"),
        vec!["2024-01-03T10:00:00+02:00"]
    );
    let plain = site.html("public/posts/plain/index.html");
    assert_eq!(plain.text("article h1"), "plain");
    assert_eq!(
        plain.attrs("article header time", "datetime"),
        vec!["2024-01-01T00:00:00Z"]
    );
    // Newest first on the home page.
    assert_eq!(
        site.html("public/index.html").texts(".post-list h2"),
        vec!["From TOML", "From YAML", "plain"]
    );
}

#[test]
fn date_forms_are_all_accepted() {
    let site = site();
    for (i, date) in [
        "2024-05-01",
        "2024-05-01T08:00:00",
        "2024-05-01 08:00",
        "2024-05-01T08:00:00Z",
        "2024-05-01T08:00:00-07:00",
        "\"2024-05-01\"",
    ]
    .iter()
    .enumerate()
    {
        site.post(
            &format!("p{i}"),
            &format!("title: P{i}\ndate: {date}"),
            "Body.",
        );
    }
    site.build(&[]).assert_ok();
    let times = site
        .html("public/posts/p4/index.html")
        .attrs("article header time", "datetime");
    assert_eq!(times, vec!["2024-05-01T08:00:00-07:00"]);
}

#[test]
fn posts_from_jekyll_hugo_and_zola_build_as_they_are() {
    let site = site();
    // Jekyll: a dated file name, a spaced offset, categories as words,
    // a layout key blog keeps for templates.
    site.file(
        "content/posts/2024-01-03-from-jekyll.md",
        "---\nlayout: post\ntitle: From Jekyll\ndate: 2024-01-03 10:00:00 +0100\n\
         categories: jekyll update\n---\nJekyll body.\n",
    );
    // Hugo: an RFC 2822 date, lastmod and other keys of its own.
    site.file(
        "content/posts/from-hugo.md",
        "---\ntitle: From Hugo\ndate: Fri, 01 Mar 2024 09:30:00 +0200\nlastmod: 2024-03-02\n\
         tags: [hugo]\nkeywords: [a]\n---\nHugo body.\n",
    );
    // Zola: a section's paginate_by; TOML with its [taxonomies] table and
    // [extra].
    site.file(
        "content/posts/_index.md",
        "+++\ntitle = \"Blog\"\nsort_by = \"date\"\npaginate_by = 2\n+++\n",
    );
    site.file(
        "content/posts/from-zola.md",
        "+++\ntitle = \"From Zola\"\ndate = 2024-02-01T08:00:00Z\n[taxonomies]\ntags = [\"zola\"]\n\
         categories = [\"code\"]\n[extra]\nmood = \"fine\"\n+++\nZola body.\n",
    );
    site.build(&[]).assert_ok();
    let time = |slug: &str| {
        site.html(&format!("public/posts/{slug}/index.html"))
            .attrs("article header time", "datetime")
    };
    assert_eq!(time("from-jekyll"), vec!["2024-01-03T10:00:00+01:00"]);
    // Hugo's lastmod is the post's `updated`.
    assert_eq!(
        time("from-hugo"),
        vec!["2024-03-01T09:30:00+02:00", "2024-03-02T00:00:00Z"]
    );
    assert_eq!(time("from-zola"), vec!["2024-02-01T08:00:00Z"]);
    assert_eq!(
        site.html("public/posts/page/2/index.html")
            .texts(".post-list h2"),
        vec!["From Jekyll"],
        "paginate_by = 2 gives the section two pages"
    );
    for term in [
        "categories/jekyll",
        "categories/update",
        "categories/code",
        "tags/hugo",
        "tags/zola",
    ] {
        assert!(site.exists(&format!("public/{term}/index.html")), "{term}");
    }
    assert_eq!(
        site.html("public/index.html").texts(".post-list h2"),
        vec!["From Hugo", "From Zola", "From Jekyll"]
    );

    // A date no generator writes is still an error at its line.
    site.file(
        "content/posts/2024-01-03-from-jekyll.md",
        "---\ntitle: From Jekyll\ndate: 2024-01-03 10:00:00 CET\n---\nBody.\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/2024-01-03-from-jekyll.md:3:7: error: front matter: date: `2024-01-03 10:00:00 CET` is not a date");
}

#[test]
fn title_from_first_heading_is_not_repeated_in_the_body() {
    let site = site();
    site.file("content/posts/h.md", "# The Heading Title\n\nText.\n");
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/h/index.html");
    assert_eq!(page.text("article h1"), "The Heading Title");
    assert_eq!(page.count(".content h1"), 0);
}

#[test]
fn crlf_and_bom_are_accepted() {
    let site = site();
    site.bytes(
        "content/posts/win.md",
        b"\xef\xbb\xbf---\r\ntitle: Windows\r\ntags: [a]\r\n---\r\nLine one.\r\n\r\nLine two.\r\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/win/index.html");
    assert_eq!(page.text("article h1"), "Windows");
    assert_eq!(page.texts(".content p"), vec!["Line one.", "Line two."]);
}

#[test]
fn tags_as_list_or_string_make_term_pages() {
    let site = site();
    site.post(
        "a",
        "title: A\ndate: 2024-01-01\ntags: [Rust, web]\ncategories: [Notes]",
        "A.",
    );
    site.post("b", "title: B\ndate: 2024-01-02\ntags: rust, cli", "B.");
    site.post("c", "title: C\ndate: 2024-01-03\ntags: web cli", "C.");
    site.build(&[]).assert_ok();
    let tags = site.html("public/tags/index.html");
    assert_eq!(tags.texts(".term-list a"), vec!["cli", "Rust", "web"]);
    assert_eq!(tags.texts(".term-list .count"), vec!["(2)", "(2)", "(2)"]);
    assert_eq!(
        site.html("public/tags/rust/index.html")
            .texts(".post-list h2"),
        vec!["B", "A"]
    );
    assert_eq!(
        site.html("public/categories/notes/index.html")
            .texts(".post-list h2"),
        vec!["A"]
    );
    let page = site.html("public/posts/a/index.html");
    assert_eq!(
        page.attrs(".tags a", "href"),
        vec![
            "https://example.org/tags/rust/",
            "https://example.org/tags/web/"
        ]
    );
}

#[test]
fn unknown_keys_and_extra_reach_templates() {
    let site = site();
    site.file(
        "templates/page.html",
        "{{ page.meta.mood }}|{{ page.extra.color }}|{{ page.meta.nested.deep }}",
    );
    site.post(
        "a",
        "title: A\nmood: cheerful\nextra: {color: blue}\nnested: {deep: yes}",
        "Body",
    );
    site.build(&[]).assert_ok();
    assert_eq!(site.read("public/posts/a/index.html"), "cheerful|blue|yes");
}

#[test]
fn sections_list_their_pages_and_subsections() {
    let site = site();
    site.file("content/notes/_index.md", "---\ntitle: Field Notes\ndescription: Short ones.\nsort_by: weight\n---\nIntro **text**.\n");
    site.post("ignored", "title: Ignored", "");
    site.file("content/notes/b.md", "---\ntitle: Second\nweight: 2\n---\n");
    site.file("content/notes/a.md", "---\ntitle: First\nweight: 1\n---\n");
    site.file(
        "content/notes/2024/c.md",
        "---\ntitle: Nested\nweight: 3\n---\n",
    );
    site.build(&[]).assert_ok();
    let notes = site.html("public/notes/index.html");
    assert_eq!(notes.text("h1"), "Field Notes");
    assert_eq!(
        notes.inner_html(".intro").trim(),
        "<p>Intro <strong>text</strong>.</p>"
    );
    assert_eq!(
        notes.texts(".post-list h2"),
        vec!["First", "Second", "Nested"]
    );
    assert!(site.exists("public/notes/2024/c/index.html"));
    assert!(site.exists("public/notes/2024/index.html"));
}

#[test]
fn page_bundles_copy_their_files_beside_the_page() {
    let site = site();
    site.file(
        "content/posts/trip/index.md",
        "---\ntitle: Trip\n---\n![map](map.png)\n",
    );
    site.bytes("content/posts/trip/map.png", b"\x89PNG fake");
    site.bytes("content/posts/trip/extra/notes.txt", b"notes");
    site.build(&[]).assert_ok();
    assert_eq!(
        std::fs::read(site.path("public/posts/trip/map.png")).expect("asset"),
        b"\x89PNG fake"
    );
    assert!(site.exists("public/posts/trip/index.html"));
    assert!(
        !site.exists("public/posts/trip/extra/index.html"),
        "a bundle's folders are not sections"
    );
}

#[test]
fn markdown_extensions_ids_toc_and_summary() {
    let site = site();
    site.post(
        "md",
        "title: Markdown",
        "Intro para.\n\n<!-- more -->\n\n## Part\n\n## Part\n\n### Sub\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quote\"\n\n- [x] done\n\nNote[^n].\n\n[^n]: Footnote.\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/md/index.html");
    assert_eq!(page.attrs(".content h2", "id"), vec!["part", "part-1"]);
    assert_eq!(
        page.attrs(".content h2 a.anchor", "href"),
        vec!["#part", "#part-1"]
    );
    assert_eq!(
        page.attrs(".toc a", "href"),
        vec!["#part", "#part-1", "#sub"]
    );
    assert_eq!(page.count(".content table"), 1);
    assert_eq!(page.texts(".content del"), vec!["old"]);
    assert!(page.text(".content").contains("\u{201c}quote\u{201d}"));
    assert_eq!(page.count(".content input[type=checkbox][checked]"), 1);
    assert_eq!(page.count(".content section.footnotes li"), 1);
    assert_eq!(page.count("#continue-reading"), 1);
    let home = site.html("public/index.html");
    assert_eq!(home.texts(".post-list .summary p"), vec!["Intro para."]);
    assert_eq!(
        home.attrs(".post-list a.more", "href"),
        vec!["https://example.org/posts/md/#continue-reading"]
    );
}

#[test]
fn summary_defaults_to_first_paragraph_and_reading_time_counts_words() {
    let site = site();
    let words = "word ".repeat(450);
    site.post(
        "long",
        "title: Long",
        &format!("First paragraph only.\n\n{words}\n"),
    );
    site.build(&[]).assert_ok();
    let home = site.html("public/index.html");
    assert_eq!(
        home.texts(".post-list .summary p"),
        vec!["First paragraph only."]
    );
    assert!(
        home.text(".post-list .meta").contains("3 min read"),
        "{}",
        home.text(".post-list .meta")
    );
}

#[test]
fn code_is_highlighted_and_unknown_languages_stay_plain() {
    let site = site();
    site.post("code", "title: Code", "```rust\nfn main() {}\n```\n\n```nosuchlang\n<b>x</b>\n```\n\n```toml,name=x\na = 1\n```\n");
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/code/index.html");
    assert_eq!(
        page.attrs("pre code", "class"),
        vec!["language-rust", "language-nosuchlang", "language-toml"]
    );
    let classes = page.attrs("pre code.language-rust span", "class");
    assert!(
        !classes.is_empty() && classes.iter().all(|c| c.starts_with('h')),
        "{classes:?}"
    );
    assert_eq!(page.texts("pre code.language-rust"), vec!["fn main() {}"]);
    assert_eq!(
        page.inner_html("pre code.language-nosuchlang"),
        "&lt;b&gt;x&lt;/b&gt;\n"
    );
    let css = site.read("public/syntax.css");
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    for class in classes {
        assert_eq!(
            css.matches(&format!(".{class} {{")).count(),
            2,
            "{class} in light and dark: {css}"
        );
    }
}

#[test]
fn template_syntax_in_posts_is_printed_verbatim() {
    let site = site();
    site.post("t", "title: T", "Text {{ config.title }} and {% if x %}.\n\n`{{ inline }}`\n\n```\n{% block %}{{ x }}\n```\n");
    site.build(&[]).assert_ok();
    let html = site.read("public/posts/t/index.html");
    assert!(
        html.contains("Text {{ config.title }} and {% if x %}."),
        "{html}"
    );
    assert!(html.contains("<code>{{ inline }}</code>"));
    assert!(html.contains("{% block %}{{ x }}"));
}

#[test]
fn site_templates_and_static_override_the_theme() {
    let site = site();
    site.post("a", "title: A", "Body");
    site.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p id=\"mine\">{{ page.title }}</p>{% endblock content %}");
    site.file("static/style.css", "body { color: red }");
    site.file("static/extra/file.txt", "hello");
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/a/index.html");
    assert_eq!(page.text("#mine"), "A");
    assert_eq!(
        page.count("header.site-header"),
        1,
        "base.html still comes from the theme"
    );
    assert_eq!(site.read("public/style.css"), "body { color: red }");
    assert_eq!(site.read("public/extra/file.txt"), "hello");
}

#[test]
fn a_theme_folder_is_used_and_its_static_merged_under_the_site() {
    let site = SiteTest::new();
    site.file("config.toml", "theme = \"plain\"\n");
    site.file("themes/plain/templates/page.html", "PLAIN {{ page.title }}");
    for t in [
        "index",
        "section",
        "taxonomy_list",
        "taxonomy_term",
        "archive",
        "404",
    ] {
        site.file(&format!("themes/plain/templates/{t}.html"), "list");
    }
    site.file("themes/plain/static/theme.css", "theme");
    site.file("themes/plain/static/shared.css", "from theme");
    site.file("static/shared.css", "from site");
    site.post("a", "title: A", "");
    site.build(&[]).assert_ok();
    assert_eq!(site.read("public/posts/a/index.html"), "PLAIN A");
    assert_eq!(site.read("public/theme.css"), "theme");
    assert_eq!(site.read("public/shared.css"), "from site");
}

#[test]
fn index_sections_and_terms_paginate() {
    let site = site();
    site.file("config.toml", &format!("{CONFIG}paginate = 2\n"));
    for i in 1..=5 {
        site.post(
            &format!("p{i}"),
            &format!("title: P{i}\ndate: 2024-01-0{i}\ntags: [t]"),
            "",
        );
    }
    site.build(&[]).assert_ok();
    let first = site.html("public/index.html");
    assert_eq!(first.texts(".post-list h2"), vec!["P5", "P4"]);
    assert_eq!(
        first.attrs(".pagination a[rel=next]", "href"),
        vec!["https://example.org/page/2/"]
    );
    let third = site.html("public/page/3/index.html");
    assert_eq!(third.texts(".post-list h2"), vec!["P1"]);
    assert_eq!(
        third.attrs(".pagination a[rel=prev]", "href"),
        vec!["https://example.org/page/2/"]
    );
    assert!(!site.exists("public/page/4"));
    assert_eq!(
        site.html("public/posts/page/2/index.html")
            .texts(".post-list h2"),
        vec!["P3", "P2"]
    );
    assert_eq!(
        site.html("public/tags/t/page/3/index.html")
            .texts(".post-list h2"),
        vec!["P1"]
    );
}

#[test]
fn archive_groups_by_year() {
    let site = site();
    site.post("a", "title: A\ndate: 2023-03-01", "");
    site.post("b", "title: B\ndate: 2024-06-01", "");
    site.post("c", "title: C\ndate: 2024-01-01", "");
    site.build(&[]).assert_ok();
    let archive = site.html("public/archive/index.html");
    assert_eq!(archive.texts(".archive-year h2"), vec!["2024", "2023"]);
    assert_eq!(archive.texts(".archive-year li a"), vec!["B", "C", "A"]);
}

#[test]
fn previous_and_next_links_follow_the_section() {
    let site = site();
    site.post("a", "title: A\ndate: 2024-01-01", "");
    site.post("b", "title: B\ndate: 2024-01-02", "");
    site.post("c", "title: C\ndate: 2024-01-03", "");
    site.build(&[]).assert_ok();
    let b = site.html("public/posts/b/index.html");
    assert_eq!(
        b.attrs(".post-nav a[rel=prev]", "href"),
        vec!["https://example.org/posts/a/"]
    );
    assert_eq!(
        b.attrs(".post-nav a[rel=next]", "href"),
        vec!["https://example.org/posts/c/"]
    );
}

#[test]
fn permalinks_and_slugs() {
    let site = site();
    site.file(
        "config.toml",
        &format!("{CONFIG}[permalinks]\nposts = \"/:year/:month/:slug/\"\n"),
    );
    site.post("a", "title: A\ndate: 2024-03-09\nslug: Custom Slug!", "");
    site.post("Ünïcode Name", "title: U\ndate: 2024-03-10", "");
    site.build(&[]).assert_ok();
    assert!(site.exists("public/2024/03/custom-slug/index.html"));
    assert!(site.exists("public/2024/03/unicode-name/index.html"));
}

#[test]
fn aliases_redirect_with_html_and_netlify_lines() {
    let site = site();
    site.post("new", "title: New\naliases: [/old/, /older.html]", "");
    site.build(&[]).assert_ok();
    let old = site.html("public/old/index.html");
    assert_eq!(
        old.attrs("link[rel=canonical]", "href"),
        vec!["https://example.org/posts/new/"]
    );
    assert_eq!(
        old.attrs("meta[http-equiv=refresh]", "content"),
        vec!["0; url=https://example.org/posts/new/"]
    );
    assert!(site.exists("public/older.html"));
    assert_eq!(
        site.read("public/_redirects"),
        "/old/  /posts/new/  301!\n/older.html  /posts/new/  301!\n"
    );
}

#[test]
fn base_url_flag_and_environment_override_config() {
    let site = site();
    site.post("a", "title: A", "");
    site.build(&["--base-url", "https://flag.example/"])
        .assert_ok();
    assert_eq!(
        site.html("public/posts/a/index.html")
            .attrs("link[rel=canonical]", "href"),
        vec!["https://flag.example/posts/a/"]
    );
    site.run_env(&["build"], &[("BLOG_BASE_URL", "https://env.example")])
        .assert_ok();
    assert_eq!(
        site.html("public/posts/a/index.html")
            .attrs("link[rel=canonical]", "href"),
        vec!["https://env.example/posts/a/"]
    );
    site.run_env(
        &["build"],
        &[
            ("CONTEXT", "deploy-preview"),
            (
                "DEPLOY_PRIME_URL",
                "https://deploy-preview-7--x.netlify.app",
            ),
        ],
    )
    .assert_ok();
    assert!(site
        .read("public/sitemap.xml")
        .contains("https://deploy-preview-7--x.netlify.app/posts/a/"));
    site.run_env(
        &["build"],
        &[
            ("CONTEXT", "production"),
            ("DEPLOY_PRIME_URL", "https://main--x.netlify.app"),
        ],
    )
    .assert_ok();
    assert!(site
        .read("public/sitemap.xml")
        .contains("https://example.org/posts/a/"));
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let site = site();
    for i in 0..20 {
        site.post(
            &format!("p{i}"),
            &format!(
                "title: P{i}\ndate: 2024-01-{:02}\ntags: [t{}, common]",
                i + 1,
                i % 3
            ),
            "```rust\nfn x() {}\n```\n",
        );
    }
    site.build(&[]).assert_ok();
    let first = snapshot(&site.path("public"));
    site.build(&[]).assert_ok();
    assert_eq!(first, snapshot(&site.path("public")));
}

/// The site's cache file `name` (in the site's folder of the cache).
fn cache_file(site: &SiteTest, name: &str) -> std::path::PathBuf {
    site.cache_dir()
        .read_dir()
        .expect("cache")
        .map(|e| e.expect("entry").path().join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no {name} in the cache"))
}

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir(dir);
    files.sort();
    files
}

fn walkdir(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push((
                path.display().to_string(),
                std::fs::read(&path).expect("read"),
            ));
        }
    }
    out
}

#[test]
fn the_highlight_cache_never_changes_output() {
    let site = site();
    site.post("c", "title: C", "```rust\nfn one() {}\n```\n");
    site.build(&[]).assert_ok();
    let cold = site.read("public/posts/c/index.html");
    // Beside the record of what the build rendered and the rendered pages.
    let mut cache_files: Vec<_> = walkdir(site.cache_dir())
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| !p.contains("/rendered-") && !p.contains("/pages."))
        .filter_map(|p| Some(p.rsplit_once('/')?.1.to_string()))
        .collect();
    cache_files.sort();
    assert_eq!(
        cache_files,
        ["highlight.bin", "highlight.idx"],
        "the highlight cache's blocks and index"
    );
    site.build(&[]).assert_ok();
    assert_eq!(
        site.read("public/posts/c/index.html"),
        cold,
        "warm build differs"
    );
    site.post("c", "title: C", "```rust\nfn two() {}\n```\n");
    site.build(&[]).assert_ok();
    let edited = site.read("public/posts/c/index.html");
    assert!(edited.contains("two") && !edited.contains("one"));
    // Caching off gives the same bytes.
    site.run_env(&["build"], &[("BLOG_CACHE_DIR", "")])
        .assert_ok();
    assert_eq!(site.read("public/posts/c/index.html"), edited);
}

/// A highlighted block read back from a damaged or cut highlight cache is
/// highlighted again: the page is the one a build without a cache makes.
#[test]
fn a_damaged_highlight_cache_is_highlighted_again() {
    let site = site();
    let code = "```rust\nfn main() { let answer = 42; }\n```\n";
    site.post("c", "title: C", &format!("One.\n\n{code}"));
    site.build(&[]).assert_ok();
    let data = cache_file(&site, "highlight.bin");
    let fresh = |site: &SiteTest| {
        site.run_env(&["build", "--output", "fresh"], &[("BLOG_CACHE_DIR", "")])
            .assert_ok();
        site.read("fresh/posts/c/index.html")
    };
    // A byte of the block's HTML flipped; then the file cut short. Each
    // time the text around the block changes, so the page is rendered and
    // its block looked up.
    for (round, text) in ["Two.", "Three."].iter().enumerate() {
        let mut bytes = std::fs::read(&data).expect("read");
        if round == 0 {
            let at = bytes
                .windows(6)
                .position(|w| w == b"answer")
                .expect("the block's HTML");
            bytes[at] = b'X';
        } else {
            bytes.truncate(bytes.len() - 3);
        }
        std::fs::write(&data, &bytes).expect("damage");
        site.post("c", "title: C", &format!("{text}\n\n{code}"));
        site.build(&[]).assert_ok();
        let page = site.read("public/posts/c/index.html");
        assert!(
            page.contains("answer") && !page.contains("Xnswer"),
            "{page}"
        );
        assert_eq!(page, fresh(&site), "round {round}");
    }
}

/// A rebuild reads unchanged pages back from the cache of rendered pages:
/// the output is the bytes a build without a cache gives, a setting that
/// changes the HTML is not served from it, and a damaged entry is rendered
/// again, never published.
#[test]
fn the_page_cache_never_changes_output() {
    let site = site();
    site.post(
        "q",
        "title: Q",
        "\"Quoted\" -- text.\n\n```rust\nfn one() {}\n```\n",
    );
    site.build(&[]).assert_ok();
    let data: Vec<std::path::PathBuf> = walkdir(site.cache_dir())
        .into_iter()
        .map(|(p, _)| std::path::PathBuf::from(p))
        .filter(|p| p.ends_with("pages.bin"))
        .collect();
    assert_eq!(data.len(), 1, "one file of rendered pages: {data:?}");
    let cold = site.read("public/posts/q/index.html");
    assert!(cold.contains("\u{201c}Quoted\u{201d}"), "{cold}");
    site.build(&[]).assert_ok();
    assert_eq!(site.read("public/posts/q/index.html"), cold);

    // A damaged entry: rendered again, the same bytes published.
    let mut bytes = std::fs::read(&data[0]).expect("pages.bin");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&data[0], &bytes).expect("damage");
    site.build(&[]).assert_ok();
    assert_eq!(site.read("public/posts/q/index.html"), cold);

    // A markdown setting is part of the key.
    site.file(
        "config.toml",
        &format!("{CONFIG}[markdown]\nsmart_punctuation = false\n"),
    );
    site.build(&[]).assert_ok();
    let plain = site.read("public/posts/q/index.html");
    assert!(
        plain.contains("&quot;Quoted&quot;") || plain.contains("\"Quoted\""),
        "{plain}"
    );
    site.run_env(&["build", "--output", "fresh"], &[("BLOG_CACHE_DIR", "")])
        .assert_ok();
    assert_eq!(site.read("fresh/posts/q/index.html"), plain);
}

/// A rebuild reads unchanged posts back parsed (front matter, URL,
/// summary) from the page cache: what it publishes is what a build without
/// a cache publishes, after a config change the parse depends on, after an
/// edit to the front matter alone, and after damage to the stored parse.
#[test]
fn parsed_pages_read_back_never_change_output() {
    let site = site();
    site.file(
        "content/posts/trip/index.md",
        "---\ntitle: Trip\ndate: 2024-05-03T10:00:00+02:00\ntags: [walking, Zebrafinch]\n\
         aliases: [/old-trip/]\nextra:\n  mood: [1, null]\n---\n\
         ![the view](view.png) and [a note](#fn) and [home](../other/).[^1]\n\n\
         <!-- more -->\n\n## Later\n\nText.\n\n[^1]: Footnote.\n",
    );
    site.bytes("content/posts/trip/view.png", b"not really a png");
    site.post("other", "title: Other\ndate: 2024-05-01", "Body.\n");
    let fresh = |site: &SiteTest| {
        site.run_env(&["build", "--output", "fresh"], &[("BLOG_CACHE_DIR", "")])
            .assert_ok();
        let tree = snapshot(&site.root().join("fresh"));
        std::fs::remove_dir_all(site.root().join("fresh")).expect("remove");
        tree.into_iter()
            .filter(|(p, _)| !p.ends_with("/.blog-output"))
            .collect::<Vec<_>>()
    };
    let public = |site: &SiteTest| {
        site.run(&["build", "--output", "out"]).assert_ok();
        let tree = snapshot(&site.root().join("out"));
        // The marker names the record of what was rendered, which a build
        // without a cache has none of.
        tree.into_iter()
            .filter(|(p, _)| !p.ends_with("/.blog-output"))
            .map(|(p, b)| (p.replace("/out/", "/fresh/"), b))
            .collect::<Vec<_>>()
    };
    let expected = fresh(&site);
    assert_eq!(public(&site), expected, "cold");
    assert_eq!(public(&site), expected, "warm");

    // The base URL is in each summary's links and in no markdown setting.
    site.file(
        "config.toml",
        "title = \"Test Site\"\nbase_url = \"https://moved.example\"\n",
    );
    let expected = fresh(&site);
    let feed = expected
        .iter()
        .find(|(p, _)| p.ends_with("/fresh/atom.xml") || p.ends_with("/fresh/rss.xml"))
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .expect("a feed");
    assert!(
        feed.contains("https://moved.example/posts/trip/#"),
        "{feed}"
    );
    assert_eq!(public(&site), expected, "after the base URL changed");

    // The front matter alone.
    site.file(
        "content/posts/trip/index.md",
        &std::fs::read_to_string(site.root().join("content/posts/trip/index.md"))
            .expect("read")
            .replace("title: Trip", "title: Trip, retitled"),
    );
    let expected = fresh(&site);
    assert_eq!(public(&site), expected, "after a title edit");

    // Damage inside the stored parse: its front matter is stored as written.
    let data = cache_file(&site, "pages.bin");
    let mut bytes = std::fs::read(&data).expect("pages.bin");
    let at = bytes
        .windows(b"Zebrafinch".len())
        .rposition(|w| w == b"Zebrafinch")
        .expect("the stored front matter");
    bytes[at] = b'X';
    std::fs::write(&data, &bytes).expect("damage");
    assert_eq!(public(&site), expected, "after damage");
    let page = String::from_utf8(
        expected
            .iter()
            .find(|(p, _)| p.ends_with("/fresh/tags/zebrafinch/index.html"))
            .expect("the tag's page")
            .1
            .clone(),
    )
    .expect("utf-8");
    assert!(page.contains("Trip, retitled"), "{page}");
}

#[test]
fn pages_carry_open_graph_tags_for_link_previews() {
    let site = site();
    site.post(
        "shared",
        "title: Shared \"post\"\ndate: 2024-05-01T08:00:00+02:00\nupdated: 2024-05-02\ntags: [rust]\n\
         extra:\n  image: /images/cover.png",
        "The first paragraph & more.\n\nSecond.\n",
    );
    site.file(
        "content/posts/trip/index.md",
        "---\ntitle: Trip\ndate: 2024-05-03\nextra:\n  image: photo.jpg\n---\nBody.\n",
    );
    site.bytes("content/posts/trip/photo.jpg", b"\xff\xd8");
    site.post(
        "linked",
        "title: Linked\ndate: 2024-05-04\ndescription: Told here.\nextra:\n  image: https://cdn.example/x.png",
        "Body.\n",
    );
    site.build(&[]).assert_ok();
    let meta = |page: &str, property: &str| {
        site.html(page).attrs(
            &format!("meta[property=\"{property}\"], meta[name=\"{property}\"]"),
            "content",
        )
    };
    let post = "public/posts/shared/index.html";
    assert_eq!(meta(post, "og:type"), vec!["article"]);
    assert_eq!(meta(post, "og:title"), vec!["Shared \"post\""]);
    assert_eq!(
        meta(post, "og:description"),
        vec!["The first paragraph & more."]
    );
    assert_eq!(
        meta(post, "og:url"),
        vec!["https://example.org/posts/shared/"]
    );
    assert_eq!(
        meta(post, "article:published_time"),
        vec!["2024-05-01T08:00:00+02:00"]
    );
    assert_eq!(
        meta(post, "article:modified_time"),
        vec!["2024-05-02T00:00:00Z"]
    );
    assert_eq!(meta(post, "article:tag"), vec!["rust"]);
    assert_eq!(
        meta(post, "og:image"),
        vec!["https://example.org/images/cover.png"]
    );
    assert_eq!(meta(post, "twitter:card"), vec!["summary_large_image"]);
    assert_eq!(
        meta("public/posts/trip/index.html", "og:image"),
        vec!["https://example.org/posts/trip/photo.jpg"]
    );
    let linked = "public/posts/linked/index.html";
    assert_eq!(meta(linked, "og:image"), vec!["https://cdn.example/x.png"]);
    assert_eq!(meta(linked, "og:description"), vec!["Told here."]);
    // Lists are the site's: one set of tags, never a page's.
    let home = "public/index.html";
    assert_eq!(meta(home, "og:type"), vec!["website"]);
    assert_eq!(meta(home, "og:title"), vec!["Test Site"]);
    assert_eq!(meta(home, "og:url"), vec!["https://example.org/"]);
    assert_eq!(meta(home, "twitter:card"), vec!["summary"]);
    assert!(meta(home, "og:image").is_empty());
}

#[test]
fn terms_get_feeds_when_their_taxonomy_asks() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Test Site\"\nbase_url = \"https://example.org\"\n\
         taxonomies = [{ name = \"tags\", feed = true }, \"categories\"]\n[feed]\nlimit = 2\n",
    );
    site.post(
        "a",
        "title: A\ndate: 2024-01-01\ntags: [rust]\ncategories: [code]",
        "A.",
    );
    site.post("b", "title: B\ndate: 2024-01-02\ntags: [rust, web]", "B.");
    site.post("c", "title: C\ndate: 2024-01-03\ntags: [rust]", "C.");
    site.post(
        "d",
        "title: D\ndate: 2024-01-04\ntags: [rust]\ndraft: true",
        "D.",
    );
    site.post("e", "title: E\ndate: 2999-01-01\ntags: [rust]", "E.");
    site.build(&[]).assert_ok();

    let rss = site.read("public/tags/rust/rss.xml");
    let doc = roxmltree::Document::parse(&rss).expect("rss parses");
    let texts = |name: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name(name))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    };
    // The newest published posts of the term, as many as [feed] limit says.
    assert_eq!(texts("title"), vec!["Test Site · rust", "C", "B"]);
    assert_eq!(
        texts("link"),
        vec![
            "https://example.org/tags/rust/",
            "https://example.org/posts/c/",
            "https://example.org/posts/b/"
        ]
    );
    assert!(rss.contains("href=\"https://example.org/tags/rust/rss.xml\" rel=\"self\""));
    let atom = site.read("public/tags/rust/atom.xml");
    assert!(atom.contains("<title>Test Site · rust</title>"), "{atom}");
    assert!(atom.contains("<link href=\"https://example.org/tags/rust/atom.xml\" rel=\"self\"/>"));
    assert_eq!(atom.matches("<entry>").count(), 2);
    assert!(site.exists("public/tags/web/rss.xml"));
    // Categories did not ask for feeds.
    assert!(!site.exists("public/categories/code/rss.xml"));
    // The term page points at its feeds.
    let page = site.html("public/tags/rust/index.html");
    assert_eq!(
        page.attrs("link[rel=alternate]", "href"),
        vec![
            "https://example.org/rss.xml",
            "https://example.org/atom.xml",
            "https://example.org/feed.json",
            "https://example.org/tags/rust/rss.xml",
            "https://example.org/tags/rust/atom.xml",
            "https://example.org/tags/rust/feed.json"
        ]
    );
    assert!(site
        .html("public/categories/code/index.html")
        .attrs("link[rel=alternate]", "href")
        .iter()
        .all(|h| !h.contains("/categories/")));

    // [feed] atom = false holds for the terms too.
    site.file(
        "config.toml",
        "title = \"Test Site\"\nbase_url = \"https://example.org\"\n\
         taxonomies = [{ name = \"tags\", feed = true }]\n[feed]\natom = false\n",
    );
    site.build(&[]).assert_ok();
    assert!(site.exists("public/tags/rust/rss.xml"));
    assert!(!site.exists("public/tags/rust/atom.xml"));
}

#[test]
fn lists_of_summaries_have_unique_ids_and_anchors_lead_to_the_post() {
    let site = site();
    for i in 1..=2 {
        site.post(
            &format!("p{i}"),
            &format!("title: P{i}\ndate: 2024-01-0{i}\ntags: [same]"),
            "## Intro\n\nHello[^1].\n\n[^1]: A note.\n\n<!-- more -->\n\nRest.\n",
        );
    }
    site.build(&[]).assert_ok();
    for list in [
        "public/index.html",
        "public/posts/index.html",
        "public/tags/same/index.html",
    ] {
        let ids = site.html(list).attrs("[id]", "id");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{list}: duplicate ids in {ids:?}");
        let anchors = site.html(list).attrs(".summary a[href*='#']", "href");
        assert!(
            anchors.contains(&"https://example.org/posts/p1/#intro".to_string()),
            "{list}: {anchors:?}"
        );
        assert!(
            anchors.contains(&"https://example.org/posts/p2/#fn-1".to_string()),
            "{list}: {anchors:?}"
        );
    }
    // The post itself keeps its ids and in-page anchors.
    let page = site.html("public/posts/p1/index.html");
    assert_eq!(page.attrs("h2#intro", "id"), vec!["intro"]);
    assert!(page
        .attrs(".content a", "href")
        .contains(&"#intro".to_string()));
}

#[test]
fn c_cpp_and_csharp_are_three_terms_and_a_term_needs_a_letter() {
    let site = site();
    site.post(
        "a",
        "title: A\ndate: 2024-01-01\ntags: [C, 'C++', 'C#', Rust]",
        "A.",
    );
    site.post("b", "title: B\ndate: 2024-01-02\ntags: [rust, c]", "B.");
    site.build(&[]).assert_ok();
    let terms = site.html("public/tags/index.html");
    let names: Vec<String> = terms.texts(".terms a, main li a");
    for (slug, name) in [
        ("c", "C"),
        ("c-plus-plus", "C++"),
        ("c-sharp", "C#"),
        ("rust", "Rust"),
    ] {
        assert!(
            site.exists(&format!("public/tags/{slug}/index.html")),
            "{slug}"
        );
        assert!(
            names.iter().any(|n| n.contains(name)),
            "{name} in {names:?}"
        );
    }
    // C and c are one term; C++ is not C.
    assert_eq!(
        site.html("public/tags/c/index.html")
            .texts(".post-list h2")
            .len(),
        2
    );
    assert_eq!(
        site.html("public/tags/c-plus-plus/index.html")
            .texts(".post-list h2"),
        vec!["A"]
    );

    site.post("c", "title: C\ndate: 2024-01-03\ntags: ['!!!']", "C.");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/c.md:4:1: error: term `!!!` (in tags) has no letter or digit to make its URL from");
}

#[test]
fn relative_links_and_images_work_on_lists_and_in_feeds() {
    let site = site();
    site.post("other", "title: Other\ndate: 2024-01-01", "Other.");
    site.file(
        "content/posts/trip/index.md",
        "---\ntitle: Trip\ndate: 2024-01-02\n---\n![The view](view%20one.jpg) and [the other post](../other/).\n\n\
         <!-- more -->\n\nMore, with [a section](#later).\n\n## Later\n",
    );
    site.bytes("content/posts/trip/view one.jpg", b"\xff\xd8");
    site.build(&[]).assert_ok();
    // On the page itself, as written.
    let page = site.html("public/posts/trip/index.html");
    assert_eq!(page.attrs(".content img", "src"), vec!["view%20one.jpg"]);
    // On the home page, they lead where they do on the page.
    let home = site.html("public/index.html");
    assert_eq!(
        home.attrs(".summary img", "src"),
        vec!["https://example.org/posts/trip/view%20one.jpg"]
    );
    assert!(home
        .attrs(".summary a", "href")
        .contains(&"https://example.org/posts/other/".to_string()));
    // In the feed, whose readers do not know the page's address.
    let rss = site.read("public/rss.xml");
    assert!(
        rss.contains("src=&quot;https://example.org/posts/trip/view%20one.jpg&quot;"),
        "{rss}"
    );
    assert!(rss.contains("href=&quot;https://example.org/posts/other/&quot;"));
    assert!(rss.contains("href=&quot;https://example.org/posts/trip/#later&quot;"));
    assert!(!rss.contains("src=&quot;view"), "no relative image left");
}

#[test]
fn a_section_gets_feeds_when_its_index_asks() {
    let site = site();
    site.file(
        "content/notes/_index.md",
        "---\ntitle: Notes\ndescription: Short notes.\nsort_by: title\nfeed: true\n---\n",
    );
    site.file(
        "content/notes/a.md",
        "---\ntitle: A note\ndate: 2024-01-01\n---\nA.\n",
    );
    site.file(
        "content/notes/b.md",
        "---\ntitle: B note\ndate: 2024-01-03\n---\nB.\n",
    );
    site.file(
        "content/notes/c.md",
        "---\ntitle: C note\ndate: 2024-01-02\ndraft: true\n---\nC.\n",
    );
    site.post(
        "elsewhere",
        "title: Elsewhere\ndate: 2024-01-04",
        "Not a note.",
    );
    // Zola's name for it, on another section.
    site.file(
        "content/posts/_index.md",
        "+++\ntitle = \"Posts\"\ngenerate_feeds = true\n+++\n",
    );
    site.build(&[]).assert_ok();

    let rss = site.read("public/notes/rss.xml");
    let doc = roxmltree::Document::parse(&rss).expect("rss parses");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    // Newest first, though the section lists by title; no draft; no post
    // from elsewhere.
    assert_eq!(titles, vec!["Test Site · Notes", "B note", "A note"]);
    assert!(rss.contains("<description>Short notes.</description>"));
    assert!(site
        .read("public/notes/atom.xml")
        .contains("<title>Test Site · Notes</title>"));
    assert!(site.exists("public/posts/rss.xml"));
    assert_eq!(
        site.html("public/notes/index.html")
            .attrs("link[rel=alternate]", "href")[3..],
        [
            "https://example.org/notes/rss.xml".to_string(),
            "https://example.org/notes/atom.xml".to_string(),
            "https://example.org/notes/feed.json".to_string()
        ]
    );

    // Not a true or false: an error at the key.
    site.file(
        "content/notes/_index.md",
        "---\ntitle: Notes\nfeed: yes please\n---\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/notes/_index.md:3:1: error: `feed` must be true or false");
}

#[test]
fn a_sites_own_base_html_needs_only_the_blocks_it_always_needed() {
    // A base.html written against the built-in templates' contract: the
    // blocks title, description and content. The built-in page, section
    // and term templates fill only those, whatever the theme grows.
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Own\"\nbase_url = \"https://example.org\"\n\
         taxonomies = [{ name = \"tags\", feed = true }]\n",
    );
    site.file(
        "templates/base.html",
        "<!doctype html><html lang=\"en\"><title>{% block title %}{% endblock title %}</title>\
         <meta name=\"description\" content=\"{% block description %}{% endblock description %}\">\
         <main>{% block content %}{% endblock content %}</main></html>",
    );
    site.file(
        "content/posts/_index.md",
        "---\ntitle: Posts\nfeed: true\n---\n",
    );
    site.post("a", "title: A\ndate: 2024-01-01\ntags: [x]", "A.");
    site.build(&[]).assert_ok();
    for page in [
        "public/posts/a/index.html",
        "public/posts/index.html",
        "public/tags/x/index.html",
        "public/index.html",
    ] {
        let html = site.read(page);
        assert!(
            html.starts_with("<!doctype html><html lang=\"en\"><title>"),
            "{page}: {html}"
        );
    }
}
