//! The runner shared by command-backed stores (`op`, `pass`).
//!
//! A reference never chooses the program: each store runs its own fixed program, found on
//! `PATH` (or at a path set in code), with the reference as one argument. No shell, stdin
//! closed, stdout read up to a cap into a buffer wiped on every path, stderr read and wiped
//! but never echoed, and the child killed when the request timeout passes.

use std::ffi::{OsStr, OsString};
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use zeroize::{Zeroize, Zeroizing};

use super::detail::BackendDetail;
use super::{FetchContext, ProviderError, ProviderErrorKind};

/// The most a store's command may print on stdout. A DSN or token is far smaller.
pub(crate) const MAX_OUTPUT: usize = 64 * 1024;
/// The most of stderr that is kept (to classify the failure); the rest is read and discarded.
const MAX_STDERR: usize = 8 * 1024;

/// Which program a command store runs, and with which `PATH`. Set in code only.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    /// The program name (looked up on `PATH`) or an absolute path.
    pub(crate) program: PathBuf,
    /// `PATH` for the lookup and the child, instead of this process's.
    pub(crate) search_path: Option<OsString>,
}

impl Program {
    /// `name`, looked up on the process's `PATH`.
    pub(crate) fn named(name: &str) -> Program {
        Program {
            program: name.into(),
            search_path: None,
        }
    }
}

/// What the command printed, wiped on drop, and how it ended.
pub(crate) struct Output {
    pub(crate) stdout: Zeroizing<Vec<u8>>,
}

/// Runs `program args...` under `ctx`. `backend` names the store in errors; `classify`
/// looks at stderr (never shown) to tell "not found" or "forbidden" from other failures.
pub(crate) fn run(
    backend: &'static str,
    program: &Program,
    args: &[&OsStr],
    ctx: &FetchContext,
    classify: fn(&[u8]) -> ProviderErrorKind,
) -> Result<Output, ProviderError> {
    let timeout = ctx.request_timeout();
    if timeout.is_zero() {
        return Err(ProviderError::new(
            ProviderErrorKind::Timeout,
            format!("{backend}: resolution deadline passed before the command"),
        ));
    }
    let deadline = Instant::now() + timeout;
    let mut cmd = Command::new(&program.program);
    // Its own process group, so that a timeout stops what it started too (`pass` runs
    // `gpg`, which may run `pinentry`).
    cmd.process_group(0);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = &program.search_path {
        // On Unix, a PATH set on the command is also the one the program is looked up in.
        cmd.env("PATH", path);
    }
    let name = program.program.display().to_string();
    let mut child = cmd.spawn().map_err(|e| {
        let kind = if e.kind() == io::ErrorKind::NotFound {
            ProviderErrorKind::Config
        } else {
            ProviderErrorKind::Other
        };
        ProviderError::new(kind, format!("{backend}: cannot run `{name}`")).with_source(e)
    })?;

    let (Some(mut stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        kill(&mut child);
        return Err(ProviderError::new(
            ProviderErrorKind::Other,
            format!("{backend}: no pipes to `{name}`"),
        ));
    };
    let (out_tx, out_rx) = mpsc::sync_channel(1);
    let (err_tx, err_rx) = mpsc::sync_channel(1);
    let readers = thread::Builder::new()
        .spawn(move || {
            let _ = out_tx.send(read_capped(&mut stdout, MAX_OUTPUT));
        })
        .and_then(|_| {
            thread::Builder::new().spawn(move || {
                let first = read_capped(&mut stderr, MAX_STDERR);
                let _ = err_tx.send(first);
                // Keep draining, so that a chatty program never dies of a closed pipe.
                let _ = io::copy(&mut stderr, &mut io::sink());
            })
        });
    if readers.is_err() {
        kill(&mut child);
        return Err(ProviderError::new(
            ProviderErrorKind::Other,
            format!("{backend}: cannot start a thread to read `{name}`"),
        ));
    }

    let left = |d: Instant| d.saturating_duration_since(Instant::now());
    // stdout ends when the child exits (or closes it), overflows, or the time is up.
    let stdout = match out_rx.recv_timeout(left(deadline)) {
        Ok(Ok(Captured::All(buf))) => buf,
        Ok(Ok(Captured::Overflow(buf))) => {
            drop(buf);
            kill(&mut child);
            return Err(ProviderError::new(
                ProviderErrorKind::Malformed,
                format!("{backend}: `{name}` printed more than {MAX_OUTPUT} bytes"),
            ));
        }
        Ok(Err(e)) => {
            kill(&mut child);
            return Err(ProviderError::new(
                ProviderErrorKind::Other,
                format!("{backend}: cannot read the output of `{name}`"),
            )
            .with_source(e));
        }
        Err(_) => {
            kill(&mut child);
            return Err(timed_out(backend, &name, timeout));
        }
    };
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                kill(&mut child);
                return Err(timed_out(backend, &name, timeout));
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(e) => {
                kill(&mut child);
                return Err(ProviderError::new(
                    ProviderErrorKind::Other,
                    format!("{backend}: cannot wait for `{name}`"),
                )
                .with_source(e));
            }
        }
    };
    if status.success() {
        return Ok(Output { stdout });
    }
    drop(stdout);
    // Give stderr a moment to finish; it is only looked at, never shown.
    let kind = match err_rx.recv_timeout(left(deadline).min(Duration::from_millis(200))) {
        Ok(Ok(Captured::All(buf) | Captured::Overflow(buf))) => classify(&buf),
        _ => ProviderErrorKind::Other,
    };
    let how = match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => "was killed by a signal".to_owned(),
    };
    Err(
        ProviderError::new(kind, format!("{backend}: `{name}` {how}")).with_source(
            BackendDetail::new(backend, format!("`{name}` {how} (its stderr is not shown)")),
        ),
    )
}

fn timed_out(backend: &'static str, name: &str, after: Duration) -> ProviderError {
    ProviderError::new(
        ProviderErrorKind::Timeout,
        format!(
            "{backend}: `{name}` gave no answer within {} ms",
            after.as_millis()
        ),
    )
}

/// Stops the child's whole process group (the child and anything it started), then reaps
/// the child.
fn kill(child: &mut Child) {
    if let Some(pid) = i32::try_from(child.id())
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

enum Captured {
    All(Zeroizing<Vec<u8>>),
    Overflow(Zeroizing<Vec<u8>>),
}

/// Reads `r` to its end into a buffer allocated once (so no unwiped copy is left by a
/// reallocation), stopping at `cap` bytes. The scratch block is wiped as well.
fn read_capped(r: &mut impl Read, cap: usize) -> io::Result<Captured> {
    let mut buf = Zeroizing::new(Vec::with_capacity(cap));
    let mut chunk = Zeroizing::new([0u8; 4096]);
    loop {
        let n = match r.read(&mut chunk[..]) {
            Ok(0) => return Ok(Captured::All(buf)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.len() + n > cap {
            chunk.zeroize();
            return Ok(Captured::Overflow(buf));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Whether stderr contains `needle` (ASCII, case-insensitive).
pub(crate) fn mentions(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_capped_stops_at_the_cap() {
        let data = [b'x'; 100];
        assert!(matches!(
            read_capped(&mut &data[..], 100).unwrap(),
            Captured::All(b) if b.len() == 100
        ));
        assert!(matches!(
            read_capped(&mut &data[..], 99).unwrap(),
            Captured::Overflow(_)
        ));
    }

    #[test]
    fn mentions_is_case_insensitive() {
        assert!(mentions(
            b"Error: Foo is NOT in the password store.",
            "not in the password store"
        ));
        assert!(!mentions(b"", "x"));
    }
}
