//! The last step of every sign-in: the token answer made a session, once the shell has checked
//! the signature with WebCrypto and this has checked the claims.

use alloc::string::String;

use super::{client_options, Outcome};
use crate::error::SdkError;
use crate::id_token::{self, Claims, Expected};
use crate::json::write::Object;
use crate::json::{self, Value};

/// `{options, tokens, payload, issuer, nonce?, now, signature}`: `tokens` is the token
/// answer's text, `payload` its ID token's payload as the browser decoded it (`null` when it
/// could not), `now` the browser's clock in seconds, `nonce` the link's (when the sign-in came
/// from one),
/// and `signature` what WebCrypto said: `"valid"`, `"invalid"`, `"unknown_key"` (the issuer
/// does not publish the token's `kid`), `"unavailable"` (no WebCrypto on this page) or
/// anything else when the key could not be used. Answers the session.
pub fn session(input: &Value<'_>) -> Outcome {
    let options = client_options(input)?;
    let tokens = input
        .get("tokens")
        .as_str()
        .and_then(json::parse)
        .unwrap_or(Value::Null);
    let refused = match input.get("signature").as_str() {
        Some("valid") => None,
        Some("invalid") => Some("the ID token's signature does not verify"),
        Some("unknown_key") => {
            Some("the ID token is signed with a key the issuer does not publish")
        }
        Some("unavailable") => {
            Some("WebCrypto is unavailable: serve the page over HTTPS or from localhost")
        }
        _ => Some("the issuer's key cannot verify the ID token"),
    };
    if let Some(description) = refused {
        return Err(SdkError::invalid_id_token(description));
    }
    let claims = id_token::json_part(input.get("payload").as_str())?;
    id_token::check_claims(
        &Claims::read(&claims),
        &Expected {
            issuer: input.get("issuer").as_str().unwrap_or(""),
            client_id: options.client_id,
            now: input.get("now").as_whole().unwrap_or(0),
            nonce: input.get("nonce").as_str(),
        },
    )?;
    let mut out = String::new();
    let mut session = Object::new(&mut out);
    // The token answer in camelCase: accessToken, idToken, tokenType, expiresIn, scope,
    // refreshToken (offline_access), recoveryCode (after a recovery-code verify).
    session.camel(&tokens);
    session.value("claims", &claims);
    session.end();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::call;
    use super::*;

    const ISSUER: &str = "http://127.0.0.1:8081/";

    /// An unsigned token with these claims (the signature's verdict is an input here).
    fn token(claims: serde_json::Value) -> String {
        let b64 = |text: &str| {
            const ALPHABET: &[u8] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let mut out = String::new();
            for chunk in text.as_bytes().chunks(3) {
                let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
                    << (8 * (3 - chunk.len()));
                for i in 0..=chunk.len() {
                    out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
                }
            }
            out
        };
        let mut token = b64(r#"{"alg":"RS256","kid":"k1"}"#);
        token.push('.');
        token.push_str(&b64(&claims.to_string()));
        token.push_str(".c2ln");
        token
    }

    fn session_for(
        claims: serde_json::Value,
        signature: &str,
        nonce: Option<&str>,
    ) -> serde_json::Value {
        let payload = claims.to_string();
        let tokens = serde_json::json!({
            "access_token": "at", "id_token": token(claims), "token_type": "Bearer",
            "expires_in": 86400, "scope": "openid", "recovery_code": "NEWCODE",
        });
        let input = serde_json::json!({
            "options": {"domain": "http://127.0.0.1:8080", "clientId": "demo-client"},
            "tokens": tokens.to_string(), "payload": payload, "issuer": ISSUER,
            "now": 1_700_000_100u64,
            "nonce": nonce, "signature": signature,
        });
        call(session, &input.to_string())
    }

    fn claims() -> serde_json::Value {
        serde_json::json!({
            "iss": ISSUER, "aud": "demo-client", "sub": "email|1", "email": "ada@example.com",
            "exp": 1_700_036_000u64, "iat": 1_700_000_000u64, "nonce": "n1",
        })
    }

    #[test]
    fn a_verified_token_makes_the_session() {
        let out = session_for(claims(), "valid", Some("n1"));
        let session = &out["ok"];
        assert_eq!(session["accessToken"], "at");
        assert_eq!(session["expiresIn"], 86400);
        assert_eq!(session["recoveryCode"], "NEWCODE");
        assert_eq!(session["claims"]["email"], "ada@example.com");
        assert!(session["idToken"].as_str().unwrap().ends_with(".c2ln"));
    }

    #[test]
    fn signature_verdicts_and_claims_are_enforced() {
        for verdict in ["invalid", "unknown_key", "unavailable", "unusable"] {
            let out = session_for(claims(), verdict, None);
            assert_eq!(out["error"]["code"], "invalid_id_token", "{verdict}");
        }
        let mut wrong_audience = claims();
        wrong_audience["aud"] = "another-app".into();
        let out = session_for(wrong_audience, "valid", None);
        assert!(out["error"]["description"]
            .as_str()
            .unwrap()
            .contains("aud"));
        let out = session_for(claims(), "valid", Some("n2"));
        assert!(out["error"]["description"]
            .as_str()
            .unwrap()
            .contains("nonce"));
        let mut expired = claims();
        expired["exp"] = 1_700_000_000u64.into();
        let out = session_for(expired, "valid", None);
        assert!(out["error"]["description"]
            .as_str()
            .unwrap()
            .contains("exp"));
    }
}
