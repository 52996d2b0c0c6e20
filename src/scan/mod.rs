//! The hardcoded-secret scanner (feature `scan`): finds Sentry DSNs and auth tokens in
//! source trees, validates each candidate, and reports where they are without ever holding
//! or printing a whole secret.
//!
//! | Rule | Finds | Level |
//! |------|-------|-------|
//! | `sentry-dsn-secret-key` | `https://<public>:<secret>@host/1` | error |
//! | `sentry-dsn-public-key` | `https://<public>@host/1` hardcoded | warning |
//! | `sentry-org-token` | `sntrys_<base64 JSON with org>_<base64 32 bytes>` | error |
//! | `sentry-user-token`, `-app-token`, `-integration-token` | `sntryu_`/`sntrya_`/`sntryi_` + 64 hex | error |
//! | `sentry-legacy-token` | 64 hex under a Sentry token key (`SENTRY_AUTH_TOKEN=`, `.sentryclirc`) | error |
//!
//! Placeholders (`examplePublicKey@o0.ingest.sentry.io/0`, `<your-token>`, `${SENTRY_DSN}`),
//! low-entropy and wrong-length look-alikes and checksums are not reported. A finding on a
//! line carrying `sentry-secrets: allow` is left out; a [`Baseline`] accepts reviewed ones.
//!
//! ```
//! use sentry_secrets::scan::{Baseline, Level, Rule, Scanner};
//!
//! let key = "3f1c7c3e0a9b4d6e8f2a1b3c4d5e6f70";
//! let text = format!(
//!     "SENTRY_DSN=https://{key}@o1.ingest.sentry.io/42\n\
//!      SENTRY_AUTH_TOKEN=sntryu_{key}{key}\n\
//!      EXAMPLE=https://examplePublicKey@o0.ingest.sentry.io/0\n"
//! );
//! let findings = Scanner::default().scan_bytes(".env".as_ref(), text.as_bytes());
//! assert_eq!(findings.len(), 2);
//! assert_eq!((findings[0].rule, findings[0].level), (Rule::DsnPublicKey, Level::Warning));
//! assert_eq!((findings[1].rule, findings[1].line), (Rule::UserToken, 2));
//! assert_eq!(findings[1].excerpt, "sntryu_…6f70");
//!
//! // Walk a tree in parallel, honouring .gitignore, and drop what a baseline accepts.
//! let dir = std::env::temp_dir().join(format!("scan-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join(".env"), &text).unwrap();
//! let mut report = Scanner::default().scan_paths(&[&dir]);
//! assert_eq!(report.findings.len(), 2);
//! report.apply_baseline(&Baseline::from_findings(&findings));
//! assert!(report.findings.is_empty());
//! assert!(report.to_sarif().contains("\"version\": \"2.1.0\""));
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod baseline;
mod detect;
mod finding;
mod report;
mod rule;
mod sarif;
mod scanner;

pub use baseline::Baseline;
pub use finding::Finding;
pub use report::{Report, ScanError};
pub use rule::{Level, Rule};
pub use scanner::{ALLOW_MARKER, ScanOptions, Scanner};
