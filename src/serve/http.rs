//! What `blog serve` answers (the connections themselves are `server.rs`'s):
//! checks the Host (`host.rs`), maps a request path to a file of the current site (pretty URLs, redirects
//! to the trailing slash, 404.html with status 404), with content types,
//! ETags and no caching. Paths are looked up in the site's list of files, so
//! no request can reach a file outside it; malformed or escaping paths get 400.
//! Static files are streamed from their source, never read whole, and answer
//! byte ranges, so a large video plays and seeks as it will on the host.

use std::io::Write;
use std::sync::Arc;

use crate::serve::host::{HostPolicy, Refusal};
use crate::serve::server::{Reply, Request};
use crate::serve::state::{Body, Shared};

/// Where live-reload clients listen.
pub const EVENTS_PATH: &str = "/__blog/events";

/// The answer to a request, before it is sent.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Payload,
}

/// What an answer sends: bytes in memory, or `len` bytes of a file from
/// `start`, read as they are sent.
pub enum Payload {
    Bytes(Vec<u8>),
    File {
        file: std::fs::File,
        start: u64,
        len: u64,
    },
}

impl Payload {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> u64 {
        match self {
            Payload::Bytes(bytes) => bytes.len() as u64,
            Payload::File { len, .. } => *len,
        }
    }
}

impl Answer {
    pub fn text(status: u16, text: &str) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: Payload::Bytes(text.as_bytes().to_vec()),
        }
    }
}

/// The request headers an answer depends on.
#[derive(Default)]
pub struct Conditions<'a> {
    pub if_none_match: Option<&'a str>,
    pub range: Option<&'a str>,
    pub if_range: Option<&'a str>,
    /// The `Host` the browser asked: pages name it in their links when it
    /// is not the origin they were built for (the server's LAN address).
    pub host: Option<&'a str>,
}

/// `html` with links to `origin` pointing at `http://{host}` instead, when
/// `host` is another plain `name:port` (a request's Host header); `None`
/// when nothing changes.
fn for_host(html: &[u8], origin: &str, host: Option<&str>) -> Option<Vec<u8>> {
    let host = host?.trim();
    let plain = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    let wanted = format!("http://{host}");
    if !plain || wanted == origin {
        return None;
    }
    let text = std::str::from_utf8(html).ok()?;
    text.contains(origin)
        .then(|| text.replace(origin, &wanted).into_bytes())
}

/// A `Range: bytes=…` header against a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// Bytes `start..=end`.
    Part(u64, u64),
    /// Starts past the end: 416.
    Unsatisfiable,
}

/// Parses one range (RFC 9110, 14.1.2): `bytes=a-b`, `bytes=a-` or
/// `bytes=-n`. `None` (send the whole body) for anything else, several
/// ranges included, as the RFC allows.
fn parse_range(header: &str, len: u64) -> Option<Range> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if first.is_empty() {
        let suffix = number(last)?;
        return Some(if suffix == 0 || len == 0 {
            Range::Unsatisfiable
        } else {
            Range::Part(len.saturating_sub(suffix), len - 1)
        });
    }
    let start = number(first)?;
    let end = if last.is_empty() {
        u64::MAX
    } else {
        number(last)?
    };
    if end < start {
        return None;
    }
    if start >= len {
        return Some(Range::Unsatisfiable);
    }
    Some(Range::Part(start, end.min(len - 1)))
}

/// Decodes and checks a request path; `None` for anything that is not a
/// plain path inside the site (`..`, backslashes, NUL, bad escapes).
pub fn clean_path(raw: &str) -> Option<String> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = path.get(i + 1..i + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(decoded).ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    if decoded.split('/').any(|part| part == ".." || part == ".") {
        return None;
    }
    Some(decoded)
}

/// Answers a GET or HEAD for `raw_path` from the current site.
pub fn answer(shared: &Shared, raw_path: &str, conditions: &Conditions) -> Answer {
    let Some(path) = clean_path(raw_path) else {
        return Answer::text(400, "Bad request: this path is not allowed.\n");
    };
    let site = shared.current();
    let key = path.trim_start_matches('/');
    let (status, file_key) = if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        if site.contains_key(&index) {
            (200, index)
        } else {
            (404, "404.html".to_string())
        }
    } else if site.contains_key(key) {
        (200, key.to_string())
    } else if site.contains_key(&format!("{key}/index.html")) {
        let query = raw_path.find('?').map(|i| &raw_path[i..]).unwrap_or("");
        return Answer {
            status: 301,
            headers: vec![("Location".into(), format!("{path}/{query}"))],
            body: Payload::Bytes(Vec::new()),
        };
    } else {
        (404, "404.html".to_string())
    };
    let Some(body) = site.get(&file_key) else {
        if !site.errors.is_empty() {
            // No good build yet: the errors are the page.
            let page = b"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build errors</title></head><body></body></html>\n";
            return Answer {
                status: 404,
                headers: vec![
                    ("Content-Type".into(), "text/html; charset=utf-8".into()),
                    ("Cache-Control".into(), "no-cache".into()),
                ],
                body: Payload::Bytes(shared.decorate_html(page, &site.errors)),
            };
        }
        return Answer::text(404, "Not found.\n");
    };
    let content_type = content_type(&file_key);
    let is_html = content_type.starts_with("text/html");
    let base_headers = |etag: &str| {
        vec![
            ("Content-Type".to_string(), content_type.to_string()),
            ("Cache-Control".to_string(), "no-cache".to_string()),
            ("ETag".to_string(), etag.to_string()),
        ]
    };
    let (etag, whole): (String, Payload) = match body {
        // HTML gets the live-reload script, so it is read and decorated.
        Body::Bytes(bytes) if is_html => {
            let body = html_for(shared, bytes, &site.errors, conditions.host);
            (etag_of(&body), Payload::Bytes(body))
        }
        Body::File(path, _) if is_html => match std::fs::read(path) {
            Ok(bytes) => {
                let body = html_for(shared, &bytes, &site.errors, conditions.host);
                (etag_of(&body), Payload::Bytes(body))
            }
            Err(_) => return Answer::text(404, "Not found.\n"),
        },
        Body::Bytes(bytes) => (etag_of(bytes), Payload::Bytes(bytes.to_vec())),
        // Anything else is streamed; its ETag comes from its size and
        // modification time, so a request never reads the file twice.
        Body::File(path, _) => {
            let Ok(file) = std::fs::File::open(path) else {
                return Answer::text(404, "Not found.\n");
            };
            let Ok(meta) = file.metadata() else {
                return Answer::text(404, "Not found.\n");
            };
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let len = meta.len();
            (
                format!("\"{len:x}-{modified:x}\""),
                Payload::File {
                    file,
                    start: 0,
                    len,
                },
            )
        }
    };
    let mut headers = base_headers(&etag);
    if status == 200
        && conditions
            .if_none_match
            .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag))
    {
        headers.retain(|(k, _)| k != "Content-Type");
        return Answer {
            status: 304,
            headers,
            body: Payload::Bytes(Vec::new()),
        };
    }
    headers.push(("X-Content-Type-Options".into(), "nosniff".into()));
    if status != 200 || is_html {
        return Answer {
            status,
            headers,
            body: whole,
        };
    }
    headers.push(("Accept-Ranges".into(), "bytes".into()));
    // If-Range: the range only while the file is the one the client has.
    let range = conditions
        .range
        .filter(|_| conditions.if_range.is_none_or(|tag| tag.trim() == etag));
    let total = whole.len();
    match range.and_then(|r| parse_range(r, total)) {
        None => Answer {
            status,
            headers,
            body: whole,
        },
        Some(Range::Unsatisfiable) => {
            headers.push(("Content-Range".into(), format!("bytes */{total}")));
            Answer {
                status: 416,
                headers,
                body: Payload::Bytes(Vec::new()),
            }
        }
        Some(Range::Part(first, last)) => {
            headers.push((
                "Content-Range".into(),
                format!("bytes {first}-{last}/{total}"),
            ));
            let len = last - first + 1;
            let body = match whole {
                // In memory, so both ends fit in usize.
                Payload::Bytes(bytes) => Payload::Bytes(
                    bytes
                        .get(first as usize..=last as usize)
                        .unwrap_or_default()
                        .to_vec(),
                ),
                Payload::File { file, .. } => Payload::File {
                    file,
                    start: first,
                    len,
                },
            };
            Answer {
                status: 206,
                headers,
                body,
            }
        }
    }
}

/// A page as served: the live-reload script, the error overlay, and links
/// naming the address the browser asked for.
fn html_for(
    shared: &Shared,
    html: &[u8],
    errors: &[crate::diagnostics::Diagnostic],
    host: Option<&str>,
) -> Vec<u8> {
    let decorated = shared.decorate_html(html, errors);
    match shared.origin.get() {
        Some(origin) => for_host(&decorated, origin, host).unwrap_or(decorated),
        None => decorated,
    }
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

fn etag_of(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

/// Answers one request: the Host check first (403 for a host this server
/// does not answer, so no page is ever built for an unchecked name), then
/// the live-reload stream or a file of the site.
pub fn handle(shared: &Arc<Shared>, request: &Request) -> Reply {
    let policy = shared.hosts();
    let host = match policy.check(&request.all("Host"), request.minor == 0) {
        Ok(host) => host,
        Err(Refusal::Malformed) => {
            return Reply::Answer(Answer::text(
                400,
                "Bad request: send one Host header naming this server.\n",
            ))
        }
        Err(Refusal::NotAllowed(name)) => {
            let name: String = name.chars().take(100).collect();
            return Reply::Answer(Answer::text(
                403,
                &format!(
                    "blog serve does not answer the host {name}: to allow it, run blog serve --allow-host {name}, or add it to [serve] allow_hosts in config.toml.\n"
                ),
            ));
        }
    };
    let path = request.target.split('?').next().unwrap_or("");
    if path == EVENTS_PATH {
        if !HostPolicy::origin_allowed(request.header("Origin"), host.as_ref()) {
            return Reply::Answer(Answer::text(
                403,
                "Forbidden: the live-reload stream answers pages of this server only.\n",
            ));
        }
        let shared = shared.clone();
        return Reply::Stream {
            head: Answer {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), "text/event-stream".into()),
                    ("Cache-Control".into(), "no-cache".into()),
                ],
                body: Payload::Bytes(Vec::new()),
            },
            run: Box::new(move |stream| stream_events(stream, &shared)),
        };
    }
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        let mut answer = Answer::text(405, "Method not allowed.\n");
        answer.headers.push(("Allow".into(), "GET, HEAD".into()));
        return Reply::Answer(answer);
    }
    // Links name the host asked for only once it passed the check above.
    let host_text = host.as_ref().map(ToString::to_string);
    let conditions = Conditions {
        if_none_match: request.header("If-None-Match"),
        range: request.header("Range"),
        if_range: request.header("If-Range"),
        host: host_text.as_deref(),
    };
    Reply::Answer(answer(shared, &request.target, &conditions))
}

/// A server-sent events stream: one line per reload message, a comment
/// every 15 s so a closed tab is noticed.
fn stream_events(stream: &mut std::net::TcpStream, shared: &Shared) {
    let receiver = shared.subscribe();
    if stream
        .write_all(b": connected\n\n")
        .and_then(|_| stream.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match receiver.recv_timeout(std::time::Duration::from_secs(15)) {
            Ok(message) => format!("data: {message}\n\n"),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if stream
            .write_all(message.as_bytes())
            .and_then(|_| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_escape_are_refused() {
        assert_eq!(clean_path("/a/b/?x=1").as_deref(), Some("/a/b/"));
        assert_eq!(clean_path("/caf%C3%A9/").as_deref(), Some("/café/"));
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/%00",
            "/%zz",
            "relative",
            "/a/./b",
        ] {
            assert!(clean_path(bad).is_none(), "{bad} should be refused");
        }
    }

    #[test]
    fn pages_name_the_host_the_browser_asked_for() {
        let origin = "http://127.0.0.1:1111";
        let page = b"<a href=\"http://127.0.0.1:1111/posts/a/\">a</a>";
        assert_eq!(
            for_host(page, origin, Some("192.168.1.20:1111")).as_deref(),
            Some(&b"<a href=\"http://192.168.1.20:1111/posts/a/\">a</a>"[..])
        );
        assert_eq!(
            for_host(page, origin, Some("[fe80::1]:1111")).as_deref(),
            Some(&b"<a href=\"http://[fe80::1]:1111/posts/a/\">a</a>"[..])
        );
        for unchanged in [
            None,
            Some("127.0.0.1:1111"),
            Some(""),
            Some("evil.example/\"><script>"),
            Some("a b"),
        ] {
            assert_eq!(for_host(page, origin, unchanged), None, "{unchanged:?}");
        }
    }

    #[test]
    fn ranges() {
        use Range::*;
        for (header, len, expected) in [
            ("bytes=0-99", 1000, Some(Part(0, 99))),
            ("bytes=900-", 1000, Some(Part(900, 999))),
            ("bytes=900-5000", 1000, Some(Part(900, 999))),
            ("bytes=-100", 1000, Some(Part(900, 999))),
            ("bytes=-5000", 1000, Some(Part(0, 999))),
            ("bytes = 5-5", 1000, None),
            ("bytes=5-5", 1000, Some(Part(5, 5))),
            ("bytes=1000-", 1000, Some(Unsatisfiable)),
            ("bytes=-0", 1000, Some(Unsatisfiable)),
            ("bytes=0-", 0, Some(Unsatisfiable)),
            ("bytes=5-4", 1000, None),
            ("bytes=0-1,5-6", 1000, None),
            ("bytes=a-b", 1000, None),
            ("bytes=-", 1000, None),
            ("items=0-1", 1000, None),
            ("bytes=99999999999999999999999-", 1000, None),
        ] {
            assert_eq!(parse_range(header, len), expected, "{header}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("x.unknownext"), "application/octet-stream");
    }
}
