//! Legacy auth tokens: 64 hex digits, reported only where a Sentry context ties them:
//! the word `sentry` on the line or a few lines above (`SENTRY_AUTH_TOKEN=`, a `[sentry]`
//! or `sentry:` section) or a Sentry file name (`.sentryclirc`), and a key that names a
//! token (`token`, `auth`) and not a checksum.

use super::entropy::random_hex;
use super::{Hit, LEGACY_WINDOW, hex_len, is_word, tail4};
use crate::scan::finding::fingerprint;
use crate::scan::rule::Rule;

/// How many lines after the word `sentry` a token may sit (a section's keys).
const MAX_LINES: usize = 6;
/// How far before a 64-hex value its key (`SENTRY_AUTH_TOKEN = `, ...) is looked for.
const KEY_WINDOW: usize = 256;

/// Keys that name a checksum, not a credential.
const CHECKSUM_KEYS: [&[u8]; 6] = [
    b"sha",
    b"hash",
    b"checksum",
    b"digest",
    b"integrity",
    b"commit",
];

/// Finds every bounded run of exactly 64 hex digits and checks its context.
///
/// A run of 64 starting anywhere in `i..i + 64` covers `i + 63`: when that byte is not hex,
/// all 64 starts are skipped at once, so ordinary text costs about one look per 64 bytes.
pub(super) fn scan(buf: &[u8], sentry_file: bool, out: &mut Vec<Hit>) {
    let mut i = 0;
    // Invariant: `i == 0` or `buf[i - 1]` is not hex.
    while i + 64 <= buf.len() {
        let probe = i + 63;
        if !buf[probe].is_ascii_hexdigit() {
            i += 64;
            continue;
        }
        let mut start = probe;
        while start > i && buf[start - 1].is_ascii_hexdigit() {
            start -= 1;
        }
        let end = probe + hex_len(&buf[probe..], buf.len());
        if end - start == 64
            && (start == 0 || !is_word(buf[start - 1]))
            && !buf.get(end).is_some_and(|&b| is_word(b))
        {
            check(buf, start, sentry_file, out);
        }
        i = end + 1;
    }
}

/// Whether the word `sentry` (any case) is at most `LEGACY_WINDOW` bytes and `MAX_LINES`
/// lines before `h`.
fn sentry_before(buf: &[u8], h: usize) -> bool {
    let mut from = h.saturating_sub(LEGACY_WINDOW);
    if let Some(nl) = memchr::memrchr_iter(b'\n', &buf[from..h]).nth(MAX_LINES) {
        from += nl + 1;
    }
    contains_ignore_case(&buf[from..h], b"sentry")
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn check(buf: &[u8], h: usize, sentry_file: bool, out: &mut Vec<Hit>) {
    let token = &buf[h..h + 64];
    // The key sits just before the value: look back at most KEY_WINDOW bytes, so that a
    // long line of hex runs costs linear time, not quadratic.
    let window = h.saturating_sub(KEY_WINDOW);
    let line_start = memchr::memrchr(b'\n', &buf[window..h]).map_or(window, |p| window + p + 1);
    if !assigns_token(&buf[line_start..h]) {
        return;
    }
    if !random_hex(token) || token.iter().all(u8::is_ascii_digit) {
        return;
    }
    if !sentry_file && !sentry_before(buf, h) {
        return;
    }
    out.push(Hit {
        start: h,
        end: h + 64,
        rule: Rule::LegacyToken,
        excerpt: format!("…{}", tail4(token)),
        fingerprint: fingerprint(Rule::LegacyToken, token),
    });
}

/// Whether the text before a value reads as `<token key> = ` (or `:`, `=>`, `:=`, or a
/// Dockerfile `ENV KEY value`).
fn assigns_token(before: &[u8]) -> bool {
    let trimmed = trim_end(before, |b| matches!(b, b' ' | b'\t' | b'"' | b'\'' | b'`'));
    let key = match trimmed.last() {
        Some(b'=' | b':' | b'>') => {
            trim_end(trimmed, |b| matches!(b, b'=' | b':' | b'>' | b' ' | b'\t'))
        }
        Some(_) if trimmed.len() < before.len() => trimmed, // `ENV SENTRY_AUTH_TOKEN value`
        _ => return false,
    };
    let has = |needle: &[u8]| contains_ignore_case(key, needle);
    (has(b"token") || has(b"auth"))
        && !CHECKSUM_KEYS.iter().any(|k| has(k))
        && (trimmed
            .last()
            .is_some_and(|&b| matches!(b, b'=' | b':' | b'>'))
            || has(b"sentry"))
}

fn trim_end(s: &[u8], strip: impl Fn(u8) -> bool) -> &[u8] {
    let end = s.iter().rposition(|&b| !strip(b)).map_or(0, |p| p + 1);
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::super::Detector;
    use super::*;

    const HEX: &str = "5f1c7c3e0a9b4d6e8f2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70";

    fn rules(text: &str, sentry_file: bool) -> Vec<Rule> {
        let mut out = Vec::new();
        Detector::new().detect(text.as_bytes(), sentry_file, &mut out);
        out.into_iter().map(|h| h.rule).collect()
    }

    #[test]
    fn contexts() {
        for text in [
            format!("SENTRY_AUTH_TOKEN={HEX}\n"),
            format!("export SENTRY_AUTH_TOKEN=\"{HEX}\"\n"),
            format!("ENV SENTRY_AUTH_TOKEN {HEX}\n"),
            format!("sentry:\n  auth_token: {HEX}\n"),
            format!("[sentry]\norg = \"acme\"\nauth_token = \"{HEX}\"\n"),
            format!("{{\"sentry\": {{\n  \"authToken\": \"{HEX}\"\n}}}}"),
        ] {
            assert_eq!(rules(&text, false), [Rule::LegacyToken], "{text}");
        }
        assert_eq!(
            rules(&format!("[auth]\ntoken={HEX}\n"), true),
            [Rule::LegacyToken]
        );
    }

    #[test]
    fn look_alikes() {
        for text in [
            format!("[auth]\ntoken={HEX}\n"), // no Sentry context
            format!("name = \"sentry\"\nversion = \"0.1.0\"\nchecksum = \"{HEX}\"\n"),
            format!("sentry-cli sha256: {HEX}\n"),
            format!("SENTRY_AUTH_TOKEN={HEX}0\n"),
            format!("SENTRY_AUTH_TOKEN={}\n", "0".repeat(64)),
            format!("SENTRY_AUTH_TOKEN={}\n", &HEX[..63]),
            format!("sentry\n\n\n\n\n\n\n\ntoken = {HEX}\n"),
        ] {
            assert!(rules(&text, false).is_empty(), "{text}");
        }
    }
}
