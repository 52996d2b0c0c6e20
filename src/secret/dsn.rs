//! `SecretDsn`: a validated Sentry DSN whose key never prints.

use std::fmt;
use std::sync::OnceLock;

use secrecy::{ExposeSecret, SecretString};

use super::redact::fingerprint;

/// Why a DSN was rejected. Says which part is wrong, never what it contained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DsnError {
    /// Not `http://` or `https://`.
    #[error("the scheme must be http or https")]
    Scheme,
    /// No `key@` before the host.
    #[error("the public key is missing (expected scheme://KEY@host/PROJECT_ID)")]
    MissingKey,
    /// The public or secret key has characters other than ASCII letters and digits.
    #[error("the key contains invalid characters")]
    BadKey,
    /// No host, or a host with invalid characters.
    #[error("the host is missing or invalid")]
    BadHost,
    /// The port is not a number in 1..=65535.
    #[error("the port is invalid")]
    BadPort,
    /// No project id, or one that is not numeric.
    #[error("the project id is missing or not numeric")]
    BadProjectId,
    /// A query string, fragment or whitespace.
    #[error("the DSN has a query, fragment or whitespace")]
    Trailing,
    /// The sentry crate itself refused the DSN.
    #[error("the sentry SDK rejected the DSN")]
    Sdk,
}

/// A validated Sentry DSN, held in a zeroizing box.
///
/// Validated in place, from the secret buffer, without plain copies of the key. The
/// non-secret parts (scheme, host, port, path, project id) are kept for reports; the key is
/// shown only as a fingerprint. There is no `Display` and no `Serialize`:
///
/// ```compile_fail
/// let dsn: sentry_secrets::SecretDsn = todo!();
/// println!("{}", dsn); // SecretDsn does not implement Display
/// ```
///
/// ```compile_fail
/// fn needs_serialize<T: serde::Serialize>(_: &T) {}
/// let dsn: sentry_secrets::SecretDsn = todo!();
/// needs_serialize(&dsn); // SecretDsn does not implement Serialize
/// ```
///
/// `Debug` is redacted:
///
/// ```
/// use sentry_secrets::SecretDsn;
/// let dsn = SecretDsn::parse("https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42")
///     .unwrap();
/// let shown = format!("{dsn:?}");
/// assert!(!shown.contains("0123456789abcdef"));
/// assert!(shown.contains("o1.ingest.sentry.io") && shown.contains("42"));
/// ```
pub struct SecretDsn {
    secret: SecretString,
    https: bool,
    host: String,
    port: Option<u16>,
    path: String,
    project_id: String,
    key_range: (usize, usize),
    key_fingerprint: OnceLock<String>,
    legacy_secret_key: bool,
}

impl SecretDsn {
    /// Parses and validates a DSN, copying it into a zeroizing box.
    pub fn parse(dsn: &str) -> Result<SecretDsn, DsnError> {
        SecretDsn::from_secret(super::secret_from_str(dsn))
    }

    /// Validates a DSN already held in a secret box (no plain copy of the key is made).
    pub fn from_secret(secret: SecretString) -> Result<SecretDsn, DsnError> {
        let text = secret.expose_secret();
        let parts = Parts::parse(text)?;
        // Where the key sits in the buffer (a borrowed slice of `text`).
        let start = parts.public_key.as_ptr() as usize - text.as_ptr() as usize;
        let key_range = (start, start + parts.public_key.len());
        let dsn = SecretDsn {
            https: parts.https,
            host: parts.host.to_owned(),
            port: parts.port,
            path: parts.path.to_owned(),
            project_id: parts.project_id.to_owned(),
            key_range,
            key_fingerprint: OnceLock::new(),
            legacy_secret_key: parts.has_secret_key,
            secret,
        };
        Ok(dsn)
    }

    /// `https` or `http`.
    pub fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    /// The host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, if one is given explicitly.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path prefix before the project id (usually empty).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The project id.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// A fingerprint of the public key (see [`fingerprint`](crate::fingerprint)).
    pub fn key_fingerprint(&self) -> &str {
        self.key_fingerprint.get_or_init(|| {
            let (start, end) = self.key_range;
            fingerprint(&self.secret.expose_secret()[start..end])
        })
    }

    /// Whether the DSN carries a legacy secret key (`public:secret@`). Accepted, but modern
    /// Sentry does not need it and it should be removed.
    pub fn has_legacy_secret_key(&self) -> bool {
        self.legacy_secret_key
    }

    /// The DSN with the key replaced by its fingerprint, safe to print:
    /// `https://fp:1a2b3c4d@o1.ingest.sentry.io/42`.
    pub fn redacted(&self) -> String {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!(
            "{}://{}@{}{}{}/{}",
            self.scheme(),
            self.key_fingerprint(),
            self.host,
            port,
            self.path,
            self.project_id
        )
    }

    /// The full DSN. Use it only to hand the value over, in the narrowest scope.
    pub fn expose_secret(&self) -> &str {
        self.secret.expose_secret()
    }

    /// Builds the sentry SDK's `Dsn`. From here on the sentry crate holds plain copies.
    pub(crate) fn to_sdk(&self) -> Result<sentry::types::Dsn, DsnError> {
        self.secret
            .expose_secret()
            .parse::<sentry::types::Dsn>()
            .map_err(|_| DsnError::Sdk)
    }
}

impl Clone for SecretDsn {
    /// Cloned for rotation: the copy is a fresh zeroizing box.
    fn clone(&self) -> Self {
        SecretDsn {
            secret: super::secret_from_str(self.secret.expose_secret()),
            https: self.https,
            host: self.host.clone(),
            port: self.port,
            path: self.path.clone(),
            project_id: self.project_id.clone(),
            key_range: self.key_range,
            key_fingerprint: self.key_fingerprint.clone(),
            legacy_secret_key: self.legacy_secret_key,
        }
    }
}

impl fmt::Debug for SecretDsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretDsn")
            .field("scheme", &self.scheme())
            .field("host", &self.host)
            .field("port", &self.port)
            .field("project_id", &self.project_id)
            .field("key", &self.key_fingerprint())
            .field("legacy_secret_key", &self.legacy_secret_key)
            .finish()
    }
}

/// Borrowed views into the secret buffer.
struct Parts<'a> {
    https: bool,
    public_key: &'a str,
    has_secret_key: bool,
    host: &'a str,
    port: Option<u16>,
    path: &'a str,
    project_id: &'a str,
}

impl<'a> Parts<'a> {
    fn parse(s: &'a str) -> Result<Parts<'a>, DsnError> {
        let (https, rest) = if let Some(r) = strip_prefix_ci(s, "https://") {
            (true, r)
        } else if let Some(r) = strip_prefix_ci(s, "http://") {
            (false, r)
        } else {
            return Err(DsnError::Scheme);
        };
        if rest
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b == b'?' || b == b'#')
        {
            return Err(DsnError::Trailing);
        }
        let (userinfo, hostpath) = rest.rsplit_once('@').ok_or(DsnError::MissingKey)?;
        let (public_key, secret_key) = match userinfo.split_once(':') {
            Some((p, s)) => (p, Some(s)),
            None => (userinfo, None),
        };
        if public_key.is_empty() {
            return Err(DsnError::MissingKey);
        }
        let key_ok = |k: &str| k.bytes().all(|b| b.is_ascii_alphanumeric());
        if !key_ok(public_key) || !secret_key.is_none_or(|k| !k.is_empty() && key_ok(k)) {
            return Err(DsnError::BadKey);
        }
        let (authority, path_and_id) = match hostpath.find('/') {
            Some(i) => (&hostpath[..i], &hostpath[i..]),
            None => return Err(DsnError::BadProjectId),
        };
        let (host, port_str) = if authority.starts_with('[') {
            let end = authority.find(']').ok_or(DsnError::BadHost)?;
            let (h, rest) = authority.split_at(end + 1);
            match rest.strip_prefix(':') {
                Some(p) => (h, Some(p)),
                None if rest.is_empty() => (h, None),
                None => return Err(DsnError::BadHost),
            }
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        let port = match port_str {
            Some(p) if !p.bytes().all(|b| b.is_ascii_digit()) => return Err(DsnError::BadPort),
            Some(p) => match p.parse::<u16>() {
                Ok(0) | Err(_) => return Err(DsnError::BadPort),
                Ok(n) => Some(n),
            },
            None => None,
        };
        // A name or IPv4 address, or an IPv6 address in brackets (as the `url` crate, which
        // the SDK parses with, requires).
        let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            Some(v6) => v6.contains(':') && v6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => {
                !host.is_empty()
                    && host
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            }
        };
        if !host_ok {
            return Err(DsnError::BadHost);
        }
        let trimmed = path_and_id.trim_end_matches('/');
        let (path, project_id) = trimmed.rsplit_once('/').ok_or(DsnError::BadProjectId)?;
        if project_id.is_empty() || !project_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DsnError::BadProjectId);
        }
        Ok(Parts {
            https,
            public_key,
            has_secret_key: secret_key.is_some(),
            host,
            port,
            path,
            project_id,
        })
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn valid_forms() {
        let d = SecretDsn::parse(&format!("https://{KEY}@o1.ingest.sentry.io/42")).unwrap();
        assert_eq!(
            (d.scheme(), d.host(), d.project_id()),
            ("https", "o1.ingest.sentry.io", "42")
        );
        assert!(!d.has_legacy_secret_key());
        let d = SecretDsn::parse(&format!("http://{KEY}:{KEY}@127.0.0.1:9000/sub/7")).unwrap();
        assert_eq!(
            (d.port(), d.path(), d.project_id()),
            (Some(9000), "/sub", "7")
        );
        assert!(d.has_legacy_secret_key());
        assert!(d.to_sdk().is_ok());
        assert_eq!(
            d.redacted(),
            format!("http://{}@127.0.0.1:9000/sub/7", d.key_fingerprint())
        );
        let d = SecretDsn::parse(&format!("https://{KEY}@[::1]:9000/7")).unwrap();
        assert!(d.to_sdk().is_ok());
    }

    #[test]
    fn invalid_forms() {
        let cases = [
            ("ftp://k@h/1", DsnError::Scheme),
            ("https://h/1", DsnError::MissingKey),
            ("https://@h/1", DsnError::MissingKey),
            ("https://k!@h/1", DsnError::BadKey),
            ("https://k:@h/1", DsnError::BadKey),
            ("https://k@/1", DsnError::BadHost),
            ("https://k@h:0/1", DsnError::BadPort),
            ("https://k@h:99999/1", DsnError::BadPort),
            ("https://k@h:+80/1", DsnError::BadPort),
            ("https://k@]/1", DsnError::BadHost),
            ("https://k@[]/1", DsnError::BadHost),
            ("https://k@[zz::1]/1", DsnError::BadHost),
            ("https://k@h:80:80/1", DsnError::BadPort),
            ("https://k@h", DsnError::BadProjectId),
            ("https://k@h/", DsnError::BadProjectId),
            ("https://k@h/abc", DsnError::BadProjectId),
            ("https://k@h/1?x=1", DsnError::Trailing),
            ("https://k@h/1 ", DsnError::Trailing),
        ];
        for (input, want) in cases {
            assert_eq!(SecretDsn::parse(input).unwrap_err(), want, "{input}");
        }
    }
}
