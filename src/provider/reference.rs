//! `SecretRef`: a parsed `scheme://location[#field][?options]` reference.

use std::fmt;

/// A reference to a secret held in a store: `scheme://location[#field][?options]`.
///
/// A reference names where a secret lives, never the secret itself, so it may appear in
/// reports, audit events and errors. Literal DSNs (`http://`, `https://`) are not references.
///
/// ```
/// use sentry_secrets::SecretRef;
///
/// let r = SecretRef::parse("vault://secret/sentry#dsn?version=2").unwrap().unwrap();
/// assert_eq!(r.scheme(), "vault");
/// assert_eq!(r.location(), "secret/sentry");
/// assert_eq!(r.field(), Some("dsn"));
/// assert_eq!(r.option("version"), Some("2"));
///
/// // A literal DSN or token is not a reference.
/// assert!(SecretRef::parse("https://abc@o1.ingest.sentry.io/1").unwrap().is_none());
/// assert!(SecretRef::parse("sntryu_0123").unwrap().is_none());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SecretRef {
    scheme: String,
    location: String,
    field: Option<String>,
    options: Vec<(String, String)>,
}

/// Why a reference could not be parsed. Holds no part of the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RefError {
    /// The scheme is not made of lowercase letters, digits, `+`, `-` or `.`.
    #[error("malformed reference scheme")]
    BadScheme,
    /// `scheme://` with nothing after it.
    #[error("reference has an empty location")]
    EmptyLocation,
    /// An option without `=`.
    #[error("malformed reference option (expected key=value)")]
    BadOption,
}

impl SecretRef {
    /// Parses `value` as a reference.
    ///
    /// Returns `Ok(None)` when the value is a literal: it has no `://`, or its scheme is
    /// `http`/`https` (a literal DSN). Returns an error only for something that looks like a
    /// reference but is malformed. Whether the scheme is *known* is the registry's decision.
    pub fn parse(value: &str) -> Result<Option<SecretRef>, RefError> {
        let Some((scheme, rest)) = value.split_once("://") else {
            return Ok(None);
        };
        if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
            return Ok(None);
        }
        if scheme.is_empty()
            || !scheme.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')
            })
            || !scheme.as_bytes()[0].is_ascii_lowercase()
        {
            return Err(RefError::BadScheme);
        }
        // Options come last: `loc#field?opts` or `loc?opts`.
        let (body, query) = match rest.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (rest, None),
        };
        let (location, field) = match body.split_once('#') {
            Some((l, f)) => (l, Some(f)),
            None => (body, None),
        };
        if location.is_empty() {
            return Err(RefError::EmptyLocation);
        }
        let mut options = Vec::new();
        if let Some(q) = query {
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').ok_or(RefError::BadOption)?;
                options.push((k.to_owned(), v.to_owned()));
            }
        }
        Ok(Some(SecretRef {
            scheme: scheme.to_owned(),
            location: location.to_owned(),
            field: field.filter(|f| !f.is_empty()).map(str::to_owned),
            options,
        }))
    }

    /// The scheme, for example `vault`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Everything between `://` and `#` or `?`, for example `secret/sentry`.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The field after `#`, if any.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The value of option `name` (`?name=value`), if given.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The full reference, unredacted: a cache key, never for output.
    pub(crate) fn cache_key(&self) -> String {
        let mut key = format!(
            "{}://{}#{}",
            self.scheme,
            self.location,
            self.field.as_deref().unwrap_or("")
        );
        for (k, v) in &self.options {
            key.push_str(&format!("&{k}={v}"));
        }
        key
    }

    /// All options, in order.
    pub fn options(&self) -> impl Iterator<Item = (&str, &str)> {
        self.options.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// A part of a reference (a field name, an option) as errors may quote it: text up to the
/// last `@` is hidden, as in the reference's own `Display`.
pub(crate) fn shown(part: &str) -> std::borrow::Cow<'_, str> {
    match part.rsplit_once('@') {
        Some((_, rest)) => format!("…@{rest}").into(),
        None => part.into(),
    }
}

impl fmt::Display for SecretRef {
    /// The reference, with everything before the last `@` (in the location, the field or
    /// the options) hidden: references never need user info, so text there is most likely a
    /// misplaced DSN key or password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Sized up front so that it never reallocates, and wiped after use.
        let len = self.location.len()
            + self.field.as_ref().map_or(0, |f| f.len() + 1)
            + self
                .options
                .iter()
                .map(|(k, v)| k.len() + v.len() + 2)
                .sum::<usize>();
        let mut text = zeroize::Zeroizing::new(String::with_capacity(len));
        text.push_str(&self.location);
        if let Some(field) = &self.field {
            text.push('#');
            text.push_str(field);
        }
        for (i, (k, v)) in self.options.iter().enumerate() {
            text.push(if i == 0 { '?' } else { '&' });
            text.push_str(k);
            text.push('=');
            text.push_str(v);
        }
        write!(f, "{}://{}", self.scheme, shown(&text))
    }
}

impl fmt::Debug for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretRef({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_not_references() {
        for v in [
            "",
            "plain",
            "https://k@h/1",
            "HTTP://k@h/1",
            "sntrys_abc_def",
        ] {
            assert_eq!(SecretRef::parse(v).unwrap(), None, "{v}");
        }
    }

    #[test]
    fn parses_all_parts_and_round_trips() {
        let r = SecretRef::parse("aws-sm://prod/sentry#auth_token?version-stage=AWSPREVIOUS")
            .unwrap()
            .unwrap();
        assert_eq!(r.scheme(), "aws-sm");
        assert_eq!(r.location(), "prod/sentry");
        assert_eq!(r.field(), Some("auth_token"));
        assert_eq!(r.option("version-stage"), Some("AWSPREVIOUS"));
        assert_eq!(
            r.to_string(),
            "aws-sm://prod/sentry#auth_token?version-stage=AWSPREVIOUS"
        );
        let f = SecretRef::parse("file:///run/secrets/dsn")
            .unwrap()
            .unwrap();
        assert_eq!(f.location(), "/run/secrets/dsn");
    }

    #[test]
    fn malformed() {
        assert_eq!(SecretRef::parse("://x"), Err(RefError::BadScheme));
        assert_eq!(SecretRef::parse("Va ult://x"), Err(RefError::BadScheme));
        assert_eq!(SecretRef::parse("vault://"), Err(RefError::EmptyLocation));
        assert_eq!(SecretRef::parse("vault://a?b"), Err(RefError::BadOption));
    }
}
