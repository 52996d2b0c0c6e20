//! `BackendDetail`: a value-free stand-in for a backend's own error.

use std::error::Error as StdError;
use std::fmt;

/// A value-free description of a backend failure, used as the source of a
/// [`ProviderError`](super::ProviderError) instead of the backend's own error.
///
/// Store clients keep response bodies in their errors (vaultrs' `ResponseParseError`, the AWS
/// SDK's raw response) and serde errors quote the input they choke on, so their errors can
/// hold the secret. A `BackendDetail` is written by us from status and error codes only.
#[derive(Debug, Clone)]
pub(crate) struct BackendDetail {
    backend: &'static str,
    detail: String,
}

impl BackendDetail {
    /// `detail` must come from status codes, error codes and our own words, never from a
    /// response body.
    pub(crate) fn new(backend: &'static str, detail: impl Into<String>) -> Self {
        BackendDetail {
            backend,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for BackendDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.backend, self.detail)
    }
}

impl StdError for BackendDetail {}
