//! What `fetch` got, read: the server's errors as SDK errors, and successful answers in the
//! shape the page gets (camelCase names) or the step after needs.

use alloc::borrow::ToOwned;
use alloc::string::String;

use super::Outcome;
use crate::error::{codes, SdkError};
use crate::id_token;
use crate::json::write::{self, Object};
use crate::json::{self, read, Value};

/// `{status, retryAfter, body, shape}`: the answer's status, its `Retry-After` header and its
/// text, and what to make of a success: `"tokens"` (the ID token's `kid`, signed part and
/// signature, for WebCrypto), `"issuer"`, `"jwks"` (the RSA keys), `"authenticators"`,
/// `"challenge"`, `"enrollment"`, or anything else for the body as it is.
pub fn reply(input: &Value<'_>) -> Outcome {
    let status = input.get("status").as_whole().unwrap_or(0);
    let body = input
        .get("body")
        .as_str()
        .and_then(json::parse)
        .unwrap_or(Value::Null);
    if !(200..300).contains(&status) {
        return Err(refusal(status as u16, &body, input.get("retryAfter")));
    }
    let mut out = String::new();
    match input.get("shape").as_str().unwrap_or("") {
        "tokens" => token_parts(&body, &mut out)?,
        "issuer" => {
            let issuer = body.get("issuer").text().ok_or_else(|| {
                SdkError::new(
                    codes::UNEXPECTED_RESPONSE,
                    "the OpenID configuration has no issuer",
                )
            })?;
            write::string(&mut out, issuer);
        }
        "jwks" => rsa_keys(&body, &mut out),
        "authenticators" => {
            out.push('[');
            if let Value::Array(list) = &body {
                for (i, authenticator) in list.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let mut a = Object::new(&mut out);
                    a.renamed(
                        authenticator,
                        &[
                            ("id", "id"),
                            ("authenticator_type", "authenticatorType"),
                            ("oob_channel", "oobChannel"),
                            ("name", "name"),
                            ("active", "active"),
                        ],
                    );
                    a.end();
                }
            }
            out.push(']');
        }
        "challenge" => renamed(
            &body,
            &[
                ("challenge_type", "challengeType"),
                ("oob_code", "oobCode"),
                ("binding_method", "bindingMethod"),
            ],
            &mut out,
        ),
        "enrollment" => renamed(
            &body,
            &[
                ("authenticator_type", "authenticatorType"),
                ("secret", "secret"),
                ("barcode_uri", "barcodeUri"),
                ("oob_channel", "oobChannel"),
                ("oob_code", "oobCode"),
                ("binding_method", "bindingMethod"),
                ("recovery_codes", "recoveryCodes"),
            ],
            &mut out,
        ),
        _ => write::value(&mut out, &body),
    }
    Ok(out)
}

/// `{kind}`: what went wrong outside the server, as an error: `"timeout"`, `"network"`,
/// `"cancelled"` or `"storage"`.
pub fn failure(input: &Value<'_>) -> Outcome {
    Err(match input.get("kind").as_str().unwrap_or("") {
        "timeout" => SdkError::new(codes::TIMEOUT, "The server did not answer in time."),
        "cancelled" => SdkError::new(codes::CANCELLED, "Waiting for the approval was cancelled."),
        "storage" => SdkError::new(
            codes::STORAGE_UNAVAILABLE,
            "Web Storage is not available or full, so the magic link cannot be remembered here.",
        ),
        _ => SdkError::new(codes::NETWORK_ERROR, "The server could not be reached."),
    })
}

/// A refused answer's error, with `retryAfter` on 429 and the MFA members on `mfa_required`.
fn refusal(status: u16, body: &Value<'_>, retry_after: &Value<'_>) -> SdkError {
    let text = |key: &str| body.get(key).as_str().map(str::to_owned);
    let mut error = SdkError::from_wire(status, text("error"), text("error_description"));
    error.retry_after = retry_after
        .as_str()
        .and_then(|seconds| read::whole(seconds.trim_ascii().as_bytes()))
        .and_then(|seconds| u32::try_from(seconds).ok());
    if error.code == "mfa_required" {
        if let Some(token) = text("mfa_token") {
            let mut requirements = String::new();
            write::value(&mut requirements, body.get("mfa_requirements"));
            error.mfa = Some((token, requirements));
        }
    }
    error
}

fn renamed(body: &Value<'_>, pairs: &[(&str, &str)], out: &mut String) {
    let mut object = Object::new(out);
    object.renamed(body, pairs);
    object.end();
}

/// `{kid, signed, signature}` of the answer's ID token, whose header must say RS256.
fn token_parts(tokens: &Value<'_>, out: &mut String) -> Result<(), SdkError> {
    let token = tokens
        .get("id_token")
        .as_str()
        .ok_or_else(|| SdkError::invalid_id_token("the server answered without an ID token"))?;
    let jwt = id_token::split(token)?;
    let header = id_token::json_part(&jwt.header)?;
    let kid = id_token::check_header(header.get("alg").as_str(), header.get("kid").as_str())?;
    let mut parts = Object::new(out);
    parts.str("kid", &kid);
    parts.str("signed", jwt.signing_input);
    let signature = token.get(jwt.signing_input.len() + 1..).unwrap_or_default();
    parts.str("signature", signature);
    parts.end();
    Ok(())
}

/// The issuer's RSA signing keys, only the members WebCrypto needs: `[{kid, kty, n, e}]`.
fn rsa_keys(jwks: &Value<'_>, out: &mut String) {
    out.push('[');
    let mut first = true;
    if let Value::Array(keys) = jwks.get("keys") {
        for key in keys {
            let member = |name: &str| key.get(name).text();
            let (Some(kid), Some("RSA"), Some(n), Some(e)) =
                (member("kid"), member("kty"), member("n"), member("e"))
            else {
                continue;
            };
            if !first {
                out.push(',');
            }
            first = false;
            let mut jwk = Object::new(out);
            jwk.str("kid", kid);
            jwk.str("kty", "RSA");
            jwk.str("n", n);
            jwk.str("e", e);
            jwk.end();
        }
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::super::call;
    use super::*;

    fn answer(
        status: u16,
        body: &str,
        shape: &str,
        retry_after: Option<&str>,
    ) -> serde_json::Value {
        let input = serde_json::json!({
            "status": status, "body": body, "shape": shape, "retryAfter": retry_after,
        });
        call(reply, &input.to_string())
    }

    #[test]
    fn refusals_keep_the_wire_code_status_and_retry_after() {
        let out = answer(
            429,
            r#"{"error":"too_many_requests","error_description":"Slow down."}"#,
            "",
            Some(" 30 "),
        );
        assert_eq!(out["error"]["code"], "too_many_requests");
        assert_eq!(out["error"]["status"], 429);
        assert_eq!(out["error"]["retryAfter"], 30);
        let html = answer(502, "<html>bad gateway</html>", "tokens", Some("soon"));
        assert_eq!(html["error"]["code"], "unexpected_response");
        assert_eq!(html["error"]["status"], 502);
        assert!(html["error"].get("retryAfter").is_none());
    }

    #[test]
    fn mfa_required_carries_the_token_and_requirements() {
        let out = answer(
            403,
            r#"{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"m1","mfa_requirements":{"challenge":[{"type":"otp"}]}}"#,
            "tokens",
            None,
        );
        assert_eq!(out["error"]["mfaToken"], "m1");
        assert_eq!(
            out["error"]["mfaRequirements"]["challenge"][0]["type"],
            "otp"
        );
    }

    #[test]
    fn successes_are_renamed_for_the_page() {
        let list = answer(
            200,
            r#"[{"id":"totp|1","authenticator_type":"otp","active":true,"extra":1}]"#,
            "authenticators",
            None,
        );
        assert_eq!(
            list["ok"],
            serde_json::json!([{"id": "totp|1", "authenticatorType": "otp", "active": true}])
        );
        let enrolled = answer(
            200,
            r#"{"authenticator_type":"otp","secret":"S","barcode_uri":"otpauth://x","recovery_codes":["A"]}"#,
            "enrollment",
            None,
        );
        assert_eq!(enrolled["ok"]["barcodeUri"], "otpauth://x");
        assert_eq!(enrolled["ok"]["recoveryCodes"][0], "A");
        let started = answer(200, r#"{"_id":"x","email":"a@b.co"}"#, "", None);
        assert_eq!(started["ok"]["email"], "a@b.co");
        assert!(answer(204, "", "", None)["ok"].is_null());
    }

    #[test]
    fn only_rsa_keys_with_an_id_are_kept() {
        let keys = answer(
            200,
            r#"{"keys":[{"kty":"RSA","kid":"k1","n":"nn","e":"AQAB","use":"sig","d":"private?"},{"kty":"EC","kid":"k2","x":"1"},{"kty":"RSA","n":"no-kid","e":"AQAB"}]}"#,
            "jwks",
            None,
        );
        assert_eq!(
            keys["ok"],
            serde_json::json!([{"kid": "k1", "kty": "RSA", "n": "nn", "e": "AQAB"}])
        );
        let issuer = answer(200, r#"{"jwks_uri":"x"}"#, "issuer", None);
        assert_eq!(issuer["error"]["code"], "unexpected_response");
    }

    #[test]
    fn token_answers_give_the_parts_webcrypto_needs() {
        // {"alg":"RS256","kid":"k1"} . {"sub":"u"} . "sig"
        let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0.c2ln";
        let body = serde_json::json!({ "id_token": token }).to_string();
        let parts = answer(200, &body, "tokens", None);
        assert_eq!(parts["ok"]["kid"], "k1");
        assert_eq!(
            parts["ok"]["signed"],
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0"
        );
        assert_eq!(parts["ok"]["signature"], "c2ln");
        // {"alg":"none"}
        let none = serde_json::json!({ "id_token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0." });
        let refused = answer(200, &none.to_string(), "tokens", None);
        assert_eq!(refused["error"]["code"], "invalid_id_token");
        let missing = answer(200, r#"{"access_token":"a"}"#, "tokens", None);
        assert_eq!(missing["error"]["code"], "invalid_id_token");
    }

    #[test]
    fn failures_outside_the_server_have_their_own_codes() {
        for (kind, code) in [
            ("timeout", "timeout"),
            ("network", "network_error"),
            ("cancelled", "cancelled"),
            ("storage", "storage_unavailable"),
        ] {
            let input = serde_json::json!({ "kind": kind }).to_string();
            assert_eq!(call(failure, &input)["error"]["code"], code, "{kind}");
        }
    }
}
