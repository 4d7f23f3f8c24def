//! `blog serve` at the protocol level, over raw loopback sockets: which Host
//! and Origin headers it answers (DNS rebinding), connection persistence
//! for HTTP/1.0 and 1.1 (RFC 9112), pipelining, and the limits that keep a
//! careless or hostile client from holding the server.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "config.toml",
        "title = \"Served\"\nbase_url = \"https://example.org\"\n",
    );
    site.post("hello", "title: Hello\ndate: 2024-01-01", "First version.");
    site.file("static/style.css", "body { color: black }");
    let big: String = (0..2_000_000u32)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    site.file("static/big.txt", &big);
    site
}

/// One response read off a connection, framed by its Content-Length (or
/// by the connection's end when it has none).
#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    stream
}

/// Reads one response; `head_only` for a HEAD request, whose length
/// describes a body that is not sent.
fn read_response(stream: &mut TcpStream, pending: &mut Vec<u8>, head_only: bool) -> Response {
    let mut chunk = [0u8; 65536];
    let end = loop {
        if let Some(i) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).expect("read head");
        assert!(n > 0, "connection closed before a response head");
        pending.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&pending[..end]).into_owned();
    pending.drain(..end + 4);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut response = Response {
        status,
        head,
        body: Vec::new(),
    };
    let bodiless = head_only || status == 304 || status == 204;
    match response.header("Content-Length") {
        _ if bodiless => {}
        Some(len) => {
            let len: usize = len.parse().expect("length");
            while pending.len() < len {
                let n = stream.read(&mut chunk).expect("read body");
                assert!(n > 0, "connection closed inside a body");
                pending.extend_from_slice(&chunk[..n]);
            }
            response.body = pending.drain(..len).collect();
        }
        None => {
            let _ = stream.read_to_end(pending);
            response.body = std::mem::take(pending);
        }
    }
    response
}

/// True when the server closes the connection within `limit`.
fn closes_within(stream: &mut TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).expect("timeout");
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).is_ok()
}

/// A request with the given head lines, over a fresh connection.
fn ask(port: u16, head: &str) -> Response {
    let mut stream = connect(port);
    stream.write_all(head.as_bytes()).expect("send");
    read_response(&mut stream, &mut Vec::new(), head.starts_with("HEAD"))
}

fn get_with_host(port: u16, host: &str) -> Response {
    ask(
        port,
        &format!("GET /posts/hello/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

#[test]
fn loopback_hosts_are_answered_in_every_form() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("localhost.:{port}"),
        format!("blog.localhost:{port}"),
        format!("127.0.0.2:{port}"),
        format!("[::1]:{port}"),
        "127.0.0.1".to_string(),
    ] {
        let reply = get_with_host(port, &host);
        assert_eq!(reply.status, 200, "Host: {host}\n{}", reply.head);
        assert!(reply.text().contains("Hello"), "Host: {host}");
    }
    // Links follow the name asked for, lowercased and without the dot.
    let reply = get_with_host(port, &format!("LocalHost.:{port}"));
    assert!(
        reply
            .text()
            .contains(&format!("http://localhost:{port}/posts/hello/")),
        "{}",
        reply.text()
    );
}

#[test]
fn other_hosts_get_403_and_no_page_names_them() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    for host in [
        "evil.example.com".to_string(),
        format!("evil.example.com:{port}"),
        format!("EVIL.example.com.:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        // Rebinding-style literals: an address that is not loopback, and
        // numeric forms no browser sends (it normalises them first).
        format!("192.168.1.20:{port}"),
        format!("0.0.0.0:{port}"),
        format!("2130706433:{port}"),
        format!("[fe80::1]:{port}"),
    ] {
        let reply = get_with_host(port, &host);
        assert_eq!(reply.status, 403, "Host: {host}\n{}", reply.head);
        let body = reply.text();
        assert!(
            body.contains("--allow-host") && body.contains("allow_hosts"),
            "the refusal says how to allow it: {body}"
        );
        assert_eq!(body.lines().count(), 1, "one line: {body}");
        assert!(!body.contains("Hello"), "no page content for {host}");
    }
    // The event stream refuses them too.
    let reply = ask(
        port,
        "GET /__blog/events HTTP/1.1\r\nHost: evil.example.com\r\n\r\n",
    );
    assert_eq!(reply.status, 403);
}

#[test]
fn a_missing_repeated_or_malformed_host_is_a_bad_request() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    let none = ask(
        port,
        "GET /posts/hello/ HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(none.status, 400, "HTTP/1.1 requires Host (RFC 9112, 3.2)");
    let twice = ask(
        port,
        "GET /posts/hello/ HTTP/1.1\r\nHost: localhost\r\nHost: evil.example.com\r\n\r\n",
    );
    assert_eq!(twice.status, 400);
    for bad in ["a b", "evil.example/\"><script>", "localhost:99999", ""] {
        let reply = get_with_host(port, bad);
        assert_eq!(reply.status, 400, "Host: {bad:?}");
    }
    // HTTP/1.0 may leave Host out; links then name the server's own origin.
    let old = ask(port, "GET /posts/hello/ HTTP/1.0\r\n\r\n");
    assert_eq!(old.status, 200);
    assert!(old
        .text()
        .contains(&format!("http://127.0.0.1:{port}/posts/hello/")));
}

#[test]
fn hosts_the_author_allows_are_answered() {
    let site = site();
    site.file(
        "config.toml",
        "title = \"Served\"\nbase_url = \"https://example.org\"\n[serve]\nallow_hosts = [\"writer.test\", \".tunnel.test\"]\n",
    );
    let server = site.serve(&["--allow-host", "devbox.test"]);
    let port = server.port;
    for host in [
        "devbox.test",
        "writer.test",
        "tunnel.test",
        "abc.tunnel.test",
    ] {
        let reply = get_with_host(port, &format!("{host}:{port}"));
        assert_eq!(reply.status, 200, "Host: {host}");
        assert!(reply
            .text()
            .contains(&format!("http://{host}:{port}/posts/hello/")));
    }
    for host in ["www.devbox.test", "other.test", "abctunnel.test"] {
        assert_eq!(get_with_host(port, host).status, 403, "Host: {host}");
    }

    // A name added to config.toml is answered after the next good build.
    site.file(
        "config.toml",
        "title = \"Served\"\nbase_url = \"https://example.org\"\n[serve]\nallow_hosts = [\"later.test\"]\n",
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while get_with_host(port, "later.test").status != 200 {
        assert!(Instant::now() < deadline, "later.test not allowed in 10 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get_with_host(port, "writer.test").status, 403);
    assert_eq!(
        get_with_host(port, "devbox.test").status,
        200,
        "--allow-host stays"
    );
}

#[test]
fn a_bad_allowed_host_is_a_clear_error() {
    let site = site();
    let out = site.run(&[
        "serve",
        "--port",
        "0",
        "--allow-host",
        "http://evil.example",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--allow-host"), "{}", out.stderr);

    site.file(
        "config.toml",
        "title = \"Served\"\nbase_url = \"https://example.org\"\n[serve]\nallow_hosts = [\"a b\"]\n",
    );
    site.run(&["build"])
        .assert_fails()
        .assert_stderr_has("config.toml:4:1: error: allow_hosts: `a b` is not a host name");
}

#[test]
fn the_event_stream_answers_its_own_origin_only() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    let stream_status = |origin: Option<&str>| {
        let mut stream = connect(port);
        let origin = origin
            .map(|o| format!("Origin: {o}\r\n"))
            .unwrap_or_default();
        stream
            .write_all(
                format!("GET /__blog/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}\r\n")
                    .as_bytes(),
            )
            .expect("send");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => break,
            }
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head)
    };
    let (status, head) = stream_status(None);
    assert_eq!(status, 200);
    assert!(head.contains("text/event-stream"), "{head}");
    assert_eq!(
        stream_status(Some(&format!("http://127.0.0.1:{port}"))).0,
        200
    );
    for origin in [
        "http://evil.example.com".to_string(),
        format!("http://evil.example.com:{port}"),
        format!("http://localhost:{port}"),
        format!("https://127.0.0.1:{port}"),
        "http://127.0.0.1:1".to_string(),
        "null".to_string(),
    ] {
        assert_eq!(stream_status(Some(&origin)).0, 403, "Origin: {origin}");
    }
}

#[test]
fn http_1_0_keep_alive_is_announced_for_every_kind_of_answer() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    let mut stream = connect(port);
    let mut pending = Vec::new();
    let page = ask(
        port,
        "GET /posts/hello/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
    );
    let etag = page.header("ETag").expect("etag");
    // Everything on one connection, as `ab -k` sends it.
    let requests = [
        ("GET /posts/hello/", "", 200),
        ("HEAD /posts/hello/", "", 200),
        (
            "GET /posts/hello/",
            &*format!("If-None-Match: {etag}\r\n"),
            304,
        ),
        ("GET /big.txt", "Range: bytes=10-19\r\n", 206),
        ("GET /no/such/page/", "", 404),
        ("GET /posts/hello", "", 301),
    ];
    for (line, extra, status) in requests {
        let head_only = line.starts_with("HEAD");
        stream
            .write_all(
                format!(
                    "{line} HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n{extra}\r\n"
                )
                .as_bytes(),
            )
            .expect("send");
        let reply = read_response(&mut stream, &mut pending, head_only);
        assert_eq!(reply.status, status, "{line}\n{}", reply.head);
        assert_eq!(
            reply.header("Connection").map(|c| c.to_ascii_lowercase()),
            Some("keep-alive".into()),
            "{line}\n{}",
            reply.head
        );
        if status != 304 {
            assert!(reply.header("Content-Length").is_some(), "{line}");
        }
        if status == 206 {
            assert_eq!(reply.text(), "klmnopqrst");
        }
        if head_only {
            assert_ne!(reply.header("Content-Length").as_deref(), Some("0"));
        }
    }
    // Without keep-alive, HTTP/1.0 is answered and closed, and says so.
    stream
        .write_all(b"GET /posts/hello/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send");
    let last = read_response(&mut stream, &mut pending, false);
    assert_eq!(last.status, 200);
    assert_eq!(last.header("Connection").as_deref(), Some("close"));
    assert!(closes_within(&mut stream, Duration::from_secs(5)));
}

#[test]
fn http_1_1_keeps_the_connection_and_answers_pipelined_requests_in_order() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    let mut stream = connect(port);
    let one = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let burst = format!(
        "{}{}HEAD /posts/hello/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n{}",
        one("/posts/hello/"),
        one("/style.css"),
        one("/nope/")
    );
    stream.write_all(burst.as_bytes()).expect("send");
    let mut pending = Vec::new();
    let first = read_response(&mut stream, &mut pending, false);
    assert_eq!(first.status, 200);
    assert!(first.text().contains("Hello"));
    assert_eq!(
        first.header("Connection"),
        None,
        "HTTP/1.1 persists silently"
    );
    let second = read_response(&mut stream, &mut pending, false);
    assert_eq!(second.text(), "body { color: black }");
    let third = read_response(&mut stream, &mut pending, true);
    assert_eq!(third.status, 200);
    let fourth = read_response(&mut stream, &mut pending, false);
    assert_eq!(fourth.status, 404);
    // `Connection: close` ends it after the answer, which says so.
    stream
        .write_all(b"GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .expect("send");
    let last = read_response(&mut stream, &mut pending, false);
    assert_eq!(last.status, 200);
    assert_eq!(last.header("Connection").as_deref(), Some("close"));
    assert!(closes_within(&mut stream, Duration::from_secs(5)));
}

#[test]
fn oversized_heads_are_refused_and_the_server_goes_on() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let mut stream = connect(port);
    let _ = stream.write_all(long.as_bytes());
    let reply = read_response(&mut stream, &mut Vec::new(), false);
    assert_eq!(reply.status, 414, "{}", reply.head);
    assert_eq!(reply.header("Connection").as_deref(), Some("close"));

    let many: String = (0..10_000)
        .map(|i| format!("X-Header-{i}: v\r\n"))
        .collect();
    let mut stream = connect(port);
    let _ = stream.write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n").as_bytes());
    let reply = read_response(&mut stream, &mut Vec::new(), false);
    assert_eq!(reply.status, 431, "{}", reply.head);

    let mut stream = connect(port);
    let _ = stream.write_all(b"GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(
        read_response(&mut stream, &mut Vec::new(), false).status,
        505
    );
    let mut stream = connect(port);
    let _ = stream.write_all(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n");
    assert_eq!(
        read_response(&mut stream, &mut Vec::new(), false).status,
        400
    );

    assert_eq!(get_with_host(port, "127.0.0.1").status, 200);
}

#[test]
fn a_slow_client_is_timed_out_and_holds_no_one_else_up() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    let started = Instant::now();
    let slow = std::thread::spawn(move || {
        let mut stream = connect(port);
        stream
            .set_write_timeout(Some(Duration::from_secs(2)))
            .expect("timeout");
        // One byte a second, for at most 30 s: a head that never ends.
        let trickle =
            b"GET /posts/hello/ HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        for byte in trickle {
            if stream.write_all(&[*byte]).is_err() {
                break;
            }
            let mut probe = [0u8; 256];
            stream
                .set_read_timeout(Some(Duration::from_secs(1)))
                .expect("timeout");
            match stream.read(&mut probe) {
                Ok(0) => return (None, started.elapsed()),
                Ok(n) => {
                    let text = String::from_utf8_lossy(&probe[..n]).into_owned();
                    return (Some(text), started.elapsed());
                }
                Err(_) => {}
            }
        }
        (None, started.elapsed())
    });
    // Meanwhile everyone else is answered at once.
    for _ in 0..20 {
        assert_eq!(get_with_host(port, "127.0.0.1").status, 200);
        std::thread::sleep(Duration::from_millis(100));
    }
    let (answer, after) = slow.join().expect("slow client");
    let answer = answer.expect("the server answered the slow client");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        after < Duration::from_secs(20),
        "timed out after {after:?}, within the head timeout"
    );
}

#[test]
fn a_client_that_leaves_mid_response_does_not_stop_the_server() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    for _ in 0..5 {
        let mut stream = connect(port);
        stream
            .write_all(b"GET /big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("send");
        let mut some = [0u8; 1000];
        let _ = stream.read(&mut some);
        drop(stream);
    }
    let mut stream = connect(port);
    stream
        .write_all(b"GET /big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send");
    let whole = read_response(&mut stream, &mut Vec::new(), false);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body.len(), 2_000_000);
    assert_eq!(get_with_host(port, "127.0.0.1").status, 200);
}

#[test]
fn a_body_on_a_request_is_read_past_or_the_connection_closes() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    let mut stream = connect(port);
    let mut pending = Vec::new();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhelloGET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send");
    assert_eq!(read_response(&mut stream, &mut pending, false).status, 405);
    assert_eq!(
        read_response(&mut stream, &mut pending, false).text(),
        "body { color: black }"
    );
    let mut stream = connect(port);
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        .expect("send");
    let reply = read_response(&mut stream, &mut Vec::new(), false);
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("Connection").as_deref(), Some("close"));
    let reply = ask(
        port,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    );
    assert_eq!(reply.status, 400);
}

#[test]
fn connections_past_the_limit_get_503_and_the_server_recovers() {
    let site = site();
    let server = site.serve(&[]);
    let port = server.port;
    // 512 idle connections, the most served at once.
    let idle: Vec<TcpStream> = (0..512).map(|_| connect(port)).collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    let busy = loop {
        let reply = get_with_host(port, "127.0.0.1");
        if reply.status == 503 || Instant::now() > deadline {
            break reply;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(busy.status, 503, "{}", busy.head);
    assert_eq!(busy.header("Retry-After").as_deref(), Some("1"));
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(10);
    while get_with_host(port, "127.0.0.1").status != 200 {
        assert!(Instant::now() < deadline, "not answering again within 10 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}
