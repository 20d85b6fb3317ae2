//! The second factor of a sign-in that answered `mfa_required`: list, challenge, enrol and
//! remove authenticators, and verify (polling a push until it is answered).

use super::sessions::Change;
use super::Client;
use crate::error::SdkError;
use crate::flows::mfa::{self, MfaParams, POLL_INTERVAL_SECS};
use crate::flows::replies;
use crate::flows::Body;
use crate::platform::Platform;

impl<P: Platform> Client<P> {
    /// The user's authenticators.
    pub async fn authenticators(&self, mfa_token: &str) -> Result<Vec<Body>, SdkError> {
        let answer = self.fetch(&mfa::authenticators(mfa_token)).await?;
        let items = self.platform.items(&answer).ok_or_else(super::unexpected)?;
        items
            .iter()
            .map(|item| replies::authenticator(self.platform.members(item)))
            .collect::<Option<_>>()
            .ok_or_else(super::unexpected)
    }

    /// Asks for a challenge: `otp` needs nothing sent; `oob` sends a code or a push.
    pub async fn challenge(&self, params: MfaParams) -> Result<Body, SdkError> {
        let call = mfa::challenge(&self.options, params)?;
        let answer = self.fetch(&call).await?;
        replies::challenge(self.platform.members(&answer)).ok_or_else(super::unexpected)
    }

    /// Enrols a factor (a TOTP secret, or a code sent to a phone or an address).
    pub async fn enroll(&self, params: MfaParams) -> Result<Body, SdkError> {
        let call = mfa::enroll(params, self.platform.unicode())?;
        let answer = self.fetch(&call).await?;
        replies::enrollment(self.platform.members(&answer)).ok_or_else(super::unexpected)
    }

    pub async fn remove_authenticator(&self, mfa_token: &str, id: &str) -> Result<(), SdkError> {
        let call = mfa::remove(mfa_token, Some(id))?;
        self.fetch(&call).await?;
        Ok(())
    }

    /// Passes the second factor; with `poll`, a pending push is asked again at the interval
    /// the server sets (`authorization_pending`, `slow_down`) until it is answered or `cancel`
    /// aborts.
    pub async fn verify_second_factor(
        &self,
        params: MfaParams,
        cancel: Option<P::Signal>,
    ) -> Result<P::Json, SdkError> {
        let verify = mfa::verify(&self.options, params)?;
        let mut interval = POLL_INTERVAL_SECS;
        loop {
            let error = match self.sign_in(&verify.call, None).await {
                Ok(signed) => return self.keep(signed, Change::SignedIn),
                Err(error) => error,
            };
            match mfa::next_poll(&error.code, interval) {
                Some(next) if verify.poll => interval = next,
                _ => return Err(error),
            }
            self.platform.sleep(interval, cancel.as_ref()).await?;
        }
    }
}
