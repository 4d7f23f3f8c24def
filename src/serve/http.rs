//! The HTTP side of `blog serve`, on tiny_http with a pool of worker threads:
//! maps a request path to a file of the current site (pretty URLs, redirects
//! to the trailing slash, 404.html with status 404), with content types,
//! ETags and no caching. Paths are looked up in the site's list of files, so
//! no request can reach a file outside it; malformed or escaping paths get 400.

use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::serve::state::{Body, Shared};

/// Where live-reload clients listen.
pub const EVENTS_PATH: &str = "/__blog/events";

/// The answer to a request, before it is sent.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    fn text(status: u16, text: &str) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: text.as_bytes().to_vec(),
        }
    }
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
pub fn answer(shared: &Shared, raw_path: &str, if_none_match: Option<&str>) -> Answer {
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
            body: Vec::new(),
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
                body: shared.decorate_html(page, &site.errors),
            };
        }
        return Answer::text(404, "Not found.\n");
    };
    let bytes: Arc<[u8]> = match body {
        Body::Bytes(bytes) => bytes.clone(),
        Body::File(path) => match std::fs::read(path) {
            Ok(bytes) => Arc::from(bytes),
            Err(_) => return Answer::text(404, "Not found.\n"),
        },
    };
    let content_type = content_type(&file_key);
    let is_html = content_type.starts_with("text/html");
    let body = if is_html {
        shared.decorate_html(&bytes, &site.errors)
    } else {
        bytes.to_vec()
    };
    let etag = format!("\"{:016x}\"", hash(&body));
    let mut headers = vec![
        ("Content-Type".to_string(), content_type.to_string()),
        ("Cache-Control".to_string(), "no-cache".to_string()),
        ("ETag".to_string(), etag.clone()),
    ];
    if status == 200 && if_none_match.is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag))
    {
        headers.retain(|(k, _)| k != "Content-Type");
        return Answer {
            status: 304,
            headers,
            body: Vec::new(),
        };
    }
    headers.push(("X-Content-Type-Options".into(), "nosniff".into()));
    Answer {
        status,
        headers,
        body,
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

fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Sends an answer, without a body for HEAD.
pub fn respond(request: Request, answer: Answer) {
    let is_head = *request.method() == Method::Head;
    let len = answer.body.len();
    let mut response = Response::new(
        StatusCode(answer.status),
        Vec::new(),
        std::io::Cursor::new(if is_head { Vec::new() } else { answer.body }),
        Some(if is_head { 0 } else { len }),
        None,
    );
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
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("x.unknownext"), "application/octet-stream");
    }
}
