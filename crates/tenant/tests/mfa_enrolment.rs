//! Enrolling, listing and removing factors, and the `mfa_token`'s own rules.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::mfa::*;
use common::*;
use serde_json::json;

#[tokio::test]
async fn under_the_always_policy_a_user_enrols_totp_then_passes_it() {
    let tenant = TestTenant::new();
    let (status, _) = tenant
        .send(
            Request::put("/dev/mfa-policy")
                .header("content-type", "application/json")
                .body(Body::from(r#"{"policy":"always"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let required = first_factor(&tenant, "new@example.com").await;
    assert_eq!(required["mfa_requirements"]["enroll"][0]["type"], "otp");
    let token = required["mfa_token"].as_str().unwrap();

    let (status, body) = challenge(&tenant, token, json!({ "challenge_type": "otp" })).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("association_required"))
    );

    let (status, enrolment) = bearer(
        &tenant,
        "POST",
        "/mfa/associate",
        token,
        Some(json!({ "authenticator_types": ["otp"] })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{enrolment}");
    assert_eq!(enrolment["authenticator_type"], "otp");
    let secret = enrolment["secret"].as_str().unwrap();
    let barcode = enrolment["barcode_uri"].as_str().unwrap();
    assert!(
        barcode.starts_with("otpauth://totp/") && barcode.contains(&format!("secret={secret}")),
        "{barcode}"
    );
    assert_eq!(enrolment["recovery_codes"].as_array().unwrap().len(), 1);
    let (_, list) = bearer(&tenant, "GET", "/mfa/authenticators", token, None).await;
    assert_eq!(list[0]["active"], false, "not active until confirmed");

    let (status, tokens) = tenant
        .token(json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": totp_at(secret, NOW) }))
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");

    let required = first_factor(&tenant, "new@example.com").await;
    assert_eq!(
        required["mfa_requirements"]["challenge"][0]["type"], "otp",
        "now enrolled"
    );
    let token = required["mfa_token"].as_str().unwrap();
    let (status, body) = bearer(
        &tenant,
        "POST",
        "/mfa/associate",
        token,
        Some(json!({ "authenticator_types": ["otp"] })),
    )
    .await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (StatusCode::FORBIDDEN, Some("User is already enrolled."))
    );
}

#[tokio::test]
async fn an_sms_enrolment_is_confirmed_with_the_texted_code() {
    let tenant =
        TestTenant::with(|config| config.mfa_policy = passwordless_tenant::mfa::MfaPolicy::Always);
    let token = mfa_token(&tenant, "new@example.com").await;
    let (status, enrolment) = bearer(&tenant, "POST", "/mfa/associate", &token,
        Some(json!({ "authenticator_types": ["oob"], "oob_channels": ["sms"], "phone_number": "+14155550142" }))).await;
    assert_eq!(status, StatusCode::OK, "{enrolment}");
    assert_eq!(enrolment["oob_channel"], "sms");
    assert_eq!(enrolment["binding_method"], "prompt");
    let binding = tenant.latest_message("+14155550142").await["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, tokens) = tenant
        .token(json!({ "grant_type": MFA_OOB, "mfa_token": token,
        "oob_code": enrolment["oob_code"], "binding_code": binding }))
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let token = mfa_token(&tenant, "new@example.com").await;
    let (_, list) = bearer(&tenant, "GET", "/mfa/authenticators", &token, None).await;
    assert_eq!(list[0]["active"], true);
    assert_eq!(list[0]["name"], "+14155550142");
}

#[tokio::test]
async fn mfa_tokens_expire_are_bound_to_their_client_and_refuse_garbage() {
    let tenant = TestTenant::with(|config| {
        let mut other = config.clients[0].clone();
        other.client_id = "other-app".into();
        config.clients.push(other);
    });
    dev_user(&tenant, "ada@example.com", json!(["otp"])).await;
    let token = mfa_token(&tenant, "ada@example.com").await;

    let (status, body) = bearer(&tenant, "GET", "/mfa/authenticators", "garbage", None).await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Malformed mfa_token"))
    );
    let (status, body) = tenant
        .post_json(
            "/oauth/token",
            json!({ "client_id": "other-app", "client_secret": SECRET,
        "grant_type": MFA_OTP, "mfa_token": token, "otp": "123456" }),
        )
        .await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (StatusCode::FORBIDDEN, Some("Malformed mfa_token"))
    );

    tenant.clock.advance(600);
    let (status, body) = tenant
        .token(json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": "123456" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({"error": "expired_token", "error_description": "mfa_token is expired"})
    );
}

#[tokio::test]
async fn challenge_types_must_match_an_active_factor() {
    let tenant = TestTenant::new();
    dev_user(&tenant, "ada@example.com", json!(["sms"])).await;
    let token = mfa_token(&tenant, "ada@example.com").await;
    let (status, body) = challenge(&tenant, &token, json!({ "challenge_type": "otp" })).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_challenge_type"))
    );
    let (status, body) = challenge(
        &tenant,
        &token,
        json!({ "challenge_type": "carrier-pigeon" }),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_challenge_type"))
    );
}

#[tokio::test]
async fn removing_the_last_factor_removes_the_recovery_code_too() {
    let tenant = TestTenant::new();
    let user = dev_user(&tenant, "ada@example.com", json!(["otp"])).await;
    let token = mfa_token(&tenant, "ada@example.com").await;
    let otp_id = user["authenticators"][0]["id"].as_str().unwrap();
    let (status, _) = bearer(&tenant, "DELETE", "/mfa/authenticators/nope", &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = bearer(
        &tenant,
        "DELETE",
        &format!("/mfa/authenticators/{otp_id}"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = bearer(&tenant, "GET", "/mfa/authenticators", &token, None).await;
    assert_eq!(list, json!([]));
    // Without a factor, one code is enough again.
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    assert_eq!(
        tenant.verify_email("ada@example.com", &code).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_magic_link_code_exchange_also_asks_for_the_second_factor() {
    let tenant = TestTenant::new();
    dev_user(&tenant, "ada@example.com", json!(["otp"])).await;
    tenant
        .start(
            json!({ "connection": "email", "email": "ada@example.com", "send": "link",
                         "authParams": { "redirect_uri": CALLBACK, "response_type": "code" } }),
        )
        .await;
    let link = tenant.latest_message("ada@example.com").await["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, location) = tenant.follow(&link).await;
    let code = location
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let (status, body) = tenant
        .token(
            json!({ "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK }),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("mfa_required"))
    );
    assert!(body["mfa_token"].is_string());
}
