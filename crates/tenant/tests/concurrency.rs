//! The code policy under concurrency: of many simultaneous verifies of one code exactly one
//! succeeds, and simultaneous wrong tries cannot overspend the budget.

mod common;

use axum::http::StatusCode;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_fifty_concurrent_verifies_of_one_code_exactly_one_succeeds() {
    let tenant = std::sync::Arc::new(TestTenant::new());
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let tenant = tenant.clone();
            let code = code.clone();
            tokio::spawn(async move { tenant.verify_email("ada@example.com", &code).await.0 })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => ok += 1,
            // The replays fail, and once ten have, brute-force protection answers instead.
            StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(ok, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_wrong_tries_cannot_exceed_the_budget() {
    let tenant = std::sync::Arc::new(TestTenant::new());
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // Nine: below the ten failures that would trigger brute-force protection.
    let tasks: Vec<_> = (0..9)
        .map(|_| {
            let tenant = tenant.clone();
            tokio::spawn(async move { tenant.verify_email("ada@example.com", wrong).await.1 })
        })
        .collect();
    let mut plain_wrong = 0;
    for task in tasks {
        if task.await.unwrap()["error_description"] == "Wrong email or verification code." {
            plain_wrong += 1;
        }
    }
    assert_eq!(
        plain_wrong, 2,
        "only max_tries - 1 wrong tries are answered as merely wrong"
    );
    let (status, body) = tenant.verify_email("ada@example.com", &code).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the right code is dead after the budget: {body}"
    );
}
