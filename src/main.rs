//! The `blog` command line: parses arguments, calls the library, prints
//! diagnostics and the summary line, and turns the outcome into an exit code
//! (0 ok, 1 site errors, 2 usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use blog::build::{build, BuildError, BuildOptions};
use blog::config::Overrides;

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
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let mut options = BuildOptions::new(args.root);
    options.output = args.output;
    options.overrides = Overrides {
        base_url: args.base_url,
    };
    options.drafts = args.drafts;
    match build(&options) {
        Ok(report) => {
            if !args.quiet {
                println!(
                    "Built {} pages, {} sections, {} terms in {} ms",
                    report.pages,
                    report.sections,
                    report.terms,
                    report.elapsed.as_millis()
                );
                if args.verbose {
                    println!(
                        "Wrote {} files to {}",
                        report.files,
                        options.output_dir().display()
                    );
                    for (stage, time) in &report.stages {
                        println!("  {stage:<24} {:>6} ms", time.as_millis());
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Site(failed)) => {
            eprintln!("{failed}");
            ExitCode::from(1)
        }
        Err(BuildError::Io(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
