//! What the scripted issuer signs and publishes: two real RSA keys (made once per test
//! binary), their JWKS entries, and good or tampered ID tokens and token answers.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::Sha256;

use super::{ok, Scripted, CLIENT_ID, ISSUER};

/// Two real RSA keys (made once per test binary: key generation is slow).
fn keys() -> &'static [RsaPrivateKey; 2] {
    static KEYS: OnceLock<[RsaPrivateKey; 2]> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand::thread_rng();
        [(); 2].map(|_| RsaPrivateKey::new(&mut rng, 2048).expect("an RSA key"))
    })
}

/// The public half of key `index`, as the JWKS publishes it (`kid` "k{index}").
pub fn jwk(index: usize) -> Value {
    let public = keys()[index].to_public_key();
    json!({
        "kty": "RSA", "kid": format!("k{index}"), "use": "sig", "alg": "RS256",
        "n": B64URL.encode(public.n().to_bytes_be()),
        "e": B64URL.encode(public.e().to_bytes_be()),
    })
}

/// The claims of a good ID token for `sub`, issued now.
pub fn claims(sub: &str, now: f64) -> Value {
    json!({
        "iss": ISSUER, "aud": CLIENT_ID, "sub": sub, "email": "ada@example.com",
        "iat": now, "exp": now + 36_000.0,
    })
}

/// An RS256 ID token with `claims`, signed by key `index` under `kid`.
pub fn id_token(claims: &Value, index: usize, kid: &str) -> String {
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": kid });
    let input = format!(
        "{}.{}",
        B64URL.encode(header.to_string()),
        B64URL.encode(claims.to_string())
    );
    let signer = SigningKey::<Sha256>::new(keys()[index].clone());
    let signature = signer.sign(input.as_bytes());
    format!("{input}.{}", B64URL.encode(signature.to_bytes()))
}

/// A token answer (`/oauth/token`) carrying `id_token`.
pub fn tokens(id_token: &str, refresh_token: Option<&str>) -> Value {
    let mut answer = json!({
        "access_token": "at-1", "id_token": id_token, "token_type": "Bearer",
        "expires_in": 86400, "scope": "openid profile email",
    });
    if let Some(token) = refresh_token {
        answer["refresh_token"] = json!(token);
    }
    answer
}

/// A good token answer for `sub` at `now`.
pub fn good_tokens(sub: &str, now: f64, refresh_token: Option<&str>) -> Scripted {
    ok(tokens(&id_token(&claims(sub, now), 0, "k0"), refresh_token))
}
