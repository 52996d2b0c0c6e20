//! `AuthToken`: a Sentry API auth token whose secret never prints.

use std::fmt;
use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::redact::fingerprint;

/// The kind of a Sentry auth token, from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TokenKind {
    /// `sntrys_`: an organization token, with a JSON payload naming the org.
    Org,
    /// `sntryu_`: a user (personal) token.
    User,
    /// `sntrya_`: an application token.
    App,
    /// `sntryi_`: an integration token.
    Integration,
    /// 64 hex digits without a prefix: a legacy token.
    Legacy,
}

/// Why a token was rejected. Says which part is wrong, never what it contained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Neither a known prefix nor a 64-hex legacy token.
    #[error("not a Sentry auth token (expected sntrys_/sntryu_/sntrya_/sntryi_ or 64 hex digits)")]
    UnknownFormat,
    /// `sntryu_`/`sntrya_`/`sntryi_` not followed by exactly 64 hex digits.
    #[error("the token body must be 64 hex digits")]
    BadHex,
    /// An org token that is not `sntrys_<payload>_<secret>`.
    #[error("an org token must have three parts: sntrys_<payload>_<secret>")]
    OrgShape,
    /// An org token whose payload is not base64 JSON with an `org` string.
    #[error("the org token payload is not base64 JSON with an `org` field")]
    OrgPayload,
    /// An org token whose secret part does not decode to 32 bytes.
    #[error("the org token secret must decode to 32 bytes")]
    OrgSecret,
}

/// Non-secret metadata carried by an org token's payload.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrgTokenInfo {
    /// The organization slug.
    pub org: String,
    /// The Sentry URL the token belongs to.
    #[serde(default)]
    pub url: Option<String>,
    /// The region URL.
    #[serde(default)]
    pub region_url: Option<String>,
}

/// A validated Sentry API auth token, held in a zeroizing box.
///
/// No `Display`, no `Serialize`; `Debug` shows the kind, the org metadata and a fingerprint.
///
/// ```compile_fail
/// let t: sentry_secrets::AuthToken = todo!();
/// let _ = t.to_string(); // AuthToken does not implement Display
/// ```
///
/// ```compile_fail
/// fn needs_serialize<T: serde::Serialize>(_: &T) {}
/// let t: sentry_secrets::AuthToken = todo!();
/// needs_serialize(&t); // AuthToken does not implement Serialize
/// ```
///
/// ```
/// let t = sentry_secrets::AuthToken::parse(&format!("sntryu_{}", "ab".repeat(32))).unwrap();
/// assert_eq!(t.kind(), sentry_secrets::TokenKind::User);
/// assert!(!format!("{t:?}").contains("abab"));
/// ```
pub struct AuthToken {
    secret: SecretString,
    kind: TokenKind,
    org: Option<OrgTokenInfo>,
    fingerprint: OnceLock<String>,
}

impl AuthToken {
    /// Parses and validates a token, copying it into a zeroizing box.
    pub fn parse(token: &str) -> Result<AuthToken, TokenError> {
        AuthToken::from_secret(super::secret_from_str(token))
    }

    /// Validates a token already held in a secret box.
    pub fn from_secret(secret: SecretString) -> Result<AuthToken, TokenError> {
        let s = secret.expose_secret();
        let (kind, org) = classify(s)?;
        Ok(AuthToken {
            secret,
            kind,
            org,
            fingerprint: OnceLock::new(),
        })
    }

    /// The token's kind.
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// For org tokens: the org, URL and region URL from the payload (not secret).
    pub fn org_info(&self) -> Option<&OrgTokenInfo> {
        self.org.as_ref()
    }

    /// A fingerprint of the whole token.
    pub fn fingerprint(&self) -> &str {
        self.fingerprint
            .get_or_init(|| fingerprint(self.secret.expose_secret()))
    }

    /// The token. Use it only to hand the value over, in the narrowest scope.
    pub fn expose_secret(&self) -> &str {
        self.secret.expose_secret()
    }

    /// A printable form: prefix and fingerprint, for example `sntryu_… fp:1a2b3c4d`.
    pub fn redacted(&self) -> String {
        let prefix = match self.kind {
            TokenKind::Org => "sntrys_",
            TokenKind::User => "sntryu_",
            TokenKind::App => "sntrya_",
            TokenKind::Integration => "sntryi_",
            TokenKind::Legacy => "",
        };
        format!("{prefix}… {}", self.fingerprint())
    }
}

impl Clone for AuthToken {
    /// Cloned for rotation: the copy is a fresh zeroizing box.
    fn clone(&self) -> Self {
        AuthToken {
            secret: super::secret_from_str(self.secret.expose_secret()),
            kind: self.kind,
            org: self.org.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthToken")
            .field("kind", &self.kind)
            .field("org", &self.org.as_ref().map(|o| o.org.as_str()))
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

fn classify(s: &str) -> Result<(TokenKind, Option<OrgTokenInfo>), TokenError> {
    let is_hex64 = |b: &str| b.len() == 64 && b.bytes().all(|c| c.is_ascii_hexdigit());
    for (prefix, kind) in [
        ("sntryu_", TokenKind::User),
        ("sntrya_", TokenKind::App),
        ("sntryi_", TokenKind::Integration),
    ] {
        if let Some(body) = s.strip_prefix(prefix) {
            return if is_hex64(body) {
                Ok((kind, None))
            } else {
                Err(TokenError::BadHex)
            };
        }
    }
    if let Some(body) = s.strip_prefix("sntrys_") {
        let mut parts = body.split('_');
        let (Some(payload), Some(secret), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(TokenError::OrgShape);
        };
        let secret_bytes = decode_b64(secret).ok_or(TokenError::OrgSecret)?;
        if secret_bytes.len() != 32 {
            return Err(TokenError::OrgSecret);
        }
        let payload_bytes = decode_b64(payload).ok_or(TokenError::OrgPayload)?;
        let info: OrgTokenInfo =
            serde_json::from_slice(&payload_bytes).map_err(|_| TokenError::OrgPayload)?;
        // The metadata is printed (Debug, report): no control characters, bounded length.
        let printable = |t: &str| t.len() <= 512 && !t.chars().any(char::is_control);
        if !printable(&info.org)
            || !info.url.as_deref().is_none_or(printable)
            || !info.region_url.as_deref().is_none_or(printable)
        {
            return Err(TokenError::OrgPayload);
        }
        return Ok((TokenKind::Org, Some(info)));
    }
    if is_hex64(s) {
        return Ok((TokenKind::Legacy, None));
    }
    Err(TokenError::UnknownFormat)
}

/// Decodes standard or URL-safe base64, padded or not, into a wiped buffer.
fn decode_b64(s: &str) -> Option<Zeroizing<Vec<u8>>> {
    let trimmed = s.trim_end_matches('=');
    if trimmed.is_empty() {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(trimmed.len() * 3 / 4 + 3));
    let engine = if trimmed.contains(['-', '_']) {
        &URL_SAFE_NO_PAD
    } else {
        &STANDARD_NO_PAD
    };
    engine.decode_vec(trimmed, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org_token(payload: &str, secret_len: usize) -> String {
        let p = STANDARD_NO_PAD.encode(payload);
        let s = STANDARD_NO_PAD.encode(vec![7u8; secret_len]);
        format!("sntrys_{p}_{s}")
    }

    #[test]
    fn org_metadata_with_control_characters_is_refused() {
        for payload in [
            r#"{"org":"ac\u001b[2Jme"}"#,
            r#"{"org":"acme","url":"https://x\n"}"#,
        ] {
            assert!(
                matches!(
                    AuthToken::parse(&org_token(payload, 32)),
                    Err(TokenError::OrgPayload)
                ),
                "{payload}"
            );
        }
    }

    #[test]
    fn kinds() {
        let hex = "0a".repeat(32);
        assert_eq!(
            AuthToken::parse(&format!("sntryu_{hex}")).unwrap().kind(),
            TokenKind::User
        );
        assert_eq!(
            AuthToken::parse(&format!("sntrya_{hex}")).unwrap().kind(),
            TokenKind::App
        );
        assert_eq!(
            AuthToken::parse(&format!("sntryi_{hex}")).unwrap().kind(),
            TokenKind::Integration
        );
        assert_eq!(AuthToken::parse(&hex).unwrap().kind(), TokenKind::Legacy);
        let t = AuthToken::parse(&org_token(
            r#"{"iat":1,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme"}"#,
            32,
        ))
        .unwrap();
        assert_eq!(t.kind(), TokenKind::Org);
        let info = t.org_info().unwrap();
        assert_eq!(info.org, "acme");
        assert_eq!(info.region_url.as_deref(), Some("https://us.sentry.io"));
    }

    #[test]
    fn malformed() {
        assert_eq!(
            AuthToken::parse("sntryu_abc").unwrap_err(),
            TokenError::BadHex
        );
        assert_eq!(
            AuthToken::parse("hello").unwrap_err(),
            TokenError::UnknownFormat
        );
        assert_eq!(
            AuthToken::parse("sntrys_abc").unwrap_err(),
            TokenError::OrgShape
        );
        assert_eq!(
            AuthToken::parse(&org_token(r#"{"org":"a"}"#, 16)).unwrap_err(),
            TokenError::OrgSecret
        );
        assert_eq!(
            AuthToken::parse(&org_token(r#"{"url":"x"}"#, 32)).unwrap_err(),
            TokenError::OrgPayload
        );
    }
}
