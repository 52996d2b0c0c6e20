//! `file://` references: the core's hardened read of an absolute path.

use std::path::Path;

use super::{FetchContext, Fetched, ProviderError, ProviderErrorKind, SecretProvider, SecretRef};
use crate::policy::FilePolicy;
use crate::source::file::{FileErrorKind, read_secret};

/// Serves `file:///absolute/path` with the same hardened read as `VAR_FILE`.
#[derive(Debug, Default, Clone)]
pub struct FileProvider {
    policy: FilePolicy,
}

impl FileProvider {
    /// A provider applying `policy` to the files it reads.
    pub fn new(policy: FilePolicy) -> Self {
        FileProvider { policy }
    }
}

impl SecretProvider for FileProvider {
    fn scheme(&self) -> &str {
        "file"
    }

    fn fetch(&self, reference: &SecretRef, _ctx: &FetchContext) -> Result<Fetched, ProviderError> {
        let path = Path::new(reference.location());
        if !path.is_absolute() {
            return Err(ProviderError::new(
                ProviderErrorKind::BadReference,
                "file:// needs an absolute path (file:///path)",
            ));
        }
        match read_secret("file", path, &self.policy) {
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
