//! The core's passkey flows, natively: sign-up, sign-in (a sheet or the autofill) and adding a
//! passkey, from the first request to the session, on the test platform whose authenticator
//! answers what each test scripts. (The browser's WebAuthn is proven by the demo's e2e with
//! Chromium's virtual authenticator: tests/e2e/flows/passkeys.mjs.)

#![cfg(not(target_arch = "wasm32"))]

mod platform;

use std::cell::Cell;
use std::rc::Rc;

use passwordless::client::Client;
use passwordless::error::{codes, SdkError};
use passwordless::flows::passkey::{RawCredential, SignInParams, SignUpParams};
use platform::*;
use serde_json::{json, Value};

fn client(extra: Value) -> Rc<Client<TestPlatform>> {
    Client::new(TestPlatform::default(), options(extra))
}

fn sign_up(value: Value) -> SignUpParams {
    serde_json::from_value(value).unwrap()
}

fn sign_in(value: Value) -> SignInParams {
    serde_json::from_value(value).unwrap()
}

/// `passkeys.signUp()` as the bindings run it.
fn up(
    client: &Rc<Client<TestPlatform>>,
    params: &SignUpParams,
    signal: Option<Rc<Cell<bool>>>,
) -> Result<Value, SdkError> {
    let ceremony = client.passkey_sign_up(params)?;
    run(client.passkey_session(ceremony, signal))
}

/// `passkeys.signIn()` as the bindings run it.
fn into(
    client: &Rc<Client<TestPlatform>>,
    params: &SignInParams,
    signal: Option<Rc<Cell<bool>>>,
) -> Result<Value, SdkError> {
    let ceremony = client.passkey_sign_in(params)?;
    run(client.passkey_session(ceremony, signal))
}

fn ceremony(session: &str) -> Value {
    json!({"auth_session": session,
           "authn_params_public_key": {"challenge": "Y2hhbGxlbmdl", "rpId": "localhost"}})
}

fn made() -> RawCredential {
    RawCredential {
        id: "Y3JlZA".into(),
        raw_id: b"cred".to_vec(),
        attachment: Some("platform".into()),
        client_data_json: br#"{"type":"webauthn.create"}"#.to_vec(),
        attestation_object: Some(vec![0xa3, 1]),
        transports: vec!["internal".into()],
        ..RawCredential::default()
    }
}

fn asserted() -> RawCredential {
    RawCredential {
        id: "Y3JlZA".into(),
        raw_id: b"cred".to_vec(),
        client_data_json: br#"{"type":"webauthn.get"}"#.to_vec(),
        authenticator_data: Some(vec![9; 37]),
        signature: Some(vec![1, 2]),
        user_handle: Some(b"user".to_vec()),
        ..RawCredential::default()
    }
}

#[test]
fn a_new_user_signs_up_with_a_passkey_and_gets_a_verified_session() {
    let client = client(json!({}));
    let p = client.platform();
    p.script("/passkey/register", ok(ceremony("s1")));
    p.authenticator_answers(Ok(made()));
    p.script("/oauth/token", good_tokens("email|ada", NOW, None));
    let told: Told = Rc::default();
    client.subscribe(told.clone());

    let session = up(
        &client,
        &sign_up(json!({"email": "Ada@Example.com", "name": "Ada"})),
        None,
    )
    .unwrap();

    assert_eq!(session["claims"]["sub"], "email|ada");
    assert_eq!(
        p.last("/passkey/register").body,
        json!({"client_id": CLIENT_ID, "realm": "email",
               "user_profile": {"email": "Ada@example.com", "name": "Ada"}})
    );
    let asked = p.ceremonies.borrow()[0].clone();
    assert!(asked.create && !asked.conditional);
    assert_eq!(
        asked.public_key["challenge"], "Y2hhbGxlbmdl",
        "the server's options reach the browser as they came"
    );
    let grant = p.last("/oauth/token").body;
    assert_eq!(
        grant["grant_type"],
        "urn:okta:params:oauth:grant-type:webauthn"
    );
    assert_eq!(grant["auth_session"], "s1");
    assert_eq!(grant["realm"], "email");
    assert_eq!(grant["authn_response"]["rawId"], "Y3JlZA");
    assert_eq!(
        grant["authn_response"]["response"]["attestationObject"],
        "owE"
    );
    assert!(grant.get("client_secret").is_none(), "never a secret");
    assert_eq!(told.borrow()[0]["type"], "signedIn", "listeners hear of it");
    assert_eq!(p.unanswered(), 0);
}

#[test]
fn a_passkey_signs_in_from_a_sheet_or_the_autofill() {
    for (params, conditional) in [
        (json!({}), false),
        (json!({"mediation": "conditional"}), true),
    ] {
        let client = client(json!({}));
        let p = client.platform();
        p.script("/passkey/challenge", ok(ceremony("s2")));
        p.authenticator_answers(Ok(asserted()));
        p.script("/oauth/token", good_tokens("email|ada", NOW, None));
        let session = into(&client, &sign_in(params), None).unwrap();
        assert_eq!(session["claims"]["sub"], "email|ada");
        assert_eq!(
            p.last("/passkey/challenge").body,
            json!({"client_id": CLIENT_ID})
        );
        assert_eq!(p.ceremonies.borrow()[0].conditional, conditional);
        let grant = p.last("/oauth/token").body;
        assert_eq!(
            grant["authn_response"]["response"],
            json!({"clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0",
                   "authenticatorData": "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQ",
                   "signature": "AQI", "userHandle": "dXNlcg"})
        );
        assert!(grant.get("realm").is_none());
    }
}

#[test]
fn mfa_required_after_a_passkey_is_the_same_error_as_after_a_code() {
    let client = client(json!({}));
    let p = client.platform();
    p.script("/passkey/challenge", ok(ceremony("s3")));
    p.authenticator_answers(Ok(asserted()));
    p.script(
        "/oauth/token",
        Scripted::Answer {
            status: 403,
            body: json!({"error": "mfa_required", "error_description": "Multifactor authentication required", "mfa_token": "mt"}),
            retry_after: None,
        },
    );
    let error = into(&client, &sign_in(json!({})), None).unwrap_err();
    assert_eq!(error.code, "mfa_required");
    assert_eq!(error.mfa_token.as_deref(), Some("mt"));
}

#[test]
fn what_the_user_or_the_browser_refuses_sends_no_grant() {
    let refusals = [
        SdkError::new(codes::PASSKEY_CANCELLED, "closed"),
        SdkError::new(codes::PASSKEY_EXISTS, "exists"),
    ];
    for refusal in refusals {
        let client = client(json!({}));
        let p = client.platform();
        p.script("/passkey/register", ok(ceremony("s4")));
        p.authenticator_answers(Err(refusal.clone()));
        let error = up(&client, &sign_up(json!({"email": "a@b.co"})), None).unwrap_err();
        assert_eq!(error.code, refusal.code);
        assert_eq!(p.count("/oauth/token"), 0);
    }

    // An aborted autofill is `cancelled`.
    let client = client(json!({}));
    client
        .platform()
        .script("/passkey/challenge", ok(ceremony("s5")));
    let aborted = Rc::new(Cell::new(true));
    let params = sign_in(json!({"mediation": "conditional"}));
    let error = into(&client, &params, Some(aborted)).unwrap_err();
    assert_eq!(error.code, codes::CANCELLED);
}

#[test]
fn without_webauthn_or_autofill_nothing_is_asked_of_the_server() {
    let client = client(json!({}));
    client.platform().passkeys.set(false);
    assert!(!client.passkeys_supported());
    assert!(!run(client.autofill_supported()));
    let error = into(&client, &sign_in(json!({})), None).unwrap_err();
    assert_eq!(error.code, codes::PASSKEY_UNSUPPORTED);
    let error = up(&client, &sign_up(json!({"email": "a@b.co"})), None).unwrap_err();
    assert_eq!(error.code, codes::PASSKEY_UNSUPPORTED);

    let client = self::client(json!({}));
    client.platform().autofill.set(false);
    let params = sign_in(json!({"mediation": "conditional"}));
    let error = into(&client, &params, None).unwrap_err();
    assert_eq!(error.code, codes::PASSKEY_UNSUPPORTED);
    assert!(client.platform().sent.borrow().is_empty());

    // Wrong parameters are named before anything else.
    let error = up(&client, &sign_up(json!({"email": "nope"})), None).unwrap_err();
    assert_eq!(error.code, codes::INVALID_INPUT);
    let error = into(&client, &sign_in(json!({"mediation": 1})), None).unwrap_err();
    assert_eq!(error.code, codes::INVALID_INPUT);
}

/// A code sign-in, with or without a refresh token.
fn signed_in(client: &Rc<Client<TestPlatform>>, refresh_token: Option<&str>) {
    client.platform().script(
        "/passwordless/start",
        ok(json!({"_id": "u", "email": "ada@example.com", "email_verified": true})),
    );
    let start = serde_json::from_value(json!({"connection": "email", "email": "ada@example.com"}));
    run(client.start(&start.unwrap(), None)).unwrap();
    client
        .platform()
        .script("/oauth/token", good_tokens("email|ada", NOW, refresh_token));
    let verify = serde_json::from_value(
        json!({"connection": "email", "email": "ada@example.com", "code": "123456"}),
    );
    run(client.verify(&verify.unwrap())).unwrap();
}

#[test]
fn a_signed_in_user_adds_a_passkey_with_a_my_account_token() {
    let client = client(json!({"scope": "openid email offline_access"}));
    signed_in(&client, Some("rt-1"));
    let p = client.platform();
    p.script(
        "/oauth/token",
        ok(json!({"access_token": "me-token", "token_type": "Bearer", "expires_in": 600})),
    );
    p.script(
        "/me/v1/authentication-methods",
        created(
            ceremony("s6"),
            "https://tenant.example/me/v1/authentication-methods/passkey%7Cdev_1",
        ),
    );
    p.authenticator_answers(Ok(made()));
    let method =
        json!({"id": "passkey|dev_1", "type": "passkey", "created_at": "2026-12-03T00:00:00Z"});
    p.script(
        "/me/v1/authentication-methods/passkey%7Cdev_1/verify",
        ok(method.clone()),
    );
    let before = client.platform().sent.borrow().len();

    assert_eq!(run(client.passkey_add(None)).unwrap(), method);

    let refresh = p.last("/oauth/token").body;
    assert_eq!(
        refresh,
        json!({"grant_type": "refresh_token", "client_id": CLIENT_ID, "refresh_token": "rt-1",
               "audience": "https://tenant.example/me/",
               "scope": "create:me:authentication_methods"})
    );
    let enrol = p.last("/me/v1/authentication-methods");
    assert_eq!(enrol.bearer.as_deref(), Some("me-token"));
    assert_eq!(enrol.body, json!({"type": "passkey"}));
    let verify = p.last("/me/v1/authentication-methods/passkey%7Cdev_1/verify");
    assert_eq!(verify.bearer.as_deref(), Some("me-token"));
    assert_eq!(verify.body["auth_session"], "s6");
    assert_eq!(verify.body["authn_response"]["type"], "public-key");
    assert_eq!(p.sent.borrow().len() - before, 3);
    let session = run(client.current()).unwrap().unwrap();
    assert_eq!(
        session["accessToken"], "at-1",
        "the session keeps its own token"
    );
}

#[test]
fn adding_a_passkey_needs_a_session_that_can_get_a_my_account_token() {
    let client = client(json!({}));
    let error = run(client.passkey_add(None)).unwrap_err();
    assert_eq!(error.code, codes::NO_SESSION);

    signed_in(&client, None);
    let error = run(client.passkey_add(None)).unwrap_err();
    assert_eq!(error.code, codes::NO_SESSION, "no refresh token");
    assert!(error.description.contains("offline_access"));

    // With the My Account audience, the session's own token is used.
    let client = self::client(json!({"audience": "https://tenant.example/me/"}));
    signed_in(&client, Some("rt-1"));
    let p = client.platform();
    p.script(
        "/me/v1/authentication-methods",
        created(ceremony("s7"), "/me/v1/authentication-methods/passkey|x"),
    );
    p.authenticator_answers(Err(SdkError::new(codes::PASSKEY_CANCELLED, "closed")));
    let error = run(client.passkey_add(None)).unwrap_err();
    assert_eq!(error.code, codes::PASSKEY_CANCELLED);
    assert_eq!(
        p.last("/me/v1/authentication-methods").bearer.as_deref(),
        Some("at-1")
    );

    // A server that names no method is not followed.
    let client = self::client(json!({"audience": "https://tenant.example/me/"}));
    signed_in(&client, Some("rt-1"));
    client
        .platform()
        .script("/me/v1/authentication-methods", ok(ceremony("s8")));
    let error = run(client.passkey_add(None)).unwrap_err();
    assert_eq!(error.code, codes::UNEXPECTED_RESPONSE);
}
