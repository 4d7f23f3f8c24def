//! The integration test harness: a `SiteTest` writes a small fixture site into
//! a temporary directory, runs the real `blog` binary on it, and hands back
//! parsed HTML and XML, stderr with the temporary path redacted, and the exit
//! code.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct SiteTest {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    /// With the site's directory replaced by `[SITE]`.
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "build failed:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn assert_fails(&self) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1, got {}:\n{}{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

impl SiteTest {
    /// An empty site; add files with `file`.
    pub fn new() -> Self {
        SiteTest {
            dir: tempfile::tempdir().expect("tempdir"),
            cache: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn cache_dir(&self) -> &Path {
        self.cache.path()
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file of the site, creating folders.
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).expect("remove");
        self
    }

    /// A post in content/posts with YAML front matter.
    pub fn post(&self, slug: &str, front_matter: &str, body: &str) -> &Self {
        self.file(
            &format!("content/posts/{slug}.md"),
            &format!("---\n{front_matter}\n---\n{body}\n"),
        )
    }

    /// Runs `blog <args>` with the site as the working directory.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_blog"));
        cmd.args(args).current_dir(self.root());
        for key in ["BLOG_BASE_URL", "CONTEXT", "DEPLOY_PRIME_URL"] {
            cmd.env_remove(key);
        }
        // Each test site has its own highlight cache, never the user's.
        cmd.env("BLOG_CACHE_DIR", self.cache.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run blog");
        let redact = |s: &[u8]| {
            let text = String::from_utf8_lossy(s).into_owned();
            let root = self.root().to_string_lossy().into_owned();
            let canonical = self
                .root()
                .canonicalize()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            text.replace(&canonical, "[SITE]").replace(&root, "[SITE]")
        };
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: redact(&out.stdout),
            stderr: redact(&out.stderr),
        }
    }

    /// `blog build` with extra arguments.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    #[track_caller]
    pub fn html(&self, rel: &str) -> Html {
        Html(scraper::Html::parse_document(&self.read(rel)))
    }
}

pub struct Html(pub scraper::Html);

impl Html {
    /// The trimmed text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.0
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    #[track_caller]
    pub fn text(&self, selector: &str) -> String {
        let texts = self.texts(selector);
        assert!(!texts.is_empty(), "no element matches {selector}");
        texts[0].clone()
    }

    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.0
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.0.select(&sel).count()
    }

    pub fn inner_html(&self, selector: &str) -> String {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.0
            .select(&sel)
            .next()
            .map(|e| e.inner_html())
            .unwrap_or_default()
    }
}

/// A running `blog serve`, killed when dropped.
pub struct Server {
    child: std::process::Child,
    pub port: u16,
    /// Lines the server printed, read in the background.
    pub output: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl SiteTest {
    /// Starts `blog serve --port 0` on the site and waits (at most 30 s) for
    /// it to say where it listens.
    pub fn serve(&self, extra: &[&str]) -> Server {
        self.serve_env(extra, &[])
    }

    /// `serve` with extra environment variables.
    pub fn serve_env(&self, extra: &[&str], env: &[(&str, &str)]) -> Server {
        use std::io::BufRead;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_blog"));
        cmd.args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(self.root());
        cmd.env("BLOG_CACHE_DIR", self.cache.path());
        cmd.envs(env.iter().copied());
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("start blog serve");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        for (stream, tx) in [
            (Box::new(stdout) as Box<dyn std::io::Read + Send>, Some(tx)),
            (Box::new(stderr), None),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stream)
                    .lines()
                    .map_while(Result::ok)
                {
                    if let (Some(tx), Some(rest)) =
                        (&tx, line.strip_prefix("Serving http://127.0.0.1:"))
                    {
                        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                        let _ = tx.send(port.parse::<u16>().unwrap_or(0));
                    }
                    output.lock().expect("lock").push(line);
                }
            });
        }
        let port = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("server did not start in 30 s");
        Server {
            child,
            port,
            output,
        }
    }
}

impl Server {
    /// One HTTP request over a fresh connection, with 10 s timeouts.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        // As a browser sends it, unless the test names another.
        let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("Host")) {
            request.push_str(&format!("Host: 127.0.0.1:{}\r\n", self.port));
        }
        for (k, v) in headers {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).expect("send");
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `limit` for the server to exit; true when it did.
    pub fn wait_exit(&self, limit: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if !std::path::Path::new(&format!("/proc/{}", self.child.id())).exists()
                || std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
                    .is_ok_and(|s| s.contains(") Z "))
            {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        false
    }

    /// Waits up to 10 s for the server to print a line containing `needle`.
    #[track_caller]
    pub fn wait_for_output(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let lines = self.output.lock().expect("lock").clone();
            if let Some(line) = lines.iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            if std::time::Instant::now() > deadline {
                panic!(
                    "{needle:?} not printed within 10 s; server said:\n{}",
                    lines.join("\n")
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[])
    }

    /// Polls `path` until `check` holds, for at most 10 s.
    #[track_caller]
    pub fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let reply = self.get(path);
            if check(&reply) {
                return reply;
            }
            if std::time::Instant::now() > deadline {
                panic!(
                    "{what}: not seen on {path} within 10 s; last status {}\n{}\nserver said:\n{}",
                    reply.status,
                    reply.body,
                    self.output.lock().expect("lock").join("\n")
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file under `dir` with its bytes, and every folder (as `rel/`,
/// empty), keyed by its `/`-separated path: equal snapshots, equal trees.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut found = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read_dir") {
            let path = entry.expect("entry").path();
            let rel = path
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                found.insert(format!("{rel}/"), Vec::new());
                stack.push(path);
            } else {
                found.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    found
}

/// A real PNG of `width`×`height`, for a site whose images are read (for
/// their size) by the build.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 60, 20]));
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("png");
    out
}

/// A real JPEG of `width`×`height`.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([40, 120, 200]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut out)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("jpeg");
    out
}

/// Every `open…close` of a page (`<pre`, `</pre>`), in order, as written.
pub fn elements(html: &str, open: &str, close: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        let end = start + len + close.len();
        found.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    found
}
