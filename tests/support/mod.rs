//! What the SDK's browser suites share: the built package (pkg/, as users get it), the relay's
//! address, JS object helpers, and the tenant's dev routes (inbox, users, faults) behind the
//! dev relay. `scripts/build-sdk.sh` must have built pkg/ first (`npm test` does).

#![allow(dead_code)]

use js_sys::{Array, Error, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub const RELAY: &str = match option_env!("PASSWORDLESS_TEST_RELAY") {
    Some(url) => url,
    None => "http://127.0.0.1:18080",
};

/// A real relay in front of a server that is not ours and answers outside Auth0's shapes
/// (`tests/support/foreign-upstream.mjs`, started by `scripts/test-browser.sh`).
pub const FOREIGN_RELAY: &str = match option_env!("PASSWORDLESS_TEST_FOREIGN_RELAY") {
    Some(url) => url,
    None => "http://127.0.0.1:18082",
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with(url: &str, init: &JsValue) -> Promise;
}

/// The package's module, exactly as built into pkg/ (its wasm core is loaded by `init` from
/// the built `passwordless_bg.wasm`).
#[wasm_bindgen(module = "/pkg/passwordless.js")]
extern "C" {
    /// The package's `init` (wasm-bindgen's), given `{ module_or_path: bytes }`.
    #[wasm_bindgen(js_name = default)]
    fn init(source: &JsValue) -> Promise;

    pub type PasswordlessClient;
    #[wasm_bindgen(constructor, catch)]
    pub fn new(options: JsValue) -> Result<PasswordlessClient, JsValue>;
    #[wasm_bindgen(method)]
    pub fn start(this: &PasswordlessClient, params: JsValue) -> Promise;
    #[wasm_bindgen(method)]
    pub fn verify(this: &PasswordlessClient, params: JsValue) -> Promise;
    #[wasm_bindgen(method, js_name = isRedirectCallback)]
    pub fn is_redirect_callback(this: &PasswordlessClient, url: Option<String>) -> bool;
    #[wasm_bindgen(method, js_name = handleRedirectCallback)]
    pub fn handle_redirect_callback(this: &PasswordlessClient, url: Option<String>) -> Promise;
    #[wasm_bindgen(method, getter)]
    pub fn mfa(this: &PasswordlessClient) -> MfaClient;
    #[wasm_bindgen(method, getter)]
    pub fn passkeys(this: &PasswordlessClient) -> PasskeyClient;
    #[wasm_bindgen(method, js_name = isCodeLink)]
    pub fn is_code_link(this: &PasswordlessClient, url: Option<String>) -> bool;
    #[wasm_bindgen(method, catch, js_name = readCodeLink)]
    pub fn read_code_link(
        this: &PasswordlessClient,
        url: Option<String>,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, js_name = completeCodeLink)]
    pub fn complete_code_link(this: &PasswordlessClient, params: JsValue) -> Promise;
    #[wasm_bindgen(method, js_name = getSession)]
    pub fn get_session(this: &PasswordlessClient) -> Promise;
    #[wasm_bindgen(method)]
    pub fn refresh(this: &PasswordlessClient) -> Promise;
    #[wasm_bindgen(method, js_name = signOut)]
    pub fn sign_out(this: &PasswordlessClient) -> Promise;
    #[wasm_bindgen(method, js_name = receiveSmsCode)]
    pub fn receive_sms_code(this: &PasswordlessClient, options: JsValue) -> Promise;
    #[wasm_bindgen(method, js_name = onSessionChange)]
    pub fn on_session_change(
        this: &PasswordlessClient,
        listener: &js_sys::Function,
    ) -> js_sys::Function;

    pub type PasskeyClient;
    #[wasm_bindgen(method, js_name = isSupported)]
    pub fn is_supported(this: &PasskeyClient) -> bool;
    #[wasm_bindgen(method, js_name = isAutofillSupported)]
    pub fn is_autofill_supported(this: &PasskeyClient) -> Promise;
    #[wasm_bindgen(method, js_name = signUp)]
    pub fn sign_up(this: &PasskeyClient, params: JsValue) -> Promise;
    #[wasm_bindgen(method, js_name = signIn)]
    pub fn sign_in(this: &PasskeyClient, params: JsValue) -> Promise;
    #[wasm_bindgen(method)]
    pub fn add(this: &PasskeyClient) -> Promise;

    pub type MfaClient;
    #[wasm_bindgen(method, js_name = getAuthenticators)]
    pub fn get_authenticators(this: &MfaClient, mfa_token: String) -> Promise;
    #[wasm_bindgen(method)]
    pub fn challenge(this: &MfaClient, params: JsValue) -> Promise;
    #[wasm_bindgen(method)]
    pub fn enroll(this: &MfaClient, params: JsValue) -> Promise;
    #[wasm_bindgen(method, js_name = removeAuthenticator)]
    pub fn remove_authenticator(this: &MfaClient, mfa_token: String, id: String) -> Promise;
    #[wasm_bindgen(method)]
    pub fn verify(this: &MfaClient, params: JsValue) -> Promise;
}

/// Loads the package's wasm core (once per test page: `init` returns at once afterwards).
pub async fn init_package() {
    static WASM: &[u8] = include_bytes!("../../pkg/passwordless_bg.wasm");
    let bytes = js_sys::Uint8Array::from(WASM);
    JsFuture::from(init(&object(&[("module_or_path", bytes.into())])))
        .await
        .expect("the wasm core loads");
}

pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (k, v) in pairs {
        Reflect::set(&object, &(*k).into(), v).unwrap();
    }
    object.into()
}

pub fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

pub fn text(value: &JsValue, key: &str) -> String {
    get(value, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

pub async fn client_with(extra: &[(&str, JsValue)]) -> PasswordlessClient {
    let mut pairs = vec![("domain", s(RELAY)), ("clientId", s("demo-client"))];
    pairs.extend(extra.iter().cloned());
    init_package().await;
    PasswordlessClient::new(object(&pairs)).expect("valid options")
}

pub async fn client() -> PasswordlessClient {
    client_with(&[]).await
}

pub fn unique(tag: &str) -> String {
    format!(
        "{tag}+{}@example.com",
        (js_sys::Math::random() * 1e12) as u64
    )
}

pub fn unique_phone() -> String {
    format!("+1415{:07}", (js_sys::Math::random() * 1e7) as u64)
}

pub async fn json_fetch(url: &str, init: JsValue) -> JsValue {
    let response: web_sys::Response = JsFuture::from(fetch_with(url, &init))
        .await
        .unwrap()
        .unchecked_into();
    JsFuture::from(response.json().unwrap()).await.unwrap()
}

/// The newest dev-inbox message to `to`.
pub async fn inbox(to: &str) -> JsValue {
    let url = format!("{RELAY}/dev/inbox?to={}", js_sys::encode_uri_component(to));
    Array::from(&json_fetch(&url, JsValue::UNDEFINED).await).get(0)
}

/// POSTs JSON to the relay's `path`: the answer's JSON, or `null` when it has none.
pub async fn post_json(path: &str, body: JsValue) -> JsValue {
    let init = object(&[
        ("method", s("POST")),
        (
            "headers",
            object(&[("content-type", s("application/json"))]),
        ),
        ("body", JSON::stringify(&body).unwrap().into()),
    ]);
    let response: web_sys::Response = JsFuture::from(fetch_with(&format!("{RELAY}{path}"), &init))
        .await
        .unwrap()
        .unchecked_into();
    let text = JsFuture::from(response.text().unwrap()).await.unwrap();
    JSON::parse(&text.as_string().unwrap_or_default()).unwrap_or(JsValue::NULL)
}

/// The tenant's dev routes behind the dev relay.
pub async fn dev_post(path: &str, body: JsValue) -> JsValue {
    post_json(path, body).await
}

/// Waits `ms` milliseconds (for an event that arrives as a later task).
pub async fn sleep_ms(ms: i32) {
    let done = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(done).await.unwrap();
}

/// `verify()`'s parameters for an email code.
pub fn email_and_code(email: &str, code: &str) -> JsValue {
    object(&[
        ("connection", s("email")),
        ("email", s(email)),
        ("code", s(code)),
    ])
}

/// Sends a one-time code to `email` and reads it from the dev inbox.
pub async fn email_code(client: &PasswordlessClient, email: &str) -> String {
    let params = object(&[
        ("connection", s("email")),
        ("email", s(email)),
        ("send", s("code")),
    ]);
    JsFuture::from(client.start(params))
        .await
        .expect("start resolves");
    text(&inbox(email).await, "code")
}

pub async fn rejection(promise: Promise) -> JsValue {
    let error = JsFuture::from(promise)
        .await
        .expect_err("the promise must reject");
    assert!(error.is_instance_of::<Error>(), "rejects with a real Error");
    error
}

pub fn wrong_than(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// Signs in a dev user with `factors`, expecting `mfa_required`; answers (error, dev user).
pub async fn mfa_required(factors: &[&str]) -> (JsValue, JsValue, String) {
    let email = unique("mfa");
    let factors: Array = factors.iter().map(|f| s(f)).collect();
    let user = dev_post(
        "/dev/users",
        object(&[
            ("email", s(&email)),
            ("factors", factors.into()),
            ("mfa_phone_number", s(&unique_phone())),
        ]),
    )
    .await;
    let client = client().await;
    let code = email_code(&client, &email).await;
    let error = rejection(client.verify(email_and_code(&email, &code))).await;
    assert_eq!(text(&error, "code"), "mfa_required");
    (error, user, email)
}
