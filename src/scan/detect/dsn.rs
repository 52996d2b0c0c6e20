//! DSNs: `http(s)://<32 hex public key>[:<32 hex secret key>]@<host>[/path]/<project id>`.

use super::entropy::random_hex;
use super::{Hit, hex_len, tail4};
use crate::scan::finding::fingerprint;
use crate::scan::rule::Rule;

/// The longest host-and-path a DSN may have.
const MAX_TAIL: usize = 400;

/// Checks the candidate around `buf[c..c + 3]`, a `://`.
pub(super) fn check(buf: &[u8], c: usize, out: &mut Vec<Hit>) {
    let s = if c >= 5 && buf[c - 5..c].eq_ignore_ascii_case(b"https") {
        c - 5
    } else if c >= 4 && buf[c - 4..c].eq_ignore_ascii_case(b"http") {
        c - 4
    } else {
        return;
    };
    if s > 0 && buf[s - 1].is_ascii_alphanumeric() {
        return;
    }
    // Keys: 32 hex, optionally `:` and 32 hex, then `@`.
    let keys_start = c + 3;
    if hex_len(&buf[keys_start..], 33) != 32 {
        return;
    }
    let public = &buf[keys_start..keys_start + 32];
    let (secret, e) = match buf.get(keys_start + 32) {
        Some(b'@') => (None, keys_start + 33),
        Some(b':')
            if hex_len(&buf[keys_start + 33..], 33) == 32
                && buf.get(keys_start + 65) == Some(&b'@') =>
        {
            (
                Some(&buf[keys_start + 33..keys_start + 65]),
                keys_start + 66,
            )
        }
        _ => return,
    };

    // Host: name or address, optional port.
    let limit = (e + MAX_TAIL).min(buf.len());
    let mut i = e;
    while i < limit && (buf[i].is_ascii_alphanumeric() || matches!(buf[i], b'.' | b'-')) {
        i += 1;
    }
    let host = &buf[e..i];
    if host.is_empty() {
        return;
    }
    if i < limit && buf[i] == b':' {
        i += 1;
        while i < limit && buf[i].is_ascii_digit() {
            i += 1;
        }
    }
    // Path: must end in a numeric project id.
    if i >= limit || buf[i] != b'/' {
        return;
    }
    let path_start = i;
    while i < limit
        && (buf[i].is_ascii_alphanumeric() || matches!(buf[i], b'/' | b'.' | b'-' | b'_' | b'~'))
    {
        i += 1;
    }
    if buf.get(i).is_some_and(|&b| b.is_ascii_alphanumeric()) {
        return; // ran into the limit
    }
    let path = &buf[path_start..i];
    let project = &path[path.iter().rposition(|&b| b == b'/').map_or(0, |p| p + 1)..];
    if project.is_empty() || !project.iter().all(u8::is_ascii_digit) {
        return;
    }
    if placeholder(host, project) || !random_hex(public) || secret.is_some_and(|k| !random_hex(k)) {
        return;
    }

    let scheme = String::from_utf8_lossy(&buf[s..keys_start]);
    let rest = String::from_utf8_lossy(&buf[e..i]);
    let (rule, excerpt, material) = match secret {
        Some(k) => (
            Rule::DsnSecretKey,
            format!("{scheme}…{}:…@{rest}", tail4(public)),
            [public, b":", k].concat(),
        ),
        None => (
            Rule::DsnPublicKey,
            format!("{scheme}…{}@{rest}", tail4(public)),
            public.to_vec(),
        ),
    };
    out.push(Hit {
        start: s,
        end: i,
        rule,
        excerpt,
        fingerprint: fingerprint(rule, &material),
    });
}

/// Checks the candidate around `buf[c..c + 5]`, a JSON-escaped `:\/\/` (as PHP's
/// `json_encode` and some serializers write URLs): the surrounding text is unescaped into a
/// small window, checked as usual, and the hit mapped back to the original bytes.
pub(super) fn check_escaped(buf: &[u8], c: usize, out: &mut Vec<Hit>) {
    let from = c.saturating_sub(6);
    let until = (c + 2 * MAX_TAIL + 200).min(buf.len());
    let mut text = Vec::with_capacity(until - from);
    // offsets[i]: where text[i] came from in `buf`.
    let mut offsets = Vec::with_capacity(until - from);
    let mut anchor = None;
    let mut i = from;
    while i < until {
        if i == c {
            anchor = Some(text.len());
        }
        if buf[i] == b'\\' && buf.get(i + 1) == Some(&b'/') {
            text.push(b'/');
            offsets.push(i);
            i += 2;
        } else {
            text.push(buf[i]);
            offsets.push(i);
            i += 1;
        }
    }
    let Some(anchor) = anchor else { return };
    let mut found = Vec::new();
    check(&text, anchor, &mut found);
    for mut hit in found {
        let last = offsets[hit.end - 1];
        hit.start = offsets[hit.start];
        hit.end = last + if buf[last] == b'\\' { 2 } else { 1 };
        out.push(hit);
    }
}

/// The documentation's DSNs (`…@o0.ingest.sentry.io/0`) and example hosts.
fn placeholder(host: &[u8], project: &[u8]) -> bool {
    let host = host.to_ascii_lowercase();
    project.iter().all(|&b| b == b'0')
        || host.starts_with(b"o0.")
        || [
            &b"example.com"[..],
            b"example.org",
            b"example.net",
            b".example",
            b".invalid",
        ]
        .iter()
        .any(|suffix| host.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let d = super::super::Detector::new();
        d.detect(text.as_bytes(), false, &mut out);
        out
    }

    const KEY: &str = "3f1c7c3e0a9b4d6e8f2a1b3c4d5e6f70";

    #[test]
    fn shapes() {
        let h = hits(&format!(
            "dsn = \"https://{KEY}@o12.ingest.us.sentry.io/4501\""
        ));
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].rule, Rule::DsnPublicKey);
        assert_eq!(h[0].excerpt, "https://…6f70@o12.ingest.us.sentry.io/4501");
        let h = hits(&format!(
            "http://{KEY}:{}@sentry.corp:9000/sub/7 ",
            "a1b2c3d4e5f60718293a4b5c6d7e8f90"
        ));
        assert_eq!(h[0].rule, Rule::DsnSecretKey);
        assert!(!h[0].excerpt.contains("8f90"));
    }

    #[test]
    fn json_escaped_slashes() {
        let text = format!(r#"{{"dsn":"https:\/\/{KEY}@o12.ingest.sentry.io\/4501"}}"#);
        let h = hits(&text);
        assert_eq!(h.len(), 1, "{text}");
        assert_eq!(h[0].rule, Rule::DsnPublicKey);
        assert_eq!(h[0].excerpt, "https://…6f70@o12.ingest.sentry.io/4501");
        assert_eq!(&text[h[0].start..h[0].end], &text[8..text.len() - 2]);
        // The same DSN written plainly has the same fingerprint (baselines match either).
        let plain = hits(&format!("https://{KEY}@o12.ingest.sentry.io/4501"));
        assert_eq!(h[0].fingerprint, plain[0].fingerprint);
        assert!(hits(r#""https:\/\/examplePublicKey@o0.ingest.sentry.io\/0""#).is_empty());
    }

    #[test]
    fn rejects() {
        for text in [
            "https://examplePublicKey@o0.ingest.sentry.io/0".to_owned(),
            format!("https://{KEY}@o0.ingest.sentry.io/0"),
            format!("https://{}@o1.ingest.sentry.io/1", "0".repeat(32)),
            format!("https://{KEY}@sentry.example.com/1"),
            format!("https://{KEY}@o1.ingest.sentry.io/project"),
            format!("https://{KEY}0@o1.ingest.sentry.io/1"),
            format!("https://{KEY}@/1"),
        ] {
            assert!(hits(&text).is_empty(), "{text}");
        }
    }
}
