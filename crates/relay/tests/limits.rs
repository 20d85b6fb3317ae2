//! The relay's own rate limits: per IP and per identifier on start, per IP on failed token
//! calls, and SMS only to allowed countries.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn starts_are_limited_per_ip_and_per_identifier_with_retry_after() {
    let tenant = tenant().await;
    let mut config = relay_config(&tenant);
    config.limits.start_per_identifier = 2;
    config.limits.start_per_ip = 3;
    let relay = relay_with(config).await;
    let start = |email: &str| json!({ "connection": "email", "email": email, "send": "code" });
    for _ in 0..2 {
        assert_eq!(
            post_json(
                &format!("{relay}/passwordless/start"),
                start("ada@example.com")
            )
            .await
            .0,
            200
        );
    }
    let response = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .json(&start("ADA@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        429,
        "the identifier's limit, whatever its case"
    );
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 3600);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["error"],
        "too_many_requests"
    );

    // The refused start still counted against the IP: one more start, then the IP's limit.
    assert_eq!(
        post_json(
            &format!("{relay}/passwordless/start"),
            start("bob@example.com")
        )
        .await
        .0,
        429
    );
    let inbox = get_json(&format!("{tenant}/dev/inbox?to=bob@example.com")).await;
    assert_eq!(inbox, json!([]), "nothing was sent for a refused start");
}

#[tokio::test]
async fn failed_token_calls_are_limited_per_ip() {
    let tenant = tenant().await;
    let mut config = relay_config(&tenant);
    config.limits.failed_token_per_ip = 3;
    let relay = relay_with(config).await;
    let wrong = json!({ "grant_type": OTP_GRANT, "username": "ada@example.com", "otp": "000000", "realm": "email" });
    for _ in 0..3 {
        assert_eq!(
            post_json(&format!("{relay}/oauth/token"), wrong.clone())
                .await
                .0,
            403
        );
    }
    let (status, body) = post_json(&format!("{relay}/oauth/token"), wrong).await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (429, Some("too_many_requests"))
    );
}

#[tokio::test]
async fn sms_goes_only_to_allowed_country_codes() {
    let tenant = tenant().await;
    let mut config = relay_config(&tenant);
    config.sms_country_codes = vec!["44".into()];
    let relay = relay_with(config).await;
    let (status, body) = post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "connection": "sms", "phone_number": "+14155550100" }),
    )
    .await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (400, Some("bad.phone_number"))
    );
    let (status, _) = post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "connection": "sms", "phone_number": "+447700900123" }),
    )
    .await;
    assert_eq!(status, 200);
}
