//! A WebAuthn credential: its bytes as the browser gives them ([`RawCredential`]), and the JSON
//! form that the passkey grant and the My Account verify call carry ([`Credential`],
//! base64url as WebAuthn's `toJSON()` writes it).

use serde::Serialize;

use crate::base64url;

/// A new or asserted credential as the browser gave it: its bytes, before base64url.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawCredential {
    pub id: String,
    pub raw_id: Vec<u8>,
    /// `platform` or `cross-platform`, when the browser says.
    pub attachment: Option<String>,
    pub client_data_json: Vec<u8>,
    /// A new credential's (`create`).
    pub attestation_object: Option<Vec<u8>>,
    pub transports: Vec<String>,
    /// An assertion's (`get`).
    pub authenticator_data: Option<Vec<u8>>,
    pub signature: Option<Vec<u8>>,
    pub user_handle: Option<Vec<u8>>,
}

/// The credential as the passkey grant carries it (`authn_response`), WebAuthn's JSON form.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    pub id: String,
    pub raw_id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub authenticator_attachment: Option<String>,
    pub response: CredentialResponse,
    pub client_extension_results: Empty,
}

/// `{}`: no extension is asked for, so none answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Empty {}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialResponse {
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    pub attestation_object: Option<String>,
    pub transports: Option<Vec<String>>,
    pub authenticator_data: Option<String>,
    pub signature: Option<String>,
    pub user_handle: Option<String>,
}

impl From<RawCredential> for Credential {
    fn from(raw: RawCredential) -> Self {
        let encoded = |bytes: Option<Vec<u8>>| bytes.map(|b| base64url::encode(&b));
        let new = raw.attestation_object.is_some();
        Self {
            id: raw.id,
            raw_id: base64url::encode(&raw.raw_id),
            kind: "public-key",
            authenticator_attachment: raw.attachment,
            response: CredentialResponse {
                client_data_json: base64url::encode(&raw.client_data_json),
                attestation_object: encoded(raw.attestation_object),
                transports: new.then_some(raw.transports),
                authenticator_data: encoded(raw.authenticator_data),
                signature: encoded(raw.signature),
                user_handle: encoded(raw.user_handle),
            },
            client_extension_results: Empty {},
        }
    }
}
