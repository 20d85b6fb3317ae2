//! The email one-time-code flow of the contract, end to end through the tenant's router.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use common::*;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde_json::{json, Value};

fn b64json(part: &str) -> Value {
    serde_json::from_slice(&B64URL.decode(part).unwrap()).unwrap()
}

#[tokio::test]
async fn a_code_from_the_inbox_signs_the_user_in_with_a_verifiable_id_token() {
    let tenant = TestTenant::new();
    let (status, started) = tenant.start_email("Ada@Example.com").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(started["email"], "ada@example.com");
    assert_eq!(started["email_verified"], false);
    assert_eq!(started["_id"].as_str().unwrap().len(), 24);

    let (_, inbox) = tenant.get("/dev/inbox?to=ada@example.com").await;
    let message = &inbox[0];
    assert_eq!(message["channel"], "email");
    assert_eq!(message["kind"], "code");
    assert_eq!(message["to"], "ada@example.com");
    assert_eq!(message["link"], Value::Null);
    assert_eq!(message["created_at"], "2026-11-25T17:13:54Z");
    let code = message["code"].as_str().unwrap();
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );

    let (status, tokens) = tenant.verify_email("ada@example.com", code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 86400);
    assert_eq!(tokens["scope"], "openid profile email");

    let id_token = tokens["id_token"].as_str().unwrap();
    let parts: Vec<&str> = id_token.split('.').collect();
    let header = b64json(parts[0]);
    let claims = b64json(parts[1]);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(claims["iss"], "http://127.0.0.1:8081/");
    assert_eq!(claims["aud"], CLIENT);
    assert_eq!(
        claims["sub"],
        format!("email|{}", started["_id"].as_str().unwrap())
    );
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["iat"], 1_795_626_834u64);
    assert_eq!(claims["exp"], 1_795_626_834u64 + 86_400);

    // The signature verifies with the published key named by `kid`.
    let (_, jwks) = tenant.get("/.well-known/jwks.json").await;
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("kid in the JWKS");
    let n = B64URL.decode(jwk["n"].as_str().unwrap()).unwrap();
    let e = B64URL.decode(jwk["e"].as_str().unwrap()).unwrap();
    let key = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e)).unwrap();
    let signature = Signature::try_from(B64URL.decode(parts[2]).unwrap().as_slice()).unwrap();
    VerifyingKey::<sha2::Sha256>::new(key)
        .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
        .expect("the ID token's signature verifies");

    let (_, discovery) = tenant.get("/.well-known/openid-configuration").await;
    assert_eq!(discovery["issuer"], claims["iss"]);
    assert_eq!(
        discovery["jwks_uri"],
        "http://127.0.0.1:8081/.well-known/jwks.json"
    );
}

#[tokio::test]
async fn a_code_works_once_and_only_the_latest_is_valid() {
    let tenant = TestTenant::new();
    tenant.start_email("ada@example.com").await;
    let first = tenant.latest_code("ada@example.com").await;
    tenant.start_email("ada@example.com").await;
    let second = tenant.latest_code("ada@example.com").await;
    if first != second {
        let (status, body) = tenant.verify_email("ada@example.com", &first).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            body["error_description"],
            "Wrong email or verification code."
        );
    }
    let (status, _) = tenant.verify_email("ada@example.com", &second).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = tenant.verify_email("ada@example.com", &second).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "Wrong email or verification code."})
    );
}

#[tokio::test]
async fn a_code_expires_after_three_minutes() {
    let tenant = TestTenant::new();
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    tenant.clock.advance(180);
    let (status, body) = tenant.verify_email("ada@example.com", &code).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error_description"],
        "The verification code has expired. Please try to login again."
    );
}

#[tokio::test]
async fn three_wrong_tries_kill_the_code() {
    let tenant = TestTenant::new();
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..2 {
        let (_, body) = tenant.verify_email("ada@example.com", wrong).await;
        assert_eq!(
            body["error_description"],
            "Wrong email or verification code."
        );
    }
    let maxed = "You've reached the maximum number of attempts. Please try to login again.";
    let (_, body) = tenant.verify_email("ada@example.com", wrong).await;
    assert_eq!(body["error_description"], maxed);
    let (status, body) = tenant.verify_email("ada@example.com", &code).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error_description"], maxed);
}

#[tokio::test]
async fn the_token_endpoint_takes_a_form_body_too() {
    let tenant = TestTenant::new();
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    let form = format!(
        "grant_type={}&client_id={CLIENT}&client_secret={SECRET}&username=ada%40example.com&otp={code}&realm=email",
        OTP_GRANT.replace(':', "%3A").replace('/', "%2F")
    );
    let request = Request::post("/oauth/token")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let (status, tokens) = tenant.send(request).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert!(tokens["id_token"].is_string());
}

#[tokio::test]
async fn start_errors_follow_the_contract() {
    let tenant = TestTenant::new();
    let base = json!({ "client_id": CLIENT, "client_secret": SECRET, "connection": "email",
                       "email": "ada@example.com", "send": "code" });
    let with = |changes: Value| {
        let mut body = base.clone();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body
    };
    let cases = [
        (
            json!({"client_id": null}),
            400,
            "bad.client_id",
            "Missing required property: client_id",
        ),
        (
            json!({"connection": null}),
            400,
            "bad.connection",
            "Missing required property: connection",
        ),
        (
            json!({"connection": "github"}),
            400,
            "bad.connection",
            "Connection does not exist",
        ),
        (
            json!({"email": null}),
            400,
            "bad.email",
            "Missing required property: email",
        ),
        (
            json!({"email": "not-an-email"}),
            400,
            "bad.email",
            "Object didn't pass validation for format email: not-an-email",
        ),
        (
            json!({"authParams": "x"}),
            400,
            "bad.authParams",
            "error in authParams - invalid type: string (expected object)",
        ),
        (
            json!({"extra": 1, "other": 2}),
            400,
            "bad.request",
            "the following properties are not allowed: extra, other",
        ),
        (
            json!({"connection": "sms", "email": null}),
            400,
            "bad.phone_number",
            "Missing required property: phone_number",
        ),
        (
            json!({"connection": "sms", "email": null, "phone_number": "0044 20"}),
            400,
            "bad.phone_number",
            "String does not match pattern: ^\\+[0-9]{1,15}$",
        ),
        (
            json!({"client_secret": "wrong"}),
            401,
            "access_denied",
            "Unauthorized",
        ),
        (
            json!({"client_secret": null}),
            401,
            "access_denied",
            "Unauthorized",
        ),
        (
            json!({"client_id": "nobody"}),
            401,
            "access_denied",
            "Unauthorized",
        ),
    ];
    for (change, status, error, description) in cases {
        let (got_status, body) = tenant
            .post_json("/passwordless/start", with(change.clone()))
            .await;
        assert_eq!(got_status.as_u16(), status, "{change}: {body}");
        assert_eq!(
            body,
            json!({"error": error, "error_description": description}),
            "{change}"
        );
    }
    let (_, inbox) = tenant.get("/dev/inbox").await;
    assert_eq!(inbox, json!([]), "a refused start sends nothing");
}

#[tokio::test]
async fn token_errors_follow_the_contract() {
    let tenant = TestTenant::new();
    let (status, body) = tenant
        .post_json(
            "/oauth/token",
            json!({ "grant_type": OTP_GRANT, "client_id": CLIENT,
            "client_secret": "wrong", "username": "a@b.co", "otp": "123456", "realm": "email" }),
        )
        .await;
    assert_eq!(
        (status.as_u16(), body),
        (
            401,
            json!({"error": "access_denied", "error_description": "Unauthorized"})
        )
    );

    let (status, body) = tenant
        .post_json(
            "/oauth/token",
            json!({ "grant_type": OTP_GRANT, "client_id": CLIENT,
            "client_secret": SECRET, "username": "a@b.co", "realm": "email" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error_description"], "Missing required parameter: otp");

    let request = Request::post("/oauth/token")
        .header("content-type", "text/plain")
        .body(Body::from("hello"))
        .unwrap();
    let (status, body) = tenant.send(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
}
