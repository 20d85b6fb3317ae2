//! Dev-only fault injection, so that clients can prove how they fail: the next ID token for an
//! identifier comes out wrong in a chosen way (`POST /dev/id-token-faults`), the next token
//! answer for it has a field replaced by any JSON value (`POST /dev/token-answer-faults`), or
//! the next `/passwordless/start` for it answers late (`POST /dev/slow-answers`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use hmac::{Hmac, Mac};
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::failure::Failure;
use crate::keys::SigningKey;

/// The ways an ID token can be wrong.
pub const KINDS: [&str; 6] = [
    "alg-none",
    "hs256",
    "tampered",
    "expired",
    "wrong-audience",
    "unknown-kid",
];

pub fn arm(tx: &Transaction<'_>, identifier: &str, kind: &str) -> Result<(), Failure> {
    put(tx, &format!("id_token_fault:{identifier}"), kind)
}

/// The fault armed for `identifier`, disarmed as it is taken.
pub fn take(tx: &Transaction<'_>, identifier: &str) -> Result<Option<String>, Failure> {
    take_once(tx, &format!("id_token_fault:{identifier}"))
}

/// The members of a token answer that a fault may replace.
pub const TOKEN_FIELDS: [&str; 6] = [
    "access_token",
    "id_token",
    "refresh_token",
    "scope",
    "token_type",
    "expires_in",
];

/// The next token answer for `identifier` has `field` replaced by `value`.
pub fn arm_token_field(
    tx: &Transaction<'_>,
    identifier: &str,
    field: &str,
    value: &Value,
) -> Result<(), Failure> {
    let armed = json!({ "field": field, "value": value });
    put(
        tx,
        &format!("token_answer_fault:{identifier}"),
        &armed.to_string(),
    )
}

/// The field and value armed for `identifier`, disarmed as they are taken.
pub fn take_token_field(
    tx: &Transaction<'_>,
    identifier: &str,
) -> Result<Option<(String, Value)>, Failure> {
    let armed = take_once(tx, &format!("token_answer_fault:{identifier}"))?;
    let armed: Option<Value> = armed.and_then(|text| serde_json::from_str(&text).ok());
    Ok(armed.and_then(|mut armed| {
        let field = armed["field"].as_str()?.to_owned();
        Some((field, armed["value"].take()))
    }))
}

/// The longest a slow answer may wait.
pub const MAX_DELAY_SECONDS: u64 = 30;

/// The next `/passwordless/start` for `identifier` answers after `seconds`.
pub fn arm_delay(tx: &Transaction<'_>, identifier: &str, seconds: u64) -> Result<(), Failure> {
    put(
        tx,
        &format!("slow_answer:{identifier}"),
        &seconds.to_string(),
    )
}

/// The delay armed for `identifier`, disarmed as it is taken.
pub fn take_delay(tx: &Transaction<'_>, identifier: &str) -> Result<Option<u64>, Failure> {
    let seconds = take_once(tx, &format!("slow_answer:{identifier}"))?;
    Ok(seconds.and_then(|s| s.parse().ok()))
}

/// Arms a fault: a row of the settings table.
fn put(tx: &Transaction<'_>, key: &str, value: &str) -> Result<(), Failure> {
    tx.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        params![key, value],
    )?;
    Ok(())
}

/// The armed value under `key`, removed as it is read: a fault strikes once.
fn take_once(tx: &Transaction<'_>, key: &str) -> Result<Option<String>, Failure> {
    let value: Option<String> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )
        .optional()?;
    if value.is_some() {
        tx.execute("DELETE FROM settings WHERE key = ?1", params![key])?;
    }
    Ok(value)
}

/// An ID token for `claims` that is wrong in the way `kind` says.
pub fn corrupt(kind: &str, key: &SigningKey, mut claims: Value, now: u64) -> String {
    let encode = |value: &Value| B64URL.encode(value.to_string());
    match kind {
        "alg-none" => format!(
            "{}.{}.",
            encode(&json!({ "alg": "none", "typ": "JWT" })),
            encode(&claims)
        ),
        "hs256" => {
            // The classic confusion attack: HMAC keyed with the public key.
            let header = json!({ "alg": "HS256", "typ": "JWT", "kid": key.kid() });
            let input = format!("{}.{}", encode(&header), encode(&claims));
            let mut mac = match Hmac::<Sha256>::new_from_slice(key.public_n().as_bytes()) {
                Ok(mac) => mac,
                Err(_) => return input,
            };
            mac.update(input.as_bytes());
            format!("{input}.{}", B64URL.encode(mac.finalize().into_bytes()))
        }
        "tampered" => {
            let token = key.sign(&claims);
            claims["sub"] = json!("email|someone-else");
            claims["email"] = json!("mallory@example.com");
            let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
            parts[1] = encode(&claims);
            parts.join(".")
        }
        "expired" => {
            claims["iat"] = json!(now - 7200);
            claims["exp"] = json!(now - 3600);
            key.sign(&claims)
        }
        "wrong-audience" => {
            claims["aud"] = json!("someone-else");
            key.sign(&claims)
        }
        _ => key.sign_with_kid(&claims, "unknown-kid"),
    }
}
