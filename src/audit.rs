//! Audit events: metadata only, emitted through `tracing` (target `sentry_secrets::audit`).
//!
//! Every event names the field, the source and the outcome, and carries a fingerprint where a
//! value was resolved. No event ever carries a value.

use std::path::Path;
use std::time::Duration;

use crate::provider::SecretRef;

/// The `tracing` target of every audit event.
pub const TARGET: &str = "sentry_secrets::audit";

/// Whether anyone listens to audit events (so that callers can skip preparing them).
pub(crate) fn enabled() -> bool {
    tracing::enabled!(target: TARGET, tracing::Level::ERROR)
}

/// A store was accessed (or answered from cache).
pub(crate) fn store_access(
    key: &str,
    reference: &SecretRef,
    outcome: &str,
    latency: Duration,
    attempts: u32,
) {
    if !enabled() {
        return;
    }
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

/// A field was resolved (or failed): field, source, outcome and fingerprint, never the value.
pub(crate) fn resolved(
    key: &str,
    origin: Option<&crate::provenance::Origin>,
    outcome: &str,
    fingerprint: impl FnOnce() -> Option<String>,
) {
    // Rendering the origin and hashing for the fingerprint cost more than the rest of a
    // resolution: skip both when nobody listens.
    if !enabled() {
        return;
    }
    let source = origin.map(ToString::to_string).unwrap_or_default();
    let fingerprint = fingerprint().unwrap_or_default();
    if outcome == "ok" {
        tracing::info!(target: TARGET, event = "resolved", field = key, source = %source, outcome, fingerprint);
    } else {
        tracing::warn!(target: TARGET, event = "resolved", field = key, source = %source, outcome, fingerprint);
    }
}

/// Sentry will not be started (no DSN, or a failed reference under a lenient policy).
pub(crate) fn disabled(key: &str, why: &str) {
    tracing::warn!(target: TARGET, event = "disabled", field = key, reason = why);
}

/// A whole source (such as a `.env` file) was read.
pub(crate) fn source_used(what: &str, path: &Path) {
    tracing::info!(target: TARGET, event = "source_used", source = what, path = %path.display());
}

/// The DSN carries a legacy secret key.
pub(crate) fn legacy_secret_key(key: &str) {
    tracing::warn!(target: TARGET, event = "legacy_secret_key", field = key, warning = "the DSN carries a legacy secret key");
}

/// Sentry was started (or not) with a DSN identified by its fingerprint.
pub(crate) fn initialized(enabled: bool, fingerprint: Option<&str>) {
    tracing::info!(target: TARGET, event = "initialized", enabled, fingerprint = fingerprint.unwrap_or(""));
}
