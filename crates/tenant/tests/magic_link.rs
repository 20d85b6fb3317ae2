//! Magic links: `send: "link"`, `/passwordless/verify_redirect` (a confirmation page on `GET`
//! and `HEAD` that uses nothing up, the sign-in on `POST`), and the authorization code they
//! hand out.

mod common;

use axum::http::{HeaderMap, StatusCode};
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
    assert_eq!(status, StatusCode::SEE_OTHER);
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
    assert_eq!(status, StatusCode::SEE_OTHER);
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
    assert_eq!(status, StatusCode::SEE_OTHER);
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

#[tokio::test]
async fn opening_a_link_uses_nothing_up_until_continue_is_pressed() {
    let tenant = TestTenant::new();
    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "code", "state": "st" }),
    )
    .await;
    // A mail scanner, and then the user on two devices.
    for method in ["HEAD", "GET", "HEAD", "GET", "GET"] {
        let (status, headers, _) = tenant.open_link(&link, method).await;
        assert_eq!(status, StatusCode::OK, "{method}");
        assert!(
            headers.get("location").is_none(),
            "{method} never redirects"
        );
    }
    let (status, location) = tenant.follow(&link).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let params = query_of(&location, '?');
    assert_eq!(param(&params, "state"), Some("st"));
    let code = param(&params, "code").expect("signed in").to_owned();
    let (status, tokens) = tenant
        .token(
            json!({ "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
}

fn assert_private_page(headers: &HeaderMap) {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    assert!(header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"));
    assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    let policy = header("content-security-policy").expect("a CSP");
    for directive in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    assert!(!policy.contains("script-src"), "{policy}");
}

#[tokio::test]
async fn the_confirmation_page_is_private_and_only_offers_a_button() {
    let tenant = TestTenant::new();
    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "code", "state": "a\"b<c>&d'e" }),
    )
    .await;
    let (status, headers, page) = tenant.open_link(&link, "GET").await;
    assert_eq!(status, StatusCode::OK);
    assert_private_page(&headers);
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("<title>Sign in</title>"), "{page}");
    assert!(
        page.contains("Continue signing in to demo-client"),
        "{page}"
    );
    assert!(
        page.contains("<button type=\"submit\">Continue</button>"),
        "{page}"
    );
    for absent in [
        "<script", "src=", "href=", "<a ", "<iframe", "<img", "<link",
    ] {
        assert!(!page.contains(absent), "{absent} in {page}");
    }
    // The form carries exactly the link's parameters, and nothing but the form holds them.
    let (_, form_fields) = link_form(&page);
    let mut from_link = query_of(&link, '?');
    from_link.sort();
    let mut form_fields = form_fields;
    form_fields.sort();
    assert_eq!(form_fields, from_link);
    let code = param(&from_link, "verification_code").unwrap();
    assert_eq!(
        page.matches(code).count(),
        1,
        "the code appears once, in the form"
    );

    let (status, head_headers, body) = tenant.open_link(&link, "HEAD").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_empty(), "HEAD has no body");
    assert_private_page(&head_headers);
    assert_eq!(
        head_headers.get("content-security-policy"),
        headers.get("content-security-policy")
    );

    // Awkward characters survive the page.
    let (_, location) = tenant.follow(&link).await;
    assert_eq!(
        param(&query_of(&location, '?'), "state"),
        Some("a\"b<c>&d'e")
    );
}

#[tokio::test]
async fn continue_works_once() {
    let tenant = TestTenant::new();
    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "code", "state": "s" }),
    )
    .await;
    let (_, _, page) = tenant.open_link(&link, "GET").await;
    let (_, fields) = link_form(&String::from_utf8(page).unwrap());

    let (status, location) = tenant.submit_link(&fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        param(&query_of(&location, '?'), "code").is_some(),
        "{location}"
    );

    let (status, location) = tenant.submit_link(&fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let params = query_of(&location, '?');
    assert_eq!(param(&params, "error"), Some("access_denied"), "{location}");
    assert_eq!(param(&params, "state"), Some("s"));
    assert!(param(&params, "code").is_none());

    // Opening it again still shows the page; pressing Continue then fails the same way.
    let (status, again) = tenant.follow(&link).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(again.contains("error=access_denied"), "{again}");
}

#[tokio::test]
async fn a_post_of_the_link_itself_signs_in_too() {
    let tenant = TestTenant::new();
    let link = send_link(
        &tenant,
        json!({ "redirect_uri": CALLBACK, "response_type": "code" }),
    )
    .await;
    let path = link.strip_prefix(ISSUER_BASE).unwrap();
    let (status, headers, _) = tenant
        .send_raw(
            axum::http::Request::post(path)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!("{CALLBACK}?code=")),
        "{location}"
    );
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
}

#[tokio::test]
async fn an_unknown_application_gets_the_error_page_on_get_too() {
    let tenant = TestTenant::new();
    let (status, headers, page) = tenant
        .open_link(
            "/passwordless/verify_redirect?client_id=nobody&verification_code=1",
            "GET",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_private_page(&headers);
    assert!(String::from_utf8(page).unwrap().contains("does not know"));
}
