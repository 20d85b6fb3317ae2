//! `PasswordlessClient`: the first factor (a code by email or SMS, or an email magic link) and
//! the magic link's callback.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::browser::{self, callback_of, location_href, random_token, replace_address};
use super::mfa::MfaClient;
use super::session::Client;
use super::{from_js, js_error, promise};
use crate::error::{codes, SdkError};
use crate::flows::link::{self, Transaction};
use crate::flows::passwordless::{self, LinkSecrets};
use crate::flows::SignInParams;
use crate::options::{ClientOptions, Options};
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
        Ok(Self {
            client: Rc::new(Client::new(options)),
        })
    }

    /// Sends a one-time code by email or SMS, or a magic link by email.
    #[wasm_bindgen(unchecked_return_type = "Promise<StartResult>")]
    pub fn start(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StartParams")] params: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let params: SignInParams = from_js(params, codes::INVALID_INPUT)?;
            let options = &client.options;
            let secrets = || {
                Ok(LinkSecrets {
                    state: random_token()?,
                    nonce: random_token()?,
                })
            };
            let started = passwordless::start(options, &params, secrets)?;
            if let Some((key, transaction)) = &started.keep {
                save_transaction(options, key, transaction)?;
            }
            // The server's answer as it came: `{_id, email, email_verified}` or the SMS one.
            transport::send(options, &started.call).await
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
            let call = passwordless::verify(&client.options, &params)?;
            client.sign_in(&call, None).await
        })
    }

    /// Whether `url` (the current address by default) is a magic link's callback.
    #[wasm_bindgen(js_name = isRedirectCallback)]
    pub fn is_redirect_callback(&self, url: Option<String>) -> bool {
        let href = url.or_else(location_href).unwrap_or_default();
        callback_of(&href).0.read().is_some()
    }

    /// Completes a magic link: checks `state` against this browser's transaction, exchanges the
    /// code, verifies the ID token and its `nonce`, and removes the code from the address bar.
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
                Some(state) => take_transaction(&client.options, state)?,
                None => None,
            };
            let (call, nonce) = link::exchange(&client.options, callback, saved)?;
            client.sign_in(&call, Some(&nonce)).await
        })
    }

    /// The second factor: list, challenge, enrol and verify.
    #[wasm_bindgen(getter)]
    pub fn mfa(&self) -> MfaClient {
        MfaClient::new(self.client.clone())
    }
}

/// Keeps a link's transaction where its callback will look for it.
fn save_transaction(
    options: &Options,
    key: &str,
    transaction: &Transaction,
) -> Result<(), SdkError> {
    let text = serde_wasm_bindgen::to_value(transaction)
        .ok()
        .and_then(|value| js_sys::JSON::stringify(&value).ok())
        .and_then(|text| text.as_string())
        .ok_or_else(SdkError::storage_unavailable)?;
    browser::storage(options.link_storage)?
        .set_item(key, &text)
        .map_err(|_| SdkError::storage_unavailable())
}

/// Takes the transaction for `state` out of storage (a callback works once), if it is there.
fn take_transaction(options: &Options, state: &str) -> Result<Option<Transaction>, SdkError> {
    let storage = browser::storage(options.link_storage)?;
    let key = link::transaction_key(state);
    let text = storage.get_item(&key).ok().flatten();
    let _ = storage.remove_item(&key);
    Ok(text
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .and_then(|value| serde_wasm_bindgen::from_value(value).ok()))
}
