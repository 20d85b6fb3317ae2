//! The SDK keeps its own request and answer types (serde derive, no serde_json in the wasm),
//! so this proves they are the contract's: every body the core sends (as the browser sends it)
//! carries only the fields the relay lets through for its endpoint (`passwordless_wire::names`)
//! and reads as `crates/wire`'s type, which the relay and the tenant use, with every value
//! kept; and what the tenant answers (`crates/wire`'s types, serialised) reads as the SDK's.

#![cfg(not(target_arch = "wasm32"))]

mod platform;

use std::rc::Rc;

use passwordless::client::Client;
use passwordless::flows::mfa::MfaParams;
use passwordless::flows::replies::{self, Tokens};
use passwordless::flows::SignInParams;
use passwordless::platform::Platform;
use passwordless_wire::names::{
    grant_fields, ASSOCIATE_FIELDS, AUTH_PARAMS, CHALLENGE_FIELDS, REVOKE_FIELDS, START_FIELDS,
};
use passwordless_wire::{mfa as wire_mfa, start as wire_start, token as wire_token};
use platform::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// The credentials and the grant type: the envelope every body of the relay's carries.
const ENVELOPE: [&str; 2] = ["client_id", "grant_type"];

/// `body` has only `allowed` fields (besides the envelope), reads as `W`, and `W` written back
/// holds every value the SDK sent.
fn holds<W: DeserializeOwned + Serialize>(body: &Value, allowed: &[&str]) {
    let members = body.as_object().expect("an object");
    for name in members.keys() {
        assert!(
            allowed.contains(&name.as_str()) || ENVELOPE.contains(&name.as_str()),
            "{name} is not a field the relay lets through: {body}"
        );
    }
    let wire: W = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"));
    let back = serde_json::to_value(wire).unwrap();
    for (name, value) in back.as_object().unwrap() {
        assert_eq!(&members[name], value, "{name}");
    }
    for name in members.keys().filter(|n| !ENVELOPE.contains(&n.as_str())) {
        assert!(
            back.get(name).is_some(),
            "{name} is lost by the wire type: {body}"
        );
    }
}

fn client() -> Rc<Client<TestPlatform>> {
    Client::new(
        TestPlatform::default(),
        options(
            json!({ "redirectUri": "https://app.example/cb", "audience": "https://api.example/" }),
        ),
    )
}

fn sign_in(value: Value) -> SignInParams {
    serde_json::from_value(value).unwrap()
}

fn mfa(value: Value) -> MfaParams {
    serde_json::from_value(value).unwrap()
}

#[test]
fn every_request_body_is_the_contracts() {
    let client = client();
    let p = client.platform();
    for (params, app_state) in [
        (
            json!({ "connection": "email", "email": "ada@example.com" }),
            None,
        ),
        (
            json!({ "connection": "sms", "phoneNumber": "+14155550100" }),
            None,
        ),
        (
            json!({ "connection": "email", "email": "bob@example.com", "send": "link" }),
            Some(json!(1)),
        ),
    ] {
        p.script("/passwordless/start", ok(json!({})));
        run(client.start(&sign_in(params), app_state)).unwrap();
        let body = p.last("/passwordless/start").body;
        holds::<wire_start::PasswordlessStart>(&body, &START_FIELDS);
        if let Some(auth) = body.get("authParams") {
            for name in auth.as_object().unwrap().keys() {
                assert!(AUTH_PARAMS.contains(&name.as_str()), "authParams.{name}");
            }
        }
    }

    p.script("/oauth/token", refused(403, "invalid_grant", "No."));
    let code =
        sign_in(json!({ "connection": "email", "email": "ada@example.com", "code": "123456" }));
    let _ = run(client.verify(&code));
    let otp = p.last("/oauth/token").body;
    holds::<wire_token::OtpGrant>(
        &otp,
        grant_fields(otp["grant_type"].as_str().unwrap()).unwrap(),
    );

    *p.address.borrow_mut() = Some("https://app.example/cb?code=c1&state=random-1".into());
    p.script("/oauth/token", refused(403, "invalid_grant", "No."));
    let _ = run(client.handle_redirect_callback(None));
    let code_grant = p.last("/oauth/token").body;
    assert_eq!(code_grant["grant_type"], "authorization_code");
    holds::<wire_token::AuthorizationCodeGrant>(
        &code_grant,
        grant_fields("authorization_code").unwrap(),
    );

    for (params, wire_type) in [
        (json!({ "mfaToken": "m", "otp": "123456" }), "otp"),
        (
            json!({ "mfaToken": "m", "oobCode": "o", "bindingCode": "123456" }),
            "oob",
        ),
        (
            json!({ "mfaToken": "m", "recoveryCode": "ABCD-EFGH-JKLM" }),
            "recovery",
        ),
    ] {
        p.script("/oauth/token", refused(403, "invalid_grant", "No."));
        let _ = run(client.verify_second_factor(mfa(params), None));
        let grant = p.last("/oauth/token").body;
        let fields = grant_fields(grant["grant_type"].as_str().unwrap()).expect("a contract grant");
        match wire_type {
            "otp" => holds::<wire_token::MfaOtpGrant>(&grant, fields),
            "oob" => holds::<wire_token::MfaOobGrant>(&grant, fields),
            _ => holds::<wire_token::MfaRecoveryCodeGrant>(&grant, fields),
        }
    }

    p.script("/mfa/challenge", refused(403, "invalid_token", "No."));
    let _ = run(client.challenge(mfa(
        json!({ "mfaToken": "m", "challengeType": "oob", "authenticatorId": "sms|1" }),
    )));
    holds::<wire_mfa::ChallengeRequest>(&p.last("/mfa/challenge").body, &CHALLENGE_FIELDS);
    for params in [
        json!({ "mfaToken": "m", "factor": "otp" }),
        json!({ "mfaToken": "m", "factor": "sms", "phoneNumber": "+14155550100" }),
        json!({ "mfaToken": "m", "factor": "email", "email": "ada@example.com" }),
    ] {
        p.script("/mfa/associate", refused(403, "invalid_token", "No."));
        let _ = run(client.enroll(mfa(params)));
        holds::<wire_mfa::AssociateRequest>(&p.last("/mfa/associate").body, &ASSOCIATE_FIELDS);
    }
}

#[test]
fn refresh_and_revoke_bodies_are_the_contracts() {
    let client = client();
    let p = client.platform();
    p.script("/oauth/token", good_tokens("email|ada", NOW, Some("rt-1")));
    run(client.verify(&sign_in(
        json!({ "connection": "sms", "phoneNumber": "+14155550100", "code": "123456" }),
    )))
    .unwrap();
    p.script("/oauth/token", good_tokens("email|ada", NOW, None));
    run(client.refresh()).unwrap();
    let refresh = p.last("/oauth/token").body;
    holds::<wire_token::RefreshTokenGrant>(&refresh, grant_fields("refresh_token").unwrap());
    p.script("/oauth/revoke", ok(json!({})));
    run(client.sign_out()).unwrap();
    holds::<wire_token::Revocation>(&p.last("/oauth/revoke").body, &REVOKE_FIELDS);
}

/// What the tenant answers, written by `crates/wire`'s types, reads as the SDK's.
#[test]
fn the_contracts_answers_read_as_the_sdks_types() {
    let tokens = wire_token::TokenSet {
        access_token: "at".into(),
        id_token: Some("a.b.c".into()),
        refresh_token: Some("rt".into()),
        scope: "openid".into(),
        token_type: "Bearer".into(),
        expires_in: 86400,
        recovery_code: Some("RC".into()),
    };
    let answer = serde_json::to_value(&tokens).unwrap();
    let platform = TestPlatform::default();
    let read = Tokens::read(platform.members(&answer)).unwrap();
    assert_eq!(
        (
            read.access_token.as_str(),
            read.refresh_token.as_deref(),
            read.recovery_code.as_deref(),
            read.expires_in
        ),
        ("at", Some("rt"), Some("RC"), 86400)
    );
    let challenge = wire_mfa::Challenge {
        challenge_type: "oob".into(),
        oob_code: Some("o".into()),
        binding_method: Some("prompt".into()),
    };
    let answer = serde_json::to_value(&challenge).unwrap();
    let read = replies::challenge(platform.members(&answer)).unwrap();
    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(
        (&written["oobCode"], &written["bindingMethod"]),
        (&json!("o"), &json!("prompt"))
    );
    let association: wire_mfa::Association = serde_json::from_value(json!({
        "authenticator_type": "otp", "secret": "JBSWY3DP", "barcode_uri": "otpauth://totp/x",
        "recovery_codes": ["R1"],
    }))
    .unwrap();
    let answer = serde_json::to_value(&association).unwrap();
    let read = replies::enrollment(platform.members(&answer)).unwrap();
    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(written["secret"], "JBSWY3DP");
    assert_eq!(written["barcodeUri"], "otpauth://totp/x");
    assert_eq!(written["recoveryCodes"], json!(["R1"]));
    let authenticator: wire_mfa::Authenticator = serde_json::from_value(json!({
        "id": "sms|1", "authenticator_type": "oob", "oob_channel": "sms", "active": true, "name": "+1 ***"
    }))
    .unwrap();
    let answer = serde_json::to_value(&authenticator).unwrap();
    let read = replies::authenticator(platform.members(&answer)).unwrap();
    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(
        (&written["oobChannel"], &written["active"]),
        (&json!("sms"), &json!(true))
    );
}
