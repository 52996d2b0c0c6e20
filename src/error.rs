//! The one public error type.

use std::path::PathBuf;
use std::time::Duration;

use crate::provenance::Origin;
use crate::provider::{ProviderError, RefError};
use crate::secret::{DsnError, TokenError};
use crate::source::file::FileErrorKind;

/// Everything that can go wrong while resolving or initialising.
///
/// Every variant names the variable, file or reference involved and never the value:
/// printing an error, its `Debug` form or its source chain is always safe.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The DSN is malformed. Always an error, never the SDK's silent disable.
    #[error("invalid Sentry DSN in {key} (from {origin}): {source}")]
    InvalidDsn {
        /// The variable, for example `SENTRY_DSN`.
        key: String,
        /// Where the value came from.
        origin: Origin,
        /// Which part is wrong.
        #[source]
        source: DsnError,
    },
    /// The auth token is malformed.
    #[error("invalid Sentry auth token in {key} (from {origin}): {source}")]
    InvalidToken {
        /// The variable, for example `SENTRY_AUTH_TOKEN`.
        key: String,
        /// Where the value came from.
        origin: Origin,
        /// Which part is wrong.
        #[source]
        source: TokenError,
    },
    /// A non-secret option has a value that does not parse or is out of range.
    #[error("invalid value for {key} (from {origin}): expected {expected}")]
    InvalidValue {
        /// The variable.
        key: String,
        /// Where the value came from.
        origin: Origin,
        /// What was expected, for example "a number between 0 and 1".
        expected: &'static str,
    },
    /// Both `VAR` and `VAR_FILE` are set.
    #[error("both {key} and {key}_FILE are set; set only one")]
    Conflict {
        /// The variable, for example `SENTRY_DSN`.
        key: String,
    },
    /// A secret file could not be used.
    #[error("{key}: cannot use {}: {kind}", path.display())]
    File {
        /// The variable the file was meant to supply.
        key: String,
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        kind: FileErrorKind,
        /// The OS error, when there is one.
        #[source]
        source: Option<std::io::Error>,
    },
    /// A `.env` file has a line that does not parse.
    #[error(".env file {}: cannot parse line {line}", path.display())]
    DotEnvSyntax {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
    },
    /// The policy refuses where the value came from.
    #[error("{key} (from {origin}) refused by policy: {reason}")]
    Policy {
        /// The variable.
        key: String,
        /// Where the value came from.
        origin: Origin,
        /// Why.
        reason: &'static str,
    },
    /// A reference looks like `scheme://...` but is malformed.
    #[error("{key}: malformed secret reference (from {origin})")]
    BadReference {
        /// The variable.
        key: String,
        /// Where the reference came from.
        origin: Origin,
        /// What is wrong.
        #[source]
        source: RefError,
    },
    /// A reference names a scheme no provider serves. Never taken as a literal.
    #[error("{key}: unknown secret reference scheme `{scheme}://` (from {origin}); known: {known}")]
    UnknownScheme {
        /// The variable.
        key: String,
        /// The unknown scheme.
        scheme: String,
        /// Where the reference came from.
        origin: Origin,
        /// The registered schemes, comma-separated.
        known: String,
    },
    /// A secret store could not supply a reference.
    #[error("{key}: secret store reference {reference} failed: {}", source.kind())]
    Provider {
        /// The variable.
        key: String,
        /// The reference (a location, never a value).
        reference: String,
        /// The store's error, value-free.
        #[source]
        source: ProviderError,
    },
    /// No DSN was found and the policy requires one.
    #[error("no Sentry DSN: {key} is not set (nor {key}_FILE, a credential or a .env entry)")]
    MissingDsn {
        /// The variable that was looked for.
        key: String,
    },
    /// The whole resolution ran past its deadline.
    #[error("resolving the Sentry configuration took longer than {0:?}")]
    Deadline(Duration),
}
