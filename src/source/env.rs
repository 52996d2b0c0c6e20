//! The environment the loader reads: the process environment, or an isolated map.

use std::collections::HashMap;

use secrecy::{ExposeSecret, SecretString};

/// A variable was set but is not valid Unicode.
#[derive(Debug)]
pub(crate) struct NotUnicode;

/// The variables visible to one resolution. Values set with [`Loader::var`] win over the
/// process environment; with [`Loader::isolated`] the process environment is not read.
///
/// [`Loader::var`]: crate::Loader::var
/// [`Loader::isolated`]: crate::Loader::isolated
#[derive(Debug, Default)]
pub(crate) struct Env {
    pub(crate) isolated: bool,
    pub(crate) vars: HashMap<String, SecretString>,
}

impl Clone for Env {
    fn clone(&self) -> Self {
        Env {
            isolated: self.isolated,
            vars: self
                .vars
                .iter()
                .map(|(k, v)| (k.clone(), crate::secret::secret_from_str(v.expose_secret())))
                .collect(),
        }
    }
}

impl Env {
    /// The value of `name`, straight into a secret box. Empty counts as unset.
    pub(crate) fn get(&self, name: &str) -> Result<Option<SecretString>, NotUnicode> {
        if let Some(v) = self.vars.get(name) {
            let v = v.expose_secret();
            return Ok((!v.is_empty()).then(|| crate::secret::secret_from_str(v)));
        }
        if self.isolated {
            return Ok(None);
        }
        match std::env::var_os(name) {
            None => Ok(None),
            Some(os) => {
                let s = os.into_string().map_err(|os| {
                    let mut bytes = std::os::unix::ffi::OsStringExt::into_vec(os);
                    zeroize::Zeroize::zeroize(&mut bytes);
                    NotUnicode
                })?;
                if s.is_empty() {
                    return Ok(None);
                }
                Ok(Some(crate::secret::into_secret(s)))
            }
        }
    }
}
