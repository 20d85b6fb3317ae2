//! A passkey added to a signed-in user (the My Account API's authentication methods):
//! creation options naming the user's one WebAuthn user handle and excluding the passkeys they
//! have, then the new credential verified and kept under the method id the options announced.

use serde_json::Value;
use webauthn_rs::prelude::{CredentialID, PasskeyRegistration, Uuid};

use super::ceremonies::{self, Ceremony, Kind};
use super::credentials::{self, StoredPasskey};
use super::CEREMONY_LIFETIME_SECS;
use super::{handles, new_method_id, open, options, relying_party, response, Refusal};
use crate::config::Client;
use crate::failure::Failure;
use crate::tenant::Tenant;
use crate::users::User;

/// An enrolment started: the method it will make, its session and the browser's options.
#[derive(Debug)]
pub struct Enrolment {
    pub method_id: String,
    pub auth_session: String,
    pub public_key: Value,
}

/// Starts adding a passkey to `user`, on the origins of `client` (the token's `azp`).
pub fn start(tenant: &Tenant, user: &User, client: &Client) -> Result<Enrolment, Failure> {
    let webauthn = relying_party::for_client(tenant.config(), client)?;
    let candidate = handles::new_handle(tenant)?;
    let method_id = new_method_id(tenant)?;
    let auth_session = tenant.random_token(32)?;
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let handle = handles::ensure(tx, &user.id, candidate)?;
        let existing: Vec<CredentialID> = credentials::list(tx, Some(&user.id))?
            .iter()
            .map(|kept| kept.passkey.cred_id().clone())
            .collect();
        let exclude = (!existing.is_empty()).then_some(existing);
        let (options, state) = webauthn
            .start_passkey_registration(handle, &user.identifier, &user.identifier, exclude)
            .map_err(Failure::new)?;
        let ceremony = Ceremony {
            kind: Kind::Enrolment,
            client_id: client.client_id.clone(),
            user_id: Some(user.id.clone()),
            profile: None,
            method_id: Some(method_id.clone()),
            state: serde_json::to_string(&state).map_err(Failure::new)?,
            expires_at: now + CEREMONY_LIFETIME_SECS,
        };
        ceremonies::create(tx, &auth_session, &ceremony, now)?;
        Ok(Enrolment {
            method_id: method_id.clone(),
            auth_session: auth_session.clone(),
            public_key: options::creation(&options)?,
        })
    })
}

/// What verifying an enrolment came to.
#[derive(Debug)]
pub enum Verification {
    Refused(Refusal),
    /// The passkey as kept, and the user handle it was made for.
    Saved(Box<StoredPasskey>, Uuid),
}

/// Verifies the new credential `answer` of the enrolment `session` of `user`'s method
/// `method_id` (the session is used up either way) and keeps the passkey.
pub fn verify(
    tenant: &Tenant,
    user: &User,
    method_id: &str,
    session: &str,
    answer: &Value,
) -> Result<Verification, Failure> {
    let refused = |description: &str| Ok(Verification::Refused(Refusal::new(description)));
    let ceremony = match open(tenant, session)? {
        Ok(ceremony) => ceremony,
        Err(refusal) => return Ok(Verification::Refused(refusal)),
    };
    if ceremony.kind != Kind::Enrolment || ceremony.user_id.as_deref() != Some(user.id.as_str()) {
        return refused("The auth_session is not an enrolment of this user.");
    }
    if ceremony.method_id.as_deref() != Some(method_id) {
        return refused("The auth_session enrols another authentication method.");
    }
    let Some(client) = tenant.config().client(&ceremony.client_id) else {
        return refused("The application of this enrolment is gone.");
    };
    let state: PasskeyRegistration = serde_json::from_str(&ceremony.state).map_err(Failure::new)?;
    let credential = match response::registration(answer) {
        Ok(credential) => credential,
        Err(reason) => return Ok(Verification::Refused(Refusal(reason))),
    };
    let webauthn = relying_party::for_client(tenant.config(), client)?;
    let passkey = match webauthn.finish_passkey_registration(&credential, &state) {
        Ok(passkey) => passkey,
        Err(error) => return Ok(Verification::Refused(Refusal::from_webauthn(&error))),
    };
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        if !credentials::save(tx, &passkey, method_id, &user.id, now)? {
            return refused("This passkey is already registered.");
        }
        let Some(handle) = handles::of_user(tx, &user.id)? else {
            return Err(Failure::new("an enrolled user has no user handle"));
        };
        let stored = credentials::by_credential_id(tx, &credentials::credential_id(&passkey))?
            .ok_or_else(|| Failure::new("a passkey just kept is not found"))?;
        Ok(Verification::Saved(Box::new(stored), handle))
    })
}
