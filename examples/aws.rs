//! A service that keeps its Sentry DSN in AWS Secrets Manager.
//!
//! The service is configured with `SENTRY_DSN=aws-sm://prod/sentry#dsn`: the `dsn` field of
//! the JSON secret `prod/sentry` (a console "key/value" secret). sentry-secrets fetches it
//! through the AWS SDK (its own credential chain and request signing), within the deadline,
//! checks it, starts Sentry, and prints the redacted report. The DSN itself is never
//! printed: the report shows its fingerprint.
//!
//! ```text
//! # Against AWS: the SDK's standard chain (AWS_REGION, AWS_PROFILE, environment
//! # credentials, web identity, ECS, IMDS; AWS_ENDPOINT_URL for a VPC endpoint).
//! AWS_REGION=eu-west-1 SENTRY_DSN=aws-sm://prod/sentry#dsn \
//!     cargo run --example aws --features aws
//!
//! # With none of AWS_ENDPOINT_URL, AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE set: the moto
//! # server the tests use (installed with pip into <target>/test-tools on the first run) and
//! # a freshly written secret.
//! cargo run --example aws --features aws
//! ```
//!
//! tests/examples.rs runs [`run_against_test_server`] the same way.

use std::error::Error;
use std::io::Write;

use sentry_secrets::secrecy::SecretString;
use sentry_secrets::{AwsSecretsManagerProvider, Loader, SentryConfig, fingerprint};

#[path = "../tests/support/mod.rs"]
mod support;

/// Where this service's DSN lives.
pub const DSN_REFERENCE: &str = "aws-sm://prod/sentry#dsn";

fn main() -> Result<(), Box<dyn Error>> {
    // Audit events (which reference, which store, how long; never values) go to stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let mut out = std::io::stdout().lock();
    // Real AWS needs no endpoint variable, so any of the usual settings counts as "configured".
    let configured = [
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some_and(|a| !a.is_empty()));
    if configured {
        run_against_your_aws(&mut out)
    } else {
        run_against_test_server(&mut out)
    }
}

/// The service as deployed: region, credentials and endpoint from the SDK's standard chain,
/// the reference from `SENTRY_DSN` ([`DSN_REFERENCE`] when it is not set).
pub fn run_against_your_aws(out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let mut loader = Loader::new();
    if std::env::var_os("SENTRY_DSN").is_none() && std::env::var_os("SENTRY_DSN_FILE").is_none() {
        loader = loader.var("SENTRY_DSN", DSN_REFERENCE);
    }
    let config = loader.resolve()?;
    serve(config, out)
}

/// Starts (once per process) the moto server from tests/support, writes a fresh DSN as the
/// current version of `prod/sentry` as an operator would, then resolves [`DSN_REFERENCE`] as
/// the service and checks that the key it got is the key that was written.
pub fn run_against_test_server(out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    writeln!(
        out,
        "No AWS configuration: using a local moto server (the tests' own)."
    )?;
    let moto = support::moto::moto();

    // The operator's side: `aws secretsmanager put-secret-value`, through the SDK. A throwaway
    // key, generated for this run.
    let key = random_key();
    let body = format!(r#"{{"dsn": "https://{key}@o0.ingest.example.invalid/42"}}"#);
    let client =
        aws_sdk_secretsmanager::Client::from_conf(support::moto::sdk_config(&moto.endpoint));
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(
            client
                .put_secret_value()
                .secret_id("prod/sentry")
                .secret_string(body)
                .send(),
        )?;
    writeln!(out, "Wrote prod/sentry on {}.", moto.endpoint)?;

    // The service's side. In production the SDK's chain supplies all of this; here the
    // endpoint, region and moto's dummy credentials are given in code, and `isolated()` keeps
    // this shell's own SENTRY_* variables out.
    let aws = AwsSecretsManagerProvider::new()
        .endpoint_url(&moto.endpoint)
        .region(support::moto::REGION)
        .credentials("test", SecretString::from("test"));
    let config = Loader::new()
        .isolated()
        .var("SENTRY_DSN", DSN_REFERENCE)
        .environment("example")
        .provider(aws)
        .resolve()?;

    let got = config.dsn().map(|d| d.key_fingerprint().to_owned());
    let written = fingerprint(&key);
    let matched = got.as_deref() == Some(written.as_str());
    writeln!(
        out,
        "Secrets Manager served key {} (written {written}) -> {}",
        got.as_deref().unwrap_or("(none)"),
        if matched { "match" } else { "MISMATCH" }
    )?;
    if !matched {
        return Err("the resolved key is not the one written".into());
    }
    serve(config, out)
}

/// What a service does once its configuration is resolved.
fn serve(config: SentryConfig, out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    writeln!(out, "\n{}", config.report())?;
    let _guard = config.init()?;
    writeln!(out, "Sentry is initialised; the service would run here.")?;
    Ok(())
}

/// 32 hex digits: the shape of a DSN public key.
fn random_key() -> String {
    use std::hash::{BuildHasher, RandomState};
    let a = RandomState::new().hash_one(std::time::SystemTime::now());
    let b = RandomState::new().hash_one(std::process::id());
    format!("{a:016x}{b:016x}")
}
