//! `pass://` references: the standard Unix password manager, through `pass show`.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use secrecy::SecretString;

use super::command::{self, Program};
use super::{FetchContext, Fetched, ProviderError, ProviderErrorKind, SecretProvider, SecretRef};
use crate::secret::secret_from_str;

const BACKEND: &str = "pass";

/// Serves `pass://<path>[#field]` by running `pass show -- <path>`.
///
/// Without `#field` the value is the entry's first line (pass's convention for the
/// password). With `#field` it is the value of the first later line of the form
/// `field: value`, the layout pass and its browser extensions use for extra fields.
///
/// The program is `pass` from `PATH` unless [`program`](Self::program) sets another in code;
/// a reference can never choose it. `gpg-agent` must be able to decrypt without a prompt
/// (stdin is closed).
///
/// ```no_run
/// use sentry_secrets::{PassProvider, Registry};
///
/// let mut registry = Registry::with_builtin();
/// registry.register(PassProvider::new().program("/usr/bin/pass"));
/// ```
#[derive(Debug, Clone)]
pub struct PassProvider {
    program: Program,
}

impl Default for PassProvider {
    fn default() -> Self {
        PassProvider {
            program: Program::named("pass"),
        }
    }
}

impl PassProvider {
    /// Runs `pass` found on `PATH`.
    pub fn new() -> Self {
        PassProvider::default()
    }

    /// Runs the program at `path` (or of that name on `PATH`) instead of `pass`.
    pub fn program(mut self, path: impl Into<PathBuf>) -> Self {
        self.program.program = path.into();
        self
    }

    /// Looks the program up in, and runs it with, this `PATH` instead of the process's.
    pub fn search_path(mut self, path: impl Into<OsString>) -> Self {
        self.program.search_path = Some(path.into());
        self
    }
}

impl SecretProvider for PassProvider {
    fn scheme(&self) -> &str {
        "pass"
    }

    fn fetch(&self, reference: &SecretRef, ctx: &FetchContext) -> Result<Fetched, ProviderError> {
        let path = reference.location();
        let path_ok = !path.starts_with('-')
            && !path.starts_with('/')
            && !path.chars().any(char::is_control)
            && path
                .split('/')
                .all(|s| !s.is_empty() && s != "." && s != "..");
        if !path_ok {
            return Err(ProviderError::new(
                ProviderErrorKind::BadReference,
                "expected pass://<relative/path> without empty, . or .. segments or a leading -",
            ));
        }
        if let Some((k, _)) = reference.options().next() {
            return Err(ProviderError::new(
                ProviderErrorKind::BadReference,
                format!("pass: unknown option `{}`", super::reference::shown(k)),
            ));
        }
        let out = command::run(
            BACKEND,
            &self.program,
            &[OsStr::new("show"), OsStr::new("--"), OsStr::new(path)],
            ctx,
            classify,
        )?;
        let text = std::str::from_utf8(&out.stdout).map_err(|_| {
            ProviderError::new(ProviderErrorKind::Malformed, "pass: output is not UTF-8")
        })?;
        select(text, reference.field()).map(Fetched::new)
    }
}

fn select(text: &str, field: Option<&str>) -> Result<SecretString, ProviderError> {
    let mut lines = text.lines();
    let value = match field {
        None => lines.next().unwrap_or(""),
        Some(name) => lines
            .skip(1)
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                (k.trim() == name).then(|| v.trim())
            })
            .ok_or_else(|| {
                ProviderError::new(
                    ProviderErrorKind::MissingField,
                    format!(
                        "pass: the entry has no `{}:` line",
                        super::reference::shown(name)
                    ),
                )
            })?,
    };
    if value.is_empty() {
        return Err(ProviderError::new(
            ProviderErrorKind::Malformed,
            "pass: the value is empty",
        ));
    }
    Ok(secret_from_str(value))
}

/// What `pass`'s stderr says went wrong (stderr is never shown).
fn classify(stderr: &[u8]) -> ProviderErrorKind {
    if command::mentions(stderr, "is not in the password store") {
        ProviderErrorKind::NotFound
    } else if command::mentions(stderr, "decryption failed")
        || command::mentions(stderr, "no secret key")
    {
        ProviderErrorKind::Forbidden
    } else {
        ProviderErrorKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn first_line_or_named_field() {
        let entry = "p4ss\nuser: me\ntoken: t0k\n";
        assert_eq!(select(entry, None).unwrap().expose_secret(), "p4ss");
        assert_eq!(select(entry, Some("token")).unwrap().expose_secret(), "t0k");
        assert_eq!(
            select(entry, Some("dsn")).unwrap_err().kind(),
            ProviderErrorKind::MissingField
        );
        assert!(select("", None).is_err());
    }
}
