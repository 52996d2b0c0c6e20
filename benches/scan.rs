//! The scanner's per-file scan (anchors, validation, lines, fingerprints) against a plain
//! `regex` `find_iter` over the same bytes with the patterns a ripgrep user would write
//! (gitleaks' Sentry rules plus a DSN pattern), which matches but validates nothing.
//!
//! ```text
//! cargo bench --features scan --bench scan
//! ```

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regex::bytes::Regex;
use sentry_secrets::scan::Scanner;

/// The plain way: one alternation, matched and counted.
const PLAIN: &str = concat!(
    r#"(?i)(?:sentry)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([a-f0-9]{64})(?:[\x60'"\s;]|\\[nr]|$)"#,
    r"|\bsntrys_eyJpYXQiO[a-zA-Z0-9+/]{10,200}(?:LCJyZWdpb25fdXJs|InJlZ2lvbl91cmwi|cmVnaW9uX3VybCI6)[a-zA-Z0-9+/]{10,200}={0,2}_[a-zA-Z0-9+/]{43}(?:[^a-zA-Z0-9+/]|\z)",
    r#"|\b(sntry[uai]_[a-f0-9]{64})(?:[\x60'"\s;]|\\[nr]|$)"#,
    r"|https?://[0-9a-fA-F]{32}(?::[0-9a-fA-F]{32})?@[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9._~/-]*[0-9]+\b",
);

/// Source-like files (about 32 KiB each) with URLs, checksums, the word sentry, and a
/// secret every few files.
fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let lines = [
        "    let entry = map.entry(key).or_insert_with(Vec::new);\n",
        "    // See https://docs.rs/regex/latest/regex/ for the syntax.\n",
        "    fn handle(&self, event: &Event) -> Result<(), Error> { Ok(()) }\n",
        "checksum = \"4f1c7c3e0a9b4d6e8f2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70\"\n",
        "    sentry::configure_scope(|scope| scope.set_tag(\"region\", \"eu\"));\n",
        "  \"homepage\": \"https://github.com/getsentry/sentry-rust\",\n",
        "    assert_eq!(format!(\"{:?}\", value), \"Some(42)\");\n",
    ];
    (0..256)
        .map(|i| {
            let mut text = String::with_capacity(33 * 1024);
            while text.len() < 32 * 1024 {
                text.push_str(lines[(next() % lines.len() as u64) as usize]);
            }
            if i % 8 == 0 {
                let hex: String = (0..4).map(|_| format!("{:016x}", next())).collect();
                text.push_str(&format!("SENTRY_AUTH_TOKEN=sntryu_{hex}\n"));
                text.push_str(&format!(
                    "dsn = \"https://{}@o1.ingest.sentry.io/7\"\n",
                    &hex[..32]
                ));
            }
            (PathBuf::from(format!("src/file{i}.rs")), text.into_bytes())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let scanner = Scanner::default();
    let plain = Regex::new(PLAIN).unwrap();
    let mut group = c.benchmark_group("scan 8 MiB of generated source");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("sentry-secrets scan_bytes (validated)", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(p, bytes)| scanner.scan_bytes(p, black_box(bytes)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("plain regex find_iter (unvalidated)", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(_, bytes)| plain.find_iter(black_box(bytes)).count())
                .sum::<usize>()
        })
    });
    group.finish();

    // A hostile file: one 1 MiB line packed with 64-hex values under a token key, which
    // must cost linear time (each value checks a bounded look-back, not the whole line).
    let hex = "5f1c7c3e0a9b4d6e8f2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70";
    let mut line = String::from("# sentry\n");
    while line.len() < 1 << 20 {
        line.push_str("token=");
        line.push_str(hex);
        line.push(',');
    }
    let path = PathBuf::from("hostile.env");
    let mut group = c.benchmark_group("scan one 1 MiB line of token=<hex>");
    group.throughput(Throughput::Bytes(line.len() as u64));
    group.sample_size(10);
    group.bench_function("sentry-secrets scan_bytes (validated)", |b| {
        b.iter(|| scanner.scan_bytes(&path, black_box(line.as_bytes())).len())
    });
    group.bench_function("plain regex find_iter (unvalidated)", |b| {
        b.iter(|| plain.find_iter(black_box(line.as_bytes())).count())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
