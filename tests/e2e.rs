//! End to end with a local Sentry stand-in: events arrive with the right key, the SDK never
//! reads `SENTRY_DSN` behind the loader's back, and `init` works from plain code and from
//! inside tokio runtimes.

use std::time::Duration;

use sentry_secrets::sentry::{self, Level};
use sentry_secrets::{Loader, Origin};

#[path = "support/jail.rs"]
mod jail;
#[path = "support/receiver.rs"]
mod receiver;

const KEY_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const KEY_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";

fn send_one(guard: &sentry_secrets::Guard) {
    sentry::capture_message("e2e", Level::Error);
    guard.flush(Duration::from_secs(5));
}

#[test]
fn event_arrives_with_the_right_key_from_a_file() {
    let mut jail = jail::Jail::new();
    let a = receiver::Receiver::start().unwrap();
    let b = receiver::Receiver::start().unwrap();
    // The real environment points at B; the loader's own (isolated) config at A through a
    // file. The SDK must not pick up SENTRY_DSN from the environment.
    jail.set("SENTRY_DSN", b.dsn(KEY_B));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dsn");
    std::fs::write(&file, a.dsn(KEY_A)).unwrap();
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let config = Loader::new()
        .isolated()
        .var("SENTRY_DSN_FILE", file.to_string_lossy())
        .release("e2e@1")
        .environment("test")
        .resolve()
        .unwrap();
    assert!(matches!(config.origin("dsn"), Some(Origin::VarFile { .. })));
    let guard = config.init().unwrap();
    assert!(guard.is_enabled());
    send_one(&guard);
    drop(guard);
    let got = a.wait(Duration::from_secs(5));
    assert!(!got.is_empty(), "receiver A got nothing");
    assert_eq!(got[0].sentry_key(), Some(KEY_A));
    assert_eq!(got[0].path, "/api/42/envelope/");
    let body = String::from_utf8_lossy(&got[0].body);
    assert!(body.contains("\"release\":\"e2e@1\"") && body.contains("\"environment\":\"test\""));
    assert!(
        b.wait(Duration::from_millis(300)).is_empty(),
        "the SDK read SENTRY_DSN itself"
    );
}

#[test]
fn disabled_means_no_client_even_with_sentry_dsn_in_the_environment() {
    let mut jail = jail::Jail::new();
    let b = receiver::Receiver::start().unwrap();
    jail.set("SENTRY_DSN", b.dsn(KEY_B));
    // A library with its own prefix: MYAPP_SENTRY_DSN is unset, so Sentry is disabled,
    // whatever SENTRY_DSN says.
    let guard = Loader::new().prefix("MYAPP_").no_dotenv().init().unwrap();
    assert!(!guard.is_enabled());
    assert!(
        sentry::Hub::current()
            .client()
            .is_none_or(|c| !c.is_enabled())
    );
    send_one(&guard);
    drop(guard);
    assert!(b.wait(Duration::from_millis(500)).is_empty());
}

#[test]
fn custom_prefix_and_dist() {
    let _jail = jail::Jail::new();
    let a = receiver::Receiver::start().unwrap();
    let guard = Loader::new()
        .isolated()
        .prefix("MYAPP_")
        .var("MYAPP_SENTRY_DSN", a.dsn(KEY_A))
        .var("MYAPP_SENTRY_DIST", "x86_64")
        .init()
        .unwrap();
    send_one(&guard);
    drop(guard);
    let got = a.wait(Duration::from_secs(5));
    assert_eq!(got.first().and_then(|r| r.sentry_key()), Some(KEY_A));
    assert!(String::from_utf8_lossy(&got[0].body).contains("\"dist\":\"x86_64\""));
}

#[test]
fn init_inside_a_multi_thread_tokio_runtime() {
    let _jail = jail::Jail::new();
    let a = receiver::Receiver::start().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dsn = a.dsn(KEY_A);
    rt.block_on(async move {
        let guard = Loader::new()
            .isolated()
            .var("SENTRY_DSN", dsn)
            .init()
            .unwrap();
        send_one(&guard);
    });
    let got = a.wait(Duration::from_secs(5));
    assert_eq!(got.first().and_then(|r| r.sentry_key()), Some(KEY_A));
}

#[test]
fn init_inside_a_current_thread_tokio_runtime() {
    let _jail = jail::Jail::new();
    let a = receiver::Receiver::start().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dsn = a.dsn(KEY_A);
    rt.block_on(async move {
        let guard = Loader::new()
            .isolated()
            .var("SENTRY_DSN", dsn)
            .init()
            .unwrap();
        send_one(&guard);
    });
    let got = a.wait(Duration::from_secs(5));
    assert_eq!(got.first().and_then(|r| r.sentry_key()), Some(KEY_A));
}
