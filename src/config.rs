//! `SentryConfig`: the resolved, validated options, and how each one is parsed.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::provenance::Origin;
use crate::secret::{AuthToken, SecretDsn};

/// Every option the loader resolves, by field name. The variable for a field is
/// `<prefix>SENTRY_<FIELD>` in upper case, the names the sentry SDK and sentry-cli use.
pub(crate) const FIELDS: &[&str] = &[
    "dsn",
    "auth_token",
    "environment",
    "release",
    "dist",
    "server_name",
    "sample_rate",
    "traces_sample_rate",
    "debug",
    "attach_stacktrace",
    "send_default_pii",
    "max_breadcrumbs",
    "shutdown_timeout",
    "org",
    "project",
    "url",
];

/// The fields that hold secrets: read from credential directories, may be references, and
/// never shown.
pub(crate) const SECRET_FIELDS: &[&str] = &["dsn", "auth_token"];

/// The resolved Sentry configuration: secrets in zeroizing types, options validated, and the
/// origin of every value.
///
/// Build it with [`Loader::resolve`](crate::Loader::resolve); start Sentry with
/// [`SentryConfig::init`]. `Debug` is redacted; there is no `Display` or `Serialize` (use
/// [`SentryConfig::report`] for a printable, redacted view).
#[derive(Debug, Clone)]
pub struct SentryConfig {
    pub(crate) dsn: Option<SecretDsn>,
    pub(crate) auth_token: Option<AuthToken>,
    pub(crate) environment: Option<String>,
    pub(crate) release: Option<String>,
    pub(crate) dist: Option<String>,
    pub(crate) server_name: Option<String>,
    pub(crate) sample_rate: f32,
    pub(crate) traces_sample_rate: f32,
    pub(crate) debug: bool,
    pub(crate) attach_stacktrace: bool,
    pub(crate) send_default_pii: bool,
    pub(crate) max_breadcrumbs: usize,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) org: Option<String>,
    pub(crate) project: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) origins: BTreeMap<&'static str, Origin>,
    /// The loader's variable prefix (`MYAPP_`), to name variables in reports and errors.
    pub(crate) prefix: String,
    pub(crate) warnings: Vec<String>,
}

impl Default for SentryConfig {
    fn default() -> Self {
        SentryConfig {
            dsn: None,
            auth_token: None,
            environment: None,
            release: None,
            dist: None,
            server_name: None,
            sample_rate: 1.0,
            traces_sample_rate: 0.0,
            debug: false,
            attach_stacktrace: false,
            send_default_pii: false,
            max_breadcrumbs: 100,
            shutdown_timeout: Duration::from_secs(2),
            org: None,
            project: None,
            url: None,
            origins: BTreeMap::new(),
            prefix: String::new(),
            warnings: Vec::new(),
        }
    }
}

/// The variable name for `field`: `<prefix>SENTRY_<FIELD>`.
pub(crate) fn variable_name(prefix: &str, field: &str) -> String {
    let mut name = String::with_capacity(prefix.len() + 7 + field.len());
    name.push_str(prefix);
    name.push_str("SENTRY_");
    let at = name.len();
    name.push_str(field);
    name[at..].make_ascii_uppercase();
    name
}

impl SentryConfig {
    /// The variable a resolved `field` was read under (`SENTRY_DSN`, `MYAPP_SENTRY_DSN`).
    pub(crate) fn variable(&self, field: &str) -> String {
        variable_name(&self.prefix, field)
    }

    /// The DSN, or `None` when Sentry is disabled.
    pub fn dsn(&self) -> Option<&SecretDsn> {
        self.dsn.as_ref()
    }
    /// The Sentry API auth token (for sentry-cli and API calls; not used by the SDK).
    pub fn auth_token(&self) -> Option<&AuthToken> {
        self.auth_token.as_ref()
    }
    /// Whether a DSN was resolved, i.e. whether [`init`](Self::init) starts a client.
    pub fn is_enabled(&self) -> bool {
        self.dsn.is_some()
    }
    /// `SENTRY_ENVIRONMENT`.
    pub fn environment(&self) -> Option<&str> {
        self.environment.as_deref()
    }
    /// `SENTRY_RELEASE`.
    pub fn release(&self) -> Option<&str> {
        self.release.as_deref()
    }
    /// `SENTRY_DIST`.
    pub fn dist(&self) -> Option<&str> {
        self.dist.as_deref()
    }
    /// `SENTRY_SERVER_NAME`.
    pub fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }
    /// `SENTRY_SAMPLE_RATE` (0..=1, default 1).
    pub fn sample_rate(&self) -> f32 {
        self.sample_rate
    }
    /// `SENTRY_TRACES_SAMPLE_RATE` (0..=1, default 0).
    pub fn traces_sample_rate(&self) -> f32 {
        self.traces_sample_rate
    }
    /// `SENTRY_DEBUG`.
    pub fn debug(&self) -> bool {
        self.debug
    }
    /// `SENTRY_ATTACH_STACKTRACE`.
    pub fn attach_stacktrace(&self) -> bool {
        self.attach_stacktrace
    }
    /// `SENTRY_SEND_DEFAULT_PII`.
    pub fn send_default_pii(&self) -> bool {
        self.send_default_pii
    }
    /// `SENTRY_MAX_BREADCRUMBS` (default 100).
    pub fn max_breadcrumbs(&self) -> usize {
        self.max_breadcrumbs
    }
    /// `SENTRY_SHUTDOWN_TIMEOUT` in seconds (default 2).
    pub fn shutdown_timeout(&self) -> Duration {
        self.shutdown_timeout
    }
    /// `SENTRY_ORG` (sentry-cli).
    pub fn org(&self) -> Option<&str> {
        self.org.as_deref()
    }
    /// `SENTRY_PROJECT` (sentry-cli).
    pub fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }
    /// `SENTRY_URL` (sentry-cli; self-hosted Sentry).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }
    /// Where `field` (for example `"dsn"`) came from, if it was set.
    pub fn origin(&self, field: &str) -> Option<&Origin> {
        self.origins.get(field)
    }
    /// Warnings raised while resolving (legacy DSN secret key, loose file permissions, ...).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// A value that failed to parse: what was expected (never what was found).
pub(crate) struct Expected(pub(crate) &'static str);

pub(crate) fn parse_rate(s: &str) -> Result<f32, Expected> {
    match s.trim().parse::<f32>() {
        Ok(v) if v.is_finite() && (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(Expected("a number between 0 and 1")),
    }
}

pub(crate) fn parse_bool(s: &str) -> Result<bool, Expected> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "y" | "t" => Ok(true),
        "0" | "false" | "no" | "off" | "n" | "f" => Ok(false),
        _ => Err(Expected("a boolean (true/false, 1/0, yes/no, on/off)")),
    }
}

pub(crate) fn parse_usize(s: &str) -> Result<usize, Expected> {
    s.trim()
        .parse::<usize>()
        .map_err(|_| Expected("a non-negative whole number"))
}

pub(crate) fn parse_seconds(s: &str) -> Result<Duration, Expected> {
    let expected = Expected("a duration in seconds (for example 2 or 0.5), at most 3600");
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=3600.0).contains(&v) => Ok(Duration::from_secs_f64(v)),
        _ => Err(expected),
    }
}

pub(crate) fn parse_text(s: &str) -> Result<String, Expected> {
    let t = s.trim();
    if t.is_empty() || t.len() > 512 || t.chars().any(char::is_control) {
        return Err(Expected(
            "non-empty text without control characters, at most 512 bytes",
        ));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsers() {
        assert_eq!(parse_rate("0.25").ok(), Some(0.25));
        for bad in ["-0.1", "1.5", "NaN", "inf", "x", ""] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_bool("Yes").ok(), Some(true));
        assert_eq!(parse_bool("OFF").ok(), Some(false));
        assert!(parse_bool("maybe").is_err());
        assert_eq!(parse_usize("42").ok(), Some(42));
        assert!(parse_usize("-1").is_err());
        assert_eq!(parse_seconds("0.5").ok(), Some(Duration::from_millis(500)));
        assert!(parse_seconds("1e9").is_err());
        assert!(parse_text("a\u{7}b").is_err());
    }
}
