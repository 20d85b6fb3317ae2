//! The relay in front of the real local tenant, and in front of an upstream that echoes what
//! it received: what passes, what is added, what is dropped.

mod common;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn an_email_code_signs_in_through_the_relay_without_the_browser_knowing_the_secret() {
    let tenant = tenant().await;
    let relay = relay_to(&tenant).await;
    let (status, body) = post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "client_id": CLIENT, "connection": "email", "email": "ada@example.com", "send": "code" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains(SECRET));
    let inbox = get_json(&format!("{tenant}/dev/inbox?to=ada@example.com")).await;
    let code = inbox[0]["code"].as_str().unwrap();

    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": OTP_GRANT, "client_id": CLIENT, "username": "ada@example.com",
                "otp": code, "realm": "email", "scope": "openid email" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains(SECRET));
    assert!(
        parse(&body)["id_token"]
            .as_str()
            .unwrap()
            .split('.')
            .count()
            == 3
    );

    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": OTP_GRANT, "username": "ada@example.com", "otp": code, "realm": "email" }),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        parse(&body),
        json!({"error": "invalid_grant", "error_description": "Wrong email or verification code."})
    );

    for path in [
        "/.well-known/jwks.json",
        "/.well-known/openid-configuration",
    ] {
        assert_eq!(
            get_json(&format!("{relay}{path}")).await,
            get_json(&format!("{tenant}{path}")).await,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_magic_link_round_trip_goes_through_the_relay() {
    let tenant = tenant().await;
    let relay = relay_to(&tenant).await;
    let (status, body) = post_json(&format!("{relay}/passwordless/start"), json!({ "connection": "email",
        "email": "ada@example.com", "send": "link",
        "authParams": { "redirect_uri": CALLBACK, "response_type": "code", "state": "st", "nonce": "nn", "scope": "openid" } })).await;
    assert_eq!(status, 200, "{body}");
    let link = get_json(&format!("{tenant}/dev/inbox?to=ada@example.com")).await[0]["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // Opening the link only shows a page (mail scanners open links too); its form posts it.
    let location = no_redirects.post(&link).send().await.unwrap().headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let code = location
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn mfa_calls_go_through_the_relay() {
    let tenant = tenant().await;
    let relay = relay_to(&tenant).await;
    let (status, _) = post_json(&format!("{tenant}/dev/users"),
        json!({ "email": "ada@example.com", "factors": ["sms"], "mfa_phone_number": "+14155550199" })).await;
    assert_eq!(status, 200);
    post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "connection": "email", "email": "ada@example.com", "send": "code" }),
    )
    .await;
    let code = get_json(&format!("{tenant}/dev/inbox?to=ada@example.com")).await[0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = post_json(&format!("{relay}/oauth/token"),
        json!({ "grant_type": OTP_GRANT, "username": "ada@example.com", "otp": code, "realm": "email" })).await;
    assert_eq!(status, 403);
    let mfa_token = parse(&body)["mfa_token"].as_str().unwrap().to_owned();

    let list: Value = reqwest::Client::new()
        .get(format!("{relay}/mfa/authenticators"))
        .bearer_auth(&mfa_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["oob_channel"], "sms");
    let (status, body) = post_json(
        &format!("{relay}/mfa/challenge"),
        json!({ "mfa_token": mfa_token, "challenge_type": "oob" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let oob_code = parse(&body)["oob_code"].as_str().unwrap().to_owned();
    let binding = get_json(&format!("{tenant}/dev/inbox?to=%2B14155550199")).await[0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": "http://auth0.com/oauth/grant-type/mfa-oob",
        "mfa_token": mfa_token, "oob_code": oob_code, "binding_code": binding }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains(SECRET));
}

/// An upstream that answers with what it was sent: the body and the forwarded-for header.
async fn echo_upstream() -> String {
    async fn echo(headers: HeaderMap, body: Bytes) -> Json<Value> {
        let forwarded = headers
            .get("auth0-forwarded-for")
            .map(|v| v.to_str().unwrap().to_owned());
        Json(
            json!({ "body": serde_json::from_slice::<Value>(&body).unwrap(), "forwarded_for": forwarded }),
        )
    }
    let router = Router::new()
        .route("/passwordless/start", post(echo))
        .route("/oauth/token", post(echo));
    format!("http://{}", serve(router).await)
}

#[tokio::test]
async fn the_browser_cannot_choose_credentials_or_its_ip() {
    let relay = relay_to(&echo_upstream().await).await;
    let response = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .header("auth0-forwarded-for", "203.0.113.9")
        .header("x-forwarded-for", "203.0.113.10")
        .json(&json!({ "client_id": "someone-else", "client_secret": "guess", "client_assertion": "jwt",
                       "connection": "email", "email": "ada@example.com", "send": "code", "junk": 1 }))
        .send()
        .await
        .unwrap();
    let echoed: Value = response.json().await.unwrap();
    assert_eq!(echoed["forwarded_for"], "127.0.0.1");
    assert_eq!(
        echoed["body"],
        json!({ "client_id": CLIENT, "client_secret": SECRET, "connection": "email",
        "email": "ada@example.com", "send": "code" })
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_ip_is_sent_upstream() {
    let mut config = relay_config(&echo_upstream().await);
    config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    let relay = relay_with(config).await;
    let echoed: Value = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .header("x-forwarded-for", "6.6.6.6, 198.51.100.4")
        .json(&json!({ "connection": "email", "email": "ada@example.com", "send": "code" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(echoed["forwarded_for"], "198.51.100.4");
}

#[tokio::test]
async fn refusals_are_in_the_wire_shape() {
    let relay = relay_to(&echo_upstream().await).await;
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": "client_credentials" }),
    )
    .await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (403, Some("unauthorized_client"))
    );
    let (status, body) = post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "connection": "email",
        "email": "a@b.co", "authParams": { "redirect_uri": "https://evil.example/" } }),
    )
    .await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (400, Some("bad.authParams"))
    );
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": "authorization_code",
        "code": "c", "redirect_uri": "https://evil.example/" }),
    )
    .await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let relay = relay_to(&echo_upstream().await).await;
    let preflight = |origin: &'static str| {
        reqwest::Client::new()
            .request(
                reqwest::Method::OPTIONS,
                format!("{relay}/mfa/authenticators"),
            )
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let allowed = preflight(ORIGIN).await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], ORIGIN);
    assert!(allowed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("authorization"));
    let other = preflight("http://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_message_language_reaches_the_tenant() {
    let tenant = tenant().await;
    let relay = relay_to(&tenant).await;
    let response = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .header("x-request-language", "fr")
        .json(&json!({ "connection": "email", "email": "ada@example.com", "send": "code" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let message = &get_json(&format!("{tenant}/dev/inbox?to=ada@example.com")).await[0];
    assert_eq!(message["language"], "fr");
}

#[tokio::test]
async fn signing_out_revokes_the_refresh_token_with_the_relays_secret() {
    let tenant = tenant().await;
    let relay = relay_to(&tenant).await;
    let email = "rita@example.com";
    let (status, _) = post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "connection": "email", "email": email, "send": "code" }),
    )
    .await;
    assert_eq!(status, 200);
    let inbox = get_json(&format!("{tenant}/dev/inbox?to={email}")).await;
    let code = inbox[0]["code"].as_str().unwrap();
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": OTP_GRANT, "username": email, "otp": code, "realm": "email",
                "scope": "openid email offline_access" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let refresh_token = parse(&body)["refresh_token"].as_str().unwrap().to_owned();
    let token_url = format!("{relay}/oauth/token");
    let refresh = || {
        post_json(
            &token_url,
            json!({ "grant_type": "refresh_token", "refresh_token": refresh_token }),
        )
    };
    assert_eq!(refresh().await.0, 200, "the token works before sign-out");

    let (status, body) = post_json(
        &format!("{relay}/oauth/revoke"),
        json!({ "token": refresh_token, "client_secret": "guess", "token_type_hint": "x" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains(SECRET));
    let (status, body) = refresh().await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(parse(&body)["error"], "invalid_grant");

    let (status, body) = post_json(&format!("{relay}/oauth/revoke"), json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(parse(&body)["error"], "invalid_request");
}
