//! Passkeys as Auth0's Passkey APIs for embedded applications have them, verified by
//! webauthn-rs: a sign-up (`/passkey/register`) and a sign-in (`/passkey/challenge`) finished
//! by the webauthn grant, and a passkey added to a signed-in user (the My Account API). Every
//! ceremony's state waits in the store under its `auth_session`, which works once, for five
//! minutes. No HTTP here: the routes read requests and answer the outcomes.

pub mod ceremonies;
pub mod credentials;
pub mod enrolment;
pub mod grant;
pub mod handles;
pub mod options;
pub mod relying_party;
pub mod response;
pub mod sign_in;
pub mod sign_up;

use webauthn_rs::prelude::WebauthnError;

use self::ceremonies::Ceremony;
use crate::connection::Connection;
use crate::failure::Failure;
use crate::mfa::FirstFactor;
use crate::rate_limit::{self, Decision};
use crate::tenant::Tenant;

/// How long an `auth_session` (and the browser's ceremony) lasts: WebAuthn's own default
/// timeout.
pub const CEREMONY_LIFETIME_SECS: u64 = 300;

/// What the tokens are to be for.
#[derive(Debug, Clone, Copy)]
pub struct TokenRequest<'a> {
    /// The connection named by the grant's `realm`, if any.
    pub realm: Option<Connection>,
    /// Already filtered (`tokens::my_account::first_factor_scope`).
    pub scope: &'a str,
    pub audience: Option<&'a str>,
}

/// What a webauthn grant came to.
#[derive(Debug)]
pub enum PasskeyGrant {
    Refused(Refusal),
    /// The sign-up's email or phone number got an account meanwhile.
    UserExists,
    Passed(FirstFactor),
}

/// What starting a ceremony came to.
#[derive(Debug)]
pub enum Started {
    /// The options for the browser, and the session that the grant (or verify call) names.
    Ceremony {
        auth_session: String,
        public_key: serde_json::Value,
    },
    /// A sign-up for an email or phone number that already has an account.
    UserExists,
    /// The connection is not enabled for the client.
    ConnectionDisabled,
}

/// A refused answer to a ceremony: what the caller is told (the detail is logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl Refusal {
    pub fn new(description: &str) -> Self {
        Self(description.to_owned())
    }

    /// What webauthn-rs found wrong, in the caller's words; the detail goes to the log.
    pub fn from_webauthn(error: &WebauthnError) -> Self {
        tracing::info!(%error, "a passkey's answer was refused");
        Self::new(match error {
            WebauthnError::MismatchedChallenge => {
                "The passkey answered another challenge than this auth_session's."
            }
            WebauthnError::InvalidRPOrigin => {
                "The passkey was used on an origin this application does not allow."
            }
            WebauthnError::InvalidRPIDHash => {
                "The passkey answered for another relying party (rpId)."
            }
            WebauthnError::CredentialPossibleCompromise => {
                "The passkey's signature counter went backwards: it may have been cloned."
            }
            WebauthnError::CredentialNotFound => "Unknown passkey.",
            WebauthnError::UserNotVerified | WebauthnError::UserNotPresent => {
                "The authenticator did not verify the user."
            }
            WebauthnError::InvalidClientDataType => {
                "The credential is of the wrong ceremony (clientDataJSON.type)."
            }
            WebauthnError::AuthenticationFailure => "The passkey's signature does not verify.",
            WebauthnError::CredentialExcludedFromRequest => {
                "This authenticator already holds a passkey of this user."
            }
            _ => "The passkey's answer could not be verified.",
        })
    }
}

/// Takes one passkey ceremony from the bucket of the IP `ip` (as many an hour as starts).
pub fn admit(tenant: &Tenant, ip: &str) -> Result<Decision, Failure> {
    tenant.store().transaction(|tx| {
        rate_limit::check(
            tx,
            &format!("passkey:{ip}"),
            tenant.config().start_limit_per_hour,
            tenant.now(),
        )
    })
}

/// The ceremony of `session` if it is still live, used up either way (an `auth_session`
/// works once, whether its answer passes or not).
pub fn open(tenant: &Tenant, session: &str) -> Result<Result<Ceremony, Refusal>, Failure> {
    let now = tenant.now();
    let taken = tenant
        .store()
        .transaction(|tx| ceremonies::take(tx, session))?;
    Ok(match taken {
        None => Err(Refusal::new(
            "The auth_session is unknown or was already used: start again.",
        )),
        Some(ceremony) if now >= ceremony.expires_at => {
            Err(Refusal::new("The auth_session has expired: start again."))
        }
        Some(ceremony) => Ok(ceremony),
    })
}

/// A new authentication method id for a passkey: `passkey|dev_` and 24 hex digits.
pub fn new_method_id(tenant: &Tenant) -> Result<String, Failure> {
    Ok(format!("passkey|dev_{}", tenant.new_user_id()?))
}
