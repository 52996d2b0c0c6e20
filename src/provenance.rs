//! Where a value came from: its provenance. Origins are shown in reports and errors; values never.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// The origin of a resolved value (Figment's `Metadata`, reduced to what a reviewer needs).
///
/// An origin never contains the value itself: only the name of the variable, the path of the
/// file or the reference that supplied it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Origin {
    /// Set in code through the builder.
    Code,
    /// An environment variable, by name.
    Env {
        /// The variable's name, for example `SENTRY_DSN`.
        var: String,
    },
    /// A file named by a `<VAR>_FILE` environment variable.
    VarFile {
        /// The `_FILE` variable's name, for example `SENTRY_DSN_FILE`.
        var: String,
        /// The file it pointed to.
        path: PathBuf,
    },
    /// A systemd credential (`$CREDENTIALS_DIRECTORY/<name>`).
    Credential {
        /// The credential file.
        path: PathBuf,
    },
    /// A file in a configured secrets directory such as `/run/secrets`.
    SecretsDir {
        /// The secret file.
        path: PathBuf,
    },
    /// A development `.env` file.
    DotEnv {
        /// The `.env` file.
        path: PathBuf,
        /// The key inside it.
        key: String,
    },
    /// A secret store reached through a reference such as `vault://secret/sentry#dsn`.
    Store {
        /// The reference's scheme, for example `vault`.
        scheme: String,
        /// The reference, which names a location and never holds the secret.
        reference: String,
        /// Where the reference itself was found.
        via: Box<Origin>,
    },
    /// The built-in default.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Code => f.write_str("code"),
            Origin::Env { var } => write!(f, "env {var}"),
            Origin::VarFile { var, path } => write!(f, "file {} (via {var})", path.display()),
            Origin::Credential { path } => write!(f, "systemd credential {}", path.display()),
            Origin::SecretsDir { path } => write!(f, "secrets dir file {}", path.display()),
            Origin::DotEnv { path, key } => write!(f, ".env {} key {key}", path.display()),
            Origin::Store {
                scheme: _,
                reference,
                via,
            } => write!(f, "store {reference} (via {via})"),
            Origin::Default => f.write_str("default"),
        }
    }
}
