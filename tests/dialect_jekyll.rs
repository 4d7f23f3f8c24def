//! Jekyll posts built as they are: Liquid in their bodies read as Jekyll
//! reads it (src/dialect/jekyll.rs), one small fixture site per behaviour.

mod common;

use common::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Steps\"\nbase_url = \"https://example.org/babysteps\"\n",
    );
    site
}

#[test]
fn raw_and_highlight_become_plain_markdown_and_code_keeps_its_liquid() {
    let site = site();
    site.file(
        "content/_posts/2020-01-02-liquid.md",
        "---\ntitle: Liquid\n---\nUse {% raw %}{{ page.title }}{% endraw %} in a layout.\n\n{% raw %}```liquid\n{% for p in site.posts %}{{ p.title }}{% endfor %}\n```{% endraw %}\n\n{% highlight ruby linenos %}\ndef hello = \"{{ not run }}\"\n{% endhighlight %}\n\n`{{ site.title }}` stays in a code span.\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.html("public/posts/liquid/index.html");
    let paragraphs = page.texts("article p");
    assert!(
        paragraphs
            .iter()
            .any(|p| p == "Use {{ page.title }} in a layout."),
        "{paragraphs:?}"
    );
    let code = page.texts("pre code");
    assert!(
        code.iter()
            .any(|c| c.contains("{% for p in site.posts %}{{ p.title }}{% endfor %}")),
        "the raw-wrapped fence is a fence: {code:?}"
    );
    assert!(
        code.iter()
            .any(|c| c.contains("def hello = \"{{ not run }}\"")),
        "highlight is a code block: {code:?}"
    );
    let spans = page.texts("p code");
    assert!(spans.iter().any(|c| c == "{{ site.title }}"), "{spans:?}");
}

#[test]
fn post_url_and_link_lead_to_the_pages_and_are_checked() {
    let site = site();
    site.file(
        "content/_posts/2010-07-21-first.markdown",
        "---\ntitle: First\n---\nThe first post.\n",
    );
    site.file(
        "content/_posts/2011/2011-01-01-nested.md",
        "---\ntitle: Nested\n---\nIn a folder of _posts.\n",
    );
    site.file("content/about.md", "---\ntitle: About\n---\nAbout.\n");
    site.file(
        "content/_posts/2020-01-02-links.md",
        "---\ntitle: Links\n---\nSee [the first]({% post_url 2010-07-21-first %}), [nested]({% post_url 2011-01-01-nested %}), [about]({% link about.md %}) and [gone]({% post_url 2099-01-01-gone %}).\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has("content/_posts/2020-01-02-links.md:4:");
    run.assert_stderr_has("warning:");
    assert_eq!(
        run.stderr.matches("warning:").count(),
        1,
        "only the missing post warns:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("2099-01-01-gone"), "{}", run.stderr);
    let hrefs = site
        .html("public/posts/links/index.html")
        .attrs("article p a", "href");
    assert_eq!(hrefs[0], "https://example.org/babysteps/posts/first/");
    assert_eq!(hrefs[1], "https://example.org/babysteps/posts/2011/nested/");
    assert_eq!(hrefs[2], "https://example.org/babysteps/about/");
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("2099-01-01-gone");
}

#[test]
fn site_and_page_values_resolve_with_the_url_filters() {
    let site = site();
    site.bytes("static/img/a.png", &common::png(4, 3));
    site.file(
        "content/_posts/2020-01-02-values.md",
        "---\ntitle: Values & more\nmood: calm\n---\n![a]({{ site.baseurl }}/img/a.png)\n\n[home]({{ '/' | relative_url }}) {{ site.title }}: {{ page.title | escape }}, {{ page.mood | upcase }}, {{ site.url }}\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.html("public/posts/values/index.html");
    assert_eq!(
        page.attrs("article img", "src"),
        vec!["/babysteps/img/a.png"]
    );
    let text = page.text("article");
    assert!(
        text.contains("Steps: Values & more, CALM, https://example.org"),
        "{text}"
    );
}

#[test]
fn liquid_blog_does_not_run_stays_visible_with_a_warning_at_its_line() {
    let site = site();
    site.file(
        "content/_posts/2020-01-02-unknown.md",
        "---\ntitle: Unknown\n---\nIntro.\n\n{% include note.html text=\"careful\" %}\n\n{{ page.url | date: '%Y' }} and {% unknown_tag %}\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has(
        "content/_posts/2020-01-02-unknown.md:6:1: warning: `{% include note.html text=\"careful\" %}` is shown as written",
    );
    run.assert_stderr_has("content/_posts/2020-01-02-unknown.md:8:1: warning:");
    run.assert_stderr_has("content/_posts/2020-01-02-unknown.md:8:33: warning:");
    assert!(run.stdout.contains("3 warnings"), "{}", run.stdout);
    let text = site.html("public/posts/unknown/index.html").text("article");
    assert!(
        text.contains("{% include note.html text=\"careful\" %}"),
        "{text}"
    );
    assert!(text.contains("{% unknown_tag %}"), "{text}");
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("2020-01-02-unknown.md:6:1: error:");
}

#[test]
fn a_native_post_is_never_read_as_liquid() {
    let site = site();
    site.post(
        "braces",
        "title: Braces",
        "Templates write {{ name }} and {% if x %}: shown as written.",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let text = site.html("public/posts/braces/index.html").text("article");
    assert!(
        text.contains("Templates write {{ name }} and {% if x %}: shown as written."),
        "{text}"
    );
}

#[test]
fn offsets_of_links_after_liquid_point_at_the_file() {
    let site = site();
    site.file(
        "content/_posts/2020-01-02-place.md",
        "---\ntitle: Place\n---\n{% raw %}{{ a }}{% endraw %} {{ site.baseurl }} [dead](/no/such/page/)\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    // The link's own column, its `[`, past what the Liquid was.
    let column = "{% raw %}{{ a }}{% endraw %} {{ site.baseurl }} ".len() + 1;
    run.assert_stderr_has(&format!(
        "content/_posts/2020-01-02-place.md:4:{column}: warning: broken link"
    ));
}

#[test]
fn jekyll_front_matter_drafts_categories_and_redirects() {
    let site = site();
    site.file(
        "content/_drafts/unfinished.md",
        "---\ntitle: Unfinished\n---\nNot yet.\n",
    );
    site.file(
        "content/_posts/2020-01-02-hidden.md",
        "---\ntitle: Hidden\npublished: false\n---\nNot yet either.\n",
    );
    site.file(
        "content/_posts/2020-01-03-moved.md",
        "---\ntitle: Moved\ncategory: Notes\nredirect_from:\n  - /2019/old-name/\n  - /old-name.html\n---\nHere now.\n",
    );
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/posts/unfinished/index.html"));
    assert!(!site.exists("public/posts/hidden/index.html"));
    assert!(site.exists("public/posts/moved/index.html"));
    assert!(site.exists("public/categories/notes/index.html"));
    for old in ["public/2019/old-name/index.html", "public/old-name.html"] {
        let redirect = site.read(old);
        assert!(
            redirect.contains("https://example.org/babysteps/posts/moved/"),
            "{old}: {redirect}"
        );
    }
    let redirects = site.read("public/_redirects");
    assert!(redirects.contains("/2019/old-name/"), "{redirects}");

    site.build(&["--drafts"]).assert_ok();
    assert!(site.exists("public/posts/unfinished/index.html"));
    assert!(site.exists("public/posts/hidden/index.html"));
}

#[test]
fn embeds_do_not_take_markup() {
    let site = site();
    site.file(
        "content/_posts/2020-01-02-embeds.md",
        "---\ntitle: Embeds\n---\n{% gist steps/abc123 %}\n\n{% gist \"><script>alert(1)</script> %}\n\n{% youtube dQw4w9WgXcQ %}\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has("content/_posts/2020-01-02-embeds.md:6:1: warning:");
    let page = site.html("public/posts/embeds/index.html");
    assert_eq!(
        page.attrs("article script", "src"),
        vec!["https://gist.github.com/steps/abc123.js"]
    );
    assert_eq!(
        page.attrs("article iframe", "src"),
        vec!["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    );
    assert!(page.text("article").contains("<script>alert(1)</script>"));
}

/// jekyll-redirect-from's `redirect_to`: the page's URL is a redirect page
/// to the target (a path on the site, or another site), and a
/// `_redirects` line says the same to Netlify.
#[test]
fn redirect_to_makes_the_page_a_redirect() {
    let site = site();
    site.file(
        "content/_posts/2020-01-02-moved.md",
        "---\ntitle: Moved\nredirect_to: /posts/here/\n---\nThis text is not shown.\n",
    )
    .file(
        "content/_posts/2020-01-03-away.md",
        "---\ntitle: Away\nredirect_to:\n  - https://elsewhere.example/post/\n---\nGone.\n",
    )
    .file(
        "content/_posts/2020-01-04-here.md",
        "---\ntitle: Here\n---\nHere.\n",
    );
    site.build(&[]).assert_ok();
    let moved = site.read("public/posts/moved/index.html");
    assert!(
        moved.contains("<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/babysteps/posts/here/\">"),
        "{moved}"
    );
    assert!(!moved.contains("not shown"), "{moved}");
    let away = site.read("public/posts/away/index.html");
    assert!(
        away.contains("url=https://elsewhere.example/post/"),
        "{away}"
    );
    let redirects = site.read("public/_redirects");
    assert!(
        redirects
            .contains("/babysteps/posts/moved/  https://example.org/babysteps/posts/here/  301!"),
        "{redirects}"
    );
    assert!(redirects.contains("/babysteps/posts/away/  https://elsewhere.example/post/  301!"));
}
