//! Feeds, sitemap, drafts and the output directory: what `blog build` writes
//! around the pages, and what it refuses to touch.

mod common;

use common::SiteTest;

const CONFIG: &str =
    "title = \"Feed & Co\"\nbase_url = \"https://example.org\"\ndescription = \"About <things>\"\n";

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file("config.toml", CONFIG);
    site.post("old", "title: Old\ndate: 2020-01-01", "Old post.");
    site.post(
        "new",
        "title: New & <Shiny>\ndate: 2024-01-01\ntags: [x]",
        "See [the old one](/posts/old/) and ![img](/i.png).\n\n<!-- more -->\n\nRest.",
    );
    site.post(
        "draft",
        "title: Draft\ndate: 2023-01-01\ndraft: true",
        "Not yet.",
    );
    site.post("future", "title: Future\ndate: 2999-01-01", "Later.");
    site
}

fn children<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    node.descendants()
        .filter(|n| n.tag_name().name() == name)
        .collect()
}

fn child_text(node: roxmltree::Node, name: &str) -> String {
    node.children()
        .find(|n| n.tag_name().name() == name)
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn rss_lists_published_posts_newest_first_with_absolute_links() {
    let site = site();
    site.build(&[]).assert_ok();
    let text = site.read("public/rss.xml");
    let doc = roxmltree::Document::parse(&text).expect("rss.xml is well-formed XML");
    assert_eq!(doc.root_element().attribute("version"), Some("2.0"));
    let channel = children(doc.root_element(), "channel")[0];
    assert_eq!(child_text(channel, "title"), "Feed & Co");
    assert_eq!(child_text(channel, "description"), "About <things>");
    let items = children(channel, "item");
    let titles: Vec<String> = items.iter().map(|i| child_text(*i, "title")).collect();
    assert_eq!(titles, vec!["New & <Shiny>", "Old"]);
    assert_eq!(
        child_text(items[0], "link"),
        "https://example.org/posts/new/"
    );
    assert_eq!(
        child_text(items[0], "pubDate"),
        "Mon, 1 Jan 2024 00:00:00 +0000"
    );
    let description = child_text(items[0], "description");
    assert!(
        description.contains("href=\"https://example.org/posts/old/\""),
        "{description}"
    );
    assert!(
        description.contains("src=\"https://example.org/i.png\""),
        "{description}"
    );
    assert!(!text.contains("Draft") && !text.contains("Future"));
}

#[test]
fn atom_is_valid_and_honours_the_limit() {
    let site = site();
    site.file(
        "config.toml",
        &format!("{CONFIG}[feed]\nlimit = 1\nfull_content = false\n"),
    );
    site.build(&[]).assert_ok();
    let text = site.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&text).expect("atom.xml is well-formed XML");
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(child_text(feed, "updated"), "2024-01-01T00:00:00Z");
    let entries = children(feed, "entry");
    assert_eq!(entries.len(), 1);
    assert_eq!(child_text(entries[0], "title"), "New & <Shiny>");
    assert_eq!(
        child_text(entries[0], "id"),
        "https://example.org/posts/new/"
    );
    let summary = child_text(entries[0], "summary");
    assert!(
        summary.contains("the old one") && !summary.contains("Rest."),
        "{summary}"
    );
}

#[test]
fn feeds_can_be_turned_off() {
    let site = site();
    site.file("config.toml", &format!("{CONFIG}[feed]\nrss = false\n"));
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/rss.xml"));
    assert!(site.exists("public/atom.xml"));
    assert_eq!(
        site.html("public/index.html")
            .count("link[type=\"application/rss+xml\"]"),
        0
    );
    // JSON Feed beside them, with its link, until it is turned off too.
    let home = site.html("public/index.html");
    assert_eq!(
        home.attrs("link[type=\"application/feed+json\"]", "href"),
        vec!["https://example.org/feed.json"]
    );
    let feed: serde_json::Value =
        serde_json::from_str(&site.read("public/feed.json")).expect("feed.json is JSON");
    let titles: Vec<&str> = feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        vec!["New & <Shiny>", "Old"],
        "no draft, no future post"
    );
    site.file("config.toml", &format!("{CONFIG}[feed]\njson = false\n"));
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/feed.json"));
    assert_eq!(
        site.html("public/index.html")
            .count("link[type=\"application/feed+json\"]"),
        0
    );
}

#[test]
fn drafts_and_future_posts_only_with_the_flag_and_never_in_feeds_or_sitemap() {
    let site = site();
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/posts/draft"));
    assert!(!site.exists("public/posts/future"));
    assert_eq!(
        site.html("public/index.html").texts(".post-list h2"),
        vec!["New & <Shiny>", "Old"]
    );

    site.build(&["--drafts"]).assert_ok();
    assert!(site.exists("public/posts/draft/index.html"));
    assert!(site.exists("public/posts/future/index.html"));
    assert_eq!(
        site.html("public/index.html").texts(".post-list h2"),
        vec!["Future", "New & <Shiny>", "Draft", "Old"]
    );
    for file in ["rss.xml", "atom.xml", "sitemap.xml"] {
        let text = site.read(&format!("public/{file}"));
        assert!(
            !text.contains("/posts/draft/") && !text.contains("/posts/future/"),
            "{file} lists a draft"
        );
    }
}

#[test]
fn sitemap_lists_pages_and_lists_and_robots_names_it() {
    let site = site();
    site.build(&[]).assert_ok();
    let text = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is well-formed XML");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<String> = children(doc.root_element(), "loc")
        .iter()
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    for expected in [
        "https://example.org/",
        "https://example.org/posts/new/",
        "https://example.org/posts/old/",
        "https://example.org/tags/x/",
        "https://example.org/archive/",
    ] {
        assert!(
            locs.contains(&expected.to_string()),
            "{expected} missing from {locs:?}"
        );
    }
    assert!(!locs.iter().any(|l| l.contains("404")));
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
    );
}

#[test]
fn a_deleted_post_leaves_no_stale_file() {
    let site = site();
    site.build(&[]).assert_ok();
    assert!(site.exists("public/posts/old/index.html"));
    site.remove("content/posts/old.md");
    // The link to it is now broken, which fails a strict build; drop it too.
    site.build(&["--strict"]).assert_fails();
    assert!(
        site.exists("public/posts/old/index.html"),
        "a failed build changes nothing"
    );
    site.post(
        "new",
        "title: New\ndate: 2024-01-01",
        "The old one is gone.",
    );
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/posts/old"));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .expect("read root")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("blog-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_deployment_repository_in_the_output_survives_every_build() {
    let site = site();
    site.file("static/.well-known/security.txt", "Contact: me");
    site.build(&[]).assert_ok();
    // The author publishes public/ from a repository of its own (GitHub
    // Pages), made inside it after the first build.
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.email=a@b", "-c", "user.name=A"])
            .args(args)
            .current_dir(site.path("public"))
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "first deploy"]);
    site.file("public/.nojekyll", "");
    for _ in 0..3 {
        site.build(&[]).assert_ok();
        assert!(git(&["log", "--format=%s"]).contains("first deploy"));
        assert!(site.exists("public/.nojekyll"));
    }
    // The site's own dotfolder is the build's: gone when static/ drops it.
    assert_eq!(site.read("public/.well-known/security.txt"), "Contact: me");
    site.remove("static/.well-known/security.txt");
    std::fs::remove_dir(site.path("static/.well-known")).expect("rmdir");
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/.well-known"));
    assert!(git(&["status", "--short"]).contains(".well-known"));
}

#[test]
fn output_flag_writes_elsewhere() {
    let site = site();
    site.build(&["--output", "out/site"]).assert_ok();
    assert!(site.exists("out/site/posts/new/index.html"));
    assert!(!site.exists("public"));
}

#[test]
fn refuses_output_directories_that_hold_the_authors_files() {
    let site = site();
    site.file("notes/keep.txt", "mine");
    for target in [".", "content", "content/posts", "notes"] {
        let run = site.build(&["--output", target]);
        run.assert_fails()
            .assert_stderr_has("refusing to write the site here");
    }
    assert_eq!(site.read("notes/keep.txt"), "mine");
    assert!(site.exists("content/posts/new.md"));
}

#[test]
fn quiet_prints_nothing_and_verbose_prints_stages() {
    let site = site();
    let run = site.build(&["--quiet"]);
    run.assert_ok();
    assert_eq!(run.stdout, "");
    let run = site.build(&["--verbose"]);
    assert!(run.stdout.contains("render and write"), "{}", run.stdout);
    // Not a terminal (as in CI): no progress line, no escape codes.
    assert!(
        !run.stderr.contains('\r') && !run.stderr.contains('\x1b'),
        "{:?}",
        run.stderr
    );
}

/// Rebuilds start from the site two builds back; the result must be exactly
/// what a build from nothing gives.
#[test]
fn rebuilds_from_the_spare_equal_a_fresh_build() {
    let site = site();
    site.post(
        "extra",
        "title: Extra\ndate: 2022-01-01\ntags: [gone]",
        "Soon deleted.",
    );
    site.file("static/keep.txt", "v1");
    site.file("static/drop.txt", "bye");
    site.build(&[]).assert_ok();
    site.post("new", "title: Newer title\ndate: 2024-01-01", "Edited.");
    site.build(&[]).assert_ok();
    site.remove("content/posts/extra.md");
    site.remove("static/drop.txt");
    site.file("static/keep.txt", "v2");
    site.file(
        "content/posts/extra/index.md",
        "---\ntitle: Now a bundle\n---\nHere.",
    );
    site.build(&[]).assert_ok();
    site.run_env(&["build", "--output", "fresh"], &[("BLOG_CACHE_DIR", "")])
        .assert_ok();
    assert_eq!(tree(&site.path("public")), tree(&site.path("fresh")));
    assert!(!site.exists("public/drop.txt") && !site.exists("public/tags/gone"));
    assert_eq!(site.read("public/keep.txt"), "v2");
}

/// The number in `-v`'s "Wrote N files to DIR (M rendered from templates)".
fn rendered(run: &common::Run) -> usize {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("Wrote "))
        .unwrap_or_else(|| panic!("no Wrote line in {}", run.stdout));
    let count = line
        .rsplit_once(" (")
        .and_then(|(_, rest)| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no count in {line}"));
    count
        .parse()
        .unwrap_or_else(|_| panic!("no count in {line}"))
}

/// A rebuild keeps the pages whose inputs did not change as the spare
/// holds them, without rendering them; whatever changed is rendered, and
/// a kept file whose bytes are not those written (edited by hand in the
/// output, damaged) is rendered again. Each result equals a fresh build.
#[test]
fn rebuilds_render_only_what_changed_and_never_keep_a_damaged_page() {
    let site = site();
    for n in 0..6 {
        site.post(
            &format!("p{n}"),
            &format!("title: Post {n}\ndate: 2021-0{}-01", n + 1),
            "Text.",
        );
    }
    let fresh = |name: &str| {
        site.run_env(&["build", "--output", name], &[("BLOG_CACHE_DIR", "")])
            .assert_ok();
        let out = tree(&site.path(name));
        std::fs::remove_dir_all(site.path(name)).expect("remove fresh");
        out
    };
    let build = || {
        let run = site.build(&["-v"]);
        run.assert_ok();
        run
    };
    // The first two builds have no spare to keep pages from.
    let all = rendered(&build());
    assert!(all > 10, "{all}");
    assert_eq!(rendered(&build()), all);
    assert_eq!(rendered(&build()), 0, "nothing changed");
    same(tree(&site.path("public")), fresh("fresh"));

    // A new body: that post's page, and the lists that show its summary.
    site.post("p3", "title: Post 3\ndate: 2021-04-01", "Other text.");
    let run = build();
    let changed = rendered(&run);
    assert!(changed > 0 && changed < all / 2, "{changed} of {all}");
    assert!(site
        .read("public/posts/p3/index.html")
        .contains("Other text."));
    same(tree(&site.path("public")), fresh("fresh"));

    // A new title shows in the neighbours' links: those pages are rendered.
    site.post("p3", "title: Renamed\ndate: 2021-04-01", "Other text.");
    build();
    assert!(site.read("public/posts/p2/index.html").contains("Renamed"));
    assert!(site.read("public/posts/p4/index.html").contains("Renamed"));
    same(tree(&site.path("public")), fresh("fresh"));

    // The output edited by hand: the two sites the next builds start from
    // both have the edit, and neither keeps it.
    let page = "public/posts/p1/index.html";
    let good = site.read(page);
    let same_length = "x".repeat(good.len());
    // With its modification time put back, as a copy that keeps times
    // would: only the change time tells, and it is what a kept page's
    // stamp holds.
    let modified = std::fs::metadata(site.path(page))
        .and_then(|m| m.modified())
        .expect("mtime");
    site.file(page, &same_length);
    std::fs::File::options()
        .write(true)
        .open(site.path(page))
        .and_then(|f| f.set_modified(modified))
        .expect("mtime put back");
    build();
    site.file(page, "truncated");
    build();
    assert_eq!(site.read(page), good);
    build();
    assert_eq!(site.read(page), good);
    same(tree(&site.path("public")), fresh("fresh"));

    // A template edit renders what uses it.
    let theme_page = site.read("public/posts/p0/index.html");
    site.file(
        "templates/page.html",
        "<!doctype html><title>{{ page.title }}</title><main>{{ page.content | safe }}<p>new template</p></main>",
    );
    build();
    assert!(site
        .read("public/posts/p0/index.html")
        .contains("new template"));
    assert_ne!(site.read("public/posts/p0/index.html"), theme_page);
    same(tree(&site.path("public")), fresh("fresh"));
}

/// The two trees hold the same files with the same bytes; names the ones
/// that differ.
fn same(got: Vec<(String, Vec<u8>)>, want: Vec<(String, Vec<u8>)>) {
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want));
    let differ: Vec<&String> = got
        .iter()
        .zip(&want)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| &a.0)
        .collect();
    assert!(
        differ.is_empty(),
        "these differ from a fresh build: {differ:?}"
    );
}

fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                let mut bytes = std::fs::read(&path).expect("read");
                if rel == ".blog-output" {
                    // Names the record of what this build rendered, if any.
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let kept: Vec<&str> = text
                        .lines()
                        .filter(|l| !l.starts_with("rendered: "))
                        .collect();
                    bytes = kept.join("\n").into_bytes();
                }
                out.push((rel, bytes));
            }
        }
    }
    out.sort();
    out
}

/// The `href`s of a page's stylesheet links, with their `integrity`.
fn stylesheets(site: &SiteTest, page: &str) -> Vec<(String, String)> {
    let html = site.html(page);
    html.attrs("link[rel=stylesheet]", "href")
        .into_iter()
        .zip(html.attrs("link[rel=stylesheet]", "integrity"))
        .collect()
}

fn sri(bytes: &[u8]) -> String {
    use base64::Engine;
    let digest = ring::digest::digest(&ring::digest::SHA384, bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}

#[test]
fn css_and_js_are_published_by_content_hash_with_integrity_and_no_stale_names() {
    let site = site();
    site.file("static/js/menu.min.js", "console.log(1);\n");
    site.build(&[]).assert_ok();
    let links = stylesheets(&site, "public/index.html");
    assert_eq!(links.len(), 2, "{links:?}");
    for (href, integrity) in &links {
        // The file is there, and the browser's check of it passes.
        let rel = href.trim_start_matches('/');
        assert!(
            rel.starts_with("style.") || rel.starts_with("syntax."),
            "{href}"
        );
        let bytes = std::fs::read(site.path(&format!("public/{rel}"))).expect("fingerprinted file");
        assert_eq!(integrity, &sri(&bytes), "{href}");
    }
    // The plain names are still published, byte for byte the same.
    let style = &links[0].0;
    assert_eq!(
        site.read(&format!("public{style}")),
        site.read("public/style.css")
    );
    let headers = site.read("public/_headers");
    assert!(
        headers.contains(&format!(
            "\n{style}\n  Cache-Control: public, max-age=31536000, immutable\n"
        )),
        "{headers}"
    );
    // The site's own script too, in its folder, extension kept.
    let js: Vec<String> = std::fs::read_dir(site.path("public/js"))
        .expect("js/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        js.iter()
            .any(|n| n.starts_with("menu.min.") && n.ends_with(".js") && n.len() == 28),
        "{js:?}"
    );

    // Same bytes, same names; the pages are not changed by a rebuild.
    site.build(&[]).assert_ok();
    assert_eq!(stylesheets(&site, "public/index.html"), links);

    // New bytes: a new name on every page, the old one gone.
    site.file("static/style.css", "body { color: rebeccapurple }\n");
    site.build(&[]).assert_ok();
    let after = stylesheets(&site, "public/posts/old/index.html");
    assert_ne!(after[0], links[0]);
    assert_eq!(after[1], links[1], "syntax.css did not change");
    assert_eq!(after, stylesheets(&site, "public/index.html"));
    assert!(!site.exists(&format!("public{style}")), "{style} lingers");
    assert_eq!(
        site.read(&format!("public{}", after[0].0)),
        "body { color: rebeccapurple }\n"
    );
}

#[test]
fn asset_url_names_a_missing_file_and_the_site_keeps_its_own_headers() {
    let site = site();
    site.file("static/_headers", "/secret/*\n  X-Robots-Tag: noindex");
    site.build(&[]).assert_ok();
    let headers = site.read("public/_headers");
    assert!(
        headers.starts_with("/secret/*\n  X-Robots-Tag: noindex\n# Written by blog\n/*\n"),
        "{headers}"
    );
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<script src=\"{{ asset_url(path=\"menu.js\") }}\"></script>{% endblock content %}",
    );
    site.file("static/menu.jss", "x");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("templates/page.html")
        .assert_stderr_has("`menu.js` is not a static file")
        .assert_stderr_has("did you mean `menu.jss`?");
}

#[test]
fn sass_is_compiled_with_partials_the_theme_and_indented_syntax() {
    let site = site();
    site.file("config.toml", &format!("{CONFIG}theme = \"plain\"\n"));
    site.file(
        "themes/plain/templates/base.html",
        "<link rel=\"stylesheet\" href=\"{{ asset_url(path=\"css/site.css\", relative=true) }}\">{% block content %}{% endblock content %}",
    );
    for t in [
        "page",
        "section",
        "index",
        "taxonomy_list",
        "taxonomy_term",
        "archive",
        "404",
    ] {
        site.file(
            &format!("themes/plain/templates/{t}.html"),
            "{% extends \"base.html\" %}",
        );
    }
    site.file("themes/plain/sass/_colors.scss", "$ink: #123456;\n");
    site.file("themes/plain/sass/theme.scss", "p { margin: 0 }\n");
    site.file("themes/plain/sass/replaced.scss", "p { color: theme }\n");
    site.file(
        "sass/css/site.scss",
        "@use \"colors\";\n@use \"mixins\";\nbody { color: colors.$ink; a { @include mixins.plain; } }\n",
    );
    site.file(
        "sass/css/_mixins.scss",
        "@mixin plain { text-decoration: none; }\n",
    );
    site.file("sass/print.sass", "nav\n  display: none\n");
    site.file("sass/replaced.scss", "p { color: site }\n");
    site.build(&[]).assert_ok();
    assert_eq!(
        site.read("public/css/site.css"),
        "body {\n  color: #123456;\n}\nbody a {\n  text-decoration: none;\n}\n"
    );
    assert_eq!(
        site.read("public/print.css"),
        "nav {\n  display: none;\n}\n"
    );
    assert_eq!(site.read("public/theme.css"), "p {\n  margin: 0;\n}\n");
    assert_eq!(site.read("public/replaced.css"), "p {\n  color: site;\n}\n");
    // Partials and the sources are not published.
    for gone in [
        "public/css/_mixins.css",
        "public/_colors.css",
        "public/css/site.scss",
    ] {
        assert!(!site.exists(gone), "{gone}");
    }
    // Reached by its fingerprinted name like any stylesheet.
    let href = &site
        .html("public/posts/old/index.html")
        .attrs("link[rel=stylesheet]", "href")[0];
    assert!(
        href.starts_with("/css/site.") && href.len() == "/css/site.".len() + 20,
        "{href}"
    );
    assert_eq!(
        site.read(&format!("public{href}")),
        site.read("public/css/site.css")
    );
}

#[test]
fn a_sass_error_names_the_partial_line_and_column_and_keeps_the_last_site() {
    let site = site();
    site.file(
        "sass/site.scss",
        "@use \"vars\";\nbody { color: vars.$ink; }\n",
    );
    site.file("sass/_vars.scss", "$ink: #333;\n");
    site.build(&[]).assert_ok();
    let before = site.read("public/site.css");
    site.file("sass/_vars.scss", "$ink: #333;\n$bad: (1 + ;\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("sass/_vars.scss:2:")
        .assert_stderr_has("Sass: ")
        .assert_stderr_has("compiled for sass/site.scss");
    assert_eq!(site.read("public/site.css"), before);
    assert_eq!(site.read("sass/_vars.scss"), "$ink: #333;\n$bad: (1 + ;\n");
    // A stylesheet that both static/ and sass/ would publish.
    site.file("sass/_vars.scss", "$ink: #333;\n");
    site.file("static/site.css", "body {}");
    site.build(&[]).assert_fails().assert_stderr_has(
        "sass/site.scss: error: `/site.css` is claimed twice: by this file and by static/site.css",
    );
}

#[test]
fn a_post_carries_json_ld_that_no_title_can_break_and_rel_me_links() {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Feed & Co\"\nbase_url = \"https://example.org\"\nauthor = \"Ada\"\n[extra]\nme = [\"https://social.example/@ada\", \"https://code.example/ada\"]\n",
    );
    site.post(
        "x",
        "title: \"A </script><b>bold</b> & more\"\ndate: 2024-03-04T05:06:07Z\nupdated: 2024-04-01\ndescription: About x",
        "Body.",
    );
    site.post("undated", "title: Undated", "Body.");
    site.build(&["--strict"]).assert_ok();
    let page = site.html("public/posts/x/index.html");
    let scripts = page.texts("script[type=\"application/ld+json\"]");
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    assert!(!scripts[0].contains('<'), "{}", scripts[0]);
    let ld: serde_json::Value = serde_json::from_str(&scripts[0]).expect("JSON-LD is JSON");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "A </script><b>bold</b> & more");
    assert_eq!(ld["url"], "https://example.org/posts/x/");
    assert_eq!(ld["datePublished"], "2024-03-04T05:06:07Z");
    assert!(ld["dateModified"]
        .as_str()
        .is_some_and(|d| d.starts_with("2024-04-01")));
    assert_eq!(ld["description"], "About x");
    assert_eq!(ld["author"]["name"], "Ada");
    assert_eq!(ld["publisher"]["name"], "Feed & Co");
    assert_eq!(
        page.attrs("link[rel=me]", "href"),
        vec!["https://social.example/@ada", "https://code.example/ada"]
    );
    // What a page does not have is left out, not written as null.
    let undated = site.html("public/posts/undated/index.html");
    let ld: serde_json::Value =
        serde_json::from_str(&undated.texts("script[type=\"application/ld+json\"]")[0])
            .expect("JSON");
    let keys: Vec<&String> = ld.as_object().expect("object").keys().collect();
    assert!(
        !keys
            .iter()
            .any(|k| *k == "datePublished" || *k == "dateModified" || *k == "image"),
        "{keys:?}"
    );
    // Without a description, the summary describes the post.
    assert_eq!(ld["description"], "Body.");
    // Lists are not posts.
    assert_eq!(
        site.html("public/index.html")
            .count("script[type=\"application/ld+json\"]"),
        0
    );
}
