//! Link checking: `blog build` warns of broken internal links and anchors at
//! their line and column, and fails on them with `--strict` or `strict =
//! true`; `blog check` reports them as errors, with missing images and,
//! with `--external`, external links that fail (against loopback servers).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::SiteTest;

const CONFIG: &str = "title = \"Links\"\nbase_url = \"https://example.org\"\n";

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file("config.toml", CONFIG);
    site.post(
        "target",
        "title: Target\ndate: 2024-01-01",
        "## First part\n\nText.\n\n## Second {#custom}\n\nMore[^note].\n\n[^note]: A note.\n\n<div id=\"raw-box\"></div>\n",
    );
    site.file("static/files/report.pdf", "%PDF");
    site.file(
        "content/posts/bundle/index.md",
        "---\ntitle: Bundle\ndate: 2024-01-02\n---\n![photo](photo.jpg)\n",
    );
    site.bytes("content/posts/bundle/photo.jpg", &common::jpeg(8, 6));
    site
}

#[test]
fn every_good_kind_of_link_builds() {
    let site = site();
    site.post(
        "good",
        "title: Good\ndate: 2024-01-03",
        "[abs](/posts/target/) [rel](../target/) [no slash](/posts/target)\n\
         [heading](/posts/target/#first-part) [custom](../target/#custom)\n\
         [footnote](/posts/target/#fn-note) [raw id](/posts/target/#raw-box)\n\
         [own](https://example.org/posts/target/#second-part-missing-is-fine-elsewhere)\n\
         [file](/files/report.pdf) [feed](/rss.xml) [home](/) [tags](/tags/)\n\
         [self](#mine) [query](/posts/target/?x=1) [external](https://elsewhere.invalid/x)\n\
         [mail](mailto:me@example.org) [template id](/posts/target/#main)\n\n## Mine\n",
    );
    // The anchor on the production URL is checked too.
    let run = site.build(&["--strict"]);
    run.assert_fails()
        .assert_stderr_has("content/posts/good.md:8:1: error: `https://example.org/posts/target/#second-part-missing-is-fine-elsewhere`: `/posts/target/` has no element with id `second-part-missing-is-fine-elsewhere`");
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    site.post(
        "good",
        "title: Good\ndate: 2024-01-03",
        "[abs](/posts/target/) [rel](../target/) [no slash](/posts/target)\n\
         [heading](/posts/target/#first-part) [custom](../target/#custom)\n\
         [footnote](/posts/target/#fn-note) [raw id](/posts/target/#raw-box)\n\
         [own](https://example.org/posts/target/#custom)\n\
         [file](/files/report.pdf) [feed](/rss.xml) [home](/) [tags](/tags/)\n\
         [self](#mine) [query](/posts/target/?x=1) [external](https://elsewhere.invalid/x)\n\
         [mail](mailto:me@example.org) [template id](/posts/target/#main)\n\n## Mine\n",
    );
    site.build(&[]).assert_ok();
    site.run(&["check"]).assert_ok();
}

#[test]
fn broken_links_and_anchors_are_warnings_at_their_line_and_column_and_errors_when_strict() {
    let site = site();
    site.post(
        "bad",
        "title: Bad\ndate: 2024-01-03",
        "Intro.\n\nSee [gone](/posts/gone/) and [anchor](/posts/target/#nope).\n\n\
         A [md link](tagret.md) and <a href=\"/raw/missing/\">raw</a>.\n\n[up](../../../../etc/passwd)\n",
    );
    // A legacy blog with dead links still publishes, and hears of each.
    let run = site.build(&[]);
    run.assert_ok()
        .assert_stderr_has("content/posts/bad.md:7:5: warning: broken link: `/posts/gone/` is not a page or file of this site")
        .assert_stderr_has("content/posts/bad.md:7:30: warning: `/posts/target/#nope`: `/posts/target/` has no element with id `nope`")
        .assert_stderr_has("content/posts/bad.md:11:1: warning: broken link: `../../../../etc/passwd`");
    assert!(!run.stderr.contains("error:"), "{}", run.stderr);
    assert!(run.stdout.contains(" ms; 5 warnings"), "{}", run.stdout);
    assert!(site.exists("public/posts/bad/index.html"));
    // --quiet prints nothing at all.
    let run = site.build(&["--quiet"]);
    run.assert_ok();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));

    std::fs::remove_dir_all(site.path("public")).expect("remove public");
    let run = site.build(&["--strict"]);
    run.assert_fails()
        .assert_stderr_has("content/posts/bad.md:7:5: error: broken link: `/posts/gone/` is not a page or file of this site")
        .assert_stderr_has("content/posts/bad.md:7:30: error: `/posts/target/#nope`: `/posts/target/` has no element with id `nope`")
        .assert_stderr_has("hint: use one of its ids, such as `#custom`, `#first-part`")
        .assert_stderr_has("content/posts/bad.md:9:3: error: broken link: `tagret.md` names content/posts/tagret.md, which does not exist")
        .assert_stderr_has("hint: name a markdown file by its path from this file (`../other.md`) or from content/ (`@/posts/other.md`)")
        .assert_stderr_has("content/posts/bad.md:9:31: error: broken link: `/raw/missing/`")
        .assert_stderr_has("content/posts/bad.md:11:1: error: broken link: `../../../../etc/passwd`")
        .assert_stderr_has("build failed: 5 errors");
    assert!(!site.exists("public"), "a failed build writes nothing");
    // `strict = true` in config.toml is --strict for every build.
    site.file(
        "config.toml",
        &format!(
            "{CONFIG}strict = true
"
        ),
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/posts/bad.md:7:5: error: broken link");
    // And `blog check` always fails on them.
    site.file("config.toml", CONFIG);
    site.run(&["check"])
        .assert_fails()
        .assert_stderr_has("content/posts/bad.md:7:5: error: broken link")
        .assert_stderr_has("check found 5 problems");
}

#[test]
fn links_to_markdown_files_become_links_to_their_pages() {
    let site = site();
    site.post(
        "b",
        "title: Bee\ndate: 2024-01-02\nslug: bee",
        "## First part\n\nText.\n",
    );
    site.file(
        "content/notes/_index.md",
        "---\ntitle: Notes\n---\nSee [bee](@/posts/b.md).\n",
    );
    site.file(
        "content/notes/c d.md",
        "---\ntitle: C\ndate: 2024-01-03\n---\nC.\n",
    );
    site.post("wip", "title: WIP\ndate: 2024-01-01\ndraft: true", "Soon.");
    site.post(
        "a",
        "title: A\ndate: 2024-01-05",
        "Read [bee](b.md) first.\n\n<!-- more -->\n\n[part](./b.md#first-part) [zola](@/posts/b.md) \
         [abs](/content/notes/c%20d.md) [spaced](<../notes/c d.md>) [section](@/notes/_index.md) \
         <a href=\"b.md\">raw</a>\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("public/posts/a/index.html");
    assert_eq!(
        page.attrs("article a:not(.anchor)", "href"),
        vec![
            "https://example.org/posts/bee/",
            "https://example.org/posts/bee/#first-part",
            "https://example.org/posts/bee/",
            "https://example.org/notes/c-d/",
            "https://example.org/notes/c-d/",
            "https://example.org/notes/",
            "https://example.org/posts/bee/",
        ]
    );
    // The summary on the lists, and a section's own text, too.
    assert!(site
        .read("public/index.html")
        .contains("Read <a href=\"https://example.org/posts/bee/\">bee</a> first."));
    assert!(site
        .read("public/notes/index.html")
        .contains("<a href=\"https://example.org/posts/bee/\">bee</a>"));
    site.run(&["check"]).assert_ok();

    // A missing id, a draft and a missing file are errors at the link.
    site.post(
        "a",
        "title: A\ndate: 2024-01-05",
        "[part](b.md#nope) [draft](wip.md)\n\n[gone](@/posts/gone.md)\n",
    );
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("content/posts/a.md:5:1: error: `b.md#nope`: `/posts/bee/` has no element with id `nope`")
        .assert_stderr_has("content/posts/a.md:5:19: error: `wip.md` links to content/posts/wip.md, which is a draft")
        .assert_stderr_has("content/posts/a.md:7:1: error: broken link: `@/posts/gone.md` names content/posts/gone.md, which does not exist");
    // With drafts in, the draft's link resolves.
    site.post("a", "title: A\ndate: 2024-01-05", "[draft](wip.md)\n");
    site.build(&["--drafts"]).assert_ok();
    assert_eq!(
        site.html("public/posts/a/index.html")
            .attrs("article a:not(.anchor)", "href"),
        vec!["https://example.org/posts/wip/"]
    );
}

#[test]
fn a_link_to_a_draft_or_future_post_says_so() {
    let site = site();
    site.post("wip", "title: WIP\ndate: 2024-01-01\ndraft: true", "Soon.");
    site.post("later", "title: Later\ndate: 2999-01-01", "Later.");
    site.post(
        "teaser",
        "title: Teaser\ndate: 2024-01-04",
        "[wip](/posts/wip/) and [later](/posts/later/)\n",
    );
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("content/posts/teaser.md:5:1: error: `/posts/wip/` links to content/posts/wip.md, which is a draft or dated in the future")
        .assert_stderr_has("content/posts/teaser.md:5:24: error: `/posts/later/` links to content/posts/later.md")
        .assert_stderr_has("hint: publish that page");
    // With the drafts in, the links work.
    site.build(&["--drafts"]).assert_ok();
}

#[test]
fn missing_images_fail_check_but_not_build() {
    let site = site();
    site.post(
        "pics",
        "title: Pics\ndate: 2024-01-04",
        "![there](/posts/bundle/photo.jpg)\n\n![gone](/images/gone.png)\n\n<img src=\"missing.webp\">\n",
    );
    site.build(&[]).assert_ok();
    let run = site.run(&["check"]);
    run.assert_fails()
        .assert_stderr_has("content/posts/pics.md:7:1: error: missing image: `/images/gone.png` is not a file of this site")
        .assert_stderr_has("hint: put the file in static/")
        .assert_stderr_has("content/posts/pics.md:9:6: error: missing image: `missing.webp`");
    assert_eq!(run.stderr.matches("error:").count(), 2, "{}", run.stderr);
    run.assert_stderr_has("check found 2 problems");
}

#[test]
fn check_writes_nothing_and_reports_template_errors_too() {
    let site = site();
    site.run(&["check"]).assert_ok();
    assert!(!site.exists("public"));
    site.file("templates/page.html", "{{ page.title | nosuchfilter }}");
    site.run(&["check"])
        .assert_fails()
        .assert_stderr_has("templates/page.html:1:");
    assert!(!site.exists("public"));
}

/// A loopback server for external links: `/ok` answers 200, `/gone` 404,
/// `/nohead` refuses HEAD but answers GET, `/slow` never answers in time.
/// Counts requests per path.
fn external_server() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("server");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let busy = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        // Bounded: the test makes a handful of requests.
        for _ in 0..64 {
            let Ok(Some(request)) = server.recv_timeout(Duration::from_secs(30)) else {
                return;
            };
            let path = request.url().to_string();
            let method = request.method().to_string();
            log.lock().expect("log").push(format!("{method} {path}"));
            let busy = busy.clone();
            std::thread::spawn(move || {
                busy.fetch_add(1, Ordering::SeqCst);
                let code = match (method.as_str(), path.as_str()) {
                    (_, "/ok") => 200,
                    ("HEAD", "/nohead") => 405,
                    (_, "/nohead") => 200,
                    (_, "/slow") => {
                        std::thread::sleep(Duration::from_secs(4));
                        200
                    }
                    _ => 404,
                };
                let _ = request.respond(tiny_http::Response::empty(code));
                busy.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (base, seen)
}

#[test]
fn external_links_are_fetched_once_each_with_a_timeout() {
    let (base, seen) = external_server();
    let site = site();
    site.post(
        "ext",
        "title: Ext\ndate: 2024-01-04",
        &format!("[a]({base}/ok) [b]({base}/ok) [c]({base}/gone)\n\n[d]({base}/nohead) [e]({base}/slow)\n"),
    );
    site.post(
        "ext2",
        "title: Ext 2\ndate: 2024-01-05",
        &format!("[again]({base}/gone)\n"),
    );
    // Without --external nothing is fetched.
    site.run(&["check"]).assert_ok();
    assert!(seen.lock().expect("log").is_empty());

    let run = site.run(&["check", "--external", "--timeout", "1"]);
    run.assert_fails()
        .assert_stderr_has("content/posts/ext.md:5:63: error: external link")
        .assert_stderr_has(&format!(
            "external link `{base}/gone`: the server answered 404"
        ))
        .assert_stderr_has(&format!("external link `{base}/slow`: no answer in time"))
        .assert_stderr_has("content/posts/ext2.md:5:1: error: external link");
    assert!(!run.stderr.contains("/ok`"), "{}", run.stderr);
    assert!(!run.stderr.contains("/nohead`"), "{}", run.stderr);
    let log = seen.lock().expect("log").clone();
    let count = |line: &str| log.iter().filter(|l| *l == line).count();
    assert_eq!(count("HEAD /ok"), 1, "each URL once: {log:?}");
    assert_eq!(count("HEAD /gone"), 1, "each URL once: {log:?}");
    assert_eq!(count("GET /nohead"), 1, "GET after a refused HEAD: {log:?}");
}

#[test]
fn links_under_skipped_prefixes_are_not_checked() {
    let (base, seen) = external_server();
    let site = site();
    site.file(
        "config.toml",
        &format!("{CONFIG}[links]\nskip = [\"/api/\", \"{base}/gone\"]\n"),
    );
    site.post(
        "skips",
        "title: Skips\ndate: 2024-01-04",
        &format!("[api](/api/v1/) [rel](../../api/x) [dead]({base}/gone/for/good)\n"),
    );
    site.build(&[]).assert_ok();
    site.run(&["check", "--external"]).assert_ok();
    assert!(
        seen.lock().expect("log").is_empty(),
        "a skipped URL was fetched"
    );
    // Without the skip list, both are reported.
    site.file("config.toml", CONFIG);
    site.build(&["--strict"])
        .assert_fails()
        .assert_stderr_has("broken link: `/api/v1/`")
        .assert_stderr_has("broken link: `../../api/x`");
    site.file(
        "config.toml",
        &format!("{CONFIG}[links]\nskip = [\"/api/\"]\n"),
    );
    site.run(&["check", "--external"])
        .assert_fails()
        .assert_stderr_has("the server answered 404");
}

#[test]
fn concurrency_bounds_the_external_requests_in_flight() {
    // Each request holds its connection for 400 ms and the server counts
    // how many are open at once.
    let server = tiny_http::Server::http("127.0.0.1:0").expect("server");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let most = Arc::new(AtomicUsize::new(0));
    let seen = most.clone();
    std::thread::spawn(move || {
        let busy = Arc::new(AtomicUsize::new(0));
        for _ in 0..64 {
            let Ok(Some(request)) = server.recv_timeout(Duration::from_secs(30)) else {
                return;
            };
            let (busy, most) = (busy.clone(), seen.clone());
            std::thread::spawn(move || {
                let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(400));
                busy.fetch_sub(1, Ordering::SeqCst);
                let _ = request.respond(tiny_http::Response::empty(200));
            });
        }
    });
    let site = site();
    let links: String = (0..6).map(|i| format!("[{i}]({base}/p{i}) ")).collect();
    site.post("many", "title: Many\ndate: 2024-01-04", &links);

    site.run(&["check", "--external", "--concurrency", "2"])
        .assert_ok();
    assert_eq!(most.swap(0, Ordering::SeqCst), 2, "--concurrency 2");
    site.run(&["check", "--external", "--concurrency", "1"])
        .assert_ok();
    assert_eq!(most.swap(0, Ordering::SeqCst), 1, "--concurrency 1");
    // The default lets all six go at once.
    site.run(&["check", "--external"]).assert_ok();
    assert!(most.load(Ordering::SeqCst) > 2, "the default bound is 8");

    let run = site.run(&["check", "--external", "--concurrency", "0"]);
    assert_eq!(run.code, 2, "a usage error: {}", run.stderr);
    assert!(run.stderr.contains("--concurrency"), "{}", run.stderr);
}

#[test]
fn a_rate_limited_link_is_tried_again_after_the_wait_it_asks_for() {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("server");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        // Bounded: a handful of requests.
        for _ in 0..16 {
            let Ok(Some(request)) = server.recv_timeout(Duration::from_secs(30)) else {
                return;
            };
            let path = request.url().to_string();
            let mut log = log.lock().expect("log");
            let earlier = log.iter().filter(|(p, _)| *p == path).count();
            log.push((path.clone(), std::time::Instant::now()));
            drop(log);
            let code = match path.as_str() {
                "/busy-once" if earlier == 0 => 429,
                "/busy" => 429,
                _ => 200,
            };
            let retry =
                tiny_http::Header::from_bytes(&b"Retry-After"[..], &b"1"[..]).expect("header");
            let _ = request.respond(tiny_http::Response::empty(code).with_header(retry));
        }
    });
    let site = site();
    site.post(
        "limited",
        "title: Limited\ndate: 2024-01-04",
        &format!("[once]({base}/busy-once) [always]({base}/busy)\n"),
    );
    let run = site.run(&["check", "--external"]);
    run.assert_fails()
        .assert_stderr_has(&format!(
            "external link `{base}/busy`: the server answered 429 (too many requests) twice"
        ))
        .assert_stderr_has("add it to [links] skip if this repeats");
    assert!(!run.stderr.contains("/busy-once`"), "{}", run.stderr);
    let log = seen.lock().expect("log").clone();
    let times: Vec<_> = log
        .iter()
        .filter(|(p, _)| p == "/busy-once")
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(times.len(), 2, "asked again once: {log:?}");
    assert!(
        times[1] - times[0] >= Duration::from_millis(900),
        "after the wait it asked for"
    );
}

#[test]
fn an_email_autolink_is_a_mailto_link_not_a_path() {
    let site = site();
    site.post(
        "mail",
        "title: Mail\ndate: 2024-01-04",
        "Write to <someone@example.org>.\n",
    );
    let run = site.build(&["--strict"]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(
        site.html("public/posts/mail/index.html")
            .attrs("article .content a", "href"),
        vec!["mailto:someone@example.org"]
    );
    site.run(&["check"]).assert_ok();
}

#[test]
fn links_to_the_sites_own_url_under_a_path_prefix_are_checked_as_internal() {
    let site = site();
    site.file(
        "config.toml",
        "title = \"Links\"\nbase_url = \"https://example.org/babysteps/\"\n",
    );
    site.post(
        "own",
        "title: Own\ndate: 2024-01-04",
        "[full](https://example.org/babysteps/posts/target/#custom) \
         [http](http://example.org/babysteps/posts/target/) \
         [prefixed](/babysteps/posts/target/#first-part) [home](https://example.org/babysteps/)\n\n\
         [dead](https://example.org/babysteps/posts/gone/) [dead anchor](/babysteps/posts/target/#nope)\n",
    );
    let run = site.build(&["--strict"]);
    run.assert_fails()
        .assert_stderr_has("content/posts/own.md:7:1: error: broken link: `https://example.org/babysteps/posts/gone/`")
        .assert_stderr_has("content/posts/own.md:7:51: error: `/babysteps/posts/target/#nope`: `/posts/target/` has no element with id `nope`")
        .assert_stderr_has("build failed: 2 errors");
}

#[test]
fn a_root_relative_link_without_the_path_prefix_leaves_the_site() {
    let site = site();
    site.file(
        "config.toml",
        "title = \"Links\"\nbase_url = \"https://example.org/babysteps/\"\n",
    );
    site.bytes("static/img/a.png", &common::png(4, 3));
    site.post(
        "prefix",
        "title: Prefix\ndate: 2024-01-04",
        "[unprefixed](/posts/target/) ![image](/img/a.png) [prefixed](/babysteps/posts/target/) [relative](../target/) [file](@/posts/target.md)\n",
    );
    let run = site.build(&[]);
    run.assert_ok()
        .assert_stderr_has("content/posts/prefix.md:5:1: warning: broken link: `/posts/target/` leaves the site, which is published under `/babysteps/`\n  hint: write `/babysteps/posts/target/`");
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    site.build(&["--strict"]).assert_fails();
    // `blog check` looks at images too.
    site.run(&["check"]).assert_fails().assert_stderr_has(
        "content/posts/prefix.md:5:30: error: broken link: `/img/a.png` leaves the site",
    );
}
