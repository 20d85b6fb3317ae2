//! The pure half of ID-token verification: splitting the compact JWT, and checking its header
//! and claims. The browser decodes the parts (`atob`, `TextDecoder`) and checks the signature
//! (WebCrypto); see `src/js/passwordless.js`.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::SdkError;
use crate::json::Value;

/// Seconds of clock skew tolerated for `exp` and `iat`.
pub const LEEWAY_SECS: u64 = 60;

/// A compact JWT split into its base64url parts.
#[derive(Debug, PartialEq, Eq)]
pub struct CompactJwt<'a> {
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: &'a str,
    pub header: &'a str,
    pub payload: &'a str,
    pub signature: &'a str,
}

/// Three base64url parts separated by dots, or `invalid_id_token`.
pub fn split(token: &str) -> Result<CompactJwt<'_>, SdkError> {
    let malformed = || SdkError::invalid_id_token("the ID token is not a compact JWT");
    let mut parts = token.as_bytes().split(|b| *b == b'.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    let base64url = |part: &[u8]| {
        part.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    };
    if !(base64url(header) && base64url(payload) && base64url(signature)) {
        return Err(malformed());
    }
    let signed = header.len() + 1 + payload.len();
    let part = |range: core::ops::Range<usize>| token.get(range).ok_or_else(malformed);
    Ok(CompactJwt {
        signing_input: part(0..signed)?,
        header: part(0..header.len())?,
        payload: part(header.len() + 1..signed)?,
        signature: part(signed + 1..token.len())?,
    })
}

/// A decoded JWT part that must hold a JSON object (the header, the payload); `None` when the
/// browser could not decode it.
pub fn json_part(text: Option<&str>) -> Result<Value<'_>, SdkError> {
    text.and_then(crate::json::parse)
        .filter(|value| matches!(value, Value::Object(_)))
        .ok_or_else(|| SdkError::invalid_id_token("the ID token does not hold JSON"))
}

/// The header fields that matter: only RS256 is accepted, never `none` or HS256.
pub fn check_header(alg: Option<&str>, kid: Option<&str>) -> Result<String, SdkError> {
    match alg {
        Some("RS256") => {}
        Some(_) => {
            return Err(SdkError::invalid_id_token(
                "the ID token is not signed with RS256, the only algorithm accepted",
            ))
        }
        None => {
            return Err(SdkError::invalid_id_token(
                "the ID token's header has no alg",
            ))
        }
    }
    kid.filter(|k| !k.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| SdkError::invalid_id_token("the ID token's header has no kid"))
}

/// The claims that are checked.
#[derive(Debug, Default, Clone)]
pub struct Claims {
    pub iss: Option<String>,
    pub aud: Vec<String>,
    pub azp: Option<String>,
    pub exp: Option<u64>,
    pub iat: Option<u64>,
    pub nonce: Option<String>,
}

impl Claims {
    /// The checked claims of a parsed payload (`aud` is a string or a list of them).
    pub fn read(payload: &Value<'_>) -> Self {
        let text = |key: &str| payload.get(key).as_str().map(str::to_owned);
        let aud = match payload.get("aud") {
            Value::Array(items) => items
                .iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect(),
            one => one.as_str().map(str::to_owned).into_iter().collect(),
        };
        Claims {
            iss: text("iss"),
            aud,
            azp: text("azp"),
            exp: payload.get("exp").as_seconds(),
            iat: payload.get("iat").as_seconds(),
            nonce: text("nonce"),
        }
    }
}

/// What the claims must say.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// Seconds since the epoch.
    pub now: u64,
    pub nonce: Option<&'a str>,
}

pub fn check_claims(claims: &Claims, expected: &Expected<'_>) -> Result<(), SdkError> {
    let fail = |what: &'static str| Err(SdkError::invalid_id_token(what));
    if claims.iss.as_deref() != Some(expected.issuer) {
        return fail("the ID token's issuer (iss) is wrong");
    }
    if !claims.aud.iter().any(|a| a == expected.client_id) {
        return fail("the ID token's audience (aud) is not this client");
    }
    if claims.aud.len() > 1 && claims.azp.as_deref() != Some(expected.client_id) {
        return fail("the ID token's azp is not this client");
    }
    match claims.exp {
        Some(exp) if exp + LEEWAY_SECS > expected.now => {}
        Some(_) => return fail("the ID token has expired (exp)"),
        None => return fail("the ID token has no expiry (exp)"),
    }
    match claims.iat {
        Some(iat) if iat <= expected.now + LEEWAY_SECS => {}
        Some(_) => return fail("the ID token was issued in the future (iat)"),
        None => return fail("the ID token has no issue time (iat)"),
    }
    if let Some(nonce) = expected.nonce {
        if claims.nonce.as_deref() != Some(nonce) {
            return fail("the ID token's nonce is wrong");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_needs_three_parts() {
        let jwt = split("eyJhIjoxfQ.eyJiIjoyfQ.c2ln").unwrap();
        assert_eq!(jwt.signing_input, "eyJhIjoxfQ.eyJiIjoyfQ");
        assert_eq!(
            (jwt.header, jwt.payload, jwt.signature),
            ("eyJhIjoxfQ", "eyJiIjoyfQ", "c2ln")
        );
        for bad in ["a.b", "a.b.c.d", "a!.b.c", "a.b=.c"] {
            assert_eq!(split(bad).unwrap_err().code, "invalid_id_token", "{bad}");
        }
    }

    #[test]
    fn only_rs256_is_accepted() {
        assert_eq!(check_header(Some("RS256"), Some("k1")).unwrap(), "k1");
        for alg in ["none", "HS256", "RS512"] {
            assert!(check_header(Some(alg), Some("k1")).is_err(), "{alg}");
        }
        assert!(check_header(Some("RS256"), None).is_err());
    }

    fn good() -> Claims {
        Claims {
            iss: Some("https://t.example/".into()),
            aud: vec!["app".into()],
            azp: None,
            exp: Some(2000),
            iat: Some(1000),
            nonce: Some("n1".into()),
        }
    }

    fn expected(now: u64) -> Expected<'static> {
        Expected {
            issuer: "https://t.example/",
            client_id: "app",
            now,
            nonce: Some("n1"),
        }
    }

    #[test]
    fn claims_are_checked() {
        assert!(check_claims(&good(), &expected(1500)).is_ok());
        assert!(check_claims(&good(), &expected(2059)).is_ok(), "leeway");
        let cases: Vec<(Claims, &str)> = vec![
            (
                Claims {
                    iss: Some("https://t.example".into()),
                    ..good()
                },
                "iss",
            ),
            (
                Claims {
                    aud: vec!["other".into()],
                    ..good()
                },
                "aud",
            ),
            (
                Claims {
                    aud: vec!["app".into(), "api".into()],
                    ..good()
                },
                "azp",
            ),
            (
                Claims {
                    exp: Some(1400),
                    ..good()
                },
                "exp",
            ),
            (
                Claims {
                    exp: None,
                    ..good()
                },
                "exp",
            ),
            (
                Claims {
                    iat: Some(1600),
                    ..good()
                },
                "iat",
            ),
            (
                Claims {
                    nonce: Some("n2".into()),
                    ..good()
                },
                "nonce",
            ),
        ];
        for (claims, what) in cases {
            let now = if what == "exp" { 2000 } else { 1500 };
            let e = check_claims(&claims, &expected(now)).unwrap_err();
            assert!(e.description.contains(what), "{what}: {}", e.description);
        }
        let several = Claims {
            aud: vec!["app".into(), "api".into()],
            azp: Some("app".into()),
            ..good()
        };
        assert!(check_claims(&several, &expected(1500)).is_ok());
    }
}
