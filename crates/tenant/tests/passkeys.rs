//! Passkeys end to end with a software authenticator: a sign-up then a sign-in with the
//! passkey give the same user; a code sign-in, a My Account enrolment (its token from the
//! refresh grant with the My Account audience) and a passkey sign-in give the same user; the
//! options' shapes; MFA after a passkey; the dev routes list and remove passkeys.

#[path = "common/authenticator.rs"]
mod authenticator;
mod common;
#[path = "common/passkey_flows.rs"]
mod passkey_flows;

use authenticator::Authenticator;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use passkey_flows::*;
use serde_json::json;

#[tokio::test]
async fn a_passkey_sign_up_then_sign_in_is_the_same_user() {
    let tenant = passkey_tenant();
    let (mut authenticator, tokens) = sign_up(&tenant, "ada@example.com").await;
    let claims = jwt_claims(tokens["id_token"].as_str().unwrap());
    assert!(claims["sub"].as_str().unwrap().starts_with("email|"));
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(
        claims["email_verified"], false,
        "a passkey sign-up names the address, it does not prove it"
    );
    assert!(
        tokens["refresh_token"].is_string(),
        "offline_access: {tokens}"
    );

    let (status, again) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(sub(&again), sub(&tokens));
    let (status, again) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!((status, sub(&again)), (StatusCode::OK, sub(&tokens)));
}

/// Account pre-hijacking: a stranger signs up with a passkey for someone's address before its
/// owner ever signs in. The owner's first code proves the address: the account is theirs, and
/// the stranger's passkey and tokens stop working.
#[tokio::test]
async fn proving_the_address_removes_what_a_stranger_set_up_before() {
    let tenant = passkey_tenant();
    let email = "owner@example.com";
    let (mut stranger, theirs) = sign_up(&tenant, email).await;
    let (status, body) = register(&tenant, json!({ "user_profile": { "email": email } })).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("user_exists")),
        "a second sign-up would share the account: {body}"
    );

    let owners = code_sign_in(&tenant, email).await;
    assert_eq!(sub(&owners), sub(&theirs), "the address's one account");
    let claims = jwt_claims(owners["id_token"].as_str().unwrap());
    assert_eq!(claims["email_verified"], true);

    let (status, body) = sign_in(&tenant, &mut stranger).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant")),
        "{body}"
    );
    let (status, body) = tenant
        .token(json!({ "grant_type": "refresh_token", "refresh_token": theirs["refresh_token"] }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("invalid_grant")),
        "{body}"
    );
    let (_, listed) = tenant.get(&format!("/dev/passkeys?to={email}")).await;
    assert_eq!(listed, json!([]));

    let (status, ceremony) = register(
        &tenant,
        json!({ "user_profile": { "email": "named@example.com", "name": "Mallory" } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ceremony}");
    let created = Authenticator::new().create(&ceremony["authn_params_public_key"], ORIGIN);
    let (_, named) = grant(&tenant, &ceremony["auth_session"], created).await;
    assert_eq!(
        jwt_claims(named["id_token"].as_str().unwrap())["name"],
        "Mallory"
    );
    let proven = code_sign_in(&tenant, "named@example.com").await;
    assert_eq!(
        jwt_claims(proven["id_token"].as_str().unwrap())["name"],
        "named@example.com",
        "the name came with the unproven sign-up"
    );

    // A second code keeps what the owner sets up from now on.
    let token = my_account_token(&tenant, &owners["refresh_token"]).await;
    let (mut owners_passkey, _) = enrol(&tenant, &token).await;
    code_sign_in(&tenant, email).await;
    let (status, again) = sign_in(&tenant, &mut owners_passkey).await;
    assert_eq!(
        (status, sub(&again)),
        (StatusCode::OK, sub(&owners)),
        "{again}"
    );
}

#[tokio::test]
async fn the_options_are_webauthns_json_for_a_discoverable_passkey() {
    let tenant = passkey_tenant();
    let (status, ceremony) = register(
        &tenant,
        json!({ "realm": "email", "user_profile": { "email": "Ada@Example.com", "name": "Ada" } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ceremony}");
    assert!(ceremony["auth_session"].as_str().unwrap().len() >= 32);
    let options = &ceremony["authn_params_public_key"];
    assert_eq!(
        options["rp"],
        json!({ "id": "localhost", "name": "Local tenant" })
    );
    assert_eq!(options["user"]["name"], "ada@example.com");
    assert_eq!(options["user"]["displayName"], "Ada");
    let created = Authenticator::new().create(options, ORIGIN);
    let (status, tokens) = grant(&tenant, &ceremony["auth_session"], created).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let claims = jwt_claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(
        claims["name"], "Ada",
        "user_profile.name is the user's name"
    );
    assert_eq!(options["attestation"], "none");
    assert_eq!(options["timeout"], 300_000);
    let selection = &options["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required");
    assert_eq!(selection["requireResidentKey"], true);
    assert_eq!(selection["userVerification"], "required");
    assert!(options["pubKeyCredParams"]
        .as_array()
        .unwrap()
        .contains(&json!({ "type": "public-key", "alg": -7 })));
    assert!(
        options["challenge"].as_str().unwrap().len() >= 43,
        "base64url"
    );

    let (status, ceremony) = challenge(&tenant).await;
    assert_eq!(status, StatusCode::OK, "{ceremony}");
    let options = &ceremony["authn_params_public_key"];
    assert_eq!(options["rpId"], "localhost");
    assert_eq!(options["userVerification"], "required");
    assert!(options["allowCredentials"]
        .as_array()
        .is_none_or(|a| a.is_empty()));
    assert!(options["challenge"].is_string());
}

#[tokio::test]
async fn a_code_user_adds_a_passkey_through_my_account_and_signs_in_with_it() {
    let tenant = passkey_tenant();
    let email = "grace@example.com";
    let tokens = code_sign_in(&tenant, email).await;
    let token = my_account_token(&tenant, &tokens["refresh_token"]).await;
    let claims = jwt_claims(&token);
    assert!(claims["aud"]
        .as_array()
        .unwrap()
        .contains(&json!(MY_ACCOUNT)));
    assert_eq!(claims["scope"], ENROL_SCOPE);
    assert_eq!(claims["sub"].as_str().unwrap(), sub(&tokens));

    let (mut authenticator, method) = enrol(&tenant, &token).await;
    let user_id = sub(&tokens).trim_start_matches("email|").to_owned();
    assert!(method["id"].as_str().unwrap().starts_with("passkey|"));
    assert_eq!(method["type"], "passkey");
    assert_eq!(method["usage"], json!(["primary"]));
    assert_eq!(method["key_id"], authenticator.key_id());
    assert_eq!(method["credential_device_type"], "multi_device");
    assert_eq!(method["credential_backed_up"], true);
    assert_eq!(method["identity_user_id"], user_id);
    assert!(method["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(method["user_handle"].is_string());

    let (status, signed_in) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(sub(&signed_in), sub(&tokens), "the same user");

    // A second passkey: the same user handle, and the first one excluded.
    let (status, headers, ceremony) = post_bearer(
        &tenant,
        "/me/v1/authentication-methods",
        Some(&token),
        json!({ "type": "passkey" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ceremony}");
    let location = headers["location"].to_str().unwrap();
    assert!(location.starts_with("http://127.0.0.1:8081/me/v1/authentication-methods/passkey%7C"));
    let options = &ceremony["authn_params_public_key"];
    assert_eq!(options["user"]["id"], method["user_handle"]);
    assert_eq!(
        options["excludeCredentials"][0]["id"],
        json!(authenticator.key_id())
    );
}

#[tokio::test]
async fn a_passkey_sign_up_gets_its_handle_and_can_add_a_second_passkey() {
    let tenant = passkey_tenant();
    let (first, tokens) = sign_up(&tenant, "alan@example.com").await;
    let token = my_account_token(&tenant, &tokens["refresh_token"]).await;
    let (mut second, method) = enrol(&tenant, &token).await;
    use base64::Engine;
    let handle = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&first.user_handle);
    assert_eq!(method["user_handle"], handle, "one handle per user");
    let (status, signed_in) = sign_in(&tenant, &mut second).await;
    assert_eq!((status, sub(&signed_in)), (StatusCode::OK, sub(&tokens)));
}

#[tokio::test]
async fn the_otp_grant_asks_my_account_tokens_directly() {
    let tenant = passkey_tenant();
    let email = "ida@example.com";
    tenant.start_email(email).await;
    let code = tenant.latest_code(email).await;
    let (status, tokens) = tenant
        .token(
            json!({ "grant_type": OTP_GRANT, "username": email, "otp": code, "realm": "email",
                       "scope": format!("openid {ENROL_SCOPE}"), "audience": MY_ACCOUNT }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["scope"], format!("openid {ENROL_SCOPE}"));
    let (_, method) = enrol(&tenant, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(method["type"], "passkey");
}

#[tokio::test]
async fn a_passkey_sign_in_asks_for_the_second_factor_of_a_user_who_has_one() {
    let tenant = passkey_tenant();
    let email = "mfa@example.com";
    let (mut authenticator, _) = sign_up(&tenant, email).await;
    common::mfa::dev_user(&tenant, email, json!(["otp"])).await;
    let (status, body) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "mfa_required");
    assert!(body["mfa_token"].is_string());
}

#[tokio::test]
async fn the_dev_routes_list_and_remove_passkeys() {
    let tenant = passkey_tenant();
    let email = "dev@example.com";
    let (mut authenticator, tokens) = sign_up(&tenant, email).await;
    sign_in(&tenant, &mut authenticator).await;
    sign_up(&tenant, "other@example.com").await;

    let (status, listed) = tenant.get(&format!("/dev/passkeys?to={email}")).await;
    assert_eq!(status, StatusCode::OK);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["credential_id"], authenticator.key_id());
    assert_eq!(listed[0]["user_id"], sub(&tokens));
    assert!(listed[0]["short_id"].as_str().unwrap().ends_with('…'));
    assert!(listed[0]["created_at"].is_string());
    assert!(listed[0]["last_used_at"].is_string(), "used once");
    let (_, everyone) = tenant.get("/dev/passkeys").await;
    assert_eq!(everyone.as_array().unwrap().len(), 2);

    let path = format!("/dev/passkeys/{}", authenticator.key_id());
    let delete = || Request::delete(&path).body(Body::empty()).unwrap();
    let (status, _) = tenant.send(delete()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = tenant.send(delete()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (_, listed) = tenant.get(&format!("/dev/passkeys?to={email}")).await;
    assert_eq!(listed, json!([]));

    let (status, body) = sign_in(&tenant, &mut authenticator).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "Unknown passkey.");
}

#[tokio::test]
async fn discovery_lists_the_webauthn_grant() {
    let tenant = passkey_tenant();
    let (_, configuration) = tenant.get("/.well-known/openid-configuration").await;
    assert!(configuration["grant_types_supported"]
        .as_array()
        .unwrap()
        .contains(&json!(WEBAUTHN_GRANT)));
}
