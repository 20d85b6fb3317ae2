//! The pure half of ID-token verification: splitting the compact JWT, and checking its header
//! and claims. The bindings decode the parts (base64url in Rust, the browser's `JSON`) and
//! check the signature (WebCrypto); see `bindings/signature.rs`.

use crate::error::SdkError;
use crate::given::Given;

/// Seconds of clock skew tolerated for `exp` and `iat`.
pub const LEEWAY_SECS: f64 = 60.0;

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
    // Every part is non-empty: an empty signature is how an unsigned token looks.
    let base64url = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    if !(base64url(header) && base64url(payload) && base64url(signature)) {
        return Err(malformed());
    }
    Ok(CompactJwt {
        signing_input: &token[..header.len() + 1 + payload.len()],
        header,
        payload,
        signature,
    })
}

/// The header members that matter.
#[derive(Debug, Default)]
pub struct Header {
    pub alg: Option<String>,
    pub kid: Option<String>,
}

impl Header {
    /// The header's members, as `member` reads them from its JSON.
    pub fn read(member: impl Fn(&'static str) -> Given) -> Self {
        Self {
            alg: member("alg").into_text(),
            kid: member("kid").into_text(),
        }
    }

    /// The `kid` to verify with: only RS256 is accepted, never `none` or HS256.
    pub fn key_id(self) -> Result<String, SdkError> {
        match self.alg.as_deref() {
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
        self.kid
            .filter(|k| !k.is_empty())
            .ok_or_else(|| SdkError::invalid_id_token("the ID token's header has no kid"))
    }
}

/// The claims that are checked (the page gets all of them).
#[derive(Debug, Default, Clone)]
pub struct Claims {
    pub iss: Option<String>,
    /// A string or a list of them.
    pub aud: Vec<String>,
    pub azp: Option<String>,
    /// Seconds since the epoch.
    pub exp: Option<f64>,
    pub iat: Option<f64>,
    pub nonce: Option<String>,
}

/// What the claims must say.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// Seconds since the epoch.
    pub now: f64,
    pub nonce: Option<&'a str>,
}

impl Claims {
    /// The checked claims, as `member` reads them from the payload (a claim of the wrong type
    /// reads as absent, and its check refuses the token).
    pub fn read(member: impl Fn(&'static str) -> Given) -> Self {
        Self {
            iss: member("iss").into_text(),
            aud: member("aud").into_texts(),
            azp: member("azp").into_text(),
            exp: member("exp").number(),
            iat: member("iat").number(),
            nonce: member("nonce").into_text(),
        }
    }

    pub fn check(&self, expected: &Expected<'_>) -> Result<(), SdkError> {
        let fail = |what: &'static str| Err(SdkError::invalid_id_token(what));
        if self.iss.as_deref() != Some(expected.issuer) {
            return fail("the ID token's issuer (iss) is wrong");
        }
        if !self.aud.iter().any(|a| a == expected.client_id) {
            return fail("the ID token's audience (aud) is not this client");
        }
        if self.aud.len() > 1 && self.azp.as_deref() != Some(expected.client_id) {
            return fail("the ID token's azp is not this client");
        }
        match self.exp {
            Some(exp) if exp + LEEWAY_SECS > expected.now => {}
            Some(_) => return fail("the ID token has expired (exp)"),
            None => return fail("the ID token has no expiry (exp)"),
        }
        match self.iat {
            Some(iat) if iat <= expected.now + LEEWAY_SECS => {}
            Some(_) => return fail("the ID token was issued in the future (iat)"),
            None => return fail("the ID token has no issue time (iat)"),
        }
        if let Some(nonce) = expected.nonce {
            if self.nonce.as_deref() != Some(nonce) {
                return fail("the ID token's nonce is wrong");
            }
        }
        Ok(())
    }
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
        for bad in [
            "a.b", "a.b.c.d", "a!.b.c", "a.b=.c", "é.b.c", "a.b.", "..", ".b.c",
        ] {
            assert_eq!(split(bad).unwrap_err().code, "invalid_id_token", "{bad}");
        }
    }

    fn members(json: &str) -> impl Fn(&'static str) -> Given {
        crate::flows::tests::members(serde_json::from_str(json).unwrap())
    }

    fn header(json: &str) -> Result<String, SdkError> {
        Header::read(members(json)).key_id()
    }

    #[test]
    fn only_rs256_with_a_kid_is_accepted() {
        assert_eq!(header(r#"{"alg":"RS256","kid":"k1"}"#).unwrap(), "k1");
        for refused in [
            r#"{"alg":"none","kid":"k1"}"#,
            r#"{"alg":"HS256","kid":"k1"}"#,
            r#"{"alg":"RS512","kid":"k1"}"#,
            r#"{"alg":"RS256"}"#,
            r#"{"alg":"RS256","kid":""}"#,
            r#"{"alg":"RS256","kid":7}"#,
            r#"{"alg":["RS256"],"kid":"k1"}"#,
            r#"{"kid":"k1"}"#,
        ] {
            assert_eq!(
                header(refused).unwrap_err().code,
                "invalid_id_token",
                "{refused}"
            );
        }
    }

    #[test]
    fn claims_read_whole_and_fractional_seconds_and_ignore_the_rest() {
        let claims = Claims::read(members(
            r#"{"iss":"https://t.example/","aud":"app","exp":2000,"iat":999.5,"email":"a@b.co","extra":{"deep":[1]}}"#,
        ));
        assert_eq!((claims.exp, claims.iat), (Some(2000.0), Some(999.5)));
        assert!(claims
            .check(&Expected {
                nonce: None,
                ..expected(1500.0)
            })
            .is_ok());
        let soon = Claims::read(members(r#"{"exp":"soon","iat":"now"}"#));
        assert_eq!((soon.exp, soon.iat), (None, None));
        assert!(Claims {
            exp: None,
            ..good()
        }
        .check(&expected(1500.0))
        .is_err());
    }

    #[test]
    fn aud_is_one_string_or_a_list() {
        let aud = |json| Claims::read(members(json)).aud;
        assert_eq!(aud(r#"{"aud":"app"}"#), ["app"]);
        assert_eq!(aud(r#"{"aud":["app","api"]}"#), ["app", "api"]);
        // Not a string or a list of strings: no audience, which no client is.
        for bad in [
            r#"{"aud":7}"#,
            r#"{"aud":["app",7]}"#,
            r#"{"aud":{"0":"app"}}"#,
        ] {
            assert!(aud(bad).is_empty(), "{bad}");
        }
    }

    fn good() -> Claims {
        Claims {
            iss: Some("https://t.example/".into()),
            aud: vec!["app".into()],
            azp: None,
            exp: Some(2000.0),
            iat: Some(1000.0),
            nonce: Some("n1".into()),
        }
    }

    fn expected(now: f64) -> Expected<'static> {
        Expected {
            issuer: "https://t.example/",
            client_id: "app",
            now,
            nonce: Some("n1"),
        }
    }

    #[test]
    fn claims_are_checked() {
        assert!(good().check(&expected(1500.0)).is_ok());
        assert!(good().check(&expected(2059.0)).is_ok(), "leeway");
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
                    exp: Some(1400.0),
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
                    iat: Some(1600.0),
                    ..good()
                },
                "iat",
            ),
            (
                Claims {
                    iat: None,
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
            (
                Claims {
                    nonce: None,
                    ..good()
                },
                "nonce",
            ),
        ];
        for (claims, what) in cases {
            let now = if what == "exp" { 2000.0 } else { 1500.0 };
            let e = claims.check(&expected(now)).unwrap_err();
            assert!(e.description.contains(what), "{what}: {}", e.description);
        }
        let several = Claims {
            aud: vec!["app".into(), "api".into()],
            azp: Some("app".into()),
            ..good()
        };
        assert!(several.check(&expected(1500.0)).is_ok());
        let no_nonce_expected = Expected {
            nonce: None,
            ..expected(1500.0)
        };
        assert!(Claims {
            nonce: None,
            ..good()
        }
        .check(&no_nonce_expected)
        .is_ok());
    }
}
