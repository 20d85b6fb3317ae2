//! The webauthn grant of `/oauth/token` without HTTP: its `auth_session` is used up, must be
//! live and the calling client's, and its ceremony (a sign-up or a sign-in) is finished with
//! the browser's credential.

use serde_json::Value;

use super::ceremonies::Kind;
use super::{open, sign_in, sign_up, PasskeyGrant, Refusal, TokenRequest};
use crate::config::Client;
use crate::failure::Failure;
use crate::tenant::Tenant;

/// Finishes the ceremony of `session` with the browser's credential `answer`, for `client`.
pub fn finish(
    tenant: &Tenant,
    client: &Client,
    session: &str,
    answer: &Value,
    request: &TokenRequest<'_>,
) -> Result<PasskeyGrant, Failure> {
    let ceremony = match open(tenant, session)? {
        Ok(ceremony) => ceremony,
        Err(refusal) => return Ok(PasskeyGrant::Refused(refusal)),
    };
    if ceremony.client_id != client.client_id {
        return Ok(PasskeyGrant::Refused(Refusal::new(
            "The auth_session was issued to another application.",
        )));
    }
    match ceremony.kind {
        Kind::SignUp => sign_up::finish(tenant, client, &ceremony, answer, request),
        Kind::SignIn => sign_in::finish(tenant, client, &ceremony, answer, request),
        Kind::Enrolment => Ok(PasskeyGrant::Refused(Refusal::new(
            "This auth_session adds a passkey through the My Account API: verify it there.",
        ))),
    }
}
