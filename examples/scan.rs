//! Scan paths for hardcoded Sentry secrets with the library, accept the findings of a
//! baseline, and fail on errors: what `sentry-secrets scan` does, in a few lines.
//!
//! ```text
//! cargo run --example scan --features scan -- src tests
//! ```

use std::path::Path;
use std::process::ExitCode;

use sentry_secrets::scan::{Baseline, Level, ScanOptions, Scanner};

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let paths = if paths.is_empty() {
        vec![".".to_owned()]
    } else {
        paths
    };

    let mut report = Scanner::new(ScanOptions::new()).scan_paths(&paths);
    let baseline = Path::new(".sentry-secrets-baseline.json");
    if baseline.is_file() {
        match Baseline::load(baseline) {
            Ok(b) => report.apply_baseline(&b),
            Err(e) => {
                eprintln!("cannot read {}: {e}", baseline.display());
                return ExitCode::from(2);
            }
        }
    }
    for f in &report.findings {
        // Only the redacted excerpt and the fingerprint exist; the secret is never kept.
        println!(
            "{}:{}:{} {} {} {}",
            f.path.display(),
            f.line,
            f.column,
            f.level,
            f.rule,
            f.excerpt
        );
    }
    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if report.count_at_least(Level::Error) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
