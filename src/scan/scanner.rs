//! [`Scanner`]: reads files in bounded chunks and walks trees in parallel.

use std::fs::File;
use std::io::{self, Read};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ignore::{WalkBuilder, WalkState};

use super::detect::{Detector, Hit, LEGACY_WINDOW, MAX_HIT_LEN};
use super::finding::Finding;
use super::report::{Report, ScanError};

/// Bytes read per chunk. Memory per file (per thread) never exceeds this.
const CHUNK: usize = 1 << 20;
/// Bytes carried from one chunk into the next, so no secret is cut in two.
const OVERLAP: usize = 4096;
/// Hits ending this close to the end of a non-final chunk wait for the next chunk.
const MARGIN: usize = MAX_HIT_LEN;
const _: () = assert!(OVERLAP > MARGIN + LEGACY_WINDOW + 64 && CHUNK > 2 * OVERLAP);
/// A NUL byte in the first this many bytes marks a binary file, which is skipped.
const BINARY_PROBE: usize = 8192;
/// The inline marker that allows a finding on its line.
pub const ALLOW_MARKER: &str = "sentry-secrets: allow";

/// How to walk.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ScanOptions {
    /// Scan everything: do not honour `.gitignore`, `.ignore` and git excludes.
    pub no_ignore: bool,
    /// Worker threads; `None` means the available parallelism.
    pub threads: Option<usize>,
}

impl ScanOptions {
    /// The defaults: honour ignore files, one thread per available core.
    pub fn new() -> ScanOptions {
        ScanOptions::default()
    }

    /// Scan files that ignore files exclude, too.
    pub fn no_ignore(mut self, yes: bool) -> ScanOptions {
        self.no_ignore = yes;
        self
    }

    /// Use `n` worker threads.
    pub fn threads(mut self, n: usize) -> ScanOptions {
        self.threads = Some(n.max(1));
        self
    }
}

/// The hardcoded-secret scanner. Build once, share between threads.
///
/// ```
/// use sentry_secrets::scan::{Rule, Scanner};
/// let text = format!("SENTRY_AUTH_TOKEN=sntryu_{}\n", "3f1c7c3e0a9b4d6e8f2a1b3c4d5e6f70".repeat(2));
/// let findings = Scanner::default().scan_bytes("app/.env".as_ref(), text.as_bytes());
/// assert_eq!(findings[0].rule, Rule::UserToken);
/// assert_eq!((findings[0].line, findings[0].column), (1, 19));
/// assert_eq!(findings[0].excerpt, "sntryu_…6f70");
/// ```
#[derive(Debug, Clone)]
pub struct Scanner {
    options: ScanOptions,
    detector: Detector,
}

impl Default for Scanner {
    fn default() -> Scanner {
        Scanner::new(ScanOptions::default())
    }
}

/// What reading one file gave.
enum FileOutcome {
    Text { bytes: u64 },
    Binary,
}

impl Scanner {
    /// A scanner walking with `options`.
    pub fn new(options: ScanOptions) -> Scanner {
        Scanner {
            options,
            detector: Detector::new(),
        }
    }

    /// The findings in `bytes`, reported against `path` (whose name also gives context:
    /// 64-hex tokens in `.sentryclirc` are Sentry tokens). Inline-allowed findings are left
    /// out. Binary content is scanned too; only the walkers skip binary files.
    pub fn scan_bytes(&self, path: &Path, bytes: &[u8]) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut hits = Vec::new();
        self.scan_window(path, bytes, 1, 0, bytes.len(), &mut hits, &mut out, &mut 0);
        out
    }

    /// The findings in what `reader` yields, read in bounded chunks. `Ok(None)` for
    /// binary content (a NUL byte near the start).
    pub fn scan_reader(
        &self,
        path: &Path,
        mut reader: impl Read,
    ) -> io::Result<Option<Vec<Finding>>> {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        match self.scan_stream(path, &mut reader, &mut buf, &mut out, &mut 0)? {
            FileOutcome::Text { .. } => Ok(Some(out)),
            FileOutcome::Binary => Ok(None),
        }
    }

    /// Walks `paths` (files or directories) in parallel and scans every text file.
    ///
    /// Honours `.gitignore`, `.ignore` and git excludes unless
    /// [`ScanOptions::no_ignore`]; scans hidden files (`.env`, `.sentryclirc`) but not
    /// `.git/`. Missing paths and unreadable files are recorded in [`Report::errors`].
    pub fn scan_paths<P: AsRef<Path>>(&self, paths: &[P]) -> Report {
        let mut report = Report::default();
        let mut roots = Vec::new();
        for p in paths {
            let p = p.as_ref();
            match p.symlink_metadata() {
                Ok(_) => roots.push(p.to_path_buf()),
                Err(e) => report.errors.push(ScanError::new(p, &e)),
            }
        }
        let Some((first, rest)) = roots.split_first() else {
            return report;
        };
        let threads = self
            .options
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get));
        let mut builder = WalkBuilder::new(first);
        for r in rest {
            builder.add(r);
        }
        let honour = !self.options.no_ignore;
        builder
            .threads(threads)
            .hidden(false)
            .ignore(honour)
            .git_ignore(honour)
            .git_global(honour)
            .git_exclude(honour)
            .parents(honour)
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git");

        let shared = Mutex::new(Report::default());
        let files = AtomicU64::new(0);
        let bytes = AtomicU64::new(0);
        let binary = AtomicU64::new(0);
        let allowed = AtomicU64::new(0);
        builder.build_parallel().run(|| {
            let mut buf = Vec::with_capacity(CHUNK);
            let mut found = Vec::new();
            let (shared, files, bytes, binary, allowed) =
                (&shared, &files, &bytes, &binary, &allowed);
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => {
                        if let Some(io) = err.io_error() {
                            let path = err_path(&err);
                            lock(shared).errors.push(ScanError::new(&path, io));
                        }
                        return WalkState::Continue;
                    }
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let path = entry.path();
                let mut inline = 0;
                let result = File::open(path).and_then(|mut f| {
                    self.scan_stream(path, &mut f, &mut buf, &mut found, &mut inline)
                });
                match result {
                    Ok(FileOutcome::Text { bytes: n }) => {
                        files.fetch_add(1, Ordering::Relaxed);
                        bytes.fetch_add(n, Ordering::Relaxed);
                        allowed.fetch_add(inline, Ordering::Relaxed);
                        if !found.is_empty() {
                            lock(shared).findings.append(&mut found);
                        }
                    }
                    Ok(FileOutcome::Binary) => {
                        binary.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        found.clear();
                        lock(shared).errors.push(ScanError::new(path, &e));
                    }
                }
                WalkState::Continue
            })
        });
        let walked = shared
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        report.findings = walked.findings;
        report.errors.extend(walked.errors);
        report.files_scanned = files.into_inner();
        report.bytes_scanned = bytes.into_inner();
        report.binary_skipped = binary.into_inner();
        report.allowed_inline = allowed.into_inner();
        report.sort();
        report
    }

    /// Reads `reader` chunk by chunk into `buf` (reused between files) and appends the
    /// findings to `out`.
    fn scan_stream(
        &self,
        path: &Path,
        reader: &mut dyn Read,
        buf: &mut Vec<u8>,
        out: &mut Vec<Finding>,
        allowed: &mut u64,
    ) -> io::Result<FileOutcome> {
        buf.clear();
        let kept = out.len();
        let mut hits = Vec::new();
        let mut line = 1u64;
        let mut total = 0u64;
        let mut first = true;
        loop {
            let before = buf.len();
            let eof = fill(reader, buf, CHUNK)?;
            total += (buf.len() - before) as u64;
            if first && memchr::memchr(0, &buf[..buf.len().min(BINARY_PROBE)]).is_some() {
                buf.clear();
                out.truncate(kept);
                return Ok(FileOutcome::Binary);
            }
            // A hit is reported in the chunk where it ends at least MARGIN before the chunk's
            // end; the next chunk starts OVERLAP bytes before this one's end.
            let from = if first { 0 } else { OVERLAP - MARGIN };
            let until = if eof { buf.len() } else { buf.len() - MARGIN };
            self.scan_window(path, buf, line, from, until, &mut hits, out, allowed);
            if eof {
                return Ok(FileOutcome::Text { bytes: total });
            }
            let keep = buf.len() - OVERLAP;
            line += memchr::memchr_iter(b'\n', &buf[..keep]).count() as u64;
            buf.drain(..keep);
            first = false;
        }
    }

    /// Detects in `buf` (whose first byte is on line `line`) and turns the hits ending in
    /// `(from, until]` into findings.
    #[allow(clippy::too_many_arguments)]
    fn scan_window(
        &self,
        path: &Path,
        buf: &[u8],
        line: u64,
        from: usize,
        until: usize,
        hits: &mut Vec<Hit>,
        out: &mut Vec<Finding>,
        allowed: &mut u64,
    ) {
        hits.clear();
        self.detector.detect(buf, sentry_file(path), hits);
        if hits.is_empty() {
            return;
        }
        hits.sort_by_key(|h| h.start);
        let (mut counted_to, mut counted_line) = (0, line);
        // The current line, found once for all the hits on it (hits are sorted), so that a
        // long line with many hits costs linear time.
        let mut current: Option<LineInfo> = None;
        for hit in hits.drain(..) {
            if hit.end <= from || hit.end > until {
                continue;
            }
            let info = match current {
                Some(ref mut info) if hit.start < info.end => {
                    info.column += String::from_utf8_lossy(&buf[info.column_at..hit.start])
                        .chars()
                        .count() as u64;
                    info.column_at = hit.start;
                    *info
                }
                _ => {
                    // Once per line: the scan back covers each line at most once.
                    let start = memchr::memrchr(b'\n', &buf[..hit.start]).map_or(0, |p| p + 1);
                    let end = memchr::memchr(b'\n', &buf[hit.start..])
                        .map_or(buf.len(), |p| hit.start + p);
                    let info = LineInfo {
                        end,
                        allowed: memchr::memmem::find(&buf[start..end], ALLOW_MARKER.as_bytes())
                            .is_some(),
                        column: String::from_utf8_lossy(&buf[start..hit.start])
                            .chars()
                            .count() as u64
                            + 1,
                        column_at: hit.start,
                    };
                    current = Some(info);
                    info
                }
            };
            if info.allowed {
                *allowed += 1;
                continue;
            }
            counted_line += memchr::memchr_iter(b'\n', &buf[counted_to..hit.start]).count() as u64;
            counted_to = hit.start;
            let column = info.column;
            out.push(Finding {
                path: path.to_path_buf(),
                line: counted_line,
                column,
                rule: hit.rule,
                level: hit.rule.level(),
                excerpt: hit.excerpt,
                fingerprint: hit.fingerprint,
            });
        }
    }
}

/// Reads until `buf` holds `cap` bytes or the reader ends; true at the end.
fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, cap: usize) -> io::Result<bool> {
    let want = (cap - buf.len()) as u64;
    let got = reader.take(want).read_to_end(buf)?;
    Ok((got as u64) < want)
}

/// Files whose name ties 64-hex tokens to Sentry: `.sentryclirc`, `sentry.properties`.
fn sentry_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().contains("sentry"))
}

fn err_path(err: &ignore::Error) -> PathBuf {
    match err {
        ignore::Error::WithPath { path, .. } => path.clone(),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        _ => PathBuf::new(),
    }
}

fn lock(m: &Mutex<Report>) -> std::sync::MutexGuard<'_, Report> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Rule;

    const HEX: &str = "5f1c7c3e0a9b4d6e8f2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70";

    #[test]
    fn chunk_boundaries_find_each_token_once() {
        // Tokens at every offset around the chunk boundaries, in a file of several chunks.
        let token = format!("sntryu_{HEX}");
        let mut text = String::new();
        let mut expected = Vec::new();
        let mut line = 1;
        while text.len() < 3 * CHUNK + 10_000 {
            let pad = 900 + (text.len() % 997);
            text.push_str(&"x".repeat(pad));
            text.push('\n');
            line += 1;
            expected.push(line);
            text.push_str(&format!("t={token}\n"));
            line += 1;
        }
        let found = Scanner::default()
            .scan_reader(Path::new("big.txt"), text.as_bytes())
            .unwrap()
            .unwrap();
        let lines: Vec<u64> = found.iter().map(|f| f.line).collect();
        assert_eq!(lines, expected);
        assert!(
            found
                .iter()
                .all(|f| f.rule == Rule::UserToken && f.column == 3)
        );
    }

    /// Several hits on one line: each gets its own column (in characters), and a marker
    /// anywhere on the line allows them all.
    #[test]
    fn many_hits_on_one_line() {
        let token = format!("sntryu_{HEX}");
        let text = format!(
            "é a={token}, b={token}, c=\"{token}\"\nz={token} # sentry-secrets: allow {token}\n"
        );
        let found = Scanner::default().scan_bytes(Path::new("a.txt"), text.as_bytes());
        let columns: Vec<(u64, u64)> = found.iter().map(|f| (f.line, f.column)).collect();
        let len = token.chars().count() as u64;
        assert_eq!(
            columns,
            vec![(1, 5), (1, 5 + len + 4), (1, 5 + 2 * (len + 4) + 1)]
        );
    }

    #[test]
    fn inline_marker_allows() {
        let text = format!("t = \"sntryu_{HEX}\" # sentry-secrets: allow\nu = \"sntryu_{HEX}\"\n");
        let found = Scanner::default().scan_bytes(Path::new("a.py"), text.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 2);
    }

    #[test]
    fn binary_skipped_by_reader() {
        let mut bytes = vec![0u8; 10];
        bytes.extend_from_slice(format!("sntryu_{HEX}").as_bytes());
        assert!(
            Scanner::default()
                .scan_reader(Path::new("b"), &bytes[..])
                .unwrap()
                .is_none()
        );
    }
}

/// The line of the current hit: its bounds, whether it carries the allow marker, and the
/// column (in characters) reached so far.
#[derive(Debug, Clone, Copy)]
struct LineInfo {
    end: usize,
    allowed: bool,
    column: u64,
    column_at: usize,
}
