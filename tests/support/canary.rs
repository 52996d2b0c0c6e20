//! Canary secrets and a leak check: a secret has leaked if any 10-character window of it
//! appears in an output.
#![allow(dead_code)]

/// A DSN public key (32 alphanumerics).
pub const DSN_KEY: &str = "c0ffee0ddba11c4a7a2d0e5f1a9b3c7d";
/// A DSN legacy secret key.
pub const DSN_SECRET_KEY: &str = "5ecre7c4a7a2d0e5f1a9b3c7dc0ffee0";
/// The body of a user token (64 hex).
pub const TOKEN_HEX: &str = "deadbeefcafef00d0badc0de8badf00d1337c0dedeadbeefcafef00d0badc0de";

pub fn dsn(host_port: &str) -> String {
    format!("http://{DSN_KEY}@{host_port}/42")
}

pub fn token() -> String {
    format!("sntryu_{TOKEN_HEX}")
}

/// Secrets that must never appear.
pub fn secrets() -> [&'static str; 3] {
    [DSN_KEY, DSN_SECRET_KEY, TOKEN_HEX]
}

/// Panics (naming the channel, not printing the output) if any canary leaked into `text`.
pub fn assert_clean(channel: &str, text: &str) {
    for secret in secrets() {
        for w in secret.as_bytes().windows(10) {
            let w = std::str::from_utf8(w).unwrap();
            assert!(
                !text.contains(w),
                "canary window leaked through {channel} (output length {})",
                text.len()
            );
        }
    }
}

/// The Display, Debug and whole source chain of an error.
pub fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("{e}\n{e:?}\n");
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}
