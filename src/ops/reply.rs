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
/// text, and what to make of a success: `"tokens"` (the ID token's parts, for the browser to
/// decode and verify), `"issuer"`, `"jwks"` (the RSA keys), `"camel"` (an object, or a
/// list of them, in camelCase names: authenticators, challenges, enrolments), or anything else
/// for the body as it is.
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
        "camel" => match &body {
            Value::Array(list) => {
                out.push('[');
                for (i, item) in list.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    camel(item, &mut out);
                }
                out.push(']');
            }
            object => camel(object, &mut out),
        },
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
            "Web Storage is unavailable or full, so magic links cannot work here.",
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

/// The object in the page's camelCase names.
fn camel(object: &Value<'_>, out: &mut String) {
    let mut renamed = Object::new(out);
    renamed.camel(object);
    renamed.end();
}

/// The base64url parts of the answer's ID token, `{header, payload, signature, signed}`, for
/// the browser to decode and to verify.
fn token_parts(tokens: &Value<'_>, out: &mut String) -> Result<(), SdkError> {
    let token = tokens
        .get("id_token")
        .as_str()
        .ok_or_else(|| SdkError::invalid_id_token("the server answered without an ID token"))?;
    let jwt = id_token::split(token)?;
    let mut parts = Object::new(out);
    parts.str("header", jwt.header);
    parts.str("payload", jwt.payload);
    parts.str("signature", jwt.signature);
    parts.str("signed", jwt.signing_input);
    parts.end();
    Ok(())
}

/// `{header}`, the ID token's header as the browser decoded it (`null` when it could not):
/// the `kid` of the key to verify it with, once the header says RS256.
pub fn header(input: &Value<'_>) -> Outcome {
    let header = id_token::json_part(input.get("header").as_str())?;
    let kid = id_token::check_header(header.get("alg").as_str(), header.get("kid").as_str())?;
    let mut out = String::new();
    write::string(&mut out, &kid);
    Ok(out)
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
            r#"[{"id":"totp|1","authenticator_type":"otp","active":true}]"#,
            "camel",
            None,
        );
        assert_eq!(
            list["ok"],
            serde_json::json!([{"id": "totp|1", "authenticatorType": "otp", "active": true}])
        );
        let enrolled = answer(
            200,
            r#"{"authenticator_type":"otp","secret":"S","barcode_uri":"otpauth://x","recovery_codes":["A"]}"#,
            "camel",
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
    fn token_answers_give_the_parts_to_decode_and_verify() {
        // {"alg":"RS256","kid":"k1"} . {"sub":"u"} . "sig"
        let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0.c2ln";
        let body = serde_json::json!({ "id_token": token }).to_string();
        let parts = answer(200, &body, "tokens", None);
        assert_eq!(parts["ok"]["header"], "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0");
        assert_eq!(parts["ok"]["payload"], "eyJzdWIiOiJ1In0");
        assert_eq!(parts["ok"]["signature"], "c2ln");
        assert_eq!(
            parts["ok"]["signed"],
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0"
        );
        let missing = answer(200, r#"{"access_token":"a"}"#, "tokens", None);
        assert_eq!(missing["error"]["code"], "invalid_id_token");
        let mangled = answer(200, r#"{"id_token":"a.b"}"#, "tokens", None);
        assert_eq!(mangled["error"]["code"], "invalid_id_token");
    }

    #[test]
    fn only_an_rs256_header_with_a_kid_gives_a_key_id() {
        let kid = |header: serde_json::Value| {
            call(
                super::header,
                &serde_json::json!({ "header": header }).to_string(),
            )
        };
        assert_eq!(kid(r#"{"alg":"RS256","kid":"k1"}"#.into())["ok"], "k1");
        for refused in [
            r#"{"alg":"none"}"#.into(),
            r#"{"alg":"HS256","kid":"k1"}"#.into(),
            r#"{"alg":"RS256"}"#.into(),
            "not json".into(),
            serde_json::Value::Null,
        ] {
            assert_eq!(kid(refused)["error"]["code"], "invalid_id_token");
        }
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
