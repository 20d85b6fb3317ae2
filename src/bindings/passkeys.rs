//! `client.passkeys`: sign up or in with a passkey, or add one to the signed-in user. Each
//! method converts its arguments, calls the core's [`Client`] once and converts the answer.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::client::signal_of;
use super::platform::Web;
use super::{from_js, promise};
use crate::client::Client;
use crate::error::codes;
use crate::flows::passkey::{SignInParams, SignUpParams};

/// `client.passkeys`: Auth0's Passkey APIs for embedded applications, through the relay.
///
/// @example
/// ```js
/// if (client.passkeys.isSupported()) {
///   const session = await client.passkeys.signIn();
/// }
/// // After a code sign-in (with the offline_access scope):
/// await client.passkeys.add();
/// ```
#[wasm_bindgen]
pub struct PasskeyClient {
    client: Rc<Client<Web>>,
}

impl PasskeyClient {
    pub(super) fn new(client: Rc<Client<Web>>) -> Self {
        Self { client }
    }
}

#[wasm_bindgen]
impl PasskeyClient {
    /// Whether this page can use passkeys (WebAuthn on a secure page).
    #[wasm_bindgen(js_name = isSupported)]
    pub fn is_supported(&self) -> bool {
        self.client.passkeys_supported()
    }

    /// Whether the browser offers passkeys in a field's autofill (`mediation: "conditional"`).
    #[wasm_bindgen(js_name = isAutofillSupported, unchecked_return_type = "Promise<boolean>")]
    pub fn is_autofill_supported(&self) -> Promise {
        let client = self.client.clone();
        promise(async move { Ok(client.autofill_supported().await.into()) })
    }

    /// Signs a new user up with a passkey made on this device. Rejects with `user_exists`
    /// when the address has an account (sign in with a code, then `add()`),
    /// `passkey_cancelled` when the user closes the sheet, `mfa_required` as `verify()`.
    #[wasm_bindgen(js_name = signUp, unchecked_return_type = "Promise<Session>")]
    pub fn sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PasskeySignUpParams")] params: JsValue,
    ) -> Promise {
        let signal = signal_of(&params);
        let client = self.client.clone();
        promise(async move {
            let params: SignUpParams = from_js(params, codes::INVALID_INPUT)?;
            let ceremony = client.passkey_sign_up(&params)?;
            Ok(client.passkey_session(ceremony, signal).await?.0)
        })
    }

    /// Signs in with a passkey: from the browser's sheet, or (`mediation: "conditional"`) when
    /// the user picks one from a field's autofill. An aborted `signal` rejects with `cancelled`.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<Session>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PasskeySignInParams")] params: Option<JsValue>,
    ) -> Promise {
        let params = params.unwrap_or_else(|| js_sys::Object::new().into());
        let signal = signal_of(&params);
        let client = self.client.clone();
        promise(async move {
            let params: SignInParams = from_js(params, codes::INVALID_INPUT)?;
            let ceremony = client.passkey_sign_in(&params)?;
            Ok(client.passkey_session(ceremony, signal).await?.0)
        })
    }

    /// Adds a passkey to the signed-in user (Auth0's My Account API), so that they can come
    /// back with it. Needs the `offline_access` scope (or the issuer's `/me/` audience).
    #[wasm_bindgen(unchecked_return_type = "Promise<PasskeyMethod>")]
    pub fn add(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ signal?: AbortSignal }")] options: Option<JsValue>,
    ) -> Promise {
        let signal = options.as_ref().and_then(signal_of);
        let client = self.client.clone();
        promise(async move { Ok(client.passkey_add(signal).await?.0) })
    }
}
