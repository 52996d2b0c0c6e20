//! One moto server (AWS Secrets Manager) per test binary, provisioned with the test data.

use std::sync::OnceLock;
use std::time::Duration;

use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_secretsmanager::primitives::Blob;

use super::{MOTO_VERSION, Server, free_port, spawn, tool, wait_http};

/// prod/sentry's first version (project 7), now AWSPREVIOUS.
pub const DSN_V1: &str = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/7";
/// prod/sentry's current version (project 42).
pub const DSN: &str = "https://fedcba9876543210fedcba9876543210@o1.ingest.sentry.io/42";
pub const TOKEN: &str = "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";
/// The version id of prod/sentry's first version.
pub const VERSION_ID_V1: &str = "11111111-2222-3333-4444-555555555555";
pub const CANARY: &str = "CANARY-moto-3b9a60f1";
pub const REGION: &str = "us-east-1";

pub struct Moto {
    pub server: Server,
    pub endpoint: String,
}

static MOTO: OnceLock<Moto> = OnceLock::new();

/// The server, started and provisioned on first use.
pub fn moto() -> &'static Moto {
    MOTO.get_or_init(start)
}

fn start() -> Moto {
    let bin = tool("moto_server", "SENTRY_SECRETS_TEST_MOTO", MOTO_VERSION);
    let port = free_port();
    let mut server = spawn(
        "moto",
        &bin,
        &[
            "-H".into(),
            "127.0.0.1".into(),
            "-p".into(),
            port.to_string(),
        ],
        &[],
        port,
    );
    wait_http(&mut server, "/moto-api/", &[200], Duration::from_secs(90));
    let endpoint = server.addr.clone();
    let ep = endpoint.clone();
    // The SDK is async; provision on a thread of its own so that this works from inside a
    // test's tokio runtime too.
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for provisioning")
            .block_on(provision(&ep));
    })
    .join()
    .expect("provisioning moto failed");
    Moto { server, endpoint }
}

pub fn sdk_config(endpoint: &str) -> aws_sdk_secretsmanager::Config {
    aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .build()
}

async fn provision(endpoint: &str) {
    let c = aws_sdk_secretsmanager::Client::from_conf(sdk_config(endpoint));
    let json = |dsn: &str| format!(r#"{{"dsn":"{dsn}","auth_token":"{TOKEN}"}}"#);
    c.create_secret()
        .name("prod/sentry")
        .client_request_token(VERSION_ID_V1)
        .secret_string(json(DSN_V1))
        .send()
        .await
        .expect("create prod/sentry");
    c.put_secret_value()
        .secret_id("prod/sentry")
        .secret_string(json(DSN))
        .send()
        .await
        .expect("put prod/sentry v2");
    c.create_secret()
        .name("plain/dsn")
        .secret_string(DSN)
        .send()
        .await
        .expect("create plain/dsn");
    c.create_secret()
        .name("binary/dsn")
        .secret_binary(Blob::new(DSN.as_bytes()))
        .send()
        .await
        .expect("create binary/dsn");
    c.create_secret()
        .name("canary/json")
        .secret_string(format!(r#"{{"dsn":"{CANARY}","n":{{"x":"{CANARY}"}}}}"#))
        .send()
        .await
        .expect("create canary/json");
    c.create_secret()
        .name("canary/plain")
        .secret_string(format!("{CANARY} not json"))
        .send()
        .await
        .expect("create canary/plain");
}
