//! `/passwordless/start` beyond the happy path: message languages, SMS, disabled connections,
//! the simulated SMS provider, the issuer URL, and the dev endpoints that tests lean on.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn messages_are_written_in_the_requested_language() {
    let tenant = TestTenant::new();
    let body = json!({ "client_id": CLIENT, "client_secret": SECRET, "connection": "email",
                       "email": "ada@example.com", "send": "code" });
    let cases = [
        (Some("fr"), None, "fr"),
        (None, Some("es-ES,es;q=0.9,en;q=0.5"), "es"),
        (Some("de"), Some("fr"), "fr"),
        (None, None, "en"),
    ];
    for (request_language, accept_language, expected) in cases {
        let mut request =
            Request::post("/passwordless/start").header("content-type", "application/json");
        if let Some(l) = request_language {
            request = request.header("x-request-language", l);
        }
        if let Some(l) = accept_language {
            request = request.header("accept-language", l);
        }
        let (status, _) = tenant
            .send(request.body(Body::from(body.to_string())).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        let message = tenant.latest_message("ada@example.com").await;
        assert_eq!(
            message["language"], expected,
            "{request_language:?} {accept_language:?}"
        );
        assert!(message["body"]
            .as_str()
            .unwrap()
            .contains(message["code"].as_str().unwrap()));
    }
    let message = tenant.latest_message("ada@example.com").await;
    assert_eq!(message["subject"], "Your sign-in code");
}

#[tokio::test]
async fn an_sms_code_signs_in_with_the_sms_realm() {
    let tenant = TestTenant::new();
    let (status, body) = tenant
        .start(json!({ "connection": "sms", "phone_number": "+14155550100", "send": "code" }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["phone_number"], "+14155550100");
    assert_eq!(body["phone_verified"], false);
    assert_eq!(body["request_language"], Value::Null);
    let message = tenant.latest_message("+14155550100").await;
    assert_eq!(message["channel"], "sms");
    let code = message["code"].as_str().unwrap();
    let (status, tokens) = tenant
        .token(json!({ "grant_type": OTP_GRANT, "username": "+14155550100", "otp": code, "realm": "sms", "scope": "openid phone" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let claims = jwt_claims(tokens["id_token"].as_str().unwrap());
    assert!(claims["sub"].as_str().unwrap().starts_with("sms|"));
    assert_eq!(claims["phone_number"], "+14155550100");
    assert_eq!(claims["phone_number_verified"], true);
    let (_, body) = tenant
        .token(json!({ "grant_type": OTP_GRANT, "username": "+14155550100", "otp": code, "realm": "sms" }))
        .await;
    assert_eq!(
        body["error_description"],
        "Wrong phone number or verification code."
    );
}

#[tokio::test]
async fn a_texted_code_ends_with_the_webotp_line_of_the_clients_page() {
    let tenant = TestTenant::new();
    tenant
        .start(json!({ "connection": "sms", "phone_number": "+14155550111", "send": "code" }))
        .await;
    let message = tenant.latest_message("+14155550111").await;
    let code = message["code"].as_str().unwrap();
    let body = message["body"].as_str().unwrap();
    assert!(
        body.ends_with(&format!("\n\n@127.0.0.1 #{code}")),
        "the last line binds the code to http://127.0.0.1:8080: {body:?}"
    );
    tenant
        .start(json!({ "connection": "email", "email": "webotp@example.com", "send": "code" }))
        .await;
    let email = tenant.latest_message("webotp@example.com").await;
    let email_body = email["body"].as_str().unwrap();
    assert!(
        !email_body.contains(" #"),
        "only texts carry it: {email_body:?}"
    );
}

#[tokio::test]
async fn a_field_given_twice_is_refused() {
    let tenant = TestTenant::new();
    let body = format!(
        r#"{{"client_id":"{CLIENT}","client_secret":"{SECRET}","connection":"email","email":"admin@example.com","email":"eve@example.com"}}"#
    );
    let (status, answer) = tenant
        .send(
            axum::http::Request::post("/passwordless/start")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["error"], "bad.request", "{answer}");
    assert!(answer["error_description"]
        .as_str()
        .unwrap()
        .contains("twice"));
    let (_, inbox) = tenant.get("/dev/inbox?to=admin@example.com").await;
    assert_eq!(inbox, serde_json::json!([]), "nothing was sent");
}

#[tokio::test]
async fn a_refusal_never_echoes_more_than_a_capped_and_escaped_input() {
    let tenant = TestTenant::new();
    for email in [
        format!("{}@example.com\0", "a".repeat(10_000)),
        "ada\r\nX-Injected: 1@example.com".to_owned(),
    ] {
        let (status, answer) = tenant
            .start(json!({ "connection": "email", "email": email, "send": "code" }))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        let said = answer["error_description"].as_str().unwrap();
        assert!(
            said.chars().count() <= 301,
            "{} chars",
            said.chars().count()
        );
        assert!(!said.chars().any(char::is_control), "{said:?}");
    }
}

#[tokio::test]
async fn a_client_without_a_known_origin_gets_no_webotp_line() {
    let tenant = TestTenant::with(|config| config.clients[0].allowed_origins.clear());
    tenant
        .start(json!({ "connection": "sms", "phone_number": "+14155550112", "send": "code" }))
        .await;
    let message = tenant.latest_message("+14155550112").await;
    assert!(
        !message["body"].as_str().unwrap().contains(" #"),
        "{message}"
    );
}

#[tokio::test]
async fn the_dev_clock_expires_codes_and_the_inbox_can_be_emptied() {
    let tenant = TestTenant::new();
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    let (status, now) = tenant
        .post_json("/dev/clock", json!({ "advance_seconds": 180 }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(now["now"], 1_795_626_834u64 + 180);
    let (_, body) = tenant.verify_email("ada@example.com", &code).await;
    assert_eq!(
        body["error_description"],
        "The verification code has expired. Please try to login again."
    );

    let (_, now) = tenant
        .post_json("/dev/clock", json!({ "reset": true }))
        .await;
    assert_eq!(
        now["now"], 1_795_626_834u64,
        "reset goes back to the real time"
    );
    let (status, body) = tenant
        .post_json("/dev/clock", json!({ "advance_seconds": -5 }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"))
    );

    let (status, deleted) = tenant
        .send(Request::delete("/dev/inbox").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["deleted"], 1);
    let (_, inbox) = tenant.get("/dev/inbox").await;
    assert_eq!(inbox, json!([]));
}

#[tokio::test]
async fn dev_users_are_created_verified_and_refuse_bad_input() {
    let tenant = TestTenant::new();
    let (status, user) = tenant
        .post_json("/dev/users", json!({ "email": "New@Example.com" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["identifier"], "new@example.com");
    assert!(user["user_id"].as_str().unwrap().starts_with("email|"));
    let (_, again) = tenant
        .post_json("/dev/users", json!({ "email": "new@example.com" }))
        .await;
    assert_eq!(
        again["user_id"], user["user_id"],
        "the same user, not a second one"
    );
    for bad in [
        json!({}),
        json!({ "email": "nope" }),
        json!({ "phone_number": "123" }),
        json!({ "email": "a@b.co", "phone_number": "+15550100" }),
    ] {
        let (status, body) = tenant.post_json("/dev/users", bad.clone()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_request")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_connection_disabled_for_the_client_is_refused() {
    let tenant = TestTenant::with(|config| config.clients[0].connections = vec!["email".into()]);
    let (status, body) = tenant
        .start(json!({ "connection": "sms", "phone_number": "+14155550100", "send": "code" }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error": "bad.connection", "error_description": "Connection is disabled"})
    );
}

#[tokio::test]
async fn the_simulated_sms_provider_fails_for_the_reserved_prefix() {
    let tenant = TestTenant::new();
    let (status, body) = tenant
        .start(json!({ "connection": "sms", "phone_number": "+99955550100", "send": "code" }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "sms_provider_error");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .ends_with("(Code: 21211)"));
    let (_, inbox) = tenant.get("/dev/inbox").await;
    assert_eq!(inbox, json!([]));
}

#[tokio::test]
async fn the_sms_answer_echoes_the_request_language() {
    let tenant = TestTenant::new();
    let body = json!({ "client_id": CLIENT, "client_secret": SECRET, "connection": "sms",
                       "phone_number": "+14155550100", "send": "code" });
    let request = Request::post("/passwordless/start")
        .header("content-type", "application/json")
        .header("x-request-language", "fr")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, answer) = tenant.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["request_language"], "fr");
    assert_eq!(
        tenant.latest_message("+14155550100").await["subject"],
        "Votre code de connexion"
    );
}

#[tokio::test]
async fn the_issuer_url_is_used_everywhere() {
    let tenant = TestTenant::with(|config| config.issuer_base = "https://login.example.com".into());
    let (_, discovery) = tenant.get("/.well-known/openid-configuration").await;
    assert_eq!(discovery["issuer"], "https://login.example.com/");
    assert_eq!(
        discovery["jwks_uri"],
        "https://login.example.com/.well-known/jwks.json"
    );
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    let (_, tokens) = tenant.verify_email("ada@example.com", &code).await;
    assert_eq!(
        jwt_claims(tokens["id_token"].as_str().unwrap())["iss"],
        "https://login.example.com/"
    );
    tenant
        .start(json!({ "connection": "email", "email": "ada@example.com", "send": "link" }))
        .await;
    let link = tenant.latest_message("ada@example.com").await["link"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        link.starts_with("https://login.example.com/passwordless/verify_redirect?"),
        "{link}"
    );
}
