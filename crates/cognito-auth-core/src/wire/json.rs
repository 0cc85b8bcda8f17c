//! Reading JSON response bodies: size limit, then typed members taken out of the object.
//!
//! Members are *moved* out of the parsed object, so a token's `String` becomes a
//! [`SecretString`] without another copy being left behind. `null` counts as absent, and
//! members the core does not know are ignored.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::{MAX_BODY_LEN, ResponseError};
use crate::secret::SecretString;

/// Parses a response body that must be a JSON object, refusing bodies over [`MAX_BODY_LEN`]
/// before reading them.
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ResponseError> {
    if body.len() > MAX_BODY_LEN {
        return Err(ResponseError::TooLarge { len: body.len() });
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(members)) => Ok(members),
        Ok(_) => Err(ResponseError::NotAnObject),
        Err(_) => Err(ResponseError::NotJson),
    }
}

/// Takes member `field` out of `object`; `None` if it is missing or `null`.
pub(crate) fn take(object: &mut Map<String, Value>, field: &'static str) -> Option<Value> {
    match object.remove(field) {
        None | Some(Value::Null) => None,
        Some(value) => Some(value),
    }
}

/// An optional string member.
pub(crate) fn take_string(
    object: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, ResponseError> {
    match take(object, field) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(ResponseError::FieldHasWrongType { field }),
    }
}

/// A required string member.
pub(crate) fn require_string(
    object: &mut Map<String, Value>,
    field: &'static str,
) -> Result<String, ResponseError> {
    take_string(object, field)?.ok_or(ResponseError::MissingField { field })
}

/// An optional secret string member (a token).
pub(crate) fn take_secret(
    object: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<SecretString>, ResponseError> {
    Ok(take_string(object, field)?.map(SecretString::from))
}

/// An optional non-negative integer member.
pub(crate) fn take_u64(
    object: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<u64>, ResponseError> {
    match take(object, field) {
        None => Ok(None),
        Some(Value::Number(number)) => number
            .as_u64()
            .map(Some)
            .ok_or(ResponseError::FieldHasWrongType { field }),
        Some(_) => Err(ResponseError::FieldHasWrongType { field }),
    }
}

/// An optional boolean member.
pub(crate) fn take_bool(
    object: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<bool>, ResponseError> {
    match take(object, field) {
        None => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(flag)),
        Some(_) => Err(ResponseError::FieldHasWrongType { field }),
    }
}

/// An optional object member.
pub(crate) fn take_object(
    object: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<Map<String, Value>>, ResponseError> {
    match take(object, field) {
        None => Ok(None),
        Some(Value::Object(members)) => Ok(Some(members)),
        Some(_) => Err(ResponseError::FieldHasWrongType { field }),
    }
}

/// An optional object of strings (`ChallengeParameters`); absent is empty. A value that is not
/// a string is an error, not skipped: the core would otherwise act on a partial challenge.
pub(crate) fn take_string_map(
    object: &mut Map<String, Value>,
    field: &'static str,
) -> Result<BTreeMap<String, String>, ResponseError> {
    let Some(members) = take_object(object, field)? else {
        return Ok(BTreeMap::new());
    };
    members
        .into_iter()
        .map(|(name, value)| match value {
            Value::String(text) => Ok((name, text)),
            _ => Err(ResponseError::FieldHasWrongType { field }),
        })
        .collect()
}

/// An optional array of strings (`AvailableChallenges`); absent is empty.
pub(crate) fn take_string_list(
    object: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Vec<String>, ResponseError> {
    match take(object, field) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::String(text) => Ok(text),
                _ => Err(ResponseError::FieldHasWrongType { field }),
            })
            .collect(),
        Some(_) => Err(ResponseError::FieldHasWrongType { field }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn json_object_accepts_objects_only() {
        assert!(json_object(b"{}").unwrap().is_empty());
        assert_eq!(
            json_object(b" {\"A\": 1} ").unwrap().get("A"),
            Some(&Value::from(1))
        );
        for (body, error) in [
            (&b""[..], ResponseError::NotJson),
            (b"{", ResponseError::NotJson),
            (b"<html>", ResponseError::NotJson),
            (b"{\"A\": \"\xff\"}", ResponseError::NotJson),
            (b"{} {}", ResponseError::NotJson),
            (b"[]", ResponseError::NotAnObject),
            (b"null", ResponseError::NotAnObject),
            (b"\"{}\"", ResponseError::NotAnObject),
        ] {
            assert_eq!(json_object(body), Err(error), "{body:?}");
        }
    }

    #[test]
    fn json_object_refuses_large_and_deep_bodies() {
        let mut big = vec![b' '; MAX_BODY_LEN + 1];
        big[0] = b'{';
        big[MAX_BODY_LEN] = b'}';
        assert_eq!(
            json_object(&big),
            Err(ResponseError::TooLarge {
                len: MAX_BODY_LEN + 1
            })
        );
        big.pop();
        big[MAX_BODY_LEN - 1] = b'}';
        assert!(json_object(&big).unwrap().is_empty(), "exactly the limit");
        let deep = "[".repeat(10_000);
        assert_eq!(json_object(deep.as_bytes()), Err(ResponseError::NotJson));
    }

    #[test]
    fn members_are_typed_and_null_is_absent() {
        let mut object = json_object(
            br#"{"S":"s","N":7,"Neg":-1,"F":1.5,"B":true,"Null":null,"L":["a"],"M":{"k":"v"}}"#,
        )
        .unwrap();
        assert_eq!(take_string(&mut object, "Null"), Ok(None));
        assert_eq!(
            require_string(&mut object, "Null"),
            Err(ResponseError::MissingField { field: "Null" })
        );
        assert_eq!(
            take_string(&mut object, "N"),
            Err(ResponseError::FieldHasWrongType { field: "N" })
        );
        assert_eq!(require_string(&mut object, "S"), Ok(String::from("s")));
        assert_eq!(
            take_u64(&mut object, "Neg"),
            Err(ResponseError::FieldHasWrongType { field: "Neg" })
        );
        assert_eq!(
            take_u64(&mut object, "F"),
            Err(ResponseError::FieldHasWrongType { field: "F" })
        );
        assert_eq!(take_bool(&mut object, "B"), Ok(Some(true)));
        assert_eq!(
            take_string_list(&mut object, "L"),
            Ok(vec![String::from("a")])
        );
        assert_eq!(take_string_list(&mut object, "L"), Ok(vec![]), "taken");
        let map = take_string_map(&mut object, "M").unwrap();
        assert_eq!(map.get("k").map(String::as_str), Some("v"));
        assert!(take_secret(&mut object, "Missing").unwrap().is_none());
    }
}
