//! Legacy auth tokens: 64 hex digits, reported only where a Sentry context ties them:
//! the word `sentry` on the line or a few lines above (`SENTRY_AUTH_TOKEN=`, a `[sentry]`
//! or `sentry:` section) or a Sentry file name (`.sentryclirc`), and a key that names a
//! token (`token`, `auth`) and not a checksum.

use super::entropy::random_hex;
use super::{Hit, is_word, tail4};
use crate::scan::finding::fingerprint;
use crate::scan::rule::Rule;

/// How many lines after the word `sentry` a token may sit (a section's keys).
const MAX_LINES: usize = 6;

/// Keys that name a checksum, not a credential.
const CHECKSUM_KEYS: [&[u8]; 6] = [
    b"sha",
    b"hash",
    b"checksum",
    b"digest",
    b"integrity",
    b"commit",
];

/// Looks for legacy tokens in `buf[from..until]`, the context after an anchor (at most
/// `MAX_LINES` lines of it), skipping what an earlier window already covered (`done`).
pub(super) fn scan(buf: &[u8], from: usize, until: usize, done: &mut usize, out: &mut Vec<Hit>) {
    let until = memchr::memchr_iter(b'\n', &buf[from..until])
        .nth(MAX_LINES)
        .map_or(until, |p| from + p);
    let mut i = from.max(*done);
    // A run of 64 hex digits starting anywhere in i..i+64 covers i+63: when that byte is
    // not hex, skip all 64 starts at once.
    while i + 64 <= until {
        if !buf[i + 63].is_ascii_hexdigit() {
            i += 64;
            continue;
        }
        let mut start = i + 63;
        while start > i && buf[start - 1].is_ascii_hexdigit() {
            start -= 1;
        }
        if start == i {
            while start > 0 && buf[start - 1].is_ascii_hexdigit() {
                start -= 1;
            }
        }
        let end = start + buf[start..].iter().take(65).take_while(|b| b.is_ascii_hexdigit()).count();
        let bounded = (start == 0 || !is_word(buf[start - 1])) && !buf.get(end).is_some_and(|&b| is_word(b));
        if end - start == 64 && bounded && end <= until {
            check(buf, start, out);
        }
        // Past this run (a longer run is skipped whole).
        let mut next = end;
        while next < until && buf[next].is_ascii_hexdigit() {
            next += 1;
        }
        i = next.max(i + 1);
    }
    *done = (*done).max(until);
}

fn check(buf: &[u8], h: usize, out: &mut Vec<Hit>) {
    let token = &buf[h..h + 64];
    if !random_hex(token) || token.iter().all(u8::is_ascii_digit) {
        return;
    }
    let line_start = memchr::memrchr(b'\n', &buf[..h]).map_or(0, |p| p + 1);
    let before = &buf[line_start..h];
    if !assigns_token(before) {
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
    let key = key.to_ascii_lowercase();
    let has = |needle: &[u8]| memchr::memmem::find(&key, needle).is_some();
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
