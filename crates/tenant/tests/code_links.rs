//! Code links: with a client's `code_link_url`, a code message also carries
//! `{code_link_url}#otp=<code>&email=<address>` (or `&phone_number=`), for the app's own page
//! to sign in with on any device. The code stays the same one-time code.

mod common;

use axum::http::StatusCode;
use common::*;
use passwordless_tenant::config_file;
use serde_json::{json, Value};

const PAGE: &str = "http://localhost:8080/";

fn with_code_links() -> TestTenant {
    TestTenant::with(|config| config.clients[0].code_link_url = Some(PAGE.into()))
}

/// The link's fragment, decoded, in order.
fn fragment(link: &str) -> Vec<(String, String)> {
    let (page, fragment) = link.split_once('#').expect("a fragment");
    assert_eq!(page, PAGE);
    url::form_urlencoded::parse(fragment.as_bytes())
        .into_owned()
        .collect()
}

#[tokio::test]
async fn an_email_code_comes_with_a_link_to_the_apps_page() {
    let tenant = with_code_links();
    let (status, body) = tenant
        .start(json!({ "connection": "email", "email": "Ada+Tag@Example.com", "send": "code" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let message = tenant.latest_message("ada+tag@example.com").await;
    assert_eq!(message["kind"], "code");
    let code = message["code"].as_str().expect("the code is still there");
    let link = message["link"].as_str().expect("a code link");
    assert_eq!(
        link,
        format!("http://localhost:8080/#otp={code}&email=ada%2Btag%40example.com")
    );
    assert_eq!(
        fragment(link),
        [
            ("otp".to_owned(), code.to_owned()),
            ("email".to_owned(), "ada+tag@example.com".to_owned())
        ]
    );
    let body = message["body"].as_str().unwrap();
    assert!(body.contains(code), "{body}");
    assert!(
        body.contains(&format!("Or open this link on any device: {link}")),
        "{body}"
    );

    // The link's code is the code: it signs in once.
    let grant = json!({ "grant_type": OTP_GRANT, "username": "ada+tag@example.com",
                        "otp": code, "realm": "email", "scope": "openid" });
    let (status, tokens) = tenant.token(grant.clone()).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let (status, _) = tenant.token(grant).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "used once");
}

#[tokio::test]
async fn an_sms_code_comes_with_a_link_and_still_ends_with_the_webotp_line() {
    let tenant = with_code_links();
    let phone = "+14155550123";
    let (status, body) = tenant
        .start(json!({ "connection": "sms", "phone_number": phone, "send": "code" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let message = tenant.latest_message(phone).await;
    let code = message["code"].as_str().unwrap();
    let link = message["link"].as_str().unwrap();
    assert_eq!(
        link,
        format!("http://localhost:8080/#otp={code}&phone_number=%2B14155550123")
    );
    assert_eq!(
        fragment(link),
        [
            ("otp".to_owned(), code.to_owned()),
            ("phone_number".to_owned(), phone.to_owned())
        ]
    );
    let body = message["body"].as_str().unwrap();
    assert!(body.contains(link), "{body}");
    assert!(
        body.ends_with(&format!("@127.0.0.1 #{code}")),
        "the WebOTP line stays last: {body}"
    );
}

#[tokio::test]
async fn the_link_line_is_in_the_messages_language() {
    let tenant = with_code_links();
    for (language, line) in [
        ("fr", "Ou ouvrez ce lien sur n'importe quel appareil : "),
        ("es", "O abre este enlace en cualquier dispositivo: "),
    ] {
        let email = format!("{language}@example.com");
        let (status, _) = tenant
            .send(
                axum::http::Request::post("/passwordless/start")
                    .header("content-type", "application/json")
                    .header("x-request-language", language)
                    .body(axum::body::Body::from(
                        json!({ "client_id": CLIENT, "client_secret": SECRET,
                                "connection": "email", "email": email, "send": "code" })
                        .to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let message = tenant.latest_message(&email).await;
        let link = message["link"].as_str().unwrap();
        assert!(
            message["body"]
                .as_str()
                .unwrap()
                .contains(&format!("{line}{link}")),
            "{message}"
        );
    }
}

#[tokio::test]
async fn without_the_setting_a_code_message_has_no_link() {
    let tenant = TestTenant::new();
    tenant.start_email("ada@example.com").await;
    let message = tenant.latest_message("ada@example.com").await;
    assert_eq!(message["link"], Value::Null);
    assert!(!message["body"].as_str().unwrap().contains("http"));
    assert_eq!(tenant.latest_code("ada@example.com").await.len(), 6);
}

#[tokio::test]
async fn a_magic_link_is_unchanged_by_the_setting() {
    let tenant = with_code_links();
    tenant
        .start(json!({ "connection": "email", "email": "ada@example.com", "send": "link" }))
        .await;
    let message = tenant.latest_message("ada@example.com").await;
    assert_eq!(message["kind"], "link");
    assert_eq!(message["code"], Value::Null);
    let link = message["link"].as_str().unwrap();
    assert!(
        link.starts_with("http://127.0.0.1:8081/passwordless/verify_redirect?"),
        "{link}"
    );
}

/// The client's `code_link_url` from a file that sets it, or the error's line and reason.
fn config_with(code_link_url: &str) -> Result<Option<String>, (usize, String)> {
    let text =
        format!("[[clients]]\nclient_id = \"my-app\"\ncode_link_url = \"{code_link_url}\"\n");
    match config_file::parse(&text, "http://127.0.0.1:8081") {
        Ok(config) => Ok(config.client("my-app").unwrap().code_link_url.clone()),
        Err((offset, reason)) => Err((text[..offset].matches('\n').count() + 1, reason)),
    }
}

#[test]
fn the_config_file_sets_it_and_refuses_a_fragment_in_it() {
    assert_eq!(
        config_with("https://app.example.com/signin")
            .unwrap()
            .as_deref(),
        Some("https://app.example.com/signin")
    );
    let (line, reason) = config_with("https://app.example.com/#signin").unwrap_err();
    assert_eq!(line, 3, "the error points at the value");
    assert!(
        reason.contains("code_link_url") && reason.contains("'#'"),
        "{reason}"
    );
    let (_, reason) = config_with("app.example.com").unwrap_err();
    assert!(reason.contains("http(s) URL"), "{reason}");
    let text = "[[clients]]\nclient_id = \"my-app\"\n";
    let config = config_file::parse(text, "http://127.0.0.1:8081").unwrap();
    assert_eq!(config.client("my-app").unwrap().code_link_url, None);
}
