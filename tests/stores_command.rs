//! `op://` and `pass://` through stand-in `op` and `pass` scripts on a `PATH` of their own.

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use sentry_secrets::{
    FetchContext, OnePasswordProvider, PassProvider, ProviderError, ProviderErrorKind, Registry,
    SecretProvider, SecretRef,
};
use support::assert_value_free;

const DSN: &str = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42";
const TOKEN: &str = "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";
const CANARY: &str = "CANARY-cmd-51e0aa2c";

/// A directory holding stand-in `op` and `pass` programs. Each records its arguments, one
/// per line, in `args`, and its pid in `pid`.
struct Bin {
    dir: tempfile::TempDir,
}

impl Bin {
    fn new() -> Bin {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        let common = format!(
            r#"#!/bin/sh
PATH=/usr/bin:/bin
printf '%s\n' "$@" > '{d}/args'
echo $$ > '{d}/pid'
"#
        );
        let op = format!(
            r#"{common}
[ "$1" = read ] || exit 2
case "$2" in
  op://prod/sentry/dsn) printf '%s\n' '{DSN}' ;;
  op://prod/sentry/token) printf '%s' '{TOKEN}' ;;
  op://prod/me@example.com/dsn?attribute=otp) printf '%s\n' '{DSN}' ;;
  op://prod/missing/dsn) echo "[ERROR] \"missing\" isn't an item. {CANARY}" >&2; exit 1 ;;
  op://prod/locked/dsn) echo "[ERROR] You are not signed in. {CANARY}" >&2; exit 1 ;;
  op://prod/slow/dsn) exec sleep 30 ;;
  op://prod/spawner/dsn) sleep 30 & echo $! > '{d}/grandchild'; exec sleep 30 ;;
  op://prod/big/dsn) exec head -c 200000 /dev/zero ;;
  *) echo "unexpected {CANARY}" >&2; exit 3 ;;
esac
"#
        );
        let pass = format!(
            r#"{common}
[ "$1" = show ] && [ "$2" = -- ] || exit 2
case "$3" in
  prod/sentry) printf '%s\nuser: ci\nauth_token: %s\n' '{DSN}' '{TOKEN}' ;;
  prod/missing) echo "Error: prod/missing is not in the password store. {CANARY}" >&2; exit 1 ;;
  prod/crash) echo "{CANARY}"; echo "{CANARY}" >&2; exit 7 ;;
  *) printf '%s\n' "$3" ;;
esac
"#
        );
        write_exec(&dir.path().join("op"), &op);
        write_exec(&dir.path().join("pass"), &pass);
        Bin { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn op(&self) -> OnePasswordProvider {
        OnePasswordProvider::new().search_path(self.path())
    }

    fn pass(&self) -> PassProvider {
        PassProvider::new().search_path(self.path())
    }

    fn args(&self) -> Vec<String> {
        fs::read_to_string(self.path().join("args"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn write_exec(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

fn ctx() -> FetchContext {
    FetchContext::new(
        Instant::now() + Duration::from_secs(10),
        Duration::from_secs(3),
    )
}

fn fetch_with(
    provider: impl SecretProvider + 'static,
    r: &str,
    ctx: &FetchContext,
) -> Result<SecretString, ProviderError> {
    let mut reg = Registry::empty();
    reg.register(provider);
    reg.fetch("SENTRY_DSN", &SecretRef::parse(r).unwrap().unwrap(), ctx)
}

fn fetch(provider: impl SecretProvider + 'static, r: &str) -> Result<SecretString, ProviderError> {
    fetch_with(provider, r, &ctx())
}

#[test]
fn op_read_success() {
    let bin = Bin::new();
    assert_eq!(
        fetch(bin.op(), "op://prod/sentry/dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
    assert_eq!(bin.args(), ["read", "op://prod/sentry/dsn"]);
    // No trailing newline to strip: the value is taken as printed.
    assert_eq!(
        fetch(bin.op(), "op://prod/sentry/token")
            .unwrap()
            .expose_secret(),
        TOKEN
    );
}

#[test]
fn pass_show_first_line_and_named_field() {
    let bin = Bin::new();
    assert_eq!(
        fetch(bin.pass(), "pass://prod/sentry")
            .unwrap()
            .expose_secret(),
        DSN
    );
    assert_eq!(bin.args(), ["show", "--", "prod/sentry"]);
    assert_eq!(
        fetch(bin.pass(), "pass://prod/sentry#auth_token")
            .unwrap()
            .expose_secret(),
        TOKEN
    );
    assert_eq!(
        fetch(bin.pass(), "pass://prod/sentry#nope")
            .unwrap_err()
            .kind(),
        ProviderErrorKind::MissingField
    );
}

#[test]
fn non_zero_exit_is_classified_and_stderr_is_never_echoed() {
    let bin = Bin::new();
    let cases: [(Box<dyn SecretProvider>, &str, ProviderErrorKind); 4] = [
        (
            Box::new(bin.op()),
            "op://prod/missing/dsn",
            ProviderErrorKind::NotFound,
        ),
        (
            Box::new(bin.op()),
            "op://prod/locked/dsn",
            ProviderErrorKind::Forbidden,
        ),
        (
            Box::new(bin.pass()),
            "pass://prod/missing",
            ProviderErrorKind::NotFound,
        ),
        (
            Box::new(bin.pass()),
            "pass://prod/crash",
            ProviderErrorKind::Other,
        ),
    ];
    for (p, r, kind) in cases {
        let e = p
            .fetch(&SecretRef::parse(r).unwrap().unwrap(), &ctx())
            .unwrap_err();
        assert_eq!(e.kind(), kind, "{r}: {e}");
        assert!(e.to_string().contains("exited with status"), "{e}");
        assert_value_free(&e, CANARY);
    }
}

#[test]
fn timeout_kills_the_command() {
    let bin = Bin::new();
    let c = FetchContext::new(
        Instant::now() + Duration::from_secs(10),
        Duration::from_millis(300),
    );
    let started = Instant::now();
    let e = fetch_with(bin.op(), "op://prod/slow/dsn", &c).unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Timeout, "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let pid = fs::read_to_string(bin.path().join("pid")).unwrap();
    assert!(
        !Path::new(&format!("/proc/{}", pid.trim())).exists(),
        "the timed-out command still runs"
    );
}

/// Whether `pid` is a live process (not gone, not a zombie).
fn running(pid: &str) -> bool {
    match fs::read_to_string(format!("/proc/{}/stat", pid.trim())) {
        Err(_) => false,
        Ok(stat) => !matches!(
            stat.rsplit_once(") ")
                .and_then(|(_, rest)| rest.chars().next()),
            Some('Z' | 'X')
        ),
    }
}

#[test]
fn timeout_stops_what_the_command_started_too() {
    let bin = Bin::new();
    let c = FetchContext::new(
        Instant::now() + Duration::from_secs(10),
        Duration::from_millis(300),
    );
    let e = fetch_with(bin.op(), "op://prod/spawner/dsn", &c).unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Timeout, "{e}");
    let grandchild = fs::read_to_string(bin.path().join("grandchild")).unwrap();
    // SIGKILL is delivered asynchronously; give it a moment.
    let until = Instant::now() + Duration::from_secs(5);
    while running(&grandchild) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !running(&grandchild),
        "a process the command started still runs"
    );
}

#[test]
fn oversized_output_is_refused() {
    let bin = Bin::new();
    let e = fetch(bin.op(), "op://prod/big/dsn").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Malformed, "{e}");
    assert!(e.to_string().contains("more than"), "{e}");
}

#[test]
fn missing_program_is_a_config_error() {
    let empty = tempfile::tempdir().unwrap();
    let e = fetch(
        PassProvider::new().search_path(empty.path()),
        "pass://prod/sentry",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Config, "{e}");
    let e = fetch(
        OnePasswordProvider::new().program("/nonexistent/op"),
        "op://a/b/c",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Config, "{e}");
}

#[test]
fn program_set_in_code() {
    let bin = Bin::new();
    let p = PassProvider::new().program(bin.path().join("pass"));
    assert_eq!(fetch(p, "pass://prod/sentry").unwrap().expose_secret(), DSN);
}

#[test]
fn references_cannot_inject_options_or_shell() {
    let bin = Bin::new();
    for r in [
        "pass://-c",
        "pass://--clip",
        "pass:///etc/passwd",
        "pass://a/../b",
        "pass://a//b",
    ] {
        assert_eq!(
            fetch(bin.pass(), r).unwrap_err().kind(),
            ProviderErrorKind::BadReference,
            "{r}"
        );
    }
    for r in [
        "op://prod/sentry",
        "op://prod/sentry/dsn#x",
        "op://a/b/c/d/e",
    ] {
        assert_eq!(
            fetch(bin.op(), r).unwrap_err().kind(),
            ProviderErrorKind::BadReference,
            "{r}"
        );
    }
    // Shell syntax reaches the program as one plain argument, never through a shell.
    let marker = bin.path().join("pwned");
    let r = format!("pass://a;touch {}", marker.display());
    let got = fetch(bin.pass(), &r).unwrap();
    assert_eq!(got.expose_secret(), format!("a;touch {}", marker.display()));
    assert!(!marker.exists());
    let r = "pass://$(id)`id`";
    assert_eq!(fetch(bin.pass(), r).unwrap().expose_secret(), "$(id)`id`");
}

#[test]
fn registered_by_default_with_their_features() {
    let reg = Registry::with_builtin();
    assert!(reg.has_scheme("op"));
    assert!(reg.has_scheme("pass"));
}
