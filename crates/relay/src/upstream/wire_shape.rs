//! An upstream error answer whose body is not a wire error (a proxy's HTML page, a bare
//! `{"message": …}`, a line of plain text, a truncated body) is answered with its status and a
//! wire error: the browser always gets `{error, error_description}` on failure, never someone
//! else's page, and the code still tells a refusal (4xx) from an outage (5xx).

use axum::http::{header, HeaderValue, StatusCode};
use passwordless_wire::fields::media_type;
use passwordless_wire::{codes, WireError};
use serde_json::{Map, Value};

use super::UpstreamReply;

/// Where APIs and frameworks put a human message in a JSON error, most specific first.
const MESSAGE_MEMBERS: [&str; 6] = [
    "error_description",
    "message",
    "error_message",
    "detail",
    "title",
    "msg",
];

/// Rewrites an error answer (4xx/5xx) that is not a wire error; wire errors and successes
/// are left byte for byte as they came.
pub(super) fn in_the_wire_shape(reply: &mut UpstreamReply) {
    let status = reply.status;
    if !(status.is_client_error() || status.is_server_error())
        || serde_json::from_slice::<WireError>(&reply.body).is_ok()
    {
        return;
    }
    let content_type = reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let wire = wire_error_for(status, content_type, &reply.body);
    tracing::warn!(
        status = status.as_u16(),
        code = %wire.error,
        "upstream error without a wire error body"
    );
    reply.body = serde_json::to_vec(&wire).unwrap_or_default().into();
    reply.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
}

/// The wire error for an error answer of `status` whose body is not one. The server's own
/// message is echoed through [`WireError::new`], so it is capped and its control characters
/// escaped like any echoed text.
fn wire_error_for(status: StatusCode, content_type: Option<&str>, body: &[u8]) -> WireError {
    let json = serde_json::from_slice::<Value>(body).ok();
    let object = json.as_ref().and_then(Value::as_object);
    let message = match object {
        Some(object) => message_in(object),
        // An HTML page is never echoed: its text is markup, and often a whole site's chrome.
        None if media_type(content_type) == "text/plain" => {
            Some(String::from_utf8_lossy(body).trim().to_owned())
        }
        None => None,
    }
    .filter(|m| !m.is_empty());
    // A server's own code in `error` is the wire shape in spirit, short of its description;
    // kept only when it looks like one (a page compares it, so it is never free text).
    let own_code = object
        .and_then(|o| o.get("error"))
        .and_then(Value::as_str)
        .filter(|code| is_code_like(code));
    if let Some(code) = own_code {
        let description =
            message.unwrap_or_else(|| "The identity provider gave no description.".into());
        return WireError::new(code, description);
    }
    let code = if status == StatusCode::TOO_MANY_REQUESTS {
        codes::TOO_MANY_REQUESTS
    } else if status.is_client_error() {
        codes::UPSTREAM_REFUSED
    } else {
        codes::SERVER_ERROR
    };
    let description = message.unwrap_or_else(|| {
        format!(
            "The identity provider answered {} without an error in the API's shape.",
            status.as_u16()
        )
    });
    WireError::new(code, description)
}

/// An error code as the contract writes them: 1 to 64 ASCII letters, digits, `_`, `.` or `-`.
fn is_code_like(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The first non-blank message among [`MESSAGE_MEMBERS`], then `error.message`.
fn message_in(object: &Map<String, Value>) -> Option<String> {
    let nested = object.get("error").and_then(|e| e.get("message"));
    MESSAGE_MEMBERS
        .iter()
        .filter_map(|name| object.get(*name))
        .chain(nested)
        .filter_map(Value::as_str)
        .map(str::trim)
        .find(|m| !m.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn answer(status: u16, content_type: Option<&'static str>, body: &str) -> UpstreamReply {
        let mut headers = HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
        }
        let mut reply = UpstreamReply {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.to_owned().into(),
        };
        in_the_wire_shape(&mut reply);
        reply
    }

    /// The rewritten answer's `(error, error_description)`, checking it is JSON.
    fn wire(status: u16, content_type: Option<&'static str>, body: &str) -> (String, String) {
        let reply = answer(status, content_type, body);
        assert_eq!(reply.status.as_u16(), status, "the status is kept");
        assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
        let wire: WireError = serde_json::from_slice(&reply.body).unwrap();
        (wire.error, wire.error_description)
    }

    fn pair(code: &str, description: &str) -> (String, String) {
        (code.to_owned(), description.to_owned())
    }

    #[test]
    fn error_pages_become_server_errors_with_a_generic_description() {
        assert_eq!(
            wire(502, Some("text/html"), "<html>bad gateway</html>"),
            pair(
                codes::SERVER_ERROR,
                "The identity provider answered 502 without an error in the API's shape."
            )
        );
        assert_eq!(
            wire(400, Some("text/html"), "Invalid code"),
            pair(
                codes::UPSTREAM_REFUSED,
                "The identity provider answered 400 without an error in the API's shape."
            ),
            "an HTML page is never echoed, even a short one"
        );
        assert_eq!(wire(500, None, "").0, codes::SERVER_ERROR);
        assert_eq!(
            wire(500, Some("application/json"), "{\"err").0,
            codes::SERVER_ERROR
        );
    }

    #[test]
    fn wire_errors_and_successes_stay_byte_for_byte() {
        let body =
            r#"{"error":"invalid_grant","error_description":"Wrong email or verification code."}"#;
        assert_eq!(answer(403, None, body).body, body.as_bytes());
        let extra = r#"{"error":"mfa_required","error_description":"MFA","mfa_token":"t"}"#;
        assert_eq!(answer(403, None, extra).body, extra.as_bytes());
        let ok = answer(200, Some("text/html"), "OK");
        assert_eq!(ok.body, "OK".as_bytes());
        assert_eq!(ok.headers[header::CONTENT_TYPE], "text/html");
    }

    #[test]
    fn a_4xx_message_is_a_refusal_and_a_5xx_message_an_outage() {
        assert_eq!(
            wire(
                400,
                Some("application/json"),
                r#"{"message":"Invalid code"}"#
            ),
            pair(codes::UPSTREAM_REFUSED, "Invalid code")
        );
        assert_eq!(
            wire(500, Some("application/json"), r#"{"message":"db down"}"#),
            pair(codes::SERVER_ERROR, "db down")
        );
        assert_eq!(
            wire(503, Some("application/json"), r#"{"message":"  "}"#),
            pair(
                codes::SERVER_ERROR,
                "The identity provider answered 503 without an error in the API's shape."
            ),
            "a blank message is no message"
        );
    }

    #[test]
    fn a_429_without_the_shape_is_too_many_requests_and_keeps_retry_after() {
        let mut reply = UpstreamReply {
            status: StatusCode::TOO_MANY_REQUESTS,
            headers: HeaderMap::new(),
            body: r#"{"message":"Slow down"}"#.into(),
        };
        reply
            .headers
            .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        in_the_wire_shape(&mut reply);
        let wire: WireError = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(
            (wire.error.as_str(), wire.error_description.as_str()),
            (codes::TOO_MANY_REQUESTS, "Slow down")
        );
        assert_eq!(reply.headers[header::RETRY_AFTER], "30");
    }

    #[test]
    fn the_message_is_taken_from_the_usual_members() {
        let json = Some("application/json");
        assert_eq!(wire(422, json, r#"{"title":"T","detail":"D"}"#).1, "D");
        assert_eq!(wire(400, json, r#"{"msg":"M","error_message":"E"}"#).1, "E");
        assert_eq!(
            wire(400, json, r#"{"error":{"code":7,"message":"Nested"}}"#),
            pair(codes::UPSTREAM_REFUSED, "Nested")
        );
        assert_eq!(
            wire(400, json, r#"{"message":"","title":"Bad code"}"#).1,
            "Bad code"
        );
        assert_eq!(
            wire(400, json, r#"["Invalid code"]"#).1,
            "The identity provider answered 400 without an error in the API's shape."
        );
    }

    #[test]
    fn a_plain_text_body_is_the_message() {
        assert_eq!(
            wire(401, Some("text/plain; charset=utf-8"), "  Invalid code\n"),
            pair(codes::UPSTREAM_REFUSED, "Invalid code")
        );
        assert_eq!(
            wire(503, Some("text/plain"), "\n").1,
            "The identity provider answered 503 without an error in the API's shape."
        );
    }

    #[test]
    fn a_servers_own_code_is_kept_and_its_description_filled() {
        let json = Some("application/json");
        assert_eq!(
            wire(403, json, r#"{"error":"invalid_grant"}"#),
            pair(
                "invalid_grant",
                "The identity provider gave no description."
            )
        );
        assert_eq!(
            wire(
                403,
                json,
                r#"{"error":"invalid_grant","detail":"Wrong code"}"#
            ),
            pair("invalid_grant", "Wrong code")
        );
        assert_eq!(
            wire(
                500,
                json,
                r#"{"error":"db","error_description":null,"message":"down"}"#
            ),
            pair("db", "down")
        );
        assert_eq!(
            wire(400, json, r#"{"error":"","message":"Invalid code"}"#),
            pair(codes::UPSTREAM_REFUSED, "Invalid code"),
            "an empty code is no code"
        );
        let long = serde_json::json!({ "error": "x".repeat(65), "message": "No" }).to_string();
        assert_eq!(
            wire(400, json, &long),
            pair(codes::UPSTREAM_REFUSED, "No"),
            "a code longer than any code is free text"
        );
        assert_eq!(
            wire(400, json, r#"{"error":"bad code\r\nx","message":"No"}"#),
            pair(codes::UPSTREAM_REFUSED, "No"),
            "a code with spaces or control characters is free text"
        );
    }

    #[test]
    fn an_echoed_message_is_capped_and_escaped() {
        let message = format!("Invalid\r\nSet-Cookie: x{}", "a".repeat(1000));
        let body = serde_json::json!({ "message": message }).to_string();
        let (code, description) = wire(400, Some("application/json"), &body);
        assert_eq!(code, codes::UPSTREAM_REFUSED);
        assert!(
            description.starts_with("Invalid\\r\\nSet-Cookie: x"),
            "{description}"
        );
        assert!(!description.contains(['\r', '\n']));
        // 300 characters of the message (CR and LF escaped as two each), then the ellipsis.
        assert_eq!(
            description.chars().count(),
            passwordless_wire::MAX_DESCRIPTION_CHARS + 2 + 1
        );
        assert!(description.ends_with('…'));
    }
}
