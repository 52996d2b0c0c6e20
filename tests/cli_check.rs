//! `sentry-secrets check`: exit codes, text and JSON reports, and no secret in any output.
#![cfg(feature = "cli")]

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

#[path = "support/canary.rs"]
mod canary;

use canary::{DSN_KEY, TOKEN_HEX, assert_clean};

fn check(args: &[&str], env: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sentry-secrets"));
    cmd.arg("check")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(dir.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_clean("check stdout", &String::from_utf8_lossy(&out.stdout));
    assert_clean("check stderr", &String::from_utf8_lossy(&out.stderr));
    out
}

#[test]
fn usable_config_exits_0_with_a_redacted_report() {
    let dsn = canary::dsn("o1.ingest.sentry.io");
    let token = canary::token();
    let env = [
        ("SENTRY_DSN", dsn.as_str()),
        ("SENTRY_AUTH_TOKEN", token.as_str()),
    ];
    let out = check(&[], &env);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Sentry: enabled"));
    assert!(text.contains("http://fp:") && text.contains("[env SENTRY_DSN]"));

    let out = check(&["--json"], &env);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["enabled"], true);
    assert_eq!(json["fields"][0]["field"], "dsn");
    assert_eq!(json["fields"][0]["origin"]["kind"], "env");
    assert_eq!(json["fields"][1]["variable"], "SENTRY_AUTH_TOKEN");
}

#[test]
fn no_dsn_is_usable_but_not_when_required() {
    let out = check(&[], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("disabled"));
    let out = check(&["--require-dsn"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Sentry DSN"));
}

#[test]
fn misconfigured_or_refused_exits_1_naming_the_variable() {
    let bad_dsn = format!("http://{DSN_KEY}@h/notanumber");
    let out = check(&[], &[("SENTRY_DSN", &bad_dsn)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SENTRY_DSN"));

    let out = check(&["--json"], &[("SENTRY_SAMPLE_RATE", TOKEN_HEX)]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert!(
        json["error"]
            .as_str()
            .unwrap()
            .contains("SENTRY_SAMPLE_RATE")
    );

    let token = canary::token();
    let out = check(
        &["--strict"],
        &[
            ("SENTRY_DSN", &canary::dsn("h")),
            ("SENTRY_AUTH_TOKEN", &token),
        ],
    );
    assert_eq!(out.status.code(), Some(1));

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dsn");
    std::fs::write(&p, canary::dsn("h")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = check(&[], &[("SENTRY_DSN_FILE", p.to_str().unwrap())]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("world-writable"));
}

#[test]
fn custom_prefix() {
    let dsn = canary::dsn("h");
    let out = check(
        &["--prefix", "MYAPP_", "--json"],
        &[("MYAPP_SENTRY_DSN", &dsn)],
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["fields"][0]["variable"], "MYAPP_SENTRY_DSN");
}

#[test]
fn usage_errors_exit_2() {
    let out = check(&["--no-such-flag"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_sentry-secrets"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_sentry-secrets"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}
