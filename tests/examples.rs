//! The examples, run as tests.
//!
//! A test cannot `cargo run --example` (cargo holds the build lock while tests run), so each
//! example file is compiled into this test binary as a module and its demo path is called:
//! the same code `cargo run --example <name>` runs when no store is configured, against the
//! same servers the store tests use (see tests/support). Each example brings its own copy of
//! tests/support, so each starts only the server it needs.
//!
//! What is checked: the example succeeds (it fails itself when the key it resolved is not
//! the key it wrote), and nothing it prints looks like a DSN key.

// Each store example includes tests/support itself (that is what lets it run on its own), so
// with both features on, the support files are compiled in twice, once per example. That is
// intended: each copy holds only the server its example uses.
#![allow(clippy::duplicate_mod)]

#[cfg(feature = "aws")]
#[allow(dead_code)]
#[path = "../examples/aws.rs"]
mod aws_example;
#[allow(dead_code)]
#[path = "../examples/custom_provider.rs"]
mod custom_provider_example;
#[cfg(feature = "vault")]
#[allow(dead_code)]
#[path = "../examples/vault.rs"]
mod vault_example;

/// An example's entry point: writes what it would print to `out`.
type Demo = fn(&mut dyn std::io::Write) -> Result<(), Box<dyn std::error::Error>>;

/// Runs an example's demo and returns what it printed, failing with its error.
fn run(demo: Demo) -> String {
    let mut out = Vec::new();
    let result = demo(&mut out);
    let out = String::from_utf8(out).expect("the example prints UTF-8");
    if let Err(e) = result {
        panic!("the example failed: {e}\n--- its output ---\n{out}");
    }
    out
}

/// A DSN public key is 32 hex digits; fingerprints are 8. No run of 32 may be printed.
fn assert_no_key(out: &str) {
    let longest = out
        .split(|c: char| !c.is_ascii_hexdigit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(
        longest < 32,
        "something shaped like a DSN key was printed:\n{out}"
    );
}

fn assert_resolved(out: &str, origin: &str) {
    assert!(out.contains("-> match"), "{out}");
    assert!(
        out.contains(origin),
        "the report does not show {origin}:\n{out}"
    );
    assert!(
        out.contains("fp:"),
        "the report shows no fingerprint:\n{out}"
    );
    assert_no_key(out);
}

#[cfg(feature = "vault")]
#[test]
fn vault_example_against_openbao() {
    let out = run(vault_example::run_against_test_server);
    assert_resolved(&out, vault_example::DSN_REFERENCE);
}

#[cfg(feature = "aws")]
#[test]
fn aws_example_against_moto() {
    let out = run(aws_example::run_against_test_server);
    assert_resolved(&out, aws_example::DSN_REFERENCE);
}

#[test]
fn custom_provider_example() {
    let out = run(custom_provider_example::run);
    assert_resolved(&out, "sidecar://sentry/dsn");
    assert!(
        out.contains("sidecar://sentry/nope") && out.contains("not found"),
        "{out}"
    );
}
