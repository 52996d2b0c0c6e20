//! One OpenBao dev server per test binary, provisioned with the test data.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use super::{BAO_VERSION, ROOT_TOKEN, Server, free_port, spawn, tool, wait_http};

/// secret/sentry version 1 (project 7).
pub const DSN_V1: &str = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/7";
/// secret/sentry version 2, the current one (project 42).
pub const DSN: &str = "https://fedcba9876543210fedcba9876543210@o1.ingest.sentry.io/42";
/// secret/sentry's auth_token.
pub const TOKEN: &str = "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";
/// A value that must never appear in an error.
pub const CANARY: &str = "CANARY-bao-7d41c2e9";

pub struct Bao {
    pub server: Server,
    pub addr: String,
    pub bin: PathBuf,
    pub role_id: String,
    pub secret_id_file: PathBuf,
    pub token_file: PathBuf,
    /// A valid token whose policy allows nothing.
    pub powerless_token: String,
}

impl Bao {
    /// The `bao` command line, as root, against this server.
    pub fn cli(&self) -> Cli<'_> {
        Cli {
            bin: &self.bin,
            addr: &self.addr,
        }
    }
}

static BAO: OnceLock<Bao> = OnceLock::new();

/// The server, started and provisioned on first use.
pub fn bao() -> &'static Bao {
    BAO.get_or_init(start)
}

fn start() -> Bao {
    let bin = tool("bao", "SENTRY_SECRETS_TEST_BAO", BAO_VERSION);
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = spawn(
        "bao",
        &bin,
        &[
            "server".into(),
            "-dev".into(),
            format!("-dev-root-token-id={ROOT_TOKEN}"),
            format!("-dev-listen-address={listen}"),
            "-dev-no-store-token".into(),
        ],
        &[],
        port,
    );
    wait_http(
        &mut server,
        "/v1/sys/health",
        &[200],
        Duration::from_secs(60),
    );
    let addr = server.addr.clone();
    let cli = Cli {
        bin: &bin,
        addr: &addr,
    };

    cli.run(
        &[
            "kv",
            "put",
            "-mount=secret",
            "sentry",
            &format!("dsn={DSN_V1}"),
            &format!("auth_token={TOKEN}"),
        ],
        None,
    );
    cli.run(
        &[
            "kv",
            "put",
            "-mount=secret",
            "sentry",
            &format!("dsn={DSN}"),
            &format!("auth_token={TOKEN}"),
        ],
        None,
    );
    cli.run(
        &[
            "kv",
            "put",
            "-mount=secret",
            "single",
            &format!("value={DSN}"),
        ],
        None,
    );
    let canary = format!(r#"{{"dsn": "{CANARY}", "other": "{CANARY}", "number": 12}}"#);
    cli.run(
        &["kv", "put", "-mount=secret", "canary", "-"],
        Some(&canary),
    );
    cli.run(
        &["secrets", "enable", "-path=kv1", "-version=1", "kv"],
        None,
    );
    cli.run(
        &[
            "kv",
            "put",
            "-mount=kv1",
            "sentry",
            &format!("dsn={DSN}"),
            "ttl=30m",
        ],
        None,
    );

    cli.run(
        &["policy", "write", "sentry-read", "-"],
        Some(r#"path "secret/data/sentry" { capabilities = ["read"] }"#),
    );
    cli.run(&["auth", "enable", "approle"], None);
    cli.run(
        &[
            "write",
            "auth/approle/role/sentry",
            "token_policies=sentry-read",
            "token_ttl=20m",
        ],
        None,
    );
    let role_id = cli.run(
        &["read", "-field=role_id", "auth/approle/role/sentry/role-id"],
        None,
    );
    let secret_id = cli.run(
        &[
            "write",
            "-f",
            "-field=secret_id",
            "auth/approle/role/sentry/secret-id",
        ],
        None,
    );
    let powerless_token = cli.run(
        &["token", "create", "-policy=default", "-field=token"],
        None,
    );

    let dir = super::tools_dir().join(format!("bao-{port}"));
    fs::create_dir_all(&dir).expect("create the bao data directory");
    let secret_id_file = private_file(&dir.join("secret-id"), &secret_id);
    let token_file = private_file(&dir.join("token"), ROOT_TOKEN);
    Bao {
        server,
        addr,
        bin,
        role_id,
        secret_id_file,
        token_file,
        powerless_token,
    }
}

fn private_file(path: &Path, content: &str) -> PathBuf {
    fs::write(path, format!("{content}\n")).expect("write a credential file");
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).expect("chmod 600");
    path.to_owned()
}

pub struct Cli<'a> {
    bin: &'a Path,
    addr: &'a str,
}

impl Cli<'_> {
    /// Runs `bao args` as root against the server; returns its trimmed stdout.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> String {
        let mut child = Command::new(self.bin)
            .args(args)
            .env("BAO_ADDR", self.addr)
            .env("BAO_TOKEN", ROOT_TOKEN)
            .env("VAULT_ADDR", self.addr)
            .env("VAULT_TOKEN", ROOT_TOKEN)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run bao: {e}"));
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            use std::io::Write;
            pipe.write_all(input.as_bytes())
                .expect("write to bao's stdin");
        }
        let out = child.wait_with_output().expect("wait for bao");
        assert!(
            out.status.success(),
            "bao {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}
