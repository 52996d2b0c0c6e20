//! [`Baseline`]: findings someone reviewed and accepted, stored as fingerprints.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use super::finding::Finding;
use super::report::display_path;
use super::rule::Rule;

/// Accepted findings, keyed by rule and fingerprint (a one-way hash of the rule and the
/// secret). The file never holds a secret; the path and line it records are for reviewers
/// and play no part in matching, so moving an accepted canary keeps it accepted.
///
/// ```
/// use sentry_secrets::scan::{Baseline, Scanner};
/// let text = format!("TOKEN = 'sntryu_{}'", "3f1c7c3e0a9b4d6e8f2a1b3c4d5e6f70".repeat(2));
/// let findings = Scanner::default().scan_bytes("t.py".as_ref(), text.as_bytes());
/// let json = Baseline::from_findings(&findings).to_json();
/// assert!(!json.contains("3f1c7c3e"));
/// let baseline = Baseline::from_json(&json).unwrap();
/// assert!(baseline.accepts(&findings[0]));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    accepted: BTreeSet<(Rule, String)>,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Entry {
    rule: String,
    fingerprint: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    line: u64,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct File {
    version: u32,
    accepted: Vec<Entry>,
}

impl Baseline {
    /// A baseline accepting `findings`.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|f| Entry {
                rule: f.rule.id().to_owned(),
                fingerprint: f.fingerprint.clone(),
                path: display_path(&f.path),
                line: f.line,
            })
            .collect();
        entries.sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
        Baseline::from_entries(entries)
    }

    fn from_entries(entries: Vec<Entry>) -> Baseline {
        let accepted = entries
            .iter()
            .filter_map(|e| Some((Rule::from_id(&e.rule)?, e.fingerprint.clone())))
            .collect();
        Baseline { accepted, entries }
    }

    /// Whether `finding` was accepted.
    pub fn accepts(&self, finding: &Finding) -> bool {
        self.accepted
            .contains(&(finding.rule, finding.fingerprint.clone()))
    }

    /// How many findings the baseline accepts.
    pub fn len(&self) -> usize {
        self.accepted.len()
    }

    /// Whether it accepts nothing.
    pub fn is_empty(&self) -> bool {
        self.accepted.is_empty()
    }

    /// Parses the JSON form (`{"version": 1, "accepted": [{"rule", "fingerprint", …}]}`).
    pub fn from_json(text: &str) -> Result<Baseline, serde_json::Error> {
        let file: File = serde_json::from_str(text)?;
        Ok(Baseline::from_entries(file.accepted))
    }

    /// The JSON form, one entry per accepted finding.
    pub fn to_json(&self) -> String {
        let file = File {
            version: 1,
            accepted: self.entries.clone(),
        };
        let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> io::Result<Baseline> {
        let text = std::fs::read_to_string(path)?;
        Baseline::from_json(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Writes a baseline file.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        std::fs::write(path, self.to_json())
    }
}
