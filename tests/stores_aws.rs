//! `aws-sm://` against a real moto server (started by the suite; see tests/support).

mod support;

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use sentry_secrets::{
    AwsSecretsManagerProvider, FetchContext, ProviderError, ProviderErrorKind, Registry,
    SecretProvider, SecretRef,
};
use support::moto::{CANARY, DSN, DSN_V1, REGION, TOKEN, VERSION_ID_V1, moto};
use support::{assert_value_free, canned_peer, closed_port, silent_peer};

fn provider_at(endpoint: &str) -> AwsSecretsManagerProvider {
    AwsSecretsManagerProvider::new()
        .endpoint_url(endpoint)
        .region(REGION)
        .credentials("test", SecretString::from("test"))
}

fn moto_provider() -> AwsSecretsManagerProvider {
    provider_at(&moto().endpoint)
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
fn dsn_and_token_from_json_fields() {
    assert_eq!(
        fetch(moto_provider(), "aws-sm://prod/sentry#dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
    assert_eq!(
        fetch(moto_provider(), "aws-sm://prod/sentry#auth_token")
            .unwrap()
            .expose_secret(),
        TOKEN
    );
}

#[test]
fn plain_string_and_binary_secrets() {
    assert_eq!(
        fetch(moto_provider(), "aws-sm://plain/dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
    assert_eq!(
        fetch(moto_provider(), "aws-sm://binary/dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
}

#[test]
fn versions_by_stage_and_id() {
    assert_eq!(
        fetch(
            moto_provider(),
            "aws-sm://prod/sentry#dsn?version-stage=AWSPREVIOUS"
        )
        .unwrap()
        .expose_secret(),
        DSN_V1
    );
    assert_eq!(
        fetch(
            moto_provider(),
            &format!("aws-sm://prod/sentry#dsn?version-id={VERSION_ID_V1}")
        )
        .unwrap()
        .expose_secret(),
        DSN_V1
    );
    assert_eq!(
        fetch(
            moto_provider(),
            "aws-sm://prod/sentry#dsn?version-stage=AWSCURRENT"
        )
        .unwrap()
        .expose_secret(),
        DSN
    );
}

#[test]
fn by_arn() {
    let arn = std::thread::spawn(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let c = aws_sdk_secretsmanager::Client::from_conf(support::moto::sdk_config(
                    &moto().endpoint,
                ));
                let d = c
                    .describe_secret()
                    .secret_id("plain/dsn")
                    .send()
                    .await
                    .unwrap();
                d.arn().unwrap().to_owned()
            })
    })
    .join()
    .unwrap();
    assert_eq!(
        fetch(moto_provider(), &format!("aws-sm://{arn}"))
            .unwrap()
            .expose_secret(),
        DSN
    );
}

#[test]
fn missing_secret_and_missing_field() {
    let e = fetch(moto_provider(), "aws-sm://prod/nope#dsn").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::NotFound, "{e}");
    let e = fetch(moto_provider(), "aws-sm://canary/json#nope").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::MissingField, "{e}");
    assert_value_free(&e, CANARY);
    let e = fetch(moto_provider(), "aws-sm://canary/json#n").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Malformed, "{e}");
    assert_value_free(&e, CANARY);
    // A field of a secret that is not JSON: malformed, and the parser's message is dropped.
    let e = fetch(moto_provider(), "aws-sm://canary/plain#dsn").unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Malformed, "{e}");
    assert_value_free(&e, CANARY);
    let e = fetch(
        moto_provider(),
        "aws-sm://prod/sentry#dsn?version-id=nope-nope-nope-nope-nope-nope-nope-nope",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::NotFound, "{e}");
}

#[test]
fn server_down_is_unreachable_within_the_deadline() {
    let p = provider_at(&format!("http://127.0.0.1:{}", closed_port()));
    let c = FetchContext::new(
        Instant::now() + Duration::from_secs(3),
        Duration::from_secs(1),
    );
    let started = Instant::now();
    let e = fetch_with(p, "aws-sm://prod/sentry#dsn", &c).unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Unreachable, "{e}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn silent_peer_cannot_hold_past_the_deadline() {
    let p = provider_at(&format!("http://127.0.0.1:{}", silent_peer()));
    let c = FetchContext::new(
        Instant::now() + Duration::from_millis(1500),
        Duration::from_secs(30),
    );
    let started = Instant::now();
    let e = fetch_with(p, "aws-sm://prod/sentry#dsn", &c).unwrap_err();
    assert_eq!(e.kind(), ProviderErrorKind::Timeout, "{e}");
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
}

fn http(status: &str, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn malformed_and_failing_responses_are_value_free() {
    let cases = [
        (
            http("200 OK", "", &format!(r#"{{"SecretString": "{CANARY}"#)),
            ProviderErrorKind::Malformed,
        ),
        (
            http("200 OK", "", &format!("{CANARY} not json")),
            ProviderErrorKind::Malformed,
        ),
        (
            http(
                "400 Bad Request",
                "X-Amzn-ErrorType: AccessDeniedException\r\n",
                &format!(r#"{{"__type": "AccessDeniedException", "message": "{CANARY}"}}"#),
            ),
            ProviderErrorKind::Forbidden,
        ),
        (
            http(
                "400 Bad Request",
                "",
                &format!(r#"{{"__type": "ThrottlingException", "message": "{CANARY}"}}"#),
            ),
            ProviderErrorKind::Transient,
        ),
        (
            http("503 Service Unavailable", "", CANARY),
            ProviderErrorKind::Transient,
        ),
    ];
    for (response, kind) in cases {
        let port = canned_peer(response);
        let e = fetch(
            provider_at(&format!("http://127.0.0.1:{port}")),
            "aws-sm://prod/sentry#dsn",
        )
        .unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        assert_value_free(&e, CANARY);
    }
}

#[test]
fn bad_references() {
    for r in ["aws-sm://prod/sentry?stage=AWSCURRENT", "aws-sm://-x"] {
        assert_eq!(
            fetch(moto_provider(), r).unwrap_err().kind(),
            ProviderErrorKind::BadReference,
            "{r}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn works_inside_a_multi_thread_runtime() {
    assert_eq!(
        fetch(moto_provider(), "aws-sm://prod/sentry#dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
}

#[tokio::test(flavor = "current_thread")]
async fn works_inside_a_current_thread_runtime() {
    assert_eq!(
        fetch(moto_provider(), "aws-sm://prod/sentry#dsn")
            .unwrap()
            .expose_secret(),
        DSN
    );
}

// ---- Through the loader, as `init()` resolves -------------------------------------------

mod loader {
    use super::*;
    use sentry_secrets::{Error, Loader, Origin};

    #[test]
    fn dsn_and_token_from_secrets_manager_with_provenance() {
        let config = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "aws-sm://prod/sentry#dsn")
            .var("SENTRY_AUTH_TOKEN", "aws-sm://prod/sentry#auth_token")
            .provider(moto_provider())
            .resolve()
            .unwrap();
        assert_eq!(config.dsn().unwrap().project_id(), "42");
        assert!(config.auth_token().is_some());
        assert!(matches!(
            config.origin("auth_token"),
            Some(Origin::Store { scheme, reference, .. })
                if scheme == "aws-sm" && reference == "aws-sm://prod/sentry#auth_token"
        ));
    }

    #[test]
    fn previous_version_through_the_loader() {
        let config = Loader::new()
            .isolated()
            .var(
                "SENTRY_DSN",
                "aws-sm://prod/sentry#dsn?version-stage=AWSPREVIOUS",
            )
            .provider(moto_provider())
            .resolve()
            .unwrap();
        assert_eq!(config.dsn().unwrap().project_id(), "7");
    }

    #[test]
    fn missing_secret_names_the_reference() {
        let e = Loader::new()
            .isolated()
            .var("SENTRY_DSN", "aws-sm://prod/nope#dsn")
            .provider(moto_provider())
            .resolve()
            .unwrap_err();
        assert!(
            matches!(&e, Error::Provider { key, reference, source }
                if key == "SENTRY_DSN" && reference == "aws-sm://prod/nope#dsn"
                    && source.kind() == ProviderErrorKind::NotFound),
            "{e:?}"
        );
    }
}

/// `sentry-secrets check` with the built-in registry and the standard AWS variables.
#[cfg(feature = "cli")]
#[test]
fn cli_check_shows_the_store_origin() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sentry-secrets"))
        .args(["check", "--json", "--no-dotenv"])
        .env_clear()
        .env("SENTRY_DSN", "aws-sm://plain/dsn")
        .env("SENTRY_AUTH_TOKEN", "aws-sm://prod/sentry#auth_token")
        .env("AWS_ENDPOINT_URL", &moto().endpoint)
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(!stdout.contains(DSN) && !stdout.contains(TOKEN) && !stderr.contains(DSN));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["fields"][0]["origin"]["kind"], "store");
    assert_eq!(
        json["fields"][0]["origin"]["reference"],
        "aws-sm://plain/dsn"
    );
    assert_eq!(json["fields"][1]["origin"]["scheme"], "aws-sm");
}

/// A credential chain that finds nothing is a configuration error: reported as such, at
/// once, and not retried as if the network had failed.
#[test]
fn no_credentials_is_a_config_error_not_retried() {
    let provider = AwsSecretsManagerProvider::new()
        .endpoint_url(moto().endpoint.clone())
        .region(REGION)
        .profile("sentry-secrets-test-no-such-profile");
    let err = fetch(provider, "aws-sm://prod/sentry#dsn").unwrap_err();
    assert_eq!(err.kind(), ProviderErrorKind::Config, "{err}");
    assert!(err.to_string().contains("credentials"), "{err}");
}
