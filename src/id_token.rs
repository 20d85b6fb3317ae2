//! The pure half of ID-token verification: splitting the compact JWT, and checking its header
//! and claims. The signature itself is checked by the browser's WebCrypto (see the bindings).

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::SdkError;
use crate::json::Value;

/// Seconds of clock skew tolerated for `exp` and `iat`.
pub const LEEWAY_SECS: u64 = 60;

/// A compact JWT split into its parts.
#[derive(Debug, PartialEq, Eq)]
pub struct CompactJwt<'a> {
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: &'a str,
    pub header: Vec<u8>,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

pub fn split(token: &str) -> Result<CompactJwt<'_>, SdkError> {
    let malformed = || SdkError::invalid_id_token("the ID token is not a compact JWT");
    let mut parts = token.as_bytes().split(|b| *b == b'.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    Ok(CompactJwt {
        signing_input: token
            .get(..header.len() + 1 + payload.len())
            .ok_or_else(malformed)?,
        header: base64url_decode(header).ok_or_else(malformed)?,
        payload: base64url_decode(payload).ok_or_else(malformed)?,
        signature: base64url_decode(signature).ok_or_else(malformed)?,
    })
}

/// A JWT part that must hold a JSON object (the header, the payload).
pub fn json_part(bytes: &[u8]) -> Result<Value<'_>, SdkError> {
    core::str::from_utf8(bytes)
        .ok()
        .and_then(crate::json::parse)
        .filter(|value| matches!(value, Value::Object(_)))
        .ok_or_else(|| SdkError::invalid_id_token("the ID token does not hold JSON"))
}

/// The header fields that matter: only RS256 is accepted, never `none` or HS256.
pub fn check_header(alg: Option<&str>, kid: Option<&str>) -> Result<String, SdkError> {
    match alg {
        Some("RS256") => {}
        Some(other) => {
            let mut description = String::from("the ID token is signed with ");
            description.push_str(other);
            description.push_str("; only RS256 is accepted");
            return Err(SdkError::invalid_id_token(description));
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
        return fail("the ID token's issuer (iss) is not the expected one");
    }
    if !claims.aud.iter().any(|a| a == expected.client_id) {
        return fail("the ID token's audience (aud) does not include this client");
    }
    if claims.aud.len() > 1 && claims.azp.as_deref() != Some(expected.client_id) {
        return fail("the ID token has several audiences and its azp is not this client");
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
            return fail("the ID token's nonce is not the one this browser sent");
        }
    }
    Ok(())
}

/// Decodes unpadded base64url; `None` for anything else.
pub fn base64url_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for &byte in text {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    // A lone trailing character (6 bits) cannot be valid base64.
    (bits < 6).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_known_values() {
        assert_eq!(base64url_decode(b"").unwrap(), b"");
        assert_eq!(base64url_decode(b"Zg").unwrap(), b"f");
        assert_eq!(base64url_decode(b"Zm8").unwrap(), b"fo");
        assert_eq!(base64url_decode(b"Zm9v").unwrap(), b"foo");
        assert_eq!(base64url_decode(b"_-8").unwrap(), [0xff, 0xef]);
        assert_eq!(base64url_decode(b"Zm9v="), None);
        assert_eq!(base64url_decode(b"Z"), None);
    }

    #[test]
    fn split_needs_three_parts() {
        let jwt = split("eyJhIjoxfQ.eyJiIjoyfQ.c2ln").unwrap();
        assert_eq!(jwt.signing_input, "eyJhIjoxfQ.eyJiIjoyfQ");
        assert_eq!(jwt.header, br#"{"a":1}"#);
        assert_eq!(jwt.signature, b"sig");
        for bad in ["a.b", "a.b.c.d", "a!.b.c"] {
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
