//! The core's first factor, natively: `start` and `verify` on the test platform, from the first
//! request to the session, with every way an ID token can be wrong, and the resend cooldowns.
//! (The browser suites prove the real platform: tests/browser_sign_in.rs.)

#![cfg(not(target_arch = "wasm32"))]

mod platform;

use std::rc::Rc;

use passwordless::client::Client;
use passwordless::error::SdkError;
use passwordless::flows::SignInParams;
use platform::*;
use serde_json::{json, Value};

fn client() -> Rc<Client<TestPlatform>> {
    Client::new(TestPlatform::default(), options(json!({})))
}

fn params(value: Value) -> SignInParams {
    serde_json::from_value(value).unwrap()
}

fn email_code(code: &str) -> SignInParams {
    params(json!({ "connection": "email", "email": "Ada@Example.com", "code": code }))
}

fn email() -> SignInParams {
    params(json!({ "connection": "email", "email": "Ada@Example.com" }))
}

fn verify(client: &Rc<Client<TestPlatform>>, token_answer: Scripted) -> Result<Value, SdkError> {
    client.platform().script("/oauth/token", token_answer);
    run(client.verify(&email_code("123456")))
}

#[test]
fn an_email_code_signs_in_with_verified_claims_and_the_otp_grant() {
    let client = client();
    let started = ok(json!({ "_id": "u1", "email": "ada@example.com", "email_verified": false }));
    client.platform().script("/passwordless/start", started);
    let answer = run(client.start(&email(), None)).unwrap();
    assert_eq!(answer["_id"], "u1", "the server's answer is kept");
    assert_eq!(answer["resendAfter"], 30);
    let start = client.platform().last("/passwordless/start").body;
    assert_eq!(
        start,
        json!({ "client_id": CLIENT_ID, "connection": "email", "email": "Ada@example.com", "send": "code" }),
        "the address in its one form (the domain lowercased), and never a secret"
    );

    let session = verify(&client, good_tokens("email|ada", NOW, None)).unwrap();
    assert_eq!(session["claims"]["sub"], "email|ada");
    assert_eq!(
        session["claims"]["email"], "ada@example.com",
        "every claim reaches the page"
    );
    assert_eq!(session["accessToken"], "at-1");
    assert_eq!(session.get("refreshToken"), None);
    let grant = client.platform().last("/oauth/token").body;
    assert_eq!(
        grant["grant_type"],
        "http://auth0.com/oauth/grant-type/passwordless/otp"
    );
    assert_eq!(grant["realm"], "email");
    assert_eq!(grant["username"], "Ada@example.com");
    assert_eq!(grant["otp"], "123456");
    assert!(grant.get("client_secret").is_none(), "never a secret");
    // Discovery and keys were fetched once; a second sign-in reuses them.
    verify(&client, good_tokens("email|ada", NOW, None)).unwrap();
    assert_eq!(
        client.platform().count("/.well-known/openid-configuration"),
        1
    );
    assert_eq!(client.platform().count("/.well-known/jwks.json"), 1);
}

/// The ID token answered, with `claims` changed by `edit`, signed by key `index` as `kid`.
fn token_with(edit: impl FnOnce(&mut Value), index: usize, kid: &str) -> Scripted {
    let mut claims = claims("email|ada", NOW);
    edit(&mut claims);
    ok(tokens(&id_token(&claims, index, kid), None))
}

fn refusal(answer: Scripted) -> SdkError {
    verify(&client(), answer).expect_err("refused")
}

#[test]
fn every_way_an_id_token_can_be_wrong_is_invalid_id_token() {
    let cases: Vec<(&str, Scripted, &str)> = vec![
        (
            "wrong issuer",
            token_with(|c| c["iss"] = json!("https://evil.example/"), 0, "k0"),
            "issuer (iss)",
        ),
        (
            "wrong audience",
            token_with(|c| c["aud"] = json!("other-client"), 0, "k0"),
            "audience (aud)",
        ),
        (
            "expired",
            token_with(|c| c["exp"] = json!(NOW - 120.0), 0, "k0"),
            "has expired",
        ),
        (
            "issued in the future",
            token_with(|c| c["iat"] = json!(NOW + 3600.0), 0, "k0"),
            "iat",
        ),
        (
            "signed by a key published under another kid",
            token_with(|_| {}, 1, "k0"),
            "does not verify",
        ),
        (
            "signed by a key nobody publishes",
            token_with(|_| {}, 1, "k9"),
            "does not publish",
        ),
    ];
    for (what, answer, says) in cases {
        let error = refusal(answer);
        assert_eq!(error.code, "invalid_id_token", "{what}");
        assert!(
            error.description.contains(says),
            "{what}: {}",
            error.description
        );
    }
    let mut tampered = tokens(&id_token(&claims("email|ada", NOW), 0, "k0"), None);
    let token = tampered["id_token"].as_str().unwrap().to_owned();
    let (signed, _) = token.rsplit_once('.').unwrap();
    let forged_claims = claims("email|eve", NOW).to_string();
    let (header, _) = signed.split_once('.').unwrap();
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(forged_claims);
    let signature = token.rsplit('.').next().unwrap();
    tampered["id_token"] = json!(format!("{header}.{payload}.{signature}"));
    assert_eq!(
        refusal(ok(tampered)).description,
        "the ID token's signature does not verify"
    );
    let unsigned = tokens("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", None);
    assert_eq!(refusal(ok(unsigned)).code, "invalid_id_token");
}

#[test]
fn a_new_kid_fetches_the_keys_again_once_rotated() {
    let client = client();
    verify(&client, good_tokens("email|ada", NOW, None)).unwrap();
    // The issuer rotates to key 1: the client's cached keys do not have it.
    *client.platform().published.borrow_mut() = vec![0, 1];
    let session = verify(&client, token_with(|_| {}, 1, "k1")).unwrap();
    assert_eq!(session["claims"]["sub"], "email|ada");
    assert_eq!(
        client.platform().count("/.well-known/jwks.json"),
        2,
        "fetched again for k1"
    );
    verify(&client, token_with(|_| {}, 1, "k1")).unwrap();
    assert_eq!(
        client.platform().count("/.well-known/jwks.json"),
        2,
        "then cached"
    );
}

#[test]
fn a_second_code_waits_out_the_cooldown_without_a_request() {
    let client = client();
    client
        .platform()
        .script("/passwordless/start", ok(json!({})));
    assert_eq!(
        run(client.start(&email(), None)).unwrap()["resendAfter"],
        30
    );
    let early = run(client.start(&email(), None)).unwrap_err();
    assert_eq!(early.code, "too_many_requests");
    assert_eq!(early.retry_after, Some(30));
    assert_eq!(
        client.platform().count("/passwordless/start"),
        1,
        "no request"
    );
    // The same address written otherwise is the same address.
    let other_case = params(json!({ "connection": "email", "email": "ADA@example.com" }));
    assert_eq!(
        run(client.start(&other_case, None)).unwrap_err().code,
        "too_many_requests"
    );
    client.platform().clock.set(NOW + 30.0);
    client
        .platform()
        .script("/passwordless/start", ok(json!({})));
    assert!(run(client.start(&email(), None)).is_ok(), "after the wait");
}

#[test]
fn a_429_sets_the_cooldown_to_retry_after_and_a_refused_code_ends_it() {
    let client = client();
    client.platform().script(
        "/passwordless/start",
        Scripted::Answer {
            status: 429,
            body: json!({ "error": "too_many_requests", "error_description": "Slow down." }),
            retry_after: Some(90),
        },
    );
    let refused = run(client.start(&email(), None)).unwrap_err();
    assert_eq!(
        (refused.code.as_ref(), refused.retry_after),
        ("too_many_requests", Some(90))
    );
    client.platform().clock.set(NOW + 60.0);
    assert_eq!(
        run(client.start(&email(), None)).unwrap_err().retry_after,
        Some(30)
    );

    // A code the server refuses may be dead: a new one may go at once.
    client.platform().clock.set(NOW + 90.0);
    client
        .platform()
        .script("/passwordless/start", ok(json!({})));
    run(client.start(&email(), None)).unwrap();
    let wrong = verify(&client, refused_code()).unwrap_err();
    assert_eq!(wrong.code, "invalid_grant");
    client
        .platform()
        .script("/passwordless/start", ok(json!({})));
    assert!(
        run(client.start(&email(), None)).is_ok(),
        "the refusal ended the cooldown"
    );
    // A longer Retry-After on a success wins over resendAfterSeconds.
    let client = self::client();
    client.platform().script(
        "/passwordless/start",
        Scripted::Answer {
            status: 200,
            body: json!({}),
            retry_after: Some(45),
        },
    );
    assert_eq!(
        run(client.start(&email(), None)).unwrap()["resendAfter"],
        45
    );
}

fn refused_code() -> Scripted {
    refused(403, "invalid_grant", "Wrong email or verification code.")
}

#[test]
fn a_start_answer_that_is_not_an_object_still_resolves_resend_after() {
    for body in [json!("OK"), json!(null), json!([1, 2])] {
        let client = client();
        client
            .platform()
            .script("/passwordless/start", ok(body.clone()));
        assert_eq!(
            run(client.start(&email(), None)).unwrap(),
            json!({ "resendAfter": 30 }),
            "{body}"
        );
    }
}

#[test]
fn a_network_failure_starts_no_cooldown() {
    let client = client();
    client
        .platform()
        .script("/passwordless/start", Scripted::Network);
    assert_eq!(
        run(client.start(&email(), None)).unwrap_err().code,
        "network_error"
    );
    client
        .platform()
        .script("/passwordless/start", ok(json!({})));
    assert!(run(client.start(&email(), None)).is_ok());
}

#[test]
fn mfa_required_carries_the_token_and_keeps_no_session() {
    let client = client();
    let answer = Scripted::Answer {
        status: 403,
        body: json!({ "error": "mfa_required", "error_description": "Multifactor authentication required",
                      "mfa_token": "mfa-1", "mfa_requirements": { "challenge": [{ "type": "otp" }] } }),
        retry_after: None,
    };
    let error = verify(&client, answer).unwrap_err();
    assert_eq!(error.code, "mfa_required");
    assert_eq!(error.mfa_token.as_deref(), Some("mfa-1"));
    assert_eq!(run(client.current()).unwrap(), None);
}
