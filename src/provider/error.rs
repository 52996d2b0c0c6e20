//! `ProviderError`: what went wrong in a store, without the value.

use std::error::Error as StdError;
use std::fmt;

/// What kind of failure a store reported. Decides retries and the message users see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProviderErrorKind {
    /// The secret (or its version) does not exist. Not retried.
    NotFound,
    /// The store refused access (401/403). Not retried.
    Forbidden,
    /// The secret exists but has no such field. Not retried.
    MissingField,
    /// The request or the whole resolution ran out of time.
    Timeout,
    /// The store could not be reached (connection refused, DNS, TLS). Retried.
    Unreachable,
    /// The store is overloaded or failing (5xx, throttling). Retried.
    Transient,
    /// The store answered something we could not understand. Not retried.
    Malformed,
    /// The reference itself is wrong for this store (bad option, bad path). Not retried.
    BadReference,
    /// The store's configuration (address, credentials) is missing or wrong. Not retried.
    Config,
    /// Anything else. Not retried.
    Other,
}

impl ProviderErrorKind {
    /// Whether a retry may help.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ProviderErrorKind::Unreachable | ProviderErrorKind::Transient
        )
    }
}

impl fmt::Display for ProviderErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProviderErrorKind::NotFound => "not found",
            ProviderErrorKind::Forbidden => "forbidden",
            ProviderErrorKind::MissingField => "missing field",
            ProviderErrorKind::Timeout => "timed out",
            ProviderErrorKind::Unreachable => "unreachable",
            ProviderErrorKind::Transient => "temporarily unavailable",
            ProviderErrorKind::Malformed => "malformed response",
            ProviderErrorKind::BadReference => "bad reference",
            ProviderErrorKind::Config => "store not configured",
            ProviderErrorKind::Other => "failed",
        })
    }
}

/// An error from a [`SecretProvider`](crate::SecretProvider).
///
/// The message is written by the provider and must not contain the secret or a response
/// body. The backend's own error travels as a boxed source, so vendor SDK types stay out of
/// the public API (rustls' `OtherError`).
#[derive(Debug)]
pub struct ProviderError {
    kind: ProviderErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl ProviderError {
    /// An error of `kind` with a value-free `message`.
    pub fn new(kind: ProviderErrorKind, message: impl Into<String>) -> Self {
        ProviderError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the backend's error as the source. It must not display the secret.
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Attaches an already boxed backend error as the source.
    pub fn with_boxed_source(mut self, source: Box<dyn StdError + Send + Sync + 'static>) -> Self {
        self.source = Some(source);
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ProviderErrorKind {
        self.kind
    }

    /// The provider's value-free message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.kind, self.message)
        }
    }
}

impl StdError for ProviderError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
