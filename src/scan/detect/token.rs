//! `sntry?_` auth tokens: user, app and integration tokens (64 hex) and org tokens
//! (`sntrys_<base64 JSON>_<base64 secret>`, validated by [`crate::AuthToken`]).

use zeroize::Zeroizing;

use super::entropy::{random_hex, shannon};
use super::{Hit, hex_len, tail4};
use crate::AuthToken;
use crate::scan::finding::fingerprint;
use crate::scan::rule::Rule;

/// The longest org token body accepted (real ones are about 150 to 250 characters).
const MAX_ORG_BODY: usize = 1024;

/// Checks the candidate at `buf[s..]`, which starts with `sntry`.
pub(super) fn check(buf: &[u8], s: usize, out: &mut Vec<Hit>) {
    if s > 0 && buf[s - 1].is_ascii_alphanumeric() {
        return;
    }
    let (Some(&kind), Some(b'_')) = (buf.get(s + 5), buf.get(s + 6)) else {
        return;
    };
    let rule = match kind {
        b'u' => Rule::UserToken,
        b'a' => Rule::AppToken,
        b'i' => Rule::IntegrationToken,
        b's' => {
            let len = buf[s + 7..]
                .iter()
                .take(MAX_ORG_BODY + 1)
                .take_while(|&&b| is_base64(b))
                .count();
            if !(20..=MAX_ORG_BODY).contains(&len) {
                return;
            }
            return org(buf, s, s + 7 + len, out);
        }
        _ => return,
    };
    let e = s + 7 + hex_len(&buf[s + 7..], 65);
    if e - s != 71 || buf.get(e).is_some_and(|&b| b.is_ascii_alphanumeric()) {
        return; // not exactly 64 hex digits
    }
    let body = &buf[s + 7..e];
    if !random_hex(body) {
        return;
    }
    out.push(Hit {
        start: s,
        end: e,
        rule,
        excerpt: format!(
            "{}…{}",
            String::from_utf8_lossy(&buf[s..s + 7]),
            tail4(body)
        ),
        fingerprint: fingerprint(rule, &buf[s..e]),
    });
}

fn org(buf: &[u8], s: usize, mut e: usize, out: &mut Vec<Hit>) {
    // Trailing separators belong to the surrounding text (`TOKEN=sntrys_…_…-`).
    while e > s && matches!(buf[e - 1], b'_' | b'-') {
        e -= 1;
    }
    let candidate = &buf[s..e];
    let Ok(text) = std::str::from_utf8(candidate) else {
        return;
    };
    let Some((_, secret_part)) = text.rsplit_once('_') else {
        return;
    };
    // 32 random bytes in base64 score about 5 bits per symbol; `AAAA…` scores 0.
    if shannon(secret_part.as_bytes()) < 3.5 {
        return;
    }
    let owned = Zeroizing::new(text.to_owned());
    if AuthToken::parse(&owned).is_err() {
        return;
    }
    out.push(Hit {
        start: s,
        end: e,
        rule: Rule::OrgToken,
        excerpt: format!("sntrys_…{}", tail4(candidate)),
        fingerprint: fingerprint(Rule::OrgToken, candidate),
    });
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
}
