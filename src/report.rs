//! A redacted report of the resolved configuration, with each field's origin.

use std::fmt;

use serde::Serialize;

use crate::config::{FIELDS, SentryConfig};
use crate::provenance::Origin;

/// A printable view of a [`SentryConfig`]: every field, its variable, a safe rendering of
/// its value (secrets as fingerprints and non-secret parts only) and its origin.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Whether Sentry would start (a DSN was resolved).
    pub enabled: bool,
    /// One entry per field, in a fixed order.
    pub fields: Vec<ReportField>,
    /// Warnings raised while resolving.
    pub warnings: Vec<String>,
}

/// One field of a [`Report`].
#[derive(Debug, Clone, Serialize)]
pub struct ReportField {
    /// The field, for example `dsn`.
    pub field: &'static str,
    /// The variable that supplied it, when set.
    pub variable: Option<String>,
    /// A safe rendering: for the DSN `https://fp:1a2b3c4d@host/42`, for the token its kind and
    /// fingerprint, for other fields the value itself. `None` when unset (default applies).
    pub value: Option<String>,
    /// Where it came from.
    pub origin: Option<Origin>,
}

impl SentryConfig {
    /// The redacted report (text with `Display`, JSON with [`Report::to_json`]).
    pub fn report(&self) -> Report {
        let fields = FIELDS
            .iter()
            .map(|&field| match self.origins.get(field) {
                Some(origin) => ReportField {
                    field,
                    variable: Some(self.variable(field)),
                    value: self.safe_value(field),
                    origin: Some(origin.clone()),
                },
                None => ReportField {
                    field,
                    variable: None,
                    value: self.default_value(field),
                    origin: self.default_value(field).map(|_| Origin::Default),
                },
            })
            .collect();
        Report {
            enabled: self.is_enabled(),
            fields,
            warnings: self.warnings.clone(),
        }
    }

    /// The rendering of a field left at its default, for fields that have one.
    fn default_value(&self, field: &str) -> Option<String> {
        match field {
            "traces_sample_rate" => Some("disabled".to_owned()),
            "sample_rate" | "debug" | "attach_stacktrace" | "send_default_pii"
            | "max_breadcrumbs" | "shutdown_timeout" => self.safe_value(field),
            _ => None,
        }
    }

    fn safe_value(&self, field: &str) -> Option<String> {
        Some(match field {
            "dsn" => self
                .dsn
                .as_ref()
                .map_or_else(|| "(unavailable)".to_owned(), |d| d.redacted()),
            "auth_token" => {
                self.auth_token
                    .as_ref()
                    .map_or_else(String::new, |t| match t.org_info() {
                        Some(o) => format!("{} (org {})", t.redacted(), o.org),
                        None => t.redacted(),
                    })
            }
            "environment" => self.environment.clone().unwrap_or_default(),
            "release" => self.release.clone().unwrap_or_default(),
            "dist" => self.dist.clone().unwrap_or_default(),
            "server_name" => self.server_name.clone().unwrap_or_default(),
            "sample_rate" => self.sample_rate.to_string(),
            "traces_sample_rate" => self.traces_sample_rate.to_string(),
            "debug" => self.debug.to_string(),
            "attach_stacktrace" => self.attach_stacktrace.to_string(),
            "send_default_pii" => self.send_default_pii.to_string(),
            "max_breadcrumbs" => self.max_breadcrumbs.to_string(),
            "shutdown_timeout" => format!("{}s", self.shutdown_timeout.as_secs_f64()),
            "org" => self.org.clone().unwrap_or_default(),
            "project" => self.project.clone().unwrap_or_default(),
            "url" => self.url.clone().unwrap_or_default(),
            _ => return None,
        })
    }
}

impl Report {
    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Sentry: {}",
            if self.enabled {
                "enabled"
            } else {
                "disabled (no DSN)"
            }
        )?;
        for field in &self.fields {
            match (&field.value, &field.origin) {
                (Some(v), Some(o)) => writeln!(f, "  {:<19} {v}  [{o}]", field.field)?,
                _ => writeln!(f, "  {:<19} (not set)", field.field)?,
            }
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}
