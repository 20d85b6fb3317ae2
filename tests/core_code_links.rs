//! The core's code links, natively: the page reads the link (the code leaves the address bar at
//! once), shows whom it signs in, and completes it with the OTP grant only when asked; no state
//! from another browser is needed; a spent link says so; a foreign fragment sends nothing.

#![cfg(not(target_arch = "wasm32"))]

mod platform;

use std::rc::Rc;

use passwordless::client::Client;
use passwordless::error::codes;
use passwordless::flows::SignInParams;
use platform::*;
use serde_json::{json, Value};

const PAGE: &str = "https://app.example/signin?tab=2";

fn opened(fragment: &str) -> Rc<Client<TestPlatform>> {
    let client = Client::new(TestPlatform::default(), options(json!({})));
    *client.platform().address.borrow_mut() = Some(format!("{PAGE}#{fragment}"));
    client
}

/// What the page sees: serde-wasm-bindgen makes `None` `undefined`, serde_json `null`.
fn shown(value: Value) -> Value {
    match value {
        Value::Object(members) => members.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        other => other,
    }
}

fn address(value: Value) -> SignInParams {
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_code_link_is_read_cleared_shown_and_completed_only_when_asked() {
    let client = opened("otp=123456&email=Ada%40Example.com");
    assert!(client.is_code_link(None));
    assert!(
        client.platform().sent.borrow().is_empty(),
        "recognising sends nothing"
    );
    let info = shown(client.read_code_link(None).unwrap());
    assert_eq!(
        info,
        json!({"connection": "email", "email": "Ada@example.com"})
    );
    assert_eq!(
        client.platform().address.borrow().as_deref(),
        Some(PAGE),
        "the code left the address bar at once, the rest of the address stays"
    );
    assert!(
        client.platform().sent.borrow().is_empty(),
        "reading sends nothing"
    );
    assert!(client.is_code_link(None), "read and not yet completed");

    client
        .platform()
        .script("/oauth/token", good_tokens("email|ada", NOW, None));
    let session = run(client.complete_code_link(SignInParams::default())).unwrap();
    assert_eq!(session["claims"]["sub"], "email|ada");
    let grant = client.platform().last("/oauth/token").body;
    assert_eq!(
        grant,
        json!({"grant_type": "http://auth0.com/oauth/grant-type/passwordless/otp",
               "client_id": CLIENT_ID, "username": "Ada@example.com", "otp": "123456",
               "realm": "email", "scope": "openid profile email"}),
        "the OTP grant, with no state or nonce from the browser that asked"
    );
    assert!(!client.is_code_link(None), "spent");
    let again = run(client.complete_code_link(SignInParams::default())).unwrap_err();
    assert_eq!(again.code, codes::NOT_A_CALLBACK);
}

#[test]
fn a_texted_link_and_a_link_without_its_address() {
    let client = opened("otp=654321&phone_number=%2B15551234567");
    assert_eq!(
        shown(client.read_code_link(None).unwrap()),
        json!({"connection": "sms", "phoneNumber": "+15551234567"})
    );

    let client = opened("otp=654321");
    assert_eq!(shown(client.read_code_link(None).unwrap()), json!({}));
    let error = run(client.complete_code_link(SignInParams::default())).unwrap_err();
    assert_eq!(
        error.code,
        codes::INVALID_INPUT,
        "the page must name the address"
    );
    assert!(client.platform().sent.borrow().is_empty());
    client
        .platform()
        .script("/oauth/token", good_tokens("sms|1", NOW, None));
    let named = address(json!({"connection": "sms", "phoneNumber": "+15551234567"}));
    run(client.complete_code_link(named)).unwrap();
    let grant = client.platform().last("/oauth/token").body;
    assert_eq!(
        (grant["realm"].clone(), grant["otp"].clone()),
        (json!("sms"), json!("654321"))
    );
}

#[test]
fn a_spent_or_expired_link_says_so_and_mfa_passes_through() {
    let client = opened("otp=123456&email=ada%40example.com");
    client.platform().script(
        "/oauth/token",
        refused(403, "invalid_grant", "Wrong email or verification code."),
    );
    let error = run(client.complete_code_link(SignInParams::default())).unwrap_err();
    assert_eq!(error.code, codes::LINK_USED_OR_EXPIRED);
    assert_eq!(
        client.platform().address.borrow().as_deref(),
        Some(PAGE),
        "completing straight away also clears the address bar"
    );

    let client = opened("otp=123456&email=ada%40example.com");
    client.platform().script(
        "/oauth/token",
        Scripted::Answer {
            status: 403,
            body: json!({"error": "mfa_required", "error_description": "MFA", "mfa_token": "mt"}),
            retry_after: None,
        },
    );
    let error = run(client.complete_code_link(SignInParams::default())).unwrap_err();
    assert_eq!(error.code, "mfa_required");
    assert_eq!(error.mfa_token.as_deref(), Some("mt"));
}

#[test]
fn a_malformed_or_foreign_fragment_is_not_a_code_link_and_sends_nothing() {
    for fragment in [
        "",
        "section-2",
        "access_token=x&token_type=Bearer",
        "otp=12345&email=ada%40example.com",
        "otp=12a456&email=ada%40example.com",
        "otp=123456&email=not-an-address",
        "otp=123456&email=ada%40example.com&phone_number=%2B15551234567",
        "otp=123456&phone_number=555",
    ] {
        let client = opened(fragment);
        assert!(!client.is_code_link(None), "{fragment}");
        let error = client.read_code_link(None).unwrap_err();
        assert_eq!(error.code, codes::NOT_A_CALLBACK, "{fragment}");
        let error = run(client.complete_code_link(SignInParams::default())).unwrap_err();
        assert_eq!(error.code, codes::NOT_A_CALLBACK, "{fragment}");
        assert!(client.platform().sent.borrow().is_empty(), "{fragment}");
        assert_eq!(
            client.platform().address.borrow().as_deref(),
            Some(format!("{PAGE}#{fragment}").as_str()),
            "a page's own fragment is left alone"
        );
    }
    // A URL given to read is not the address bar: it stays as it is.
    let client = opened("");
    let info = client
        .read_code_link(Some(
            "https://app.example/#otp=123456&email=a%40b.co".into(),
        ))
        .unwrap();
    assert_eq!(info["email"], "a@b.co");
    assert_eq!(
        client.platform().address.borrow().as_deref(),
        Some(format!("{PAGE}#").as_str())
    );
}
