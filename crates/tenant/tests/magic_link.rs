//! Magic links: `send: "link"`, `GET /passwordless/verify_redirect`, and the authorization
//! code they hand out.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};

const EMAIL: &str = "ada@example.com";

fn query_of(location: &str, separator: char) -> Vec<(String, String)> {
    let (_, query) = location
        .split_once(separator)
        .expect("parameters in the redirect");
    serde_urlencoded::from_str(query).unwrap()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

async fn send_link(tenant: &TestTenant, auth_params: Value) -> String {
    let (status, body) = tenant
        .start(json!({ "connection": "email", "email": EMAIL, "send": "link", "authParams": auth_params }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let message = tenant.latest_message(EMAIL).await;
    assert_eq!(message["kind"], "link");
    assert_eq!(message["code"], Value::Null);
    message["link"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn without_send_a_link_is_sent_carrying_the_auth_params() {
    let tenant = TestTenant::new();
    let (status, _) = tenant
        .start(json!({ "connection": "email", "email": EMAIL }))
        .await;
    assert_eq!(status, StatusCode::OK);
    let message = tenant.latest_message(EMAIL).await;
    assert_eq!(
        message["kind"], "link",
        "Auth0 sends a link when send is absent"
    );

    let link = send_link(
        &tenant,
        json!({ "scope": "openid email", "state": "s1", "nonce": "n1",
                                          "redirect_uri": CALLBACK, "response_type": "code" }),
    )
    .await;
    assert!(
        link.starts_with("http://127.0.0.1:8081/passwordless/verify_redirect?"),
        "{link}"
    );
    let params = query_of(&link, '?');
    for (name, value) in [
        ("client_id", CLIENT),
        ("connection", "email"),
        ("email", EMAIL),
        ("state", "s1"),
        ("nonce", "n1"),
        ("redirect_uri", CALLBACK),
        ("scope", "openid email"),
    ] {
        assert_eq!(param(&params, name), Some(value), "{name}");
    }
    assert_eq!(param(&params, "verification_code").unwrap().len(), 6);
}

#[tokio::test]
async fn a_code_link_redirects_with_a_single_use_authorization_code() {
    let tenant = TestTenant::new();
    let link = send_link(&tenant, json!({ "scope": "openid email offline_access", "state": "xyz",
                                          "nonce": "n-123", "redirect_uri": CALLBACK, "response_type": "code" })).await;
    let (status, location) = tenant.follow(&link).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(location.starts_with(&format!("{CALLBACK}?")), "{location}");
    let params = query_of(&location, '?');
    assert_eq!(param(&params, "state"), Some("xyz"));
    let code = param(&params, "code").unwrap().to_owned();

    let exchange =
        json!({ "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK });
    let (status, tokens) = tenant.token(exchange.clone()).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let claims = jwt_claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["nonce"], "n-123");
    assert_eq!(claims["email"], EMAIL);
    assert!(
        tokens["refresh_token"].is_string(),
        "offline_access gives a refresh token"
    );

    let (status, body) = tenant.token(exchange).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a code works once");
    assert_eq!(body["error"], "invalid_grant");

    let (_, again) = tenant.follow(&link).await;
    assert!(
        again.contains("error=access_denied"),
        "a link works once: {again}"
    );
}

#[tokio::test]
async fn an_authorization_code_is_bound_to_its_redirect_uri_and_is_short_lived() {
    let tenant = TestTenant::new();
    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "code" }),
    )
    .await;
    let (_, location) = tenant.follow(&link).await;
    let code = param(&query_of(&location, '?'), "code").unwrap().to_owned();
    let (status, body) = tenant
        .token(json!({ "grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1:8080/other" }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("invalid_grant"))
    );

    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "code" }),
    )
    .await;
    let (_, location) = tenant.follow(&link).await;
    let code = param(&query_of(&location, '?'), "code").unwrap().to_owned();
    tenant.clock.advance(61);
    let (status, body) = tenant
        .token(
            json!({ "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK }),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn implicit_links_put_tokens_in_the_fragment() {
    let tenant = TestTenant::new();
    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "token id_token",
                                          "nonce": "n9", "state": "st" }),
    )
    .await;
    let (status, location) = tenant.follow(&link).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(location.starts_with(&format!("{CALLBACK}#")), "{location}");
    let params = query_of(&location, '#');
    assert_eq!(param(&params, "token_type"), Some("Bearer"));
    assert_eq!(param(&params, "state"), Some("st"));
    assert!(param(&params, "access_token").is_some());
    assert_eq!(
        jwt_claims(param(&params, "id_token").unwrap())["nonce"],
        "n9"
    );

    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "id_token", "state": "st" }),
    )
    .await;
    let (_, location) = tenant.follow(&link).await;
    let params = query_of(&location, '#');
    assert_eq!(
        param(&params, "error"),
        Some("invalid_request"),
        "id_token needs a nonce"
    );
}

#[tokio::test]
async fn a_wrong_or_expired_link_redirects_with_access_denied() {
    let tenant = TestTenant::new();
    let link = send_link(&tenant, json!({ "redirect_uri": CALLBACK, "state": "s" })).await;
    let code = param(&query_of(&link, '?'), "verification_code")
        .unwrap()
        .to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let tampered = link.replace(
        &format!("verification_code={code}"),
        &format!("verification_code={wrong}"),
    );
    let (status, location) = tenant.follow(&tampered).await;
    assert_eq!(status, StatusCode::FOUND);
    let params = query_of(&location, '?');
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert_eq!(param(&params, "state"), Some("s"));

    tenant.clock.advance(180);
    let (_, location) = tenant.follow(&link).await;
    let params = query_of(&location, '?');
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert!(param(&params, "error_description")
        .unwrap()
        .contains("expired"));
}

#[tokio::test]
async fn an_unregistered_redirect_uri_is_never_redirected_to() {
    let tenant = TestTenant::new();
    let link = send_link(
        &tenant,
        json!({ "redirect_uri": "https://evil.example/steal" }),
    )
    .await;
    let (status, page) = tenant.follow(&link).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("registered callbacks"), "{page}");
    assert!(!page.contains("evil.example/steal?"));
}

#[tokio::test]
async fn a_client_without_the_grant_is_refused() {
    let tenant = TestTenant::with(|config| {
        config.clients[0].grant_types = vec![OTP_GRANT.into()];
    });
    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "code" }),
    )
    .await;
    let (_, location) = tenant.follow(&link).await;
    assert_eq!(
        param(&query_of(&location, '?'), "error"),
        Some("unauthorized_client")
    );
    let (status, body) = tenant
        .token(json!({ "grant_type": "authorization_code", "code": "x", "redirect_uri": CALLBACK }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("unauthorized_client"))
    );
}
