//! The HTTP side of `blog serve`, on tiny_http with a pool of worker threads:
//! maps a request path to a file of the current site (pretty URLs, redirects
//! to the trailing slash, 404.html with status 404), with content types,
//! ETags and no caching. Paths are looked up in the site's list of files, so
//! no request can reach a file outside it; malformed or escaping paths get 400.
//! Static files are streamed from their source, never read whole, and answer
//! byte ranges, so a large video plays and seeks as it will on the host.

use std::io::{Read, Seek, SeekFrom};

use tiny_http::{Header, Method, Request, Response, StatusCode};

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
    fn len(&self) -> u64 {
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
        if site.files.contains_key(&index) {
            (200, index)
        } else {
            (404, "404.html".to_string())
        }
    } else if site.files.contains_key(key) {
        (200, key.to_string())
    } else if site.files.contains_key(&format!("{key}/index.html")) {
        let query = raw_path.find('?').map(|i| &raw_path[i..]).unwrap_or("");
        return Answer {
            status: 301,
            headers: vec![("Location".into(), format!("{path}/{query}"))],
            body: Payload::Bytes(Vec::new()),
        };
    } else {
        (404, "404.html".to_string())
    };
    let Some(body) = site.files.get(&file_key) else {
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

/// Sends an answer, without a body for HEAD.
pub fn respond(request: Request, answer: Answer) {
    let is_head = *request.method() == Method::Head;
    let len = answer.body.len();
    let reader: Box<dyn Read + Send> = match answer.body {
        _ if is_head => Box::new(std::io::empty()),
        Payload::Bytes(bytes) => Box::new(std::io::Cursor::new(bytes)),
        Payload::File {
            mut file,
            start,
            len,
        } => {
            if file.seek(SeekFrom::Start(start)).is_err() {
                return;
            }
            Box::new(file.take(len))
        }
    };
    let mut response = Response::new(
        StatusCode(answer.status),
        Vec::new(),
        reader,
        Some(if is_head {
            0
        } else {
            usize::try_from(len).unwrap_or(usize::MAX)
        }),
        None,
    )
    // A known length always goes out as Content-Length, never chunked:
    // media players need it to seek.
    .with_chunked_threshold(usize::MAX);
    for (k, v) in answer.headers {
        if let Ok(h) = Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    if is_head {
        if let Ok(h) = Header::from_bytes(&b"Content-Length"[..], len.to_string().as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
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
