//! What stopped real blogs from building: the forms their posts were
//! written in by Jekyll, Hugo and Zola, each read as those generators read
//! it, with one small fixture site per behaviour.

mod common;

use common::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Old blog\"\nbase_url = \"https://example.org\"\n",
    );
    site
}

#[test]
fn dates_as_jekyll_ruby_and_hugo_write_them_are_read() {
    let site = site();
    for (slug, date) in [
        ("one-digit-offset", "2021-03-31T00:00:00-5:00"),
        ("spaced-offset", "2021-03-01 22:10:09 -0500"),
        ("dash-before-t", "2021-03-01-T22:10:09-05:00"),
        ("go-numeric-offset", "2006-01-02T15:04:05-0700"),
        ("go-offset-and-name", "2006-01-02 15:04:05 -07:00 MST"),
        ("day-month-year", "2 Jan 2006"),
        ("month-day-year", "January 2, 2006"),
        ("rfc1123", "Mon, 02 Jan 2006 15:04:05 GMT"),
    ] {
        site.post(slug, &format!("title: {slug}\ndate: {date}"), "Body.");
    }
    site.build(&[]).assert_ok();
    let time = |slug: &str| {
        site.html(&format!("public/posts/{slug}/index.html"))
            .attrs("article header time", "datetime")
    };
    for (slug, expected) in [
        ("one-digit-offset", "2021-03-31T00:00:00-05:00"),
        ("spaced-offset", "2021-03-01T22:10:09-05:00"),
        ("dash-before-t", "2021-03-01T22:10:09-05:00"),
        ("go-numeric-offset", "2006-01-02T15:04:05-07:00"),
        ("go-offset-and-name", "2006-01-02T15:04:05-07:00"),
        ("day-month-year", "2006-01-02T00:00:00Z"),
        ("month-day-year", "2006-01-02T00:00:00Z"),
        ("rfc1123", "2006-01-02T15:04:05Z"),
    ] {
        assert_eq!(time(slug), vec![expected], "{slug}");
    }
}

#[test]
fn an_unreadable_date_names_its_place_and_the_forms_there_are() {
    let site = site();
    site.post("when", "title: When\ndate: the 3rd of May", "Body.");
    site.post("zone", "title: Zone\ndate: 2021-03-01 10:00 CET", "Body.");
    site.post("never", "title: Never\ndate: February 30, 2021", "Body.");
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("content/posts/when.md:3:7: error: front matter: date: `the 3rd of May` is not a date\n  hint: write the date like 2024-03-01, 2024-03-01T09:30:00+02:00, 2024-03-01 09:30:00 -0500, Fri, 01 Mar 2024 09:30:00 +0200, 1 Mar 2024 or March 1, 2024")
        .assert_stderr_has("content/posts/zone.md:3:7: error: front matter: date: `2021-03-01 10:00 CET` is not a date: it has a time zone name")
        .assert_stderr_has("content/posts/never.md:3:7: error: front matter: date: `February 30, 2021` is not a date: 2021-02-30 is not a day of the calendar");
    assert!(!run.stderr.contains("YAML"), "{}", run.stderr);
}

#[test]
fn a_draft_file_name_is_a_draft_with_its_date_and_slug() {
    let site = site();
    site.file(
        "content/posts/DRAFT-2021-03-01-name.md",
        "# Not yet\n\nBody.\n",
    );
    site.file("content/posts/2021-02-01-published.md", "# Out\n\nBody.\n");
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/posts/name/index.html"));
    assert!(site.exists("public/posts/published/index.html"));
    site.build(&["--drafts"]).assert_ok();
    assert_eq!(
        site.html("public/posts/name/index.html")
            .attrs("article header time", "datetime"),
        vec!["2021-03-01T00:00:00Z"]
    );
}

#[test]
fn a_template_the_site_lacks_falls_back_with_one_warning_per_name() {
    let site = site();
    // Jekyll's `layout: post` on every post, Zola's `template` on a page and
    // on a section.
    for slug in ["a", "b", "c"] {
        site.post(
            slug,
            &format!("title: {slug}\nlayout: post\ndate: 2021-03-0{}", slug.len()),
            "Body.",
        );
    }
    site.file(
        "content/about.md",
        "+++\ntitle = \"About\"\ntemplate = \"about.html\"\n+++\nAbout me.\n",
    );
    site.file(
        "content/notes/_index.md",
        "+++\ntitle = \"Notes\"\n\ntemplate = \"notes.html\"\n+++\n",
    );
    site.file("content/notes/n.md", "# N\n\nA note.\n");
    let run = site.build(&[]);
    run.assert_ok()
        .assert_stderr_has("content/posts/a.md:3:1: warning: template `post.html` (from `layout: post`) does not exist in the site or its theme; built with page.html (and 2 more files asking for it)")
        .assert_stderr_has("hint: create templates/post.html")
        .assert_stderr_has("content/about.md:3:1: warning: template `about.html` does not exist in the site or its theme; built with page.html")
        .assert_stderr_has("content/notes/_index.md:4:1: warning: template `notes.html` does not exist in the site or its theme; built with section.html");
    assert_eq!(run.stderr.matches("warning:").count(), 3, "{}", run.stderr);
    assert!(run.stdout.contains("; 3 warnings"), "{}", run.stdout);
    assert_eq!(
        site.html("public/posts/b/index.html").text("article h1"),
        "b"
    );
    assert_eq!(
        site.html("public/about/index.html").text("article h1"),
        "About"
    );
    assert!(site.read("public/notes/index.html").contains("A note"));

    // The site's own template, once it has one, is used.
    site.file(
        "templates/post.html",
        "{% extends \"page.html\" %}{% block content %}<p id=\"own\">{{ page.title }}</p>{% endblock content %}",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert_eq!(run.stderr.matches("warning:").count(), 2, "{}", run.stderr);
    assert_eq!(site.html("public/posts/a/index.html").text("#own"), "a");

    // A strict build fails on them.
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("content/about.md:3:1: error: template `about.html` does not exist")
        .assert_stderr_has("build failed: 2 errors");
}

#[test]
fn an_alias_naming_the_pages_own_url_is_dropped_not_a_clash() {
    let site = site();
    site.post(
        "self",
        "title: Self\ndate: 2021-03-01\naliases: [/posts/self/, /posts/self, /old/self/]",
        "Body.",
    );
    site.build(&[]).assert_ok();
    assert!(site.read("public/posts/self/index.html").contains("Body."));
    assert!(site
        .read("public/old/self/index.html")
        .contains("/posts/self/"));
    let redirects = site.read("public/_redirects");
    assert!(redirects.contains("/old/self/"), "{redirects}");
    assert!(
        !redirects.lines().any(|l| l.starts_with("/posts/self")),
        "{redirects}"
    );
    // An alias over another page is still a clash.
    site.post(
        "other",
        "title: Other\ndate: 2021-03-02\naliases: [/posts/self/]",
        "",
    );
    site.build(&[]).assert_fails().assert_stderr_has(
        "is claimed twice: by content/posts/self.md and by an alias in content/posts/other.md",
    );
}

#[test]
fn files_in_a_bundles_subfolder_keep_their_path() {
    let site = site();
    site.file(
        "content/posts/post/index.md",
        "---\ntitle: Post\ndate: 2021-03-01\n---\n![team](team.jpg) ![raw team](raw/team.jpg)\n",
    );
    site.bytes("content/posts/post/team.jpg", b"small");
    site.bytes("content/posts/post/raw/team.jpg", b"original");
    site.build(&["--strict"]).assert_ok();
    assert_eq!(site.read("public/posts/post/team.jpg"), "small");
    assert_eq!(site.read("public/posts/post/raw/team.jpg"), "original");
    site.run(&["check"]).assert_ok();
}

#[test]
fn every_zola_sort_by_is_understood() {
    let site = site();
    // Three pages per section whose orders differ by every key.
    let pages = [
        // slug, title, date, updated, weight
        ("b-10", "Track-10", "2021-01-03", "2021-01-04", 2),
        ("a-9", "track-9", "2021-01-01", "2021-01-09", 3),
        ("c-2", "Métro", "2021-01-02", "2021-01-02", 1),
    ];
    let mut expected = Vec::new();
    for (sort_by, order) in [
        ("date", ["Track-10", "Métro", "track-9"]),
        ("update_date", ["track-9", "Track-10", "Métro"]),
        ("title", ["Métro", "track-9", "Track-10"]),
        ("title_bytes", ["Métro", "Track-10", "track-9"]),
        ("weight", ["Métro", "Track-10", "track-9"]),
        ("slug", ["track-9", "Track-10", "Métro"]),
        ("permalink", ["track-9", "Track-10", "Métro"]),
        ("none", ["track-9", "Track-10", "Métro"]),
    ] {
        let section = sort_by.replace('_', "-");
        site.file(
            &format!("content/{section}/_index.md"),
            &format!("+++\ntitle = \"{sort_by}\"\nsort_by = \"{sort_by}\"\n+++\n"),
        );
        for (slug, title, date, updated, weight) in pages {
            site.file(
                &format!("content/{section}/{slug}.md"),
                &format!("+++\ntitle = \"{title}\"\ndate = {date}\nupdated = {updated}\nweight = {weight}\n+++\nBody.\n"),
            );
        }
        expected.push((section, order));
    }
    site.build(&["--strict"]).assert_ok();
    for (section, order) in expected {
        assert_eq!(
            site.html(&format!("public/{section}/index.html"))
                .texts(".post-list h2"),
            order,
            "{section}"
        );
    }
    // `none` keeps no order, so its pages have no neighbours.
    assert!(site
        .read("public/date/b-10/index.html")
        .contains("rel=\"prev\""));
    let page = site.read("public/none/b-10/index.html");
    assert!(
        !page.contains("rel=\"prev\"") && !page.contains("rel=\"next\""),
        "{page}"
    );

    site.file(
        "content/date/_index.md",
        "+++\ntitle = \"x\"\nsort_by = \"newest\"\n+++\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/date/_index.md:3:1: error: unknown sort_by `newest`")
        .assert_stderr_has("hint: use one of: date, update_date, title, title_bytes, weight, slug, permalink, none");
}

#[test]
fn one_slug_on_two_dates_clashes_only_when_the_urls_are_the_same() {
    let site = site();
    site.file("content/posts/2020-01-01-hello.md", "# Hello 2020\n\nA.\n");
    site.file(
        "content/posts/hello-again.md",
        "---\ntitle: Hello 2021\ndate: 2021-06-01 10:00:00 -0500\nslug: hello\n---\nB.\n",
    );
    // Under the default `/:section/:slug/` the two URLs are one.
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("`/posts/hello/` is claimed twice: by content/posts/2020-01-01-hello.md and by content/posts/hello-again.md")
        .assert_stderr_has("hint: they share a slug on different dates: put the date in their URLs with `[permalinks] posts = \"/:year/:month/:day/:slug/\"`");
    // With the date in the permalink, they are two pages.
    site.file(
        "config.toml",
        "title = \"Old blog\"\nbase_url = \"https://example.org\"\n[permalinks]\nposts = \"/:year/:slug/\"\n",
    );
    site.build(&["--strict"]).assert_ok();
    assert_eq!(
        site.html("public/2020/hello/index.html").text("article h1"),
        "Hello 2020"
    );
    assert_eq!(
        site.html("public/2021/hello/index.html").text("article h1"),
        "Hello 2021"
    );
    // The same slug in the same year is the same URL again.
    site.file("content/posts/2020-05-05-hello.md", "# Hello May\n\nC.\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("`/2020/hello/` is claimed twice");
}
