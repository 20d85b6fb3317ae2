//! The SDK in headless Chromium, through the real relay and local tenant started by
//! `scripts/test.sh` (`passwordless-relay dev` at PASSWORDLESS_TEST_RELAY).

#![cfg(target_arch = "wasm32")]

use js_sys::{Error, Object, Promise, Reflect};
use passwordless::PasswordlessClient;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const RELAY: &str = match option_env!("PASSWORDLESS_TEST_RELAY") {
    Some(url) => url,
    None => "http://127.0.0.1:18080",
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch(url: &str) -> Promise;
}

fn object(pairs: &[(&str, &str)]) -> JsValue {
    let object = Object::new();
    for (k, v) in pairs {
        Reflect::set(&object, &(*k).into(), &(*v).into()).unwrap();
    }
    object.into()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn client_for(domain: &str) -> PasswordlessClient {
    PasswordlessClient::new(object(&[("domain", domain), ("clientId", "demo-client")]))
        .expect("valid options")
}

fn unique_email(tag: &str) -> String {
    format!(
        "{tag}+{}@example.com",
        (js_sys::Math::random() * 1e12) as u64
    )
}

/// The newest code the local tenant "sent" to `to`, from the dev inbox behind the relay.
async fn inbox_code(to: &str) -> String {
    let url = format!("{RELAY}/dev/inbox?to={}", js_sys::encode_uri_component(to));
    let response: web_sys::Response = JsFuture::from(fetch(&url)).await.unwrap().unchecked_into();
    let messages = JsFuture::from(response.json().unwrap()).await.unwrap();
    get(&js_sys::Array::from(&messages).get(0), "code")
        .as_string()
        .expect("a code in the inbox")
}

/// Awaits a promise that must reject, and returns the rejection after checking it is an `Error`.
async fn rejection(promise: Promise) -> JsValue {
    let error = JsFuture::from(promise)
        .await
        .expect_err("the promise must reject");
    assert!(error.is_instance_of::<Error>(), "rejects with a real Error");
    error
}

fn code_of(error: &JsValue) -> String {
    get(error, "code").as_string().unwrap()
}

#[wasm_bindgen_test]
async fn an_email_code_signs_the_user_in_with_verified_claims() {
    let client = client_for(RELAY);
    let email = unique_email("ada");
    let params = object(&[("connection", "email"), ("email", &email), ("send", "code")]);
    let started = JsFuture::from(client.start(params))
        .await
        .expect("start resolves");
    assert_eq!(get(&started, "email").as_string().unwrap(), email);

    let code = inbox_code(&email).await;
    let params = object(&[("connection", "email"), ("email", &email), ("code", &code)]);
    let session = JsFuture::from(client.verify(params))
        .await
        .expect("verify resolves");
    let claims = get(&session, "claims");
    assert_eq!(get(&claims, "email").as_string().unwrap(), email);
    assert_eq!(get(&claims, "aud").as_string().unwrap(), "demo-client");
    assert!(get(&claims, "sub")
        .as_string()
        .unwrap()
        .starts_with("email|"));
    assert_eq!(get(&session, "tokenType").as_string().unwrap(), "Bearer");
    assert!(
        get(&session, "idToken")
            .as_string()
            .unwrap()
            .split('.')
            .count()
            == 3
    );
}

#[wasm_bindgen_test]
async fn a_wrong_code_rejects_with_the_servers_error() {
    let client = client_for(RELAY);
    let email = unique_email("bob");
    let start = object(&[("connection", "email"), ("email", &email), ("send", "code")]);
    JsFuture::from(client.start(start)).await.unwrap();
    let code = inbox_code(&email).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let params = object(&[("connection", "email"), ("email", &email), ("code", wrong)]);
    let error = rejection(client.verify(params)).await;
    assert_eq!(code_of(&error), "invalid_grant");
    assert_eq!(get(&error, "status").as_f64(), Some(403.0));
    assert_eq!(
        get(&error, "description").as_string().unwrap(),
        "Wrong email or verification code."
    );
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_before_the_network() {
    // A domain where nothing listens: an input error proves no request was needed.
    let client = client_for("http://127.0.0.1:9");
    let cases = [
        object(&[
            ("connection", "email"),
            ("email", "not-an-email"),
            ("send", "code"),
        ]),
        object(&[("connection", "carrier-pigeon"), ("email", "a@b.co")]),
    ];
    for params in cases {
        let error = rejection(client.start(params)).await;
        assert_eq!(code_of(&error), "invalid_input");
    }
    let params = object(&[
        ("connection", "email"),
        ("email", "a@b.co"),
        ("code", "12ab"),
    ]);
    let error = rejection(client.verify(params)).await;
    assert_eq!(code_of(&error), "invalid_input");
    assert!(get(&error, "description")
        .as_string()
        .unwrap()
        .starts_with("code"));
}

#[wasm_bindgen_test]
fn bad_options_throw_invalid_options() {
    let error = PasswordlessClient::new(object(&[("clientId", "demo-client")]))
        .err()
        .expect("no domain must throw");
    assert!(error.is_instance_of::<Error>());
    assert_eq!(code_of(&error), "invalid_options");
    assert!(get(&error, "description")
        .as_string()
        .unwrap()
        .contains("domain"));
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_network_error() {
    let client = client_for("http://127.0.0.1:9");
    let params = object(&[
        ("connection", "email"),
        ("email", "a@b.co"),
        ("send", "code"),
    ]);
    let error = rejection(client.start(params)).await;
    assert_eq!(code_of(&error), "network_error");
    assert!(get(&error, "status").is_undefined());
}
