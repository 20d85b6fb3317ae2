//! One sign-in as the outside world does it: the browser's calls to the relay, and the mail
//! reader's look into the tenant's dev inbox. Every answer is kept whole, so that a test can
//! search it for the secret and check whom it belongs to.

use base64::Engine;
use serde_json::{json, Value};

use crate::servers::SECRET;

pub const OTP_GRANT: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";

/// An answer: its status and its raw body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// `error` of a wire error, or "".
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or("").to_owned()
    }
}

/// POSTs `body` with `content_type` and reads the whole answer; `Err` is a transport failure.
pub async fn post_raw(
    http: &reqwest::Client,
    url: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> Result<Answer, reqwest::Error> {
    let response = http
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok(Answer {
        status,
        body: response.text().await?,
    })
}

pub async fn post_json(
    http: &reqwest::Client,
    url: &str,
    body: &Value,
) -> Result<Answer, reqwest::Error> {
    post_raw(http, url, "application/json", body.to_string()).await
}

/// `POST {relay}/passwordless/start` for an email code.
pub async fn start_email(
    http: &reqwest::Client,
    relay: &str,
    email: &str,
) -> Result<Answer, reqwest::Error> {
    post_json(
        http,
        &format!("{relay}/passwordless/start"),
        &json!({ "connection": "email", "email": email, "send": "code" }),
    )
    .await
}

/// The latest code the tenant sent to `to`, if any.
pub async fn latest_code(
    http: &reqwest::Client,
    tenant: &str,
    to: &str,
) -> Result<Option<String>, reqwest::Error> {
    let inbox: Value = http
        .get(format!("{tenant}/dev/inbox"))
        .query(&[("to", to)])
        .send()
        .await?
        .json()
        .await?;
    Ok(inbox[0]["code"].as_str().map(str::to_owned))
}

/// `POST {relay}/oauth/token` with the passwordless OTP grant.
pub async fn verify_email(
    http: &reqwest::Client,
    relay: &str,
    email: &str,
    code: &str,
) -> Result<Answer, reqwest::Error> {
    post_json(
        http,
        &format!("{relay}/oauth/token"),
        &json!({ "grant_type": OTP_GRANT, "username": email, "otp": code,
                 "realm": "email", "scope": "openid email" }),
    )
    .await
}

/// The claims of a compact JWT, decoded without checking its signature (the tenant's own
/// tests and the SDK's check signatures; here it only tells whose answer this is).
pub fn jwt_claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Why a complete flow for `email` did not end in a session of `email`.
#[derive(Debug)]
pub enum FlowFailure {
    Transport(String),
    Start(Answer),
    NoCode,
    Verify(Answer),
    /// The ID token names someone else: an answer crossed to the wrong request.
    NotMine {
        expected: String,
        got: Value,
    },
    /// An answer to the browser carried the client secret.
    SecretLeaked(Answer),
}

/// start → inbox → verify, checking that the ID token is for `email`.
pub async fn complete_flow(
    http: &reqwest::Client,
    relay: &str,
    tenant: &str,
    email: &str,
) -> Result<(), FlowFailure> {
    let transport = |e: reqwest::Error| FlowFailure::Transport(e.to_string());
    let started = start_email(http, relay, email).await.map_err(transport)?;
    if started.body.contains(SECRET) {
        return Err(FlowFailure::SecretLeaked(started));
    }
    if started.status != 200 {
        return Err(FlowFailure::Start(started));
    }
    let code = latest_code(http, tenant, email)
        .await
        .map_err(transport)?
        .ok_or(FlowFailure::NoCode)?;
    let verified = verify_email(http, relay, email, &code)
        .await
        .map_err(transport)?;
    if verified.body.contains(SECRET) {
        return Err(FlowFailure::SecretLeaked(verified));
    }
    if verified.status != 200 {
        return Err(FlowFailure::Verify(verified));
    }
    let claims = verified.json()["id_token"]
        .as_str()
        .and_then(jwt_claims)
        .unwrap_or(Value::Null);
    if claims["email"] != email {
        return Err(FlowFailure::NotMine {
            expected: email.to_owned(),
            got: claims,
        });
    }
    Ok(())
}
