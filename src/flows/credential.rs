//! A WebAuthn credential: its bytes as the browser gives them ([`RawCredential`]), and the JSON
//! form that the passkey grant and the My Account verify call carry
//! ([`RawCredential::into_json`], base64url as WebAuthn's `toJSON()` writes it).

use super::Body;
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

impl RawCredential {
    /// The credential as the passkey grant and the My Account verify call carry it
    /// (`authn_response`): WebAuthn's JSON form, binary members in base64url.
    pub fn into_json(self) -> Body {
        let encoded = |bytes: Option<Vec<u8>>| bytes.map(|b| base64url::encode(&b));
        let mut response =
            Body::new().text("clientDataJSON", base64url::encode(&self.client_data_json));
        if let Some(attestation) = self.attestation_object {
            // A new credential's (`create`).
            response = response
                .text("attestationObject", base64url::encode(&attestation))
                .list(
                    "transports",
                    self.transports.into_iter().map(Into::into).collect(),
                );
        }
        let response = response
            .maybe("authenticatorData", encoded(self.authenticator_data))
            .maybe("signature", encoded(self.signature))
            .maybe("userHandle", encoded(self.user_handle));
        Body::new()
            .text("id", self.id)
            .text("rawId", base64url::encode(&self.raw_id))
            .text("type", "public-key")
            .maybe("authenticatorAttachment", self.attachment)
            .object("response", response)
            // `{}`: no extension is asked for, so none answers.
            .object("clientExtensionResults", Body::new())
    }
}
