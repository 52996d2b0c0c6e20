//! [`Finding`]: where a secret was found, never what it was.

use std::path::PathBuf;

use super::rule::{Level, Rule};

/// Domain separation for baseline fingerprints.
const DOMAIN: &[u8] = b"sentry-secrets/scan-fingerprint/v1\0";

/// One hardcoded secret.
///
/// There is no field holding the secret: only a redacted excerpt (a prefix and at most the
/// last 4 characters) and a one-way fingerprint of the rule and the secret, which baselines
/// store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The file, as walked (relative when the scan root was relative).
    #[serde(serialize_with = "super::report::serialize_path")]
    pub path: PathBuf,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in Unicode code points. (On a line longer than the 4 KiB overlap
    /// between chunks of a large file, counted from the start of the chunk.)
    pub column: u64,
    /// What was found.
    pub rule: Rule,
    /// The rule's level.
    pub level: Level,
    /// A redacted excerpt, for example `sntryu_…c0de`.
    pub excerpt: String,
    /// `sha256:` and 32 hex digits of a domain-separated SHA-256 of the rule id and the
    /// secret: stable across files and runs, useless for recovering the secret.
    pub fingerprint: String,
}

/// The baseline fingerprint of `secret` found by `rule`.
pub(crate) fn fingerprint(rule: Rule, secret: &[u8]) -> String {
    let mut h = hmac_sha256::Hash::new();
    h.update(DOMAIN);
    h.update(rule.id().as_bytes());
    h.update([0u8]);
    h.update(secret);
    let digest = h.finalize();
    let mut out = String::with_capacity(7 + 32);
    out.push_str("sha256:");
    for b in &digest[..16] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_depends_on_rule_and_secret() {
        let a = fingerprint(Rule::UserToken, b"x");
        assert_eq!(a, fingerprint(Rule::UserToken, b"x"));
        assert_ne!(a, fingerprint(Rule::AppToken, b"x"));
        assert_ne!(a, fingerprint(Rule::UserToken, b"y"));
        assert_eq!(a.len(), 39);
    }
}
