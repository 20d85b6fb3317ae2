//! `PasswordlessClient`, the package's entry point.

use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::to_js;
use super::signature::{self, IssuerCache};
use crate::error::SdkError;
use crate::flows::{self, StartParams, VerifyParams};
use crate::options::{ClientOptions, RawOptions};
use crate::transport::{self, string_at};

struct Inner {
    options: ClientOptions,
    issuer: IssuerCache,
}

/// Signs a user in without a password, through your relay.
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
            scope: string_at(&options, "scope"),
            timeout_ms: Reflect::get(&options, &"timeoutMs".into())
                .ok()
                .filter(|v| !v.is_undefined())
                .map(|v| v.as_f64().unwrap_or(f64::NAN)),
        };
        let options = ClientOptions::parse(raw).map_err(to_js)?;
        Ok(Self {
            inner: Rc::new(Inner {
                options,
                issuer: IssuerCache::default(),
            }),
        })
    }

    /// Sends a one-time code to the user.
    #[wasm_bindgen(unchecked_return_type = "Promise<StartResult>")]
    pub fn start(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StartParams")] params: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        let params = StartParams {
            connection: string_at(&params, "connection"),
            email: string_at(&params, "email"),
            send: string_at(&params, "send"),
        };
        future_to_promise(async move {
            let call = flows::start(&inner.options, &params).map_err(to_js)?;
            let answer = transport::post(&inner.options, &call)
                .await
                .map_err(to_js)?;
            if answer.ok() {
                Ok(answer.body)
            } else {
                Err(to_js(answer.error()))
            }
        })
    }

    /// Exchanges the code the user typed for tokens, and verifies the ID token.
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "VerifyParams")] params: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        let params = VerifyParams {
            connection: string_at(&params, "connection"),
            email: string_at(&params, "email"),
            code: string_at(&params, "code"),
        };
        future_to_promise(async move {
            let call = flows::verify(&inner.options, &params).map_err(to_js)?;
            let answer = transport::post(&inner.options, &call)
                .await
                .map_err(to_js)?;
            if !answer.ok() {
                return Err(to_js(answer.error()));
            }
            session(&inner, &answer.body).await.map_err(to_js)
        })
    }
}

/// The token set, with the ID token verified and its claims exposed.
async fn session(inner: &Inner, tokens: &JsValue) -> Result<JsValue, SdkError> {
    let id_token = string_at(tokens, "id_token")
        .ok_or_else(|| SdkError::invalid_id_token("the server answered without an ID token"))?;
    let claims = signature::verify(&inner.options, &inner.issuer, &id_token, None).await?;
    let session = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&session, &JsValue::from_str(key), &value);
    };
    let field =
        |key: &str| Reflect::get(tokens, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    set("accessToken", field("access_token"));
    set("idToken", JsValue::from_str(&id_token));
    set("tokenType", field("token_type"));
    set("expiresIn", field("expires_in"));
    set("scope", field("scope"));
    set("claims", claims);
    Ok(session.into())
}
