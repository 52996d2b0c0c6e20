//! Properties of the scanner: generated tokens of every shape are always found and never
//! printed whole (human, JSON, SARIF, baseline), and the SARIF log has the 2.1.0 structure.
#![cfg(feature = "scan")]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use sentry_secrets::scan::{Baseline, Report, Rule, Scanner};
use serde_json::Value;

/// Hex of 16 random bytes per 32 digits: high entropy, like real keys.
fn hex(bytes: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), bytes)
        .prop_map(|v| v.iter().map(|b| format!("{b:02x}")).collect())
}

fn org_token() -> impl Strategy<Value = String> {
    ("[a-z][a-z0-9-]{0,20}", proptest::collection::vec(any::<u8>(), 32), any::<bool>()).prop_map(|(org, secret, region)| {
        let payload = if region {
            format!(r#"{{"iat":1733300000.5,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"{org}"}}"#)
        } else {
            format!(r#"{{"url":"https://sentry.example.org","org":"{org}"}}"#)
        };
        let secret = STANDARD.encode(secret);
        format!("sntrys_{}_{}", STANDARD.encode(payload), secret.trim_end_matches('='))
    })
}

/// A secret, the rule that must find it, and the text to embed it in.
fn case() -> impl Strategy<Value = (String, Rule, String)> {
    let prefixed = (
        hex(32),
        prop::sample::select(vec![
            ("sntryu_", Rule::UserToken),
            ("sntrya_", Rule::AppToken),
            ("sntryi_", Rule::IntegrationToken),
        ]),
    )
        .prop_map(|(h, (p, r))| (format!("{p}{h}"), r, "TOKEN = \"{}\"".to_owned()));
    let legacy = (
        hex(32),
        prop::sample::select(vec![
            "SENTRY_AUTH_TOKEN={}",
            "sentry:\n  auth_token: '{}'",
            "[sentry]\ntoken = \"{}\"",
        ]),
    )
        .prop_map(|(h, ctx)| (h, Rule::LegacyToken, ctx.to_owned()));
    let dsn = (
        hex(16),
        prop::option::of(hex(16)),
        "[a-z]{1,10}(\\.[a-z]{1,10}){0,3}",
        1u32..10_000_000,
    )
        .prop_map(|(k, s, host, project)| match s {
            Some(s) => (
                format!("https://{k}:{s}@{host}/{project}"),
                Rule::DsnSecretKey,
                "dsn: {}".to_owned(),
            ),
            None => (
                format!("http://{k}@{host}:9000/api/{project}"),
                Rule::DsnPublicKey,
                "let dsn = \"{}\";".to_owned(),
            ),
        });
    let org = org_token().prop_map(|t| (t, Rule::OrgToken, "{\"token\": \"{}\"}".to_owned()));
    prop_oneof![prefixed, legacy, dsn, org]
}

fn outputs(findings: &[sentry_secrets::scan::Finding]) -> Vec<String> {
    let mut report = Report::default();
    report.findings = findings.to_vec();
    vec![
        report.to_human(),
        report.to_json(),
        report.to_sarif(),
        Baseline::from_findings(findings).to_json(),
    ]
}

/// The secret part that must never show: the token or the DSN's keys.
fn secret_core(secret: &str, rule: Rule) -> String {
    match rule {
        Rule::DsnPublicKey | Rule::DsnSecretKey => {
            let keys = secret
                .split("://")
                .nth(1)
                .unwrap()
                .split('@')
                .next()
                .unwrap();
            keys.to_owned()
        }
        _ => secret.to_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_secrets_are_found_and_never_printed(
        (secret, rule, template) in case(),
        before in "[ -~\n]{0,200}",
        after in "[ -~&&[^0-9a-zA-Z+/=_-]][ -~\n]{0,200}",
    ) {
        let line = template.replace("{}", &secret);
        let text = format!("{before}\n{line}\n{after}");
        let findings = Scanner::default().scan_bytes("gen/config.txt".as_ref(), text.as_bytes());
        prop_assert!(findings.iter().any(|f| f.rule == rule), "{rule} not found");
        let core = secret_core(&secret, rule);
        for out in outputs(&findings) {
            prop_assert!(!out.contains(&core));
            for w in core.as_bytes().windows(10) {
                prop_assert!(!out.contains(std::str::from_utf8(w).unwrap()));
            }
        }
    }

    #[test]
    fn anchor_soup_never_panics(pieces in proptest::collection::vec(prop::sample::select(vec![
        "sntry", "u_", "s_", "a_", "://", "https", "http", "@", ":", "/", "7", "0", "c0ffee", "deadbeef0123456789",
        "\n", "=", "sentry", "SENTRY_AUTH_TOKEN=", "token: ", "eyJvcmciOiJhIn0", "_", "==",
    ]), 0..200)) {
        let text = pieces.concat();
        let _ = Scanner::default().scan_bytes("x".as_ref(), text.as_bytes());
        let _ = Scanner::default().scan_reader("x".as_ref(), text.as_bytes()).unwrap();
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = Scanner::default().scan_bytes("x".as_ref(), &bytes);
    }
}

#[test]
fn sarif_has_the_2_1_0_structure() {
    let key = "3f1c7c3e0a9b4d6e8f2a1b3c4d5e6f70";
    let text =
        format!("a\n  x = \"sntryu_{key}{key}\"\nDSN=https://{key}@o1.ingest.sentry.io/42\n");
    let mut report = Report::default();
    report.findings = Scanner::default().scan_bytes("src/my app/conf.py".as_ref(), text.as_bytes());
    let log: Value = serde_json::from_str(&report.to_sarif()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "sentry-secrets");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), Rule::ALL.len());
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let expect = [
        ("sentry-user-token", "error", 2, 8),
        ("sentry-dsn-public-key", "warning", 3, 5),
    ];
    for (res, (id, level, line, col)) in results.iter().zip(expect) {
        assert_eq!(res["ruleId"], id);
        assert_eq!(res["level"], level);
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], id);
        assert!(res["message"]["text"].is_string());
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "src/my%20app/conf.py");
        assert_eq!(loc["region"]["startLine"], line);
        assert_eq!(loc["region"]["startColumn"], col);
    }
}
