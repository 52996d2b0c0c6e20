//! Detection on a byte buffer: one regex pass finds anchors, then each candidate is
//! validated by the rule's own code (length, alphabet, entropy, payload, context).

mod dsn;
mod entropy;
mod legacy;
mod token;

use regex::bytes::Regex;

use super::rule::Rule;

/// A validated secret inside a buffer. Holds the redacted excerpt and the fingerprint only.
#[derive(Debug)]
pub(crate) struct Hit {
    /// Byte offset of the secret's first byte.
    pub start: usize,
    /// Byte offset just past the secret.
    pub end: usize,
    pub rule: Rule,
    pub excerpt: String,
    pub fingerprint: String,
}

/// The longest span a hit may cover; chunked reads overlap by more than this.
pub(crate) const MAX_HIT_LEN: usize = 1100;

/// How far after the word `sentry` a legacy token may start.
pub(crate) const LEGACY_WINDOW: usize = 512;

/// The anchors, in one alternation so the regex engine's literal prefilter (SIMD) skips
/// everything else: the word `sentry` in any case (legacy tokens), `sntry` tokens, and the
/// start of a DSN up to its `@`.
const ANCHORS: &str = concat!(
    r"(?-u)(?i:sentry)",
    r"|sntry[uai]_[0-9a-fA-F]{64}",
    r"|sntrys_[A-Za-z0-9+/=_-]{20,1024}",
    r"|[hH][tT][tT][pP][sS]?://[0-9a-fA-F]{32}(?::[0-9a-fA-F]{32})?@",
);

/// The compiled anchors. Cheap to share between threads.
#[derive(Debug, Clone)]
pub(crate) struct Detector {
    anchors: Regex,
}

impl Detector {
    pub(crate) fn new() -> Detector {
        Detector {
            // The pattern is a constant, tested below.
            anchors: Regex::new(ANCHORS).expect("anchor pattern is valid"),
        }
    }

    /// Appends the validated secrets in `buf` to `out`, in no particular order.
    ///
    /// `sentry_file`: the file's name ties every 64-hex token in it to Sentry
    /// (`.sentryclirc`, `sentry.properties`).
    pub(crate) fn detect(&self, buf: &[u8], sentry_file: bool, out: &mut Vec<Hit>) {
        let mut legacy_done = 0;
        if sentry_file {
            legacy::scan(buf, 0, buf.len(), &mut legacy_done, out);
        }
        for m in self.anchors.find_iter(buf) {
            let (s, e) = (m.start(), m.end());
            match (buf[s], buf[s + 1]) {
                (b's', b'n') => token::check(buf, s, e, out),
                (b'h' | b'H', _) => dsn::check(buf, s, e, out),
                _ => {
                    let until = (e + LEGACY_WINDOW).min(buf.len());
                    legacy::scan(buf, s, until, &mut legacy_done, out);
                }
            }
        }
    }
}

/// Bytes that continue a word: a secret next to one of these is part of something longer.
pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The last (at most) 4 characters of `secret`, for excerpts.
pub(super) fn tail4(secret: &[u8]) -> String {
    let tail = &secret[secret.len().saturating_sub(4)..];
    String::from_utf8_lossy(tail).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_compile() {
        let d = Detector::new();
        let mut out = Vec::new();
        d.detect(b"nothing to see", false, &mut out);
        assert!(out.is_empty());
    }
}
