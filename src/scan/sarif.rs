//! SARIF 2.1.0, for code-scanning upload (GitHub's `upload-sarif`).

use serde_json::{Value, json};

use super::report::{Report, display_path};
use super::rule::Rule;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

impl Report {
    /// The report as a SARIF 2.1.0 log: one run, the rules in `tool.driver.rules`, one
    /// result per finding with its location, and the fingerprint in `partialFingerprints`.
    /// Columns count Unicode code points (`columnKind`).
    pub fn to_sarif(&self) -> String {
        let rules: Vec<Value> = Rule::ALL
            .iter()
            .map(|r| {
                json!({
                    "id": r.id(),
                    "name": r.id(),
                    "shortDescription": { "text": r.description() },
                    "defaultConfiguration": { "level": r.level().as_str() },
                    "helpUri": help_uri(*r),
                })
            })
            .collect();
        let results: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                json!({
                    "ruleId": f.rule.id(),
                    "ruleIndex": f.rule.index(),
                    "level": f.level.as_str(),
                    "message": { "text": format!("{}: {}", f.rule.description(), f.excerpt) },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&display_path(&f.path)) },
                            "region": { "startLine": f.line, "startColumn": f.column },
                        }
                    }],
                    "partialFingerprints": { "sentrySecrets/v1": f.fingerprint },
                })
            })
            .collect();
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "sentry-secrets",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://crates.io/crates/sentry-secrets",
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        serde_json::to_string_pretty(&log).unwrap_or_default()
    }
}

/// Sentry's documentation for what a rule finds.
fn help_uri(rule: Rule) -> &'static str {
    match rule {
        Rule::DsnSecretKey | Rule::DsnPublicKey => {
            "https://docs.sentry.io/concepts/key-terms/dsn-explainer/"
        }
        _ => "https://docs.sentry.io/account/auth-tokens/",
    }
}

/// A relative URI reference: percent-encodes everything but unreserved bytes and `/`.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uri_encodes() {
        assert_eq!(super::uri("a b/c%.rs"), "a%20b/c%25.rs");
    }
}
