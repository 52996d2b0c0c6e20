//! Shannon entropy, to tell random keys from placeholders such as `0000…` or `abab…`.

/// Bits per symbol of `s` (0 for empty input). Random hex scores about 3.7 over 32
/// characters; `abab…` scores 1.
pub(super) fn shannon(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[usize::from(b)] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Random enough for a hex key: entropy at least 2.5 bits per symbol. Random 32-digit keys
/// fall below 3.0 about once in 9,000 and below 2.5 about never; repeated placeholders
/// (`0000…`, `abab…`, `deadbeef…`) stay at or below 2.2.
pub(super) fn random_hex(s: &[u8]) -> bool {
    shannon(s) >= 2.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_low() {
        assert!(!random_hex(&[b'0'; 64]));
        assert!(!random_hex("ab".repeat(32).as_bytes()));
        assert!(!random_hex("deadbeef".repeat(8).as_bytes()));
        assert!(random_hex(b"c0ffee0ddba11c4a7a2d0e5f1a9b3c7d"));
    }
}
