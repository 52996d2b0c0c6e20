//! The labelled corpus in tests/fixtures/scan: every expected finding (file, line, rule,
//! level) and nothing else, and no output format that shows a secret.
#![cfg(feature = "scan")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sentry_secrets::scan::{Baseline, Level, ScanOptions, Scanner};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan")
}

fn expected() -> BTreeSet<String> {
    std::fs::read_to_string(corpus().join("EXPECTED"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn scan() -> sentry_secrets::scan::Report {
    Scanner::new(ScanOptions::new().no_ignore(true)).scan_paths(&[corpus()])
}

#[test]
fn finds_exactly_the_labelled_secrets() {
    let report = scan();
    assert!(report.errors.is_empty());
    let found: BTreeSet<String> = report
        .findings
        .iter()
        .map(|f| {
            let name = f.path.file_name().unwrap().to_string_lossy();
            format!("{name}:{}:{}:{}", f.line, f.rule, f.level)
        })
        .collect();
    assert_eq!(found, expected());
    assert_eq!(report.findings.len(), expected().len(), "no duplicates");
    assert_eq!(report.allowed_inline, 1);
    assert!(report.count_at_least(Level::Warning) > report.count_at_least(Level::Error));
}

/// Every run of 20+ base64/hex characters in the corpus: the secrets and their parts.
fn secret_like_runs() -> Vec<String> {
    let mut runs = Vec::new();
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for run in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/')) {
            if run.len() >= 20 && run.bytes().any(|b| b.is_ascii_digit()) {
                runs.push(run.to_owned());
            }
        }
    }
    runs
}

#[test]
fn no_format_shows_a_secret() {
    let report = scan();
    let baseline = Baseline::from_findings(&report.findings).to_json();
    let outputs = [
        report.to_human(),
        report.to_json(),
        report.to_sarif(),
        baseline,
    ];
    let runs = secret_like_runs();
    assert!(runs.len() > 20);
    for out in &outputs {
        for run in &runs {
            for w in run.as_bytes().windows(10) {
                let w = std::str::from_utf8(w).unwrap();
                assert!(
                    !out.contains(w),
                    "a 10-character window of a corpus secret leaked"
                );
            }
        }
    }
}

#[test]
fn baseline_accepts_everything_it_was_written_from() {
    let mut report = scan();
    let n = report.findings.len();
    let baseline =
        Baseline::from_json(&Baseline::from_findings(&report.findings).to_json()).unwrap();
    report.apply_baseline(&baseline);
    assert!(report.findings.is_empty());
    assert_eq!(report.allowed_baseline, n as u64);
}

#[test]
fn ignore_file_excludes_the_corpus_from_repo_scans() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = Scanner::default().scan_paths(&[root.join("tests")]);
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.path.starts_with(corpus()))
    );
}
