//! `blog import --from feed FEED.xml DEST`, on feeds written for these
//! tests (tests/fixtures/feed/rss.xml and atom.xml): what each item or
//! entry becomes, that the old URLs on the feed's own host answer after
//! `blog build`, that the feed is only read, and that a broken feed
//! writes nothing.

mod common;

use common::SiteTest;

const RSS: &str = include_str!("fixtures/feed/rss.xml");
const ATOM: &str = include_str!("fixtures/feed/atom.xml");

#[test]
fn an_rss_feed_becomes_a_site_where_every_post_keeps_its_url() {
    let site = SiteTest::new();
    site.file("feed/rss.xml", RSS);
    let run = site.run(&["import", "--from", "feed", "feed/rss.xml", "out"]);
    run.assert_ok();
    for line in [
        "feed/rss.xml: a feed usually holds only the newest posts: 3 entries were imported\n",
        "Imported the feed site at feed/rss.xml into out: 3 pages (0 drafts), 0 sections, 0 files copied; 3 old URLs answer, 0 as aliases",
    ] {
        assert!(run.stdout.contains(line), "no {line:?} in:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("lived at"), "{}", run.stdout);

    let config = site.read("out/config.toml");
    for line in [
        "base_url = \"https://example.com/blog\"\n",
        "title = \"Ann & Friends\"\n",
        "description = \"Notes and pictures\"\n",
        "language = \"en-gb\"\n",
        "[permalinks]\nposts = \"/:year/:month/:slug/\"\n",
    ] {
        assert!(config.contains(line), "no {line:?} in:\n{config}");
    }

    // content:encoded before description; categories as tags.
    assert_eq!(
        site.read("out/content/posts/hello-world.md"),
        "+++\ntitle = \"Hello World\"\ndate = 2024-01-15T12:00:00Z\n\n[taxonomies]\ntags = [\"Rust\", \"Notes\"]\n\n[extra]\nauthor = \"Ann Author\"\nguid = \"post-1\"\n+++\n\nFirst paragraph with **bold** and *emphasis*.\n\n## More\n\n*   one\n*   two\n"
    );
    // A unicode title; the slug from the link; description as the body;
    // RSS's `author` when there is no dc:creator.
    let cafe = site.read("out/content/posts/cafe-uber-alles.md");
    assert!(
        cafe.starts_with("+++\ntitle = \"Café über alles\"\ndate = 2024-02-10T09:30:00+01:00\n\n[taxonomies]\ntags = [\"Travel\"]\n\n[extra]\nauthor = \"ann@example.com (Ann Author)\"\nguid = \"https://example.com/blog/2024/02/cafe-uber-alles/\"\n+++\n"),
        "{cafe}"
    );
    assert!(
        cafe.ends_with("\nCoffee in [Vienna](https://example.org/).\n"),
        "{cafe}"
    );
    let third = site.read("out/content/posts/third-post.md");
    assert!(
        third.starts_with("+++\ntitle = \"Third Post\"\ndate = 2024-03-01T18:00:00Z\n+++\n"),
        "{third}"
    );
    assert!(
        third.ends_with("Some `code` here.\n\n```\nfn main() {}\n```\n"),
        "{third}"
    );

    site.run(&["build", "--root", "out"]).assert_ok();
    for url in [
        "2024/01/hello-world",
        "2024/02/cafe-uber-alles",
        "2024/03/third-post",
    ] {
        assert!(
            site.exists(&format!("out/public/{url}/index.html")),
            "/{url}/ does not answer"
        );
    }
    assert!(site
        .read("out/public/2024/01/hello-world/index.html")
        .contains("First paragraph"));
    assert_eq!(site.read("feed/rss.xml"), RSS);
}

#[test]
fn an_atom_feed_keeps_its_own_hosts_urls_and_notes_the_others() {
    let site = SiteTest::new();
    site.file("atom.xml", ATOM);
    let run = site.run(&["import", "--from", "feed", "atom.xml", "out"]);
    run.assert_ok();
    for line in [
        "atom.xml: posts lived at medium.example.com, not at the site bob.example.org of the feed: their old URLs are not kept\n",
        "atom.xml: a feed usually holds only the newest posts: 2 entries were imported\n",
    ] {
        assert!(run.stdout.contains(line), "no {line:?} in:\n{}", run.stdout);
    }
    let config = site.read("out/config.toml");
    for line in [
        "base_url = \"https://bob.example.org\"\n",
        "title = \"Bob’s Journal\"\n",
        "description = \"Short notes\"\n",
        "language = \"de\"\n",
    ] {
        assert!(config.contains(line), "no {line:?} in:\n{config}");
    }
    // One `.html` URL: no pattern, an alias instead.
    assert!(!config.contains("[permalinks]"), "{config}");

    // xhtml content before summary; `published` as the date; the feed's
    // author when the entry has none.
    assert_eq!(
        site.read("out/content/posts/spring-rain.md"),
        "+++\ntitle = \"Spring & rain\"\ndate = 2024-04-01T08:00:00+02:00\nupdated = 2024-04-02T10:00:00Z\naliases = [\"/notes/spring-rain.html\"]\n\n[taxonomies]\ntags = [\"weather\", \"spring\"]\n\n[extra]\nauthor = \"Bob Writer\"\nguid = \"tag:bob.example.org,2024:1\"\n+++\n\nIt rained *all* day & night.\n\n[A link](https://example.net/)\n"
    );
    // html content; `updated` as the date without `published`; at another
    // host, so no old URL.
    assert_eq!(
        site.read("out/content/posts/elsewhere-123.md"),
        "+++\ntitle = \"Elsewhere\"\ndate = 2024-03-01T12:00:00Z\nupdated = 2024-03-01T12:00:00Z\n\n[extra]\nauthor = \"Guest\"\nguid = \"tag:bob.example.org,2024:2\"\n+++\n\nWritten **elsewhere**.\n"
    );

    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/notes/spring-rain.html"));
    assert!(site.exists("out/public/posts/spring-rain/index.html"));
    assert!(site.exists("out/public/posts/elsewhere-123/index.html"));
    assert_eq!(site.read("atom.xml"), ATOM);
}

#[test]
fn an_atom_text_content_is_kept_as_paragraphs() {
    let site = SiteTest::new();
    site.file(
        "a.xml",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\n<entry><title>Plain</title><updated>2024-01-01T00:00:00Z</updated>\n<content type=\"text\">One *star*.\n\nTwo &lt;b&gt;.</content></entry></feed>\n",
    );
    let run = site.run(&["import", "--from", "feed", "a.xml", "out"]);
    run.assert_ok();
    assert!(
        run.stdout
            .contains("a.xml: the feed has no absolute link to its site: set `base_url`"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("a.xml: a feed usually holds only the newest posts: 1 entry was imported\n"));
    let post = site.read("out/content/posts/plain.md");
    assert!(
        post.ends_with("+++\n\nOne \\*star\\*.\n\nTwo \\<b\\>.\n"),
        "{post}"
    );
    site.run(&["build", "--root", "out"]).assert_ok();
}

#[test]
fn a_broken_feed_is_an_error_at_its_line_and_column_and_writes_nothing() {
    let site = SiteTest::new();
    site.file(
        "bad.xml",
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n  <title>X</title>\n  <item><title>A</item>\n</channel>\n</rss>\n",
    );
    site.run(&["import", "--from", "feed", "bad.xml", "out"])
        .assert_fails()
        .assert_stderr_has("bad.xml:5:17: error: is not valid XML:")
        .assert_stderr_has("nothing was written to out");
    assert!(!site.exists("out"));

    site.file(
        "page.xml",
        "<?xml version=\"1.0\"?>\n<html><body/></html>\n",
    );
    site.run(&["import", "--from", "feed", "page.xml", "out"])
        .assert_fails()
        .assert_stderr_has(
            "page.xml:2:1: error: is not an RSS or Atom feed: its root element is <html>",
        );
    assert!(!site.exists("out"));

    site.file("cut.xml", "<rss><channel><title>X</title>\n<item>");
    site.run(&["import", "--from", "feed", "cut.xml", "out"])
        .assert_fails()
        .assert_stderr_has(
            "cut.xml:2:7: error: ends before <item> is closed: the feed is cut short",
        );
    assert!(!site.exists("out"));

    site.file("empty.xml", "<rss version=\"2.0\"/>\n");
    site.run(&["import", "--from", "feed", "empty.xml", "out"])
        .assert_fails()
        .assert_stderr_has("empty.xml: error: is not an RSS feed: its <rss> has no <channel>");
    assert!(!site.exists("out"));

    site.run(&["import", "--from", "feed", "missing.xml", "out"])
        .assert_fails()
        .assert_stderr_has("missing.xml: error: is not a file");
    assert!(!site.exists("out"));
}

#[test]
fn two_entries_of_one_slug_get_their_own_files_and_keep_their_urls() {
    let site = SiteTest::new();
    let feed = RSS.replace("2024/03/third-post/", "2024/03/hello-world/");
    assert_ne!(feed, RSS);
    site.file("dup.xml", &feed);
    let run = site.run(&["import", "--from", "feed", "dup.xml", "out"]);
    run.assert_ok();
    assert!(
        run.stdout.contains(
            "dup.xml: is written as content/posts/hello-world-2.md: another file has its name"
        ),
        "{}",
        run.stdout
    );
    assert!(site
        .read("out/content/posts/hello-world-2.md")
        .contains("title = \"Third Post\"\ndate = 2024-03-01T18:00:00Z\nslug = \"hello-world\"\n"));
    site.run(&["build", "--root", "out"]).assert_ok();
    for url in ["2024/01/hello-world", "2024/03/hello-world"] {
        assert!(
            site.exists(&format!("out/public/{url}/index.html")),
            "/{url}/ does not answer"
        );
    }
}
