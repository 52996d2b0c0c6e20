//! `vault://` against a real OpenBao dev server (started by the suite; see tests/support).

mod support;

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use sentry_secrets::{
    FetchContext, ProviderError, ProviderErrorKind, Registry, SecretProvider, SecretRef, VaultAuth,
    VaultProvider,
};
use support::bao::{CANARY, DSN, DSN_V1, TOKEN, bao};
use support::{ROOT_TOKEN, assert_value_free, canned_peer, closed_port, silent_peer};

fn root() -> VaultProvider {
    VaultProvider::new(&bao().addr).auth(VaultAuth::token(SecretString::from(ROOT_TOKEN)))
}

fn ctx() -> FetchContext {
    FetchContext::new(
        Instant::now() + Duration::from_secs(10),
        Duration::from_secs(3),
    )
}

fn reference(s: &str) -> SecretRef {
    SecretRef::parse(s).unwrap().unwrap()
}

/// Through a registry, as the loader does: deadline, retries, cache, audit.
fn fetch_with(
    provider: impl SecretProvider + 'static,
    r: &str,
    ctx: &FetchContext,
) -> Result<SecretString, ProviderError> {
    let mut reg = Registry::empty();
    reg.register(provider);
    reg.fetch("SENTRY_DSN", &reference(r), ctx)
}

fn fetch(provider: impl SecretProvider + 'static, r: &str) -> Result<SecretString, ProviderError> {
    fetch_with(provider, r, &ctx())
}

#[test]
fn dsn_and_token_by_field() {
    assert_eq!(
        fetch(root(), "vault://secret/sentry#dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
    assert_eq!(
        fetch(root(), "vault://secret/sentry#auth_token")
            .unwrap()
            .expose_secret(),
        TOKEN
    );
}

#[test]
fn older_version() {
    assert_eq!(
        fetch(root(), "vault://secret/sentry#dsn?version=1")
            .unwrap()
            .expose_secret(),
        DSN_V1
    );
    assert_eq!(
        fetch(root(), "vault://secret/sentry#dsn?version=9")
            .unwrap_err()
            .kind(),
        ProviderErrorKind::NotFound
    );
}

#[test]
fn single_key_needs_no_field_but_several_do() {
    assert_eq!(
        fetch(root(), "vault://secret/single")
            .unwrap()
            .expose_secret(),
        DSN
    );
    let e = fetch(root(), "vault://secret/sentry").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::BadReference);
}

#[test]
fn kv_v1_and_its_lease_as_ttl() {
    let p = root();
    let fetched = p
        .fetch(&reference("vault://kv1/sentry#dsn?kv=1"), &ctx())
        .unwrap();
    assert_eq!(fetched.ttl(), Some(Duration::from_secs(30 * 60)));
    assert_eq!(fetched.into_value().expose_secret(), DSN);
}

#[test]
fn approle_login_and_its_policy() {
    let b = bao();
    let p = VaultProvider::new(&b.addr).auth(VaultAuth::approle(&b.role_id, &b.secret_id_file));
    let mut reg = Registry::empty();
    reg.register(p);
    let got = reg.fetch(
        "SENTRY_DSN",
        &reference("vault://secret/sentry#dsn"),
        &ctx(),
    );
    assert_eq!(got.unwrap().expose_secret(), DSN);
    // The role's policy reads secret/sentry only; the login token is reused.
    let denied = reg.fetch("SENTRY_DSN", &reference("vault://secret/single"), &ctx());
    assert_eq!(denied.unwrap_err().kind(), ProviderErrorKind::Forbidden);
}

#[test]
fn approle_with_a_wrong_secret_id_is_forbidden() {
    let b = bao();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("secret-id");
    std::fs::write(&bad, "00000000-0000-0000-0000-000000000000\n").unwrap();
    let p = VaultProvider::new(&b.addr).auth(VaultAuth::approle(&b.role_id, &bad));
    assert_eq!(
        fetch(p, "vault://secret/sentry#dsn").unwrap_err().kind(),
        ProviderErrorKind::Forbidden
    );
}

#[test]
fn token_file() {
    let p = VaultProvider::new(&bao().addr).auth(VaultAuth::token_file(&bao().token_file));
    assert_eq!(
        fetch(p, "vault://secret/sentry#dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
}

#[test]
fn missing_secret_and_missing_field() {
    let e = fetch(root(), "vault://secret/nope#dsn").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::NotFound);
    let e = fetch(root(), "vault://secret/canary#nope").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::MissingField);
    assert_value_free(&e, CANARY);
    let e = fetch(root(), "vault://secret/canary#number").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Malformed);
    assert_value_free(&e, CANARY);
    let e = fetch(root(), "vault://secret/canary").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::BadReference);
    assert_value_free(&e, CANARY);
}

#[test]
fn wrong_token_is_forbidden_and_not_retried() {
    for token in ["not-a-token", bao().powerless_token.as_str()] {
        let p = VaultProvider::new(&bao().addr).auth(VaultAuth::token(token.into()));
        let started = Instant::now();
        let e = fetch(p, "vault://secret/sentry#dsn").unwrap_err();
        assert_eq!(e.kind(), ProviderErrorKind::Forbidden, "{e}");
        assert!(e.to_string().contains("403"), "{e}");
        assert!(!e.to_string().contains(token));
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

#[test]
fn server_down_is_unreachable_within_the_deadline() {
    let p = VaultProvider::new(format!("http://127.0.0.1:{}", closed_port()))
        .auth(VaultAuth::token(ROOT_TOKEN.into()));
    let c = FetchContext::new(
        Instant::now() + Duration::from_secs(3),
        Duration::from_secs(1),
    );
    let started = Instant::now();
    let e = fetch_with(p, "vault://secret/sentry#dsn", &c).unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Unreachable, "{e}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn silent_peer_cannot_hold_past_the_deadline() {
    let p = VaultProvider::new(format!("http://127.0.0.1:{}", silent_peer()))
        .auth(VaultAuth::token(ROOT_TOKEN.into()));
    // The request timeout is longer than the deadline: the deadline must win.
    let c = FetchContext::new(
        Instant::now() + Duration::from_millis(1500),
        Duration::from_secs(30),
    );
    let started = Instant::now();
    let e = fetch_with(p, "vault://secret/sentry#dsn", &c).unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Timeout, "{e}");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2500), "{took:?}");
}

#[test]
fn silent_peer_and_request_timeout() {
    let p = VaultProvider::new(format!("http://127.0.0.1:{}", silent_peer()))
        .auth(VaultAuth::token(ROOT_TOKEN.into()));
    let c = FetchContext::new(
        Instant::now() + Duration::from_secs(10),
        Duration::from_millis(400),
    );
    let started = Instant::now();
    let e = fetch_with(p, "vault://secret/sentry#dsn", &c).unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Timeout, "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

fn http(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn malformed_responses_are_value_free() {
    let cases = [
        (
            http("200 OK", &format!(r#"{{"data": {{"data": "{CANARY}"#)),
            ProviderErrorKind::Malformed,
        ),
        (
            http("200 OK", &format!(r#"{{"data": {{"data": "{CANARY}"}}}}"#)),
            ProviderErrorKind::Malformed,
        ),
        (
            http("200 OK", &format!("{CANARY} not json")),
            ProviderErrorKind::Malformed,
        ),
        (
            http(
                "200 OK",
                &format!(r#"{{"data": {{"data": {{"dsn": 5, "x": "{CANARY}"}}}}}}"#),
            ),
            ProviderErrorKind::Malformed,
        ),
        (
            http(
                "500 Internal Server Error",
                &format!(r#"{{"errors": ["{CANARY}"]}}"#),
            ),
            ProviderErrorKind::Transient,
        ),
        (
            http("403 Forbidden", &format!(r#"{{"errors": ["{CANARY}"]}}"#)),
            ProviderErrorKind::Forbidden,
        ),
        (
            http("404 Not Found", &format!("{CANARY}")),
            ProviderErrorKind::NotFound,
        ),
    ];
    for (response, kind) in cases {
        let port = canned_peer(response);
        let p = VaultProvider::new(format!("http://127.0.0.1:{port}"))
            .auth(VaultAuth::token(ROOT_TOKEN.into()));
        let e = fetch(p, "vault://secret/sentry#dsn").unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        assert_value_free(&e, CANARY);
    }
}

#[test]
fn unknown_scheme_and_bad_references() {
    let reg = Registry::with_builtin();
    let e = reg
        .fetch(
            "SENTRY_DSN",
            &reference("vaulty://secret/sentry#dsn"),
            &ctx(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::BadReference);
    for r in [
        "vault://secret/../sys/health",
        "vault://secret/sentry#dsn?colour=red",
    ] {
        assert_eq!(
            fetch(root(), r).unwrap_err().kind(),
            ProviderErrorKind::BadReference,
            "{r}"
        );
    }
}

#[test]
fn no_credentials_is_a_config_error() {
    let e = fetch(VaultProvider::new(&bao().addr), "vault://secret/sentry#dsn").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Config);
    let e = fetch(
        VaultProvider::new("not a url").auth(VaultAuth::token(ROOT_TOKEN.into())),
        "vault://secret/sentry#dsn",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Config);
}

#[tokio::test(flavor = "multi_thread")]
async fn works_inside_a_multi_thread_runtime() {
    assert_eq!(
        fetch(root(), "vault://secret/sentry#dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
}

#[tokio::test(flavor = "current_thread")]
async fn works_inside_a_current_thread_runtime() {
    assert_eq!(
        fetch(root(), "vault://secret/sentry#dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
}
