//! The server's successful answers, read with their wire (snake_case) names and handed to the
//! page with camelCase ones.
//!
//! Optional members say `#[serde(default)]` (here and in every type the SDK reads): what serde
//! does for a missing `Option` anyway, without its missing-field deserializer for each member
//! type (a smaller wasm).

use serde::Serialize;

use super::Body;
use crate::given::Given;

/// `POST /oauth/token`'s answer; the page's `Session` (with the verified `claims` added).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Tokens {
    pub access_token: String,
    pub id_token: String,
    pub token_type: String,
    pub expires_in: u32,
    #[serde(default)]
    pub scope: String,
    /// With the `offline_access` scope.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// After a recovery-code verify: the user's new recovery code.
    #[serde(default)]
    pub recovery_code: Option<String>,
}

impl Tokens {
    /// The answer's members, as `member` reads them; `None` without the required ones.
    pub fn read(member: impl Fn(&'static str) -> Given) -> Option<Self> {
        Some(Self {
            access_token: member("access_token").into_text()?,
            id_token: member("id_token").into_text()?,
            token_type: member("token_type").into_text()?,
            expires_in: member("expires_in").whole("expires_in").ok()??,
            scope: member("scope").into_text().unwrap_or_default(),
            refresh_token: member("refresh_token").into_text(),
            recovery_code: member("recovery_code").into_text(),
        })
    }
}

/// A key of `/.well-known/jwks.json` as it comes (missing members read as empty) and, once
/// [`RsaKey::usable`] kept it, the RSA public key WebCrypto imports ([`RsaKey::jwk`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RsaKey {
    pub kid: String,
    pub kty: String,
    pub n: String,
    pub e: String,
}

impl RsaKey {
    pub fn read(member: impl Fn(&'static str) -> Given) -> Self {
        let text = |name| member(name).into_text().unwrap_or_default();
        Self {
            kid: text("kid"),
            kty: text("kty"),
            n: text("n"),
            e: text("e"),
        }
    }

    /// The JWK WebCrypto imports: only `kty`, `n` and `e` (never a private member; not the id
    /// it is published under).
    pub fn jwk(&self) -> Body {
        Body::new()
            .text("kty", self.kty.clone())
            .text("n", self.n.clone())
            .text("e", self.e.clone())
    }

    /// The RSA keys with an id and both public members.
    pub fn usable(keys: impl Iterator<Item = RsaKey>) -> Vec<RsaKey> {
        keys.filter(|key| {
            key.kty == "RSA" && !key.kid.is_empty() && !key.n.is_empty() && !key.e.is_empty()
        })
        .collect()
    }
}

// The MFA answers go to the page as they came, renamed (camelCase) member by member: each
// function reads the wire members and writes the page's, `None` without a required one.

/// One of the user's second factors (`GET /mfa/authenticators`): `Authenticator`.
pub fn authenticator(member: impl Fn(&'static str) -> Given) -> Option<Body> {
    Some(
        Body::new()
            .text("id", member("id").into_text()?)
            .text(
                "authenticatorType",
                member("authenticator_type").into_text()?,
            )
            .maybe("oobChannel", member("oob_channel").into_text())
            .maybe("name", member("name").into_text())
            .flag("active", member("active") == Given::Flag(true)),
    )
}

/// `POST /mfa/challenge`'s answer: `Challenge`.
pub fn challenge(member: impl Fn(&'static str) -> Given) -> Option<Body> {
    Some(
        Body::new()
            .text("challengeType", member("challenge_type").into_text()?)
            .maybe("oobCode", member("oob_code").into_text())
            .maybe("bindingMethod", member("binding_method").into_text()),
    )
}

/// `POST /mfa/associate`'s answer: `Enrollment` (`recoveryCodes` only on the first one).
pub fn enrollment(member: impl Fn(&'static str) -> Given) -> Option<Body> {
    let mut body = Body::new()
        .text(
            "authenticatorType",
            member("authenticator_type").into_text()?,
        )
        .maybe("secret", member("secret").into_text())
        .maybe("barcodeUri", member("barcode_uri").into_text())
        .maybe("oobChannel", member("oob_channel").into_text())
        .maybe("oobCode", member("oob_code").into_text())
        .maybe("bindingMethod", member("binding_method").into_text());
    if let Given::Texts(codes) = member("recovery_codes") {
        body = body.list("recoveryCodes", codes.into_iter().map(Into::into).collect());
    }
    Some(body)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::flows::tests::{as_js, members};

    #[test]
    fn tokens_become_the_pages_session() {
        let tokens = Tokens::read(members(json!({
            "access_token": "at", "id_token": "a.b.c", "token_type": "Bearer", "expires_in": 86400,
            "scope": "openid", "recovery_code": "NEWCODE", "unknown": 1,
        })))
        .unwrap();
        assert_eq!(
            as_js(&tokens),
            json!({"accessToken": "at", "idToken": "a.b.c", "tokenType": "Bearer", "expiresIn": 86400,
                   "scope": "openid", "recoveryCode": "NEWCODE"})
        );
        assert_eq!(Tokens::read(members(json!({"access_token": "at"}))), None);
    }

    /// The usable keys of a JWKS's `keys`.
    fn keys(published: serde_json::Value) -> Vec<RsaKey> {
        let published = published.as_array().unwrap().clone();
        RsaKey::usable(published.into_iter().map(|key| RsaKey::read(members(key))))
    }

    #[test]
    fn optional_members_of_answers_may_be_missing() {
        let tokens = Tokens::read(members(json!({
            "access_token": "at", "id_token": "a.b.c", "token_type": "Bearer", "expires_in": 60,
        })))
        .unwrap();
        assert_eq!((tokens.scope.as_str(), tokens.refresh_token), ("", None));
        assert!(keys(json!([])).is_empty());
        assert!(keys(json!([{"kty": "RSA", "kid": "", "n": "n", "e": "e"}])).is_empty());
        assert!(keys(json!([{"kty": "RSA", "kid": 7, "n": "n", "e": "e"}])).is_empty());
        for expires_in in [json!("soon"), json!(-1), json!(1.5), json!(null)] {
            let answer = json!({
                "access_token": "at", "id_token": "a.b.c", "token_type": "Bearer", "expires_in": expires_in,
            });
            assert_eq!(Tokens::read(members(answer)), None, "{expires_in}");
        }
        assert_eq!(
            Tokens::read(members(
                json!({"access_token": 1, "id_token": "a.b.c", "token_type": "Bearer", "expires_in": 60})
            )),
            None
        );
    }

    #[test]
    fn only_rsa_keys_with_an_id_are_kept() {
        let keys = keys(json!([
            {"kty": "RSA", "kid": "k1", "n": "nn", "e": "AQAB", "use": "sig", "d": "private?"},
            {"kty": "EC", "kid": "k2", "x": "1"},
            {"kty": "RSA", "n": "no-kid", "e": "AQAB"},
            {"kty": "RSA", "kid": "k3", "n": "no-exponent"},
        ]));
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid, "k1");
        assert_eq!(
            as_js(&keys[0].jwk()),
            json!({"kty": "RSA", "n": "nn", "e": "AQAB"})
        );
    }

    #[test]
    fn mfa_answers_are_renamed_for_the_page() {
        let list = vec![authenticator(members(
            json!({"id": "totp|1", "authenticator_type": "otp", "active": true}),
        ))
        .unwrap()];
        assert_eq!(
            as_js(&list),
            json!([{"id": "totp|1", "authenticatorType": "otp", "active": true}])
        );
        let enrolled = enrollment(members(json!({
            "authenticator_type": "otp", "secret": "S", "barcode_uri": "otpauth://x", "recovery_codes": ["A"],
        })))
        .unwrap();
        let page = as_js(&enrolled);
        assert_eq!(
            (
                page["barcodeUri"].as_str(),
                page["recoveryCodes"][0].as_str()
            ),
            (Some("otpauth://x"), Some("A"))
        );
        let challenged = challenge(members(
            json!({"challenge_type": "oob", "oob_code": "o", "binding_method": "prompt"}),
        ))
        .unwrap();
        assert_eq!(
            as_js(&challenged),
            json!({"challengeType": "oob", "oobCode": "o", "bindingMethod": "prompt"})
        );
        // Without its required members, an answer is not one.
        assert_eq!(challenge(members(json!({"oob_code": "o"}))), None);
        assert_eq!(enrollment(members(json!({"secret": "S"}))), None);
        assert_eq!(
            authenticator(members(json!({"id": "x", "active": true}))),
            None
        );
        let inactive = authenticator(members(
            json!({"id": "x", "authenticator_type": "otp", "active": "yes"}),
        ));
        assert_eq!(as_js(&inactive.unwrap())["active"], false);
    }
}
