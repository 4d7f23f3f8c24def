//! `blog serve`: builds the site in memory, serves it on localhost with
//! its own small HTTP/1.1 server (`server.rs`), watches the sources, rebuilds on every change and reloads open
//! tabs. Bad input never stops it: it keeps serving the last good build with
//! the errors shown over every page, and recovers on the next good save.

pub mod host;
pub mod http;
pub mod reload;
pub mod server;
pub mod state;
pub mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::build::{build_into_reusing, BuildError, BuildOptions, Built};
use crate::config::Overrides;
use crate::content::load::ParseCache;
use crate::markdown::Highlighter;
use state::{MemorySink, Shared};

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub drafts: bool,
    pub watch: bool,
    pub poll: bool,
    pub open: bool,
    pub quiet: bool,
    /// Print each rebuild's stages and how many pages it rendered.
    pub verbose: bool,
    /// Host names to answer besides loopback ones and `bind` (`--allow-host`).
    pub allow_hosts: Vec<String>,
}

pub fn serve(mut options: ServeOptions) -> Result<()> {
    options.root = options.root.canonicalize().map_err(|e| {
        anyhow::anyhow!(
            "cannot open the site folder {}: {e}",
            options.root.display()
        )
    })?;
    let address = format!("{}:{}", options.bind, options.port);
    let listener = match std::net::TcpListener::bind((options.bind.as_str(), options.port)) {
        Ok(listener) => listener,
        Err(e) => {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                let hint = match free_port_after(&options.bind, options.port) {
                    Some(free) => format!("try --port {free}, which is free"),
                    None => "try another with --port".to_string(),
                };
                anyhow::bail!(
                    "port {} on {} is already in use; {hint}",
                    options.port,
                    options.bind,
                );
            }
            anyhow::bail!("cannot listen on {address}: {e}");
        }
    };
    let port = listener.local_addr().map_or(options.port, |a| a.port());
    let (host, every) = link_host(&options.bind);
    let url = format!("http://{host}:{port}");
    let mut build_options = BuildOptions::new(&options.root);
    build_options.overrides = Overrides {
        base_url: Some(url.clone()),
        ..Overrides::default()
    };
    build_options.drafts = options.drafts;
    build_options.fingerprint = false;
    build_options.minify = false;
    // `--quiet` prints errors only.
    build_options.print_warnings = !options.quiet;

    // Watch before the first build, so no save is missed between the two.
    let mut watcher = if options.watch {
        Some(watch::Watcher::new(&options.root, options.poll)?)
    } else {
        None
    };
    let shared = Arc::new(Shared::default());
    let _ = shared.origin.set(url.clone());
    let configured = crate::config::Config::load(&options.root)
        .map(|c| c.serve.allow_hosts)
        .unwrap_or_default();
    shared.set_hosts(host_policy(&options, &configured));
    let mut memory = Memory::default();
    let mut highlighter = rebuild(
        &build_options,
        &shared,
        &mut memory,
        None,
        Verbosity::of(&options),
        true,
        &[],
    );
    if let Some(h) = &highlighter {
        let _ = h.save_cache();
    }
    {
        let shared = shared.clone();
        let handler: Arc<server::Handler> =
            Arc::new(move |request: &server::Request| http::handle(&shared, request));
        std::thread::spawn(move || server::run(listener, handler));
    }
    if every {
        let v6 = host.starts_with('[');
        match network_address(v6) {
            Some(ip) if ip.is_ipv6() => println!(
                "Serving {url}/ (Ctrl-C to stop); on this network: http://[{ip}]:{port}/"
            ),
            Some(ip) => {
                println!("Serving {url}/ (Ctrl-C to stop); on this network: http://{ip}:{port}/")
            }
            None => println!(
                "Serving {url}/ (Ctrl-C to stop); other devices reach it at this machine's address, port {port}"
            ),
        }
    } else {
        println!("Serving {url}/ (Ctrl-C to stop)");
    }
    let _ = std::io::stdout().flush();
    if options.open {
        // The system's opener (xdg-open and its kin, `open`, `start`); it
        // runs detached, so closing the browser never stops the server.
        if let Err(e) = open::that_detached(format!("{url}/")) {
            eprintln!("cannot open a browser ({e}); open {url}/ in one yourself");
        }
    }
    let Some(watcher) = watcher.as_mut() else {
        loop {
            std::thread::park();
        }
    };
    while let Some(changed) =
        watcher.next_batch(Duration::from_millis(20), Duration::from_millis(1000))
    {
        if !options.quiet {
            let names: Vec<String> = changed
                .iter()
                .take(3)
                .map(|p| {
                    p.strip_prefix(&options.root)
                        .unwrap_or(p)
                        .display()
                        .to_string()
                })
                .collect();
            let more = changed.len().saturating_sub(3);
            print!(
                "Changed {}{}: ",
                names.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
            // Before a rebuild's errors, which go to stderr.
            let _ = std::io::stdout().flush();
        }
        build_options.now = jiff::Timestamp::now();
        if let Some(took) = patch(&shared, &mut memory, &changed, build_options.now) {
            if !options.quiet {
                let lists = match took.lists {
                    Some(ms) => format!(
                        ", the lists showing {} in {ms} ms",
                        if changed.len() == 1 { "it" } else { "them" }
                    ),
                    None => String::new(),
                };
                println!(
                    "Updated {} page{} in {} ms{lists}",
                    changed.len(),
                    if changed.len() == 1 { "" } else { "s" },
                    took.pages,
                );
            }
            continue;
        }
        let previewed = preview(&shared, &mut memory, &changed, build_options.now);
        if let Some((ms, _)) = &previewed {
            if !options.quiet {
                print!("shown in {ms} ms, then ");
                let _ = std::io::stdout().flush();
            }
        }
        memory.parse.changed = changed.into_iter().collect();
        let next = rebuild(
            &build_options,
            &shared,
            &mut memory,
            highlighter.clone(),
            Verbosity::of(&options),
            false,
            previewed
                .as_ref()
                .map_or(&[], |(_, shown)| shown.as_slice()),
        );
        highlighter = next.or(highlighter);
        if let Some(built) = &memory.built {
            shared.set_hosts(host_policy(&options, &built.config.serve.allow_hosts));
        }
    }
    shared.disconnect_all();
    Ok(())
}

/// The hosts answered: loopback, `--bind`, `--allow-host` and config.toml's
/// `[serve] allow_hosts`.
fn host_policy(options: &ServeOptions, configured: &[String]) -> host::HostPolicy {
    let mut allowed = options.allow_hosts.clone();
    allowed.extend(configured.iter().cloned());
    host::HostPolicy::new(&options.bind, &allowed)
}

/// What a serve session keeps from one build to the next: parsed files and
/// rendered pages, each reused while its inputs are unchanged.
#[derive(Default)]
pub struct Memory {
    pub parse: ParseCache,
    pub rendered: state::Rendered,
    /// The last good build's model, for patching single-page edits.
    pub built: Option<Built>,
}

/// The host links name when listening on `bind`, and whether `bind` is
/// every address (0.0.0.0, ::). Then links name the loopback address, and
/// each page is served with the address the browser used instead (a phone
/// on the same network, say): `http::Conditions::host`.
fn link_host(bind: &str) -> (String, bool) {
    match bind.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) if ip.is_unspecified() => ("127.0.0.1".into(), true),
        Ok(std::net::IpAddr::V6(ip)) if ip.is_unspecified() => ("[::1]".into(), true),
        Ok(std::net::IpAddr::V6(_)) => (format!("[{bind}]"), false),
        _ => (bind.to_string(), false),
    }
}

/// This machine's address on its network, to print for a server listening
/// on every address: the source address the system would use towards a
/// documentation address (connecting a UDP socket sends nothing; it only
/// picks a route). `None` without a route.
fn network_address(v6: bool) -> Option<std::net::IpAddr> {
    let (any, far) = if v6 {
        ("[::]:0", "[2001:db8::1]:9")
    } else {
        ("0.0.0.0:0", "192.0.2.1:9")
    };
    let socket = std::net::UdpSocket::bind(any).ok()?;
    socket.connect(far).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// The first port after `taken` (within 100) that `bind` can listen on now,
/// to suggest when `taken` is in use.
fn free_port_after(bind: &str, taken: u16) -> Option<u16> {
    (1..=100u16)
        .filter_map(|step| taken.checked_add(step))
        .filter(|port| *port >= 1024)
        .find(|port| std::net::TcpListener::bind((bind, *port)).is_ok())
}

/// How long a patch took to serve the saved pages, and then the lists
/// showing them, when it had any to render again.
struct Took {
    pages: u128,
    lists: Option<u128>,
}

/// The fast path for the commonest save, an edit inside a post's body:
/// renders that page alone when nothing else can differ (`Built::patch`).
/// The saved pages are served (and their tabs reloaded) first; the list
/// pages showing them follow, so that a new title shows on its post as
/// fast as a body edit whatever the archive's size. Returns the times
/// taken, or `None` when a rebuild is needed.
fn patch(
    shared: &Shared,
    memory: &mut Memory,
    changed: &std::collections::BTreeSet<PathBuf>,
    now: jiff::Timestamp,
) -> Option<Took> {
    let started = Instant::now();
    let built = memory.built.as_mut()?;
    // Time moves: a post whose date has come must appear, so a full build.
    let due = built.site.next_due.is_some_and(|due| due <= now);
    if !shared.current().errors.is_empty() || due {
        return None;
    }
    let patched = built.patch_first(changed)?;
    built.now = now;
    shared.publish_patch(patched.files);
    let pages = started.elapsed().as_millis();
    if patched.lists.is_empty() {
        return Some(Took { pages, lists: None });
    }
    let lists = built.render_lists(&patched.lists)?;
    shared.publish_patch(lists);
    Some(Took {
        pages,
        lists: Some(started.elapsed().as_millis()),
    })
}

/// A new post, served at once from the last build's model
/// (`Built::preview_new`) while the rebuild that lists it runs. Returns the
/// time taken and the files served, or `None` when the save is not new
/// posts alone.
fn preview(
    shared: &Shared,
    memory: &mut Memory,
    changed: &std::collections::BTreeSet<PathBuf>,
    now: jiff::Timestamp,
) -> Option<(u128, Vec<String>)> {
    let started = Instant::now();
    let built = memory.built.as_mut()?;
    if !shared.current().errors.is_empty() {
        return None;
    }
    built.now = now;
    let files = built.preview_new(changed)?;
    let shown = files.iter().map(|(path, _)| path.clone()).collect();
    shared.publish_patch(files);
    Some((started.elapsed().as_millis(), shown))
}

#[derive(Clone, Copy, PartialEq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Verbosity {
    fn of(options: &ServeOptions) -> Self {
        if options.quiet {
            Verbosity::Quiet
        } else if options.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        }
    }
}

/// Builds into memory and publishes the result, or the errors. `previewed`
/// names the files served ahead of this build (`preview`), taken away if it
/// fails. Returns the highlighter to reuse for the next build.
fn rebuild(
    options: &BuildOptions,
    shared: &Shared,
    memory: &mut Memory,
    highlighter: Option<Arc<Highlighter>>,
    verbosity: Verbosity,
    first: bool,
    previewed: &[String],
) -> Option<Arc<Highlighter>> {
    let started = Instant::now();
    let sink = MemorySink::reusing(std::mem::take(&mut memory.rendered));
    let search = memory.built.as_ref().and_then(|b| b.search.as_ref());
    match build_into_reusing(options, &sink, highlighter, &mut memory.parse, search) {
        Ok((report, built)) => {
            let highlighter = built.highlighter.clone();
            let moved = memory
                .built
                .as_ref()
                .map(|before| moved_pages(before, &built))
                .unwrap_or_default();
            memory.built = Some(built);
            let (files, rendered) = sink.into_parts();
            memory.rendered = rendered;
            let change = shared.publish_moved(files, &moved);
            if verbosity != Verbosity::Quiet {
                let what = match change {
                    state::Change::Nothing if !first => " (no change)",
                    state::Change::CssOnly => " (stylesheets swapped)",
                    _ => "",
                };
                let warnings = match report.warnings.len() {
                    0 => String::new(),
                    n => format!("; {}", crate::diagnostics::count(n, "warning")),
                };
                println!(
                    "Built {} pages, {} sections, {} terms in {} ms{what}{warnings}",
                    report.pages,
                    report.sections,
                    report.terms,
                    started.elapsed().as_millis()
                );
            }
            if verbosity == Verbosity::Verbose {
                println!(
                    "  rendered {} of {} files; the others were unchanged or copied",
                    report.rendered, report.files
                );
                for stage in &report.stages {
                    println!("{}", stage.line());
                }
            }
            // Made now, while no save waits: 0.1 s at 100,000 posts.
            if let Some(built) = &memory.built {
                built.page_ids();
            }
            Some(highlighter)
        }
        Err(BuildError::Site(failed)) => {
            memory.rendered = sink.into_previous();
            if verbosity != Verbosity::Quiet && !first {
                // Ends the "Changed …: " line before the errors.
                println!("not built");
            }
            if verbosity == Verbosity::Quiet {
                let errors = failed.0.iter().filter(|d| d.is_error()).cloned().collect();
                eprintln!("{}", crate::diagnostics::BuildFailed(errors));
            } else {
                eprintln!("{failed}");
            }
            eprintln!("Still serving the last good build; the errors show on every page.");
            shared.withdraw(previewed);
            shared.fail(failed.0);
            None
        }
        Err(BuildError::Io(e)) => {
            memory.rendered = sink.into_previous();
            if verbosity != Verbosity::Quiet && !first {
                println!("not built");
            }
            let d = crate::diagnostics::Diagnostic::new(&options.root, format!("{e:#}"));
            eprintln!("error: {e:#}");
            shared.withdraw(previewed);
            shared.fail(vec![d]);
            None
        }
    }
}

/// Pages at a new URL path: their file is in both builds, or it was
/// renamed (a file gone and a new one with the same title and text).
fn moved_pages(before: &Built, after: &Built) -> Vec<(String, String)> {
    let old = before.page_ids();
    let mut moved = Vec::new();
    let mut added = Vec::new();
    let mut kept = std::collections::HashSet::new();
    for page in &after.site.pages {
        match old.get(&page.source).map(|&id| &before.site.pages[id]) {
            Some(was) => {
                kept.insert(page.source.as_path());
                if was.path != page.path {
                    moved.push((was.path.clone(), page.path.clone()));
                }
            }
            None => added.push(page),
        }
    }
    if added.is_empty() {
        return moved;
    }
    let mut gone: HashMap<&str, Vec<&crate::content::page::Page>> = HashMap::new();
    for was in &before.site.pages {
        if !kept.contains(was.source.as_path()) {
            gone.entry(was.title.as_str()).or_default().push(was);
        }
    }
    for page in added {
        let renamed = gone
            .get(page.title.as_str())
            .and_then(|pages| pages.iter().find(|was| was.content == page.content));
        if let Some(was) = renamed {
            if was.path != page.path {
                moved.push((was.path.clone(), page.path.clone()));
            }
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_a_host_a_browser_can_reach() {
        assert_eq!(link_host("127.0.0.1"), ("127.0.0.1".into(), false));
        assert_eq!(link_host("0.0.0.0"), ("127.0.0.1".into(), true));
        assert_eq!(link_host("::"), ("[::1]".into(), true));
        assert_eq!(link_host("::1"), ("[::1]".into(), false));
        assert_eq!(link_host("192.168.1.20"), ("192.168.1.20".into(), false));
        assert_eq!(link_host("localhost"), ("localhost".into(), false));
    }
}
