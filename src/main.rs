//! The `blog` command line: parses arguments, calls the library, prints
//! diagnostics and the summary line, and turns the outcome into an exit code
//! (0 ok, 1 site errors, 2 usage).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use blog::build::{build_then_exit, BuildError, BuildOptions};
use blog::config::Overrides;

/// mimalloc, for Rust and (its `override` feature) for the C libraries:
/// glibc's malloc cost a cold build 7-14% more CPU (BENCHMARKS.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "blog",
    version,
    about = "A static site generator for people who write"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render the site into the output directory (public/ by default).
    Build(BuildArgs),
    /// Serve the site on localhost, rebuilding and reloading on every save.
    Serve(ServeArgs),
    /// Create a new post with front matter, and print its path.
    New(NewArgs),
    /// Create a new site that builds at once with the built-in theme.
    Init(InitArgs),
    /// Build in memory and report broken links, anchors and images; writes nothing.
    Check(CheckArgs),
    /// Make a new blog site at DEST from a Jekyll, Hugo or Zola site or a
    /// WordPress or Ghost export or an RSS/Atom feed (a file or its URL) at SRC,
    /// or a query's rows in an SQLite or PostgreSQL database, which is only
    /// read; every old URL still answers.
    Import(ImportArgs),
    /// Build the site and publish it to S3 or an S3-compatible service
    /// (R2, B2, MinIO, Spaces), uploading only what changed.
    Deploy(DeployArgs),
}

#[derive(Args)]
struct DeployArgs {
    /// Where to: s3://bucket[/prefix], or the name of a [[deploy.targets]]
    /// entry in config.toml; the only configured target when left out.
    target: Option<String>,
    /// The site's root directory (holding config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Print what would be uploaded, left and deleted, path by path; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Delete objects under the prefix that the site no longer has (after every upload succeeded).
    #[arg(long)]
    delete: bool,
    /// With --delete, refuse to delete more objects than this unless --yes is given.
    #[arg(long, default_value_t = 256, value_name = "N")]
    max_deletes: usize,
    /// Delete however many objects --delete finds.
    #[arg(long)]
    yes: bool,
    /// Uploads at once.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    jobs: u16,
    /// Seconds each request may take before it is tried again.
    #[arg(long, default_value_t = 60, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Print errors only.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Print each file uploaded or deleted, and how many requests were sent.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Args)]
struct ImportArgs {
    /// The generator SRC was made with.
    #[arg(long, value_enum)]
    from: ImportSource,
    /// The site to import: its root folder (WordPress: the export's .xml file; Ghost: its .json file; feed: an RSS or Atom file, or its http(s) URL; sql: a DATABASE-URL, sqlite:path/to/app.db or postgres://user:password@host:port/dbname).
    src: PathBuf,
    /// Where to write the new site: a folder that does not exist yet, or is empty.
    dest: PathBuf,
    /// Print the summary only, not each thing left behind.
    #[arg(long, short)]
    quiet: bool,
    /// Download the posts' images (WordPress, Ghost, feed, sql) into each post's folder.
    #[arg(long)]
    media: bool,
    /// Images downloaded at once, with --media.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    media_jobs: u16,
    /// Seconds for each download (connecting and reading it all); also a feed URL's.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    media_timeout: u64,
    /// Largest image downloaded, in MB.
    #[arg(long, value_name = "MB", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10000))]
    media_max_size: u64,
    /// With --from sql: the SELECT whose rows are the posts, its columns
    /// named as front matter keys (title, body, date, tags, …).
    #[arg(long, required_if_eq("from", "sql"))]
    query: Option<String>,
    /// With --from sql: what the `body` column holds [default: markdown].
    #[arg(long, value_enum)]
    body_format: Option<BodyFormat>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum BodyFormat {
    Markdown,
    /// Converted to markdown.
    Html,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ImportSource {
    Jekyll,
    Hugo,
    Zola,
    #[value(name = "wordpress")]
    WordPress,
    Ghost,
    /// An RSS 2.0 or Atom feed: a file, or its http(s) URL.
    Feed,
    /// A query's rows in an SQLite or PostgreSQL database.
    Sql,
}

#[derive(Args)]
struct CheckArgs {
    /// The site's root directory (holding config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Check drafts and future-dated posts too.
    #[arg(long)]
    drafts: bool,
    /// Also fetch every external http(s) link, once each.
    #[arg(long)]
    external: bool,
    /// External links fetched at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
    /// Seconds to wait for each external link.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
    /// Print errors only.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct ServeArgs {
    /// The site's root directory (holding config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The port to listen on.
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// The address to listen on; only this machine can connect by default,
    /// 0.0.0.0 lets a phone on the same network open the site too.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Also answer requests for this host name (a name for this machine, a
    /// tunnel's); `.example.org` allows it and every name under it.
    /// Repeatable; config.toml's `[serve] allow_hosts` adds more. Loopback
    /// names and the --bind address are always answered.
    #[arg(long = "allow-host", value_name = "NAME", value_parser = allowable_host)]
    allow_host: Vec<String>,
    /// Include drafts and future-dated posts.
    #[arg(long)]
    drafts: bool,
    /// Watch content/, the theme and config.toml, rebuild on every save and
    /// reload the browser (the default).
    #[arg(long, overrides_with = "no_watch")]
    watch: bool,
    /// Serve without watching for changes.
    #[arg(long, overrides_with = "watch")]
    no_watch: bool,
    /// Poll for changes instead of using the system's file events (network
    /// drives, some containers).
    #[arg(long)]
    poll: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Print errors only.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Print the time of each stage of every rebuild, and how many pages it rendered.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Args)]
struct NewArgs {
    /// The post's title; the file name is made from it.
    title: String,
    /// The section (folder under content/) to put it in.
    #[arg(long, default_value = "posts")]
    section: String,
    /// Mark the post as a draft.
    #[arg(long)]
    draft: bool,
    /// Make a page bundle: <slug>/index.md, with room for images beside it.
    #[arg(long)]
    bundle: bool,
    /// The site's root directory.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct InitArgs {
    /// The folder for the new site (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Add the site's files to a non-empty folder; existing files are kept.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct BuildArgs {
    /// The site's root directory (holding config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site; defaults to <root>/public.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Absolute URL the site is published at; overrides config.toml and BLOG_BASE_URL.
    #[arg(long)]
    base_url: Option<String>,
    /// Include drafts and future-dated posts (never in feeds or the sitemap).
    #[arg(long)]
    drafts: bool,
    /// Fail on what is otherwise a warning: broken internal links, missing
    /// anchors, templates the content names but the site lacks.
    #[arg(long)]
    strict: bool,
    /// Minify pages, CSS and JS, as `minify = true` in config.toml does.
    #[arg(long)]
    minify: bool,
    /// Print errors only.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Print what was built in more detail.
    #[arg(long, short)]
    verbose: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
        Command::New(args) => run_new(args),
        Command::Init(args) => run_init(args),
        Command::Check(args) => run_check(args),
        Command::Import(args) => run_import(args),
        Command::Deploy(args) => run_deploy(args),
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    if let Err(d) = blog::content::load::check_site_root(&args.root) {
        eprintln!("{d}");
        return ExitCode::from(1);
    }
    let options = blog::serve::ServeOptions {
        root: args.root,
        port: args.port,
        bind: args.bind,
        drafts: args.drafts,
        watch: !args.no_watch,
        poll: args.poll,
        open: args.open,
        quiet: args.quiet,
        verbose: args.verbose,
        allow_hosts: args.allow_host,
    };
    match blog::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn allowable_host(value: &str) -> Result<String, String> {
    if blog::serve::host::is_allowable(value) {
        Ok(value.to_string())
    } else {
        Err("write a host name like devbox.local (no scheme or port), .example.org for it and every name under it, or an address".into())
    }
}

fn run_new(args: NewArgs) -> ExitCode {
    let post = blog::scaffold::NewPost {
        title: &args.title,
        section: &args.section,
        draft: args.draft,
        bundle: args.bundle,
        date: blog::scaffold::now_with_offset(),
    };
    match blog::scaffold::new_post(&args.root, &post) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::from(1)
        }
    }
}

fn run_init(args: InitArgs) -> ExitCode {
    match blog::scaffold::init_site(&args.dir, args.force, &blog::scaffold::now_with_offset()) {
        Ok(report) => {
            for path in &report.created {
                println!("created {}", args.dir.join(path).display());
            }
            for path in &report.kept {
                println!("kept    {} (already there)", args.dir.join(path).display());
            }
            println!("Now: cd {} && blog serve", args.dir.display());
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::from(1)
        }
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let mut options = BuildOptions::new(args.root);
    options.drafts = args.drafts;
    options.progress = !args.quiet && std::io::stderr().is_terminal();
    let external = args.external.then(|| blog::links::ExternalOptions {
        concurrency: usize::from(args.concurrency),
        timeout: std::time::Duration::from_secs(args.timeout),
    });
    match blog::check::check(&options, external.as_ref()) {
        Ok(report) => {
            if !args.quiet {
                let external = if args.external {
                    format!(", {} external URLs", report.external_urls)
                } else {
                    String::new()
                };
                println!(
                    "Checked {} pages: {} links and images{external}; all good",
                    report.pages, report.internal_links
                );
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Site(failed)) => {
            for d in &failed.0 {
                eprintln!("{d}");
            }
            let n = failed.0.len();
            eprintln!("check found {n} problem{}", if n == 1 { "" } else { "s" });
            ExitCode::from(1)
        }
        Err(e) => report_failure(e),
    }
}

fn run_import(args: ImportArgs) -> ExitCode {
    use blog::import::Source;
    let from = match args.from {
        ImportSource::Jekyll => Source::Jekyll,
        ImportSource::Hugo => Source::Hugo,
        ImportSource::Zola => Source::Zola,
        ImportSource::WordPress => Source::WordPress,
        ImportSource::Ghost => Source::Ghost,
        ImportSource::Feed => Source::Feed,
        ImportSource::Sql => Source::Sql,
    };
    if from != Source::Sql {
        for (given, flag) in [
            (args.query.is_some(), "--query"),
            (args.body_format.is_some(), "--body-format"),
        ] {
            if given {
                use clap::CommandFactory;
                let mut cli = Cli::command();
                cli.build();
                cli.find_subcommand_mut("import")
                    .unwrap_or(&mut Cli::command())
                    .error(
                        clap::error::ErrorKind::ArgumentConflict,
                        format!("{flag} is for --from sql only"),
                    )
                    .exit();
            }
        }
    }
    let options = blog::import::Options {
        media: blog::import::media::Settings {
            download: args.media,
            jobs: usize::from(args.media_jobs),
            timeout: std::time::Duration::from_secs(args.media_timeout),
            max_size: args.media_max_size * 1_000_000,
            progress: !args.quiet && std::io::stderr().is_terminal(),
        },
        query: args.query.clone(),
        body_format: match args.body_format {
            None | Some(BodyFormat::Markdown) => blog::import::sql::BodyFormat::Markdown,
            Some(BodyFormat::Html) => blog::import::sql::BodyFormat::Html,
        },
    };
    match blog::import::import(from, &args.src, &args.dest, &options) {
        Ok(report) => {
            // A database URL is shown without its password.
            let src = match from {
                Source::Sql => blog::import::sql::redact(&args.src.to_string_lossy()),
                _ => args.src.display().to_string(),
            };
            let dest = args.dest.display();
            if !args.quiet {
                for note in &report.notes {
                    let place = blog::import::source_root(from, &args.src).join(&note.path);
                    match note.line {
                        Some((line, column)) => {
                            println!("{}:{line}:{column}: {}", place.display(), note.message)
                        }
                        None => println!("{}: {}", place.display(), note.message),
                    }
                }
                for warning in &report.warnings {
                    println!("{dest}/{warning}");
                }
            }
            let count = blog::diagnostics::count;
            let mut left = match report.notes.len() {
                0 => "everything converted".to_string(),
                n if args.quiet => format!("{} not converted", count(n, "thing")),
                n => format!("{} not converted (above)", count(n, "thing")),
            };
            if !report.warnings.is_empty() {
                left.push_str(&format!(
                    "; `blog build` of it warns of {}",
                    count(report.warnings.len(), "thing")
                ));
            }
            if let Some(media) = report.media {
                left.push_str(&format!(
                    "; {} media fetched, {} failed",
                    media.fetched, media.failed
                ));
            }
            println!(
                "Imported the {} site at {src} into {dest}: {} ({}), {}, {} copied; {} answer, {} as aliases; {left}",
                from.name(),
                count(report.pages, "page"),
                count(report.drafts, "draft"),
                count(report.sections, "section"),
                count(report.copied, "file"),
                count(report.urls_kept, "old URL"),
                report.aliases_added,
            );
            println!("Now: blog serve --root {dest}");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            eprintln!("nothing was written to {}", args.dest.display());
            ExitCode::from(1)
        }
    }
}

fn report_failure(e: BuildError) -> ExitCode {
    match e {
        BuildError::Site(failed) => eprintln!("{failed}"),
        BuildError::Io(e) => eprintln!("error: {e:#}"),
    }
    ExitCode::from(1)
}

fn run_deploy(args: DeployArgs) -> ExitCode {
    use blog::deploy::{DeployError, DeployOptions};
    let mut options = DeployOptions::new(args.root);
    options.target = args.target;
    options.dry_run = args.dry_run;
    options.delete = args.delete;
    options.max_deletes = args.max_deletes;
    options.yes = args.yes;
    options.jobs = usize::from(args.jobs);
    options.timeout = std::time::Duration::from_secs(args.timeout);
    options.quiet = args.quiet;
    options.verbose = args.verbose;
    options.progress = !args.quiet && std::io::stderr().is_terminal();
    match blog::deploy::deploy(&options, &|key| std::env::var(key).ok()) {
        Ok(report) => {
            if report.dry_run {
                if !args.quiet {
                    println!("Dry run: nothing was changed in {}", report.target);
                }
            } else if !args.quiet {
                let kept = match report.stale_kept {
                    0 => String::new(),
                    n => format!(
                        "; {} not in the site kept (--delete removes them)",
                        blog::diagnostics::count(n, "object")
                    ),
                };
                println!(
                    "Deployed to {}: uploaded {} ({}), {} unchanged, {} deleted, in {:.1} s{kept}",
                    report.target,
                    blog::diagnostics::count(report.uploaded, "file"),
                    blog::deploy::human_bytes(report.uploaded_bytes),
                    report.unchanged,
                    report.deleted,
                    report.elapsed.as_secs_f64()
                );
            }
            if args.verbose {
                println!("{} requests", report.requests);
            }
            ExitCode::SUCCESS
        }
        Err(DeployError::Build(e)) => report_failure(e),
        Err(DeployError::Config(diagnostics)) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            ExitCode::from(1)
        }
        Err(DeployError::Failed(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let mut options = BuildOptions::new(args.root);
    options.output = args.output;
    options.overrides = Overrides {
        base_url: args.base_url,
        minify: args.minify,
    };
    options.drafts = args.drafts;
    options.strict = args.strict;
    options.progress = !args.quiet && std::io::stderr().is_terminal();
    options.print_warnings = !args.quiet;
    match build_then_exit(&options) {
        Ok(report) => {
            if !args.quiet {
                let warnings = match report.warnings.len() {
                    0 => String::new(),
                    n => format!("; {}", blog::diagnostics::count(n, "warning")),
                };
                println!(
                    "Built {} pages, {} sections, {} terms in {} ms{warnings}",
                    report.pages,
                    report.sections,
                    report.terms,
                    report.elapsed.as_millis()
                );
                if args.verbose {
                    println!(
                        "Wrote {} files to {} ({} rendered from templates)",
                        report.files,
                        options.output_dir().display(),
                        report.rendered
                    );
                    for stage in &report.stages {
                        println!("{}", stage.line());
                    }
                    if report.cards_drawn + report.cards_cached > 0 {
                        println!(
                            "Social cards: {} drawn, {} from the cache",
                            report.cards_drawn, report.cards_cached
                        );
                    }
                    let images = report.images;
                    println!(
                        "Images: {} local, {} decoded, {} files encoded",
                        images.images, images.decoded, images.encoded
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => report_failure(e),
    }
}
