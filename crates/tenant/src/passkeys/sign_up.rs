//! A sign-up with a passkey (`/passkey/register`, then the webauthn grant): creation
//! options for someone who has no account yet, and, once the browser's new credential
//! verifies, the user with that passkey. Nobody is created before that. The address (or phone
//! number) is named, not proven: the user stays unverified (`email_verified: false`) until a
//! code or a link proves it, which also removes what was set up before (`users::mark_verified`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use webauthn_rs::prelude::{PasskeyRegistration, Uuid};

use super::ceremonies::{self, Ceremony, Kind};
use super::{credentials, handles, new_method_id, options, relying_party, response, Refusal};
use super::{PasskeyGrant, Started, TokenRequest, CEREMONY_LIFETIME_SECS};
use crate::config::Client;
use crate::connection::Connection;
use crate::failure::Failure;
use crate::mfa;
use crate::tenant::Tenant;
use crate::tokens::Grant;
use crate::users;

/// Who signs up: checked and normalised as a start's identifier.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub connection: Connection,
    /// Lower-cased email, or the E.164 phone number.
    pub identifier: String,
    /// Shown by the authenticator; the identifier when absent.
    pub name: Option<String>,
}

/// What a sign-up's ceremony keeps besides webauthn-rs's state.
#[derive(Serialize, Deserialize)]
struct Profile {
    connection: String,
    identifier: String,
    handle: Uuid,
    #[serde(default)]
    name: Option<String>,
}

/// Creation options for `sign_up`, unless the account exists or its connection is off.
pub fn start(tenant: &Tenant, client: &Client, sign_up: &SignUp) -> Result<Started, Failure> {
    if !client
        .connections
        .iter()
        .any(|c| c == sign_up.connection.as_str())
    {
        return Ok(Started::ConnectionDisabled);
    }
    let webauthn = relying_party::for_client(tenant.config(), client)?;
    let handle = handles::new_handle(tenant)?;
    let display_name = sign_up.name.as_deref().unwrap_or(&sign_up.identifier);
    let (options, state) = webauthn
        .start_passkey_registration(handle, &sign_up.identifier, display_name, None)
        .map_err(Failure::new)?;
    let profile = Profile {
        connection: sign_up.connection.as_str().to_owned(),
        identifier: sign_up.identifier.clone(),
        handle,
        name: sign_up.name.clone(),
    };
    let session = tenant.random_token(32)?;
    let now = tenant.now();
    let ceremony = Ceremony {
        kind: Kind::SignUp,
        client_id: client.client_id.clone(),
        user_id: None,
        profile: Some(serde_json::to_string(&profile).map_err(Failure::new)?),
        method_id: None,
        state: serde_json::to_string(&state).map_err(Failure::new)?,
        expires_at: now + CEREMONY_LIFETIME_SECS,
    };
    let public_key = options::creation(&options)?;
    tenant.store().transaction(|tx| {
        if taken(tx, sign_up.connection, &sign_up.identifier)? {
            return Ok(Started::UserExists);
        }
        ceremonies::create(tx, &session, &ceremony, now)?;
        Ok(Started::Ceremony {
            auth_session: session.clone(),
            public_key,
        })
    })
}

/// Verifies the new credential of a sign-up `ceremony`, then creates its user and ends the
/// first factor.
pub(super) fn finish(
    tenant: &Tenant,
    client: &Client,
    ceremony: &Ceremony,
    answer: &Value,
    request: &TokenRequest<'_>,
) -> Result<PasskeyGrant, Failure> {
    let profile: Profile =
        serde_json::from_str(ceremony.profile.as_deref().unwrap_or("")).map_err(Failure::new)?;
    let state: PasskeyRegistration = serde_json::from_str(&ceremony.state).map_err(Failure::new)?;
    let connection = Connection::parse(&profile.connection)
        .ok_or_else(|| Failure::new("a sign-up kept an unknown connection"))?;
    if request.realm.is_some_and(|realm| realm != connection) {
        return Ok(PasskeyGrant::Refused(Refusal::new(
            "The realm is not the connection this sign-up started with.",
        )));
    }
    let credential = match response::registration(answer) {
        Ok(credential) => credential,
        Err(reason) => return Ok(PasskeyGrant::Refused(Refusal(reason))),
    };
    let webauthn = relying_party::for_client(tenant.config(), client)?;
    let passkey = match webauthn.finish_passkey_registration(&credential, &state) {
        Ok(passkey) => passkey,
        Err(error) => return Ok(PasskeyGrant::Refused(Refusal::from_webauthn(&error))),
    };
    let now = tenant.now();
    let new_id = tenant.new_user_id()?;
    let method_id = new_method_id(tenant)?;
    tenant.store().transaction(|tx| {
        let known = credentials::credential_id(&passkey);
        if credentials::by_credential_id(tx, &known)?.is_some() {
            return Ok(PasskeyGrant::Refused(Refusal::new(
                "This passkey is already registered.",
            )));
        }
        if taken(tx, connection, &profile.identifier)? {
            return Ok(PasskeyGrant::UserExists);
        }
        // A user only started (a code asked for, never used) has nothing to take over.
        let mut user = users::get_or_create(tx, connection, &profile.identifier, &new_id, now)?;
        if let Some(name) = &profile.name {
            user = users::set_name(tx, user, name, now)?;
        }
        if handles::ensure(tx, &user.id, profile.handle)? != profile.handle {
            return Err(Failure::new("an unverified user already had a user handle"));
        }
        credentials::save(tx, &passkey, &method_id, &user.id, now)?;
        let grant = Grant {
            client,
            user: &user,
            scope: request.scope,
            audience: request.audience,
            nonce: None,
            may_refresh: true,
        };
        Ok(PasskeyGrant::Passed(mfa::finish_first_factor(
            tenant, tx, &grant, now,
        )?))
    })
}

/// Whether `identifier` has an account already: proven, or holding a passkey (a sign-up's,
/// whose address nobody proved yet: a second sign-up would share it).
fn taken(
    tx: &rusqlite::Transaction<'_>,
    connection: Connection,
    identifier: &str,
) -> Result<bool, Failure> {
    Ok(match users::find(tx, connection, identifier)? {
        Some(user) => user.verified || !credentials::list(tx, Some(&user.id))?.is_empty(),
        None => false,
    })
}
