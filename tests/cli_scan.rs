//! `sentry-secrets scan` through the built binary: exit codes, --fail-on, formats,
//! ignore files, baselines.
#![cfg(all(feature = "cli", feature = "scan"))]

use std::path::Path;
use std::process::{Command, Output};

const KEY: &str = "3f1c7c3e0a9b4d6e8f2a1b3c4d5e6f70";
const TOKEN_HEX: &str = "9d2c71e04b8a3f56c1e7d0a9b4f28e63a5d1c7b0e94f26a8d3c5b7e1f0a2946c";

fn token() -> String {
    format!("sntryu_{TOKEN_HEX}")
}

fn public_dsn() -> String {
    format!("https://{KEY}@o1.ingest.sentry.io/42")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sentry-secrets"))
        .arg("scan")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn assert_no_secret(o: &Output) {
    let all = format!("{}{}", stdout(o), String::from_utf8_lossy(&o.stderr));
    for w in TOKEN_HEX
        .as_bytes()
        .windows(10)
        .chain(KEY.as_bytes().windows(10))
    {
        assert!(
            !all.contains(std::str::from_utf8(w).unwrap()),
            "secret leaked"
        );
    }
}

#[test]
fn clean_tree_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.rs"), "fn main() {}\n").unwrap();
    let o = run(dir.path(), &["."]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("0 finding(s)"));
}

#[test]
fn error_finding_exits_1_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        format!("SENTRY_AUTH_TOKEN={}\n", token()),
    )
    .unwrap();
    for format in ["human", "json", "sarif"] {
        let o = run(dir.path(), &["--format", format]);
        assert_eq!(code(&o), 1, "{format}");
        assert!(stdout(&o).contains("sentry-user-token"));
        assert_no_secret(&o);
        if format != "human" {
            let _: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        }
    }
    assert!(stdout(&run(dir.path(), &[])).contains(".env:1:19: error[sentry-user-token]"));
}

#[test]
fn fail_on_threshold() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        format!("DSN = '{}'\n", public_dsn()),
    )
    .unwrap();
    let o = run(dir.path(), &[]);
    assert_eq!(code(&o), 0, "a warning is below the default threshold");
    assert!(stdout(&o).contains("warning[sentry-dsn-public-key]"));
    assert_no_secret(&o);
    assert_eq!(code(&run(dir.path(), &["--fail-on", "warning"])), 1);
    assert_eq!(code(&run(dir.path(), &["--fail-on", "error"])), 0);
}

#[test]
fn usage_and_io_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&run(dir.path(), &["--format", "xml"])), 2);
    assert_eq!(code(&run(dir.path(), &["--fail-on", "info"])), 2);
    assert_eq!(code(&run(dir.path(), &["does-not-exist"])), 2);
    assert_eq!(code(&run(dir.path(), &["--baseline", "missing.json"])), 2);
    std::fs::write(dir.path().join("bad.json"), "not json").unwrap();
    assert_eq!(code(&run(dir.path(), &["--baseline", "bad.json"])), 2);
}

#[test]
fn ignore_files_and_binaries() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "secret.txt\n").unwrap();
    std::fs::write(dir.path().join("secret.txt"), token()).unwrap();
    let mut binary = b"\0\x01\x02".to_vec();
    binary.extend_from_slice(token().as_bytes());
    std::fs::write(dir.path().join("blob.bin"), binary).unwrap();
    let o = run(dir.path(), &[]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("1 binary skipped"));
    assert_eq!(code(&run(dir.path(), &["--no-ignore"])), 1);
}

#[test]
fn baseline_round_trip_and_default_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.rs"),
        format!("const T: &str = \"{}\";\n", token()),
    )
    .unwrap();
    let o = run(dir.path(), &["--write-baseline", "accepted.json"]);
    assert_eq!(code(&o), 0);
    let text = std::fs::read_to_string(dir.path().join("accepted.json")).unwrap();
    assert!(text.contains("sentry-user-token") && !text.contains(&TOKEN_HEX[..10]));
    let o = run(dir.path(), &["--baseline", "accepted.json"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("1 by baseline"));
    // The default file name is read without a flag, and --no-baseline turns it off.
    std::fs::rename(
        dir.path().join("accepted.json"),
        dir.path().join(".sentry-secrets-baseline.json"),
    )
    .unwrap();
    assert_eq!(code(&run(dir.path(), &[])), 0);
    assert_eq!(code(&run(dir.path(), &["--no-baseline"])), 1);
    // A new secret is still reported.
    std::fs::write(
        dir.path().join("b.rs"),
        format!(
            "const D: &str = \"{}\";\n",
            public_dsn().replace("42", "43").replace(&KEY[..4], "7a1d")
        ),
    )
    .unwrap();
    let o = run(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("b.rs:1"));
}

#[test]
fn inline_marker() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.rs"),
        format!(
            "const T: &str = \"{}\"; // sentry-secrets: allow\n",
            token()
        ),
    )
    .unwrap();
    let o = run(dir.path(), &[]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("allowed: 1 inline"));
}
