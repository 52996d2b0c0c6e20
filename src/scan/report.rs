//! [`Report`]: the findings of a walk, what was skipped, and the human and JSON forms.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::baseline::Baseline;
use super::finding::Finding;
use super::rule::Level;

/// A file or path that could not be scanned. Names the path and the I/O error kind only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ScanError {
    /// The path.
    #[serde(serialize_with = "serialize_path")]
    pub path: PathBuf,
    /// What went wrong, from the I/O error.
    pub message: String,
}

impl ScanError {
    pub(crate) fn new(path: &Path, err: &std::io::Error) -> ScanError {
        ScanError {
            path: path.to_path_buf(),
            message: err.kind().to_string(),
        }
    }
}

impl std::fmt::Display for ScanError {
    /// `path: message`, with control characters in the path escaped.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", shown_path(&self.path), self.message)
    }
}

/// The outcome of [`Scanner::scan_paths`](super::Scanner::scan_paths).
#[derive(Debug, Clone, Default, serde::Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Findings, sorted by path, line and column.
    pub findings: Vec<Finding>,
    /// Paths that could not be read.
    pub errors: Vec<ScanError>,
    /// Text files scanned.
    pub files_scanned: u64,
    /// Bytes read from them.
    pub bytes_scanned: u64,
    /// Binary files skipped.
    pub binary_skipped: u64,
    /// Findings left out because their line carries the inline marker.
    pub allowed_inline: u64,
    /// Findings left out because the baseline accepts them.
    pub allowed_baseline: u64,
}

impl Report {
    /// Drops the findings whose fingerprint `baseline` accepts, counting them.
    pub fn apply_baseline(&mut self, baseline: &Baseline) {
        let before = self.findings.len();
        self.findings.retain(|f| !baseline.accepts(f));
        self.allowed_baseline += (before - self.findings.len()) as u64;
    }

    /// The highest level among the findings.
    pub fn max_level(&self) -> Option<Level> {
        self.findings.iter().map(|f| f.level).max()
    }

    /// How many findings are at or above `threshold`.
    pub fn count_at_least(&self, threshold: Level) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level >= threshold)
            .count()
    }

    pub(crate) fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
    }

    /// One line per finding (`path:line:column: level[rule] description: excerpt`) and a
    /// summary line.
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let _ = writeln!(
                out,
                "{}:{}:{}: {}[{}] {}: {} ({})",
                shown_path(&f.path),
                f.line,
                f.column,
                f.level,
                f.rule,
                f.rule.description(),
                f.excerpt,
                f.fingerprint.get(..15).unwrap_or(&f.fingerprint),
            );
        }
        let errors = self.count_at_least(Level::Error);
        let _ = writeln!(
            out,
            "{} finding(s): {} error(s), {} warning(s); {} file(s), {} byte(s) scanned, {} binary skipped; allowed: {} inline, {} by baseline",
            self.findings.len(),
            errors,
            self.findings.len() - errors,
            self.files_scanned,
            self.bytes_scanned,
            self.binary_skipped,
            self.allowed_inline,
            self.allowed_baseline,
        );
        out
    }

    /// The whole report as pretty JSON (`findings`, `errors` and the counters).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// [`display_path`] with control characters escaped, for terminal and CI-log output: a file
/// name cannot forge output lines, terminal sequences or CI workflow commands.
pub(crate) fn shown_path(path: &Path) -> String {
    let s = display_path(path);
    if !s.chars().any(char::is_control) {
        return s;
    }
    s.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// Paths serialize as (lossy) UTF-8 text, so that one non-UTF-8 file name cannot make the
/// JSON report fail.
pub(crate) fn serialize_path<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&display_path(path))
}

/// A path for display: forward slashes, no leading `./`.
pub(crate) fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) => rest.to_owned(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn paths_are_escaped_for_humans_and_lossy_in_json() {
        let err = ScanError {
            path: PathBuf::from("a\n::error::forged\u{1b}[2J.rs"),
            message: "permission denied".into(),
        };
        let shown = err.to_string();
        assert!(
            !shown.contains('\n') && !shown.contains('\u{1b}'),
            "{shown}"
        );
        assert!(shown.contains("\\n::error::forged"), "{shown}");

        let report = Report {
            errors: vec![ScanError {
                path: PathBuf::from(OsStr::from_bytes(b"bad\xff.rs")),
                message: "x".into(),
            }],
            ..Report::default()
        };
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["errors"][0]["path"], "bad\u{fffd}.rs");
    }
}
