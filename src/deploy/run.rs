//! One deploy from start to end: resolve the target and credentials, build
//! the site (with the target's base URL), hash the built files, list the
//! bucket, plan, then upload phase by phase with a bounded pool of
//! threads, and delete last. A phase starts only when every upload of the
//! one before succeeded, and nothing is deleted unless every upload did:
//! a deploy that fails midway leaves the old pages whole (new assets beside
//! them), and the next run uploads only what is still different.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use super::credentials::{self, Env, Profiles};
use super::plan::{self, LocalFile, Plan};
use super::s3::{Client, Failure, PutObject};
use super::{headers, human_bytes, target, DeployError, DeployOptions, DeployReport};
use crate::build::{build, BuildOptions};
use crate::config::{Config, Overrides};
use crate::diagnostics::count;

/// S3's limit for one PutObject.
const MAX_SINGLE_UPLOAD: u64 = 5 * 1024 * 1024 * 1024;

pub fn deploy(options: &DeployOptions, env: Env<'_>) -> Result<DeployReport, DeployError> {
    let started = Instant::now();
    crate::content::load::check_site_root(&options.root)
        .map_err(|d| DeployError::Config(vec![d]))?;
    let config = Config::load(&options.root).map_err(DeployError::Config)?;
    let chosen =
        target::choose(options.target.as_deref(), &config.deploy).map_err(DeployError::Failed)?;
    let profiles = Profiles::load(env);
    let target = target::resolve(&chosen, env, &profiles).map_err(DeployError::Failed)?;
    let credentials = credentials::resolve(env, &profiles)
        .map_err(|e| DeployError::Failed(format!("{}: {e}", target.url)))?;
    let matchers = config.deploy.matchers.clone();
    drop(config);

    let mut build_options = BuildOptions::new(&options.root);
    build_options.overrides = Overrides {
        base_url: target.base_url.clone(),
        ..Overrides::default()
    };
    build_options.progress = options.progress;
    build_options.print_warnings = !options.quiet;
    let built = build(&build_options)?;
    if !options.quiet {
        println!(
            "Built {} pages, {} sections, {} terms in {} ms",
            built.pages,
            built.sections,
            built.terms,
            built.elapsed.as_millis()
        );
    }
    let output = build_options.output_dir();
    let local = local_files(&output).map_err(DeployError::Failed)?;
    let redirects: HashMap<String, String> = built.redirects.into_iter().collect();

    let client = Client::new(target, credentials, options.timeout);
    let url = client.target().url.clone();
    let mut remote = client
        .list()
        .map_err(|f| DeployError::Failed(f.message().into()))?;
    // Where the ETag is not the file's MD5, the metadata says what was uploaded.
    let unknown: Vec<String> = local
        .iter()
        .filter(|f| {
            remote
                .get(&f.path)
                .is_some_and(|o| plan::needs_metadata(f, o))
        })
        .map(|f| f.path.clone())
        .collect();
    let found = Mutex::new(Vec::new());
    pool(&unknown, options.jobs, |key| {
        let md5 = client.content_md5(key)?;
        lock(&found).push((key.clone(), md5));
        Ok(())
    })
    .map_err(|f| DeployError::Failed(f.message().into()))?;
    for (key, md5) in found.into_inner().unwrap_or_else(|p| p.into_inner()) {
        if let Some(object) = remote.get_mut(&key) {
            object.meta_md5 = md5;
        }
    }

    let plan = plan::plan(&local, &remote, &|p| client.target().manages(p));
    let mut report = DeployReport {
        target: url.clone(),
        unchanged: plan.unchanged.len(),
        dry_run: options.dry_run,
        ..DeployReport::default()
    };
    print_plan(options, &plan, &url);
    if options.dry_run {
        report.stale_kept = if options.delete { 0 } else { plan.stale.len() };
        report.requests = client.requests.load(Ordering::Relaxed);
        report.elapsed = started.elapsed();
        return Ok(report);
    }
    if options.delete && plan.stale.len() > options.max_deletes && !options.yes {
        return Err(DeployError::Failed(format!(
            "{url}: the deploy would delete {}, more than --max-deletes {} allows; nothing was changed: check the target's url and prefix, then run again with --yes (or --max-deletes {})",
            count(plan.stale.len(), "object"),
            options.max_deletes,
            plan.stale.len()
        )));
    }

    let uploaded = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let progress = crate::progress::Progress::start(options.progress, "Uploading");
    progress.set_total(plan.uploads.len());
    for phase in [plan::Phase::Assets, plan::Phase::Pages, plan::Phase::Last] {
        let uploads: Vec<&plan::Upload> =
            plan.uploads.iter().filter(|u| u.phase == phase).collect();
        let result = pool(&uploads, options.jobs, |upload| {
            let body = read(&output.join(&upload.path)).map_err(Failure::Fatal)?;
            let md5 = md5_hex(&body);
            let (content_type, cache_control) = headers::for_path(&upload.path, &matchers);
            client.put(&PutObject {
                path: &upload.path,
                body: &body,
                md5_hex: &md5,
                content_type: &content_type,
                cache_control: &cache_control,
                redirect: redirects
                    .get(&upload.path)
                    .map(String::as_str)
                    .filter(|to| is_redirect_location(to)),
            })?;
            uploaded.fetch_add(1, Ordering::Relaxed);
            bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
            progress.tick();
            if options.verbose {
                println!(
                    "uploaded {} ({})",
                    upload.path,
                    human_bytes(body.len() as u64)
                );
            }
            Ok(())
        });
        if let Err(failure) = result {
            drop(progress);
            return Err(DeployError::Failed(format!(
                "{}; {} of {} uploaded before it, nothing deleted: run the deploy again to send the rest",
                failure.message(),
                uploaded.load(Ordering::Relaxed),
                count(plan.uploads.len(), "file"),
            )));
        }
    }
    drop(progress);
    report.uploaded = uploaded.into_inner();
    report.uploaded_bytes = bytes.into_inner();

    if options.delete {
        let deleted = AtomicUsize::new(0);
        let progress = crate::progress::Progress::start(options.progress, "Deleting");
        progress.set_total(plan.stale.len());
        let result = pool(&plan.stale, options.jobs, |path| {
            client.delete(path)?;
            deleted.fetch_add(1, Ordering::Relaxed);
            progress.tick();
            if options.verbose {
                println!("deleted {path}");
            }
            Ok(())
        });
        drop(progress);
        if let Err(failure) = result {
            return Err(DeployError::Failed(format!(
                "{}; every file was uploaded and {} of {} deleted: run the deploy again to delete the rest",
                failure.message(),
                deleted.load(Ordering::Relaxed),
                plan.stale.len()
            )));
        }
        report.deleted = deleted.into_inner();
    } else {
        report.stale_kept = plan.stale.len();
    }
    report.requests = client.requests.load(Ordering::Relaxed);
    report.elapsed = started.elapsed();
    Ok(report)
}

fn print_plan(options: &DeployOptions, plan: &Plan, url: &str) {
    if options.quiet && !options.dry_run {
        return;
    }
    let stale = if options.delete {
        format!("{} to delete", plan.stale.len())
    } else {
        format!(
            "{} not in the site, kept (--delete removes them)",
            plan.stale.len()
        )
    };
    println!(
        "Plan for {url}: {} to upload, {} unchanged, {stale}",
        plan.uploads.len(),
        plan.unchanged.len()
    );
    if !options.dry_run {
        return;
    }
    for upload in &plan.uploads {
        let why = if upload.new { "new" } else { "changed" };
        println!("upload    {} ({why})", upload.path);
    }
    for path in &plan.unchanged {
        println!("unchanged {path}");
    }
    for path in &plan.stale {
        if options.delete {
            println!("delete    {path}");
        } else {
            println!("keep      {path} (not in the site)");
        }
    }
}

/// Runs `f` over `items` on up to `jobs` threads; after the first failure
/// no new item starts, and that failure is returned.
fn pool<T: Sync>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> Result<(), Failure> + Sync,
) -> Result<(), Failure> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let failed: Mutex<Option<Failure>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    if let Err(e) = f(item) {
                        stop.store(true, Ordering::Relaxed);
                        lock(&failed).get_or_insert(e);
                        break;
                    }
                }
            });
        }
    });
    match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// What S3 takes as a website redirect: a path, or an http(s) URL; any
/// other `redirect_to` still redirects through its page.
fn is_redirect_location(to: &str) -> bool {
    to.starts_with('/') || to.starts_with("https://") || to.starts_with("http://")
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest;
    super::sigv4::hex(&md5::Md5::digest(bytes))
}

/// Every file of the output but its marker and the author's dotfiles, with
/// its size and MD5.
fn local_files(output: &Path) -> Result<Vec<LocalFile>, String> {
    let mut found = Vec::new();
    let authors = crate::output::write::authors_dotfiles(output);
    let walk = walkdir::WalkDir::new(output)
        .sort_by_file_name()
        .into_iter()
        // The author's own dotfiles beside the site (a `.git`) are not the site.
        .filter_entry(|e| e.depth() != 1 || !authors.iter().any(|a| e.file_name() == a.as_str()));
    for entry in walk {
        let entry =
            entry.map_err(|e| format!("{}: cannot read the built site: {e}", output.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
        let Some(rel) = rel
            .to_str()
            .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"))
        else {
            return Err(format!(
                "{}: the name is not UTF-8, which S3 keys must be: rename it",
                entry.path().display()
            ));
        };
        if rel == crate::output::write::MARKER {
            continue;
        }
        found.push((rel, entry.into_path()));
    }
    found
        .into_par_iter()
        .map(|(rel, path)| {
            let size = std::fs::metadata(&path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))?
                .len();
            if size > MAX_SINGLE_UPLOAD {
                return Err(format!(
                    "{}: {} is over the 5 GiB S3 takes in one upload: host it elsewhere, or leave it out with the target's exclude = [\"{rel}\"]",
                    path.display(),
                    human_bytes(size)
                ));
            }
            Ok(LocalFile {
                md5: file_md5(&path)?,
                path: rel,
                size,
            })
        })
        .collect::<Result<Vec<_>, String>>()
        .map(|mut files| {
            files.sort_by(|a, b| a.path.cmp(&b.path));
            files
        })
}

fn file_md5(path: &Path) -> Result<String, String> {
    use md5::Digest;
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut hasher = md5::Md5::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(super::sigv4::hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_files_come_with_md5s_and_without_the_marker_or_the_authors_dotfiles() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        std::fs::create_dir_all(out.join("posts/a")).expect("mkdir");
        std::fs::create_dir_all(out.join(".git")).expect("mkdir");
        std::fs::write(out.join("posts/a/index.html"), "a").expect("write");
        std::fs::write(out.join(".git/HEAD"), "ref").expect("write");
        std::fs::write(out.join(crate::output::write::MARKER), "x").expect("write");
        let files = local_files(out).expect("reads");
        assert_eq!(
            files,
            [LocalFile {
                path: "posts/a/index.html".into(),
                size: 1,
                md5: "0cc175b9c0f1b6a831c399e269772661".into(),
            }]
        );
    }

    #[test]
    fn a_file_over_five_gib_is_refused_before_anything_is_sent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = std::fs::File::create(dir.path().join("video.mp4")).expect("create");
        // Sparse: nothing is written to disk.
        big.set_len(MAX_SINGLE_UPLOAD + 1).expect("set_len");
        let e = local_files(dir.path()).expect_err("refused");
        assert!(
            e.contains("video.mp4: 5.4 GB is over the 5 GiB S3 takes in one upload"),
            "{e}"
        );
        assert!(e.contains("exclude = [\"video.mp4\"]"), "{e}");
    }
}
