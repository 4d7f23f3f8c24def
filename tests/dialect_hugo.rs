//! Hugo content built as it is: its front matter forms and keys, one small
//! fixture site per behaviour.

mod common;

use common::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Hugo blog\"\nbase_url = \"https://example.org\"\n",
    );
    site
}

#[test]
fn json_front_matter_is_read() {
    let site = site();
    site.file(
        "content/posts/json.md",
        "{\n  \"title\": \"From JSON\",\n  \"date\": \"2021-03-01T10:00:00-05:00\",\n  \"tags\": [\"go\", \"json\"]\n}\nThe body {of the post}.\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/json/index.html");
    assert_eq!(page.text("article h1"), "From JSON");
    assert!(page.text("article").contains("The body {of the post}."));
    assert!(site.exists("public/tags/json/index.html"));
}

#[test]
fn bad_json_front_matter_is_an_error_at_its_line() {
    let site = site();
    site.file(
        "content/posts/bad.md",
        "{\n  \"title\": \"Bad\",,\n  \"draft\": false\n}\nBody.\n",
    );
    site.file("content/posts/open.md", "{\n  \"title\": \"Open\"\nBody.\n");
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("content/posts/bad.md:2:")
        .assert_stderr_has("front matter in braces is JSON")
        .assert_stderr_has("content/posts/open.md:1:1: error: the JSON front matter opened with `{` on line 1 is never closed");
}

#[test]
fn publish_and_expiry_dates_leave_pages_out() {
    let site = site();
    site.post(
        "scheduled",
        "title: Scheduled\ndate: 2020-01-01\npublishDate: 2999-01-01",
        "Not yet.",
    );
    site.post(
        "expired",
        "title: Expired\ndate: 2020-01-01\nexpiryDate: 2021-01-01",
        "Gone.",
    );
    site.post(
        "by-publish-date",
        "title: By publish date\npublishdate: 2020-06-01T08:00:00Z",
        "Dated by its publish date.",
    );
    site.post(
        "current",
        "title: Current\ndate: 2020-01-01\nexpiryDate: 2999-01-01",
        "Still here.",
    );
    site.build(&[]).assert_ok();
    assert!(!site.exists("public/posts/scheduled/index.html"));
    assert!(!site.exists("public/posts/expired/index.html"));
    assert!(site.exists("public/posts/current/index.html"));
    assert_eq!(
        site.html("public/posts/by-publish-date/index.html")
            .attrs("article header time", "datetime"),
        vec!["2020-06-01T08:00:00Z"]
    );
    let feed = site.read("public/rss.xml");
    assert!(
        !feed.contains("Scheduled") && !feed.contains("Expired"),
        "{feed}"
    );
    site.build(&["--drafts"]).assert_ok();
    assert!(site.exists("public/posts/scheduled/index.html"));
    site.post("bad", "title: Bad\nexpiryDate: someday", "Body.");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/bad.md:3:");
}

#[test]
fn shortcodes_in_both_forms_become_their_html() {
    let site = site();
    site.file(
        "content/posts/other.md",
        "---\ntitle: Other\n---\n## Part one\n\nText.\n",
    );
    site.file(
        "content/posts/shortcodes.md",
        "---\ntitle: Shortcodes\n---\n{{< figure src=\"/img/a.png\" caption=\"A caption\" >}}\n\n{{% youtube dQw4w9WgXcQ %}}\n\nSee [the other]({{< ref \"other.md#part-one\" >}}) and [gone]({{< relref \"/posts/gone.md\" >}}).\n\n{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n\n{{< details summary=\"More\" >}}\nHidden **text**.\n{{< /details >}}\n",
    );
    site.bytes("static/img/a.png", &common::png(4, 3));
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has("content/posts/shortcodes.md:8:");
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    let page = site.html("public/posts/shortcodes/index.html");
    assert_eq!(page.attrs("article figure img", "src"), vec!["/img/a.png"]);
    assert_eq!(page.text("article figcaption"), "A caption");
    assert_eq!(
        page.attrs("article iframe", "src"),
        vec!["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    );
    let links = page.attrs("article p a", "href");
    assert!(
        links.contains(&"https://example.org/posts/other/#part-one".to_string()),
        "{links:?}"
    );
    assert!(page.text("article pre code").contains("func main() {}"));
    assert_eq!(page.text("article details summary"), "More");
    assert_eq!(page.text("article details strong"), "text");
}

#[test]
fn an_unknown_shortcode_stays_visible_with_a_warning_and_code_is_untouched() {
    let site = site();
    site.file(
        "content/posts/unknown.md",
        "---\ntitle: Unknown\n---\nIntro.\n\n{{< instagram BWNjjyYFxVx hidecaption >}}\n\nWrite `{{</* figure src=\"a.jpg\" */>}}` to show one.\n\n```\n{{< youtube not-run >}}\n```\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has(
        "content/posts/unknown.md:6:1: warning: `{{< instagram BWNjjyYFxVx hidecaption >}}` is shown as written",
    );
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    let page = site.html("public/posts/unknown/index.html");
    let text = page.text("article");
    assert!(
        text.contains("{{< instagram BWNjjyYFxVx hidecaption >}}"),
        "{text}"
    );
    assert!(page
        .texts("p code")
        .contains(&"{{< figure src=\"a.jpg\" >}}".to_string()));
    assert!(page.text("pre code").contains("{{< youtube not-run >}}"));
    assert_eq!(page.count("article iframe"), 0);
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("content/posts/unknown.md:6:1: error:");
}
