//! Request bodies as Auth0 takes them: a JSON object or an `application/x-www-form-urlencoded`
//! form, read into one map of fields.

use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};

/// The fields of a request body. Form values are strings; JSON values keep their type.
pub type Fields = Map<String, Value>;

/// Reads `body` according to its `Content-Type`; the error says what was wrong.
pub fn parse_fields(headers: &HeaderMap, body: &[u8]) -> Result<Fields, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match content_type.as_str() {
        "application/json" => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err("the body must be a JSON object".into()),
            Err(e) => Err(format!("the body is not valid JSON: {e}")),
        },
        "application/x-www-form-urlencoded" => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|e| format!("the body is not a valid form: {e}"))?;
            Ok(pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect())
        }
        "" => Err("a Content-Type of application/json or application/x-www-form-urlencoded is required".into()),
        other => Err(format!(
            "unsupported Content-Type {other}: use application/json or application/x-www-form-urlencoded"
        )),
    }
}

/// A string field, or `Ok(None)` when absent; a present non-string is an error.
pub fn string_field<'a>(fields: &'a Fields, name: &str) -> Result<Option<&'a str>, String> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(format!("{name} must be a string")),
    }
}
