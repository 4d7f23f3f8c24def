//! Zola's shortcode calls, which are also blog's own, and their escapes,
//! one small fixture site per behaviour.

mod common;

use common::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Zola blog\"\nbase_url = \"https://example.org\"\n",
    );
    site
}

#[test]
fn built_in_shortcodes_become_their_html() {
    let site = site();
    site.bytes("static/a.png", &common::png(4, 3));
    site.file(
        "content/posts/calls.md",
        "+++\ntitle = \"Calls\"\n+++\n{{ figure(src=\"/a.png\", caption=\"A caption\") }}\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n{% note(kind=\"warning\") %}\nMind **this**.\n{% end %}\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.html("public/posts/calls/index.html");
    assert_eq!(page.attrs("article figure img", "src"), vec!["/a.png"]);
    assert_eq!(page.text("article figcaption"), "A caption");
    assert_eq!(
        page.attrs("article iframe", "src"),
        vec!["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    );
    assert_eq!(
        page.attrs("article aside", "class"),
        vec!["note note-warning"]
    );
    assert_eq!(page.text("article aside strong"), "this");
}

#[test]
fn escapes_show_calls_and_unknown_calls_warn() {
    let site = site();
    site.file(
        "content/posts/docs.md",
        "+++\ntitle = \"Docs\"\n+++\nWrite `{{/* youtube(id=\"x\") */}}` to embed.\n\n```\n{%/* note() */%}\nText\n{%/* end */%}\n```\n\n{{ instagram(id=\"x\") }}\n\nPlain {{ braces }} stay.\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has(
        "content/posts/docs.md:12:1: warning: `{{ instagram(id=\"x\") }}` is shown as written",
    );
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    let page = site.html("public/posts/docs/index.html");
    assert!(page
        .texts("p code")
        .contains(&"{{ youtube(id=\"x\") }}".to_string()));
    assert!(page
        .text("pre code")
        .contains("{% note() %}\nText\n{% end %}"));
    let text = page.text("article");
    assert!(text.contains("{{ instagram(id=\"x\") }}"), "{text}");
    assert!(text.contains("Plain {{ braces }} stay."), "{text}");
    assert_eq!(page.count("article iframe"), 0);
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("content/posts/docs.md:12:1: error:");
}

#[test]
fn the_sites_own_shortcode_templates_are_called_and_win_over_built_ins() {
    let site = site();
    site.file(
        "templates/shortcodes/badge.html",
        "<span class=\"badge\">{{ text }} ×{{ n }}</span>",
    );
    site.file(
        "templates/shortcodes/quote.html",
        "<blockquote class=\"quote\"><p>{{ body }}</p><cite>{{ author }}</cite></blockquote>",
    );
    site.file(
        "templates/shortcodes/youtube.html",
        "<a class=\"video-link\" href=\"https://youtu.be/{{ id }}\">Watch</a>",
    );
    site.file(
        "templates/shortcodes/broken.html",
        "{{ missing_variable.field }}",
    );
    site.file(
        "content/posts/own.md",
        "+++\ntitle = \"Own\"\n+++\nA {{ badge(text=\"new\", n=2) }} badge.\n\n{% quote(author=\"Ada\") %}\nThe engine <weaves>.\n{% end %}\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n{{ broken() }}\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has(
        "content/posts/own.md:12:1: warning: `{{ broken() }}` is shown as written",
    );
    run.assert_stderr_has("templates/shortcodes/broken.html failed");
    let page = site.html("public/posts/own/index.html");
    assert_eq!(page.text("article span.badge"), "new ×2");
    assert_eq!(page.text("article blockquote.quote cite"), "Ada");
    assert_eq!(
        page.text("article blockquote.quote p"),
        "The engine <weaves>.",
        "variables are escaped"
    );
    assert_eq!(
        page.attrs("article a.video-link", "href"),
        vec!["https://youtu.be/dQw4w9WgXcQ"]
    );
    assert_eq!(page.count("article iframe"), 0, "the site's youtube won");

    // An edited shortcode template re-renders the pages calling it.
    site.file(
        "templates/shortcodes/badge.html",
        "<span class=\"badge\">{{ text | upper }}</span>",
    );
    site.build(&[]).assert_ok();
    assert_eq!(
        site.html("public/posts/own/index.html")
            .text("article span.badge"),
        "NEW"
    );
}

#[test]
fn a_page_with_render_false_makes_no_file_and_is_listed_nowhere() {
    let site = site();
    site.file(
        "content/posts/data.md",
        "+++\ntitle = \"Data only\"\ndate = 2024-01-01\nrender = false\nin_search_index = false\n+++\nNot a page.\n",
    );
    site.file(
        "content/posts/shown.md",
        "+++\ntitle = \"Shown\"\ndate = 2024-01-02\nrender = true\n+++\nA page.\n",
    );
    for args in [&[][..], &["--drafts"][..]] {
        site.build(args).assert_ok();
        assert!(!site.exists("public/posts/data/index.html"), "{args:?}");
        assert!(site.exists("public/posts/shown/index.html"));
        for listing in [
            "public/index.html",
            "public/posts/index.html",
            "public/rss.xml",
            "public/sitemap.xml",
        ] {
            let text = site.read(listing);
            assert!(
                !text.contains("Data only") && !text.contains("/posts/data/"),
                "{listing}"
            );
        }
    }
}
