//! `op://` references: 1Password through its `op` command-line tool.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use super::command::{self, Program};
use super::{FetchContext, Fetched, ProviderError, ProviderErrorKind, SecretProvider, SecretRef};
use crate::secret::secret_from_str;

const BACKEND: &str = "1password";

/// Serves `op://<vault>/<item>/[<section>/]<field>` by running `op read <reference>`.
///
/// The reference is 1Password's own secret-reference syntax, passed whole as one argument
/// (options such as `?attribute=otp` included). `op` must be on `PATH` and signed in, or
/// given a service-account token (`OP_SERVICE_ACCOUNT_TOKEN`), as for any `op read`. The
/// program is `op` from `PATH` unless [`program`](Self::program) sets another in code; a
/// reference can never choose it. One trailing newline is removed from the output.
///
/// ```no_run
/// use sentry_secrets::{OnePasswordProvider, Registry};
///
/// let mut registry = Registry::with_builtin();
/// registry.register(OnePasswordProvider::new().program("/usr/local/bin/op"));
/// ```
#[derive(Debug, Clone)]
pub struct OnePasswordProvider {
    program: Program,
}

impl Default for OnePasswordProvider {
    fn default() -> Self {
        OnePasswordProvider {
            program: Program::named("op"),
        }
    }
}

impl OnePasswordProvider {
    /// Runs `op` found on `PATH`.
    pub fn new() -> Self {
        OnePasswordProvider::default()
    }

    /// Runs the program at `path` (or of that name on `PATH`) instead of `op`.
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

impl SecretProvider for OnePasswordProvider {
    fn scheme(&self) -> &str {
        "op"
    }

    fn fetch(&self, reference: &SecretRef, ctx: &FetchContext) -> Result<Fetched, ProviderError> {
        let bad = |msg: &str| ProviderError::new(ProviderErrorKind::BadReference, msg.to_owned());
        if reference.field().is_some() {
            return Err(bad(
                "op:// references name the field in the path (op://vault/item/field), not after #",
            ));
        }
        let segments = reference.location().split('/').count();
        if !(3..=4).contains(&segments) || reference.location().split('/').any(str::is_empty) {
            return Err(bad("expected op://<vault>/<item>/[<section>/]<field>"));
        }
        // Built from the parts: `SecretRef`'s Display hides text before an `@`, which is
        // legitimate in 1Password item names.
        let mut arg = format!("op://{}", reference.location());
        for (i, (k, v)) in reference.options().enumerate() {
            arg.push(if i == 0 { '?' } else { '&' });
            arg.push_str(&format!("{k}={v}"));
        }
        if arg.chars().any(char::is_control) {
            return Err(bad("the reference holds control characters"));
        }
        let out = command::run(
            BACKEND,
            &self.program,
            &[OsStr::new("read"), OsStr::new(&arg)],
            ctx,
            classify,
        )?;
        let text = std::str::from_utf8(&out.stdout).map_err(|_| {
            ProviderError::new(
                ProviderErrorKind::Malformed,
                "1password: output is not UTF-8",
            )
        })?;
        let value = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .unwrap_or(text);
        if value.is_empty() {
            return Err(ProviderError::new(
                ProviderErrorKind::Malformed,
                "1password: the field is empty",
            ));
        }
        Ok(Fetched::new(secret_from_str(value)))
    }
}

/// What `op`'s stderr says went wrong (stderr is never shown).
fn classify(stderr: &[u8]) -> ProviderErrorKind {
    if [
        "isn't an item",
        "isn't a vault",
        "could not find",
        "not found",
        "no item",
    ]
    .iter()
    .any(|n| command::mentions(stderr, n))
    {
        ProviderErrorKind::NotFound
    } else if [
        "not signed in",
        "unauthorized",
        "forbidden",
        "authorization",
        "sign in",
    ]
    .iter()
    .any(|n| command::mentions(stderr, n))
    {
        ProviderErrorKind::Forbidden
    } else {
        ProviderErrorKind::Other
    }
}
