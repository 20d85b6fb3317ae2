//! `client.mfa`: the second factor, with an `mfaToken` from an `mfa_required` error.

use std::rc::Rc;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::client::Inner;
use super::error::{answer_to_js, to_js};
use super::{browser, promise, renamed};
use crate::error::{codes, SdkError};
use crate::flows::mfa::{self, Proof, POLL_INTERVAL_SECS};
use crate::input;
use crate::transport::{self, string_at};

/// The second factor of a sign-in that answered `mfa_required`.
#[wasm_bindgen]
pub struct MfaClient {
    inner: Rc<Inner>,
}

impl MfaClient {
    pub(crate) fn new(inner: Rc<Inner>) -> Self {
        Self { inner }
    }
}

fn mfa_token(params: &JsValue) -> Result<String, JsValue> {
    input::required(string_at(params, "mfaToken"), "mfaToken is required").map_err(to_js)
}

/// Sends `call` and answers its JSON body, or the error.
async fn answer_of(inner: &Inner, call: &crate::flows::Call) -> Result<JsValue, JsValue> {
    let answer = transport::send(&inner.options, call).await.map_err(to_js)?;
    if answer.ok() {
        Ok(if answer.body.is_undefined() {
            JsValue::NULL
        } else {
            answer.body
        })
    } else {
        Err(answer_to_js(&answer))
    }
}

#[wasm_bindgen]
impl MfaClient {
    /// The user's authenticators.
    #[wasm_bindgen(js_name = getAuthenticators, unchecked_return_type = "Promise<Authenticator[]>")]
    pub fn get_authenticators(
        &self,
        #[wasm_bindgen(js_name = "mfaToken")] mfa_token: String,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let token = input::required(Some(mfa_token), "mfaToken is required").map_err(to_js)?;
            let list = answer_of(&inner, &mfa::authenticators(&token)).await?;
            let renamed_list: js_sys::Array = js_sys::Array::from(&list)
                .iter()
                .map(|a| {
                    renamed(
                        &a,
                        &[
                            ("id", "id"),
                            ("authenticator_type", "authenticatorType"),
                            ("oob_channel", "oobChannel"),
                            ("name", "name"),
                            ("active", "active"),
                        ],
                    )
                })
                .collect();
            Ok(renamed_list.into())
        })
    }

    /// Asks for a challenge: `otp` needs nothing sent; `oob` sends a code (SMS, email) or a push.
    #[wasm_bindgen(unchecked_return_type = "Promise<Challenge>")]
    pub fn challenge(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChallengeParams")] params: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let token = mfa_token(&params)?;
            let call = mfa::challenge(
                &inner.options,
                &token,
                string_at(&params, "challengeType").as_deref(),
                string_at(&params, "authenticatorId").as_deref(),
            )
            .map_err(to_js)?;
            let body = answer_of(&inner, &call).await?;
            Ok(renamed(
                &body,
                &[
                    ("challenge_type", "challengeType"),
                    ("oob_code", "oobCode"),
                    ("binding_method", "bindingMethod"),
                ],
            )
            .into())
        })
    }

    /// Enrols a factor: `otp` answers the secret and an `otpauth://` URI for a QR code; `sms`
    /// and `email` send a code to confirm with `verify({ mfaToken, oobCode, bindingCode })`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Enrollment>")]
    pub fn enroll(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EnrollParams")] params: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let token = mfa_token(&params)?;
            let call = mfa::enroll(
                &token,
                string_at(&params, "factor").as_deref(),
                string_at(&params, "phoneNumber").as_deref(),
                string_at(&params, "email").as_deref(),
            )
            .map_err(to_js)?;
            let body = answer_of(&inner, &call).await?;
            Ok(renamed(
                &body,
                &[
                    ("authenticator_type", "authenticatorType"),
                    ("secret", "secret"),
                    ("barcode_uri", "barcodeUri"),
                    ("oob_channel", "oobChannel"),
                    ("oob_code", "oobCode"),
                    ("binding_method", "bindingMethod"),
                    ("recovery_codes", "recoveryCodes"),
                ],
            )
            .into())
        })
    }

    /// Removes an authenticator.
    #[wasm_bindgen(js_name = removeAuthenticator, unchecked_return_type = "Promise<void>")]
    pub fn remove_authenticator(
        &self,
        #[wasm_bindgen(js_name = "mfaToken")] mfa_token: String,
        #[wasm_bindgen(js_name = "authenticatorId")] authenticator_id: String,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let call = mfa::remove(&mfa_token, &authenticator_id).map_err(to_js)?;
            answer_of(&inner, &call).await.map(|_| JsValue::UNDEFINED)
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
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let token = mfa_token(&params)?;
            let proof = Proof::read(
                string_at(&params, "otp"),
                string_at(&params, "oobCode"),
                string_at(&params, "bindingCode"),
                string_at(&params, "recoveryCode"),
            )
            .map_err(to_js)?;
            let poll = Reflect::get(&params, &"poll".into())
                .ok()
                .and_then(|v| v.as_bool())
                == Some(true);
            let signal = Reflect::get(&params, &"signal".into())
                .ok()
                .filter(|s| s.is_object());
            let call = mfa::verify(&inner.options, &token, &proof);
            let mut interval = POLL_INTERVAL_SECS;
            loop {
                let error = match inner.sign_in(&call, None).await {
                    Ok(session) => return Ok(session),
                    Err(error) => error,
                };
                let code = string_at(&error, "code").unwrap_or_default();
                let next = if poll {
                    mfa::next_poll(&code, interval)
                } else {
                    None
                };
                let Some(next) = next else { return Err(error) };
                interval = next;
                // Sleep in slices so that an abort is noticed promptly.
                for _ in 0..(interval * 5) {
                    if aborted(signal.as_ref()) {
                        return Err(to_js(SdkError::new(
                            codes::CANCELLED,
                            "Waiting for the approval was cancelled.",
                        )));
                    }
                    browser::sleep(200).await;
                }
            }
        })
    }
}

fn aborted(signal: Option<&JsValue>) -> bool {
    signal
        .and_then(|s| Reflect::get(s, &"aborted".into()).ok())
        .and_then(|a| a.as_bool())
        == Some(true)
}
