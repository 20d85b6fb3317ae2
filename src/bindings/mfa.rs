//! `client.mfa`: the second factor of a sign-in that answered `mfa_required`.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::browser::sleep;
use super::session::Client;
use super::sessions::Change;
use super::unicode::Browser;
use super::{from_js, promise, to_js};
use crate::convert;
use crate::error::{codes, SdkError};
use crate::flows::mfa::{self, MfaParams, POLL_INTERVAL_SECS};
use crate::flows::replies::{Authenticator, Challenge, Enrollment};
use crate::given::Given;
use crate::transport;

/// `client.mfa`: list, challenge, enrol, remove and verify the user's second factors.
#[wasm_bindgen]
pub struct MfaClient {
    client: Rc<Client>,
}

/// A string argument, or `invalid_input` naming it.
fn text_argument(value: JsValue, name: &'static str) -> Result<String, SdkError> {
    // Read as a `Given`, whose one visitor every option and parameter shares.
    let given: Given = convert::read(value).unwrap_or(Given::Other);
    match given.text(name)? {
        Some(text) if !text.is_empty() => Ok(text.into()),
        _ => Err(SdkError::invalid_input(String::from(name) + " is required")),
    }
}

impl MfaClient {
    pub(super) fn new(client: Rc<Client>) -> Self {
        Self { client }
    }
}

#[wasm_bindgen]
impl MfaClient {
    /// The user's authenticators.
    #[wasm_bindgen(js_name = getAuthenticators, unchecked_return_type = "Promise<Authenticator[]>")]
    pub fn get_authenticators(
        &self,
        #[wasm_bindgen(js_name = mfaToken, unchecked_param_type = "string")] mfa_token: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let token = text_argument(mfa_token, "mfaToken")?;
            let answer = transport::send(&client.options, &mfa::authenticators(&token)).await?;
            let list: Vec<Authenticator> = transport::read(answer)?;
            to_js(&list)
        })
    }

    /// Asks for a challenge: `otp` needs nothing sent; `oob` sends a code (SMS, email) or a push.
    #[wasm_bindgen(unchecked_return_type = "Promise<Challenge>")]
    pub fn challenge(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChallengeParams")] params: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let call = mfa::challenge(&client.options, from_js(params, codes::INVALID_INPUT)?)?;
            let answer = transport::send(&client.options, &call).await?;
            to_js(&transport::read::<Challenge>(answer)?)
        })
    }

    /// Enrols a factor: `otp` answers the secret and an `otpauth://` URI for a QR code; `sms`
    /// and `email` send a code to confirm with `verify({ mfaToken, oobCode, bindingCode })`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Enrollment>")]
    pub fn enroll(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EnrollParams")] params: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let call = mfa::enroll(from_js(params, codes::INVALID_INPUT)?, &Browser)?;
            let answer = transport::send(&client.options, &call).await?;
            to_js(&transport::read::<Enrollment>(answer)?)
        })
    }

    /// Removes an authenticator.
    #[wasm_bindgen(js_name = removeAuthenticator, unchecked_return_type = "Promise<void>")]
    pub fn remove_authenticator(
        &self,
        #[wasm_bindgen(js_name = mfaToken, unchecked_param_type = "string")] mfa_token: JsValue,
        #[wasm_bindgen(js_name = authenticatorId, unchecked_param_type = "string")]
        authenticator_id: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let token = text_argument(mfa_token, "mfaToken")?;
            let id = text_argument(authenticator_id, "authenticatorId")?;
            let call = mfa::remove(&token, Some(&id))?;
            transport::send(&client.options, &call).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Passes the second factor with a TOTP `otp`, an `oobCode` (and the `bindingCode` the user
    /// typed), or a `recoveryCode` (the session then carries the new `recoveryCode`). With
    /// `poll: true`, a push is polled until approved, denied or `signal` aborts.
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MfaVerifyParams")] params: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            // The signal is a live object, not data: it is taken as it is.
            let signal = js_sys::Reflect::get(&params, &JsValue::from_str("signal"))
                .ok()
                .and_then(|s| s.dyn_into::<AbortSignal>().ok());
            let verify = mfa::verify(
                &client.options,
                from_js::<MfaParams>(params, codes::INVALID_INPUT)?,
            )?;
            let mut interval = POLL_INTERVAL_SECS;
            loop {
                let error = match client.sign_in(&verify.call, None).await {
                    Ok(session) => return client.keep(session, Change::SignedIn),
                    Err(error) => error,
                };
                match mfa::next_poll(&error.code, interval) {
                    Some(next) if verify.poll => interval = next,
                    _ => return Err(error),
                }
                sleep(interval, signal.as_ref()).await?;
            }
        })
    }
}
