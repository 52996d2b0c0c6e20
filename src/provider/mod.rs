//! Secret stores behind references: the [`SecretProvider`] trait and the [`Registry`].

#[cfg(feature = "aws")]
mod aws;
#[cfg(any(feature = "onepassword", feature = "pass"))]
mod command;
#[cfg(any(
    feature = "vault",
    feature = "aws",
    feature = "onepassword",
    feature = "pass"
))]
mod detail;
mod error;
mod file;
#[cfg(any(feature = "vault", feature = "aws"))]
mod json;
#[cfg(feature = "onepassword")]
mod onepassword;
#[cfg(feature = "pass")]
mod pass;
mod reference;
mod registry;
#[cfg(any(feature = "vault", feature = "aws"))]
mod runtime;
#[cfg(feature = "vault")]
mod vault;

#[cfg(feature = "aws")]
pub use aws::AwsSecretsManagerProvider;
pub use error::{ProviderError, ProviderErrorKind};
pub use file::FileProvider;
#[cfg(feature = "onepassword")]
pub use onepassword::OnePasswordProvider;
#[cfg(feature = "pass")]
pub use pass::PassProvider;
pub use reference::{RefError, SecretRef};
pub use registry::Registry;
#[cfg(feature = "vault")]
pub use vault::{DEFAULT_K8S_JWT_FILE, VaultAuth, VaultProvider};

use std::fmt;
use std::time::{Duration, Instant};

use secrecy::SecretString;

use crate::policy::FilePolicy;

/// A secret store reached through references of one scheme (`vault`, `aws-sm`, ...).
///
/// Implement this for your own store and register it with
/// [`Loader::provider`](crate::Loader::provider). The trait is small and object-safe; the
/// registry adds the deadline, retries for transient errors, caching and audit events, so an
/// implementation only fetches.
///
/// Rules for implementations:
/// - return the value in a [`SecretString`]; wipe any intermediate buffers;
/// - never put the value, or any part of a response body that may hold it, in an error;
/// - respect [`FetchContext::remaining`]: do not block past the deadline;
/// - report *what* went wrong with a [`ProviderErrorKind`] so the registry can decide whether
///   to retry.
///
/// # Example
///
/// A store that serves secrets from an in-memory map, registered under `mem://`:
///
/// ```
/// use std::collections::HashMap;
/// use sentry_secrets::{
///     FetchContext, Fetched, Loader, ProviderError, ProviderErrorKind, SecretProvider, SecretRef,
/// };
/// use secrecy::SecretString;
///
/// #[derive(Debug)]
/// struct MemoryStore(HashMap<&'static str, &'static str>);
///
/// impl SecretProvider for MemoryStore {
///     fn scheme(&self) -> &str {
///         "mem"
///     }
///
///     fn fetch(&self, r: &SecretRef, _ctx: &FetchContext) -> Result<Fetched, ProviderError> {
///         match self.0.get(r.location()) {
///             Some(v) => Ok(Fetched::new(SecretString::from(*v))),
///             None => Err(ProviderError::new(ProviderErrorKind::NotFound, "no such key")),
///         }
///     }
/// }
///
/// let store = MemoryStore(HashMap::from([(
///     "sentry/dsn",
///     "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42",
/// )]));
/// let config = Loader::new()
///     .isolated() // ignore this process's environment, for the example
///     .var("SENTRY_DSN", "mem://sentry/dsn")
///     .provider(store)
///     .resolve()
///     .unwrap();
/// assert_eq!(config.dsn().unwrap().project_id(), "42");
///
/// // A missing key fails with the variable, the reference and the kind; never a value.
/// let err = Loader::new()
///     .isolated()
///     .var("SENTRY_DSN", "mem://sentry/nope")
///     .provider(MemoryStore(HashMap::new()))
///     .resolve()
///     .unwrap_err();
/// assert!(err.to_string().contains("mem://sentry/nope"));
/// ```
///
/// `examples/custom_provider.rs` (`cargo run --example custom_provider`) is a fuller one: a
/// provider for a secrets sidecar on a Unix socket, with timeouts taken from the
/// [`FetchContext`], error kinds that drive the registry's retries, a TTL for the cache, and
/// a read buffer wiped on every path.
pub trait SecretProvider: Send + Sync + fmt::Debug {
    /// The scheme this provider serves, without `://`.
    fn scheme(&self) -> &str;

    /// Fetches the secret named by `reference`.
    fn fetch(&self, reference: &SecretRef, ctx: &FetchContext) -> Result<Fetched, ProviderError>;
}

/// What a fetch may use: the deadline for the whole resolution.
#[derive(Debug, Clone)]
pub struct FetchContext {
    deadline: Instant,
    request_timeout: Duration,
    files: FilePolicy,
}

impl FetchContext {
    /// A context whose deadline is `deadline`, with per-request timeouts of at most
    /// `request_timeout`.
    pub fn new(deadline: Instant, request_timeout: Duration) -> Self {
        FetchContext {
            deadline,
            request_timeout,
            files: FilePolicy::default(),
        }
    }

    /// The same context, with `files` as the policy for any file a provider reads (token,
    /// secret-id or JWT files, `file://`). The loader passes its [`Policy::files`].
    ///
    /// [`Policy::files`]: crate::Policy::files
    pub fn with_file_policy(mut self, files: FilePolicy) -> Self {
        self.files = files;
        self
    }

    /// The policy for files a provider reads.
    pub fn file_policy(&self) -> &FilePolicy {
        &self.files
    }

    /// The instant by which the whole resolution must be done.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Time left before the deadline (zero when it has passed).
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The timeout to use for one request: the per-request timeout, capped by the time left.
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout.min(self.remaining())
    }

    /// Whether the deadline has passed.
    pub fn expired(&self) -> bool {
        Instant::now() >= self.deadline
    }
}

/// A fetched secret, with how long it may be cached.
#[derive(Debug)]
pub struct Fetched {
    pub(crate) value: SecretString,
    pub(crate) ttl: Option<Duration>,
}

impl Fetched {
    /// A value with no particular lifetime (the registry's default TTL applies).
    pub fn new(value: SecretString) -> Self {
        Fetched { value, ttl: None }
    }

    /// Sets how long the value may be cached, for example a Vault lease duration.
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// The value.
    pub fn into_value(self) -> SecretString {
        self.value
    }

    /// The TTL the store gave, if any.
    pub fn ttl(&self) -> Option<Duration> {
        self.ttl
    }
}
