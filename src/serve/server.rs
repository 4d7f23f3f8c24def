//! The dev server's HTTP/1.1 connections, on `std::net` with httparse for
//! the request head. Takes a listener and a handler that turns a `Request`
//! into a `Reply`; owns everything RFC 9112 asks of the connection itself:
//! persistence (HTTP/1.1 keeps the connection unless asked to close;
//! HTTP/1.0 keeps it only when it asked for `keep-alive`, and the response
//! then says so), pipelining (requests answered in order from one buffer),
//! HEAD, 304 and 204 without a body, and `Connection: close` whenever the
//! server closes.
//!
//! It is also what keeps a careless or hostile client from holding the
//! server: a request head is limited in size (414 or 431 beyond it) and
//! must arrive within `HEAD_TIMEOUT` of its first byte however slowly it
//! trickles in (408), an idle kept-alive connection is closed after
//! `IDLE_TIMEOUT`, a client that stops reading is dropped after
//! `WRITE_TIMEOUT`, connections beyond `MAX_CONNECTIONS` get 503, and a
//! failed `accept` (out of file descriptors) is waited out, never fatal.

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::serve::http::{Answer, Payload};

/// The largest request head read: the request line and every header.
pub const MAX_HEAD: usize = 64 * 1024;
/// The most header fields in one request.
pub const MAX_HEADERS: usize = 100;
/// The most bytes of a request body read (and discarded) to keep the
/// connection; a longer body closes it after the answer.
const MAX_DISCARD: u64 = 1024 * 1024;
/// How long a request head may take to arrive once it has begun.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a kept-alive connection waits for its next request.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one write may wait for a client to read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections open at once, event streams included.
pub const MAX_CONNECTIONS: usize = 512;

/// A parsed request head.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor: u8,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a `Connection` header lists `option`.
    fn connection_has(&self, option: &str) -> bool {
        self.all("Connection").iter().any(|value| {
            value
                .split(',')
                .any(|token| token.trim().eq_ignore_ascii_case(option))
        })
    }
}

/// What a handler answers.
pub enum Reply {
    /// A response; the server adds the framing headers.
    Answer(Answer),
    /// A stream that takes over the connection after `head` (status and
    /// headers, no length) is sent, and closes it when `run` returns.
    Stream {
        head: Answer,
        run: Box<dyn FnOnce(&mut TcpStream) + Send>,
    },
}

pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// Accepts connections on `listener` forever, each on a thread of its own.
pub fn run(listener: TcpListener, handler: Arc<Handler>) {
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors or memory, or an aborted
                // connection: wait and go on, never stop listening.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            refuse_busy(stream);
            continue;
        }
        let (open_here, handler) = (open.clone(), handler.clone());
        let spawned = std::thread::Builder::new()
            .name("blog-http".into())
            .spawn(move || {
                connection(stream, &*handler);
                open_here.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let _ = stream.shutdown(Shutdown::Both);
}

/// How reading the next request ended, when it gave none.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// The client closed, went quiet between requests, or the socket failed:
    /// close without a word.
    Gone,
    /// Answer this status, then close.
    Status(u16),
}

/// Serves one connection's requests in order until either side closes.
fn connection(mut stream: TcpStream, handler: &Handler) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut buffer: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let request = match read_head(&mut stream, &mut buffer) {
            Ok(request) => request,
            Err(Failure::Gone) => return,
            Err(Failure::Status(status)) => {
                let answer = Answer::text(status, &format!("{}.\n", reason(status)));
                let _ = write_answer(&mut stream, answer, false, Persist::Close);
                linger_close(&mut stream);
                return;
            }
        };
        let mut persist = persistence(&request);
        // A body is not for us (GET and HEAD have none); read past a short
        // one to keep the connection, close after anything else.
        match body_length(&request) {
            Ok(0) => {}
            Ok(len) if len <= MAX_DISCARD => {
                if !discard(&mut stream, &mut buffer, len) {
                    return;
                }
            }
            Ok(_) | Err(BodyError::Chunked) => persist = Persist::Close,
            Err(BodyError::Invalid) => {
                let answer = Answer::text(400, "Bad request: invalid Content-Length.\n");
                let _ = write_answer(&mut stream, answer, false, Persist::Close);
                linger_close(&mut stream);
                return;
            }
        }
        let head_only = request.method == "HEAD";
        match handler(&request) {
            Reply::Answer(answer) => {
                if write_answer(&mut stream, answer, head_only, persist).is_err() {
                    return;
                }
            }
            Reply::Stream { head, run } => {
                if write_stream_head(&mut stream, &head).is_ok() && !head_only {
                    run(&mut stream);
                }
                let _ = stream.shutdown(Shutdown::Both);
                return;
            }
        }
        if persist == Persist::Close {
            linger_close(&mut stream);
            return;
        }
    }
}

/// Reads one request head from the socket into `buffer` (which may already
/// hold pipelined bytes) and removes it from there.
fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Request, Failure> {
    let mut deadline = (!buffer.is_empty()).then(|| Instant::now() + HEAD_TIMEOUT);
    loop {
        // Blank lines before a request line are ignored (RFC 9112, 2.2).
        let blank = buffer
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        buffer.drain(..blank);
        if !buffer.is_empty() {
            if let Some(request) = parse_head(buffer)? {
                return Ok(request);
            }
            if buffer.len() >= MAX_HEAD {
                // Still in the request line: the target is too long.
                let in_request_line = !buffer.contains(&b'\n');
                return Err(Failure::Status(if in_request_line { 414 } else { 431 }));
            }
        }
        let wait = match deadline {
            None => IDLE_TIMEOUT,
            Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => left,
                _ => return Err(Failure::Status(408)),
            },
        };
        let _ = stream.set_read_timeout(Some(wait));
        let mut chunk = [0u8; 8192];
        match stream.read(&mut chunk) {
            Ok(0) => return Err(Failure::Gone),
            Ok(n) => {
                buffer.extend_from_slice(&chunk[..n]);
                deadline.get_or_insert_with(|| Instant::now() + HEAD_TIMEOUT);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if deadline.is_none() || buffer.is_empty() {
                    return Err(Failure::Gone);
                }
                return Err(Failure::Status(408));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Failure::Gone),
        }
    }
}

/// Parses a complete head at the start of `buffer` and removes it; `None`
/// while it is incomplete.
fn parse_head(buffer: &mut Vec<u8>) -> Result<Option<Request>, Failure> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut fields);
    let length = match parsed.parse(buffer) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(Failure::Status(431)),
        Err(httparse::Error::Version) => {
            // HTTP/2.0 and the like are versions we do not speak; anything
            // else is not HTTP at all.
            let line = buffer.split(|b| *b == b'\n').next().unwrap_or_default();
            let http = line
                .rsplit(|b| *b == b' ')
                .next()
                .is_some_and(|v| v.starts_with(b"HTTP/"));
            return Err(Failure::Status(if http { 505 } else { 400 }));
        }
        Err(_) => return Err(Failure::Status(400)),
    };
    let request = Request {
        method: parsed.method.unwrap_or_default().to_string(),
        target: parsed.path.unwrap_or_default().to_string(),
        minor: parsed.version.unwrap_or(1),
        headers: parsed
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).trim().to_string(),
                )
            })
            .collect(),
    };
    buffer.drain(..length);
    Ok(Some(request))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Persist {
    /// HTTP/1.1's default: keep the connection, say nothing.
    Keep,
    /// HTTP/1.0 asked for keep-alive: keep it and say so.
    KeepAnnounced,
    Close,
}

/// RFC 9112, 9.3: whether the connection persists after this request.
fn persistence(request: &Request) -> Persist {
    if request.connection_has("close") {
        Persist::Close
    } else if request.minor >= 1 {
        Persist::Keep
    } else if request.connection_has("keep-alive") {
        Persist::KeepAnnounced
    } else {
        Persist::Close
    }
}

enum BodyError {
    Chunked,
    Invalid,
}

/// The length of the request's body (RFC 9112, 6.3).
fn body_length(request: &Request) -> Result<u64, BodyError> {
    if !request.all("Transfer-Encoding").is_empty() {
        return Err(BodyError::Chunked);
    }
    let lengths = request.all("Content-Length");
    let mut length: Option<u64> = None;
    for value in lengths.iter().flat_map(|v| v.split(',')) {
        let value = value.trim();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BodyError::Invalid);
        }
        let n: u64 = value.parse().map_err(|_| BodyError::Invalid)?;
        if length.is_some_and(|l| l != n) {
            return Err(BodyError::Invalid);
        }
        length = Some(n);
    }
    Ok(length.unwrap_or(0))
}

/// Reads and drops `len` body bytes, some already in `buffer`.
fn discard(stream: &mut TcpStream, buffer: &mut Vec<u8>, len: u64) -> bool {
    let buffered = buffer.len().min(usize::try_from(len).unwrap_or(usize::MAX));
    buffer.drain(..buffered);
    let mut left = len - buffered as u64;
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut chunk = [0u8; 8192];
    while left > 0 {
        let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(wait.max(Duration::from_millis(1))));
        let want = usize::try_from(left)
            .unwrap_or(chunk.len())
            .min(chunk.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) | Err(_) => return false,
            Ok(n) => left -= n as u64,
        }
    }
    true
}

/// Sends an answer with its framing: Content-Length (the whole body's for
/// HEAD), no body for HEAD, 1xx, 204 and 304, and the Connection header
/// the persistence needs.
fn write_answer(
    stream: &mut TcpStream,
    answer: Answer,
    head_only: bool,
    persist: Persist,
) -> io::Result<()> {
    let status = answer.status;
    let bodiless = matches!(status, 100..=199 | 204 | 304);
    let mut head = status_line(status);
    push_common(&mut head, &answer.headers);
    if !bodiless {
        head.push_str(&format!("Content-Length: {}\r\n", answer.body.len()));
    }
    match persist {
        Persist::Keep => {}
        Persist::KeepAnnounced => {
            head.push_str(&format!(
                "Connection: keep-alive\r\nKeep-Alive: timeout={}\r\n",
                IDLE_TIMEOUT.as_secs()
            ));
        }
        Persist::Close => head.push_str("Connection: close\r\n"),
    }
    head.push_str("\r\n");
    if head_only || bodiless {
        stream.write_all(head.as_bytes())?;
        return stream.flush();
    }
    match answer.body {
        Payload::Bytes(bytes) => {
            let mut whole = head.into_bytes();
            whole.extend_from_slice(&bytes);
            stream.write_all(&whole)?;
        }
        Payload::File {
            mut file,
            start,
            len,
        } => {
            stream.write_all(head.as_bytes())?;
            file.seek(SeekFrom::Start(start))?;
            let sent = io::copy(&mut file.take(len), stream)?;
            if sent != len {
                // The file shrank while it was sent: the length already
                // promised cannot be kept, so the connection cannot go on.
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "file shrank"));
            }
        }
    }
    stream.flush()
}

/// The head of a stream: no length, so the stream ends with the connection.
fn write_stream_head(stream: &mut TcpStream, answer: &Answer) -> io::Result<()> {
    let mut head = status_line(answer.status);
    push_common(&mut head, &answer.headers);
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    stream.flush()
}

fn status_line(status: u16) -> String {
    format!("HTTP/1.1 {status} {}\r\n", reason(status))
}

/// The answer's own headers (minus any framing ones, which are the
/// server's to write) and Date.
fn push_common(head: &mut String, headers: &[(String, String)]) {
    const FRAMING: [&str; 5] = [
        "content-length",
        "connection",
        "transfer-encoding",
        "keep-alive",
        "date",
    ];
    for (name, value) in headers {
        let lower = name.to_ascii_lowercase();
        let clean = |s: &str| !s.bytes().any(|b| b == b'\r' || b == b'\n');
        if FRAMING.contains(&lower.as_str()) || !clean(name) || !clean(value) {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let date = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&jiff::Timestamp::now())
        .unwrap_or_default();
    if !date.is_empty() {
        head.push_str(&format!("Date: {date}\r\n"));
    }
}

/// Closes after a final answer without losing it: a client still sending
/// (pipelined requests, a body) would otherwise get a reset that can
/// destroy the answer before it is read. Stops sending, then reads what
/// comes for at most a second.
fn linger_close(stream: &mut TcpStream) {
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let until = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 8192];
    while Instant::now() < until {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(minor: u8, headers: &[(&str, &str)]) -> Request {
        Request {
            method: "GET".into(),
            target: "/".into(),
            minor,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn persistence_follows_rfc_9112() {
        assert_eq!(persistence(&request(1, &[])), Persist::Keep);
        assert_eq!(
            persistence(&request(1, &[("Connection", "close")])),
            Persist::Close
        );
        assert_eq!(
            persistence(&request(1, &[("connection", "TE, Close")])),
            Persist::Close
        );
        assert_eq!(persistence(&request(0, &[])), Persist::Close);
        assert_eq!(
            persistence(&request(0, &[("Connection", "Keep-Alive")])),
            Persist::KeepAnnounced
        );
        assert_eq!(
            persistence(&request(0, &[("Connection", "keep-alive, close")])),
            Persist::Close
        );
    }

    #[test]
    fn heads_parse_in_order_and_leave_the_next_request() {
        let mut buffer = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.0\r\n".to_vec();
        let first = parse_head(&mut buffer).expect("valid").expect("complete");
        assert_eq!((first.target.as_str(), first.minor), ("/a", 1));
        assert_eq!(first.header("host"), Some("x"));
        assert!(parse_head(&mut buffer).expect("valid").is_none(), "partial");
        buffer.extend_from_slice(b"\r\n");
        let second = parse_head(&mut buffer).expect("valid").expect("complete");
        assert_eq!((second.target.as_str(), second.minor), ("/b", 0));
        assert!(buffer.is_empty());
    }

    #[test]
    fn bad_heads_get_their_status() {
        let status = |raw: &[u8]| parse_head(&mut raw.to_vec()).err();
        assert_eq!(
            status(b"GET / HTTP/2.0\r\n\r\n"),
            Some(Failure::Status(505))
        );
        assert_eq!(status(b"GET / FTP/1.1\r\n\r\n"), Some(Failure::Status(400)));
        assert_eq!(
            status(b"G\0T / HTTP/1.1\r\n\r\n"),
            Some(Failure::Status(400))
        );
        let many: String = (0..MAX_HEADERS + 1)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect();
        let raw = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(status(raw.as_bytes()), Some(Failure::Status(431)));
    }

    #[test]
    fn body_lengths() {
        let len = |headers: &[(&str, &str)]| body_length(&request(1, headers)).ok();
        assert_eq!(len(&[]), Some(0));
        assert_eq!(len(&[("Content-Length", "12")]), Some(12));
        assert_eq!(len(&[("Content-Length", "12, 12")]), Some(12));
        assert_eq!(
            len(&[("Content-Length", "12"), ("Content-Length", "13")]),
            None
        );
        assert_eq!(len(&[("Content-Length", "-1")]), None);
        assert_eq!(len(&[("Content-Length", "")]), None);
        assert_eq!(len(&[("Transfer-Encoding", "chunked")]), None);
    }
}
