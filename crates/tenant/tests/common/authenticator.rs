//! A software WebAuthn authenticator for the passkey suites: a real P-256 key pair (ring),
//! "none" attestation (a CBOR attestationObject whose authData carries the attested credential
//! data and the COSE key) and assertions (ECDSA over authData || SHA-256(clientDataJSON)), in
//! the JSON shape browsers give (`PublicKeyCredential.toJSON()`), all base64url.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use ciborium::Value as Cbor;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// User present, user verified, backup eligible, backed up (a synced passkey).
const FLAGS: u8 = 0x01 | 0x04 | 0x08 | 0x10;
/// Attested credential data follows.
const ATTESTED: u8 = 0x40;

/// What one answer says besides the signature: by default what the options asked for.
#[derive(Debug, Clone)]
pub struct Answer {
    /// base64url, as the options give it.
    pub challenge: String,
    pub origin: String,
    /// Whose SHA-256 is the authData's rpIdHash.
    pub rp_id: String,
}

impl Answer {
    /// The answer `options` (a `publicKey` of creation or request options) ask of `origin`.
    pub fn to(options: &Value, origin: &str) -> Self {
        let rp_id = options["rp"]["id"]
            .as_str()
            .or_else(|| options["rpId"].as_str())
            .expect("the options name the rp id");
        Self {
            challenge: options["challenge"]
                .as_str()
                .expect("a challenge")
                .to_owned(),
            origin: origin.to_owned(),
            rp_id: rp_id.to_owned(),
        }
    }
}

/// One passkey on one authenticator.
pub struct Authenticator {
    key: EcdsaKeyPair,
    rng: SystemRandom,
    pub credential_id: Vec<u8>,
    /// `user.id` of the creation options, given back as `userHandle`.
    pub user_handle: Vec<u8>,
    /// The signature counter the next assertion carries (then one more).
    pub counter: u32,
}

impl Authenticator {
    pub fn new() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let mut credential_id = vec![0u8; 32];
        rng.fill(&mut credential_id).unwrap();
        Self {
            key,
            rng,
            credential_id,
            user_handle: Vec::new(),
            counter: 1,
        }
    }

    /// The credential id as the tenant and browsers write it.
    pub fn key_id(&self) -> String {
        B64URL.encode(&self.credential_id)
    }

    /// `navigator.credentials.create()` for `options` (creation options' `publicKey`).
    pub fn create(&mut self, options: &Value, origin: &str) -> Value {
        self.create_answering(options, &Answer::to(options, origin))
    }

    /// `create`, saying `answer` (a tampered challenge, origin or rp id).
    pub fn create_answering(&mut self, options: &Value, answer: &Answer) -> Value {
        let user_id = options["user"]["id"].as_str().expect("user.id");
        self.user_handle = B64URL.decode(user_id).unwrap();
        let client_data = client_data("webauthn.create", answer);
        let mut auth_data = authenticator_data(&answer.rp_id, FLAGS | ATTESTED, 0);
        auth_data.extend_from_slice(&[0u8; 16]); // AAGUID
        auth_data.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend_from_slice(&self.credential_id);
        auth_data.extend_from_slice(&cbor(&self.cose_key()));
        let attestation = Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(Vec::new())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]);
        json!({
            "id": self.key_id(),
            "rawId": self.key_id(),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": B64URL.encode(&client_data),
                "attestationObject": B64URL.encode(cbor(&attestation)),
                "transports": ["internal", "hybrid"],
                "publicKeyAlgorithm": -7,
            },
            "clientExtensionResults": { "credProps": { "rk": true } },
        })
    }

    /// `navigator.credentials.get()` for `options` (request options' `publicKey`).
    pub fn get(&mut self, options: &Value, origin: &str) -> Value {
        self.get_answering(&Answer::to(options, origin))
    }

    /// `get`, saying `answer`.
    pub fn get_answering(&mut self, answer: &Answer) -> Value {
        let client_data = client_data("webauthn.get", answer);
        let auth_data = authenticator_data(&answer.rp_id, FLAGS, self.counter);
        self.counter += 1;
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature = self.key.sign(&self.rng, &signed).unwrap();
        json!({
            "id": self.key_id(),
            "rawId": self.key_id(),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": B64URL.encode(&client_data),
                "authenticatorData": B64URL.encode(&auth_data),
                "signature": B64URL.encode(signature.as_ref()),
                "userHandle": B64URL.encode(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
    }

    /// The public key as COSE: EC2 (1), ES256 (-7), P-256 (1), x, y.
    fn cose_key(&self) -> Cbor {
        let point = self.key.public_key().as_ref();
        let (x, y) = (point[1..33].to_vec(), point[33..65].to_vec());
        let int = |n: i64| Cbor::Integer(n.into());
        Cbor::Map(vec![
            (int(1), int(2)),
            (int(3), int(-7)),
            (int(-1), int(1)),
            (int(-2), Cbor::Bytes(x)),
            (int(-3), Cbor::Bytes(y)),
        ])
    }
}

fn client_data(kind: &str, answer: &Answer) -> Vec<u8> {
    json!({
        "type": kind,
        "challenge": answer.challenge,
        "origin": answer.origin,
        "crossOrigin": false,
    })
    .to_string()
    .into_bytes()
}

fn authenticator_data(rp_id: &str, flags: u8, counter: u32) -> Vec<u8> {
    let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
    data.push(flags);
    data.extend_from_slice(&counter.to_be_bytes());
    data
}

fn cbor(value: &Cbor) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::into_writer(value, &mut bytes).unwrap();
    bytes
}
