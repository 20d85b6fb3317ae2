//! Hostile bodies at the relay and at the tenant (both the real binaries): malformed and
//! truncated JSON, wrong types, duplicate keys, huge fields, NUL and CR/LF, deep nesting,
//! invalid UTF-8, look-alike and IDN addresses, invalid phone numbers, forms and text/plain
//! where JSON is required.
//!
//! Pass, for every case: the status named in the table; a wire error
//! `{error, error_description}` whose description is at most 300 characters (+ `…`) with no raw
//! NUL, CR or LF; no secret in the answer; and both servers still up afterwards. (The SDK's
//! validators get the same inputs in the property tests next to them: src/input.rs via
//! tests/prop_input.rs, and tests/data/addresses.json in the wire crate.)

use passwordless_security_suite::flow::{post_raw, Answer};
use passwordless_security_suite::servers::{self, RelayOptions, TenantOptions, CLIENT_ID, SECRET};
use serde_json::json;

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

struct Case {
    name: &'static str,
    path: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    status: u16,
    /// The wire `error`, when the case pins it.
    error: Option<&'static str>,
}

fn case(
    name: &'static str,
    path: &'static str,
    content_type: &'static str,
    body: impl Into<Vec<u8>>,
    status: u16,
    error: Option<&'static str>,
) -> Case {
    Case {
        name,
        path,
        content_type,
        body: body.into(),
        status,
        error,
    }
}

const START: &str = "/passwordless/start";
const TOKEN: &str = "/oauth/token";

/// A start body with the client's credentials (the tenant needs them; the relay drops them).
fn start(extra: serde_json::Value) -> Vec<u8> {
    let mut body = json!({ "client_id": CLIENT_ID, "client_secret": SECRET,
                           "connection": "email", "send": "code" });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body.to_string().into_bytes()
}

fn cases() -> Vec<Case> {
    let nested = format!("{}{}", "[".repeat(3000), "]".repeat(3000));
    vec![
        case("malformed JSON", START, JSON, "{not json", 400, None),
        case("truncated JSON", START, JSON, r#"{"connection":"email","email":"a@b.co""#, 400, None),
        case("empty body", START, JSON, "", 400, None),
        case("a JSON array", START, JSON, "[]", 400, None),
        case("deeply nested", START, JSON, nested, 400, None),
        case("invalid UTF-8", START, JSON, b"{\"email\":\"\xff\xfe@b.co\"}".to_vec(), 400, None),
        case("email a number", START, JSON, start(json!({ "email": 7 })), 400, None),
        case("connection a list", START, JSON, start(json!({ "connection": ["email"], "email": "a@b.co" })), 400, None),
        case(
            "duplicate key",
            START,
            JSON,
            format!(r#"{{"client_id":"{CLIENT_ID}","client_secret":"{SECRET}","connection":"email","email":"admin@example.com","email":"eve@example.com","send":"code"}}"#),
            400,
            Some("bad.request"),
        ),
        case(
            "duplicate key, nested",
            START,
            JSON,
            format!(r#"{{"client_id":"{CLIENT_ID}","client_secret":"{SECRET}","connection":"email","email":"a@b.co","send":"link","authParams":{{"state":"a","state":"b"}}}}"#),
            400,
            Some("bad.request"),
        ),
        case("10 KB address", START, JSON, start(json!({ "email": format!("{}@example.com", "a".repeat(10_000)) })), 400, Some("bad.email")),
        case("NUL in the address", START, JSON, start(json!({ "email": "ada\u{0}@example.com" })), 400, Some("bad.email")),
        case("CR/LF in the address", START, JSON, start(json!({ "email": "ada@example.com\r\nBcc: eve@example.com" })), 400, Some("bad.email")),
        case("Cyrillic а in the local part", START, JSON, start(json!({ "email": "\u{430}dmin@example.com" })), 400, Some("bad.email")),
        case("Cyrillic а in the domain", START, JSON, start(json!({ "email": "admin@ex\u{430}mple.com" })), 400, Some("bad.email")),
        case("zero-width space", START, JSON, start(json!({ "email": "ad\u{200b}min@example.com" })), 400, Some("bad.email")),
        case("an IDN domain is accepted", START, JSON, start(json!({ "email": "ada@b\u{fc}cher.example" })), 200, None),
        case("phone without +", START, JSON, start(json!({ "connection": "sms", "phone_number": "14155550100" })), 400, Some("bad.phone_number")),
        case("phone too long", START, JSON, start(json!({ "connection": "sms", "phone_number": "+1415555010012345678" })), 400, Some("bad.phone_number")),
        case("phone with letters", START, JSON, start(json!({ "connection": "sms", "phone_number": "+1415CALLNOW" })), 400, Some("bad.phone_number")),
        case("phone with CR/LF", START, JSON, start(json!({ "connection": "sms", "phone_number": "+14155550100\r\n" })), 400, Some("bad.phone_number")),
        case("form where JSON is required", START, FORM, "connection=email&email=a%40b.co", 415, None),
        case("text/plain (CSRF)", START, "text/plain", r#"{"connection":"email","email":"a@b.co"}"#, 415, None),
        case("text/plain token call (CSRF)", TOKEN, "text/plain", r#"{"grant_type":"refresh_token"}"#, 415, None),
        case("no content type", START, "", r#"{"connection":"email"}"#, 415, None),
        case("form field twice", TOKEN, FORM, "grant_type=refresh_token&refresh_token=a&refresh_token=b", 400, None),
        case("token JSON truncated", TOKEN, JSON, r#"{"grant_type":"#, 400, None),
        case("otp a number", TOKEN, JSON, json!({ "client_id": CLIENT_ID, "client_secret": SECRET, "grant_type": "http://auth0.com/oauth/grant-type/passwordless/otp", "username": "a@b.co", "realm": "email", "otp": 123456 }).to_string(), 400, None),
    ]
}

/// The checks every refusal must pass.
fn check(server: &str, case: &Case, answer: &Answer) {
    let what = format!("{server}, {}: {} {}", case.name, answer.status, answer.body);
    // A wrong media type is the relay's 415; the tenant answers it as Auth0 does, 400.
    let status = match (server, case.status) {
        ("tenant", 415) => 400,
        (_, status) => status,
    };
    assert_eq!(answer.status, status, "{what}");
    assert!(!answer.body.contains(SECRET), "{what}");
    if case.status == 200 {
        return;
    }
    let body = answer.json();
    let (Some(error), Some(description)) =
        (body["error"].as_str(), body["error_description"].as_str())
    else {
        panic!("not a wire error: {what}");
    };
    if let Some(expected) = case.error {
        assert_eq!(error, expected, "{what}");
    }
    assert!(description.chars().count() <= 301, "{what}");
    assert!(
        !description.contains(['\0', '\r', '\n']),
        "raw control characters echoed: {what}"
    );
}

async fn send(http: &reqwest::Client, url: &str, case: &Case) -> Answer {
    let mut request = http.post(url).body(case.body.clone());
    if !case.content_type.is_empty() {
        request = request.header("content-type", case.content_type);
    }
    let response = request
        .send()
        .await
        .expect("an answer, not a dropped connection");
    Answer {
        status: response.status().as_u16(),
        body: response.text().await.unwrap(),
    }
}

#[tokio::test]
async fn hostile_bodies_get_clear_wire_errors_at_the_relay_and_the_tenant() {
    let work = servers::workdir();
    let mut tenant = servers::tenant(work.path(), TenantOptions::default()).await;
    let mut relay = servers::relay(work.path(), &tenant.url, RelayOptions::default()).await;
    let http = reqwest::Client::new();
    for case in cases() {
        let at_relay = send(&http, &format!("{}{}", relay.url, case.path), &case).await;
        check("relay", &case, &at_relay);
        // The tenant takes forms on every endpoint (Auth0 does): that case is the relay's own rule.
        if case.content_type == FORM && case.path == START {
            continue;
        }
        let at_tenant = send(&http, &format!("{}{}", tenant.url, case.path), &case).await;
        check("tenant", &case, &at_tenant);
    }
    assert!(relay.is_running() && tenant.is_running());
    let ok = post_raw(
        &http,
        &format!("{}{START}", relay.url),
        JSON,
        start(json!({ "email": "still-up@example.com" })),
    )
    .await
    .unwrap();
    assert_eq!(ok.status, 200, "{}", ok.body);
}
