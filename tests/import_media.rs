//! `blog import … --media` and `blog import --from feed URL`, against a real
//! HTTP server on 127.0.0.1 started by each test: the images of a WordPress
//! export and of a feed are downloaded into their posts' bundles, the links
//! rewritten, `blog build` publishes them beside the post and `blog check`
//! finds no broken image; every kind of failure keeps the remote link and is
//! reported; without `--media` nothing is fetched.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::SiteTest;

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// What the server answers for a path (with its query), given how many
/// times the path was asked for before.
enum Reply {
    Ok(&'static str, Vec<u8>),
    /// Without a Content-Length (chunked).
    Chunked(&'static str, Vec<u8>),
    Status(u16),
    Redirect(String),
    /// After a sleep.
    Late(Duration, Box<Reply>),
}

struct Server {
    base: String,
    log: Arc<Mutex<Vec<String>>>,
    /// The most requests answered at once.
    most: Arc<AtomicUsize>,
}

impl Server {
    fn start(route: fn(&str, usize, &str) -> Reply) -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("server");
        let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        let own = base.clone();
        let most = Arc::new(AtomicUsize::new(0));
        let (busy, top) = (Arc::new(AtomicUsize::new(0)), most.clone());
        std::thread::spawn(move || {
            // Bounded: each test makes a few dozen requests at most.
            for _ in 0..100 {
                let Ok(Some(request)) = server.recv_timeout(Duration::from_secs(30)) else {
                    return;
                };
                let path = request.url().to_string();
                let before = {
                    let mut log = seen.lock().expect("log");
                    let n = log.iter().filter(|p| **p == path).count();
                    log.push(path.clone());
                    n
                };
                let reply = route(&path, before, &own);
                let (busy, top) = (busy.clone(), top.clone());
                std::thread::spawn(move || {
                    top.fetch_max(busy.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                    respond(request, reply);
                    busy.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Server { base, log, most }
    }

    fn hits(&self, path: &str) -> usize {
        let log = self.log.lock().expect("log");
        log.iter().filter(|p| *p == path).count()
    }

    fn total(&self) -> usize {
        self.log.lock().expect("log").len()
    }
}

fn respond(request: tiny_http::Request, reply: Reply) {
    let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k, v).expect("header");
    let _ = match reply {
        Reply::Ok(kind, bytes) => request.respond(
            tiny_http::Response::from_data(bytes).with_header(header("Content-Type", kind)),
        ),
        Reply::Chunked(kind, bytes) => request.respond(tiny_http::Response::new(
            tiny_http::StatusCode(200),
            vec![header("Content-Type", kind)],
            std::io::Cursor::new(bytes),
            None,
            None,
        )),
        Reply::Status(code) => request.respond(tiny_http::Response::empty(code)),
        Reply::Redirect(to) => {
            request.respond(tiny_http::Response::empty(302).with_header(header("Location", &to)))
        }
        Reply::Late(wait, reply) => {
            std::thread::sleep(wait);
            respond(request, *reply);
            Ok(())
        }
    };
}

/// The images of these tests.
fn images(path: &str, before: usize, base: &str) -> Reply {
    match path {
        "/img/ok.png"
        | "/img/shared.png"
        | "/img/feature.png"
        | "/img/full.png"
        | "/img/..%2F..%2Fx.png?size=2" => Reply::Ok("image/png", PNG.to_vec()),
        // No type the server admits to: the bytes say PNG.
        p if p.starts_with("/content/images/") => Reply::Ok("image/png", PNG.to_vec()),
        "/img/untyped" => Reply::Ok("application/octet-stream", PNG.to_vec()),
        "/img/moved.png" => Reply::Redirect(format!("{base}/img/ok.png")),
        "/img/loop.png" => Reply::Redirect(format!("{base}/img/loop.png")),
        "/img/flaky.png" if before == 0 => Reply::Status(503),
        "/img/flaky.png" => Reply::Ok("image/png", PNG.to_vec()),
        "/img/page.png" => Reply::Ok(
            "text/html; charset=utf-8",
            b"<!doctype html><html><body>Not found, but 200</body></html>".to_vec(),
        ),
        "/img/slow.png" => Reply::Late(
            Duration::from_secs(3),
            Box::new(Reply::Ok("image/png", PNG.to_vec())),
        ),
        p if p.starts_with("/img/wait-") => Reply::Late(
            Duration::from_millis(300),
            Box::new(Reply::Ok("image/png", PNG.to_vec())),
        ),
        "/img/big.png" => Reply::Ok("image/png", big()),
        "/img/big-chunked.png" => Reply::Chunked("image/png", big()),
        _ => Reply::Status(404),
    }
}

/// 1.5 MB, starting as a PNG does.
fn big() -> Vec<u8> {
    let mut bytes = PNG.to_vec();
    bytes.resize(1_500_000, 0);
    bytes
}

/// A WordPress export of `posts` (slug, HTML body), at example.com, with
/// one attachment (id 50, at `feature`) as the first post's featured image.
fn export(posts: &[(&str, &str)], feature: &str) -> String {
    let mut items = String::new();
    for (n, (slug, body)) in posts.iter().enumerate() {
        let id = 100 + n;
        let thumbnail = if n == 0 && !feature.is_empty() {
            "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>50</wp:meta_value></wp:postmeta>"
        } else {
            ""
        };
        items.push_str(&format!(
            "<item><title>Post {slug}</title><link>https://example.com/2024/01/{slug}/</link>\
             <content:encoded><![CDATA[{body}]]></content:encoded>\
             <wp:post_id>{id}</wp:post_id><wp:post_date>2024-01-0{d} 10:00:00</wp:post_date>\
             <wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>\
             <wp:post_type>post</wp:post_type>{thumbnail}</item>\n",
            d = n + 1
        ));
    }
    if !feature.is_empty() {
        items.push_str(&format!(
            "<item><title>feature</title><wp:post_id>50</wp:post_id><wp:post_type>attachment</wp:post_type>\
             <wp:attachment_url>{feature}</wp:attachment_url></item>\n"
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel><title>T</title><link>https://example.com</link>\n{items}</channel></rss>\n"
    )
}

fn import(site: &SiteTest, xml: &str, extra: &[&str]) -> common::Run {
    site.file("wp/export.xml", xml);
    let mut args = vec!["import", "--from", "wordpress", "wp/export.xml", "out"];
    args.extend_from_slice(extra);
    site.run(&args)
}

#[track_caller]
fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "no {needle:?} in:\n{text}");
}

#[test]
fn images_are_downloaded_into_the_posts_bundle_once_and_published_beside_it() {
    let server = Server::start(images);
    let b = &server.base;
    let xml = export(
        &[
            (
                "one",
                &format!("<p>Look: <img src=\"{b}/img/ok.png\" alt=\"OK\"></p>\n\n[caption id=\"c\" width=\"300\"]<img src=\"{b}/img/shared.png\" alt=\"S\" /> Shared[/caption]\n\n<p><img src=\"{b}/img/moved.png\" alt=\"M\"> <img src=\"{b}/img/untyped\" alt=\"U\"></p>"),
            ),
            ("two", &format!("<p><a href=\"{b}/img/full.png\"><img src=\"{b}/img/shared.png\" alt=\"Again\"></a> <a href=\"{b}/about/\">a page</a></p><pre><code>![code]({b}/img/code.png)</code></pre>")),
        ],
        &format!("{b}/img/feature.png"),
    );
    let site = SiteTest::new();
    let run = import(&site, &xml, &["--media"]);
    run.assert_ok();
    has(&run.stdout, "; 6 media fetched, 0 failed\n");
    // No terminal: no progress line.
    assert_eq!(run.stderr, "");

    // Bundles, with the images beside the post and the links rewritten.
    assert!(!site.exists("out/content/posts/one.md"));
    let one = site.read("out/content/posts/one/index.md");
    has(&one, "image = \"feature.png\"");
    has(&one, "![OK](ok.png)");
    has(
        &one,
        "{{ figure(src=\"shared.png\", alt=\"S\", caption=\"Shared\") }}",
    );
    // A redirect is followed; the name is the URL's; the type from the bytes.
    has(&one, "![M](moved.png)");
    has(&one, "![U](untyped.png)");
    assert!(!one.contains(b.as_str()), "{one}");
    for name in [
        "ok.png",
        "shared.png",
        "feature.png",
        "moved.png",
        "untyped.png",
    ] {
        assert_eq!(
            std::fs::read(site.path(&format!("out/content/posts/one/{name}"))).expect(name),
            PNG
        );
    }
    let two = site.read("out/content/posts/two/index.md");
    // The picture and the link to its full size; a link to a page is not
    // an image.
    has(&two, "[![Again](shared.png)](full.png)");
    has(&two, &format!("[a page]({b}/about/)"));
    assert_eq!(server.hits("/about/"), 0);
    // Code is never touched, nor fetched.
    has(&two, &format!("![code]({b}/img/code.png)"));
    assert_eq!(server.hits("/img/code.png"), 0);
    assert_eq!(
        std::fs::read(site.path("out/content/posts/two/shared.png")).expect("shared"),
        PNG
    );
    // Each URL once, though two posts use it.
    assert_eq!(server.hits("/img/shared.png"), 1);

    // Published beside the post, at its old URL; no broken image.
    site.run(&["build", "--root", "out"]).assert_ok();
    assert_eq!(
        std::fs::read(site.path("out/public/2024/01/one/ok.png")).expect("published"),
        PNG
    );
    assert!(site.exists("out/public/2024/01/two/shared.png"));
    let html = site.read("out/public/2024/01/one/index.html");
    has(&html, "src=\"ok.png\"");
    let check = site.run(&["check", "--root", "out"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn each_failure_keeps_the_remote_link_and_is_reported_with_its_post() {
    let server = Server::start(images);
    let b = &server.base;
    let host = b.trim_start_matches("http://");
    let xml = export(
        &[(
            "fails",
            &format!(
                "<p><img src=\"{b}/img/missing.png\" alt=\"a\"> <img src=\"{b}/img/page.png\" alt=\"b\"> \
                 <img src=\"file:///etc/hostname\" alt=\"c\"> <img src=\"ftp://{host}/img/ftp.png\" alt=\"d\"> \
                 <img src=\"{b}/img/flaky.png\" alt=\"e\"> <img src=\"http://127.0.0.1:1/refused.png\" alt=\"g\"> <img src=\"{b}/img/loop.png\" alt=\"h\"> <img src=\"{b}/img/..%2F..%2Fx.png?size=2\" alt=\"f\"></p>"
            ),
        )],
        "",
    );
    let site = SiteTest::new();
    let run = import(&site, &xml, &["--media"]);
    run.assert_ok();
    for line in [
        format!("wp/export.xml:4:1: item 100 “Post fails”: its image {b}/img/missing.png was not downloaded (HTTP 404): it still points there\n"),
        format!("wp/export.xml:4:1: item 100 “Post fails”: its image {b}/img/page.png was not downloaded (not an image (the server sent text/html)): it still points there\n"),
        "wp/export.xml:4:1: item 100 “Post fails”: its image file:///etc/hostname is not fetched: only http and https images are downloaded; the link is kept as written\n".to_string(),
        format!("its image ftp://{host}/img/ftp.png is not fetched: only http and https images are downloaded"),
        "wp/export.xml:4:1: item 100 “Post fails”: its image http://127.0.0.1:1/refused.png was not downloaded (connection refused): it still points there\n".to_string(),
        format!("wp/export.xml:4:1: item 100 “Post fails”: its image {b}/img/loop.png was not downloaded (more than 5 redirects): it still points there\n"),
        "; 2 media fetched, 4 failed\n".to_string(),
    ] {
        has(&run.stdout, &line);
    }
    // A 404 is not asked again; a 503 is, and then answers.
    assert_eq!(server.hits("/img/missing.png"), 1);
    assert_eq!(server.hits("/img/flaky.png"), 2);
    assert_eq!(server.hits("/img/ftp.png"), 0);
    // The first request and five redirects, not tried again.
    assert_eq!(server.hits("/img/loop.png"), 6);
    let post = site.read("out/content/posts/fails/index.md");
    has(&post, &format!("![a]({b}/img/missing.png)"));
    has(&post, &format!("![b]({b}/img/page.png)"));
    has(&post, "![c](file:///etc/hostname)");
    has(&post, "![e](flaky.png)");
    // `..%2F` and the query stay out of the name and out of other folders.
    has(&post, "![f](x.png)");
    let mut files: Vec<String> = std::fs::read_dir(site.path("out/content/posts/fails"))
        .expect("bundle")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["flaky.png", "index.md", "x.png"]);
    // Every image of the site is in the bundle.
    let all = common::snapshot(site.root());
    let images: Vec<&String> = all.keys().filter(|k| k.ends_with(".png")).collect();
    assert_eq!(
        images,
        [
            "out/content/posts/fails/flaky.png",
            "out/content/posts/fails/x.png"
        ]
    );
}

#[test]
fn a_slow_image_times_out_after_its_retries_and_the_import_goes_on() {
    let server = Server::start(images);
    let b = &server.base;
    let xml = export(
        &[("slow", &format!("<p><img src=\"{b}/img/slow.png\" alt=\"s\"> <img src=\"{b}/img/ok.png\" alt=\"o\"></p>"))],
        "",
    );
    let site = SiteTest::new();
    let started = Instant::now();
    let run = import(&site, &xml, &["--media", "--media-timeout", "1"]);
    run.assert_ok();
    has(
        &run.stdout,
        &format!("its image {b}/img/slow.png was not downloaded (timed out after 1 s): it still points there"),
    );
    has(&run.stdout, "; 1 media fetched, 1 failed\n");
    // Three attempts of a second each and short waits between them.
    assert_eq!(server.hits("/img/slow.png"), 3);
    assert!(
        started.elapsed() < Duration::from_secs(9),
        "{:?}",
        started.elapsed()
    );
    let post = site.read("out/content/posts/slow/index.md");
    has(&post, &format!("![s]({b}/img/slow.png)"));
    has(&post, "![o](ok.png)");
}

#[test]
fn an_image_over_the_size_limit_is_not_kept_whether_or_not_its_length_is_sent() {
    let server = Server::start(images);
    let b = &server.base;
    let xml = export(
        &[("big", &format!("<p><img src=\"{b}/img/big.png\" alt=\"a\"> <img src=\"{b}/img/big-chunked.png\" alt=\"b\"></p>"))],
        "",
    );
    let site = SiteTest::new();
    let run = import(&site, &xml, &["--media", "--media-max-size", "1"]);
    run.assert_ok();
    for path in ["big.png", "big-chunked.png"] {
        has(
            &run.stdout,
            &format!("wp/export.xml:4:1: item 100 “Post big”: its image {b}/img/{path} was not downloaded (larger than the limit of 1 MB): it still points there"),
        );
        // Not worth another attempt.
        assert_eq!(server.hits(&format!("/img/{path}")), 1);
    }
    has(&run.stdout, "; 0 media fetched, 2 failed\n");
    // No image came: the post stays a file of its own.
    let post = site.read("out/content/posts/big.md");
    has(&post, &format!("![a]({b}/img/big.png)"));
    assert!(!site.exists("out/content/posts/big"));

    // Under the default limit (20 MB) both come.
    let site = SiteTest::new();
    import(&site, &xml, &["--media"]).assert_ok();
    assert_eq!(
        std::fs::read(site.path("out/content/posts/big/big-chunked.png"))
            .expect("chunked")
            .len(),
        1_500_000
    );
}

#[test]
fn without_media_nothing_is_fetched_and_the_report_says_how_to_download() {
    let server = Server::start(images);
    let b = &server.base;
    let xml = export(
        &[
            (
                "one",
                &format!("<p><img src=\"{b}/img/ok.png\" alt=\"a\"></p>"),
            ),
            (
                "two",
                &format!("<p><img src=\"{b}/img/shared.png\" alt=\"b\"></p>"),
            ),
            ("three", "<p>No image.</p>"),
        ],
        &format!("{b}/img/feature.png"),
    );
    let site = SiteTest::new();
    let run = import(&site, &xml, &[]);
    run.assert_ok();
    has(
        &run.stdout,
        "wp/export.xml: 3 images of 2 posts still point at the old host (“Post one” (content/posts/one.md), “Post two” (content/posts/two.md)): import again with --media to download them beside each post\n",
    );
    assert!(!run.stdout.contains("media fetched"), "{}", run.stdout);
    assert_eq!(server.total(), 0);
    has(
        &site.read("out/content/posts/one.md"),
        &format!("![a]({b}/img/ok.png)"),
    );
}

#[test]
fn media_jobs_bounds_the_downloads_at_once() {
    let server = Server::start(images);
    let b = &server.base;
    let body: String = (0..6)
        .map(|n| format!("<p><img src=\"{b}/img/wait-{n}.png\" alt=\"{n}\"></p>"))
        .collect();
    let site = SiteTest::new();
    let run = import(
        &site,
        &export(&[("many", &body)], ""),
        &["--media", "--media-jobs", "2"],
    );
    run.assert_ok();
    has(&run.stdout, "; 6 media fetched, 0 failed\n");
    assert_eq!(server.total(), 6);
    assert_eq!(server.most.load(Ordering::SeqCst), 2);
    // Two names of one file in one post.
    let post = site.read("out/content/posts/many/index.md");
    has(&post, "![5](wait-5.png)");
}

#[test]
fn a_bundle_keeps_its_old_url_when_the_permalinks_do_not_give_it() {
    let server = Server::start(images);
    let b = &server.base;
    let mut xml = export(
        &[
            (
                "one",
                &format!("<p><img src=\"{b}/img/ok.png\" alt=\"a\"></p>"),
            ),
            ("two", "<p>Text.</p>"),
        ],
        "",
    );
    // Two URL shapes: no one pattern for the posts.
    xml = xml.replace(
        "https://example.com/2024/01/one/",
        "https://example.com/archive/one.html",
    );
    let site = SiteTest::new();
    import(&site, &xml, &["--media"]).assert_ok();
    let post = site.read("out/content/posts/one/index.md");
    has(&post, "path = \"/archive/one.html\"");
    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/archive/one.html"));
    // Its image where the page's `ok.png` leads.
    assert_eq!(
        std::fs::read(site.path("out/public/archive/ok.png")).expect("published"),
        PNG
    );
    let check = site.run(&["check", "--root", "out"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn a_ghost_exports_images_on_its_own_site_are_downloaded_too() {
    let server = Server::start(images);
    let b = &server.base;
    let json = format!(
        r#"{{"db":[{{"data":{{"settings":[{{"key":"url","value":"{b}"}}],"posts":[{{"id":"1","title":"G","slug":"g","status":"published","published_at":"2024-01-01T10:00:00.000Z","feature_image":"__GHOST_URL__/content/images/feature.png","html":"<p><img src=\"__GHOST_URL__/content/images/2024/01/in-body.png\" alt=\"b\"></p>"}}]}}}}]}}"#
    );
    let site = SiteTest::new();
    site.file("ghost/export.json", &json);
    let run = site.run(&[
        "import",
        "--from",
        "ghost",
        "ghost/export.json",
        "out",
        "--media",
    ]);
    run.assert_ok();
    has(&run.stdout, "; 2 media fetched, 0 failed\n");
    let post = site.read("out/content/posts/g/index.md");
    has(&post, "image = \"feature.png\"");
    has(&post, "![b](in-body.png)");
    assert!(site.exists("out/content/posts/g/in-body.png"));
    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/g/in-body.png"));
}

#[test]
fn a_databases_posts_images_are_downloaded_too() {
    let server = Server::start(images);
    let b = &server.base;
    let site = SiteTest::new();
    let db = rusqlite::Connection::open(site.path("app.db")).expect("create the database");
    db.execute_batch(
        "CREATE TABLE post (id INTEGER PRIMARY KEY, title TEXT, body TEXT, cover TEXT);",
    )
    .expect("schema");
    db.execute(
        "INSERT INTO post (title, body, cover) VALUES ('S', ?1, ?2)",
        [
            format!("A picture: ![p]({b}/img/ok.png)\n\nAnd a lost one: ![l]({b}/img/gone.png)\n"),
            format!("{b}/img/feature.png"),
        ],
    )
    .expect("row");
    drop(db);
    let run = site.run(&[
        "import",
        "--from",
        "sql",
        "sqlite:app.db",
        "--query",
        "SELECT title, body, '2024-01-01' AS date, cover AS image FROM post",
        "out",
        "--media",
    ]);
    run.assert_ok();
    has(&run.stdout, "; 2 media fetched, 1 failed\n");
    has(&run.stdout, "(HTTP 404)");
    let post = site.read("out/content/posts/s/index.md");
    has(&post, "![p](ok.png)");
    has(&post, &format!("![l]({b}/img/gone.png)"));
    has(&post, "image = \"feature.png\"");
    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/posts/s/ok.png"));
}

#[test]
fn media_with_a_site_folder_is_an_error_that_writes_nothing() {
    let site = SiteTest::new();
    site.file("old/_config.yml", "title: Old\n");
    site.file("old/_posts/2024-01-01-a.md", "---\ntitle: A\n---\nA.\n");
    let run = site.run(&["import", "--from", "jekyll", "old", "out", "--media"]);
    run.assert_fails()
        .assert_stderr_has("old: error: --media downloads the images of an export's posts (WordPress, Ghost, a feed or a database)")
        .assert_stderr_has("import again without --media");
    assert!(!site.exists("out"));
}

/// A feed and its images, on the test's server.
fn feeds(path: &str, before: usize, base: &str) -> Reply {
    match path {
        "/feed.xml" => Reply::Ok(
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Loop</title><link>{base}/blog</link>\n\
                 <item><title>Pics</title><link>{base}/blog/2024/03/pics/</link><pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate>\
                 <description><![CDATA[<p><img src=\"/img/ok.png\" alt=\"root\"> <img src=\"{base}/img/shared.png\" alt=\"full\"> <img src=\"/img/missing.png\" alt=\"gone\"> <img src=\"beside.png\" alt=\"rel\"></p>]]></description></item>\n\
                 </channel></rss>\n"
            )
            .into_bytes(),
        ),
        "/page.xml" => Reply::Ok("text/html", b"<!doctype html>\n<html><body>Hi</body></html>\n".to_vec()),
        "/blog/2024/03/pics/beside.png" => Reply::Ok("image/png", PNG.to_vec()),
        "/slow.xml" => Reply::Late(Duration::from_secs(3), Box::new(Reply::Status(200))),
        _ => images(path, before, base),
    }
}

#[test]
fn a_feed_url_is_fetched_and_read_as_its_file_with_root_images_on_its_site() {
    let server = Server::start(feeds);
    let b = &server.base;
    let site = SiteTest::new();
    let url = format!("{b}/feed.xml");
    let run = site.run(&["import", "--from", "feed", &url, "out", "--media"]);
    run.assert_ok();
    // Notes name the URL, not a file.
    has(
        &run.stdout,
        &format!("{url}: a feed usually holds only the newest posts: 1 entry was imported\n"),
    );
    has(
        &run.stdout,
        &format!("Imported the feed site at {url} into out: 1 page (0 drafts)"),
    );
    has(&run.stdout, "; 3 media fetched, 1 failed\n");
    // A failure at the entry's line in the feed, named by its URL.
    has(
        &run.stdout,
        &format!("{url}:3:1: entry “Pics”: its image {b}/img/missing.png was not downloaded (HTTP 404): it still points there\n"),
    );
    has(
        &site.read("out/config.toml"),
        &format!("base_url = \"{b}/blog\""),
    );
    let post = site.read("out/content/posts/pics/index.md");
    // `/img/ok.png` is on the feed's site.
    has(&post, "![root](ok.png)");
    has(&post, "![full](shared.png)");
    // `beside.png` was beside the post at its old address.
    has(&post, "![rel](beside.png)");
    assert_eq!(server.hits("/blog/2024/03/pics/beside.png"), 1);
    // What did not come keeps its old address, which a root link loses.
    has(&post, &format!("![gone]({b}/img/missing.png)"));
    assert_eq!(server.hits("/img/ok.png"), 1);
    assert_eq!(server.hits("/feed.xml"), 1);
    site.run(&["build", "--root", "out"]).assert_ok();
    assert!(site.exists("out/public/2024/03/pics/ok.png"));
    let check = site.run(&["check", "--root", "out"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    // Nothing is left beside DEST.
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .expect("root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn a_feed_url_that_fails_names_the_url_and_the_reason_and_writes_nothing() {
    let server = Server::start(feeds);
    let b = &server.base;
    for (path, extra, message) in [
        (
            "/gone.xml",
            vec![],
            "cannot be fetched: HTTP 404".to_string(),
        ),
        (
            "/page.xml",
            vec![],
            "is not an RSS or Atom feed: its root element is <html>, not <rss> or <feed>"
                .to_string(),
        ),
        (
            "/slow.xml",
            vec!["--media-timeout", "1"],
            "cannot be fetched: timed out after 1 s".to_string(),
        ),
    ] {
        let site = SiteTest::new();
        let url = format!("{b}{path}");
        let mut args = vec!["import", "--from", "feed", url.as_str(), "out"];
        args.extend(extra);
        let run = site.run(&args);
        run.assert_fails()
            .assert_stderr_has(&url)
            .assert_stderr_has(&message)
            .assert_stderr_has("nothing was written to out");
        assert!(!site.exists("out"), "{path}");
        let left: Vec<_> = std::fs::read_dir(site.root()).expect("root").collect();
        assert!(left.is_empty(), "{path}: {left:?}");
    }
}

#[test]
fn a_stopped_download_leaves_no_dest() {
    let server = Server::start(images);
    let b = &server.base;
    let site = SiteTest::new();
    site.file(
        "wp/export.xml",
        &export(
            &[(
                "slow",
                &format!("<p><img src=\"{b}/img/slow.png\" alt=\"s\"></p>"),
            )],
            "",
        ),
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_blog"))
        .args([
            "import",
            "--from",
            "wordpress",
            "wp/export.xml",
            "out",
            "--media",
        ])
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while server.hits("/img/slow.png") == 0 && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.hits("/img/slow.png"), 1);
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    assert!(!status.success());
    assert!(!site.exists("out"));
    // The next import clears what the stopped one left and completes.
    let run = site.run(&["import", "--from", "wordpress", "wp/export.xml", "out"]);
    run.assert_ok();
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .expect("root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}
