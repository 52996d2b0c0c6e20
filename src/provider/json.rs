//! Field selection in JSON secrets (Vault KV data, AWS JSON secret strings), wiping as it goes.

use secrecy::SecretString;
use serde_json::{Map, Value};
use zeroize::Zeroize;

use super::{ProviderError, ProviderErrorKind};
use crate::secret::into_secret;

/// Takes `field` out of `object` as a secret and wipes every other string in it.
///
/// Without a field, an object with exactly one key yields that key's value; an object with
/// several keys is a [`ProviderErrorKind::BadReference`] (name one with `#field`). A field
/// that is missing is [`ProviderErrorKind::MissingField`]; one that is not a string is
/// [`ProviderErrorKind::Malformed`]. Messages name fields, never values.
pub(crate) fn take_field(
    mut object: Map<String, Value>,
    field: Option<&str>,
) -> Result<SecretString, ProviderError> {
    let taken = match field {
        Some(name) => object.remove(name).ok_or_else(|| {
            ProviderError::new(
                ProviderErrorKind::MissingField,
                format!(
                    "the secret has no field `{}`",
                    super::reference::shown(name)
                ),
            )
        }),
        None if object.len() == 1 => {
            // One key: use it, whatever its name.
            let key = object.keys().next().cloned().unwrap_or_default();
            object.remove(&key).ok_or_else(|| {
                ProviderError::new(
                    ProviderErrorKind::Malformed,
                    "the secret changed while read",
                )
            })
        }
        None if object.is_empty() => Err(ProviderError::new(
            ProviderErrorKind::MissingField,
            "the secret has no fields",
        )),
        None => Err(ProviderError::new(
            ProviderErrorKind::BadReference,
            format!(
                "the secret has {} fields; name one with #field",
                object.len()
            ),
        )),
    };
    wipe_map(&mut object);
    match taken? {
        Value::String(s) if s.is_empty() => Err(ProviderError::new(
            ProviderErrorKind::Malformed,
            "the field is empty",
        )),
        Value::String(s) => Ok(into_secret(s)),
        mut other => {
            wipe(&mut other);
            Err(ProviderError::new(
                ProviderErrorKind::Malformed,
                "the field is not a string",
            ))
        }
    }
}

/// Wipes every string (values and keys) in `value`. Numbers and booleans are not secrets
/// here and are dropped as they are.
pub(crate) fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => wipe_map(map),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Wipes every string in `map` and empties it.
pub(crate) fn wipe_map(map: &mut Map<String, Value>) {
    let taken = std::mem::take(map);
    for (mut k, mut v) in taken {
        wipe(&mut v);
        k.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!("test input is an object"),
        }
    }

    #[test]
    fn selects_named_or_only_field() {
        let m = obj(serde_json::json!({"dsn": "D", "token": "T"}));
        assert_eq!(take_field(m, Some("token")).unwrap().expose_secret(), "T");
        let m = obj(serde_json::json!({"value": "V"}));
        assert_eq!(take_field(m, None).unwrap().expose_secret(), "V");
    }

    #[test]
    fn errors_are_value_free() {
        let canary = "CANARY-9f8e7d";
        let cases = [
            (
                serde_json::json!({"a": canary, "b": canary}),
                None,
                ProviderErrorKind::BadReference,
            ),
            (
                serde_json::json!({"a": canary}),
                Some("b"),
                ProviderErrorKind::MissingField,
            ),
            (
                serde_json::json!({"a": [canary]}),
                Some("a"),
                ProviderErrorKind::Malformed,
            ),
            (serde_json::json!({}), None, ProviderErrorKind::MissingField),
        ];
        for (v, field, kind) in cases {
            let e = take_field(obj(v), field).unwrap_err();
            assert_eq!(e.kind(), kind);
            assert!(!format!("{e} {e:?}").contains(canary));
        }
    }
}
