//! `Policy`: what the loader accepts, and what it does when something is missing or refused.

use std::time::Duration;

/// What to do about a file that others can read, or that another user owns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Access {
    /// Accept silently.
    Allow,
    /// Accept, with an audit warning naming the file.
    Warn,
    /// Refuse with an error.
    Refuse,
}

/// Whether a secret file may be a symbolic link.
///
/// Kubernetes secret volumes are symlinks (`dsn -> ..data/dsn`), so links are followed by
/// default and every check applies to the file the link ends at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Symlinks {
    /// Follow links; check the target.
    Follow,
    /// Refuse a path whose last component is a link.
    Refuse,
}

/// Checks applied to every secret file (`VAR_FILE`, credentials, secrets dir, `.env`).
///
/// A world-writable file is always refused: anyone could swap the DSN and redirect your
/// events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePolicy {
    /// Group- or world-readable files. Default [`Access::Warn`]; strict [`Access::Refuse`].
    pub readable_by_others: Access,
    /// Files owned by a user other than this process's user or root. Default
    /// [`Access::Warn`]; strict [`Access::Refuse`].
    pub foreign_owner: Access,
    /// Symbolic links. Default and strict: [`Symlinks::Follow`].
    pub symlinks: Symlinks,
}

impl Default for FilePolicy {
    fn default() -> Self {
        FilePolicy {
            readable_by_others: Access::Warn,
            foreign_owner: Access::Warn,
            symlinks: Symlinks::Follow,
        }
    }
}

impl FilePolicy {
    /// Files readable by others or owned by another user are refused.
    pub fn strict() -> Self {
        FilePolicy {
            readable_by_others: Access::Refuse,
            foreign_owner: Access::Refuse,
            symlinks: Symlinks::Follow,
        }
    }
}

/// When a development `.env` file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DotEnv {
    /// Never.
    Never,
    /// Unless the environment (set in code or by `SENTRY_ENVIRONMENT`, not by `.env`) is
    /// `production` or `prod`, or is unset in a release build (where Sentry reports
    /// `production`). The default.
    Development,
    /// Always (tests and tools).
    Always,
}

/// What happens when no DSN is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissingDsn {
    /// Sentry is disabled, with one audit warning. The default.
    Disable,
    /// Resolution fails with [`Error::MissingDsn`](crate::Error::MissingDsn).
    Required,
}

/// What happens when a secret-store reference for the DSN cannot be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreFailure {
    /// Resolution fails. The default: a broken reference is a deployment error.
    Fail,
    /// Sentry is disabled with an audit warning; the service starts.
    Disable,
}

/// The loader's policy. [`Policy::default`] suits development and most services;
/// [`Policy::strict`] is meant for production.
///
/// An invalid DSN is always an error, under every policy: never the SDK's silent disable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Missing DSN: disable (default) or fail.
    pub missing_dsn: MissingDsn,
    /// When `.env` is read.
    pub dotenv: DotEnv,
    /// Checks on secret files.
    pub files: FilePolicy,
    /// Whether the auth token may be a literal in a plain environment variable (as opposed to
    /// a `_FILE`, a credential or a store reference). Default true; strict false.
    pub allow_literal_auth_token_env: bool,
    /// What a failed store reference for the DSN does.
    pub store_failure: StoreFailure,
    /// The deadline for the whole resolution, store fetches included. Default 10 s.
    pub deadline: Duration,
    /// The timeout for one store request. Default 3 s (capped by the deadline).
    pub request_timeout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            missing_dsn: MissingDsn::Disable,
            dotenv: DotEnv::Development,
            files: FilePolicy::default(),
            allow_literal_auth_token_env: true,
            store_failure: StoreFailure::Fail,
            deadline: Duration::from_secs(10),
            request_timeout: Duration::from_secs(3),
        }
    }
}

impl Policy {
    /// Production: DSN required, no `.env`, no secret files readable by others or owned by
    /// another user, no literal auth token in a plain environment variable.
    pub fn strict() -> Self {
        Policy {
            missing_dsn: MissingDsn::Required,
            dotenv: DotEnv::Never,
            files: FilePolicy::strict(),
            allow_literal_auth_token_env: false,
            ..Policy::default()
        }
    }
}
