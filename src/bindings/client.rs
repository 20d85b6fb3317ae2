//! `PasswordlessClient`: the first factor (a code by email or SMS, or an email magic link),
//! the magic link's callback and the session. Each method converts its arguments, calls the
//! core's [`Client`] once and converts the answer.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::mfa::MfaClient;
use super::passkeys::PasskeyClient;
use super::platform::{watch_other_tabs, Web};
use super::{from_js, js_error, promise};
use crate::client::Client;
use crate::convert::Js;
use crate::error::codes;
use crate::flows::SignInParams;
use crate::options::ClientOptions;

/// Signs a user in without a password (email or SMS one-time code, or an email magic link),
/// through your relay, and passes a second factor when the account has one.
///
/// @example
/// ```js
/// import init, { PasswordlessClient } from "passwordless-wasm";
/// await init();
/// const client = new PasswordlessClient({ domain: "https://app.example.com/auth", clientId: "YOUR_CLIENT_ID" });
/// await client.start({ connection: "email", email: "ada@example.com", send: "code" });
/// const session = await client.verify({ connection: "email", email: "ada@example.com", code: "123456" });
/// console.log(session.claims.email);
/// ```
#[wasm_bindgen]
pub struct PasswordlessClient {
    client: Rc<Client<Web>>,
}

#[wasm_bindgen]
impl PasswordlessClient {
    /// Checks the options; throws an `invalid_options` PasswordlessError naming the bad one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<PasswordlessClient, JsValue> {
        let options = from_js::<ClientOptions>(options, codes::INVALID_OPTIONS)
            .and_then(ClientOptions::check)
            .map_err(js_error)?;
        let client = Client::new(Web, options);
        watch_other_tabs(&client);
        Ok(Self { client })
    }

    /// Sends a one-time code by email or SMS, or a magic link by email.
    #[wasm_bindgen(unchecked_return_type = "Promise<StartResult>")]
    pub fn start(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StartParams")] params: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            // `appState` is the page's value, carried as it is (JSON text in the transaction).
            let app_state = Reflect::get(&params, &JsValue::from_str("appState"))
                .ok()
                .filter(|v| !v.is_undefined())
                .map(Js);
            let params: SignInParams = from_js(params, codes::INVALID_INPUT)?;
            Ok(client.start(&params, app_state).await?.0)
        })
    }

    /// Exchanges the code the user typed for tokens, and verifies the ID token.
    /// Rejects with `mfa_required` (and `mfaToken`) when a second factor is needed.
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "VerifyParams")] params: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let params: SignInParams = from_js(params, codes::INVALID_INPUT)?;
            Ok(client.verify(&params).await?.0)
        })
    }

    /// Whether `url` (the current address by default) is a magic link's callback.
    #[wasm_bindgen(js_name = isRedirectCallback)]
    pub fn is_redirect_callback(&self, url: Option<String>) -> bool {
        self.client.is_redirect_callback(url)
    }

    /// Completes a magic link, in whichever tab of this browser opened it: checks `state`
    /// against the link's transaction (used once), exchanges the code, verifies the ID token
    /// and its `nonce`, removes the code from the address bar, and hands back `appState`.
    /// Rejects with `link_other_browser` or `link_used_or_expired` when the link cannot work.
    #[wasm_bindgen(js_name = handleRedirectCallback, unchecked_return_type = "Promise<Session>")]
    pub fn handle_redirect_callback(&self, url: Option<String>) -> Promise {
        let client = self.client.clone();
        promise(async move { Ok(client.handle_redirect_callback(url).await?.0) })
    }

    /// Whether `url` (the current address by default) is a code link: the app's own page with
    /// a one-time code (and the address) in its fragment, as the tenant's email links to it.
    #[wasm_bindgen(js_name = isCodeLink)]
    pub fn is_code_link(&self, url: Option<String>) -> bool {
        self.client.is_code_link(url)
    }

    /// Reads the code link, removes it from the address bar at once, and answers whom it signs
    /// in (`{}` when the link carries no address: ask for it). Nothing is exchanged yet: show
    /// "Continue as …" and call `completeCodeLink()` when the user clicks. Throws
    /// `not_a_callback` when the address holds no (well-formed) code link.
    #[wasm_bindgen(js_name = readCodeLink, unchecked_return_type = "CodeLinkInfo")]
    pub fn read_code_link(&self, url: Option<String>) -> Result<JsValue, JsValue> {
        self.client
            .read_code_link(url)
            .map(|info| info.0)
            .map_err(js_error)
    }

    /// Signs in with the code link read last (in any browser, on any device): the
    /// passwordless OTP grant. `params` names the address when the link carried none.
    /// Rejects with `link_used_or_expired` once the code is spent, `mfa_required` as `verify()`.
    #[wasm_bindgen(js_name = completeCodeLink, unchecked_return_type = "Promise<Session>")]
    pub fn complete_code_link(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CodeLinkAddress")] params: Option<JsValue>,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let params: SignInParams = match params {
                Some(params) if !params.is_undefined() && !params.is_null() => {
                    from_js(params, codes::INVALID_INPUT)?
                }
                _ => SignInParams::default(),
            };
            Ok(client.complete_code_link(params).await?.0)
        })
    }

    /// The current session, or `null` when signed out; never one whose ID token has expired.
    /// Renews it first (with its refresh token, `offline_access`) when it expires soon.
    #[wasm_bindgen(js_name = getSession, unchecked_return_type = "Promise<Session | null>")]
    pub fn get_session(&self) -> Promise {
        let client = self.client.clone();
        promise(async move {
            Ok(client
                .current()
                .await?
                .map_or(JsValue::NULL, |session| session.0))
        })
    }

    /// Renews the session through the relay's refresh-token grant. Calls made while one
    /// renewal runs share it. A refused refresh signs the user out (`session_expired`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn refresh(&self) -> Promise {
        let client = self.client.clone();
        promise(async move { Ok(client.refresh().await?.0) })
    }

    /// Signs out: forgets the session (here and in `localStorage`) and revokes its refresh
    /// token through the relay.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<void>")]
    pub fn sign_out(&self) -> Promise {
        let client = self.client.clone();
        promise(async move {
            client.sign_out().await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Calls `listener` with `{type: "signedIn" | "refreshed" | "signedOut", session}` when
    /// the session changes, here or (with `cacheLocation: "localstorage"`) in another tab.
    /// Answers the function that stops it.
    #[wasm_bindgen(js_name = onSessionChange, unchecked_return_type = "() => void")]
    pub fn on_session_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(change: SessionChange) => void")]
        listener: Function,
    ) -> JsValue {
        let id = self.client.subscribe(listener);
        let client = Rc::downgrade(&self.client);
        Closure::<dyn FnMut()>::new(move || {
            if let Some(client) = client.upgrade() {
                client.unsubscribe(id);
            }
        })
        .into_js_value()
    }

    /// Waits for the texted code (WebOTP: the phone offers the SMS whose last line is
    /// `@host #code` for this page) and answers it, until `signal` aborts (`cancelled`).
    /// Rejects with `unsupported` where the browser has no WebOTP: keep
    /// `autocomplete="one-time-code"` on the field for those.
    #[wasm_bindgen(js_name = receiveSmsCode, unchecked_return_type = "Promise<string>")]
    pub fn receive_sms_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ signal?: AbortSignal }")] options: Option<JsValue>,
    ) -> Promise {
        let signal = options.as_ref().and_then(signal_of);
        let client = self.client.clone();
        promise(async move { Ok(client.receive_sms_code(signal).await?.into()) })
    }

    /// The second factor: list, challenge, enrol and verify.
    #[wasm_bindgen(getter)]
    pub fn mfa(&self) -> MfaClient {
        MfaClient::new(self.client.clone())
    }

    /// Passkeys: sign up or in with one, or add one to the signed-in user.
    #[wasm_bindgen(getter)]
    pub fn passkeys(&self) -> PasskeyClient {
        PasskeyClient::new(self.client.clone())
    }
}

/// An argument object's `signal`: a live `AbortSignal`, taken as it is (not data).
pub(super) fn signal_of(object: &JsValue) -> Option<AbortSignal> {
    Reflect::get(object, &JsValue::from_str("signal"))
        .ok()
        .and_then(|s| s.dyn_into::<AbortSignal>().ok())
}
