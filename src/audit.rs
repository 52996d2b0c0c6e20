//! Audit events: metadata only, emitted through `tracing` (target `sentry_secrets::audit`).
//!
//! Every event names the field, the source and the outcome, and carries a fingerprint where a
//! value was resolved. No event ever carries a value.

use std::path::Path;
use std::time::Duration;

use crate::provider::SecretRef;

/// The `tracing` target of every audit event.
pub const TARGET: &str = "sentry_secrets::audit";

/// A store was accessed (or answered from cache).
pub(crate) fn store_access(
    key: &str,
    reference: &SecretRef,
    outcome: &str,
    latency: Duration,
    attempts: u32,
) {
    let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
    let reference = reference.to_string();
    if outcome == "ok" || outcome == "cache_hit" {
        tracing::info!(target: TARGET, event = "store_access", field = key, reference = %reference, outcome, latency_ms, attempts);
    } else {
        tracing::warn!(target: TARGET, event = "store_access", field = key, reference = %reference, outcome, latency_ms, attempts);
    }
}

/// A secret file was accepted with a warning (for example readable by others).
pub(crate) fn file_warning(key: &str, path: &Path, what: &str) {
    tracing::warn!(target: TARGET, event = "file_warning", field = key, path = %path.display(), warning = what);
}
