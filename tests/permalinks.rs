//! Permalinks as Jekyll, Hugo and Zola sites set them: every placeholder
//! and Jekyll's styles in config.toml, a page's own `permalink`, `url` or
//! `path`, and a base URL with a path prefix, each checked on the files a
//! build writes. One small fixture site per behaviour.

mod common;

use common::SiteTest;

fn site(permalinks: &str) -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        &format!(
            "title = \"Old blog\"\nbase_url = \"https://example.org\"\n[permalinks]\n{permalinks}"
        ),
    );
    site
}

/// Every file under public/ a page or redirect was written to, without the
/// site-wide ones.
fn page_files(site: &SiteTest) -> Vec<String> {
    let public = site.path("public");
    let mut found = Vec::new();
    let mut stack = vec![public.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(&public).expect("inside");
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn jekyll_styles_and_a_custom_pattern_write_the_files_jekyll_writes() {
    let site = site(
        "pretty = \"pretty\"\ndate = \"date\"\nordinal = \"ordinal\"\nnone = \"none\"\n\
         custom = \"/blog/:short_year/:i_month/:i_day/:title:output_ext\"\n",
    );
    for section in ["pretty", "date", "ordinal", "none", "custom"] {
        site.file(
            &format!("content/{section}/2020-01-02-Hello-World.md"),
            "---\ntitle: Hello\ncategories: [Rust, Web Dev]\n---\nBody.\n",
        );
        site.file(
            &format!("content/{section}/2021-11-30-no-categories.md"),
            "---\ntitle: Plain\n---\nBody.\n",
        );
    }
    site.build(&[]).assert_ok();
    let files = page_files(&site);
    for expected in [
        "rust/web-dev/2020/01/02/Hello-World/index.html",
        "2021/11/30/no-categories/index.html",
        "rust/web-dev/2020/01/02/Hello-World.html",
        "2021/11/30/no-categories.html",
        "rust/web-dev/2020/002/Hello-World.html",
        "2021/334/no-categories.html",
        "rust/web-dev/Hello-World.html",
        "no-categories.html",
        "blog/20/1/2/Hello-World.html",
        "blog/21/11/30/no-categories.html",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "no {expected} in {files:#?}"
        );
    }
    // Lists, feeds and the sitemap link the file itself.
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/2021/11/30/no-categories.html</loc>"));
    assert!(site
        .read("public/rss.xml")
        .contains("https://example.org/rust/web-dev/Hello-World.html"));
    assert!(site
        .html("public/date/index.html")
        .attrs("a", "href")
        .contains(&"https://example.org/2021/11/30/no-categories.html".to_string()));
}

#[test]
fn hugo_and_zola_placeholders_name_the_file_and_its_sections() {
    let site =
        site("notes = \"/:sections/:slugorfilename/\"\nbundles = \"/b/:contentbasename/\"\n");
    site.file("content/notes/deep/Some Note.md", "# One\n\nBody.\n");
    site.file(
        "content/notes/deep/other.md",
        "---\nslug: chosen\n---\n# Two\n",
    );
    site.file("content/bundles/my-trip/index.md", "# Trip\n\nBody.\n");
    site.build(&[]).assert_ok();
    assert!(site.exists("public/notes/deep/some-note/index.html"));
    assert!(site.exists("public/notes/deep/chosen/index.html"));
    assert!(site.exists("public/b/my-trip/index.html"));
}

#[test]
fn a_pages_own_permalink_url_or_path_wins_over_the_pattern() {
    let site = site("posts = \"date\"\n");
    for (name, front_matter) in [
        ("jekyll-dir", "permalink: /about/"),
        ("jekyll-file", "permalink: /old/page.html"),
        ("jekyll-bare", "permalink: /bare"),
        ("jekyll-placeholders", "permalink: /:year/:title/"),
        ("hugo", "url: /hugo/here/"),
        ("hugo-relative", "url: hugo/relative"),
        ("zola", "path: zola/there"),
    ] {
        site.file(
            &format!("content/posts/2020-01-02-{name}.md"),
            &format!("---\ntitle: {name}\n{front_matter}\n---\nBody.\n"),
        );
    }
    site.build(&[]).assert_ok();
    for expected in [
        "about/index.html",
        "old/page.html",
        "bare/index.html",
        "2020/jekyll-placeholders/index.html",
        "hugo/here/index.html",
        "hugo/relative/index.html",
        "zola/there/index.html",
    ] {
        assert!(site.exists(&format!("public/{expected}")), "no {expected}");
    }
    assert!(!site.exists("public/2020/01/02/jekyll-dir.html"));
}

#[test]
fn an_unsafe_own_url_is_an_error_at_its_line() {
    let site = site("");
    site.post("up", "title: Up\npermalink: /../../etc/", "Body.");
    site.post(
        "full",
        "title: Full\nurl: https://elsewhere.example/a/",
        "Body.",
    );
    site.post("nul", "title: Nul\npath: \"a\\0b\"", "Body.");
    site.post("number", "title: Number\npermalink: 12", "Body.");
    site.post("token", "title: Token\npermalink: /:year/:nope/", "Body.");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/up.md:3:1: error: `permalink` `/../../etc/` contains `.` or `..`; write the path from the site root")
        .assert_stderr_has("content/posts/full.md:3:1: error: `url` `https://elsewhere.example/a/` is a full URL")
        .assert_stderr_has("content/posts/nul.md:3:1: error: `path` `a\\0b` contains a NUL byte")
        .assert_stderr_has("content/posts/number.md:3:1: error: `permalink` must be a path like /about/")
        .assert_stderr_has("content/posts/token.md:3:1: error: unknown placeholder `:nope` in `permalink`; the placeholders are :year :month");
}

#[test]
fn an_unknown_placeholder_is_a_config_error_at_its_line() {
    let site = site("posts = \"/:year/:titel/\"\n");
    site.post("a", "title: A\ndate: 2020-01-02", "Body.");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("config.toml:4:1: error: permalink for `posts`: unknown placeholder `:titel` in `/:year/:titel/`; the placeholders are :year :month :day :i_month :i_day :short_year :y_day")
        .assert_stderr_has("hint: write a pattern like \"/:year/:month/:day/:title/\" or a Jekyll style: date, pretty, ordinal, weekdate or none");
}

#[test]
fn two_pages_on_one_permalink_are_an_error_naming_both() {
    let site = site("posts = \"none\"\n");
    site.file("content/posts/2020-01-02-same.md", "# One\n");
    site.file("content/posts/2021-05-06-same.md", "# Two\n");
    site.file(
        "content/posts/other.md",
        "---\npermalink: /same.html\n---\n# Three\n",
    );
    let run = site.build(&[]);
    run.assert_fails().assert_stderr_has("`/same.html` is claimed twice: by content/posts/2020-01-02-same.md and by content/posts/2021-05-06-same.md");
}

#[test]
fn a_base_url_path_prefix_is_in_every_url_the_site_writes() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Steps\"\nbase_url = \"https://example.org/babysteps/\"\n\
         [permalinks]\nposts = \"date\"\n",
    );
    site.file(
        "content/posts/2020-01-02-first.md",
        "---\ntitle: First\naliases: [/old/first/]\ntags: [rust]\n---\n\
         To [the second](/babysteps/2020/01/03/second.html) and ![a file](/babysteps/notes.txt).\n",
    );
    site.file("content/posts/2020-01-03-second.md", "# Second\n\nBody.\n");
    site.file("static/notes.txt", "notes\n");
    // Links written with the prefix are the site's own: a strict build passes.
    site.build(&["--strict"]).assert_ok();
    let first = "https://example.org/babysteps/2020/01/02/first.html";
    let second = "https://example.org/babysteps/2020/01/03/second.html";
    assert!(site.exists("public/2020/01/02/first.html"));

    let home = site.html("public/index.html");
    let links = home.attrs("a", "href");
    assert!(links.contains(&first.to_string()), "{links:#?}");
    assert!(site
        .html("public/2020/01/02/first.html")
        .attrs("a", "href")
        .contains(&"https://example.org/babysteps/tags/rust/".to_string()));
    // The stylesheet by its fingerprinted name, under the prefix, on the
    // host (same-origin, as its integrity attribute needs).
    let css = home.attrs("link[rel=stylesheet]", "href");
    assert!(
        css.iter()
            .any(|h| h.starts_with("/babysteps/style.") && h.ends_with(".css") && h.len() > 25),
        "{css:#?}"
    );
    assert!(site
        .read("public/_headers")
        .starts_with("# Written by blog\n/babysteps/*\n"));
    assert!(home
        .attrs("link[type='application/rss+xml']", "href")
        .contains(&"https://example.org/babysteps/rss.xml".to_string()));

    let rss = site.read("public/rss.xml");
    assert!(rss.contains(&format!("<link>{first}</link>")), "{rss}");
    assert!(rss.contains(&format!("href=&quot;{second}&quot;")), "{rss}");
    assert!(
        rss.contains("src=&quot;https://example.org/babysteps/notes.txt&quot;"),
        "{rss}"
    );
    assert!(
        rss.contains("<atom:link href=\"https://example.org/babysteps/rss.xml\""),
        "{rss}"
    );
    let atom = site.read("public/atom.xml");
    assert!(atom.contains(&format!("href=\"{first}\"")), "{atom}");
    assert!(
        atom.contains("href=\"https://example.org/babysteps/atom.xml\""),
        "{atom}"
    );

    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>{first}</loc>")),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/babysteps/</loc>"),
        "{sitemap}"
    );
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://example.org/babysteps/sitemap.xml"));

    let alias = site.html("public/old/first/index.html");
    assert_eq!(alias.attrs("link[rel=canonical]", "href"), vec![first]);
    assert_eq!(
        site.read("public/_redirects"),
        "/babysteps/old/first/  /babysteps/2020/01/02/first.html  301!\n"
    );
}

/// Posts as a Jekyll site has them in `_posts/`: file name and front matter.
const JEKYLL_POSTS: [(&str, &str); 6] = [
    (
        "2020-01-02-Hello-World.md",
        "title: Hello\ncategories: [Rust, Web]",
    ),
    ("2021-11-30-no-categories.md", "title: Plain"),
    ("2019-05-06-own.md", "title: Own\npermalink: /own/place/"),
    ("2022-02-03-C++ & Rust.md", "title: Both\ncategory: lang"),
    ("2023-12-31-日本語.md", "title: Japanese"),
    ("2018-07-08-renamed.md", "title: Renamed\nslug: Chosen Name"),
];

/// The real Jekyll (Debian's, installed by scripts/test-deps.sh): for
/// each permalink style and a custom pattern, every file it writes for the
/// posts is a file blog writes for the same posts with the same setting.
#[test]
fn blog_writes_the_files_real_jekyll_writes() {
    for permalink in [
        "date",
        "pretty",
        "ordinal",
        "weekdate",
        "none",
        "/:categories/:short_year/:i_month/:i_day/:title:output_ext",
        "/blog/:year/:y_day/:title/",
    ] {
        let jekyll = SiteTest::new();
        jekyll.file("_config.yml", &format!("permalink: \"{permalink}\"\n"));
        let blog = site(&format!("posts = \"{permalink}\"\n"));
        for (name, front_matter) in JEKYLL_POSTS {
            let text = format!("---\n{front_matter}\n---\nBody.\n");
            jekyll.file(&format!("_posts/{name}"), &text);
            blog.file(&format!("content/posts/{name}"), &text);
        }
        let ran = std::process::Command::new("jekyll")
            .args(["build", "--quiet", "--safe"])
            .current_dir(jekyll.root())
            .output();
        let ran = ran.unwrap_or_else(|e| {
            panic!("running jekyll ({e}): scripts/test-deps.sh installs it from Debian")
        });
        assert!(
            ran.status.success(),
            "jekyll failed: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
        blog.build(&[]).assert_ok();
        let mut written = Vec::new();
        let mut stack = vec![jekyll.path("_site")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read_dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(jekyll.path("_site")).expect("inside");
                    written.push(rel.to_string_lossy().into_owned());
                }
            }
        }
        assert_eq!(
            written.len(),
            JEKYLL_POSTS.len(),
            "{permalink}: {written:#?}"
        );
        let ours = page_files(&blog);
        for file in &written {
            assert!(
                ours.contains(file),
                "{permalink}: Jekyll wrote {file}, blog did not; blog wrote {ours:#?}"
            );
        }
    }
}

/// `timezone` as Jekyll's and Hugo's: a date with an offset lands on its
/// day in the site's zone, one without is read in it; the page shows that.
#[test]
fn dates_are_placed_in_the_sites_time_zone() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\ntimezone = \"Europe/Berlin\"\n[permalinks]\nposts = \"/:year/:month/:day/:slug/\"\n",
    )
    .post("late", "title: Late\ndate: 2020-05-20 23:30:00 -0500", "x")
    .post("plain", "title: Plain\ndate: 2020-01-02 08:00:00", "x");
    site.build(&[]).assert_ok();
    assert!(site.exists("public/2020/05/21/late/index.html"));
    let plain = site.read("public/2020/01/02/plain/index.html");
    assert!(plain.contains("2020-01-02T08:00:00+01:00"), "{plain}");
    // Without a zone, the date as written.
    let site2 = SiteTest::new();
    site2
        .file("config.toml", "title = \"T\"\nbase_url = \"https://example.org\"\n[permalinks]\nposts = \"/:year/:month/:day/:slug/\"\n")
        .post("late", "title: Late\ndate: 2020-05-20 23:30:00 -0500", "x");
    site2.build(&[]).assert_ok();
    assert!(site2.exists("public/2020/05/20/late/index.html"));
}

#[test]
fn an_unknown_time_zone_is_an_error_at_its_line() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\ntimezone = \"Mars/Olympus\"\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has(
            "config.toml:3:1: error: timezone `Mars/Olympus` is not a time zone this machine knows",
        )
        .assert_stderr_has("IANA name");
    let hugo_key = SiteTest::new();
    hugo_key.file("config.toml", "timeZone = \"Europe/Berlin\"\n");
    hugo_key
        .build(&[])
        .assert_fails()
        .assert_stderr_has("the site's time zone is `timezone` here");
}
