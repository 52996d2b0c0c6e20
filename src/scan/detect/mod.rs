//! Detection on a byte buffer: SIMD substring searches find the anchors (`sntry`, `://`,
//! JSON-escaped `:\/\/`)
//! and a strided scan finds 64-hex runs; each candidate is then validated by its rule's
//! own code (length, alphabet, entropy, payload, context).

mod dsn;
mod entropy;
mod legacy;
mod token;

use memchr::memmem::Finder;

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

/// How far before a legacy token the word `sentry` may be.
pub(crate) const LEGACY_WINDOW: usize = 512;

/// The compiled searchers. Cheap to share between threads.
#[derive(Debug, Clone)]
pub(crate) struct Detector {
    sntry: Finder<'static>,
    scheme: Finder<'static>,
    escaped_scheme: Finder<'static>,
}

impl Detector {
    pub(crate) fn new() -> Detector {
        Detector {
            sntry: Finder::new("sntry").into_owned(),
            scheme: Finder::new("://").into_owned(),
            escaped_scheme: Finder::new(r":\/\/").into_owned(),
        }
    }

    /// Appends the validated secrets in `buf` to `out`, in no particular order.
    ///
    /// `sentry_file`: the file's name ties every 64-hex token in it to Sentry
    /// (`.sentryclirc`, `sentry.properties`).
    pub(crate) fn detect(&self, buf: &[u8], sentry_file: bool, out: &mut Vec<Hit>) {
        for s in self.sntry.find_iter(buf) {
            token::check(buf, s, out);
        }
        for c in self.scheme.find_iter(buf) {
            dsn::check(buf, c, out);
        }
        for c in self.escaped_scheme.find_iter(buf) {
            dsn::check_escaped(buf, c, out);
        }
        legacy::scan(buf, sentry_file, out);
    }
}

/// Bytes that continue a word: a secret next to one of these is part of something longer.
pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// How many hex digits start `buf` (counting at most `max`).
pub(super) fn hex_len(buf: &[u8], max: usize) -> usize {
    buf.iter()
        .take(max)
        .take_while(|b| b.is_ascii_hexdigit())
        .count()
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
    fn nothing_in_plain_text() {
        let mut out = Vec::new();
        Detector::new().detect(b"nothing to see: https://sentry.io sntry", false, &mut out);
        assert!(out.is_empty());
    }
}
