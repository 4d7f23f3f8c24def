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
        "/post/1/  /posts/hello-world/  301!\n",
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

/// A PostgreSQL server of this test's own: a cluster made by `initdb` in
/// a temporary folder, with a password for the user `blog`, listening on
/// a free loopback port and on a socket in that folder; stopped when
/// dropped, a failing test's too. initdb refuses to run as root, so as
/// root (here and in CI) the server runs as Debian's `postgres` user.
struct Postgres {
    dir: tempfile::TempDir,
    bin: std::path::PathBuf,
    port: u16,
    as_root: bool,
}

const PG_PASSWORD: &str = "pw-Ex4mple-s3cret";

impl Postgres {
    fn start() -> Postgres {
        use std::os::unix::fs::PermissionsExt;
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("initdb").is_file())
            .max_by_key(|b| {
                b.parent()
                    .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
                    .unwrap_or(0)
            })
            .expect("PostgreSQL's initdb is not under /usr/lib/postgresql/*/bin: run scripts/test-deps.sh (apt-get install postgresql)");
        let as_root = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("Uid:"))?.to_string();
                line.split_whitespace().nth(2).map(|euid| euid == "0")
            })
            .unwrap_or(false);
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        std::fs::write(dir.path().join("pw"), format!("{PG_PASSWORD}\n")).expect("pwfile");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let server = Postgres {
            dir,
            bin,
            port,
            as_root,
        };
        if as_root {
            let status = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(server.dir.path())
                .status()
                .expect("chown");
            assert!(status.success(), "chown to the postgres user failed");
        }
        let root = server.dir.path();
        let out = server
            .command("initdb")
            .arg("-D")
            .arg(root.join("data"))
            .args([
                "-U",
                "blog",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ])
            .arg(format!("--pwfile={}", root.join("pw").display()))
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let out = server
            .command("pg_ctl")
            .arg("-D")
            .arg(root.join("data"))
            .arg("-l")
            .arg(root.join("log"))
            .arg("-o")
            .arg(format!(
                "-h 127.0.0.1 -p {port} -k {} -c fsync=off",
                root.display()
            ))
            .args(["-w", "-t", "30", "start"])
            .output()
            .expect("run pg_ctl");
        assert!(
            out.status.success(),
            "the server did not start:\n{}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(root.join("log")).unwrap_or_default()
        );
        // Up to 100 tries in at most 20 s.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        for _ in 0..100 {
            if server.try_client().is_ok() || std::time::Instant::now() > deadline {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        server
    }

    /// A program of PostgreSQL's, as the `postgres` user when root.
    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if self.as_root {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        }
    }

    fn url(&self) -> String {
        format!(
            "postgres://blog:{PG_PASSWORD}@127.0.0.1:{}/postgres?sslmode=disable",
            self.port
        )
    }

    fn try_client(&self) -> Result<postgres::Client, postgres::Error> {
        postgres::Client::connect(
            &format!(
                "host=127.0.0.1 port={} user=blog password={PG_PASSWORD} dbname=postgres",
                self.port
            ),
            postgres::NoTls,
        )
    }

    fn client(&self) -> postgres::Client {
        self.try_client().expect("connect to the test's server")
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "-t", "30", "stop"])
            .output();
    }
}

use std::process::Command;

const PG_SCHEMA: &str = r#"
CREATE TABLE "user" (id SERIAL PRIMARY KEY, username VARCHAR(64), email VARCHAR(120));
CREATE TABLE post (id SERIAL PRIMARY KEY, title VARCHAR(140), body TEXT, "timestamp" TIMESTAMP, user_id INTEGER REFERENCES "user" (id));
CREATE TABLE tag (id SERIAL PRIMARY KEY, name VARCHAR(50) UNIQUE);
CREATE TABLE post_tags (post_id INTEGER REFERENCES post (id), tag_id INTEGER REFERENCES tag (id));
INSERT INTO "user" (username, email) VALUES ('ann', 'ann@example.com'), ('bob', 'bob@example.com');
INSERT INTO post (title, body, "timestamp", user_id) VALUES
  ('Hello World', 'My *first* post.', '2019-03-04 10:20:30.123456', 1),
  ('Café über alles', 'Coffee.', '2019-04-05 08:00:00', 2),
  ('Third Post', 'Short.', '2020-01-02 00:00:00', 1);
INSERT INTO tag (name) VALUES ('flask'), ('python'), ('coffee');
INSERT INTO post_tags VALUES (1, 1), (1, 2), (2, 3);

CREATE TABLE entries (
  id BIGSERIAL PRIMARY KEY, headline VARCHAR(200), content TEXT, slug CHAR(12),
  published_at TIMESTAMPTZ, edited DATE, labels TEXT[], sections VARCHAR(20)[],
  meta JSONB, settings JSON, is_draft BOOLEAN, status TEXT, published BOOLEAN,
  views INT2, likes INT4, score FLOAT4, ratio FLOAT8, price NUMERIC(6, 2), summary TEXT
);
INSERT INTO entries (headline, content, slug, published_at, edited, labels, sections, meta, settings, is_draft, status, published, views, likes, score, ratio, price, summary) VALUES
  ('Typed', '<p>Typed <em>body</em>.</p>', 'typed', '2021-06-01 12:30:00+02', '2021-06-03', '{rust,"web dev"}', '{notes}', '{"series": "one", "part": 2, "tags": ["x"]}', '{"comments": true}', false, 'published', true, 7, 70000, 1.5, 0.25, 9.99, 'A summary.'),
  ('Drafted', '<p>Soon.</p>', 'drafted', NULL, NULL, NULL, NULL, NULL, NULL, true, 'published', true, NULL, NULL, NULL, NULL, NULL, NULL),
  ('Unpublished', '<p>Hidden.</p>', 'hidden', '2021-06-02 00:00:00+00', NULL, '{}', NULL, NULL, NULL, false, 'published', false, NULL, NULL, NULL, NULL, NULL, NULL),
  ('Held', '<p>Held.</p>', 'held', '2021-06-02 00:00:00+00', NULL, NULL, NULL, NULL, NULL, false, 'draft', true, NULL, NULL, NULL, NULL, NULL, NULL);
"#;

const PG_FLASK_QUERY: &str = r#"
SELECT p.id, p.title, p.body, p."timestamp" AS date, u.username AS author,
       string_agg(t.name, ',' ORDER BY t.name) AS tags, '/post/' || p.id AS url
FROM post p
JOIN "user" u ON u.id = p.user_id
LEFT JOIN post_tags pt ON pt.post_id = p.id
LEFT JOIN tag t ON t.id = pt.tag_id
GROUP BY p.id, u.username
ORDER BY p."timestamp""#;

const PG_TYPED_QUERY: &str = "SELECT id, headline AS title, content AS body, slug, published_at AS date, edited AS updated, labels AS tags, sections AS categories, meta, settings, is_draft AS draft, status, published, views, likes, score, ratio, summary FROM entries ORDER BY id";

/// One server for every PostgreSQL case, so the suite stays fast.
#[test]
fn a_postgresql_blog_is_read_in_a_read_only_transaction_and_its_password_never_shown() {
    let server = Postgres::start();
    server.client().batch_execute(PG_SCHEMA).expect("schema");
    let url = server.url();
    let no_password = |run: &Run| {
        for text in [&run.stdout, &run.stderr] {
            assert!(
                !text.contains(PG_PASSWORD),
                "the password is shown:\n{text}"
            );
        }
    };

    // The Flask schema: dates (timestamp, as UTC), the author, the tags.
    let site = SiteTest::new();
    let run = import(&site, &url, PG_FLASK_QUERY, &[]);
    run.assert_ok();
    no_password(&run);
    assert_has(
        &run.stdout,
        &format!("Imported the SQL site at postgres://blog:***@127.0.0.1:{}/postgres?sslmode=disable into out: 3 pages (0 drafts)", server.port),
    );
    assert_eq!(
        site.read("out/content/posts/hello-world.md"),
        "+++\ntitle = \"Hello World\"\ndate = 2019-03-04T10:20:30Z\naliases = [\"/post/1\"]\n\n[taxonomies]\ntags = [\"flask\", \"python\"]\n\n[extra]\nauthor = \"ann\"\nid = 1\n+++\n\nMy *first* post.\n"
    );
    for file in common::snapshot(&site.path("out")).values() {
        assert!(!String::from_utf8_lossy(file).contains(PG_PASSWORD));
    }
    site.run(&["build", "--root", "out"]).assert_ok();
    assert_has(
        &site.read("out/public/tags/coffee/index.html"),
        "Café über alles",
    );
    assert_has(
        &site.read("out/public/post/2/index.html"),
        "/posts/cafe-uber-alles/",
    );

    // Every type blog reads, and drafts from `draft`, `published` and
    // `status`; the body as HTML.
    let site = SiteTest::new();
    let run = import(&site, &url, PG_TYPED_QUERY, &["--body-format", "html"]);
    run.assert_ok();
    assert_has(&run.stdout, "4 pages (3 drafts)");
    assert_eq!(
        site.read("out/content/posts/typed.md"),
        "+++\ntitle = \"Typed\"\ndate = 2021-06-01T10:30:00Z\nupdated = 2021-06-03\ndescription = \"A summary.\"\n\n[taxonomies]\ncategories = [\"notes\"]\ntags = [\"rust\", \"web dev\"]\n\n[extra]\nid = 1\nlikes = 70000\nratio = 0.25\nscore = 1.5\nviews = 7\n\n[extra.meta]\npart = 2\nseries = \"one\"\ntags = [\"x\"]\n\n[extra.settings]\ncomments = true\n+++\n\nTyped *body*.\n"
    );
    for draft in ["drafted", "hidden", "held"] {
        assert_has(
            &site.read(&format!("out/content/posts/{draft}.md")),
            "draft = true\n",
        );
    }
    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/posts/typed/index.html"));
    assert!(!site.exists("out/public/posts/held/index.html"));

    // Through the server's socket folder (`?host=/dir`).
    let site = SiteTest::new();
    let socket_url = format!(
        "postgres://blog:{PG_PASSWORD}@/postgres?host={}&port={}",
        server.dir.path().display(),
        server.port
    );
    let run = import(&site, &socket_url, "SELECT title, body FROM post", &[]);
    run.assert_ok();
    no_password(&run);
    assert!(site.exists("out/content/posts/third-post.md"));

    // Errors: each names the database (without its password), exit 1,
    // nothing written.
    let site = SiteTest::new();
    let shown = format!(
        "postgres://blog:***@127.0.0.1:{}/postgres?sslmode=disable",
        server.port
    );
    let wrong = url.replace(PG_PASSWORD, "not-the-Passw0rd");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port();
    let unreachable = url.replace(&format!(":{}/", server.port), &format!(":{closed}/"));
    let cases: Vec<(&str, &str, String)> = vec![
        (
            &wrong,
            "SELECT title, body FROM post",
            "postgres://blog:***@127.0.0.1:".to_string() + &format!("{}/postgres?sslmode=disable: error: cannot connect to PostgreSQL: password authentication failed for user \"blog\"\n  hint: check the user and password in the URL", server.port),
        ),
        (
            &unreachable,
            "SELECT title, body FROM post",
            format!("postgres://blog:***@127.0.0.1:{closed}/postgres?sslmode=disable: error: cannot connect to PostgreSQL: error connecting to server: Connection refused"),
        ),
        (
            &url,
            "SELECT title, body, 1.5::numeric AS price FROM post",
            format!("{shown}: error: the query's column `price` is of type numeric, which blog does not read\n  hint: cast it in the query: price::text AS price"),
        ),
        (
            &url,
            "SELECT title, body\nFROM posts",
            format!("{shown}: error: the query `SELECT title, body FROM posts` failed: relation \"posts\" does not exist (at line 2, column 6 of the query: `posts`)"),
        ),
        (
            &url,
            "SELECT id, headline FROM entries",
            format!("{shown}: error: the query `SELECT id, headline FROM entries` returned no `title` and no `body` (or `content`) column; it returned: id, headline"),
        ),
        (
            &url,
            "SELECT title, body FROM post WHERE false",
            format!("{shown}: error: the query `SELECT title, body FROM post WHERE false` returned no rows: nothing to import"),
        ),
    ];
    for (url, query, needle) in &cases {
        let run = import(&site, url, query, &[]);
        run.assert_fails();
        run.assert_stderr_has(needle);
        run.assert_stderr_has("nothing was written to out");
        no_password(&run);
        assert!(!run.stderr.contains("not-the-Passw0rd"), "{}", run.stderr);
        assert!(!site.exists("out"), "{query}: out was written");
    }

    // A query that writes is refused, and the rows are still there.
    for query in [
        "DELETE FROM post RETURNING title, body",
        "UPDATE post SET title = 'x' RETURNING title, body",
        "INSERT INTO post (title, body) VALUES ('t', 'b') RETURNING title, body",
        "SELECT nextval('post_id_seq')::text AS title, 'b' AS body",
        "SELECT title, body FROM post; DELETE FROM post",
    ] {
        let run = import(&site, &url, query, &[]);
        run.assert_fails();
        if !query.contains(';') {
            run.assert_stderr_has(
                "would change the database, which blog only reads: cannot execute",
            );
        }
        assert!(!site.exists("out"), "{query}: out was written");
    }
    let mut client = server.client();
    let titles: Vec<String> = client
        .query("SELECT title FROM post ORDER BY id", &[])
        .expect("titles")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(titles, ["Hello World", "Café über alles", "Third Post"]);
    let next: i64 = client
        .query_one("SELECT last_value FROM post_id_seq", &[])
        .expect("sequence")
        .get(0);
    assert_eq!(next, 3, "the sequence moved");
}
