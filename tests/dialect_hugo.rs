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
