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

/// Starts as `client` says through the trusted proxy (this test), for `email`.
async fn start_from(relay: &str, client: &str, email: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .header("x-forwarded-for", client)
        .json(&json!({ "connection": "email", "email": email, "send": "code" }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn ipv6_clients_are_limited_by_their_slash_64_ipv4_by_address() {
    let tenant = tenant().await;
    let mut config = relay_config(&tenant);
    config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    config.limits.start_per_ip = 2;
    let relay = relay_with(config).await;
    let mut statuses = Vec::new();
    for (n, client) in [
        "2001:db8:1:2::1",
        "2001:db8:1:2:ffff:ffff:ffff:fffe",
        "2001:db8:1:2:abcd::3",
        "2001:db8:1:3::1",
        "203.0.113.7",
        "203.0.113.7",
        "203.0.113.7",
        "203.0.113.8",
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("user{n}@example.com");
        statuses.push(start_from(&relay, client, &email).await.status().as_u16());
    }
    assert_eq!(
        statuses,
        [200, 200, 429, 200, 200, 200, 429, 200],
        "a /64 is one client; an IPv4 address is one client"
    );
}

#[tokio::test]
async fn retry_after_is_when_the_next_cell_comes_back() {
    let tenant = tenant().await;
    let mut config = relay_config(&tenant);
    config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    config.limits.start_per_ip = 2;
    let relay = relay_with(config).await;
    for email in ["a@example.com", "b@example.com"] {
        assert_eq!(
            start_from(&relay, "198.51.100.1", email).await.status(),
            200
        );
    }
    let refused = start_from(&relay, "198.51.100.1", "c@example.com").await;
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // 2 per hour: the first cell comes back 30 minutes after it was taken, not at the hour.
    assert!((1799..=1800).contains(&retry), "{retry}");
}
