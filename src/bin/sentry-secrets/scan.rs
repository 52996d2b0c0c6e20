//! `sentry-secrets scan`: find hardcoded Sentry DSNs and auth tokens.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use sentry_secrets::scan::{Baseline, Level, ScanOptions, Scanner};

/// Options of `scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to scan.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 when a finding is at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Scan files that .gitignore, .ignore and git excludes leave out.
    #[arg(long)]
    no_ignore: bool,
    /// Leave out the findings accepted in this baseline file (default:
    /// `.sentry-secrets-baseline.json` in the current directory, when it exists).
    #[arg(long, value_name = "FILE", conflicts_with = "no_baseline")]
    baseline: Option<PathBuf>,
    /// Do not read the default baseline file.
    #[arg(long)]
    no_baseline: bool,
    /// Write the current findings to this baseline file (fingerprints only) and exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Worker threads (default: the available parallelism).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Warning,
    Error,
}

/// The baseline read when `--baseline` is not given.
const DEFAULT_BASELINE: &str = ".sentry-secrets-baseline.json";

pub fn run(args: Args) -> ExitCode {
    let default = PathBuf::from(DEFAULT_BASELINE);
    let baseline_path = match &args.baseline {
        Some(p) => Some(p),
        None if !args.no_baseline && args.write_baseline.is_none() && default.is_file() => {
            Some(&default)
        }
        None => None,
    };
    let baseline = match baseline_path {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: cannot read baseline {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let mut options = ScanOptions::new().no_ignore(args.no_ignore);
    if let Some(n) = args.threads {
        options = options.threads(n);
    }
    let mut report = Scanner::new(options).scan_paths(&args.paths);
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_findings(&report.findings);
        if let Err(e) = b.save(path) {
            eprintln!("error: cannot write baseline {}: {e}", path.display());
            return ExitCode::from(2);
        }
        eprintln!(
            "wrote {} accepted finding(s) to {}",
            b.len(),
            path.display()
        );
        return if report.errors.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    if let Some(b) = &baseline {
        report.apply_baseline(b);
    }
    let text = match args.format {
        Format::Human => report.to_human(),
        Format::Json => report.to_json() + "\n",
        Format::Sarif => report.to_sarif() + "\n",
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on {
        FailOn::Warning => Level::Warning,
        FailOn::Error => Level::Error,
    };
    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if report.count_at_least(threshold) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
