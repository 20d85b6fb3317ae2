//! `PasswordlessClient`, the package's entry point.

use std::rc::Rc;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::error::{answer_to_js, to_js};
use super::mfa::MfaClient;
use super::signature::IssuerCache;
use super::{browser, promise, session, transactions};
use crate::error::{codes, SdkError};
use crate::flows::link::{self, Callback};
use crate::flows::passwordless::{self, LinkSecrets};
use crate::flows::{Call, Identity};
use crate::options::{ClientOptions, RawOptions};
use crate::transport::{self, string_at};

pub(crate) struct Inner {
    pub options: ClientOptions,
    pub issuer: IssuerCache,
}

impl Inner {
    /// Sends a call whose answer is a token set, and makes it a session.
    pub async fn sign_in(&self, call: &Call, nonce: Option<&str>) -> Result<JsValue, JsValue> {
        let answer = transport::send(&self.options, call).await.map_err(to_js)?;
        if !answer.ok() {
            return Err(answer_to_js(&answer));
        }
        session::from_tokens(&self.options, &self.issuer, &answer.body, nonce)
            .await
            .map_err(to_js)
    }
}

fn number_at(object: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined())
        .map(|v| v.as_f64().unwrap_or(f64::NAN))
}

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
#[wasm_bindgen(js_name = PasswordlessClient)]
pub struct PasswordlessClient {
    inner: Rc<Inner>,
}

#[wasm_bindgen(js_class = PasswordlessClient)]
impl PasswordlessClient {
    /// Checks the options; throws an `invalid_options` error naming the bad one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<PasswordlessClient, JsValue> {
        if !options.is_object() {
            return Err(to_js(SdkError::invalid_options(
                "options must be an object such as { domain, clientId }",
            )));
        }
        let raw = RawOptions {
            domain: string_at(&options, "domain"),
            client_id: string_at(&options, "clientId"),
            redirect_uri: string_at(&options, "redirectUri"),
            audience: string_at(&options, "audience"),
            scope: string_at(&options, "scope"),
            timeout_ms: number_at(&options, "timeoutMs"),
            language: string_at(&options, "language"),
            code_length: number_at(&options, "codeLength"),
            link_storage: string_at(&options, "linkStorage"),
        };
        let options = ClientOptions::parse(raw).map_err(to_js)?;
        Ok(Self {
            inner: Rc::new(Inner {
                options,
                issuer: IssuerCache::default(),
            }),
        })
    }

    /// Sends a one-time code by email or SMS, or a magic link by email.
    #[wasm_bindgen(unchecked_return_type = "Promise<StartResult>")]
    pub fn start(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StartParams")] params: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let identity = identity_of(&params).map_err(to_js)?;
            let send = string_at(&params, "send");
            let secrets = if send.as_deref() == Some("link") {
                Some(LinkSecrets {
                    state: browser::random_token(24).map_err(to_js)?,
                    nonce: browser::random_token(24).map_err(to_js)?,
                })
            } else {
                None
            };
            let call =
                passwordless::start(&inner.options, &identity, send.as_deref(), secrets.as_ref())
                    .map_err(to_js)?;
            if let (Some(secrets), Some(redirect_uri)) = (&secrets, &inner.options.redirect_uri) {
                transactions::save(
                    inner.options.link_storage,
                    &secrets.state,
                    &secrets.nonce,
                    redirect_uri,
                )
                .map_err(to_js)?;
            }
            let answer = transport::send(&inner.options, &call)
                .await
                .map_err(to_js)?;
            if answer.ok() {
                Ok(answer.body)
            } else {
                Err(answer_to_js(&answer))
            }
        })
    }

    /// Exchanges the code the user typed for tokens, and verifies the ID token.
    /// Rejects with `mfa_required` (and `mfaToken`) when a second factor is needed.
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "VerifyParams")] params: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let identity = identity_of(&params).map_err(to_js)?;
            let call = passwordless::verify(
                &inner.options,
                &identity,
                string_at(&params, "code").as_deref(),
            )
            .map_err(to_js)?;
            inner.sign_in(&call, None).await
        })
    }

    /// Whether `url` (the current address by default) is a magic link's callback.
    #[wasm_bindgen(js_name = isRedirectCallback)]
    pub fn is_redirect_callback(&self, url: Option<String>) -> bool {
        url.or_else(browser::location_href)
            .and_then(|href| callback_params(&href))
            .and_then(|params| link::read_callback(&params))
            .is_some()
    }

    /// Completes a magic link: checks `state` against this browser's transaction, exchanges the
    /// code, verifies the ID token and its `nonce`, and removes the code from the address bar.
    #[wasm_bindgen(js_name = handleRedirectCallback, unchecked_return_type = "Promise<Session>")]
    pub fn handle_redirect_callback(&self, url: Option<String>) -> Promise {
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let from_address_bar = url.is_none();
            let href = url.or_else(browser::location_href).unwrap_or_default();
            let callback = callback_params(&href)
                .and_then(|params| link::read_callback(&params))
                .ok_or_else(|| {
                    to_js(SdkError::new(
                        codes::NOT_A_CALLBACK,
                        "This address is not a magic link's callback.",
                    ))
                })?;
            if from_address_bar {
                if let Some(clean) = without_callback_params(&href) {
                    browser::replace_address(&clean);
                }
            }
            let storage = inner.options.link_storage;
            match callback {
                Callback::Error {
                    error,
                    description,
                    state,
                } => {
                    if let Some(state) = state {
                        let _ = transactions::take(storage, &state);
                    }
                    let mut error = SdkError::from_wire(0, Some(error), Some(description));
                    error.status = None;
                    Err(to_js(error))
                }
                Callback::Code { code, state } => {
                    let (nonce, redirect_uri) = transactions::take(storage, &state)
                        .map_err(to_js)?
                        .ok_or_else(|| to_js(link::state_mismatch()))?;
                    let call = link::exchange(&inner.options, &code, &redirect_uri);
                    inner.sign_in(&call, Some(&nonce)).await
                }
            }
        })
    }

    /// The second factor: list, challenge, enrol and verify.
    #[wasm_bindgen(getter)]
    pub fn mfa(&self) -> MfaClient {
        MfaClient::new(Rc::clone(&self.inner))
    }
}

/// `{connection, email | phoneNumber}` of `start()` and `verify()`, checked.
fn identity_of(params: &JsValue) -> Result<Identity, SdkError> {
    Identity::read(
        string_at(params, "connection").as_deref(),
        string_at(params, "email").as_deref(),
        string_at(params, "phoneNumber").as_deref(),
    )
}

const CALLBACK_PARAMS: [&str; 4] = ["code", "state", "error", "error_description"];

/// The callback parameters of `href`'s query.
fn callback_params(href: &str) -> Option<Vec<(String, String)>> {
    let url = web_sys::Url::new(href).ok()?;
    let search = url.search_params();
    Some(
        CALLBACK_PARAMS
            .iter()
            .filter_map(|name| search.get(name).map(|value| ((*name).to_owned(), value)))
            .collect(),
    )
}

/// `href` without the callback parameters, when it had any.
fn without_callback_params(href: &str) -> Option<String> {
    let url = web_sys::Url::new(href).ok()?;
    let search = url.search_params();
    for name in CALLBACK_PARAMS {
        search.delete(name);
    }
    let query = search.to_string().as_string().unwrap_or_default();
    url.set_search(&query);
    Some(url.href())
}
