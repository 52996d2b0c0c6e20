//! systemd credentials (`$CREDENTIALS_DIRECTORY/<name>`) and secrets directories.

use std::path::{Path, PathBuf};

/// The file in `dir` that supplies `var`, if any: `dir/VAR` or `dir/var` (lowercase).
pub(crate) fn find(dir: &Path, var: &str) -> Option<PathBuf> {
    [var.to_owned(), var.to_ascii_lowercase()]
        .into_iter()
        .map(|name| dir.join(name))
        .find(|p| std::fs::symlink_metadata(p).is_ok())
}
