//! Helpers of the MFA suites: dev users with factors, first factors that end in `mfa_required`,
//! and TOTP codes from the independent `totp-rs` crate.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

use super::*;

pub const MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const MFA_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";
pub const NOW: u64 = 1_795_626_834;

pub fn totp_at(secret: &str, unix: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes).generate(unix)
}

pub async fn dev_user(tenant: &TestTenant, email: &str, factors: Value) -> Value {
    let (status, user) = tenant
        .post_json(
            "/dev/users",
            json!({ "email": email, "factors": factors, "mfa_phone_number": "+14155550199" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    user
}

/// Passes the first factor, expecting `mfa_required`; answers the whole error body.
pub async fn first_factor(tenant: &TestTenant, email: &str) -> Value {
    tenant.start_email(email).await;
    let code = tenant.latest_code(email).await;
    let (status, body) = tenant.verify_email(email, &code).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "mfa_required");
    assert_eq!(
        body["error_description"],
        "Multifactor authentication required"
    );
    body
}

pub async fn mfa_token(tenant: &TestTenant, email: &str) -> String {
    first_factor(tenant, email).await["mfa_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn bearer(
    tenant: &TestTenant,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
        .unwrap();
    tenant.send(request).await
}

pub async fn challenge(tenant: &TestTenant, token: &str, body: Value) -> (StatusCode, Value) {
    let mut full = json!({ "client_id": CLIENT, "client_secret": SECRET, "mfa_token": token });
    for (k, v) in body.as_object().unwrap() {
        full[k] = v.clone();
    }
    tenant.post_json("/mfa/challenge", full).await
}
