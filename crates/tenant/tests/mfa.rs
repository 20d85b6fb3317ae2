//! Multi-factor authentication as the contract describes it. TOTP codes here come from the
//! independent `totp-rs` crate, not from the tenant's own implementation.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

const MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
const MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
const MFA_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";
const NOW: u64 = 1_795_626_834;

fn totp_at(secret: &str, unix: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes).generate(unix)
}

async fn dev_user(tenant: &TestTenant, email: &str, factors: Value) -> Value {
    let (status, user) = tenant
        .post_json(
            "/dev/users",
            json!({ "email": email, "factors": factors, "mfa_phone_number": "+14155550199" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    user
}

/// Passes the first factor, expecting `mfa_required`; answers the whole error body.
async fn first_factor(tenant: &TestTenant, email: &str) -> Value {
    tenant.start_email(email).await;
    let code = tenant.latest_code(email).await;
    let (status, body) = tenant.verify_email(email, &code).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "mfa_required");
    assert_eq!(
        body["error_description"],
        "Multifactor authentication required"
    );
    body
}

async fn mfa_token(tenant: &TestTenant, email: &str) -> String {
    first_factor(tenant, email).await["mfa_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn bearer(
    tenant: &TestTenant,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
        .unwrap();
    tenant.send(request).await
}

async fn challenge(tenant: &TestTenant, token: &str, body: Value) -> (StatusCode, Value) {
    let mut full = json!({ "client_id": CLIENT, "client_secret": SECRET, "mfa_token": token });
    for (k, v) in body.as_object().unwrap() {
        full[k] = v.clone();
    }
    tenant.post_json("/mfa/challenge", full).await
}

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
