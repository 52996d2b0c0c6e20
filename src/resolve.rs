//! `Loader`: precedence, policy, deadline and provenance. Turns sources and providers into a
//! [`SentryConfig`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use crate::audit;
use crate::config::{self, Expected, FIELDS, SECRET_FIELDS, SentryConfig};
use crate::error::Error;
use crate::policy::{DotEnv, MissingDsn, Policy, StoreFailure};
use crate::provenance::Origin;
use crate::provider::{FetchContext, Registry, SecretProvider, SecretRef};
use crate::secret::{AuthToken, SecretDsn};
use crate::source::env::Env;
use crate::source::{credentials, dotenv, file};

/// Resolves the Sentry configuration from code, the environment, secret files, credential
/// directories, `.env` and secret stores, in that order of precedence.
///
/// ```
/// use sentry_secrets::{Loader, Origin};
///
/// let config = Loader::new()
///     .isolated() // for the example: do not read this process's environment
///     .var("SENTRY_DSN", "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42")
///     .var("SENTRY_TRACES_SAMPLE_RATE", "0.2")
///     .environment("staging") // set in code: wins over the environment
///     .resolve()?;
/// assert_eq!(config.dsn().unwrap().project_id(), "42");
/// assert_eq!(config.traces_sample_rate(), 0.2);
/// assert_eq!(config.origin("environment"), Some(&Origin::Code));
/// # Ok::<(), sentry_secrets::Error>(())
/// ```
///
/// Precedence for every field `F` (variable `<prefix>SENTRY_F`):
/// 1. values set in code on the loader;
/// 2. the environment variable;
/// 3. `<VAR>_FILE`, a path to a file holding the value (both set is an error);
/// 4. for the DSN and the auth token, `$CREDENTIALS_DIRECTORY/<VAR>` (systemd) and then the
///    configured secrets directory (`<dir>/<VAR>` or `<dir>/<var>`);
/// 5. a `.env` file, only outside production (see [`DotEnv`]).
///
/// A DSN or auth token whose value is `scheme://...` (other than `http`/`https`) is a
/// reference and is fetched from the provider registered for that scheme.
#[derive(Debug)]
pub struct Loader {
    prefix: String,
    env: Env,
    code: BTreeMap<&'static str, SecretString>,
    policy: Policy,
    registry: Registry,
    dotenv_path: Option<PathBuf>,
    secrets_dir: Option<PathBuf>,
    credentials_dir: CredentialsDir,
}

#[derive(Debug, Clone)]
enum CredentialsDir {
    FromEnv,
    Path(PathBuf),
    Off,
}

impl Default for Loader {
    fn default() -> Self {
        Loader::new()
    }
}

impl Loader {
    /// A loader with the default [`Policy`], the `SENTRY_` variables, `.env` in the current
    /// directory (outside production), `$CREDENTIALS_DIRECTORY`, and the built-in providers.
    pub fn new() -> Self {
        Loader {
            prefix: String::new(),
            env: Env::default(),
            code: BTreeMap::new(),
            policy: Policy::default(),
            registry: Registry::with_builtin(),
            dotenv_path: Some(PathBuf::from(".env")),
            secrets_dir: None,
            credentials_dir: CredentialsDir::FromEnv,
        }
    }

    /// Prepends `prefix` to every variable: `prefix("MYAPP_")` reads `MYAPP_SENTRY_DSN`.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Uses `policy` (see [`Policy::strict`] for production).
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Does not read the process environment: only variables given with [`Loader::var`].
    /// `.env` and `$CREDENTIALS_DIRECTORY` lookups are turned off too (set them explicitly).
    pub fn isolated(mut self) -> Self {
        self.env.isolated = true;
        self.dotenv_path = None;
        if matches!(self.credentials_dir, CredentialsDir::FromEnv) {
            self.credentials_dir = CredentialsDir::Off;
        }
        self
    }

    /// Sets a variable as if it were in the environment (it wins over the real one).
    pub fn var(mut self, name: impl Into<String>, value: impl AsRef<str>) -> Self {
        self.env
            .vars
            .insert(name.into(), crate::secret::secret_from_str(value.as_ref()));
        self
    }

    /// Reads `.env` from `path` instead of `./.env`.
    pub fn dotenv_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.dotenv_path = Some(path.into());
        self
    }

    /// Never reads a `.env` file.
    pub fn no_dotenv(mut self) -> Self {
        self.dotenv_path = None;
        self
    }

    /// Also looks for `<dir>/<VAR>` (or lowercase) for the DSN and auth token, for example
    /// `/run/secrets` (Docker and Compose secrets).
    pub fn secrets_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.secrets_dir = Some(dir.into());
        self
    }

    /// Uses `dir` as the systemd credentials directory instead of `$CREDENTIALS_DIRECTORY`.
    pub fn credentials_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.credentials_dir = CredentialsDir::Path(dir.into());
        self
    }

    /// Registers a provider for its scheme (replacing a built-in one of the same scheme).
    pub fn provider(mut self, provider: impl SecretProvider + 'static) -> Self {
        self.registry.register(provider);
        self
    }

    /// Replaces the whole provider registry.
    pub fn registry(mut self, registry: Registry) -> Self {
        self.registry = registry;
        self
    }

    /// Sets the DSN in code (highest precedence). It may also be a reference.
    pub fn dsn(self, dsn: SecretString) -> Self {
        self.set_secret("dsn", dsn)
    }

    /// Sets the auth token in code. It may also be a reference.
    pub fn auth_token(self, token: SecretString) -> Self {
        self.set_secret("auth_token", token)
    }

    /// Sets the environment in code.
    pub fn environment(self, v: &str) -> Self {
        self.set("environment", v)
    }
    /// Sets the release in code.
    pub fn release(self, v: &str) -> Self {
        self.set("release", v)
    }
    /// Sets the dist in code.
    pub fn dist(self, v: &str) -> Self {
        self.set("dist", v)
    }
    /// Sets the server name in code.
    pub fn server_name(self, v: &str) -> Self {
        self.set("server_name", v)
    }
    /// Sets the error sample rate in code (validated at resolution: 0..=1).
    pub fn sample_rate(self, v: f32) -> Self {
        self.set("sample_rate", &v.to_string())
    }
    /// Sets the traces sample rate in code (validated at resolution: 0..=1).
    pub fn traces_sample_rate(self, v: f32) -> Self {
        self.set("traces_sample_rate", &v.to_string())
    }
    /// Turns the SDK's debug output on or off (the DSN key is never printed).
    pub fn debug(self, v: bool) -> Self {
        self.set("debug", if v { "true" } else { "false" })
    }
    /// Sets `attach_stacktrace` in code.
    pub fn attach_stacktrace(self, v: bool) -> Self {
        self.set("attach_stacktrace", if v { "true" } else { "false" })
    }
    /// Sets `send_default_pii` in code.
    pub fn send_default_pii(self, v: bool) -> Self {
        self.set("send_default_pii", if v { "true" } else { "false" })
    }
    /// Sets `max_breadcrumbs` in code.
    pub fn max_breadcrumbs(self, v: usize) -> Self {
        self.set("max_breadcrumbs", &v.to_string())
    }
    /// Sets the shutdown timeout in code.
    pub fn shutdown_timeout(self, v: Duration) -> Self {
        self.set("shutdown_timeout", &v.as_secs_f64().to_string())
    }

    fn set(mut self, field: &'static str, v: &str) -> Self {
        self.code.insert(field, crate::secret::secret_from_str(v));
        self
    }

    fn set_secret(mut self, field: &'static str, v: SecretString) -> Self {
        self.code.insert(field, v);
        self
    }

    /// The variable name for `field`: `<prefix>SENTRY_<FIELD>`.
    pub fn variable(&self, field: &str) -> String {
        config::variable_name(&self.prefix, field)
    }

    /// Resolves and validates the configuration without starting Sentry.
    pub fn resolve(&self) -> Result<SentryConfig, Error> {
        let started = Instant::now();
        // A deadline too far to represent (Duration::MAX for "none") is capped at a day.
        let deadline = started
            .checked_add(self.policy.deadline)
            .unwrap_or_else(|| started + Duration::from_secs(86_400));
        let ctx = FetchContext::new(deadline, self.policy.request_timeout)
            .with_file_policy(self.policy.files.clone());
        let mut out = SentryConfig {
            prefix: self.prefix.clone(),
            ..SentryConfig::default()
        };
        let dotenv = self.load_dotenv()?;

        let mut plain: Vec<(String, String)> = Vec::new();
        let mut key = String::with_capacity(self.prefix.len() + 32);
        for &field in FIELDS {
            key.clear();
            key.push_str(&self.prefix);
            key.push_str("SENTRY_");
            let at = key.len();
            key.push_str(field);
            key[at..].make_ascii_uppercase();
            debug_assert_eq!(key, config::variable_name(&self.prefix, field));
            let Some((value, origin)) =
                self.lookup(field, &key, dotenv.as_ref(), &mut out.warnings)?
            else {
                continue;
            };
            if SECRET_FIELDS.contains(&field) {
                self.resolve_secret(field, &key, value, origin, &ctx, &mut out)?;
            } else {
                plain.push((field.to_ascii_uppercase(), value.expose_secret().to_owned()));
                out.origins.insert(field, origin);
            }
        }
        self.apply_plain(plain, &mut out)?;

        if out.dsn.is_none() && !out.origins.contains_key("dsn") {
            let key = self.variable("dsn");
            match self.policy.missing_dsn {
                MissingDsn::Required => {
                    audit::resolved(&key, None, "missing", || None);
                    return Err(Error::MissingDsn { key });
                }
                _ => {
                    audit::disabled(&key, "no DSN configured; Sentry is disabled");
                    out.warnings
                        .push(format!("{key} is not set: Sentry is disabled"));
                }
            }
        }
        if started.elapsed() > self.policy.deadline {
            return Err(Error::Deadline(self.policy.deadline));
        }
        Ok(out)
    }

    /// Resolves, then starts Sentry (see [`SentryConfig::init`]).
    pub fn init(&self) -> Result<crate::Guard, Error> {
        self.resolve()?.init()
    }

    fn load_dotenv(&self) -> Result<Option<HashMap<String, SecretString>>, Error> {
        let Some(path) = &self.dotenv_path else {
            return Ok(None);
        };
        let allowed = match self.policy.dotenv {
            DotEnv::Always => true,
            DotEnv::Development => !self.is_production(),
            _ => false,
        };
        if !allowed {
            return Ok(None);
        }
        let map = dotenv::load(path, &self.policy.files)?;
        if map.is_some() {
            audit::source_used(".env", path);
        }
        Ok(map)
    }

    /// Production is decided from code and the real environment, never from `.env`.
    fn is_production(&self) -> bool {
        let value = match self.code.get("environment") {
            Some(v) => Some(crate::secret::secret_from_str(v.expose_secret())),
            None => self.env.get(&self.variable("environment")).ok().flatten(),
        };
        match value {
            Some(v) => {
                let v = v.expose_secret().trim();
                v.eq_ignore_ascii_case("production") || v.eq_ignore_ascii_case("prod")
            }
            // Unset: the environment Sentry reports, "production" in release builds (as the
            // SDK does) and "development" in debug builds.
            None => !cfg!(debug_assertions),
        }
    }

    /// Finds the highest-precedence raw value for `field`.
    fn lookup(
        &self,
        field: &'static str,
        key: &str,
        dotenv: Option<&HashMap<String, SecretString>>,
        warnings: &mut Vec<String>,
    ) -> Result<Option<(SecretString, Origin)>, Error> {
        if let Some(v) = self.code.get(field) {
            return Ok(Some((
                crate::secret::secret_from_str(v.expose_secret()),
                Origin::Code,
            )));
        }
        let not_unicode = |k: &str| Error::InvalidValue {
            key: k.to_owned(),
            origin: Origin::Env { var: k.to_owned() },
            expected: "valid UTF-8",
        };
        // Each variable is read once, straight into a secret box (no unwiped probe copies).
        let value = self.env.get(key).map_err(|_| not_unicode(key))?;
        if !SECRET_FIELDS.contains(&field) {
            // Options are plain settings: `_FILE`, credentials and secrets directories are
            // for the DSN and the auth token.
            return Ok(match value {
                Some(v) => Some((
                    v,
                    Origin::Env {
                        var: key.to_owned(),
                    },
                )),
                None => self.dotenv_value(key, dotenv),
            });
        }
        let file_key = format!("{key}_FILE");
        let path = self
            .env
            .get(&file_key)
            .map_err(|_| not_unicode(&file_key))?;
        match (value, path) {
            (Some(_), Some(_)) => {
                return Err(Error::Conflict {
                    key: key.to_owned(),
                });
            }
            (Some(v), None) => {
                return Ok(Some((
                    v,
                    Origin::Env {
                        var: key.to_owned(),
                    },
                )));
            }
            (None, Some(path)) => {
                // A DSN or token pasted into `_FILE` by mistake must not be echoed as a path
                // in errors, the report or the audit log.
                if looks_like_a_secret(path.expose_secret()) {
                    return Err(Error::InvalidValue {
                        origin: Origin::Env {
                            var: file_key.clone(),
                        },
                        key: file_key,
                        expected: "a path to a file holding the value (this looks like the value itself)",
                    });
                }
                let path = PathBuf::from(path.expose_secret());
                let v = self.read_file(key, &path, warnings)?;
                return Ok(Some((
                    v,
                    Origin::VarFile {
                        var: file_key,
                        path,
                    },
                )));
            }
            (None, None) => {}
        }
        if SECRET_FIELDS.contains(&field) {
            if let Some(dir) = self.effective_credentials_dir() {
                if let Some(path) = credentials::find(&dir, key) {
                    let v = self.read_file(key, &path, warnings)?;
                    return Ok(Some((v, Origin::Credential { path })));
                }
            }
            if let Some(dir) = &self.secrets_dir {
                if let Some(path) = credentials::find(dir, key) {
                    let v = self.read_file(key, &path, warnings)?;
                    return Ok(Some((v, Origin::SecretsDir { path })));
                }
            }
        }
        Ok(self.dotenv_value(key, dotenv))
    }

    fn dotenv_value(
        &self,
        key: &str,
        dotenv: Option<&HashMap<String, SecretString>>,
    ) -> Option<(SecretString, Origin)> {
        let (map, path) = dotenv.zip(self.dotenv_path.as_ref())?;
        let v = map.get(key).filter(|v| !v.expose_secret().is_empty())?;
        let origin = Origin::DotEnv {
            path: path.clone(),
            key: key.to_owned(),
        };
        Some((crate::secret::secret_from_str(v.expose_secret()), origin))
    }

    fn effective_credentials_dir(&self) -> Option<PathBuf> {
        match &self.credentials_dir {
            CredentialsDir::Path(p) => Some(p.clone()),
            CredentialsDir::FromEnv => std::env::var_os("CREDENTIALS_DIRECTORY")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from),
            CredentialsDir::Off => None,
        }
    }

    fn read_file(
        &self,
        key: &str,
        path: &Path,
        warnings: &mut Vec<String>,
    ) -> Result<SecretString, Error> {
        file::read_secret_noting(key, path, &self.policy.files, warnings).map_err(|e| Error::File {
            key: key.to_owned(),
            path: e.path,
            kind: e.kind,
            source: e.source,
        })
    }

    fn resolve_secret(
        &self,
        field: &'static str,
        key: &str,
        value: SecretString,
        origin: Origin,
        ctx: &FetchContext,
        out: &mut SentryConfig,
    ) -> Result<(), Error> {
        let reference =
            SecretRef::parse(value.expose_secret()).map_err(|source| Error::BadReference {
                key: key.to_owned(),
                origin: origin.clone(),
                source,
            })?;
        let (value, origin) = match reference {
            None => {
                if field == "auth_token"
                    && !self.policy.allow_literal_auth_token_env
                    && matches!(origin, Origin::Env { .. } | Origin::DotEnv { .. })
                {
                    audit::resolved(key, Some(&origin), "refused", || None);
                    return Err(Error::Policy {
                        key: key.to_owned(),
                        origin,
                        reason: "a literal auth token in a plain variable; use a _FILE, a credential or a secret store reference",
                    });
                }
                (value, origin)
            }
            Some(r) => {
                if !self.registry.has_scheme(r.scheme()) {
                    // A long or hex "scheme" may be a key glued to a URL: don't echo it.
                    let scheme = r.scheme();
                    let shown =
                        if scheme.len() <= 16 && !scheme.bytes().all(|b| b.is_ascii_hexdigit()) {
                            scheme.to_owned()
                        } else {
                            "(unrecognised)".to_owned()
                        };
                    return Err(Error::UnknownScheme {
                        key: key.to_owned(),
                        scheme: shown,
                        origin,
                        known: self.registry.schemes().join(", "),
                    });
                }
                let store_origin = Origin::Store {
                    scheme: r.scheme().to_owned(),
                    reference: r.to_string(),
                    via: Box::new(origin),
                };
                match self.registry.fetch(key, &r, ctx) {
                    Ok(v) => (v, store_origin),
                    Err(e)
                        if field == "dsn" && self.policy.store_failure == StoreFailure::Disable =>
                    {
                        audit::disabled(key, "DSN reference failed; Sentry is disabled by policy");
                        out.warnings.push(format!(
                            "{key}: reference {r} failed ({}); Sentry is disabled",
                            e.kind()
                        ));
                        out.origins.insert(field, store_origin);
                        return Ok(());
                    }
                    Err(source) => {
                        return Err(Error::Provider {
                            key: key.to_owned(),
                            reference: r.to_string(),
                            source,
                        });
                    }
                }
            }
        };
        if field == "dsn" {
            let dsn = SecretDsn::from_secret(value).map_err(|source| {
                audit::resolved(key, Some(&origin), "invalid", || None);
                Error::InvalidDsn {
                    key: key.to_owned(),
                    origin: origin.clone(),
                    source,
                }
            })?;
            if dsn.has_legacy_secret_key() {
                audit::legacy_secret_key(key);
                out.warnings.push(format!(
                    "{key}: the DSN carries a legacy secret key; remove it (public key only)"
                ));
            }
            audit::resolved(key, Some(&origin), "ok", || {
                Some(dsn.key_fingerprint().to_owned())
            });
            out.dsn = Some(dsn);
        } else {
            let token = AuthToken::from_secret(value).map_err(|source| {
                audit::resolved(key, Some(&origin), "invalid", || None);
                Error::InvalidToken {
                    key: key.to_owned(),
                    origin: origin.clone(),
                    source,
                }
            })?;
            audit::resolved(key, Some(&origin), "ok", || {
                Some(token.fingerprint().to_owned())
            });
            out.auth_token = Some(token);
        }
        out.origins.insert(field, origin);
        Ok(())
    }

    /// Parses the non-secret options through serde (envy maps `SAMPLE_RATE` to
    /// `sample_rate`), then validates each with a value-free error.
    fn apply_plain(
        &self,
        plain: Vec<(String, String)>,
        out: &mut SentryConfig,
    ) -> Result<(), Error> {
        // All fields are optional strings, so this only fails on a bug; say so without values.
        let raw: RawOptions = envy::from_iter(plain).map_err(|_| Error::InvalidValue {
            key: self.variable("*"),
            origin: Origin::Default,
            expected: "options that deserialize as strings",
        })?;
        let err = |field: &'static str, e: Expected, out: &SentryConfig| Error::InvalidValue {
            key: self.variable(field),
            origin: out.origins.get(field).cloned().unwrap_or(Origin::Default),
            expected: e.0,
        };
        macro_rules! apply {
            ($field:ident, $parse:path, $wrap:expr) => {
                if let Some(v) = raw.$field.as_deref() {
                    let parsed = $parse(v).map_err(|e| err(stringify!($field), e, out))?;
                    if audit::enabled() {
                        audit::resolved(
                            &out.variable(stringify!($field)),
                            out.origins.get(stringify!($field)),
                            "ok",
                            || None,
                        );
                    }
                    #[allow(clippy::redundant_closure_call)]
                    {
                        out.$field = $wrap(parsed);
                    }
                }
            };
        }
        apply!(environment, config::parse_text, Some);
        apply!(release, config::parse_text, Some);
        apply!(dist, config::parse_text, Some);
        apply!(server_name, config::parse_text, Some);
        apply!(org, config::parse_text, Some);
        apply!(project, config::parse_text, Some);
        apply!(url, config::parse_text, Some);
        apply!(sample_rate, config::parse_rate, |v| v);
        apply!(traces_sample_rate, config::parse_rate, |v| v);
        apply!(debug, config::parse_bool, |v| v);
        apply!(attach_stacktrace, config::parse_bool, |v| v);
        apply!(send_default_pii, config::parse_bool, |v| v);
        apply!(max_breadcrumbs, config::parse_usize, |v| v);
        apply!(shutdown_timeout, config::parse_seconds, |v| v);
        Ok(())
    }
}

/// The non-secret options as strings, named as serde sees them.
#[derive(Debug, Default, serde::Deserialize)]
struct RawOptions {
    environment: Option<String>,
    release: Option<String>,
    dist: Option<String>,
    server_name: Option<String>,
    sample_rate: Option<String>,
    traces_sample_rate: Option<String>,
    debug: Option<String>,
    attach_stacktrace: Option<String>,
    send_default_pii: Option<String>,
    max_breadcrumbs: Option<String>,
    shutdown_timeout: Option<String>,
    org: Option<String>,
    project: Option<String>,
    url: Option<String>,
}

/// Whether a `_FILE` value looks like a DSN, token or reference rather than a path.
fn looks_like_a_secret(value: &str) -> bool {
    let v = value.trim();
    v.contains("://")
        || v.contains('@')
        || v.starts_with("sntry")
        || (v.len() >= 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}
