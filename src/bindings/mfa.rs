//! `client.mfa`: the second factor of a sign-in that answered `mfa_required`. Each method
//! converts its arguments, calls the core's [`Client`] once and converts the answer.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::client::signal_of;
use super::platform::Web;
use super::{from_js, promise, to_js};
use crate::client::Client;
use crate::convert;
use crate::error::{codes, SdkError};
use crate::flows::mfa::MfaParams;
use crate::given::Given;

/// `client.mfa`: list, challenge, enrol, remove and verify the user's second factors.
#[wasm_bindgen]
pub struct MfaClient {
    client: Rc<Client<Web>>,
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
    pub(super) fn new(client: Rc<Client<Web>>) -> Self {
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
            to_js(&client.authenticators(&token).await?)
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
            let params: MfaParams = from_js(params, codes::INVALID_INPUT)?;
            to_js(&client.challenge(params).await?)
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
            let params: MfaParams = from_js(params, codes::INVALID_INPUT)?;
            to_js(&client.enroll(params).await?)
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
            client.remove_authenticator(&token, &id).await?;
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
            let signal = signal_of(&params);
            let params: MfaParams = from_js(params, codes::INVALID_INPUT)?;
            Ok(client.verify_second_factor(params, signal).await?.0)
        })
    }
}
