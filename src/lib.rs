#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod audit;
mod config;
mod error;
mod init;
mod policy;
mod provenance;
mod provider;
mod report;
mod resolve;
mod secret;
mod source;

#[cfg(feature = "scan")]
pub mod scan;

pub use audit::TARGET as AUDIT_TARGET;
pub use config::SentryConfig;
pub use error::Error;
pub use init::{Guard, init};
pub use policy::{Access, DotEnv, FilePolicy, MissingDsn, Policy, StoreFailure, Symlinks};
pub use provenance::Origin;
#[cfg(feature = "aws")]
pub use provider::AwsSecretsManagerProvider;
#[cfg(feature = "onepassword")]
pub use provider::OnePasswordProvider;
#[cfg(feature = "pass")]
pub use provider::PassProvider;
#[cfg(feature = "vault")]
pub use provider::{DEFAULT_K8S_JWT_FILE, VaultAuth, VaultProvider};
pub use provider::{
    FetchContext, Fetched, FileProvider, ProviderError, ProviderErrorKind, RefError, Registry,
    SecretProvider, SecretRef,
};
pub use report::{Report, ReportField};
pub use resolve::Loader;
pub use secret::{
    AuthToken, DsnError, OrgTokenInfo, SecretDsn, TokenError, TokenKind, fingerprint,
};
pub use source::file::FileErrorKind;

/// Re-exported for [`SecretString`](secrecy::SecretString) in the public API.
pub use secrecy;
/// The sentry crate this crate was built against, re-exported so versions match.
pub use sentry;
