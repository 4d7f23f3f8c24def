//! `blog deploy`: builds the site, then publishes that output to S3 or an
//! S3-compatible service, uploading only what changed. The stages:
//! `target` (which bucket, prefix, endpoint and region), `credentials`
//! (the AWS keys), `run` (the built files and their MD5s, the bucket's
//! listing, `plan` — the pure diff and its order — then the uploads by
//! phase and the deletes), over `s3` (signed requests with retries,
//! `sigv4`, `xml` for the answers) and `headers` (Content-Type and
//! Cache-Control per file).

pub mod credentials;
pub mod headers;
pub mod plan;
pub mod run;
pub mod s3;
pub mod sigv4;
pub mod target;
pub mod xml;

use std::path::PathBuf;
use std::time::Duration;

use crate::build::BuildError;
use crate::diagnostics::Diagnostic;

/// What `blog deploy` was asked to do.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub root: PathBuf,
    /// `s3://bucket/prefix` or a `[[deploy.targets]]` name.
    pub target: Option<String>,
    /// Print the plan, path by path, and change nothing.
    pub dry_run: bool,
    /// Delete objects under the prefix the site no longer has.
    pub delete: bool,
    /// More deletes than this need `yes`.
    pub max_deletes: usize,
    pub yes: bool,
    /// Uploads (and deletes) at once.
    pub jobs: usize,
    pub quiet: bool,
    /// Each upload and delete, and the requests made.
    pub verbose: bool,
    /// A progress line on stderr (a terminal).
    pub progress: bool,
    /// How long one request may take.
    pub timeout: Duration,
}

impl DeployOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DeployOptions {
            root: root.into(),
            target: None,
            dry_run: false,
            delete: false,
            max_deletes: 256,
            yes: false,
            jobs: 8,
            quiet: false,
            verbose: false,
            progress: false,
            timeout: Duration::from_secs(60),
        }
    }
}

/// How a deploy failed.
#[derive(Debug)]
pub enum DeployError {
    /// The site did not build (nothing was sent).
    Build(BuildError),
    /// config.toml is wrong.
    Config(Vec<Diagnostic>),
    /// One line naming the bucket and what to do.
    Failed(String),
}

impl From<BuildError> for DeployError {
    fn from(e: BuildError) -> Self {
        DeployError::Build(e)
    }
}

/// What a deploy did.
#[derive(Debug, Clone, Default)]
pub struct DeployReport {
    /// `s3://bucket/prefix`.
    pub target: String,
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    pub unchanged: usize,
    pub deleted: usize,
    /// Objects the site no longer has, kept (no `--delete`).
    pub stale_kept: usize,
    /// Requests sent, retries included.
    pub requests: usize,
    pub elapsed: Duration,
    pub dry_run: bool,
}

pub use run::deploy;

/// `1234567` → `1.2 MB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_read_as_people_say_them() {
        assert_eq!(super::human_bytes(999), "999 B");
        assert_eq!(super::human_bytes(1234), "1.2 KB");
        assert_eq!(super::human_bytes(5_500_000), "5.5 MB");
    }
}
