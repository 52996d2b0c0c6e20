//! sentry-secrets (skeleton).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "scan")]
pub mod scan;
