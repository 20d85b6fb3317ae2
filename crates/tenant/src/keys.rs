//! The tenant's RS256 signing key, its JWKS entry and compact JWT signing. The key is made
//! and stored with the `rsa` crate (PKCS#8); tokens are signed with `ring`, whose RSA is faster
//! than `rsa`'s (`npm run bench -- --only token` measures it): an ID token per sign-in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use passwordless_wire::{Jwk, JwkSet};
use rand::{CryptoRng, RngCore};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::failure::Failure;
use crate::store::Store;

/// An RSA key that signs the tenant's tokens, with its key id.
pub struct SigningKey {
    kid: String,
    jwk: Jwk,
    signer: ring::signature::RsaKeyPair,
    /// The key as stored: PKCS#8 DER.
    pkcs8: Vec<u8>,
}

impl SigningKey {
    /// Generates a fresh 2048-bit key.
    pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> Result<Self, Failure> {
        Self::from_private(RsaPrivateKey::new(rng, 2048).map_err(Failure::new)?)
    }

    /// The key kept in the store, or a new one (then kept) when there is none, so that tokens
    /// issued before a restart still verify after it.
    pub fn load_or_generate(
        store: &Store,
        rng: &mut (impl RngCore + CryptoRng),
        now: u64,
    ) -> Result<Self, Failure> {
        let kept: Option<Vec<u8>> = store.transaction(|tx| -> Result<_, Failure> {
            Ok(tx
                .query_row(
                    "SELECT pkcs8 FROM signing_keys ORDER BY created_at DESC LIMIT 1",
                    [],
                    |row| row.get(0),
                )
                .optional()?)
        })?;
        if let Some(der) = kept {
            let private = RsaPrivateKey::from_pkcs8_der(&der).map_err(Failure::new)?;
            return Self::from_private(private);
        }
        let key = Self::generate(rng)?;
        store.transaction(|tx| {
            tx.execute(
                "INSERT INTO signing_keys (kid, pkcs8, created_at) VALUES (?1, ?2, ?3)",
                params![key.kid, key.pkcs8, now],
            )?;
            Ok::<_, Failure>(())
        })?;
        Ok(key)
    }

    fn from_private(private: RsaPrivateKey) -> Result<Self, Failure> {
        let pkcs8 = private
            .to_pkcs8_der()
            .map_err(Failure::new)?
            .as_bytes()
            .to_vec();
        let signer = ring::signature::RsaKeyPair::from_pkcs8(&pkcs8)
            .map_err(|e| Failure::new(format!("ring refused the signing key: {e}")))?;
        let n = B64URL.encode(private.n().to_bytes_be());
        let e = B64URL.encode(private.e().to_bytes_be());
        // RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order.
        let thumbprint_input = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
        let kid = B64URL.encode(Sha256::digest(thumbprint_input.as_bytes()));
        let jwk = Jwk {
            kty: "RSA".into(),
            use_: "sig".into(),
            alg: "RS256".into(),
            kid: kid.clone(),
            n,
            e,
        };
        Ok(Self {
            kid,
            jwk,
            signer,
            pkcs8,
        })
    }

    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.jwk.clone()],
        }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public modulus, base64url, as published.
    pub fn public_n(&self) -> &str {
        &self.jwk.n
    }

    /// Signs `claims` as a compact RS256 JWT whose header names this key.
    pub fn sign(&self, claims: &serde_json::Value) -> String {
        self.sign_with_kid(claims, &self.kid)
    }

    /// The claims of `token` when it is a compact RS256 JWT that this key signed (its header
    /// naming this key); `None` for anything else. The claims themselves are the caller's to
    /// check.
    pub fn verify(&self, token: &str) -> Option<serde_json::Value> {
        use ring::signature::{KeyPair, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
        let mut parts = token.split('.');
        let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: serde_json::Value =
            serde_json::from_slice(&B64URL.decode(header).ok()?).ok()?;
        if header["alg"] != "RS256" || header["kid"] != self.kid.as_str() {
            return None;
        }
        let public = UnparsedPublicKey::new(
            &RSA_PKCS1_2048_8192_SHA256,
            self.signer.public_key().as_ref(),
        );
        let input = &token[..token.rfind('.')?];
        public
            .verify(input.as_bytes(), &B64URL.decode(signature).ok()?)
            .ok()?;
        serde_json::from_slice(&B64URL.decode(claims).ok()?).ok()
    }

    /// Signs with this key but names `kid` in the header (fault injection).
    pub fn sign_with_kid(&self, claims: &serde_json::Value, kid: &str) -> String {
        let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": kid });
        let signing_input = format!(
            "{}.{}",
            B64URL.encode(header.to_string()),
            B64URL.encode(claims.to_string())
        );
        let mut signature = vec![0; self.signer.public().modulus_len()];
        // PKCS #1 v1.5 is deterministic; ring takes an RNG for its blinding. It fails only on
        // a wrong-sized buffer, which `modulus_len` rules out.
        self.signer
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .expect("a signature buffer of the modulus' length");
        format!("{signing_input}.{}", B64URL.encode(signature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;
    use rsa::{BigUint, RsaPublicKey};

    #[test]
    fn signed_tokens_verify_against_the_published_jwk() {
        let key = SigningKey::generate(&mut rand::thread_rng()).expect("key");
        let token = key.sign(&serde_json::json!({ "sub": "email|1" }));
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);

        let jwk = &key.jwks().keys[0];
        let public = RsaPublicKey::new(
            BigUint::from_bytes_be(&B64URL.decode(&jwk.n).unwrap()),
            BigUint::from_bytes_be(&B64URL.decode(&jwk.e).unwrap()),
        )
        .unwrap();
        let verifier = VerifyingKey::<Sha256>::new(public);
        let signature = Signature::try_from(B64URL.decode(parts[2]).unwrap().as_slice()).unwrap();
        let input = format!("{}.{}", parts[0], parts[1]);
        verifier
            .verify(input.as_bytes(), &signature)
            .expect("valid signature");
        assert!(verifier.verify(b"tampered", &signature).is_err());

        let header: serde_json::Value =
            serde_json::from_slice(&B64URL.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["kid"], jwk.kid.as_str());
        assert_eq!(header["alg"], "RS256");
    }

    #[test]
    fn verify_reads_only_what_this_key_signed() {
        let key = SigningKey::generate(&mut rand::thread_rng()).expect("key");
        let other = SigningKey::generate(&mut rand::thread_rng()).expect("key");
        let claims = serde_json::json!({ "sub": "email|1" });
        assert_eq!(key.verify(&key.sign(&claims)), Some(claims.clone()));
        assert_eq!(key.verify(&other.sign(&claims)), None);
        assert_eq!(key.verify(&key.sign_with_kid(&claims, "other")), None);
        let token = key.sign(&claims);
        let (input, _) = token.rsplit_once('.').unwrap();
        assert_eq!(key.verify(&format!("{input}.AAAA")), None);
        assert_eq!(key.verify("not.a.jwt"), None);
    }
}
