//! `blog import --from sql DATABASE-URL --query "SELECT …" DEST`, on real
//! databases only: SQLite files made here with rusqlite, and a PostgreSQL
//! server this test starts on loopback (`pg` below). What a Flask /
//! SQLAlchemy blog's rows become, that their dates, tags, extra columns
//! and old URLs answer after `blog build`, that the database is only
//! read (a writing query is refused and its rows are still there), that
//! the password of a URL is never printed, and that every error writes
//! nothing.

mod common;

use std::path::Path;

use common::{Run, SiteTest};

/// A Flask-SQLAlchemy blog's tables (the `user`/`post` models of the
/// Flask tutorials, with a `tag` association table), its times in
/// SQLAlchemy's text format.
const FLASK_SCHEMA: &str = "
CREATE TABLE user (id INTEGER NOT NULL PRIMARY KEY, username VARCHAR(64), email VARCHAR(120), password_hash VARCHAR(128));
CREATE TABLE post (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(140), body TEXT, timestamp DATETIME, user_id INTEGER REFERENCES user (id));
CREATE TABLE tag (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) UNIQUE);
CREATE TABLE post_tags (post_id INTEGER REFERENCES post (id), tag_id INTEGER REFERENCES tag (id));
INSERT INTO user VALUES (1, 'ann', 'ann@example.com', 'pbkdf2:sha256:x'), (2, 'bob', 'bob@example.com', 'pbkdf2:sha256:y');
INSERT INTO post VALUES
  (1, 'Hello World', 'My *first* post.

## More

A second paragraph.', '2019-03-04 10:20:30.123456', 1),
  (2, 'Café über alles', 'Coffee {{ not a template }}.', '2019-04-05 08:00:00', 2),
  (3, 'Third Post', 'Short.', '2020-01-02 00:00:00', 1);
INSERT INTO tag VALUES (1, 'flask'), (2, 'python'), (3, 'coffee');
INSERT INTO post_tags VALUES (1, 1), (1, 2), (2, 3);
";

/// The README's query for that schema: the author from a join, the tags
/// aggregated, the app's `/post/<id>` URL kept.
const FLASK_QUERY: &str = "
SELECT p.id, p.title, p.body, p.timestamp AS date, u.username AS author,
       group_concat(t.name) AS tags, '/post/' || p.id AS url
FROM post p
JOIN user u ON u.id = p.user_id
LEFT JOIN post_tags pt ON pt.post_id = p.id
LEFT JOIN tag t ON t.id = pt.tag_id
GROUP BY p.id
ORDER BY p.timestamp";

/// An SQLite database at `rel` in the site, made by running `sql`.
fn sqlite(site: &SiteTest, rel: &str, sql: &str) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    let db = rusqlite::Connection::open(path).expect("create the database");
    db.execute_batch(sql).expect("fill the database");
}

fn import(site: &SiteTest, url: &str, query: &str, extra: &[&str]) -> Run {
    let mut args = vec!["import", "--from", "sql", url, "--query", query, "out"];
    args.extend_from_slice(extra);
    site.run(&args)
}

/// Every file under the site's root but DEST (`out/`), with its bytes.
fn outside_dest(site: &SiteTest) -> std::collections::BTreeMap<String, Vec<u8>> {
    common::snapshot(site.root())
        .into_iter()
        .filter(|(path, _)| !path.starts_with("out/"))
        .collect()
}

#[track_caller]
fn assert_has(text: &str, needle: &str) {
    assert!(text.contains(needle), "no {needle:?} in:\n{text}");
}

#[test]
fn a_flask_sqlite_blog_becomes_a_site_whose_dates_tags_and_old_urls_answer() {
    let site = SiteTest::new();
    sqlite(&site, "app.db", FLASK_SCHEMA);
    let before = outside_dest(&site);
    let run = import(&site, "sqlite:app.db", FLASK_QUERY, &[]);
    run.assert_ok();
    for line in [
        "sqlite:app.db: the database holds no site address: set `base_url` in config.toml",
        "Imported the SQL site at sqlite:app.db into out: 3 pages (0 drafts), 0 sections, 0 files copied; 3 old URLs answer, 3 as aliases",
    ] {
        assert_has(&run.stdout, line);
    }
    // Read, never written: the same bytes, and no journal beside it.
    assert!(
        before == outside_dest(&site),
        "the database's folder changed"
    );

    assert_eq!(
        site.read("out/content/posts/hello-world.md"),
        "+++\ntitle = \"Hello World\"\ndate = 2019-03-04T10:20:30Z\naliases = [\"/post/1\"]\n\n[taxonomies]\ntags = [\"flask\", \"python\"]\n\n[extra]\nauthor = \"ann\"\nid = 1\n+++\n\nMy *first* post.\n\n## More\n\nA second paragraph.\n"
    );
    let cafe = site.read("out/content/posts/cafe-uber-alles.md");
    assert_has(
        &cafe,
        "title = \"Café über alles\"\ndate = 2019-04-05T08:00:00Z\n",
    );
    assert_has(&cafe, "tags = [\"coffee\"]\n");
    assert_has(&cafe, "author = \"bob\"\nid = 2\n");
    let config = site.read("out/config.toml");
    assert_has(&config, "title = \"out\"\n");

    site.run(&["build", "--root", "out"]).assert_ok();
    let page = site.html("out/public/posts/hello-world/index.html");
    assert_eq!(page.text("h1"), "Hello World");
    assert_has(&page.inner_html("main"), "<em>first</em>");
    assert_has(
        &site.read("out/public/posts/hello-world/index.html"),
        "2019-03-04",
    );
    // Text in a post is never run as a template.
    assert_has(
        &site.read("out/public/posts/cafe-uber-alles/index.html"),
        "Coffee {{ not a template }}.",
    );
    let flask = site.read("out/public/tags/flask/index.html");
    assert_has(&flask, "Hello World");
    assert!(!flask.contains("Third Post"), "{flask}");
    // The app's own URLs answer, sending readers to the new pages.
    for (old, new) in [
        ("post/1", "/posts/hello-world/"),
        ("post/2", "/posts/cafe-uber-alles/"),
        ("post/3", "/posts/third-post/"),
    ] {
        let redirect = site.read(&format!("out/public/{old}/index.html"));
        assert_has(&redirect, new);
    }
    assert_has(
        &site.read("out/public/_redirects"),
        "/post/1/  /posts/hello-world/  301\n",
    );
}

#[test]
fn html_bodies_become_markdown_with_body_format_html() {
    let site = SiteTest::new();
    sqlite(
        &site,
        "app.db",
        "CREATE TABLE posts (title TEXT, content TEXT, created INTEGER, is_draft INTEGER, status TEXT, views INTEGER, rating REAL);
         INSERT INTO posts VALUES ('From HTML', '<p>One <strong>bold</strong> <a href=\"https://example.org/\">link</a>.</p><ul><li>a</li><li>b</li></ul>', 1551695430, 0, 'published', 12, 4.5);
         INSERT INTO posts VALUES ('Unfinished', '<p>Soon.</p>', 1551695430, 1, 'published', 0, NULL);
         INSERT INTO posts VALUES ('Waiting', '<p>Later.</p>', 1551695430, 0, 'draft', 0, NULL);",
    );
    let run = import(
        &site,
        "sqlite://app.db",
        "SELECT title, content, created AS date, is_draft AS draft, status, views, rating FROM posts",
        &["--body-format", "html"],
    );
    run.assert_ok();
    assert_has(&run.stdout, "3 pages (2 drafts)");
    assert_eq!(
        site.read("out/content/posts/from-html.md"),
        "+++\ntitle = \"From HTML\"\ndate = 2019-03-04T10:30:30Z\n\n[extra]\nrating = 4.5\nviews = 12\n+++\n\nOne **bold** [link](https://example.org/).\n\n*   a\n*   b\n"
    );
    assert_has(
        &site.read("out/content/posts/unfinished.md"),
        "draft = true\n",
    );
    assert_has(&site.read("out/content/posts/waiting.md"), "draft = true\n");
    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/posts/from-html/index.html"));
    assert!(!site.exists("out/public/posts/waiting/index.html"));

    // Without --body-format html, the body is kept as it is.
    std::fs::remove_dir_all(site.path("out")).expect("remove out");
    import(
        &site,
        "sqlite:app.db",
        "SELECT title, content FROM posts WHERE title = 'Waiting'",
        &[],
    )
    .assert_ok();
    assert!(site
        .read("out/content/posts/waiting.md")
        .ends_with("+++\n\n<p>Later.</p>\n"));
}

#[test]
fn two_rows_of_one_slug_get_two_files_that_keep_their_own_old_urls() {
    let site = SiteTest::new();
    sqlite(
        &site,
        "app.db",
        "CREATE TABLE p (id INTEGER, title TEXT, body TEXT, slug TEXT, url TEXT, date TEXT);
         INSERT INTO p VALUES (1, 'Same A', 'First.', 'same', 'https://old.example.com/2019/03/same/', '2019-03-01');
         INSERT INTO p VALUES (2, 'Same B', 'Second.', 'same', '/2020/05/same/', '2020-05-01T12:00:00+02:00');",
    );
    let run = import(&site, "sqlite:app.db", "SELECT * FROM p ORDER BY id", &[]);
    run.assert_ok();
    assert_has(
        &run.stdout,
        "sqlite:app.db row 2 (id 2): is written as content/posts/same-2.md: another row has its slug",
    );
    assert_has(
        &site.read("out/config.toml"),
        "posts = \"/:year/:month/:slug/\"",
    );
    let first = site.read("out/content/posts/same.md");
    assert_has(&first, "title = \"Same A\"\ndate = 2019-03-01\n");
    let second = site.read("out/content/posts/same-2.md");
    assert_has(&second, "date = 2020-05-01T12:00:00+02:00\n");
    site.run(&["build", "--root", "out"]).assert_ok();
    for (url, text) in [("2019/03/same", "First."), ("2020/05/same-2", "Second.")] {
        let page = site.read(&format!("out/public/{url}/index.html"));
        assert_has(&page, text);
    }
    // The second row's old URL answers too: a redirect to its new one.
    assert_has(&second, "aliases = [\"/2020/05/same/\"]\n");
    assert_has(
        &site.read("out/public/2020/05/same/index.html"),
        "url=http://localhost:1111/2020/05/same-2/",
    );
}

#[test]
fn hostile_and_unicode_slugs_land_inside_dest() {
    let site = SiteTest::new();
    sqlite(
        &site,
        "app.db",
        "CREATE TABLE p (id INTEGER, title TEXT, body TEXT, slug TEXT);
         INSERT INTO p VALUES (1, 'Escape', 'a', '../../etc');
         INSERT INTO p VALUES (2, 'Party', 'b', '🎉 party 🎉');
         INSERT INTO p VALUES (3, '日本語', 'c', NULL);
         INSERT INTO p VALUES (4, '/', 'd', '/');
         INSERT INTO p VALUES (5, 'Dots', 'e', '..');",
    );
    let before = outside_dest(&site);
    import(&site, "sqlite:app.db", "SELECT * FROM p ORDER BY id", &[]).assert_ok();
    assert!(
        before == outside_dest(&site),
        "a file was written outside out/"
    );
    let mut posts: Vec<String> = std::fs::read_dir(site.path("out/content/posts"))
        .expect("posts")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    posts.sort();
    assert_eq!(
        posts,
        [
            "dots.md",
            "etc.md",
            "post-4.md",
            "ri-ben-yu.md",
            "tada-party-tada.md"
        ]
    );
    // The slugs are the files' names, so the built pages stay in public/.
    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/posts/etc/index.html"));
    assert_has(&site.read("out/content/posts/etc.md"), "title = \"Escape\"");
    assert!(site.exists("out/public/posts/post-4/index.html"));
}

#[test]
fn a_row_without_a_title_or_body_is_named_and_left_out() {
    let site = SiteTest::new();
    sqlite(
        &site,
        "app.db",
        "CREATE TABLE post (id INTEGER, title TEXT, body TEXT, slug TEXT);
         INSERT INTO post VALUES (1, 'Kept', 'Body.', 'kept');
         INSERT INTO post VALUES (2, NULL, 'No title.', 'untitled');
         INSERT INTO post VALUES (3, 'Empty', '   ', NULL);
         INSERT INTO post VALUES (NULL, '', 'x', 'no-id');",
    );
    let run = import(&site, "sqlite:app.db", "SELECT * FROM post", &[]);
    run.assert_ok();
    for line in [
        "sqlite:app.db row 2 (id 2): its title is empty: the row is not imported; give every row one (COALESCE(title, '…') in the query)\n",
        "sqlite:app.db row 3 (id 3): its body is empty: the row is not imported",
        "sqlite:app.db row 4 (slug no-id): its title is empty",
        "1 page (0 drafts)",
    ] {
        assert_has(&run.stdout, line);
    }
    assert!(site.exists("out/content/posts/kept.md"));
    assert!(!site.exists("out/content/posts/untitled.md"));

    // Every row left out: nothing to import.
    std::fs::remove_dir_all(site.path("out")).expect("remove out");
    import(&site, "sqlite:app.db", "SELECT * FROM post WHERE id = 2", &[])
        .assert_fails()
        .assert_stderr_has("none of the 1 rows of the query `SELECT * FROM post WHERE id = 2` has both a title and a body: nothing to import");
    assert!(!site.exists("out"));
}

#[test]
fn bad_queries_and_databases_are_errors_that_write_nothing() {
    let site = SiteTest::new();
    sqlite(&site, "app.db", FLASK_SCHEMA);
    site.file("notes.txt", "not a database\n");
    let before = outside_dest(&site);
    let cases: [(&str, &str, &[&str]); 8] = [
        (
            "sqlite:app.db",
            "SELECT id, title, timestamp FROM post",
            &["sqlite:app.db: error: the query `SELECT id, title, timestamp FROM post` returned no `body` (or `content`) column; it returned: id, title, timestamp\n  hint: name the columns with AS"],
        ),
        (
            "sqlite:app.db",
            "SELECT title, body\nFROM posts",
            &["sqlite:app.db: error: the query `SELECT title, body FROM posts` failed: no such table: posts\n  hint: fix --query; nothing was read or changed"],
        ),
        (
            "sqlite:app.db",
            "SELECT title body FORM post",
            &["failed: near \"FORM\": syntax error (at line 1, column 19 of the query: `FORM post`)"],
        ),
        (
            "sqlite:app.db",
            "SELECT title, body FROM post WHERE id > 99",
            &["returned no rows: nothing to import"],
        ),
        (
            "sqlite:app.db",
            "SELECT title, body, x'00ff' AS picture FROM post",
            &["the query's column `picture` holds binary data (a BLOB) in row 1, which blog cannot read\n  hint: leave the column out of the query, or cast it"],
        ),
        (
            "sqlite:app.db",
            "SELECT title, body, 'soon' AS date FROM post",
            &["sqlite:app.db row 1: error: its `date` `soon` is not a date\n  hint: give a timestamp or date column, text like 2019-03-04 10:20:30", "sqlite:app.db row 3: error: its `date`"],
        ),
        (
            "sqlite:missing.db",
            "SELECT 1",
            &["sqlite:missing.db: error: the SQLite database missing.db does not exist\n  hint: give the path of the app's .db file (relative paths are from [SITE])"],
        ),
        (
            "sqlite:notes.txt",
            "SELECT title, body FROM post",
            &["sqlite:notes.txt: error: is not an SQLite database"],
        ),
    ];
    for (url, query, needles) in cases {
        let run = import(&site, url, query, &[]);
        run.assert_fails();
        for needle in needles {
            run.assert_stderr_has(needle);
        }
        run.assert_stderr_has("nothing was written to out");
        assert!(!site.exists("out"), "{query}: out was written");
    }
    for (url, hint) in [
        ("mysql://a@b/c", "is not a database URL blog reads"),
        ("sqlite:", "names no database file"),
    ] {
        import(&site, url, "SELECT 1", &[])
            .assert_fails()
            .assert_stderr_has(hint);
    }
    assert!(!site.exists("out"));
    assert!(
        before == outside_dest(&site),
        "the database's folder changed"
    );

    // --query is needed with --from sql, and only there.
    let run = site.run(&["import", "--from", "sql", "sqlite:app.db", "out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_has(&run.stderr, "--query <QUERY>");
    let run = site.run(&["import", "--from", "feed", "a.xml", "out", "--query", "x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_has(&run.stderr, "--query is for --from sql only");
    assert!(!site.exists("out"));
}

#[test]
fn a_query_that_writes_is_refused_and_the_rows_are_still_there() {
    let site = SiteTest::new();
    sqlite(&site, "app.db", FLASK_SCHEMA);
    let bytes = std::fs::read(site.path("app.db")).expect("read");
    for query in [
        "DELETE FROM post RETURNING title, body",
        "UPDATE post SET title = 'x' RETURNING title, body",
        "INSERT INTO post (title, body) VALUES ('t', 'b') RETURNING title, body",
        "PRAGMA user_version = 7",
        "SELECT title, body FROM post; DELETE FROM post",
    ] {
        let run = import(&site, "sqlite:app.db", query, &[]);
        run.assert_fails();
        run.assert_stderr_has("nothing was written to out");
        if !query.contains(';') {
            run.assert_stderr_has("would change the database, which blog only reads");
        }
        assert!(!site.exists("out"));
    }
    let db = rusqlite::Connection::open(site.path("app.db")).expect("open");
    let count: i64 = db
        .query_row("SELECT count(*) FROM post WHERE title != 'x'", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(count, 3);
    drop(db);
    assert!(
        bytes == std::fs::read(site.path("app.db")).expect("read"),
        "the database file changed"
    );
}

#[test]
fn an_absolute_sqlite_url_and_dest_of_an_existing_empty_folder() {
    let site = SiteTest::new();
    sqlite(&site, "data/app.db", FLASK_SCHEMA);
    std::fs::create_dir(site.path("out")).expect("mkdir");
    let path = site.path("data/app.db");
    let url = format!("sqlite://{}", path.display());
    assert!(url.starts_with("sqlite:///"));
    let run = import(&site, &url, FLASK_QUERY, &[]);
    run.assert_ok();
    assert!(Path::new(&site.path("out/content/posts/third-post.md")).exists());
}
