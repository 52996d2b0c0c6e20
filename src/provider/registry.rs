//! `Registry`: providers by scheme, with deadline, retries, a TTL cache and audit events.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use super::{FetchContext, Fetched, ProviderError, ProviderErrorKind, SecretProvider, SecretRef};
use crate::audit;

/// How long a fetched value is cached when the store gives no TTL.
const DEFAULT_TTL: Duration = Duration::from_secs(300);
/// Attempts for transient failures (the first try included).
const MAX_ATTEMPTS: u32 = 4;
/// First backoff; doubled on every retry, with full jitter.
const BASE_BACKOFF: Duration = Duration::from_millis(100);

/// The providers a [`Loader`](crate::Loader) can reach, by scheme.
///
/// Fetches go through [`Registry::fetch`], which bounds them by the deadline, retries
/// transient failures with jittered exponential backoff (never 403/404), caches values by
/// reference for their TTL, and emits one audit event per store access.
pub struct Registry {
    providers: HashMap<String, Arc<dyn SecretProvider>>,
    cache: Mutex<HashMap<String, CacheEntry>>,
    default_ttl: Duration,
}

struct CacheEntry {
    value: SecretString,
    expires: Instant,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut schemes: Vec<&str> = self.providers.keys().map(String::as_str).collect();
        schemes.sort_unstable();
        f.debug_struct("Registry")
            .field("schemes", &schemes)
            .finish_non_exhaustive()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry::with_builtin()
    }
}

impl Registry {
    /// A registry with no providers at all (not even `file://`).
    pub fn empty() -> Self {
        Registry {
            providers: HashMap::new(),
            cache: Mutex::new(HashMap::new()),
            default_ttl: DEFAULT_TTL,
        }
    }

    /// A registry with `file://` and every store enabled by cargo features:
    ///
    /// | scheme | feature | provider |
    /// | --- | --- | --- |
    /// | `file` | always | [`FileProvider`](crate::FileProvider) |
    /// | `vault` | `vault` | `VaultProvider::from_env()` |
    /// | `aws-sm` | `aws` | `AwsSecretsManagerProvider::new()` (the standard AWS chain) |
    /// | `op` | `onepassword` | `OnePasswordProvider::new()` (`op` on `PATH`) |
    /// | `pass` | `pass` | `PassProvider::new()` (`pass` on `PATH`) |
    ///
    /// Nothing is contacted and no credential is read here: a store's configuration is read
    /// when one of its references is fetched, and a problem with it is reported then as
    /// [`ProviderErrorKind::Config`].
    pub fn with_builtin() -> Self {
        let mut r = Registry::empty();
        r.register(super::FileProvider::default());
        #[cfg(feature = "vault")]
        r.register(super::VaultProvider::from_env());
        #[cfg(feature = "aws")]
        r.register(super::AwsSecretsManagerProvider::new());
        #[cfg(feature = "onepassword")]
        r.register(super::OnePasswordProvider::new());
        #[cfg(feature = "pass")]
        r.register(super::PassProvider::new());
        r
    }

    /// Registers `provider` for its scheme, replacing any provider of the same scheme.
    pub fn register(&mut self, provider: impl SecretProvider + 'static) {
        self.register_arc(Arc::new(provider));
    }

    /// Registers an already shared provider.
    pub fn register_arc(&mut self, provider: Arc<dyn SecretProvider>) {
        self.providers
            .insert(provider.scheme().to_owned(), provider);
    }

    /// Whether a provider serves `scheme`.
    pub fn has_scheme(&self, scheme: &str) -> bool {
        self.providers.contains_key(scheme)
    }

    /// The registered schemes, sorted.
    pub fn schemes(&self) -> Vec<&str> {
        let mut s: Vec<&str> = self.providers.keys().map(String::as_str).collect();
        s.sort_unstable();
        s
    }

    /// Sets how long values without a store-given TTL are cached (zero disables caching).
    pub fn set_default_ttl(&mut self, ttl: Duration) {
        self.default_ttl = ttl;
    }

    /// Forgets every cached value (they are wiped on drop).
    pub fn clear_cache(&self) {
        if let Ok(mut c) = self.cache.lock() {
            c.clear();
        }
    }

    /// Fetches `reference` for the field `key`, through the cache, with retries.
    ///
    /// Returns [`ProviderErrorKind::BadReference`] when no provider serves the scheme.
    pub fn fetch(
        &self,
        key: &str,
        reference: &SecretRef,
        ctx: &FetchContext,
    ) -> Result<SecretString, ProviderError> {
        let Some(provider) = self.providers.get(reference.scheme()) else {
            return Err(ProviderError::new(
                ProviderErrorKind::BadReference,
                format!("no provider for scheme `{}`", reference.scheme()),
            ));
        };
        let cache_key = reference.cache_key();
        if let Some(hit) = self.cached(&cache_key) {
            audit::store_access(key, reference, "cache_hit", Duration::ZERO, 0);
            return Ok(hit);
        }
        let started = Instant::now();
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            if ctx.expired() {
                break Err(ProviderError::new(
                    ProviderErrorKind::Timeout,
                    "resolution deadline passed",
                ));
            }
            match provider.fetch(reference, ctx) {
                Ok(f) => break Ok(f),
                Err(e) if e.kind().is_transient() && attempt < MAX_ATTEMPTS => {
                    let wait = backoff(attempt);
                    if wait >= ctx.remaining() {
                        break Err(e);
                    }
                    std::thread::sleep(wait);
                }
                Err(e) => break Err(e),
            }
        };
        let latency = started.elapsed();
        match result {
            Ok(Fetched { value, ttl }) => {
                audit::store_access(key, reference, "ok", latency, attempt);
                self.store(cache_key, &value, ttl.unwrap_or(self.default_ttl));
                Ok(value)
            }
            Err(e) => {
                audit::store_access(key, reference, outcome_name(e.kind()), latency, attempt);
                Err(e)
            }
        }
    }

    fn cached(&self, key: &str) -> Option<SecretString> {
        let mut cache = self.cache.lock().ok()?;
        match cache.get(key) {
            Some(e) if e.expires > Instant::now() => Some(e.value.clone()),
            Some(_) => {
                cache.remove(key);
                None
            }
            None => None,
        }
    }

    fn store(&self, key: String, value: &SecretString, ttl: Duration) {
        // A lease too long to represent (a server's choice) is not cached.
        let Some(expires) = Instant::now().checked_add(ttl).filter(|_| !ttl.is_zero()) else {
            return;
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(
                key,
                CacheEntry {
                    value: crate::secret::secret_from_str(value.expose_secret()),
                    expires,
                },
            );
        }
    }
}

fn outcome_name(kind: ProviderErrorKind) -> &'static str {
    match kind {
        ProviderErrorKind::NotFound => "not_found",
        ProviderErrorKind::Forbidden => "forbidden",
        ProviderErrorKind::MissingField => "missing_field",
        ProviderErrorKind::Timeout => "timeout",
        ProviderErrorKind::Unreachable => "unreachable",
        ProviderErrorKind::Transient => "transient",
        ProviderErrorKind::Malformed => "malformed",
        ProviderErrorKind::BadReference => "bad_reference",
        ProviderErrorKind::Config => "config",
        _ => "error",
    }
}

/// Full-jitter exponential backoff: a random duration in `[0, BASE * 2^(attempt-1)]`.
fn backoff(attempt: u32) -> Duration {
    let cap = BASE_BACKOFF.saturating_mul(1 << (attempt - 1).min(6));
    let random = RandomState::new().hash_one(Instant::now());
    let cap_ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX).max(1);
    Duration::from_millis(random % (cap_ms + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Debug)]
    struct Flaky {
        calls: AtomicU32,
        fail_first: u32,
        kind: ProviderErrorKind,
    }

    impl SecretProvider for Flaky {
        fn scheme(&self) -> &str {
            "flaky"
        }
        fn fetch(&self, _: &SecretRef, _: &FetchContext) -> Result<Fetched, ProviderError> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if n < self.fail_first {
                Err(ProviderError::new(self.kind, "boom"))
            } else {
                Ok(Fetched::new(SecretString::from("v")))
            }
        }
    }

    fn ctx() -> FetchContext {
        FetchContext::new(
            Instant::now() + Duration::from_secs(10),
            Duration::from_secs(5),
        )
    }

    #[test]
    fn retries_transient_then_caches() {
        let p = Arc::new(Flaky {
            calls: AtomicU32::new(0),
            fail_first: 2,
            kind: ProviderErrorKind::Unreachable,
        });
        let mut reg = Registry::empty();
        reg.register_arc(p.clone());
        let r = SecretRef::parse("flaky://x").unwrap().unwrap();
        assert_eq!(reg.fetch("K", &r, &ctx()).unwrap().expose_secret(), "v");
        assert_eq!(p.calls.load(Ordering::SeqCst), 3);
        reg.fetch("K", &r, &ctx()).unwrap();
        assert_eq!(
            p.calls.load(Ordering::SeqCst),
            3,
            "second fetch is a cache hit"
        );
    }

    #[test]
    fn never_retries_forbidden_or_not_found() {
        for kind in [ProviderErrorKind::Forbidden, ProviderErrorKind::NotFound] {
            let p = Arc::new(Flaky {
                calls: AtomicU32::new(0),
                fail_first: 10,
                kind,
            });
            let mut reg = Registry::empty();
            reg.register_arc(p.clone());
            let r = SecretRef::parse("flaky://x").unwrap().unwrap();
            assert_eq!(reg.fetch("K", &r, &ctx()).unwrap_err().kind(), kind);
            assert_eq!(p.calls.load(Ordering::SeqCst), 1);
        }
    }

    #[test]
    fn unknown_scheme() {
        let reg = Registry::empty();
        let r = SecretRef::parse("nope://x").unwrap().unwrap();
        assert_eq!(
            reg.fetch("K", &r, &ctx()).unwrap_err().kind(),
            ProviderErrorKind::BadReference
        );
    }
}
