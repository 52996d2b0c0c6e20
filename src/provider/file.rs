//! `file://` references: the core's hardened read of an absolute path.

use std::path::Path;

use super::{FetchContext, Fetched, ProviderError, ProviderErrorKind, SecretProvider, SecretRef};
use crate::policy::FilePolicy;
use crate::source::file::{FileErrorKind, read_secret};

/// Serves `file:///absolute/path` with the same hardened read as `VAR_FILE`.
///
/// By default it applies the loader's file policy (from the [`FetchContext`]), so
/// [`Policy::strict`](crate::Policy::strict) reaches `file://` references too.
#[derive(Debug, Default, Clone)]
pub struct FileProvider {
    policy: Option<FilePolicy>,
}

impl FileProvider {
    /// A provider applying `policy` to the files it reads, whatever the loader's policy.
    pub fn new(policy: FilePolicy) -> Self {
        FileProvider {
            policy: Some(policy),
        }
    }
}

impl SecretProvider for FileProvider {
    fn scheme(&self) -> &str {
        "file"
    }

    fn fetch(&self, reference: &SecretRef, ctx: &FetchContext) -> Result<Fetched, ProviderError> {
        let path = Path::new(reference.location());
        if !path.is_absolute() {
            return Err(ProviderError::new(
                ProviderErrorKind::BadReference,
                "file:// needs an absolute path (file:///path)",
            ));
        }
        let policy = self.policy.as_ref().unwrap_or(ctx.file_policy());
        match read_secret("file", path, policy) {
            Ok(v) => Ok(Fetched::new(v)),
            Err(e) => {
                let kind = match e.kind {
                    FileErrorKind::Io
                        if e.source.as_ref().map(|s| s.kind())
                            == Some(std::io::ErrorKind::NotFound) =>
                    {
                        ProviderErrorKind::NotFound
                    }
                    FileErrorKind::Io => ProviderErrorKind::Other,
                    FileErrorKind::WorldWritable
                    | FileErrorKind::ReadableByOthers
                    | FileErrorKind::ForeignOwner => ProviderErrorKind::Forbidden,
                    _ => ProviderErrorKind::Malformed,
                };
                let mut err = ProviderError::new(kind, format!("{}: {}", path.display(), e.kind));
                if let Some(src) = e.source {
                    err = err.with_source(src);
                }
                Err(err)
            }
        }
    }
}
