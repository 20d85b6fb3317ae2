//! Request bodies as Auth0 takes them: a JSON object or an `application/x-www-form-urlencoded`
//! form, read into one map of fields.

use serde_json::{Map, Value};

/// The fields of a request body. Form values are strings; JSON values keep their type.
pub type Fields = Map<String, Value>;

/// The media type of a `Content-Type` header value, lower-cased, without parameters.
pub fn media_type(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Reads `body` according to its `Content-Type`; the error says what was wrong.
pub fn parse_fields(content_type: Option<&str>, body: &[u8]) -> Result<Fields, String> {
    match media_type(content_type).as_str() {
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
        "" => Err(
            "a Content-Type of application/json or application/x-www-form-urlencoded is required"
                .into(),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_forms() {
        let json = parse_fields(
            Some("application/json; charset=utf-8"),
            br#"{"a":"1","n":2}"#,
        );
        assert_eq!(json.unwrap()["n"], 2);
        let form = parse_fields(Some("application/x-www-form-urlencoded"), b"a=1&b=x%40y").unwrap();
        assert_eq!(form["b"], "x@y");
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(
            parse_fields(Some("application/json"), b"[1]").unwrap_err(),
            "the body must be a JSON object"
        );
        assert!(parse_fields(Some("application/json"), b"{")
            .unwrap_err()
            .starts_with("the body is not valid JSON"));
        assert!(parse_fields(Some("text/plain"), b"x")
            .unwrap_err()
            .starts_with("unsupported Content-Type text/plain"));
        assert!(parse_fields(None, b"x")
            .unwrap_err()
            .starts_with("a Content-Type"));
    }
}
