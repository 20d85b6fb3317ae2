//! `PasswordlessClient`: the first factor (a code by email or SMS, or an email magic link) and
//! the magic link's callback.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::browser::{callback_of, location_href, now_seconds, random_token, replace_address};
use super::mfa::MfaClient;
use super::session::Client;
use super::sessions::Change;
use super::unicode::Browser;
use super::{from_js, js_error, promise, transactions, webotp};
use crate::error::{codes, server_codes, SdkError};
use crate::flows::link;
use crate::flows::passwordless::{self, NewLink};
use crate::flows::resend::resend_after;
use crate::flows::SignInParams;
use crate::options::ClientOptions;
use crate::transport;

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
    client: Rc<Client>,
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
        let client = Rc::new(Client::new(options));
        client.restore();
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
            let app_state = js_sys::Reflect::get(&params, &JsValue::from_str("appState"));
            let params: SignInParams = from_js(params, codes::INVALID_INPUT)?;
            let options = &client.options;
            let now = now_seconds();
            let new_link = || {
                Ok(NewLink {
                    state: random_token()?,
                    nonce: random_token()?,
                    now,
                    app_state: app_state_text(app_state.unwrap_or_default())?,
                })
            };
            let started = passwordless::start(options, &params, &Browser, new_link)?;
            client.cooldowns.borrow().check(&started.address, now)?;
            if let Some((key, transaction)) = &started.keep {
                transactions::save(options, key, transaction, now)?;
            }
            let sent = transport::send_for_answer(options, &started.call).await;
            let wait = match &sent {
                Ok((_, retry_after)) => resend_after(options.resend_after_secs, *retry_after),
                Err(e) if e.code == server_codes::TOO_MANY_REQUESTS => e.retry_after.unwrap_or(0),
                Err(_) => 0,
            };
            client
                .cooldowns
                .borrow_mut()
                .start(&started.address, now, wait);
            // The server's answer as it came (`{_id, email, email_verified}` or the SMS one),
            // and when another code may be asked for. A server that answers something else
            // than an object (`OK` as text/html, an empty body) still gets the page the
            // promised `{ resendAfter }`.
            let (answer, _) = sent?;
            let answer = if answer.is_object() && !js_sys::Array::is_array(&answer) {
                answer
            } else {
                js_sys::Object::new().into()
            };
            let _ = js_sys::Reflect::set(&answer, &JsValue::from_str("resendAfter"), &wait.into());
            Ok(answer)
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
            let checked = passwordless::verify(&client.options, &params, &Browser)?;
            match client.sign_in(&checked.call, None).await {
                Ok(session) => client.keep(session, Change::SignedIn),
                // A refused code may be dead (expired, tried too often): a new one may go now.
                Err(e) => {
                    if e.code == server_codes::INVALID_GRANT {
                        client.cooldowns.borrow_mut().end(&checked.address);
                    }
                    Err(e)
                }
            }
        })
    }

    /// Whether `url` (the current address by default) is a magic link's callback.
    #[wasm_bindgen(js_name = isRedirectCallback)]
    pub fn is_redirect_callback(&self, url: Option<String>) -> bool {
        let href = url.or_else(location_href).unwrap_or_default();
        callback_of(&href).0.read().is_some()
    }

    /// Completes a magic link, in whichever tab of this browser opened it: checks `state`
    /// against the link's transaction (used once), exchanges the code, verifies the ID token
    /// and its `nonce`, removes the code from the address bar, and hands back `appState`.
    /// Rejects with `link_other_browser` or `link_used_or_expired` when the link cannot work.
    #[wasm_bindgen(js_name = handleRedirectCallback, unchecked_return_type = "Promise<Session>")]
    pub fn handle_redirect_callback(&self, url: Option<String>) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let from_address_bar = url.is_none();
            let href = url.or_else(location_href).unwrap_or_default();
            let (params, clean) = callback_of(&href);
            let callback = params.read().ok_or_else(link::not_a_callback)?;
            if let (true, Some(clean)) = (from_address_bar, clean) {
                replace_address(&clean);
            }
            let saved = match callback.state() {
                Some(state) => transactions::take(&client.options, state)?,
                None => None,
            };
            let exchange = link::exchange(&client.options, callback, saved, now_seconds())?;
            let session = client
                .sign_in(&exchange.call, Some(&exchange.nonce))
                .await?;
            if let Some(app_state) = exchange.app_state {
                let value = js_sys::JSON::parse(&app_state).unwrap_or_default();
                let _ = js_sys::Reflect::set(&session, &JsValue::from_str("appState"), &value);
            }
            client.keep(session, Change::SignedIn)
        })
    }

    /// The current session, or `null` when signed out; never one whose ID token has expired.
    /// Renews it first (with its refresh token, `offline_access`) when it expires soon.
    #[wasm_bindgen(js_name = getSession, unchecked_return_type = "Promise<Session | null>")]
    pub fn get_session(&self) -> Promise {
        let client = self.client.clone();
        promise(async move { client.current().await })
    }

    /// Renews the session through the relay's refresh-token grant. Calls made while one
    /// renewal runs share it. A refused refresh signs the user out (`session_expired`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn refresh(&self) -> Promise {
        let client = self.client.clone();
        promise(async move { client.refresh().await })
    }

    /// Signs out: forgets the session (here and in `localStorage`) and revokes its refresh
    /// token through the relay.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<void>")]
    pub fn sign_out(&self) -> Promise {
        let client = self.client.clone();
        promise(async move { client.sign_out().await })
    }

    /// Calls `listener` with `{type: "signedIn" | "refreshed" | "signedOut", session}` when
    /// the session changes, here or (with `cacheLocation: "localstorage"`) in another tab.
    /// Answers the function that stops it.
    #[wasm_bindgen(js_name = onSessionChange, unchecked_return_type = "() => void")]
    pub fn on_session_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(change: SessionChange) => void")]
        listener: js_sys::Function,
    ) -> JsValue {
        self.client.subscribe(listener)
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
        let signal = options
            .and_then(|o| js_sys::Reflect::get(&o, &JsValue::from_str("signal")).ok())
            .and_then(|s| s.dyn_into::<web_sys::AbortSignal>().ok());
        promise(webotp::receive_sms_code(signal))
    }

    /// The second factor: list, challenge, enrol and verify.
    #[wasm_bindgen(getter)]
    pub fn mfa(&self) -> MfaClient {
        MfaClient::new(self.client.clone())
    }
}

/// `appState` as JSON text (the browser's `JSON`), or `invalid_input` when JSON cannot hold it.
fn app_state_text(value: JsValue) -> Result<Option<String>, SdkError> {
    if value.is_undefined() {
        return Ok(None);
    }
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|t| t.as_string());
    text.map(Some).ok_or_else(|| {
        SdkError::invalid_input(
            "appState must be a value JSON can hold (no cycles, BigInt or functions)",
        )
    })
}
