//! Passing each second factor as the contract describes it: TOTP (codes from the independent
//! `totp-rs` crate), SMS and email codes, a simulated push, and recovery codes.

mod common;

use axum::http::StatusCode;
use common::mfa::*;
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_user_with_totp_passes_it_after_the_first_factor() {
    let tenant = TestTenant::new();
    let user = dev_user(&tenant, "ada@example.com", json!(["otp"])).await;
    let secret = user["totp_secret"].as_str().unwrap();
    assert_eq!(user["recovery_codes"].as_array().unwrap().len(), 1);

    let required = first_factor(&tenant, "ada@example.com").await;
    assert_eq!(
        required["mfa_requirements"],
        json!({"challenge": [{"type": "otp"}, {"type": "recovery-code"}]})
    );
    let token = required["mfa_token"].as_str().unwrap();

    let (status, list) = bearer(&tenant, "GET", "/mfa/authenticators", token, None).await;
    assert_eq!(status, StatusCode::OK);
    let types: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["authenticator_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["otp", "recovery-code"]);
    assert!(list[0]["id"].as_str().unwrap().starts_with("totp|dev_"));
    assert_eq!(list[0]["active"], true);

    let (status, answer) = challenge(&tenant, token, json!({ "challenge_type": "otp" })).await;
    assert_eq!(
        (status, answer),
        (StatusCode::OK, json!({"challenge_type": "otp"}))
    );

    let (status, tokens) = tenant
        .token(json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": totp_at(secret, NOW) }))
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(
        jwt_claims(tokens["id_token"].as_str().unwrap())["email"],
        "ada@example.com"
    );

    // The mfa_token is used up, and the same code is not accepted twice.
    let (_, body) = tenant
        .token(json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": totp_at(secret, NOW) }))
        .await;
    assert_eq!(body["error_description"], "Malformed mfa_token");
    let token = mfa_token(&tenant, "ada@example.com").await;
    let (status, body) = tenant
        .token(json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": totp_at(secret, NOW) }))
        .await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (StatusCode::FORBIDDEN, Some("Invalid otp_code."))
    );

    // The previous step is accepted; the one before it is not.
    tenant.clock.advance(30);
    let (status, _) = tenant
        .token(
            json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": totp_at(secret, NOW + 60) }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a future step is refused");
    let token = mfa_token(&tenant, "ada@example.com").await;
    tenant.clock.advance(30);
    let (status, _) = tenant
        .token(
            json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": totp_at(secret, NOW + 30) }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the previous step is accepted");
}

#[tokio::test]
async fn failed_checks_draw_from_a_bucket_of_ten_refilling_every_six_minutes() {
    let tenant = TestTenant::new();
    let user = dev_user(&tenant, "ada@example.com", json!(["otp"])).await;
    let secret = user["totp_secret"].as_str().unwrap();
    let token = mfa_token(&tenant, "ada@example.com").await;
    let good = totp_at(secret, NOW);
    let wrong = if good == "000000" { "111111" } else { "000000" };
    for i in 0..10 {
        let (status, body) = tenant
            .token(json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": wrong }))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::FORBIDDEN, Some("invalid_grant")),
            "try {i}"
        );
    }
    let (status, body) = tenant
        .token(json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": good }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts"))
    );
    tenant.clock.advance(359);
    let (status, _) = tenant
        .token(
            json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": totp_at(secret, NOW + 359) }),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "not yet");
    tenant.clock.advance(1);
    let (status, body) = tenant
        .token(
            json!({ "grant_type": MFA_OTP, "mfa_token": token, "otp": totp_at(secret, NOW + 360) }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "one try back after six minutes: {body}"
    );
}

#[tokio::test]
async fn an_sms_factor_is_challenged_with_a_code_to_type_back() {
    let tenant = TestTenant::new();
    dev_user(&tenant, "ada@example.com", json!(["sms"])).await;
    let required = first_factor(&tenant, "ada@example.com").await;
    assert_eq!(
        required["mfa_requirements"]["challenge"][0]["type"],
        "phone"
    );
    let token = required["mfa_token"].as_str().unwrap();
    let (_, list) = bearer(&tenant, "GET", "/mfa/authenticators", token, None).await;
    assert_eq!(list[0]["oob_channel"], "sms");
    assert_eq!(list[0]["name"], "+14155550199");

    let (status, answer) = challenge(
        &tenant,
        token,
        json!({ "challenge_type": "oob", "authenticator_id": list[0]["id"] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["challenge_type"], "oob");
    assert_eq!(answer["binding_method"], "prompt");
    let oob_code = answer["oob_code"].as_str().unwrap();
    let message = tenant.latest_message("+14155550199").await;
    assert_eq!(message["channel"], "sms");
    let binding = message["code"].as_str().unwrap();

    let (status, body) = tenant.token(json!({ "grant_type": MFA_OOB, "mfa_token": token, "oob_code": oob_code, "binding_code": "000000x" })).await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (StatusCode::FORBIDDEN, Some("Invalid binding_code."))
    );
    let (status, tokens) = tenant.token(json!({ "grant_type": MFA_OOB, "mfa_token": token, "oob_code": oob_code, "binding_code": binding })).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
}

#[tokio::test]
async fn mfa_one_time_codes_live_five_minutes() {
    let tenant = TestTenant::new();
    dev_user(&tenant, "ada@example.com", json!(["email"])).await;
    let token = mfa_token(&tenant, "ada@example.com").await;
    let (_, answer) = challenge(&tenant, &token, json!({ "challenge_type": "oob" })).await;
    let oob_code = answer["oob_code"].as_str().unwrap();
    let binding = tenant.latest_message("ada@example.com").await["code"]
        .as_str()
        .unwrap()
        .to_owned();
    tenant.clock.advance(300);
    let (status, body) = tenant.token(json!({ "grant_type": MFA_OOB, "mfa_token": token, "oob_code": oob_code, "binding_code": binding })).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("expired_token"))
    );
}

#[tokio::test]
async fn a_push_waits_for_approval_and_a_denial_is_final() {
    let tenant = TestTenant::new();
    dev_user(&tenant, "ada@example.com", json!(["push"])).await;
    let token = mfa_token(&tenant, "ada@example.com").await;
    let (_, answer) = challenge(&tenant, &token, json!({ "challenge_type": "oob" })).await;
    assert!(answer.get("binding_method").is_none(), "{answer}");
    let oob_code = answer["oob_code"].as_str().unwrap().to_owned();
    let poll =
        || tenant.token(json!({ "grant_type": MFA_OOB, "mfa_token": token, "oob_code": oob_code }));

    let (status, body) = poll().await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("authorization_pending"))
    );
    let (_, body) = poll().await;
    assert_eq!(body["error"], "slow_down", "polled again at once");
    tenant.clock.advance(5);
    let (_, body) = poll().await;
    assert_eq!(body["error"], "authorization_pending");

    let push = tenant.latest_message("ada@example.com").await;
    assert_eq!(
        (push["channel"].as_str(), push["kind"].as_str()),
        (Some("push"), Some("push"))
    );
    let (status, _) = tenant
        .post_json(
            &format!("/dev/push/{}/approve", push["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    tenant.clock.advance(5);
    let (status, tokens) = poll().await;
    assert_eq!(status, StatusCode::OK, "{tokens}");

    let token = mfa_token(&tenant, "ada@example.com").await;
    let (_, answer) = challenge(&tenant, &token, json!({ "challenge_type": "oob" })).await;
    let push = tenant.latest_message("ada@example.com").await;
    tenant
        .post_json(
            &format!("/dev/push/{}/deny", push["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    let (status, body) = tenant
        .token(json!({ "grant_type": MFA_OOB, "mfa_token": token, "oob_code": answer["oob_code"] }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("invalid_grant"))
    );
    let (status, _) = tenant
        .post_json(
            &format!("/dev/push/{}/approve", push["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a decided push cannot be decided again"
    );
}

#[tokio::test]
async fn a_recovery_code_works_once_and_is_replaced() {
    let tenant = TestTenant::new();
    let user = dev_user(&tenant, "ada@example.com", json!(["otp"])).await;
    let code = user["recovery_codes"][0].as_str().unwrap().to_owned();
    let token = mfa_token(&tenant, "ada@example.com").await;
    let (status, tokens) = tenant
        .token(json!({ "grant_type": MFA_RECOVERY, "mfa_token": token, "recovery_code": code }))
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let new_code = tokens["recovery_code"]
        .as_str()
        .expect("a new recovery code")
        .to_owned();
    assert_ne!(new_code, code);

    let token = mfa_token(&tenant, "ada@example.com").await;
    let (status, body) = tenant
        .token(json!({ "grant_type": MFA_RECOVERY, "mfa_token": token, "recovery_code": code }))
        .await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (StatusCode::FORBIDDEN, Some("Invalid recovery_code."))
    );
    let (status, _) = tenant
        .token(json!({ "grant_type": MFA_RECOVERY, "mfa_token": token, "recovery_code": new_code }))
        .await;
    assert_eq!(status, StatusCode::OK);
}
