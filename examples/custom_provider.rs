//! Your own secret store behind your own scheme: a [`SecretProvider`] for a secrets sidecar.
//!
//! Many platforms run a small agent next to each service that hands out secrets over a
//! local Unix socket. This example implements a provider for one with a one-line protocol
//! (`GET <name>\n`, answered by `OK <value>\n`, `NOTFOUND\n` or `DENIED\n`), registers it
//! under `sidecar://`, and resolves `SENTRY_DSN=sidecar://sentry/dsn` through the
//! [`Loader`], which adds the deadline, retries for transient failures, caching and audit
//! events. The provider only fetches.
//!
//! So that it runs anywhere, the example starts a stand-in sidecar on a socket in a
//! temporary directory, holding a freshly generated DSN.
//!
//! ```text
//! cargo run --example custom_provider
//! ```

use std::error::Error;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sentry_secrets::secrecy::SecretString;
use sentry_secrets::{
    FetchContext, Fetched, Loader, ProviderError, ProviderErrorKind, SecretProvider, SecretRef,
    fingerprint,
};
use zeroize::Zeroize;

/// Serves `sidecar://<name>` from the agent listening on a Unix socket.
#[derive(Debug)]
pub struct SidecarProvider {
    socket: PathBuf,
}

impl SidecarProvider {
    /// A provider for the agent at `socket`.
    pub fn new(socket: impl Into<PathBuf>) -> Self {
        SidecarProvider {
            socket: socket.into(),
        }
    }
}

/// The longest answer accepted: a secret is small, and an unbounded read is a way to run a
/// service out of memory.
const MAX_ANSWER: usize = 16 * 1024;

impl SecretProvider for SidecarProvider {
    fn scheme(&self) -> &str {
        "sidecar"
    }

    fn fetch(&self, reference: &SecretRef, ctx: &FetchContext) -> Result<Fetched, ProviderError> {
        // 1. Check the reference before touching the network. Errors carry the reason, never
        //    a value; the registry adds the reference and the variable.
        let name = reference.location();
        if name.is_empty()
            || name
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(ProviderError::new(
                ProviderErrorKind::BadReference,
                "sidecar: the name may not hold spaces or control characters",
            ));
        }
        if reference.field().is_some() || reference.options().next().is_some() {
            return Err(ProviderError::new(
                ProviderErrorKind::BadReference,
                "sidecar: no #field or ?options are supported",
            ));
        }

        // 2. Stay inside the deadline: every blocking call gets the per-request timeout, which
        //    FetchContext caps by the time left.
        let timeout = ctx.request_timeout();
        if timeout.is_zero() {
            return Err(ProviderError::new(
                ProviderErrorKind::Timeout,
                "sidecar: no time left",
            ));
        }
        let io_error = |what: &str, e: io::Error| {
            // The kind decides retries: Unreachable and Transient are retried with backoff,
            // the rest are not.
            let kind = match e.kind() {
                io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => {
                    ProviderErrorKind::Unreachable
                }
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => ProviderErrorKind::Timeout,
                io::ErrorKind::PermissionDenied => ProviderErrorKind::Config,
                _ => ProviderErrorKind::Transient,
            };
            // An io::Error from a socket never holds the data read, so it may be the source.
            ProviderError::new(kind, format!("sidecar: {what} {}", self.socket.display()))
                .with_source(e)
        };
        let mut stream =
            UnixStream::connect(&self.socket).map_err(|e| io_error("cannot connect to", e))?;
        stream
            .set_read_timeout(Some(timeout))
            .and_then(|()| stream.set_write_timeout(Some(timeout)))
            .map_err(|e| io_error("cannot set timeouts on", e))?;
        writeln!(stream, "GET {name}").map_err(|e| io_error("cannot write to", e))?;

        // 3. Read the answer into one fixed buffer, wiped on every path, the error paths too.
        //    (A BufReader or a growing Vec would leave copies behind in freed memory.)
        let mut answer = vec![0u8; MAX_ANSWER];
        let result = read_answer(&mut stream, &mut answer, ctx)
            .map_err(|e| io_error("no answer from", e))
            .and_then(|n| parse_answer(&answer[..n]));
        answer.zeroize();
        result
    }
}

/// Reads until the agent closes the connection or `buf` is full; returns the length read.
/// Each read waits at most for what is left of the request timeout, so a peer that trickles
/// one byte at a time cannot hold the caller past the deadline.
fn read_answer(stream: &mut UnixStream, buf: &mut [u8], ctx: &FetchContext) -> io::Result<usize> {
    let until = Instant::now() + ctx.request_timeout();
    let mut filled = 0;
    while filled < buf.len() {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Turns the agent's answer into a value or a value-free error.
fn parse_answer(answer: &[u8]) -> Result<Fetched, ProviderError> {
    let line = answer.strip_suffix(b"\n").ok_or_else(|| {
        ProviderError::new(
            ProviderErrorKind::Malformed,
            "sidecar: the answer is cut short or too long",
        )
    })?;
    match line {
        b"NOTFOUND" => Err(ProviderError::new(
            ProviderErrorKind::NotFound,
            "sidecar: no such secret",
        )),
        b"DENIED" => Err(ProviderError::new(
            ProviderErrorKind::Forbidden,
            "sidecar: this service may not read it",
        )),
        _ => match line.strip_prefix(b"OK ").map(std::str::from_utf8) {
            // The only copy that survives is the one in the SecretString, which wipes itself.
            Some(Ok(value)) => Ok(Fetched::new(SecretString::from(value))
                // The agent rotates secrets hourly: cache for a minute at most.
                .with_ttl(Duration::from_secs(60))),
            // Say what was wrong with the answer, not what it held.
            Some(Err(_)) => Err(ProviderError::new(
                ProviderErrorKind::Malformed,
                "sidecar: the value is not UTF-8",
            )),
            None => Err(ProviderError::new(
                ProviderErrorKind::Malformed,
                "sidecar: unknown answer",
            )),
        },
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    // Audit events (which reference, outcome, latency; never values) go to stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    run(&mut std::io::stdout().lock())
}

/// Starts the stand-in agent, resolves `SENTRY_DSN=sidecar://sentry/dsn`, starts Sentry and
/// prints the redacted report. tests/examples.rs runs this too.
pub fn run(out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let socket = dir.path().join("agent.sock");
    let key = random_key();
    start_stand_in_agent(
        &socket,
        format!("https://{key}@o0.ingest.example.invalid/42"),
    )?;

    let config = Loader::new()
        .isolated() // only what is set here, not this shell's SENTRY_* variables
        .var("SENTRY_DSN", "sidecar://sentry/dsn")
        .environment("example")
        .provider(SidecarProvider::new(&socket))
        .resolve()?;

    let got = config.dsn().map(|d| d.key_fingerprint().to_owned());
    let written = fingerprint(&key);
    let matched = got.as_deref() == Some(written.as_str());
    writeln!(
        out,
        "The sidecar served key {} (generated {written}) -> {}",
        got.as_deref().unwrap_or("(none)"),
        if matched { "match" } else { "MISMATCH" }
    )?;
    if !matched {
        return Err("the resolved key is not the one generated".into());
    }

    // A reference the agent does not know fails with the reference and the reason, no value.
    let missing = Loader::new()
        .isolated()
        .var("SENTRY_DSN", "sidecar://sentry/nope")
        .provider(SidecarProvider::new(&socket))
        .resolve()
        .err()
        .ok_or("a missing secret resolved")?;
    writeln!(out, "A missing secret: {missing}")?;

    writeln!(out, "\n{}", config.report())?;
    let _guard = config.init()?;
    Ok(())
}

/// A stand-in for the platform's agent: serves one secret, `sentry/dsn`.
fn start_stand_in_agent(socket: &Path, dsn: String) -> io::Result<()> {
    let listener = UnixListener::bind(socket)?;
    let dsn = SecretString::from(dsn);
    std::thread::spawn(move || {
        use sentry_secrets::secrecy::ExposeSecret;
        for mut conn in listener.incoming().flatten() {
            let mut request = String::new();
            if BufReader::new(&conn).read_line(&mut request).is_err() {
                continue;
            }
            let _ = match request.trim_end() {
                "GET sentry/dsn" => writeln!(conn, "OK {}", dsn.expose_secret()),
                "GET sentry/other-team" => writeln!(conn, "DENIED"),
                _ => writeln!(conn, "NOTFOUND"),
            };
        }
    });
    Ok(())
}

/// 32 hex digits: the shape of a DSN public key.
fn random_key() -> String {
    use std::hash::{BuildHasher, RandomState};
    let a = RandomState::new().hash_one(std::time::SystemTime::now());
    let b = RandomState::new().hash_one(std::process::id());
    format!("{a:016x}{b:016x}")
}
