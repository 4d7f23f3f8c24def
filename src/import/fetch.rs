//! HTTP GETs for `blog import`: a feed given as a URL, and with `--media`
//! the images of the imported posts. One blocking `ureq` agent with a
//! timeout on each whole request (connecting, and reading the body), a
//! bounded number of redirects, up to three attempts where a failure may
//! pass (a timeout, a broken connection, a 5xx or 429 answer) with a short
//! wait between them, and a size limit counted on the bytes read, whatever
//! the server says the length is. The body is written to a file.

use std::fmt;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::time::Duration;

/// Redirects followed before a request fails.
pub const MAX_REDIRECTS: u32 = 5;
/// Attempts in all for a failure that may pass.
const ATTEMPTS: u32 = 3;

/// Why a URL could not be fetched, as the report says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server's answer: 404, 503, …
    Status(u16),
    TimedOut(Duration),
    /// More bytes than the limit, in bytes.
    TooLarge(u64),
    Refused,
    TooManyRedirects,
    HostNotFound,
    /// The download could not be written (a full disk).
    Write(String),
    /// What else went wrong, in ureq's words.
    Other(String),
}

impl Failure {
    /// A failure that may pass: worth another attempt.
    fn is_transient(&self) -> bool {
        match self {
            Failure::Status(code) => *code >= 500 || *code == 429,
            Failure::TimedOut(_) | Failure::Refused | Failure::Other(_) => true,
            Failure::TooLarge(_)
            | Failure::TooManyRedirects
            | Failure::HostNotFound
            | Failure::Write(_) => false,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status(code) => write!(f, "HTTP {code}"),
            Failure::TimedOut(t) => write!(f, "timed out after {} s", t.as_secs_f64()),
            Failure::TooLarge(limit) => write!(f, "larger than the limit of {}", megabytes(*limit)),
            Failure::Refused => write!(f, "connection refused"),
            Failure::TooManyRedirects => {
                write!(f, "more than {MAX_REDIRECTS} redirects")
            }
            Failure::HostNotFound => write!(f, "host not found"),
            Failure::Write(why) => write!(f, "cannot write it: {why}"),
            Failure::Other(why) => write!(f, "{why}"),
        }
    }
}

/// `20 MB`, `1.5 MB`.
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb} MB")
    }
}

/// What a fetch wrote.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The answer's media type, lowercased, without parameters.
    pub content_type: Option<String>,
}

pub struct Fetcher {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Fetcher {
    pub fn new(timeout: Duration) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(MAX_REDIRECTS)
            .user_agent(concat!("blog-import/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Fetcher { agent, timeout }
    }

    /// GETs `url` into `file` (created or replaced), at most `limit` bytes.
    pub fn get(&self, url: &str, limit: u64, file: &Path) -> Result<Fetched, Failure> {
        let mut attempt = 1;
        loop {
            match self.get_once(url, limit, file) {
                Ok(fetched) => return Ok(fetched),
                Err((failure, wait)) => {
                    if attempt >= ATTEMPTS || !failure.is_transient() {
                        let _ = std::fs::remove_file(file);
                        return Err(failure);
                    }
                    // 250 ms, then 750 ms; or what a 429 asks, up to 5 s.
                    let backoff = Duration::from_millis(250 * 3u64.pow(attempt - 1));
                    std::thread::sleep(wait.map_or(backoff, |w| w.min(Duration::from_secs(5))));
                    attempt += 1;
                }
            }
        }
    }

    /// One attempt; a failure with how long the server asks to wait.
    fn get_once(
        &self,
        url: &str,
        limit: u64,
        file: &Path,
    ) -> Result<Fetched, (Failure, Option<Duration>)> {
        let response = self
            .agent
            .get(url)
            .call()
            .map_err(|e| (self.failure(e), None))?;
        let status = response.status().as_u16();
        if status >= 400 {
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err((Failure::Status(status), wait));
        }
        if status >= 300 {
            // A redirect without a Location ureq could follow.
            return Err((Failure::Status(status), None));
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        let body = response.into_body();
        if body.content_length().is_some_and(|n| n > limit) {
            return Err((Failure::TooLarge(limit), None));
        }
        let mut out =
            std::fs::File::create(file).map_err(|e| (Failure::Write(e.to_string()), None))?;
        // The limit is counted here, on what arrives: one byte more than
        // it is enough to know.
        let mut reader = body
            .into_with_config()
            .limit(u64::MAX)
            .reader()
            .take(limit + 1);
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err((self.io_failure(e), None)),
            };
            total += n as u64;
            if total > limit {
                return Err((Failure::TooLarge(limit), None));
            }
            out.write_all(&buf[..n])
                .map_err(|e| (Failure::Write(e.to_string()), None))?;
        }
        Ok(Fetched { content_type })
    }

    fn failure(&self, e: ureq::Error) -> Failure {
        match e {
            ureq::Error::StatusCode(code) => Failure::Status(code),
            ureq::Error::Timeout(_) => Failure::TimedOut(self.timeout),
            ureq::Error::TooManyRedirects => Failure::TooManyRedirects,
            ureq::Error::HostNotFound => Failure::HostNotFound,
            ureq::Error::ConnectionFailed => Failure::Refused,
            ureq::Error::Io(e) => self.io_failure(e),
            other => Failure::Other(other.to_string()),
        }
    }

    fn io_failure(&self, e: std::io::Error) -> Failure {
        use std::io::ErrorKind;
        if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>()) {
            if matches!(inner, ureq::Error::Timeout(_)) {
                return Failure::TimedOut(self.timeout);
            }
        }
        match e.kind() {
            ErrorKind::TimedOut | ErrorKind::WouldBlock => Failure::TimedOut(self.timeout),
            ErrorKind::ConnectionRefused => Failure::Refused,
            _ => Failure::Other(format!("the connection failed: {e}")),
        }
    }
}
