//! Hardened secret-file reads: regular files only, bounded, UTF-8, least-privilege checks.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::audit;
use crate::policy::{Access, FilePolicy, Symlinks};

/// The largest secret file read by default. A DSN or token is far under 1 KiB.
pub const MAX_SECRET_FILE: usize = 16 * 1024;
/// The largest `.env` file read.
pub const MAX_DOTENV_FILE: usize = 1024 * 1024;

/// Why a secret file was not read. Names the file, never its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileErrorKind {
    /// The file could not be opened or read (see the source).
    Io,
    /// A FIFO, socket, device or directory.
    NotRegular,
    /// The path is a symbolic link and the policy refuses links.
    Symlink,
    /// Larger than the cap.
    TooLarge,
    /// Not valid UTF-8.
    NotUtf8,
    /// Empty, or only whitespace.
    Empty,
    /// Writable by other users: anyone could swap the secret.
    WorldWritable,
    /// Readable by the group or by everyone, or writable by the group, under a policy that
    /// refuses it.
    ReadableByOthers,
    /// Owned by another user (not root, not this process's user) under a strict policy.
    ForeignOwner,
}

impl std::fmt::Display for FileErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileErrorKind::Io => "cannot read",
            FileErrorKind::NotRegular => "not a regular file",
            FileErrorKind::Symlink => "is a symbolic link (refused by policy)",
            FileErrorKind::TooLarge => "too large for a secret",
            FileErrorKind::NotUtf8 => "not valid UTF-8",
            FileErrorKind::Empty => "empty",
            FileErrorKind::WorldWritable => "world-writable (anyone could replace the secret)",
            FileErrorKind::ReadableByOthers => {
                "readable by group or others, or group-writable (refused by policy; chmod 600)"
            }
            FileErrorKind::ForeignOwner => "owned by another user (refused by policy)",
        })
    }
}

/// A failed hardened read: which file, what kind of failure, and the OS error if any.
#[derive(Debug)]
pub(crate) struct FileError {
    pub(crate) path: PathBuf,
    pub(crate) kind: FileErrorKind,
    pub(crate) source: Option<io::Error>,
}

impl FileError {
    fn new(path: &Path, kind: FileErrorKind) -> Self {
        FileError {
            path: path.to_owned(),
            kind,
            source: None,
        }
    }

    fn io(path: &Path, e: io::Error) -> Self {
        FileError {
            path: path.to_owned(),
            kind: FileErrorKind::Io,
            source: Some(e),
        }
    }
}

/// Reads a secret file under `policy` and returns its trimmed content as a secret.
///
/// `key` names the field for audit warnings. The buffer is wiped on every path.
pub(crate) fn read_secret(
    key: &str,
    path: &Path,
    policy: &FilePolicy,
) -> Result<SecretString, FileError> {
    read_secret_noting(key, path, policy, &mut Vec::new())
}

/// [`read_secret`], also recording accepted-with-warning findings in `warnings`.
pub(crate) fn read_secret_noting(
    key: &str,
    path: &Path,
    policy: &FilePolicy,
    warnings: &mut Vec<String>,
) -> Result<SecretString, FileError> {
    let buf = read_bounded_noting(key, path, policy, MAX_SECRET_FILE, warnings)?;
    let text =
        std::str::from_utf8(&buf).map_err(|_| FileError::new(path, FileErrorKind::NotUtf8))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_end();
    if text.trim_start().is_empty() {
        return Err(FileError::new(path, FileErrorKind::Empty));
    }
    Ok(crate::secret::secret_from_str(text))
}

/// Opens `path` without following a final symlink unless allowed, without blocking on a
/// FIFO, checks what was opened, and reads at most `cap` bytes into a wiped buffer.
pub(crate) fn read_bounded(
    key: &str,
    path: &Path,
    policy: &FilePolicy,
    cap: usize,
) -> Result<Zeroizing<Vec<u8>>, FileError> {
    read_bounded_noting(key, path, policy, cap, &mut Vec::new())
}

fn read_bounded_noting(
    key: &str,
    path: &Path,
    policy: &FilePolicy,
    cap: usize,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<Vec<u8>>, FileError> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY;
    if policy.symlinks == Symlinks::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    opts.custom_flags(flags);
    let mut file = opts.open(path).map_err(|e| {
        if e.raw_os_error() == Some(libc::ELOOP) {
            FileError::new(path, FileErrorKind::Symlink)
        } else {
            FileError::io(path, e)
        }
    })?;
    // Checks apply to what was opened (no race between check and read).
    let meta = file.metadata().map_err(|e| FileError::io(path, e))?;
    check_metadata(key, path, &meta, policy, warnings)?;
    let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if size > cap {
        return Err(FileError::new(path, FileErrorKind::TooLarge));
    }
    read_capped(&mut file, path, size, cap)
}

/// Reads at most `cap` bytes. The buffer is sized from `size_hint` (the size `fstat` gave)
/// and is never reallocated by `Vec`: when a file turns out longer (it grew, or its file
/// system reports no size), the contents move to a larger buffer and the old one is wiped.
fn read_capped(
    file: &mut File,
    path: &Path,
    size_hint: usize,
    cap: usize,
) -> Result<Zeroizing<Vec<u8>>, FileError> {
    // One byte more than expected, so that end of file is seen without a second buffer.
    let mut buf = Zeroizing::new(vec![0u8; size_hint.clamp(255, cap) + 1]);
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            if filled > cap {
                return Err(FileError::new(path, FileErrorKind::TooLarge));
            }
            let mut bigger = Zeroizing::new(vec![0u8; (filled * 2).min(cap + 1)]);
            bigger[..filled].copy_from_slice(&buf[..filled]);
            buf = bigger;
        }
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FileError::io(path, e)),
        }
    }
    if filled > cap {
        return Err(FileError::new(path, FileErrorKind::TooLarge));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(filled));
    out.extend_from_slice(&buf[..filled]);
    Ok(out)
}

fn check_metadata(
    key: &str,
    path: &Path,
    meta: &Metadata,
    policy: &FilePolicy,
    warnings: &mut Vec<String>,
) -> Result<(), FileError> {
    let mut warn = |what: &str| {
        audit::file_warning(key, path, what);
        warnings.push(format!("{key}: {}: {what}", path.display()));
    };
    if !meta.file_type().is_file() {
        return Err(FileError::new(path, FileErrorKind::NotRegular));
    }
    let mode = meta.mode();
    if mode & 0o002 != 0 {
        return Err(FileError::new(path, FileErrorKind::WorldWritable));
    }
    // Group-writable counts too: the group could replace the secret.
    if mode & 0o064 != 0 {
        match policy.readable_by_others {
            Access::Allow => {}
            Access::Warn => warn("readable by group or others, or group-writable; chmod 600"),
            Access::Refuse => return Err(FileError::new(path, FileErrorKind::ReadableByOthers)),
        }
    }
    if let Some(me) = current_uid() {
        let owner = meta.uid();
        if owner != me && owner != 0 {
            match policy.foreign_owner {
                Access::Allow => {}
                Access::Warn => warn("owned by another user"),
                Access::Refuse => return Err(FileError::new(path, FileErrorKind::ForeignOwner)),
            }
        }
    }
    Ok(())
}

/// This process's user id, from `/proc/self` (Linux). Elsewhere the owner check is skipped
/// rather than calling `geteuid` through `unsafe`.
///
/// Read once per process: a service that drops privileges should resolve after dropping
/// them (with the root uid remembered, files owned by the new user count as foreign, which
/// errs on the refusing side).
fn current_uid() -> Option<u32> {
    static UID: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
    *UID.get_or_init(|| std::fs::metadata("/proc/self").ok().map(|m| m.uid()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::os::unix::fs::PermissionsExt;

    fn write(dir: &Path, name: &str, content: &[u8], mode: u32) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, content).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        p
    }

    #[test]
    fn trims_bom_and_trailing_whitespace() {
        let d = tempfile::tempdir().unwrap();
        let p = write(d.path(), "s", "\u{feff}value \n\n".as_bytes(), 0o600);
        let s = read_secret("K", &p, &FilePolicy::default()).unwrap();
        assert_eq!(s.expose_secret(), "value");
    }

    /// A file longer than `fstat` said (it grew, or its file system reports size 0) is
    /// still read whole up to the cap, and refused past it.
    #[test]
    fn reads_past_a_wrong_size_hint_up_to_the_cap() {
        let d = tempfile::tempdir().unwrap();
        let content: Vec<u8> = (0..3000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let p = write(d.path(), "f", &content, 0o600);
        let path = p.as_path();
        for hint in [0, 1, 300, 2999, 3000] {
            let mut f = File::open(path).unwrap();
            let got = read_capped(&mut f, path, hint, 4096).unwrap();
            assert_eq!(&got[..], &content[..], "hint {hint}");
        }
        let mut f = File::open(path).unwrap();
        assert_eq!(
            read_capped(&mut f, path, 0, 2999).unwrap_err().kind,
            FileErrorKind::TooLarge
        );
        let mut f = File::open(path).unwrap();
        assert_eq!(read_capped(&mut f, path, 0, 3000).unwrap().len(), 3000);
    }

    #[test]
    fn refusals() {
        let d = tempfile::tempdir().unwrap();
        let pol = FilePolicy::default();
        let ww = write(d.path(), "ww", b"v", 0o666);
        assert_eq!(
            read_secret("K", &ww, &pol).unwrap_err().kind,
            FileErrorKind::WorldWritable
        );
        let big = write(d.path(), "big", &vec![b'a'; MAX_SECRET_FILE + 1], 0o600);
        assert_eq!(
            read_secret("K", &big, &pol).unwrap_err().kind,
            FileErrorKind::TooLarge
        );
        let bin = write(d.path(), "bin", &[0xff, 0xfe, 0x00], 0o600);
        assert_eq!(
            read_secret("K", &bin, &pol).unwrap_err().kind,
            FileErrorKind::NotUtf8
        );
        let empty = write(d.path(), "empty", b" \n", 0o600);
        assert_eq!(
            read_secret("K", &empty, &pol).unwrap_err().kind,
            FileErrorKind::Empty
        );
        assert_eq!(
            read_secret("K", d.path(), &pol).unwrap_err().kind,
            FileErrorKind::NotRegular
        );
        let readable = write(d.path(), "r", b"v", 0o644);
        assert!(read_secret("K", &readable, &pol).is_ok());
        assert_eq!(
            read_secret("K", &readable, &FilePolicy::strict())
                .unwrap_err()
                .kind,
            FileErrorKind::ReadableByOthers
        );
        let group_writable = write(d.path(), "gw", b"v", 0o620);
        assert!(read_secret("K", &group_writable, &pol).is_ok());
        assert_eq!(
            read_secret("K", &group_writable, &FilePolicy::strict())
                .unwrap_err()
                .kind,
            FileErrorKind::ReadableByOthers
        );
    }
}
