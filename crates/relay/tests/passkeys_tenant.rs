//! The passkey calls through the relay to the real local tenant: each answers as the tenant
//! does, with the relay's secret added and never echoed. (No real authenticator signs here:
//! the credentials are bogus, so the ceremonies end in the tenant's refusals, passed through.)

mod common;

use common::*;
use serde_json::{json, Value};

const WEBAUTHN_GRANT: &str = "urn:okta:params:oauth:grant-type:webauthn";
const METHODS: &str = "/me/v1/authentication-methods";

/// A tenant whose demo client may use passkeys on [`PASSKEY_ORIGIN`].
async fn passkey_tenant() -> String {
    tenant_for(&[ORIGIN, PASSKEY_ORIGIN]).await
}

/// A credential of the right shape that no authenticator made.
fn bogus_credential() -> Value {
    json!({"id": "Ym9ndXM", "rawId": "Ym9ndXM", "type": "public-key",
           "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA",
                        "attestationObject": "AAAA", "userHandle": "AAAA"},
           "clientExtensionResults": {}})
}

/// POSTs JSON with an optional bearer: the status, the `Location` and the raw body.
async fn post(url: &str, bearer: Option<&str>, body: Value) -> (u16, Option<String>, String) {
    let mut request = reqwest::Client::new().post(url).json(&body);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        response.status().as_u16(),
        location,
        response.text().await.unwrap(),
    )
}

fn assert_ceremony(body: &str) -> Value {
    assert!(!body.contains(SECRET), "{body}");
    let answer = parse(body);
    assert!(
        answer["auth_session"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "{body}"
    );
    assert!(
        answer["authn_params_public_key"]["challenge"].is_string(),
        "{body}"
    );
    answer
}

#[tokio::test]
async fn a_passkey_sign_up_and_sign_in_answer_through_the_relay() {
    let tenant = passkey_tenant().await;
    let relay = relay_to(&tenant).await;
    let (status, _, body) = post(
        &format!("{relay}/passkey/register"),
        None,
        json!({"realm": "email", "user_profile": {"email": "newcomer@example.com", "name": "New"},
               "client_secret": "guess"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let sign_up = assert_ceremony(&body);
    assert!(
        sign_up["authn_params_public_key"]["user"].is_object(),
        "{body}"
    );

    let (status, _, body) = post(
        &format!("{relay}/passkey/challenge"),
        None,
        json!({"realm": "email"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let sign_in = assert_ceremony(&body);

    for ceremony in [&sign_up, &sign_in] {
        let (status, _, body) = post(
            &format!("{relay}/oauth/token"),
            None,
            json!({"grant_type": WEBAUTHN_GRANT, "auth_session": ceremony["auth_session"],
                   "authn_response": bogus_credential(), "realm": "email", "scope": "openid"}),
        )
        .await;
        assert_eq!(
            (status, parse(&body)["error"].as_str()),
            (400, Some("invalid_grant")),
            "{body}"
        );
        assert!(!body.contains(SECRET));
    }
}

/// Signs `email` in with a code through the relay: its refresh token.
async fn signed_in(relay: &str, tenant: &str, email: &str) -> String {
    let (status, body) = post_json(
        &format!("{relay}/passwordless/start"),
        json!({"connection": "email", "email": email, "send": "code"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let inbox = get_json(&format!("{tenant}/dev/inbox?to={email}")).await;
    let code = inbox[0]["code"].as_str().unwrap();
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({"grant_type": OTP_GRANT, "username": email, "otp": code, "realm": "email",
               "scope": "openid email offline_access"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    parse(&body)["refresh_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_sign_up_for_an_existing_account_is_the_tenants_user_exists() {
    let tenant = passkey_tenant().await;
    let relay = relay_to(&tenant).await;
    signed_in(&relay, &tenant, "ada@example.com").await;
    let (status, _, body) = post(
        &format!("{relay}/passkey/register"),
        None,
        json!({"realm": "email", "user_profile": {"email": "Ada@Example.com"}}),
    )
    .await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (400, Some("user_exists")),
        "{body}"
    );
}

#[tokio::test]
async fn a_passkey_is_enrolled_through_the_relay_with_the_users_my_account_token() {
    let tenant = passkey_tenant().await;
    let relay = relay_to(&tenant).await;
    let enrol = format!("{relay}{METHODS}");
    let passkey = json!({"type": "passkey"});

    let (status, _, body) = post(&enrol, None, passkey.clone()).await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (401, Some("invalid_token"))
    );
    let (status, _, body) = post(&enrol, Some("not-a-token"), passkey.clone()).await;
    assert_eq!(status, 401, "the tenant's refusal: {body}");
    let refusal = parse(&body);
    assert!(refusal["error"].is_string(), "{body}");
    assert!(
        !refusal["error_description"]
            .as_str()
            .unwrap_or("")
            .starts_with("Send the user's"),
        "the tenant's words, not the relay's: {body}"
    );

    // A My Account token from the refresh token, for the My Account audience.
    let refresh_token = signed_in(&relay, &tenant, "rita@example.com").await;
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({"grant_type": "refresh_token", "refresh_token": refresh_token,
               "audience": format!("{tenant}/me/"), "scope": "create:me:authentication_methods"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access_token = parse(&body)["access_token"].as_str().unwrap().to_owned();

    let (status, location, body) = post(&enrol, Some(&access_token), passkey).await;
    assert_eq!(status, 201, "{body}");
    let enrolment = assert_ceremony(&body);
    let location = location.expect("the new method's Location");
    let id = location
        .strip_prefix("authentication-methods/")
        .unwrap_or_else(|| panic!("relative to the enrolment: {location}"));
    assert!(id.starts_with("passkey%7C"), "{location}");
    assert!(
        !location.contains(&tenant[7..]),
        "no upstream origin: {location}"
    );

    let (status, _, body) = post(
        &format!("{relay}{METHODS}/{id}/verify"),
        Some(&access_token),
        json!({"auth_session": enrolment["auth_session"], "authn_response": bogus_credential()}),
    )
    .await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (400, Some("invalid_grant")),
        "the tenant's refusal of a bogus passkey: {body}"
    );
    let (status, _, _) = post(
        &format!("{relay}{METHODS}/{id}/verify"),
        Some("not-a-token"),
        json!({"auth_session": "s", "authn_response": bogus_credential()}),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn the_call_after_the_limit_from_one_client_is_the_relays_429() {
    let tenant = passkey_tenant().await;
    let mut config = relay_config(&tenant);
    config.limits.start_per_ip = 2;
    let relay = relay_with(config).await;
    let register = |email: &str| json!({"realm": "email", "user_profile": {"email": email}});
    let (status, _, body) = post(&format!("{relay}/passkey/challenge"), None, json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = post(
        &format!("{relay}/passkey/register"),
        None,
        register("one@example.com"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for (path, body) in [
        ("/passkey/challenge", json!({})),
        ("/passkey/register", register("two@example.com")),
    ] {
        let (status, _, body) = post(&format!("{relay}{path}"), None, body).await;
        assert_eq!(
            (status, parse(&body)["error"].as_str()),
            (429, Some("too_many_requests")),
            "{path}"
        );
    }
}
