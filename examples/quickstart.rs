//! Quickstart: resolve the Sentry configuration through sentry-secrets, start Sentry, send
//! one event, and print the redacted report.
//!
//! With no configuration it runs on an embedded default: a small Sentry stand-in on
//! 127.0.0.1 and a freshly generated DSN in a 0600 file, read back through
//! `SENTRY_DSN_FILE` like a mounted secret. Given a real `SENTRY_DSN` (or
//! `SENTRY_DSN_FILE`, a credential, a `.env` entry or a store reference) it sends there.
//!
//! ```text
//! cargo run --example quickstart
//! ```

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::time::Duration;

use sentry_secrets::{Loader, fingerprint};

#[path = "../tests/support/receiver.rs"]
mod receiver;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Audit events (metadata only, never values) go to stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(true)
        .init();

    let configured = Loader::new().resolve()?;
    if configured.is_enabled() {
        println!("Using the configured DSN.");
        let report = configured.report();
        let _guard = configured.init()?;
        let id = sentry_secrets::sentry::capture_message(
            "sentry-secrets quickstart",
            sentry_secrets::sentry::Level::Info,
        );
        println!("Sent event {id}.\n\n{report}");
        return Ok(());
    }

    // The embedded default: a local receiver and a generated DSN in a 0600 file.
    let receiver = receiver::Receiver::start()?;
    let key = receiver::random_key();
    let dir = tempfile::tempdir()?;
    let dsn_file = dir.path().join("sentry_dsn");
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&dsn_file)?
        .write_all(receiver.dsn(&key).as_bytes())?;
    println!(
        "No DSN configured: using a local Sentry stand-in on 127.0.0.1:{}",
        receiver.port
    );

    let config = Loader::new()
        .var("SENTRY_DSN_FILE", dsn_file.to_string_lossy())
        .environment("quickstart")
        .release(concat!("quickstart@", env!("CARGO_PKG_VERSION")))
        .resolve()?;
    let expected = config.dsn().map(|d| d.key_fingerprint().to_owned());
    let report = config.report();

    let guard = config.init()?;
    let id = sentry_secrets::sentry::capture_message(
        "hello from the sentry-secrets quickstart",
        sentry_secrets::sentry::Level::Info,
    );
    guard.flush(Duration::from_secs(5));

    let got = receiver.wait(Duration::from_secs(5));
    let Some(first) = got.first() else {
        return Err("the local receiver got no event".into());
    };
    let received = first.sentry_key().map(fingerprint);
    println!(
        "Event {id} received at {}: key {} (expected {}) -> {}",
        first.path,
        received.as_deref().unwrap_or("(none)"),
        expected.as_deref().unwrap_or("(none)"),
        if received == expected {
            "match"
        } else {
            "MISMATCH"
        }
    );
    println!("\n{report}");
    if received != expected {
        return Err("the receiver got a different key".into());
    }
    Ok(())
}
