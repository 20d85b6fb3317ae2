//! A sign-in with a passkey (`/passkey/challenge`, then the webauthn grant): a discoverable
//! challenge (no username, no allowed credentials), and, once the browser's assertion
//! verifies against the passkey it names, the first factor's end for that passkey's user.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde_json::Value;
use webauthn_rs::prelude::DiscoverableAuthentication;

use super::ceremonies::{self, Ceremony, Kind};
use super::{credentials, handles, options, relying_party, response, Refusal};
use super::{PasskeyGrant, Started, TokenRequest, CEREMONY_LIFETIME_SECS};
use crate::config::Client;
use crate::connection::Connection;
use crate::failure::Failure;
use crate::mfa;
use crate::tenant::Tenant;
use crate::tokens::Grant;
use crate::users;

/// Request options for a sign-in of `client`, for users of `realm` when named.
pub fn start(
    tenant: &Tenant,
    client: &Client,
    realm: Option<Connection>,
) -> Result<Started, Failure> {
    if realm.is_some_and(|r| !client.connections.iter().any(|c| c == r.as_str())) {
        return Ok(Started::ConnectionDisabled);
    }
    let webauthn = relying_party::for_client(tenant.config(), client)?;
    let (options, state) = webauthn
        .start_discoverable_authentication()
        .map_err(Failure::new)?;
    let session = tenant.random_token(32)?;
    let now = tenant.now();
    let ceremony = Ceremony {
        kind: Kind::SignIn,
        client_id: client.client_id.clone(),
        user_id: None,
        profile: realm.map(|r| r.as_str().to_owned()),
        method_id: None,
        state: serde_json::to_string(&state).map_err(Failure::new)?,
        expires_at: now + CEREMONY_LIFETIME_SECS,
    };
    let public_key = options::request(&options)?;
    tenant
        .store()
        .transaction(|tx| ceremonies::create(tx, &session, &ceremony, now))?;
    Ok(Started::Ceremony {
        auth_session: session,
        public_key,
    })
}

/// Verifies the assertion answering a sign-in `ceremony` against the passkey it names, keeps
/// the passkey's new counter, and ends the first factor for its user.
pub(super) fn finish(
    tenant: &Tenant,
    client: &Client,
    ceremony: &Ceremony,
    answer: &Value,
    request: &TokenRequest<'_>,
) -> Result<PasskeyGrant, Failure> {
    let refused = |description: &str| Ok(PasskeyGrant::Refused(Refusal::new(description)));
    let state: DiscoverableAuthentication =
        serde_json::from_str(&ceremony.state).map_err(Failure::new)?;
    let credential = match response::assertion(answer) {
        Ok(credential) => credential,
        Err(reason) => return Ok(PasskeyGrant::Refused(Refusal(reason))),
    };
    let webauthn = relying_party::for_client(tenant.config(), client)?;
    let Ok((handle, raw_id)) = webauthn.identify_discoverable_authentication(&credential) else {
        return refused("The passkey did not name its user (response.userHandle).");
    };
    let credential_id = B64URL.encode(raw_id);
    let connection = ceremony
        .profile
        .as_deref()
        .and_then(Connection::parse)
        .or(request.realm);
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let Some(mut stored) = credentials::by_credential_id(tx, &credential_id)? else {
            tracing::info!(%credential_id, "sign-in with an unknown passkey");
            return refused("Unknown passkey.");
        };
        if handles::user_of(tx, handle)?.as_deref() != Some(stored.user_id.as_str()) {
            return refused("The passkey's user handle is not its user's.");
        }
        let keys = [(&stored.passkey).into()];
        let result = match webauthn.finish_discoverable_authentication(&credential, state, &keys) {
            Ok(result) => result,
            Err(error) => return Ok(PasskeyGrant::Refused(Refusal::from_webauthn(&error))),
        };
        stored.passkey.update_credential(&result);
        credentials::record_use(tx, &stored.passkey, now)?;
        let Some(user) = users::by_id(tx, &stored.user_id)? else {
            return refused("Unknown passkey.");
        };
        if connection.is_some_and(|c| c != user.connection) {
            return refused("The passkey belongs to a user of another connection.");
        }
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
