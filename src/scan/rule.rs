//! What the scanner looks for: [`Rule`]s and the [`Level`] each one reports at.

use std::fmt;

/// How serious a finding is. `Warning < Error`, so levels compare against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Breaks the policy (a public-key-only DSN hardcoded in code or config).
    Warning,
    /// A credential: anyone who reads it can act as you.
    Error,
}

impl Level {
    /// `"warning"` or `"error"`, as in SARIF.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One kind of hardcoded secret.
///
/// ```
/// use sentry_secrets::scan::{Level, Rule};
/// assert_eq!(Rule::DsnPublicKey.id(), "sentry-dsn-public-key");
/// assert_eq!(Rule::DsnPublicKey.level(), Level::Warning);
/// assert_eq!(Rule::UserToken.level(), Level::Error);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(into = "&'static str")]
#[non_exhaustive]
pub enum Rule {
    /// A DSN carrying the legacy secret key (`https://<public>:<secret>@host/1`).
    DsnSecretKey,
    /// A DSN with only a public key, hardcoded instead of configured.
    DsnPublicKey,
    /// An organization token `sntrys_<base64 JSON>_<base64 secret>`.
    OrgToken,
    /// A user (personal) token `sntryu_` + 64 hex.
    UserToken,
    /// An application token `sntrya_` + 64 hex.
    AppToken,
    /// An integration token `sntryi_` + 64 hex.
    IntegrationToken,
    /// A legacy 64-hex token that a Sentry context ties to Sentry.
    LegacyToken,
}

impl Rule {
    /// Every rule, in a stable order (the SARIF rule index).
    pub const ALL: [Rule; 7] = [
        Rule::DsnSecretKey,
        Rule::DsnPublicKey,
        Rule::OrgToken,
        Rule::UserToken,
        Rule::AppToken,
        Rule::IntegrationToken,
        Rule::LegacyToken,
    ];

    /// The stable rule id, used in every output format and in baselines.
    pub fn id(self) -> &'static str {
        match self {
            Rule::DsnSecretKey => "sentry-dsn-secret-key",
            Rule::DsnPublicKey => "sentry-dsn-public-key",
            Rule::OrgToken => "sentry-org-token",
            Rule::UserToken => "sentry-user-token",
            Rule::AppToken => "sentry-app-token",
            Rule::IntegrationToken => "sentry-integration-token",
            Rule::LegacyToken => "sentry-legacy-token",
        }
    }

    /// The rule for an id, if there is one.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The level every finding of this rule reports at.
    pub fn level(self) -> Level {
        match self {
            Rule::DsnPublicKey => Level::Warning,
            _ => Level::Error,
        }
    }

    /// A one-line description.
    pub fn description(self) -> &'static str {
        match self {
            Rule::DsnSecretKey => "Sentry DSN with a secret key (a credential)",
            Rule::DsnPublicKey => "Sentry DSN hardcoded in code or config (configure it instead)",
            Rule::OrgToken => "Sentry organization auth token",
            Rule::UserToken => "Sentry user auth token",
            Rule::AppToken => "Sentry application auth token",
            Rule::IntegrationToken => "Sentry integration auth token",
            Rule::LegacyToken => "Sentry legacy auth token (64 hex in a Sentry context)",
        }
    }

    /// The index of this rule in [`Rule::ALL`].
    pub fn index(self) -> usize {
        Rule::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

impl From<Rule> for &'static str {
    fn from(rule: Rule) -> &'static str {
        rule.id()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
