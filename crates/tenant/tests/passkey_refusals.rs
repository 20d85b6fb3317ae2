//! What the passkey endpoints refuse, each in the wire error shape: a wrong challenge, origin
//! or rp id, a replayed or expired `auth_session`, a counter going backwards, an unknown
//! credential, a sign-up for an existing user, another client's session, and My Account calls
//! without the right token.

#[path = "common/authenticator.rs"]
mod authenticator;
mod common;
#[path = "common/passkey_flows.rs"]
mod passkey_flows;

use authenticator::{Answer, Authenticator};
use axum::http::StatusCode;
use common::*;
use passkey_flows::*;
use serde_json::{json, Value};

fn assert_refused(status: StatusCode, body: &Value, error: &str, description: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], error, "{body}");
    let said = body["error_description"].as_str().unwrap();
    assert!(said.contains(description), "{said:?} lacks {description:?}");
}

/// A sign-up's options and a fresh authenticator's answer, tampered by `tamper`.
async fn sign_up_answering(
    tenant: &TestTenant,
    email: &str,
    tamper: impl FnOnce(&mut Answer),
) -> (StatusCode, Value) {
    let (_, ceremony) = register(tenant, json!({ "user_profile": { "email": email } })).await;
    let options = &ceremony["authn_params_public_key"];
    let mut answer = Answer::to(options, ORIGIN);
    tamper(&mut answer);
    let created = Authenticator::new().create_answering(options, &answer);
    grant(tenant, &ceremony["auth_session"], created).await
}

/// A sign-in with `authenticator`, its answer tampered by `tamper`.
async fn sign_in_answering(
    tenant: &TestTenant,
    authenticator: &mut Authenticator,
    tamper: impl FnOnce(&mut Answer),
) -> (StatusCode, Value) {
    let (_, ceremony) = challenge(tenant).await;
    let mut answer = Answer::to(&ceremony["authn_params_public_key"], ORIGIN);
    tamper(&mut answer);
    let asserted = authenticator.get_answering(&answer);
    grant(tenant, &ceremony["auth_session"], asserted).await
}

#[tokio::test]
async fn a_wrong_challenge_origin_or_rp_id_is_refused() {
    let tenant = passkey_tenant();
    let (status, body) = sign_up_answering(&tenant, "a@example.com", |a| {
        a.challenge = "c29tZS1vdGhlci1jaGFsbGVuZ2U".into();
    })
    .await;
    assert_refused(status, &body, "invalid_grant", "another challenge");
    let (status, body) = sign_up_answering(&tenant, "a@example.com", |a| {
        a.origin = "http://evil.example:8080".into();
    })
    .await;
    assert_refused(status, &body, "invalid_grant", "origin");
    let (status, body) = sign_up_answering(&tenant, "a@example.com", |a| {
        a.rp_id = "evil.example".into();
    })
    .await;
    assert_refused(status, &body, "invalid_grant", "rpId");

    let (mut authenticator, _) = sign_up(&tenant, "a@example.com").await;
    let (status, body) = sign_in_answering(&tenant, &mut authenticator, |a| {
        a.challenge = "c29tZS1vdGhlci1jaGFsbGVuZ2U".into();
    })
    .await;
    assert_refused(status, &body, "invalid_grant", "another challenge");
    let (status, body) = sign_in_answering(&tenant, &mut authenticator, |a| {
        a.origin = "http://127.0.0.1:8080".into();
    })
    .await;
    assert_refused(status, &body, "invalid_grant", "origin");
    let (status, body) = sign_in_answering(&tenant, &mut authenticator, |a| {
        a.rp_id = "evil.example".into();
    })
    .await;
    assert_refused(status, &body, "invalid_grant", "rpId");
    let (status, body) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!(status, StatusCode::OK, "still good: {body}");
}

#[tokio::test]
async fn an_auth_session_works_once_and_for_five_minutes() {
    let tenant = passkey_tenant();
    let (mut authenticator, _) = sign_up(&tenant, "b@example.com").await;
    let (_, ceremony) = challenge(&tenant).await;
    let options = &ceremony["authn_params_public_key"];
    let asserted = authenticator.get(options, ORIGIN);
    let (status, _) = grant(&tenant, &ceremony["auth_session"], asserted.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = grant(&tenant, &ceremony["auth_session"], asserted).await;
    assert_refused(status, &body, "invalid_grant", "already used");

    // A failed try uses it up as well.
    let (_, ceremony) = challenge(&tenant).await;
    let options = &ceremony["authn_params_public_key"];
    let (status, _) = grant(
        &tenant,
        &ceremony["auth_session"],
        json!({ "type": "nope" }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let asserted = authenticator.get(options, ORIGIN);
    let (status, body) = grant(&tenant, &ceremony["auth_session"], asserted).await;
    assert_refused(status, &body, "invalid_grant", "already used");

    let (_, ceremony) = challenge(&tenant).await;
    tenant.clock.advance(300);
    let asserted = authenticator.get(&ceremony["authn_params_public_key"], ORIGIN);
    let (status, body) = grant(&tenant, &ceremony["auth_session"], asserted).await;
    assert_refused(status, &body, "invalid_grant", "expired");
}

#[tokio::test]
async fn a_counter_going_backwards_is_refused() {
    let tenant = passkey_tenant();
    let (mut authenticator, _) = sign_up(&tenant, "c@example.com").await;
    authenticator.counter = 10;
    let (status, _) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!(status, StatusCode::OK);
    authenticator.counter = 10;
    let (status, body) = sign_in(&tenant, &mut authenticator).await;
    assert_refused(status, &body, "invalid_grant", "counter");
    authenticator.counter = 3;
    let (status, body) = sign_in(&tenant, &mut authenticator).await;
    assert_refused(status, &body, "invalid_grant", "counter");
    let (status, _) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "4 is still below 11");
    authenticator.counter = 11;
    let (status, _) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!(status, StatusCode::OK, "the stored counter did not move");
}

#[tokio::test]
async fn an_unknown_credential_is_refused() {
    let tenant = passkey_tenant();
    let (known, _) = sign_up(&tenant, "d@example.com").await;
    let mut stranger = Authenticator::new();
    stranger.user_handle = known.user_handle.clone();
    let (status, body) = sign_in(&tenant, &mut stranger).await;
    assert_refused(status, &body, "invalid_grant", "Unknown passkey");
    let (status, body) = challenge(&tenant).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = grant(&tenant, &body["auth_session"], json!({})).await;
    assert_refused(status, &body, "invalid_grant", "authn_response");
    let (status, body) = grant(&tenant, &json!("made-up"), json!({})).await;
    assert_refused(status, &body, "invalid_grant", "unknown");
}

#[tokio::test]
async fn a_sign_up_for_an_existing_user_is_user_exists() {
    let tenant = passkey_tenant();
    code_sign_in(&tenant, "e@example.com").await;
    let (status, body) = register(
        &tenant,
        json!({ "user_profile": { "email": "E@example.com" } }),
    )
    .await;
    assert_refused(status, &body, "user_exists", "already exists");

    // Someone signs up between the options and the grant.
    let (status, ceremony) = register(
        &tenant,
        json!({ "user_profile": { "email": "f@example.com" } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    code_sign_in(&tenant, "f@example.com").await;
    let created = Authenticator::new().create(&ceremony["authn_params_public_key"], ORIGIN);
    let (status, body) = grant(&tenant, &ceremony["auth_session"], created).await;
    assert_refused(status, &body, "user_exists", "meanwhile");
}

#[tokio::test]
async fn a_sign_up_profile_is_checked_as_a_start_checks_it() {
    let tenant = passkey_tenant();
    let cases = [
        (json!({ "user_profile": { "email": "nope" } }), "bad.email"),
        (
            json!({ "user_profile": { "phone_number": "0123" } }),
            "bad.phone_number",
        ),
        (json!({ "user_profile": {} }), "invalid_request"),
        (json!({}), "invalid_request"),
        (
            json!({ "realm": "sms", "user_profile": { "email": "g@example.com" } }),
            "invalid_request",
        ),
        (
            json!({ "realm": "ldap", "user_profile": { "email": "g@example.com" } }),
            "bad.connection",
        ),
        (
            json!({ "user_profile": { "email": "g@example.com", "name": "n".repeat(301) } }),
            "invalid_request",
        ),
    ];
    for (body, error) in cases {
        let (status, answer) = register(&tenant, body.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some(error)),
            "{body}"
        );
    }
    let (status, answer) = register(
        &tenant,
        json!({ "user_profile": { "phone_number": "+14155550100" } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, answer) = tenant
        .post_json("/passkey/register", json!({ "client_id": CLIENT, "client_secret": "wrong", "user_profile": { "email": "g@example.com" } }))
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("access_denied"))
    );
}

#[tokio::test]
async fn an_auth_session_is_bound_to_its_client() {
    let tenant = TestTenant::with(|config| {
        config.rp_id = Some("localhost".into());
        let mut other = config.clients[0].clone();
        other.client_id = "other-client".into();
        config.clients.push(other);
        for client in &mut config.clients {
            client.allowed_origins.push(ORIGIN.into());
        }
    });
    let (_, ceremony) = register(
        &tenant,
        json!({ "user_profile": { "email": "h@example.com" } }),
    )
    .await;
    let created = Authenticator::new().create(&ceremony["authn_params_public_key"], ORIGIN);
    let (status, body) = tenant
        .post_json(
            "/oauth/token",
            json!({ "grant_type": WEBAUTHN_GRANT, "client_id": "other-client", "client_secret": SECRET,
                    "auth_session": ceremony["auth_session"], "authn_response": created }),
        )
        .await;
    assert_refused(status, &body, "invalid_grant", "another application");
}

#[tokio::test]
async fn my_account_needs_its_own_token_with_the_scope() {
    let tenant = passkey_tenant();
    let path = "/me/v1/authentication-methods";
    let body = json!({ "type": "passkey" });
    let (status, headers, answer) = post_bearer(&tenant, path, None, body.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_token"))
    );
    assert!(headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));

    let email = "i@example.com";
    tenant.start_email(email).await;
    let code = tenant.latest_code(email).await;
    let (_, tokens) = tenant
        .token(
            json!({ "grant_type": OTP_GRANT, "username": email, "otp": code, "realm": "email",
                       "scope": "openid offline_access", "audience": "https://api.example.com/" }),
        )
        .await;
    let api_token = tokens["access_token"].as_str().unwrap();
    let (status, headers, answer) = post_bearer(&tenant, path, Some(api_token), body.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_token"))
    );
    assert!(headers.contains_key("www-authenticate"));
    let (status, _, _) = post_bearer(&tenant, path, Some("garbage"), body.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, read_only) = tenant
        .token(
            json!({ "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
                       "audience": MY_ACCOUNT, "scope": "read:me:authentication_methods" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{read_only}");
    let read_only = read_only["access_token"].as_str().unwrap();
    let (status, _, answer) = post_bearer(&tenant, path, Some(read_only), body.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("access_denied"))
    );

    let token = my_account_token(&tenant, &tokens["refresh_token"]).await;
    let (status, _, answer) =
        post_bearer(&tenant, path, Some(&token), json!({ "type": "totp" })).await;
    assert_refused(status, &answer, "invalid_request", "passkey");
    tenant.clock.advance(86_400);
    let (status, _, answer) = post_bearer(&tenant, path, Some(&token), body).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_token"))
    );
}

#[tokio::test]
async fn an_enrolment_is_verified_once_by_its_user_for_its_method() {
    let tenant = passkey_tenant();
    let tokens = code_sign_in(&tenant, "j@example.com").await;
    let token = my_account_token(&tenant, &tokens["refresh_token"]).await;
    let (_, headers, ceremony) = post_bearer(
        &tenant,
        "/me/v1/authentication-methods",
        Some(&token),
        json!({ "type": "passkey" }),
    )
    .await;
    let location = headers["location"].to_str().unwrap();
    let verify = format!("{}/verify", location.strip_prefix(ISSUER_BASE).unwrap());
    let created = Authenticator::new().create(&ceremony["authn_params_public_key"], ORIGIN);
    let body = json!({ "auth_session": ceremony["auth_session"], "authn_response": created });

    let other = code_sign_in(&tenant, "k@example.com").await;
    let other_token = my_account_token(&tenant, &other["refresh_token"]).await;
    let (status, _, answer) = post_bearer(&tenant, &verify, Some(&other_token), body.clone()).await;
    assert_refused(
        status,
        &answer,
        "invalid_grant",
        "not an enrolment of this user",
    );
    let (status, _, answer) = post_bearer(&tenant, &verify, Some(&token), body).await;
    assert_refused(status, &answer, "invalid_grant", "already used");

    // The passkey grant does not finish an enrolment.
    let (_, _, ceremony) = post_bearer(
        &tenant,
        "/me/v1/authentication-methods",
        Some(&token),
        json!({ "type": "passkey" }),
    )
    .await;
    let created = Authenticator::new().create(&ceremony["authn_params_public_key"], ORIGIN);
    let (status, answer) = grant(&tenant, &ceremony["auth_session"], created).await;
    assert_refused(status, &answer, "invalid_grant", "My Account");
}
