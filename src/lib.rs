//! sentry-secrets (work in progress).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod audit;
mod policy;
mod provenance;
mod provider;
mod secret;
mod source;

#[cfg(feature = "scan")]
pub mod scan;

pub use policy::{Access, DotEnv, FilePolicy, MissingDsn, Policy, StoreFailure, Symlinks};
pub use provenance::Origin;
pub use provider::{
    FetchContext, Fetched, FileProvider, ProviderError, ProviderErrorKind, RefError, Registry,
    SecretProvider, SecretRef,
};
pub use source::file::FileErrorKind;
#[cfg(feature = "aws")]
pub use provider::AwsSecretsManagerProvider;
#[cfg(feature = "onepassword")]
pub use provider::OnePasswordProvider;
#[cfg(feature = "pass")]
pub use provider::PassProvider;
#[cfg(feature = "vault")]
pub use provider::{DEFAULT_K8S_JWT_FILE, VaultAuth, VaultProvider};
