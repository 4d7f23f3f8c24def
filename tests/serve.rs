//! `blog serve` over real HTTP on a loopback port: serving rules, path
//! safety, and the rebuild loop (edits, deletes, renames, errors, templates).

mod common;

use common::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Served\"\nbase_url = \"https://example.org\"\n",
    );
    site.post("hello", "title: Hello\ndate: 2024-01-01", "First version.");
    site.file("static/style.css", "body { color: black }");
    site.file("static/img/dot.png", "\u{89}PNG");
    site
}

#[test]
fn serves_pages_with_types_redirects_404_and_head() {
    let site = site();
    let server = site.serve(&[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-cache"));
    assert!(home.body.contains("Hello"));
    assert!(
        home.body.contains("data-blog-serve"),
        "live reload script injected"
    );
    let port = server.port;
    assert!(
        home.body
            .contains(&format!("http://127.0.0.1:{port}/posts/hello/")),
        "links point at the local server"
    );

    let redirect = server.get("/posts/hello");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/posts/hello/"));
    assert_eq!(
        server.get("/style.css").header("Content-Type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        server.get("/img/dot.png").header("Content-Type"),
        Some("image/png")
    );
    assert_eq!(
        server.get("/rss.xml").header("Content-Type"),
        Some("application/xml; charset=utf-8")
    );

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's 404.html"
    );

    let head = server.request("HEAD", "/posts/hello/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("Content-Length").is_some_and(|l| l != "0"));

    let etag = server
        .get("/posts/hello/")
        .header("ETag")
        .expect("etag")
        .to_string();
    assert_eq!(
        server
            .request("GET", "/posts/hello/", &[("If-None-Match", &etag)])
            .status,
        304
    );
    assert_eq!(server.request("POST", "/", &[]).status, 405);
}

#[test]
fn no_request_reaches_outside_the_site() {
    let site = site();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").expect("write");
    site.file("secret-in-root.txt", "ROOT SECRET");
    let server = site.serve(&[]);
    for path in [
        "/../secret-in-root.txt",
        "/%2e%2e/secret-in-root.txt",
        "/%2E%2E%2Fsecret-in-root.txt",
        "/posts/..%5c..%5csecret-in-root.txt",
        "/posts\\..\\..\\secret-in-root.txt",
        "/%00",
        "/config.toml",
        "/content/posts/hello.md",
        "/secret-in-root.txt",
    ] {
        let reply = server.get(path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: {}",
            reply.status
        );
        assert!(
            !reply.body.contains("SECRET") && !reply.body.contains("title: Hello"),
            "{path} leaked"
        );
    }
}

#[test]
fn edits_deletes_and_renames_show_up() {
    let site = site();
    let server = site.serve(&[]);
    site.post("hello", "title: Hello\ndate: 2024-01-01", "Second version.");
    server.wait_for("/posts/hello/", "the edit", |r| {
        r.body.contains("Second version.")
    });

    site.post("other", "title: Other\ndate: 2024-02-01", "Other.");
    server.wait_for("/", "the new post on the home page", |r| {
        r.body.contains("Other")
    });

    std::fs::rename(
        site.path("content/posts/other.md"),
        site.path("content/posts/renamed.md"),
    )
    .expect("rename");
    server.wait_for("/posts/renamed/", "the renamed post", |r| r.status == 200);
    assert_eq!(server.get("/posts/other/").status, 404);

    site.remove("content/posts/renamed.md");
    server.wait_for("/posts/renamed/", "the deleted post gone", |r| {
        r.status == 404
    });
}

#[test]
fn a_bad_save_shows_an_overlay_and_a_good_one_clears_it() {
    let site = site();
    let server = site.serve(&[]);
    site.post("hello", "title: Hello\ndate: tomorrow-ish", "Broken.");
    let reply = server.wait_for("/posts/hello/", "the error overlay", |r| {
        r.body.contains("blog-error-overlay")
    });
    assert!(
        reply.body.contains("content/posts/hello.md:3:7"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("First version."),
        "the last good page is still served"
    );
    assert_eq!(reply.status, 200);
    site.post("hello", "title: Hello\ndate: 2024-01-01", "Fixed.");
    let reply = server.wait_for("/posts/hello/", "the overlay gone", |r| {
        !r.body.contains("blog-error-overlay")
    });
    assert!(reply.body.contains("Fixed."));
}

#[test]
fn template_and_stylesheet_edits_rebuild() {
    let site = site();
    let server = site.serve(&[]);
    site.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">{{ page.title }}!</p>{% endblock content %}");
    server.wait_for("/posts/hello/", "the template edit", |r| {
        r.body.contains("<p id=\"custom\">Hello!</p>")
    });
    site.file("static/style.css", "body { color: navy }");
    server.wait_for("/style.css", "the stylesheet edit", |r| {
        r.body.contains("navy")
    });
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let run = site.run(&["serve", "--port", &port, "--no-watch"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!(
            "port {port} on 127.0.0.1 is already in use; try another with --port"
        )),
        "{}",
        run.stderr
    );
}
