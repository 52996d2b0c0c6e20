//! Development `.env` files, parsed into the loader's own map (never `set_var`).
//!
//! The syntax is dotenvy's for what a Sentry configuration needs: `KEY=value`, optional
//! `export `, `#` comments, single quotes (literal) and double quotes (with `\n`, `\"`,
//! `\\`, `\$` escapes). Variable substitution (`${OTHER}`) is deliberately not performed:
//! a `.env` entry never pulls values out of the process environment.
//!
//! Why not `dotenvy::from_read_iter`: its parser keeps unwiped copies of every value (its
//! substitution map, buffers that grow character by character, and the offending line in
//! its error message). A test checks that this parser agrees with dotenvy on the syntax it
//! supports.

use std::collections::HashMap;
use std::path::Path;

use secrecy::SecretString;
use zeroize::Zeroize;

/// A `.env` line that does not parse (1-based line number; the content is never kept).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) line: usize,
}

/// Parses `text` into a map of key to secret value. The last assignment of a key wins.
pub(crate) fn parse(text: &str) -> Result<HashMap<String, SecretString>, SyntaxError> {
    let mut map = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = SyntaxError { line: i + 1 };
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let (key, rest) = line.split_once('=').ok_or(SyntaxError { line: i + 1 })?;
        let key = key.trim_end();
        let valid_key = key
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        if !valid_key {
            return Err(err);
        }
        let value = parse_value(rest.trim_start()).ok_or(err)?;
        map.insert(key.to_owned(), crate::secret::into_secret(value));
    }
    Ok(map)
}

/// Parses one value. The output buffer is allocated once at full size, so no partial copy
/// is freed unwiped; on error it is wiped before it is dropped.
fn parse_value(v: &str) -> Option<String> {
    let mut out = String::with_capacity(v.len());
    let ok = match v.as_bytes().first() {
        Some(b'\'') => single_quoted(&v[1..], &mut out),
        Some(b'"') => double_quoted(&v[1..], &mut out),
        _ => {
            // Unquoted: up to an inline comment (` #`), trailing spaces trimmed.
            let end = v.find(" #").unwrap_or(v.len());
            let body = v[..end].trim_end();
            if body.contains(['"', '\'', '\\', ' ']) {
                false
            } else {
                out.push_str(body);
                true
            }
        }
    };
    if ok {
        Some(out)
    } else {
        out.zeroize();
        None
    }
}

fn single_quoted(v: &str, out: &mut String) -> bool {
    match v.find('\'') {
        Some(end) if rest_is_comment(&v[end + 1..]) => {
            out.push_str(&v[..end]);
            true
        }
        _ => false,
    }
}

fn double_quoted(v: &str, out: &mut String) -> bool {
    let mut chars = v.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return rest_is_comment(&v[i + 1..]),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, e @ ('"' | '\\' | '$' | '\''))) => out.push(e),
                _ => return false,
            },
            // Substitution is not supported: refuse rather than silently differ.
            '$' => return false,
            c => out.push(c),
        }
    }
    false
}

fn rest_is_comment(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.is_empty() || rest.starts_with('#')
}

/// Reads and parses the `.env` file at `path` with the hardened reader.
/// A missing file is not an error (`Ok(None)`).
pub(crate) fn load(
    path: &Path,
    policy: &crate::policy::FilePolicy,
) -> Result<Option<HashMap<String, SecretString>>, crate::Error> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let buf = super::file::read_bounded(".env", path, policy, super::file::MAX_DOTENV_FILE)
        .map_err(|e| crate::Error::File {
            key: ".env".to_owned(),
            path: e.path,
            kind: e.kind,
            source: e.source,
        })?;
    let text = std::str::from_utf8(&buf).map_err(|_| crate::Error::File {
        key: ".env".to_owned(),
        path: path.to_owned(),
        kind: super::file::FileErrorKind::NotUtf8,
        source: None,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parse(text)
        .map(Some)
        .map_err(|e| crate::Error::DotEnvSyntax {
            path: path.to_owned(),
            line: e.line,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn get(m: &HashMap<String, SecretString>, k: &str) -> String {
        m[k].expose_secret().to_owned()
    }

    #[test]
    fn syntax() {
        let m = parse(
            "# comment\n\nA=1\nexport B = two # note\nC='lit $X \\n'\nD=\"q \\\"x\\\" \\n\"\nE=\nA=3\n",
        )
        .unwrap();
        assert_eq!(get(&m, "A"), "3");
        assert_eq!(get(&m, "B"), "two");
        assert_eq!(get(&m, "C"), "lit $X \\n");
        assert_eq!(get(&m, "D"), "q \"x\" \n");
        assert_eq!(get(&m, "E"), "");
    }

    #[test]
    fn errors_name_the_line_only() {
        assert_eq!(
            parse("A=1\nnot a pair\n").unwrap_err(),
            SyntaxError { line: 2 }
        );
        assert_eq!(parse("A=\"open\n").unwrap_err(), SyntaxError { line: 1 });
        assert_eq!(parse("1A=x\n").unwrap_err(), SyntaxError { line: 1 });
        assert_eq!(
            parse("A=\"${HOME}\"\n").unwrap_err(),
            SyntaxError { line: 1 }
        );
    }

    /// The subset we support parses exactly as dotenvy parses it.
    #[test]
    fn agrees_with_dotenvy() {
        let text = "A=1\nexport B=two\nC='single # not comment'\nD=\"dq \\\"esc\\\" \\\\ \\n\"\n# c\nE=x # trailing\nF=https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42\n";
        let ours = parse(text).unwrap();
        let theirs: HashMap<String, String> = dotenvy::from_read_iter(text.as_bytes())
            .map(Result::unwrap)
            .collect();
        assert_eq!(ours.len(), theirs.len());
        for (k, v) in &theirs {
            assert_eq!(ours[k].expose_secret(), v, "{k}");
        }
    }
}
