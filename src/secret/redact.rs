//! Fingerprints: short, stable identifiers of a secret that cannot be turned back into it.

/// Domain separation, so our fingerprints never equal a plain SHA-256 someone else publishes.
const DOMAIN: &[u8] = b"sentry-secrets/fingerprint/v1\0";

/// A short fingerprint of `secret`: `fp:` and the first 8 hex digits of a domain-separated
/// SHA-256.
///
/// 32 bits identify which key is deployed (compare two fingerprints) but say nothing useful
/// about a 128-bit DSN key or a 256-bit token. The same secret always gives the same
/// fingerprint, in every process, so audit logs from different hosts can be correlated.
///
/// ```
/// let fp = sentry_secrets::fingerprint("0123456789abcdef0123456789abcdef");
/// assert!(fp.starts_with("fp:") && fp.len() == 11);
/// ```
pub fn fingerprint(secret: &str) -> String {
    let mut h = hmac_sha256::Hash::new();
    h.update(DOMAIN);
    h.update(secret.as_bytes());
    let digest = h.finalize();
    let mut out = String::with_capacity(11);
    out.push_str("fp:");
    for b in &digest[..4] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    #[test]
    fn stable_and_distinct() {
        assert_eq!(super::fingerprint("a"), super::fingerprint("a"));
        assert_ne!(super::fingerprint("a"), super::fingerprint("b"));
    }
}
