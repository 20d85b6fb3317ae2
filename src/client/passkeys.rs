//! Passkeys: a new user signs up with one, a returning user signs in with one (from a sheet
//! or from a field's autofill), and a user signed in with a code adds one through the My
//! Account API. The sessions they make are the same as a code's: the ID token verified, kept,
//! and reported to the listeners; `mfa_required` passes through as after `verify()`.

use super::sessions::Change;
use super::Client;
use crate::error::{codes, SdkError};
use crate::flows::passkey::{self, SignInParams, SignUpParams, WebAuthnCall};
use crate::flows::{session, Call, Connection};
use crate::platform::Platform;

/// What a passkey sign-up or sign-in asks: the server's call, the browser's WebAuthn call,
/// and the connection of a new user.
pub struct PasskeyCeremony {
    call: Call,
    asked: WebAuthnCall,
    realm: Option<Connection>,
}

impl<P: Platform> Client<P> {
    pub fn passkeys_supported(&self) -> bool {
        self.platform.passkeys_supported()
    }

    pub async fn autofill_supported(&self) -> bool {
        self.platform.passkeys_supported() && self.platform.autofill_supported().await
    }

    fn check_supported(&self) -> Result<(), SdkError> {
        match self.platform.passkeys_supported() {
            true => Ok(()),
            false => Err(passkey::unsupported()),
        }
    }

    /// A sign-up with a passkey: what [`Client::passkey_session`] asks of the server and the
    /// browser.
    pub fn passkey_sign_up(&self, params: &SignUpParams) -> Result<PasskeyCeremony, SdkError> {
        let (call, realm) = passkey::register(&self.options, params, self.platform.unicode())?;
        Ok(PasskeyCeremony {
            call,
            asked: WebAuthnCall::Create,
            realm: Some(realm),
        })
    }

    /// A sign-in with a passkey the user picks, now or (`mediation: "conditional"`) from a
    /// field's autofill.
    pub fn passkey_sign_in(&self, params: &SignInParams) -> Result<PasskeyCeremony, SdkError> {
        Ok(PasskeyCeremony {
            call: passkey::challenge(&self.options),
            asked: params.mediation()?,
            realm: None,
        })
    }

    /// Runs a sign-up's or a sign-in's ceremony: the server's options, the browser's
    /// credential, the passkey grant and the session (one future for both).
    pub async fn passkey_session(
        &self,
        ceremony: PasskeyCeremony,
        signal: Option<P::Signal>,
    ) -> Result<P::Json, SdkError> {
        self.check_supported()?;
        if ceremony.asked == WebAuthnCall::Autofill && !self.platform.autofill_supported().await {
            return Err(SdkError::new(
                codes::PASSKEY_UNSUPPORTED,
                "This browser does not offer passkeys in a field's autofill: offer a button.",
            ));
        }
        let answer = self.fetch(&ceremony.call).await?;
        let (auth_session, public_key) = self.ceremony(&answer)?;
        let credential = self
            .platform
            .credential(public_key, ceremony.asked, signal)
            .await?;
        let grant = passkey::grant(&self.options, auth_session, credential, ceremony.realm);
        let signed = self.sign_in(&grant, None).await?;
        self.keep(signed, Change::SignedIn)
    }

    /// Adds a passkey to the signed-in user: the My Account API's enrolment, the browser's new
    /// credential, then its verification. Answers the new authentication method.
    pub async fn passkey_add(&self, signal: Option<P::Signal>) -> Result<P::Json, SdkError> {
        self.check_supported()?;
        let token = self.my_account_token().await?;
        let answer = self
            .platform
            .send(&self.options, &passkey::enrol(&token))
            .await?;
        let id = passkey::method_id(answer.location.as_deref())?;
        let (auth_session, public_key) = self.ceremony(&answer.body)?;
        let credential = self
            .platform
            .credential(public_key, WebAuthnCall::Create, signal)
            .await?;
        self.fetch(&passkey::verify(&token, &id, auth_session, credential))
            .await
    }

    /// The user's token for the My Account API: the session's own when the client asks for
    /// that audience, else one from its refresh token (Auth0's multi-resource refresh tokens).
    async fn my_account_token(&self) -> Result<String, SdkError> {
        let held = self
            .kept
            .borrow()
            .as_ref()
            .map(|k| k.held.clone())
            .ok_or_else(|| {
                SdkError::new(codes::NO_SESSION, "Sign in first, then add a passkey.")
            })?;
        let audience = passkey::my_account_audience(&self.issuer().await?);
        if self.options.audience.as_deref() == Some(audience.as_str()) {
            return Ok(held.access_token);
        }
        let refresh_token = held.refresh_token.ok_or_else(|| {
            SdkError::new(
                codes::NO_SESSION,
                "Adding a passkey needs a My Account API token: sign in with the \
                 offline_access scope (or with the issuer's /me/ audience).",
            )
        })?;
        let call = session::token_for(
            &self.options,
            &refresh_token,
            audience,
            passkey::ENROL_SCOPE,
        );
        let answer = self.fetch(&call).await?;
        self.platform
            .member(&answer, "access_token")
            .into_text()
            .ok_or_else(super::unexpected)
    }

    /// What the server answers before a ceremony: the session the grant names, and the
    /// options for `navigator.credentials` (the platform's JSON as it came: the bindings decode
    /// its binary members, and what WebAuthn adds later passes through untouched).
    fn ceremony(&self, answer: &P::Json) -> Result<(String, P::Json), SdkError> {
        let session = self.platform.member(answer, "auth_session").into_text();
        // An object (not an array).
        let options = self
            .platform
            .nested(answer, "authn_params_public_key")
            .filter(|options| self.platform.items(options).is_none());
        session.zip(options).ok_or_else(super::unexpected)
    }
}
