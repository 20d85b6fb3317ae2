//! The webauthn grant of `POST /oauth/token` (`urn:okta:params:oauth:grant-type:webauthn`):
//! `auth_session` and the browser's `authn_response`, answered as the OTP grant answers
//! (tokens, or `mfa_required`); a refused passkey is 400 `invalid_grant`.

use passwordless_wire::codes;
use passwordless_wire::fields::Fields;
use passwordless_wire::token::WebauthnGrant;
use passwordless_wire::TokenSet;

use super::answers;
use super::request::read_as;
use crate::config::Client;
use crate::connection::Connection;
use crate::error::TenantError;
use crate::passkeys::{grant, PasskeyGrant, TokenRequest};
use crate::tenant::Tenant;
use crate::tokens::my_account;

pub fn webauthn_grant(
    tenant: &Tenant,
    client: &Client,
    fields: &Fields,
) -> Result<TokenSet, TenantError> {
    let grant: WebauthnGrant = read_as(fields)?;
    let realm = match grant.realm.as_deref() {
        None => None,
        Some(name) => Some(Connection::parse(name).ok_or_else(|| {
            TenantError::bad_request(
                codes::INVALID_REQUEST,
                format!("Unknown realm {name:?}: use \"email\" or \"sms\""),
            )
        })?),
    };
    let audience = grant.audience.as_deref();
    let scope = my_account::first_factor_scope(tenant.config(), grant.scope.as_deref(), audience);
    let request = TokenRequest {
        realm,
        scope: &scope,
        audience,
    };
    match grant::finish(
        tenant,
        client,
        &grant.auth_session,
        &grant.authn_response,
        &request,
    )? {
        PasskeyGrant::Refused(refusal) => {
            Err(TenantError::bad_request(codes::INVALID_GRANT, refusal.0))
        }
        PasskeyGrant::UserExists => Err(TenantError::bad_request(
            codes::USER_EXISTS,
            "A user with this email or phone number signed up meanwhile: sign in instead.",
        )),
        PasskeyGrant::Passed(end) => answers::first_factor(end),
    }
}
