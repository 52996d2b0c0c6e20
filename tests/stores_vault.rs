//! `vault://` against a real OpenBao dev server (started by the suite; see tests/support).

mod support;

use std::os::unix::fs::PermissionsExt;
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

/// A login token the server revokes is dropped on the 403, and the next fetch logs in
/// again (with its own AppRole mount, so that no other test's tokens are revoked).
#[test]
fn a_revoked_login_token_is_replaced() {
    let b = bao();
    let cli = b.cli();
    cli.run(&["auth", "enable", "-path=approle-revoke", "approle"], None);
    cli.run(
        &[
            "write",
            "auth/approle-revoke/role/sentry",
            "token_policies=sentry-read",
            "token_ttl=20m",
        ],
        None,
    );
    let role_id = cli.run(
        &[
            "read",
            "-field=role_id",
            "auth/approle-revoke/role/sentry/role-id",
        ],
        None,
    );
    let secret_id = cli.run(
        &[
            "write",
            "-f",
            "-field=secret_id",
            "auth/approle-revoke/role/sentry/secret-id",
        ],
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let secret_id_file = dir.path().join("secret-id");
    std::fs::write(&secret_id_file, format!("{secret_id}\n")).unwrap();
    std::fs::set_permissions(&secret_id_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let p = std::sync::Arc::new(VaultProvider::new(&b.addr).auth(VaultAuth::AppRole {
        role_id,
        secret_id_file,
        mount: "approle-revoke".into(),
    }));
    let r = reference("vault://secret/sentry#dsn");
    let fetch_once = || p.fetch(&r, &ctx()).map(|f| f.into_value());
    assert_eq!(fetch_once().unwrap().expose_secret(), DSN);

    cli.run(
        &["token", "revoke", "-mode=path", "auth/approle-revoke/login"],
        None,
    );
    assert_eq!(
        fetch_once().unwrap_err().kind(),
        ProviderErrorKind::Forbidden
    );
    assert_eq!(fetch_once().unwrap().expose_secret(), DSN);
}

/// The login token is kept when the read after the login fails, so the next fetch does not
/// log in again: with a single-use secret id, a second login would be refused.
#[test]
fn a_login_survives_a_failed_read() {
    let b = bao();
    let cli = b.cli();
    cli.run(&["auth", "enable", "-path=approle-once", "approle"], None);
    cli.run(
        &[
            "write",
            "auth/approle-once/role/sentry",
            "token_policies=sentry-read",
            "token_ttl=20m",
            "secret_id_num_uses=1",
        ],
        None,
    );
    let role_id = cli.run(
        &[
            "read",
            "-field=role_id",
            "auth/approle-once/role/sentry/role-id",
        ],
        None,
    );
    let secret_id = cli.run(
        &[
            "write",
            "-f",
            "-field=secret_id",
            "auth/approle-once/role/sentry/secret-id",
        ],
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let secret_id_file = dir.path().join("secret-id");
    std::fs::write(&secret_id_file, format!("{secret_id}\n")).unwrap();
    std::fs::set_permissions(&secret_id_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let p = VaultProvider::new(&b.addr).auth(VaultAuth::AppRole {
        role_id,
        secret_id_file,
        mount: "approle-once".into(),
    });
    let missing = p.fetch(&reference("vault://secret/sentry#no_such_field"), &ctx());
    assert_eq!(missing.unwrap_err().kind(), ProviderErrorKind::MissingField);
    let got = p
        .fetch(&reference("vault://secret/sentry#dsn"), &ctx())
        .unwrap();
    assert_eq!(got.into_value().expose_secret(), DSN);
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
        (http("404 Not Found", CANARY), ProviderErrorKind::NotFound),
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

// ---- Through the loader, as `init()` resolves -------------------------------------------

mod loader {
    use super::*;
    use sentry_secrets::{Error, Loader, Origin, Policy, StoreFailure};

    #[test]
    fn dsn_and_token_from_vault_with_provenance() {
        let config = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "vault://secret/sentry#dsn")
            .var("SENTRY_AUTH_TOKEN", "vault://secret/sentry#auth_token")
            .provider(root())
            .resolve()
            .unwrap();
        assert_eq!(config.dsn().unwrap().project_id(), "42");
        assert!(config.auth_token().is_some());
        match config.origin("dsn").unwrap() {
            Origin::Store {
                scheme,
                reference,
                via,
            } => {
                assert_eq!(scheme, "vault");
                assert_eq!(reference, "vault://secret/sentry#dsn");
                assert_eq!(
                    **via,
                    Origin::Env {
                        var: "SENTRY_DSN".into()
                    }
                );
            }
            other => panic!("unexpected origin {other:?}"),
        }
    }

    #[test]
    fn older_version_through_the_loader() {
        let config = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "vault://secret/sentry#dsn?version=1")
            .provider(root())
            .resolve()
            .unwrap();
        assert_eq!(config.dsn().unwrap().project_id(), "7");
    }

    #[test]
    fn failures_name_key_reference_and_kind_never_the_value() {
        let e = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "vault://secret/canary#nope")
            .provider(root())
            .resolve()
            .unwrap_err();
        match &e {
            Error::Provider {
                key,
                reference,
                source,
            } => {
                assert_eq!(key, "SENTRY_DSN");
                assert_eq!(reference, "vault://secret/canary#nope");
                assert_eq!(source.kind(), ProviderErrorKind::MissingField);
            }
            other => panic!("unexpected error {other:?}"),
        }
        assert_value_free(&e, CANARY);
        // A secret that is not a DSN is an invalid DSN, reported without its value.
        let e = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "vault://secret/canary#dsn")
            .provider(root())
            .resolve()
            .unwrap_err();
        assert!(matches!(e, Error::InvalidDsn { .. }), "{e:?}");
        assert_value_free(&e, CANARY);
    }

    #[test]
    fn unknown_scheme_is_an_error_never_a_literal() {
        let e = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "vaultx://secret/sentry#dsn")
            .provider(root())
            .resolve()
            .unwrap_err();
        assert!(
            matches!(&e, Error::UnknownScheme { scheme, .. } if scheme == "vaultx"),
            "{e:?}"
        );
    }

    #[test]
    fn policy_decides_what_a_failed_reference_does() {
        let down = || {
            VaultProvider::new(format!("http://127.0.0.1:{}", closed_port()))
                .auth(VaultAuth::token(ROOT_TOKEN.into()))
        };
        let fail = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "vault://secret/sentry#dsn")
            .provider(down())
            .resolve();
        assert!(matches!(fail, Err(Error::Provider { .. })));
        let policy = Policy {
            store_failure: StoreFailure::Disable,
            deadline: Duration::from_secs(2),
            ..Policy::default()
        };
        let config = Loader::new()
            .isolated()
            .policy(policy)
            .var("SENTRY_DSN", "vault://secret/sentry#dsn")
            .provider(down())
            .resolve()
            .unwrap();
        assert!(config.dsn().is_none());
    }

    #[test]
    fn silent_peer_cannot_hold_resolution_past_the_policy_deadline() {
        let policy = Policy {
            deadline: Duration::from_millis(1200),
            request_timeout: Duration::from_secs(30),
            ..Policy::default()
        };
        let started = Instant::now();
        let e = Loader::new()
            .isolated()
            .policy(policy)
            .var("SENTRY_DSN", "vault://secret/sentry#dsn")
            .provider(
                VaultProvider::new(format!("http://127.0.0.1:{}", silent_peer()))
                    .auth(VaultAuth::token(ROOT_TOKEN.into())),
            )
            .resolve()
            .unwrap_err();
        assert!(
            matches!(&e, Error::Provider { source, .. } if source.kind() == ProviderErrorKind::Timeout),
            "{e:?}"
        );
        assert!(
            started.elapsed() < Duration::from_millis(2200),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn resolve_inside_a_runtime() {
        let config = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "vault://secret/sentry#dsn")
            .provider(root())
            .resolve()
            .unwrap();
        assert_eq!(config.dsn().unwrap().project_id(), "42");
    }
}

/// `sentry-secrets check` with the built-in registry, configured from `VAULT_*` variables.
#[cfg(feature = "cli")]
#[test]
fn cli_check_shows_the_store_origin() {
    let b = bao();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sentry-secrets"))
        .args(["check", "--json", "--no-dotenv"])
        .env_clear()
        .env("SENTRY_DSN", "vault://secret/sentry#dsn")
        .env("SENTRY_AUTH_TOKEN", "vault://secret/sentry#auth_token")
        .env("VAULT_ADDR", &b.addr)
        .env("VAULT_TOKEN_FILE", &b.token_file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains(DSN) && !text.contains(TOKEN) && !text.contains(ROOT_TOKEN));
    }
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let dsn = &json["fields"][0];
    assert_eq!(dsn["field"], "dsn");
    assert_eq!(dsn["origin"]["kind"], "store");
    assert_eq!(dsn["origin"]["scheme"], "vault");
    assert_eq!(dsn["origin"]["reference"], "vault://secret/sentry#dsn");
    assert_eq!(dsn["origin"]["via"]["kind"], "env");
    assert_eq!(
        json["fields"][1]["origin"]["reference"],
        "vault://secret/sentry#auth_token"
    );

    // The text report names the store too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sentry-secrets"))
        .args(["check", "--no-dotenv"])
        .env_clear()
        .env("SENTRY_DSN", "vault://secret/sentry#dsn")
        .env("VAULT_ADDR", &b.addr)
        .env("VAULT_TOKEN_FILE", &b.token_file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("store vault://secret/sentry#dsn (via env SENTRY_DSN)"),
        "{text}"
    );

    // Without VAULT_ADDR the reference fails with a configuration error, not a panic.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sentry-secrets"))
        .args(["check", "--no-dotenv"])
        .env_clear()
        .env("SENTRY_DSN", "vault://secret/sentry#dsn")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("vault://secret/sentry#dsn") && err.contains("VAULT_ADDR"),
        "{err}"
    );
}

/// A DSN pasted after `#` or into an option by mistake is not quoted back by the errors.
#[test]
fn a_secret_pasted_into_a_field_or_option_is_not_quoted() {
    for r in [
        format!("vault://secret/sentry#{CANARY}@o1.ingest.sentry.io/42"),
        format!("vault://secret/sentry?{CANARY}@o1.ingest.sentry.io/42=1"),
    ] {
        let err = fetch(root(), &r).unwrap_err();
        assert_value_free(&err, CANARY);
    }
}

/// The Kubernetes auth method wants a cluster CA certificate even when it talks plain HTTP to
/// the (stand-in) API: a self-signed one, public data only (its key was discarded).
const K8S_TEST_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBrzCCAVWgAwIBAgIUO5kgqL0FlTEhMBsD7Od2fVQGEB4wCgYIKoZIzj0EAwIw\nLDEqMCgGA1UEAwwhc2VudHJ5LXNlY3JldHMgdGVzdCBrdWJlcm5ldGVzIENBMCAX\nDTI2MTIwNDE2MzUwOVoYDzIxMjYxMTEwMTYzNTA5WjAsMSowKAYDVQQDDCFzZW50\ncnktc2VjcmV0cyB0ZXN0IGt1YmVybmV0ZXMgQ0EwWTATBgcqhkjOPQIBBggqhkjO\nPQMBBwNCAAToTVWO+uvbBe2XhslEnLnY7qj05zmC9NCaunJ5HNZZcRV4KZimMJzk\nDRDEjLicTC04iIG6WE0F/f6OeC2B3ihpo1MwUTAdBgNVHQ4EFgQU40H96ZnIOQnW\nNPbyWqLfuUzSZo8wHwYDVR0jBBgwFoAU40H96ZnIOQnWNPbyWqLfuUzSZo8wDwYD\nVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA7iAmoE3oTlIq4y+LYCTA\ne/6lxMSn7ZLY677jyMf+5DECIFfswXu3BDX1s8qfAhMtBoO9KwdVPeN5n9GwQQUK\ncyEe\n-----END CERTIFICATE-----";

/// A service-account JWT of the shape Kubernetes mounts (not signed: OpenBao leaves the
/// verification to the TokenReview API, which the test stands in for).
fn service_account_jwt(namespace: &str, name: &str, uid: &str) -> String {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let claims = format!(
        r#"{{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:{namespace}:{name}","kubernetes.io/serviceaccount/namespace":"{namespace}","kubernetes.io/serviceaccount/service-account.name":"{name}","kubernetes.io/serviceaccount/service-account.uid":"{uid}"}}"#
    );
    format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(&claims),
        b64("not-a-real-signature")
    )
}

/// Kubernetes login against the real OpenBao, whose Kubernetes auth asks a stand-in
/// TokenReview API (the only piece of a cluster it needs) whether the JWT is valid.
#[test]
fn kubernetes_login_with_the_pods_jwt() {
    let (namespace, name, uid) = ("apps", "sentry", "5e3c0d1a-7b2f-4c8e-9a61-0f4b2d7c9e13");
    let review = format!(
        r#"{{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{{"authenticated":true,"user":{{"username":"system:serviceaccount:{namespace}:{name}","uid":"{uid}","groups":["system:serviceaccounts"]}}}}}}"#
    );
    let k8s_api = canned_peer(format!(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{review}",
        review.len()
    ));
    let b = bao();
    let cli = b.cli();
    cli.run(&["auth", "enable", "-path=k8s-test", "kubernetes"], None);
    cli.run(
        &[
            "write",
            "auth/k8s-test/config",
            &format!("kubernetes_host=http://127.0.0.1:{k8s_api}"),
            "disable_local_ca_jwt=true",
            &format!("kubernetes_ca_cert={K8S_TEST_CA}"),
        ],
        None,
    );
    cli.run(
        &[
            "write",
            "auth/k8s-test/role/sentry",
            &format!("bound_service_account_names={name}"),
            &format!("bound_service_account_namespaces={namespace}"),
            "token_policies=sentry-read",
            "token_ttl=20m",
        ],
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let jwt_file = dir.path().join("token");
    std::fs::write(&jwt_file, service_account_jwt(namespace, name, uid)).unwrap();
    std::fs::set_permissions(&jwt_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let kubernetes = |role: &str| VaultAuth::Kubernetes {
        role: role.into(),
        jwt_file: jwt_file.clone(),
        mount: "k8s-test".into(),
    };

    let p = VaultProvider::new(&b.addr).auth(kubernetes("sentry"));
    let got = fetch(p, "vault://secret/sentry#dsn").unwrap();
    assert_eq!(got.expose_secret(), DSN);

    // A role the service account is not bound to is refused.
    let p = VaultProvider::new(&b.addr).auth(kubernetes("no-such-role"));
    let err = fetch(p, "vault://secret/sentry#dsn").unwrap_err();
    assert_eq!(err.kind(), ProviderErrorKind::Forbidden, "{err}");
}
