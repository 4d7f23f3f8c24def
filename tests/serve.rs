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
    site.bytes("static/img/dot.png", &common::png(4, 3));
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

    // Asked by another name (from a phone, by the machine's LAN address),
    // the page's links use that name.
    let by_name = server.request("GET", "/", &[("Host", &format!("localhost:{port}"))]);
    assert!(
        by_name
            .body
            .contains(&format!("http://localhost:{port}/posts/hello/")),
        "links follow the Host asked for"
    );
    assert!(!by_name.body.contains(&format!("http://127.0.0.1:{port}/")));

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
fn static_files_are_streamed_with_byte_ranges() {
    let site = site();
    // 3 MB, in letters so the body can be compared as text.
    let video: String = (0..3_000_000u32)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    site.file("static/media/clip.mp4", &video);
    site.file(
        "static/demo.html",
        "<!doctype html><title>Demo</title><p>Static page</p>",
    );
    let server = site.serve(&[]);

    let whole = server.get("/media/clip.mp4");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("Content-Type"), Some("video/mp4"));
    assert_eq!(whole.header("Accept-Ranges"), Some("bytes"));
    assert_eq!(whole.header("Content-Length"), Some("3000000"));
    assert!(whole.body == video, "the whole file, byte for byte");
    let etag = whole.header("ETag").expect("etag").to_string();

    let range = |spec: &str, extra: &[(&str, &str)]| {
        let mut headers = vec![("Range", spec)];
        headers.extend_from_slice(extra);
        server.request("GET", "/media/clip.mp4", &headers)
    };
    let part = range("bytes=100-199", &[]);
    assert_eq!(part.status, 206);
    assert_eq!(part.header("Content-Range"), Some("bytes 100-199/3000000"));
    assert_eq!(part.body, video[100..200]);
    let tail = range("bytes=-10", &[]);
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, video[2_999_990..]);
    let open_ended = range("bytes=2999000-", &[]);
    assert_eq!(
        open_ended.header("Content-Range"),
        Some("bytes 2999000-2999999/3000000")
    );
    assert_eq!(open_ended.body.len(), 1000);

    let past = range("bytes=3000000-", &[]);
    assert_eq!(past.status, 416);
    assert_eq!(past.header("Content-Range"), Some("bytes */3000000"));
    // Several ranges, or a range for a file that changed: the whole file.
    assert_eq!(range("bytes=0-1,5-6", &[]).status, 200);
    let stale = range("bytes=0-9", &[("If-Range", "\"elsewhere\"")]);
    assert_eq!((stale.status, stale.body.len()), (200, 3_000_000));
    assert_eq!(range("bytes=0-9", &[("If-Range", &etag)]).status, 206);

    let head = server.request("HEAD", "/media/clip.mp4", &[]);
    assert_eq!(head.header("Content-Length"), Some("3000000"));
    assert!(head.body.is_empty());
    assert_eq!(
        server
            .request("GET", "/media/clip.mp4", &[("If-None-Match", &etag)])
            .status,
        304
    );
    // A new version of the file is a new ETag.
    site.file("static/media/clip.mp4", "short now");
    let changed = server.wait_for("/media/clip.mp4", "the replaced file", |r| {
        r.body == "short now"
    });
    assert_ne!(changed.header("ETag"), Some(etag.as_str()));

    // HTML in static/ still gets the live-reload script, and no ranges.
    let demo = server.request("GET", "/demo.html", &[("Range", "bytes=0-3")]);
    assert_eq!(demo.status, 200);
    assert!(demo.body.contains("Static page") && demo.body.contains("data-blog-serve"));
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
    // The terminal says which save failed, before its errors.
    server.wait_for_output("Changed content/posts/hello.md: not built");
    server.wait_for_output("content/posts/hello.md:3:7: error:");
    site.post("hello", "title: Hello\ndate: 2024-01-01", "Fixed.");
    let reply = server.wait_for("/posts/hello/", "the overlay gone", |r| {
        !r.body.contains("blog-error-overlay")
    });
    assert!(reply.body.contains("Fixed."));
}

#[test]
fn a_broken_link_is_a_warning_in_the_terminal_never_an_overlay() {
    let site = site();
    site.post(
        "dead",
        "title: Dead\ndate: 2024-01-02",
        "See [gone](/posts/gone/).",
    );
    let server = site.serve(&[]);
    server.wait_for_output("content/posts/dead.md:5:5: warning: broken link: `/posts/gone/`");
    let summary = server.wait_for_output("Built ");
    assert!(summary.ends_with("; 1 warning"), "{summary}");
    let reply = server.get("/posts/dead/");
    assert_eq!(reply.status, 200);
    assert!(!reply.body.contains("blog-error-overlay"), "{}", reply.body);
    // A new broken link in an edit is printed by the rebuild it causes; a
    // real error beside it shows its overlay, without the warnings.
    site.post(
        "dead",
        "title: Dead\ndate: 2024-01-02",
        "See [gone](/posts/gone/) and [also](/posts/also-gone/).",
    );
    server.wait_for_output("content/posts/dead.md:5:30: warning: broken link: `/posts/also-gone/`");
    site.post("hello", "title: Hello\ndate: tomorrow-ish", "Broken.");
    let reply = server.wait_for("/posts/dead/", "the error overlay", |r| {
        r.body.contains("blog-error-overlay")
    });
    assert!(reply.body.contains("(1 error)"), "{}", reply.body);
    assert!(!reply.body.contains("also-gone/`"), "{}", reply.body);
}

#[test]
fn quiet_serve_prints_no_warnings() {
    let site = site();
    site.post(
        "dead",
        "title: Dead\ndate: 2024-01-02",
        "See [gone](/posts/gone/).",
    );
    let server = site.serve(&["--quiet"]);
    assert_eq!(server.get("/posts/dead/").status, 200);
    // An error still prints: it shows the warnings would have by now.
    site.post("hello", "title: Hello\ndate: tomorrow-ish", "Broken.");
    server.wait_for_output("error:");
    let lines = server.output.lock().expect("lock").join("\n");
    assert!(!lines.contains("warning"), "{lines}");
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
    // Open pages are told: a stylesheet is swapped in place, any other
    // static file reloads them.
    let line = server.wait_for_output("Changed static/style.css:");
    assert!(line.ends_with("(stylesheets swapped)"), "{line}");
    site.bytes("static/img/dot.png", &common::png(5, 3));
    let line = server.wait_for_output("Changed static/img/dot.png:");
    assert!(
        !line.contains("(no change)") && !line.contains("swapped"),
        "{line}"
    );
}

/// A saved Sass file, or a partial it uses, is compiled again and swapped
/// in open tabs like a stylesheet; a mistake in it is shown, then cleared.
#[test]
fn sass_edits_recompile_and_swap_the_stylesheet() {
    let site = site();
    site.file("sass/site.scss", "@use \"ink\";\nbody { color: ink.$c; }\n");
    site.file("sass/_ink.scss", "$c: navy;\n");
    let server = site.serve(&[]);
    assert!(server.get("/site.css").body.contains("color: navy"));
    site.file("sass/_ink.scss", "$c: teal;\n");
    server.wait_for("/site.css", "the partial's edit", |r| {
        r.body.contains("color: teal")
    });
    let line = server.wait_for_output("Changed sass/_ink.scss:");
    assert!(line.ends_with("(stylesheets swapped)"), "{line}");
    site.file("sass/_ink.scss", "$c: ;\n");
    server.wait_for_output("sass/_ink.scss:1:");
    site.file("sass/_ink.scss", "$c: olive;\n");
    server.wait_for("/site.css", "the fixed partial", |r| {
        r.body.contains("color: olive")
    });
    // A new file where `@use "ink"` looks first, the partial it used
    // unchanged: compiled again, not taken from the cache.
    site.file("sass/_ink.sass", "$c: maroon\n");
    server.wait_for("/site.css", "the new partial", |r| {
        r.body.contains("color: maroon")
    });
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let run = site.run(&["serve", "--port", &port, "--no-watch"]);
    assert_eq!(run.code, 1);
    let said = format!("port {port} on 127.0.0.1 is already in use; try --port ");
    let suggested: u16 = run
        .stderr
        .split_once(&said)
        .and_then(|(_, rest)| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no port suggested: {}", run.stderr));
    assert!(run.stderr.contains(", which is free"), "{}", run.stderr);
    assert_ne!(suggested.to_string(), port);
    // The suggestion works: a server starts there.
    drop(taken);
    let _listener =
        std::net::TcpListener::bind(("127.0.0.1", suggested)).expect("the suggested port is free");
}

#[test]
fn a_bad_bind_address_is_a_clear_error() {
    let site = site();
    let run = site.run(&["serve", "--bind", "300.1.1.1", "--no-watch"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot listen on 300.1.1.1:1111"),
        "{}",
        run.stderr
    );
}

#[test]
fn drafts_are_served_only_with_drafts() {
    let site = site();
    site.post(
        "wip",
        "title: WIP\ndate: 2024-03-01\ndraft: true",
        "Not yet.",
    );
    let server = site.serve(&[]);
    assert_eq!(server.get("/posts/wip/").status, 404);
    assert!(!server.get("/").body.contains("WIP"));
    let server = site.serve(&["--drafts"]);
    assert!(server.get("/posts/wip/").body.contains("Not yet."));
    assert!(server.get("/").body.contains("WIP"));
}

#[test]
fn no_watch_serves_the_first_build_and_ignores_saves() {
    let site = site();
    let server = site.serve(&["--no-watch"]);
    assert!(server.get("/posts/hello/").body.contains("First version."));
    site.post("hello", "title: Hello\ndate: 2024-01-01", "Second version.");
    // A watching server shows a save within a few hundred milliseconds
    // (edits_deletes_and_renames_show_up); this one must not, ever.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let page = server.get("/posts/hello/");
    assert!(page.body.contains("First version."), "{}", page.body);
    assert!(
        !server
            .output
            .lock()
            .expect("lock")
            .join("\n")
            .contains("Changed"),
        "the save was seen"
    );
}

/// Served pages link the stylesheets by their own names, without
/// `integrity`: a saved stylesheet keeps its name and swaps in open tabs.
#[test]
fn serve_does_not_fingerprint_stylesheets() {
    let site = site();
    let server = site.serve(&[]);
    let home = server.get("/").body;
    assert!(home.contains("href=\"/style.css\""), "{home}");
    assert!(home.contains("href=\"/syntax.css\""), "{home}");
    assert!(!home.contains("integrity="), "{home}");
    assert_eq!(server.get("/style.css").status, 200);
}

/// `--watch` is how serving is described to users: accepted, and the
/// default it names; of `--watch` and `--no-watch` the last one counts.
#[test]
fn watch_is_the_default_and_the_last_of_watch_and_no_watch_counts() {
    let site = site();
    let server = site.serve(&["--no-watch", "--watch"]);
    site.post(
        "hello",
        "title: Hello\ndate: 2024-01-01",
        "Watched version.",
    );
    server.wait_for("/posts/hello/", "the edit, watched", |r| {
        r.body.contains("Watched version.")
    });
    drop(server);
    let server = site.serve(&["--watch", "--no-watch"]);
    site.post(
        "hello",
        "title: Hello\ndate: 2024-01-01",
        "Unwatched version.",
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let page = server.get("/posts/hello/");
    assert!(page.body.contains("Watched version."), "{}", page.body);
    let help = site.run(&["serve", "--help"]);
    assert!(
        help.stdout.contains("--watch") && help.stdout.contains("(the default)"),
        "{}",
        help.stdout
    );
}

#[test]
fn poll_notices_saves_without_file_events() {
    let site = site();
    let server = site.serve(&["--poll"]);
    site.post("hello", "title: Hello\ndate: 2024-01-01", "Polled version.");
    server.wait_for("/posts/hello/", "the edit, polled", |r| {
        r.body.contains("Polled version.")
    });
    // Saved as editors do: a temporary file renamed over the post.
    site.file(
        "content/posts/.hello.md.tmp",
        "---\ntitle: Hello\ndate: 2024-01-01\n---\nRenamed version.\n",
    );
    std::fs::rename(
        site.path("content/posts/.hello.md.tmp"),
        site.path("content/posts/hello.md"),
    )
    .expect("rename");
    server.wait_for("/posts/hello/", "the edit saved by rename, polled", |r| {
        r.body.contains("Renamed version.")
    });
    site.remove("content/posts/hello.md");
    server.wait_for("/posts/hello/", "the deleted post gone, polled", |r| {
        r.status == 404
    });
}

#[cfg(unix)]
#[test]
fn open_starts_the_systems_browser_at_the_served_url() {
    use std::os::unix::fs::PermissionsExt;
    let site = site();
    // A stand-in for the desktop's opener, first on PATH.
    let opened = site.path("opened.txt");
    site.file(
        "bin/xdg-open",
        &format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    );
    std::fs::set_permissions(
        site.path("bin/xdg-open"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod");
    let path = format!(
        "{}:{}",
        site.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let server = site.serve_env(&["--open", "--no-watch"], &[("PATH", &path)]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !opened.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        site.read("opened.txt").trim(),
        format!("http://127.0.0.1:{}/", server.port)
    );

    // No opener at all: the server says so and keeps serving.
    site.remove("opened.txt");
    let server = site.serve_env(&["--open", "--no-watch"], &[("PATH", "/nonexistent")]);
    assert_eq!(server.get("/posts/hello/").status, 200);
    server.wait_for_output("cannot open a browser");
    assert!(!opened.exists());
}

#[test]
fn editor_saves_by_rename_and_bursts_end_in_the_right_site() {
    let site = site();
    let server = site.serve(&[]);
    // vim, VS Code and JetBrains write a temporary file and rename it over.
    site.file(
        "content/posts/.hello.md.tmp",
        "---\ntitle: Hello\ndate: 2024-01-01\n---\nSaved by rename.\n",
    );
    std::fs::rename(
        site.path("content/posts/.hello.md.tmp"),
        site.path("content/posts/hello.md"),
    )
    .expect("rename");
    server.wait_for("/posts/hello/", "the renamed-over save", |r| {
        r.body.contains("Saved by rename.")
    });
    // A burst, like a git checkout of many files.
    for i in 0..30 {
        site.post(
            &format!("burst{i}"),
            &format!("title: Burst {i}\ndate: 2024-02-01"),
            &format!("Version {i}."),
        );
    }
    for i in 0..30 {
        site.post(
            &format!("burst{i}"),
            &format!("title: Burst {i}\ndate: 2024-02-01"),
            &format!("Final {i}."),
        );
    }
    for i in [0, 15, 29] {
        server.wait_for(
            &format!("/posts/burst{i}/"),
            "the burst's last version",
            |r| r.body.contains(&format!("Final {i}.")),
        );
    }
}

#[test]
fn many_clients_are_served_at_once() {
    let site = site();
    let server = site.serve(&[]);
    // A live-reload stream stays open, as an open tab's does.
    let _events = std::net::TcpStream::connect(("127.0.0.1", server.port)).and_then(|mut s| {
        use std::io::Write;
        s.write_all(b"GET /__blog/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")?;
        Ok(s)
    });
    let port = server.port;
    let handles: Vec<_> = (0..24)
        .map(|_| {
            std::thread::spawn(move || {
                use std::io::{Read, Write};
                let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
                s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
                    .expect("timeout");
                s.write_all(
                    b"GET /posts/hello/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                )
                .expect("send");
                let mut out = String::new();
                let _ = s.read_to_string(&mut out);
                out.starts_with("HTTP/1.1 200")
            })
        })
        .collect();
    let ok = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .filter(|ok| *ok)
        .count();
    assert_eq!(ok, 24);
}

#[test]
fn ctrl_c_stops_the_server_and_leaves_no_files() {
    let site = site();
    let listing = |dir: &std::path::Path| {
        let mut names: Vec<String> = walk(dir);
        names.sort();
        names
    };
    let before = listing(site.root());
    let server = site.serve(&[]);
    site.post("hello", "title: Hello\ndate: 2024-01-01", "Edited once.");
    server.wait_for("/posts/hello/", "the edit", |r| {
        r.body.contains("Edited once.")
    });
    let status = std::process::Command::new("kill")
        .args(["-INT", &server.pid().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exited = server.wait_exit(std::time::Duration::from_secs(10));
    assert!(exited, "blog serve did not stop on SIGINT");
    let mut after = listing(site.root());
    after.retain(|n| n != "content/posts/hello.md");
    let mut expected = before.clone();
    expected.retain(|n| n != "content/posts/hello.md");
    assert_eq!(after, expected, "serve wrote nothing into the site");
    let cache: Vec<String> = listing(site.cache_dir());
    assert!(
        cache.iter().all(
            |n| ["highlight.bin", "highlight.idx", "pages.bin", "pages.idx"]
                .iter()
                .any(|f| n.ends_with(f))
        ),
        "no temporary files in the cache: {cache:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .expect("inside")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out
}

#[test]
fn a_site_that_never_built_shows_its_errors_and_recovers() {
    let site = site();
    site.post(
        "hello",
        "title: Hello\ndate: soon",
        "Broken from the start.",
    );
    let server = site.serve(&[]);
    let reply = server.get("/posts/hello/");
    assert!(
        reply.body.contains("blog-error-overlay")
            && reply.body.contains("content/posts/hello.md:3:7"),
        "{}",
        reply.body
    );
    site.post("hello", "title: Hello\ndate: 2024-01-01", "Now it builds.");
    server.wait_for("/posts/hello/", "the first good build", |r| {
        r.body.contains("Now it builds.") && !r.body.contains("blog-error-overlay")
    });
}

/// Waits (at most 10 s) until the server has printed `count` lines that
/// contain `needle`, and returns those lines.
fn wait_for_lines(server: &common::Server, needle: &str, count: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let lines: Vec<String> = server
            .output
            .lock()
            .expect("lock")
            .iter()
            .filter(|l| l.contains(needle))
            .cloned()
            .collect();
        if lines.len() >= count {
            return lines;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "fewer than {count} lines with {needle:?}: {:?}",
            server.output.lock().expect("lock")
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// `rendered N of M files` from a `--verbose` rebuild line.
fn rendered_counts(line: &str) -> (usize, usize) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "rendered").expect(line);
    (
        words[at + 1].parse().expect(line),
        words[at + 3].parse().expect(line),
    )
}

#[test]
fn verbose_shows_each_rebuilds_stages_and_what_it_rendered() {
    let site = site();
    for i in 0..5 {
        site.post(
            &format!("old-{i}"),
            &format!("title: Old {i}\ndate: 2023-01-0{}", i + 1),
            "Old.",
        );
    }
    let server = site.serve(&["--verbose"]);
    let first = wait_for_lines(&server, "rendered", 1);
    let (rendered, files) = rendered_counts(&first[0]);
    assert!(rendered > 6 && rendered < files, "{first:?}");
    wait_for_lines(&server, "render   ", 1);
    // A new post is a rebuild that renders the new page and what lists it,
    // not the other posts.
    site.post("new", "title: New\ndate: 2024-06-01\ntags: [fresh]", "New.");
    let lines = wait_for_lines(&server, "rendered", 2);
    let (again, total) = rendered_counts(&lines[1]);
    assert!(total > files, "{lines:?}");
    assert!(again > 1 && again < rendered, "{lines:?}");
    for stage in ["content", "site model", "links"] {
        wait_for_lines(&server, &format!("  {stage} "), 2);
    }
}

#[test]
fn a_new_post_shows_before_its_rebuild_and_goes_if_that_rebuild_fails() {
    let site = site();
    let server = site.serve(&[]);
    site.post("fresh", "title: Fresh\ndate: 2024-03-01", "Fresh words.");
    let line = server.wait_for_output("Changed content/posts/fresh.md:");
    assert!(line.contains(": shown in "), "{line}");
    server.wait_for("/", "the new post on the home page", |r| {
        r.body.contains("Fresh")
    });

    // A broken link fails a strict build, but not the preview: the page
    // shows for the rebuild's time, then goes with the errors over the
    // last good build.
    site.file(
        "config.toml",
        &format!(
            "{}strict = true\n",
            std::fs::read_to_string(site.path("config.toml")).expect("config")
        ),
    );
    server.wait_for_output("Changed config.toml:");
    // Written whole and renamed into place, so no save is seen half done.
    site.file(
        "content/posts/.linked.md.part",
        "---\ntitle: Linked\ndate: 2024-03-02\n---\nSee [nothing](/nowhere/).\n",
    );
    std::fs::rename(
        site.path("content/posts/.linked.md.part"),
        site.path("content/posts/linked.md"),
    )
    .expect("rename");
    server.wait_for_output("content/posts/linked.md: shown in ");
    let reply = server.wait_for("/posts/linked/", "the failed post withdrawn", |r| {
        r.status == 404
    });
    assert!(
        reply.body.contains("/nowhere/"),
        "the error shows: {}",
        reply.body
    );
    assert!(server.get("/posts/fresh/").body.contains("Fresh words."));
}

#[test]
fn quiet_and_verbose_together_are_a_usage_error() {
    let site = site();
    let run = site.run(&["serve", "--quiet", "--verbose", "--no-watch"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn a_shortcode_template_edit_reaches_the_pages_calling_it() {
    let site = site();
    site.file(
        "templates/shortcodes/badge.html",
        "<span class=\"badge\">{{ text }}</span>",
    );
    site.post(
        "called",
        "title: Called\ndate: 2024-01-03",
        "A {{ badge(text=\"first\") }} badge.",
    );
    let server = site.serve(&[]);
    server.wait_for("/posts/called/", "the shortcode", |r| {
        r.body.contains("<span class=\"badge\">first</span>")
    });
    site.file(
        "templates/shortcodes/badge.html",
        "<b class=\"badge\">{{ text | upper }}</b>",
    );
    server.wait_for("/posts/called/", "the edited shortcode", |r| {
        r.body.contains("<b class=\"badge\">FIRST</b>")
    });
}

#[test]
fn a_page_set_to_render_false_while_served_goes_away() {
    let site = site();
    let server = site.serve(&[]);
    assert_eq!(server.get("/posts/hello/").status, 200);
    site.post(
        "hello",
        "title: Hello\ndate: 2024-01-01\nrender: false",
        "First version.",
    );
    server.wait_for("/posts/hello/", "the page gone", |r| r.status == 404);
}
