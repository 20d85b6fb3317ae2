//! Request bodies as Auth0 takes them: a JSON object or an `application/x-www-form-urlencoded`
//! form, read into one map of fields.

use serde_json::{Map, Value};

use crate::strict_json::StrictValue;

/// A field name as an error may echo it: quoted, at most 64 characters, control characters
/// escaped (a rejected input must not flood or forge the answer).
pub fn quoted(name: &str) -> String {
    let mut out = String::from("\"");
    for (i, c) in name.chars().enumerate() {
        if i == 64 {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out.push('"');
    out
}

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
        "application/json" => match serde_json::from_slice::<StrictValue>(body) {
            Ok(StrictValue(Value::Object(map))) => Ok(map),
            Ok(_) => Err("the body must be a JSON object".into()),
            Err(e) => Err(format!("the body is not valid JSON: {e}")),
        },
        "application/x-www-form-urlencoded" => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|e| format!("the body is not a valid form: {e}"))?;
            let mut fields = Fields::new();
            for (key, value) in pairs {
                if fields.contains_key(&key) {
                    return Err(format!("the form gives the field {} twice", quoted(&key)));
                }
                fields.insert(key, Value::String(value));
            }
            Ok(fields)
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

    #[test]
    fn a_field_given_twice_is_refused_in_json_and_in_forms() {
        let json = parse_fields(
            Some("application/json"),
            br#"{"email":"a@example.com","email":"b@example.com"}"#,
        );
        assert!(json.unwrap_err().contains("\"email\" is given twice"));
        let form = parse_fields(Some("application/x-www-form-urlencoded"), b"otp=1&otp=2");
        assert_eq!(form.unwrap_err(), "the form gives the field \"otp\" twice");
    }

    #[test]
    fn echoed_names_are_capped_and_escaped() {
        assert_eq!(quoted("a\r\nb\0"), "\"a\\r\\nb\\0\"");
        let long = quoted(&"x".repeat(10_000));
        assert_eq!(long.chars().count(), 64 + 3);
    }
}
