//! Hostile input: every file attack, malformed DSNs and tokens, VAR with VAR_FILE, bad
//! numbers. Each gets a clear, value-free error naming the variable or file; nothing hangs.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use sentry_secrets::{Error, FileErrorKind, FilePolicy, Loader, Policy, Symlinks};

const DSN: &str = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42";

fn file(dir: &Path, name: &str, content: &[u8], mode: u32) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

/// Resolves with `SENTRY_DSN_FILE=path` on another thread; fails the test if it takes more
/// than 5 seconds (a hang).
fn resolve_file(path: &Path, policy: Policy) -> Result<sentry_secrets::SentryConfig, Error> {
    let path = path.to_string_lossy().into_owned();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = Loader::new()
            .isolated()
            .policy(policy)
            .var("SENTRY_DSN_FILE", path)
            .resolve();
        let _ = tx.send(r);
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("resolution hung on a hostile file")
}

fn file_kind(r: Result<sentry_secrets::SentryConfig, Error>) -> FileErrorKind {
    match r {
        Err(Error::File {
            kind, key, path, ..
        }) => {
            assert_eq!(key, "SENTRY_DSN");
            assert!(!path.as_os_str().is_empty());
            kind
        }
        other => panic!("expected a file error, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn fifo_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        file_kind(resolve_file(&fifo, Policy::default())),
        FileErrorKind::NotRegular
    );
}

#[test]
fn devices_and_directories_are_refused() {
    assert_eq!(
        file_kind(resolve_file(Path::new("/dev/zero"), Policy::default())),
        FileErrorKind::NotRegular
    );
    assert_eq!(
        file_kind(resolve_file(Path::new("/dev/null"), Policy::default())),
        FileErrorKind::NotRegular
    );
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        file_kind(resolve_file(dir.path(), Policy::default())),
        FileErrorKind::NotRegular
    );
}

#[test]
fn content_attacks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases = [
        (
            file(d, "big", &vec![b'a'; 64 * 1024], 0o600),
            FileErrorKind::TooLarge,
        ),
        (
            file(d, "nul", b"\xff\xfe\x00", 0o600),
            FileErrorKind::NotUtf8,
        ),
        (file(d, "empty", b"\n \n", 0o600), FileErrorKind::Empty),
        (
            file(d, "ww", DSN.as_bytes(), 0o666),
            FileErrorKind::WorldWritable,
        ),
        (
            file(d, "ww2", DSN.as_bytes(), 0o602),
            FileErrorKind::WorldWritable,
        ),
    ];
    for (path, want) in cases {
        assert_eq!(
            file_kind(resolve_file(&path, Policy::default())),
            want,
            "{path:?}"
        );
    }
    let missing = file_kind(resolve_file(&d.join("missing"), Policy::default()));
    assert_eq!(missing, FileErrorKind::Io);
}

#[test]
fn readable_by_others_warns_by_default_and_is_refused_when_strict() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(dir.path(), "dsn", DSN.as_bytes(), 0o644);
    let config = resolve_file(&p, Policy::default()).unwrap();
    assert!(config.dsn().is_some());
    assert!(
        config
            .warnings()
            .iter()
            .any(|w| w.contains("readable by group or others"))
    );
    assert_eq!(
        file_kind(resolve_file(&p, Policy::strict())),
        FileErrorKind::ReadableByOthers
    );
    let p = file(dir.path(), "dsn600", DSN.as_bytes(), 0o600);
    assert!(
        resolve_file(&p, Policy::strict())
            .unwrap()
            .warnings()
            .is_empty()
    );
}

#[test]
fn the_strict_file_policy_reaches_file_references() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(dir.path(), "dsn", DSN.as_bytes(), 0o644);
    let reference = format!("file://{}", p.display());
    let with = |policy| {
        Loader::new()
            .isolated()
            .policy(policy)
            .var("SENTRY_DSN", &reference)
            .resolve()
    };
    assert!(with(Policy::default()).unwrap().dsn().is_some());
    match with(Policy::strict()) {
        Err(Error::Provider { key, .. }) => assert_eq!(key, "SENTRY_DSN"),
        other => panic!(
            "expected a refused file reference, got {:?}",
            other.map(|_| ())
        ),
    }
}

#[test]
fn a_value_pasted_into_var_file_is_refused_without_being_echoed() {
    for (var, value) in [
        ("SENTRY_DSN_FILE", DSN),
        (
            "SENTRY_AUTH_TOKEN_FILE",
            "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ),
    ] {
        let err = Loader::new()
            .isolated()
            .var(var, value)
            .resolve()
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains(var), "{text}");
        assert!(!text.contains("0123456789abcdef"), "{text}");
    }
}

#[test]
fn kubernetes_symlinks_follow_by_policy() {
    // The layout of a Kubernetes secret volume: dsn -> ..data/dsn, ..data -> ..2026_12_04/
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("..2026_12_04")).unwrap();
    file(
        &d.join("..2026_12_04"),
        "dsn",
        format!("{DSN}\n").as_bytes(),
        0o600,
    );
    symlink("..2026_12_04", d.join("..data")).unwrap();
    symlink("..data/dsn", d.join("dsn")).unwrap();
    let config = resolve_file(&d.join("dsn"), Policy::default()).unwrap();
    assert_eq!(config.dsn().unwrap().project_id(), "42");

    let refuse = Policy {
        files: FilePolicy {
            symlinks: Symlinks::Refuse,
            ..FilePolicy::default()
        },
        ..Policy::default()
    };
    assert_eq!(
        file_kind(resolve_file(&d.join("dsn"), refuse)),
        FileErrorKind::Symlink
    );

    // A link is judged by its target: a world-writable target is refused.
    let ww = file(d, "target", DSN.as_bytes(), 0o666);
    symlink(&ww, d.join("link")).unwrap();
    assert_eq!(
        file_kind(resolve_file(&d.join("link"), Policy::default())),
        FileErrorKind::WorldWritable
    );
}

#[test]
fn var_and_var_file_together_is_an_error() {
    let err = Loader::new()
        .isolated()
        .var("SENTRY_AUTH_TOKEN", "x")
        .var("SENTRY_AUTH_TOKEN_FILE", "/x")
        .resolve()
        .unwrap_err();
    assert!(matches!(&err, Error::Conflict { key } if key == "SENTRY_AUTH_TOKEN"));
    assert_eq!(
        err.to_string(),
        "both SENTRY_AUTH_TOKEN and SENTRY_AUTH_TOKEN_FILE are set; set only one"
    );
}

#[test]
fn malformed_dsns_are_errors_never_a_silent_disable() {
    for bad in [
        "not a dsn",
        "https://o1.ingest.sentry.io/42",
        "https://key@o1.ingest.sentry.io/",
        "https://key@o1.ingest.sentry.io/project",
        "https://key@:443/1",
        "https://key@host:70000/1",
        "https://ke y@host/1",
        "https://key@host/1?x=y",
        "ftp://key@host/1",
    ] {
        let err = Loader::new()
            .isolated()
            .var("SENTRY_DSN", bad)
            .resolve()
            .unwrap_err();
        match &err {
            Error::InvalidDsn { key, .. } | Error::UnknownScheme { key, .. } => {
                assert_eq!(key, "SENTRY_DSN", "{bad}")
            }
            other => panic!("{bad}: unexpected {other:?}"),
        }
        assert!(
            !err.to_string().contains(bad),
            "{bad}: error echoes the value"
        );
    }
}

#[test]
fn malformed_tokens_are_errors() {
    for bad in [
        "sntryu_".to_owned(),
        format!("sntryu_{}", "g".repeat(64)),
        format!("sntrya_{}", "a".repeat(63)),
        "sntrys_notbase64!_x".to_owned(),
        "sntrys_e30_AAAA".to_owned(),
        "a".repeat(63),
        "token".to_owned(),
    ] {
        let err = Loader::new()
            .isolated()
            .var("SENTRY_AUTH_TOKEN", &bad)
            .resolve()
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidToken { key, .. } if key == "SENTRY_AUTH_TOKEN"),
            "{bad}: {err:?}"
        );
    }
}

#[test]
fn bad_numbers_and_booleans_name_the_variable() {
    for (var, value, expected) in [
        ("SENTRY_SAMPLE_RATE", "1.5", "between 0 and 1"),
        ("SENTRY_SAMPLE_RATE", "NaN", "between 0 and 1"),
        ("SENTRY_TRACES_SAMPLE_RATE", "-0.1", "between 0 and 1"),
        ("SENTRY_DEBUG", "maybe", "boolean"),
        ("SENTRY_MAX_BREADCRUMBS", "-3", "whole number"),
        ("SENTRY_SHUTDOWN_TIMEOUT", "soon", "seconds"),
    ] {
        let err = Loader::new()
            .isolated()
            .var(var, value)
            .resolve()
            .unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(&err, Error::InvalidValue { key, .. } if key == var),
            "{var}: {err:?}"
        );
        assert!(
            text.contains(expected) && !text.contains(value),
            "{var}: {text}"
        );
    }
    // Values set in code are validated the same way instead of panicking like sentry's setters.
    let err = Loader::new()
        .isolated()
        .sample_rate(2.0)
        .resolve()
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidValue { key, .. } if key == "SENTRY_SAMPLE_RATE"));
}

#[test]
fn dotenv_syntax_error_names_the_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(
        dir.path(),
        ".env",
        b"SENTRY_RELEASE=1\nSENTRY_DSN=\"unterminated\n",
        0o600,
    );
    let err = Loader::new()
        .isolated()
        .policy(Policy {
            dotenv: sentry_secrets::DotEnv::Always,
            ..Policy::default()
        })
        .dotenv_path(&p)
        .resolve()
        .unwrap_err();
    assert!(
        matches!(&err, Error::DotEnvSyntax { line: 2, .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("unterminated"));
}

#[test]
fn unknown_and_malformed_references() {
    let err = Loader::new()
        .isolated()
        .var("SENTRY_DSN", "vaultt://secret/sentry#dsn")
        .resolve()
        .unwrap_err();
    assert!(
        matches!(&err, Error::UnknownScheme { scheme, .. } if scheme == "vaultt"),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("file"),
        "lists the known schemes: {err}"
    );
    let err = Loader::new()
        .isolated()
        .var("SENTRY_AUTH_TOKEN", "Bad Scheme://x")
        .resolve()
        .unwrap_err();
    assert!(matches!(&err, Error::BadReference { .. }), "{err:?}");
}
