//! `vault://` references: Vault and OpenBao KV secrets engines, through `vaultrs`.

use std::env;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use vaultrs::client::{Client, VaultClient, VaultClientSettingsBuilder};
use vaultrs::error::ClientError;
use zeroize::Zeroize;

use super::detail::BackendDetail;
use super::{FetchContext, Fetched, ProviderError, ProviderErrorKind, SecretProvider, SecretRef};
use crate::policy::FilePolicy;
use crate::secret::into_secret;
use crate::source::file::read_secret;

const BACKEND: &str = "vault";
/// Where Kubernetes mounts the service-account token.
pub const DEFAULT_K8S_JWT_FILE: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/// How the provider authenticates to Vault or OpenBao.
///
/// Secrets used to log in are read from files with the crate's hardened read (regular file,
/// bounded, not world-writable), at fetch time, so a rotated file is picked up.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum VaultAuth {
    /// A token given in code.
    Token(SecretString),
    /// A token read from a file (for example a Vault Agent sink).
    TokenFile(PathBuf),
    /// AppRole login: a role id and a secret id read from a file.
    AppRole {
        /// The role id (not a secret on its own).
        role_id: String,
        /// The file holding the secret id.
        secret_id_file: PathBuf,
        /// The auth mount, `approle` by default.
        mount: String,
    },
    /// Kubernetes login: a role and the pod's service-account JWT.
    Kubernetes {
        /// The Vault role bound to the service account.
        role: String,
        /// The JWT file, [`DEFAULT_K8S_JWT_FILE`] by default.
        jwt_file: PathBuf,
        /// The auth mount, `kubernetes` by default.
        mount: String,
    },
}

impl VaultAuth {
    /// A token given in code.
    pub fn token(token: SecretString) -> Self {
        VaultAuth::Token(token)
    }

    /// A token read from `path` at fetch time.
    pub fn token_file(path: impl Into<PathBuf>) -> Self {
        VaultAuth::TokenFile(path.into())
    }

    /// AppRole login at the default `approle` mount.
    pub fn approle(role_id: impl Into<String>, secret_id_file: impl Into<PathBuf>) -> Self {
        VaultAuth::AppRole {
            role_id: role_id.into(),
            secret_id_file: secret_id_file.into(),
            mount: "approle".into(),
        }
    }

    /// Kubernetes login at the default `kubernetes` mount with the pod's own JWT.
    pub fn kubernetes(role: impl Into<String>) -> Self {
        VaultAuth::Kubernetes {
            role: role.into(),
            jwt_file: DEFAULT_K8S_JWT_FILE.into(),
            mount: "kubernetes".into(),
        }
    }
}

/// Serves `vault://<mount>/<path>[#field][?version=N][?kv=1]` from Vault or OpenBao.
///
/// - The first path segment is the KV mount (`secret` in `vault://secret/sentry#dsn`), the
///   rest the secret's path.
/// - KV v2 by default; `?version=N` reads an older version; `?kv=1` reads a KV v1 mount, whose
///   lease duration becomes the cache TTL.
/// - `#field` picks a key of the secret. It may be left out when the secret has exactly one
///   key; with several keys it is required.
///
/// Configure it in code with [`VaultProvider::new`], or from the environment with
/// [`VaultProvider::from_env`] (what [`Registry::with_builtin`](crate::Registry::with_builtin)
/// registers when the `vault` feature is on).
///
/// ```no_run
/// use sentry_secrets::{Registry, VaultAuth, VaultProvider};
///
/// let vault = VaultProvider::new("https://vault.internal:8200")
///     .namespace("platform")
///     .ca_cert("/etc/ssl/vault-ca.pem")
///     .auth(VaultAuth::approle("3c9d...", "/run/secrets/vault-secret-id"));
/// let mut registry = Registry::with_builtin();
/// registry.register(vault);
/// ```
///
/// `vaultrs` holds the token in plain `String`s while a request runs, and the response body
/// in its own buffers; the value this provider returns is in a [`SecretString`] and the
/// parsed response is wiped.
#[derive(Debug)]
pub struct VaultProvider {
    config: Result<VaultConfig, String>,
    file_policy: Option<FilePolicy>,
    login: Arc<Mutex<Option<LoginToken>>>,
}

#[derive(Debug, Clone)]
struct VaultConfig {
    address: String,
    namespace: Option<String>,
    ca_cert: Option<PathBuf>,
    auth: Option<VaultAuth>,
}

#[derive(Debug)]
struct LoginToken {
    token: SecretString,
    renew_after: Instant,
}

impl VaultProvider {
    /// A provider for the server at `address` (`https://host:8200`). Set the credentials with
    /// [`auth`](Self::auth).
    pub fn new(address: impl Into<String>) -> Self {
        VaultProvider {
            config: Ok(VaultConfig {
                address: address.into(),
                namespace: None,
                ca_cert: None,
                auth: None,
            }),
            file_policy: None,
            login: Arc::default(),
        }
    }

    /// A provider configured from the standard variables. A missing or wrong setting is not
    /// an error here: it is reported as [`ProviderErrorKind::Config`] when a `vault://`
    /// reference is fetched, so services that use no Vault reference are not affected.
    ///
    /// | variable | meaning |
    /// | --- | --- |
    /// | `VAULT_ADDR` (or `BAO_ADDR`) | server address, required |
    /// | `VAULT_NAMESPACE` (or `BAO_NAMESPACE`) | namespace (Vault Enterprise, OpenBao) |
    /// | `VAULT_CACERT` (or `BAO_CACERT`) | PEM file with the CA to trust |
    /// | `VAULT_TOKEN` (or `BAO_TOKEN`) | token auth |
    /// | `VAULT_TOKEN_FILE` | token auth, token read from this file |
    /// | `VAULT_ROLE_ID` + `VAULT_SECRET_ID_FILE` [+ `VAULT_APPROLE_MOUNT`] | AppRole auth |
    /// | `VAULT_K8S_ROLE` [+ `VAULT_K8S_JWT_FILE`, `VAULT_K8S_MOUNT`] | Kubernetes auth |
    ///
    /// The first auth whose variables are set wins, in the order of the table. With none,
    /// the token the CLI keeps in `~/.vault-token` is used if that file exists.
    pub fn from_env() -> Self {
        VaultProvider {
            config: config_from_env(),
            file_policy: None,
            login: Arc::default(),
        }
    }

    /// Sets the namespace (`X-Vault-Namespace`).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        if let Ok(c) = &mut self.config {
            c.namespace = Some(namespace.into());
        }
        self
    }

    /// Trusts the CA certificates in the PEM file at `path` (for `https://` addresses).
    pub fn ca_cert(mut self, path: impl Into<PathBuf>) -> Self {
        if let Ok(c) = &mut self.config {
            c.ca_cert = Some(path.into());
        }
        self
    }

    /// Sets how to authenticate.
    pub fn auth(mut self, auth: VaultAuth) -> Self {
        if let Ok(c) = &mut self.config {
            c.auth = Some(auth);
        }
        *self.lock_login() = None;
        self
    }

    /// The policy applied to token, secret-id and JWT files, whatever the loader's policy
    /// (by default, the loader's [`Policy::files`](crate::Policy::files)).
    pub fn file_policy(mut self, policy: FilePolicy) -> Self {
        self.file_policy = Some(policy);
        self
    }

    fn lock_login(&self) -> std::sync::MutexGuard<'_, Option<LoginToken>> {
        self.login.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The token to send, or the login to perform first.
    fn credential(
        &self,
        auth: &VaultAuth,
        files: &FilePolicy,
    ) -> Result<Credential, ProviderError> {
        let files = self.file_policy.as_ref().unwrap_or(files);
        if let Some(t) = self.lock_login().as_ref() {
            if Instant::now() < t.renew_after {
                return Ok(Credential::Token(t.token.clone()));
            }
        }
        let read = |what: &str, path: &Path| {
            read_secret(what, path, files).map_err(|e| {
                let mut err = ProviderError::new(
                    ProviderErrorKind::Config,
                    format!("vault: {what} file {}: {}", e.path.display(), e.kind),
                );
                if let Some(src) = e.source {
                    err = err.with_source(src);
                }
                err
            })
        };
        Ok(match auth {
            VaultAuth::Token(t) => Credential::Token(t.clone()),
            VaultAuth::TokenFile(p) => Credential::Token(read("token", p)?),
            VaultAuth::AppRole {
                role_id,
                secret_id_file,
                mount,
            } => Credential::Login(Login::AppRole {
                mount: mount.clone(),
                role_id: role_id.clone(),
                secret_id: read("secret id", secret_id_file)?,
            }),
            VaultAuth::Kubernetes {
                role,
                jwt_file,
                mount,
            } => Credential::Login(Login::Kubernetes {
                mount: mount.clone(),
                role: role.clone(),
                jwt: read("service-account JWT", jwt_file)?,
            }),
        })
    }
}

enum Credential {
    Token(SecretString),
    Login(Login),
}

enum Login {
    AppRole {
        mount: String,
        role_id: String,
        secret_id: SecretString,
    },
    Kubernetes {
        mount: String,
        role: String,
        jwt: SecretString,
    },
}

/// What a reference asks for.
#[derive(Debug, Clone)]
struct KvRequest {
    mount: String,
    path: String,
    field: Option<String>,
    kv1: bool,
    version: Option<u64>,
}

impl KvRequest {
    fn parse(r: &SecretRef) -> Result<Self, ProviderError> {
        let bad = |msg: &str| ProviderError::new(ProviderErrorKind::BadReference, msg.to_owned());
        let (mount, path) = r
            .location()
            .split_once('/')
            .ok_or_else(|| bad("expected vault://<mount>/<path>"))?;
        let path = path.trim_end_matches('/');
        if mount.is_empty() || path.is_empty() {
            return Err(bad("expected vault://<mount>/<path>"));
        }
        let segment_ok = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.bytes().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(
                            b,
                            b'-' | b'_' | b'.' | b'@' | b'+' | b'=' | b',' | b':' | b'~'
                        )
                })
        };
        if !segment_ok(mount) || !path.split('/').all(segment_ok) {
            return Err(bad(
                "the path may hold only letters, digits and - _ . @ + = , : ~ between slashes",
            ));
        }
        let mut req = KvRequest {
            mount: mount.to_owned(),
            path: path.to_owned(),
            field: r.field().map(str::to_owned),
            kv1: false,
            version: None,
        };
        for (k, v) in r.options() {
            match k {
                "kv" if v == "1" => req.kv1 = true,
                "kv" if v == "2" => req.kv1 = false,
                "kv" => return Err(bad("kv must be 1 or 2")),
                "version" => match v.parse::<u64>() {
                    Ok(n) if n > 0 => req.version = Some(n),
                    _ => return Err(bad("version must be a positive integer")),
                },
                _ => {
                    return Err(ProviderError::new(
                        ProviderErrorKind::BadReference,
                        format!(
                            "unknown option `{}` (known: version, kv)",
                            super::reference::shown(k)
                        ),
                    ));
                }
            }
        }
        if req.kv1 && req.version.is_some() {
            return Err(bad("KV v1 has no versions"));
        }
        Ok(req)
    }
}

impl SecretProvider for VaultProvider {
    fn scheme(&self) -> &str {
        "vault"
    }

    fn fetch(&self, reference: &SecretRef, ctx: &FetchContext) -> Result<Fetched, ProviderError> {
        let config = self
            .config
            .as_ref()
            .map_err(|msg| ProviderError::new(ProviderErrorKind::Config, msg.clone()))?
            .clone();
        let request = KvRequest::parse(reference)?;
        let auth = config.auth.as_ref().ok_or_else(|| {
            ProviderError::new(
                ProviderErrorKind::Config,
                "vault: no credentials (set VAULT_TOKEN, VAULT_TOKEN_FILE, VAULT_ROLE_ID + \
                 VAULT_SECRET_ID_FILE or VAULT_K8S_ROLE)",
            )
        })?;
        let credential = self.credential(auth, ctx.file_policy())?;
        let answer =
            super::runtime::block_on(BACKEND, ctx, move || read_kv(config, credential, request))?;
        if let Some((token, lease)) = answer.login {
            // Kept even when the read failed, so that a retry does not log in again (each
            // login may use up a secret id). Renewed well before it expires; a lease too
            // large to represent is held for a day at most.
            let renew_for = lease.mul_f64(0.8).min(Duration::from_secs(86_400));
            let renew_after = Instant::now() + renew_for;
            *self.lock_login() = Some(LoginToken { token, renew_after });
        }
        let (value, lease) = answer.read.inspect_err(|e| {
            // A login token the server now refuses (revoked, policy changed) is dropped, so
            // that the next fetch logs in again.
            if e.kind() == ProviderErrorKind::Forbidden {
                *self.lock_login() = None;
            }
        })?;
        let fetched = Fetched::new(value);
        Ok(match lease {
            Some(ttl) => fetched.with_ttl(ttl),
            None => fetched,
        })
    }
}

/// What one fetch brings back: a login token (when it logged in), kept even when the read
/// that follows fails, and the read's outcome.
struct Answer {
    login: Option<(SecretString, Duration)>,
    read: Result<(SecretString, Option<Duration>), ProviderError>,
}

async fn read_kv(
    config: VaultConfig,
    credential: Credential,
    req: KvRequest,
) -> Result<Answer, ProviderError> {
    let token = match &credential {
        Credential::Token(t) => {
            check_header_safe(t.expose_secret(), "token")?;
            t.expose_secret()
        }
        Credential::Login(_) => "",
    };
    let mut client = client(&config, token)?;
    let mut login = None;
    if let Credential::Login(l) = &credential {
        let result = match l {
            Login::AppRole {
                mount,
                role_id,
                secret_id,
            } => {
                vaultrs::auth::approle::login(&client, mount, role_id, secret_id.expose_secret())
                    .await
            }
            Login::Kubernetes { mount, role, jwt } => {
                vaultrs::auth::kubernetes::login(&client, mount, role, jwt.expose_secret()).await
            }
        };
        let mut info = result.map_err(|e| map_error(e, Stage::Login))?;
        check_header_safe(&info.client_token, "login token")?;
        client.set_token(&info.client_token);
        let lease = Duration::from_secs(info.lease_duration.max(60));
        login = Some((into_secret(std::mem::take(&mut info.client_token)), lease));
        info.accessor.zeroize();
    }
    let read = read_secret_data(&client, &req).await;
    // The client holds the token as a plain String: clear it before the client is dropped.
    client.set_token("");
    Ok(Answer { login, read })
}

/// Reads the secret `req` names and selects its field.
async fn read_secret_data(
    client: &VaultClient,
    req: &KvRequest,
) -> Result<(SecretString, Option<Duration>), ProviderError> {
    let (data, lease) = if req.kv1 {
        let mut raw = vaultrs::kv1::get_raw(client, &req.mount, &req.path)
            .await
            .map_err(|e| map_error(e, Stage::Read))?;
        let lease = u64::try_from(raw.lease_duration)
            .ok()
            .filter(|s| *s > 0)
            .map(Duration::from_secs);
        (std::mem::take(&mut raw.data), lease)
    } else {
        let read = match req.version {
            Some(v) => vaultrs::kv2::read_version::<Value>(client, &req.mount, &req.path, v).await,
            None => vaultrs::kv2::read::<Value>(client, &req.mount, &req.path).await,
        };
        (read.map_err(|e| map_error(e, Stage::Read))?, None)
    };
    let object = match data {
        Value::Object(m) => m,
        mut other => {
            super::json::wipe(&mut other);
            return Err(ProviderError::new(
                ProviderErrorKind::Malformed,
                "vault: the secret's data is not an object",
            ));
        }
    };
    Ok((select(object, req.field.as_deref())?, lease))
}

fn select(object: Map<String, Value>, field: Option<&str>) -> Result<SecretString, ProviderError> {
    super::json::take_field(object, field)
}

fn client(config: &VaultConfig, token: &str) -> Result<VaultClient, ProviderError> {
    let config_err = |msg: String| ProviderError::new(ProviderErrorKind::Config, msg);
    let address = url::Url::parse(&config.address)
        .map_err(|e| config_err("vault: the address is not a URL".into()).with_source(e))?;
    if !matches!(address.scheme(), "http" | "https") {
        return Err(config_err(
            "vault: the address must start with http:// or https://".into(),
        ));
    }
    if let Some(ns) = &config.namespace {
        check_header_safe(ns, "namespace")?;
    }
    let mut settings = VaultClientSettingsBuilder::default();
    settings
        .address(address.as_str())
        .token(token)
        .ca_certs(
            config
                .ca_cert
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect::<Vec<_>>(),
        )
        .identity(None)
        .verify(true)
        .namespace(config.namespace.clone());
    let settings = settings
        .build()
        .map_err(|e| config_err(format!("vault: bad settings: {e}")))?;
    VaultClient::new(settings).map_err(|e| map_error(e, Stage::Connect))
}

/// vaultrs puts these in HTTP headers with `unwrap`: refuse what would make it panic.
fn check_header_safe(value: &str, what: &str) -> Result<(), ProviderError> {
    if value.is_empty() || !value.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(ProviderError::new(
            ProviderErrorKind::Config,
            format!("vault: the {what} is empty or holds characters not allowed in a header"),
        ));
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Connect,
    Login,
    Read,
}

/// Maps a vaultrs error to a kind and a value-free source. vaultrs errors are never kept as
/// sources: several variants hold the response body.
fn map_error(e: ClientError, stage: Stage) -> ProviderError {
    use rustify::errors::ClientError as Rest;
    let what = match stage {
        Stage::Connect => "client setup",
        Stage::Login => "login",
        Stage::Read => "read",
    };
    let status = |code: u16| {
        let kind = match code {
            404 if stage == Stage::Login => ProviderErrorKind::Config,
            404 => ProviderErrorKind::NotFound,
            401 | 403 => ProviderErrorKind::Forbidden,
            // AppRole and Kubernetes logins answer 400 for a wrong secret id or JWT.
            400 if stage == Stage::Login => ProviderErrorKind::Forbidden,
            400 => ProviderErrorKind::BadReference,
            // 412: a performance standby has not caught up yet; 429: rate limited.
            412 | 429 | 500..=599 => ProviderErrorKind::Transient,
            _ => ProviderErrorKind::Other,
        };
        ProviderError::new(kind, format!("vault {what}: HTTP {code}")).with_source(
            BackendDetail::new(BACKEND, format!("{what} answered HTTP {code}")),
        )
    };
    let plain = |kind: ProviderErrorKind, detail: &str| {
        ProviderError::new(kind, format!("vault {what}: {detail}"))
            .with_source(BackendDetail::new(BACKEND, detail.to_owned()))
    };
    match e {
        ClientError::APIError { code, .. } => status(code),
        ClientError::RestClientError { source } => match source {
            Rest::ServerResponseError { code, .. } => status(code),
            Rest::RequestError { source, .. } => {
                let io = source
                    .chain()
                    .find_map(|c| c.downcast_ref::<std::io::Error>())
                    .map(|io| io.kind().to_string());
                let detail = match io {
                    Some(kind) => format!("cannot reach the server ({kind})"),
                    None => "cannot reach the server".to_owned(),
                };
                plain(ProviderErrorKind::Unreachable, &detail)
            }
            Rest::ResponseError { .. } => plain(
                ProviderErrorKind::Unreachable,
                "the connection failed while reading the answer",
            ),
            Rest::ResponseParseError { .. } | Rest::ResponseConversionError { .. } => plain(
                ProviderErrorKind::Malformed,
                "the answer is not the JSON Vault sends",
            ),
            _ => plain(ProviderErrorKind::Other, "the request could not be built"),
        },
        ClientError::JsonParseError { .. }
        | ClientError::ResponseEmptyError
        | ClientError::ResponseDataEmptyError => plain(
            ProviderErrorKind::Malformed,
            "the answer is not the JSON Vault sends",
        ),
        ClientError::FileReadError { path, source } => ProviderError::new(
            ProviderErrorKind::Config,
            format!("vault: cannot read the CA file {path}"),
        )
        .with_source(source),
        ClientError::ParseCertificateError { path, .. } => ProviderError::new(
            ProviderErrorKind::Config,
            format!("vault: the CA file {path} holds no PEM certificate"),
        ),
        ClientError::RestClientBuildError { .. } => {
            plain(ProviderErrorKind::Config, "cannot build the HTTP client")
        }
        _ => plain(ProviderErrorKind::Other, "unexpected client error"),
    }
}

fn config_from_env() -> Result<VaultConfig, String> {
    let var = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| env::var(n).ok().filter(|v| !v.is_empty()))
    };
    let address = var(&["VAULT_ADDR", "BAO_ADDR"])
        .ok_or_else(|| "vault: VAULT_ADDR is not set".to_owned())?;
    let namespace = var(&["VAULT_NAMESPACE", "BAO_NAMESPACE"]);
    let ca_cert = var(&["VAULT_CACERT", "BAO_CACERT"]).map(PathBuf::from);
    let auth = if let Some(t) = var(&["VAULT_TOKEN", "BAO_TOKEN"]) {
        Some(VaultAuth::Token(into_secret(t)))
    } else if let Some(p) = var(&["VAULT_TOKEN_FILE"]) {
        Some(VaultAuth::TokenFile(p.into()))
    } else if let Some(role_id) = var(&["VAULT_ROLE_ID"]) {
        let file = var(&["VAULT_SECRET_ID_FILE"]).ok_or_else(|| {
            "vault: VAULT_ROLE_ID is set but VAULT_SECRET_ID_FILE is not".to_owned()
        })?;
        Some(VaultAuth::AppRole {
            role_id,
            secret_id_file: file.into(),
            mount: var(&["VAULT_APPROLE_MOUNT"]).unwrap_or_else(|| "approle".into()),
        })
    } else if let Some(role) = var(&["VAULT_K8S_ROLE"]) {
        Some(VaultAuth::Kubernetes {
            role,
            jwt_file: var(&["VAULT_K8S_JWT_FILE"])
                .unwrap_or_else(|| DEFAULT_K8S_JWT_FILE.into())
                .into(),
            mount: var(&["VAULT_K8S_MOUNT"]).unwrap_or_else(|| "kubernetes".into()),
        })
    } else {
        env::var_os("HOME")
            .map(|h| Path::new(&h).join(".vault-token"))
            .filter(|p| p.is_file())
            .map(VaultAuth::TokenFile)
    };
    Ok(VaultConfig {
        address,
        namespace,
        ca_cert,
        auth,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(s: &str) -> Result<KvRequest, ProviderError> {
        KvRequest::parse(&SecretRef::parse(s).unwrap().unwrap())
    }

    #[test]
    fn parses_references() {
        let r = req("vault://secret/team/sentry#dsn?version=3").unwrap();
        assert_eq!(
            (r.mount.as_str(), r.path.as_str()),
            ("secret", "team/sentry")
        );
        assert_eq!(r.field.as_deref(), Some("dsn"));
        assert_eq!(r.version, Some(3));
        assert!(!r.kv1);
        assert!(req("vault://kv/sentry?kv=1").unwrap().kv1);
    }

    #[test]
    fn refuses_bad_references() {
        for s in [
            "vault://secret",
            "vault://secret/",
            "vault://secret/../sys/seal",
            "vault://secret/a b",
            "vault://secret/x?version=0",
            "vault://secret/x?version=-1",
            "vault://secret/x?kv=3",
            "vault://secret/x?kv=1&version=2",
            "vault://secret/x?colour=blue",
        ] {
            assert_eq!(
                req(s).unwrap_err().kind(),
                ProviderErrorKind::BadReference,
                "{s}"
            );
        }
    }

    #[test]
    fn missing_address_is_a_config_error_at_fetch_time() {
        let p = VaultProvider {
            config: Err("vault: VAULT_ADDR is not set".into()),
            file_policy: None,
            login: Arc::default(),
        };
        let ctx = FetchContext::new(
            Instant::now() + Duration::from_secs(1),
            Duration::from_secs(1),
        );
        let r = SecretRef::parse("vault://secret/x#dsn").unwrap().unwrap();
        assert_eq!(
            p.fetch(&r, &ctx).unwrap_err().kind(),
            ProviderErrorKind::Config
        );
    }

    #[test]
    fn a_token_that_would_panic_vaultrs_is_refused() {
        assert!(check_header_safe("s.abc\n", "token").is_err());
        assert!(check_header_safe("", "token").is_err());
        assert!(check_header_safe("hvs.abc", "token").is_ok());
    }
}
