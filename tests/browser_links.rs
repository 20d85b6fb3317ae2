//! The SDK's magic links in headless Chromium, through the real relay and local tenant: state
//! and nonce in the link, the transaction in Web Storage (localStorage by default), refused
//! callbacks, expiry and sweeping, and `appState`.

#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Reflect;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export function block_storage(name) {
  const original = Object.getOwnPropertyDescriptor(window, name);
  Object.defineProperty(window, name, {
    configurable: true,
    get() { throw new DOMException('storage is blocked', 'SecurityError'); },
  });
  return () => Object.defineProperty(window, name, original);
}")]
extern "C" {
    /// Makes `localStorage` or `sessionStorage` throw as when the user blocks site data;
    /// answers the undo.
    fn block_storage(name: &str) -> js_sys::Function;
}

#[wasm_bindgen_test]
async fn a_magic_link_without_web_storage_is_storage_unavailable() {
    for (storage, option) in [("localStorage", None), ("sessionStorage", Some("session"))] {
        let mut options = vec![("redirectUri", s(&format!("{RELAY}/")))];
        options.extend(option.map(|o| ("linkStorage", s(o))));
        let client = client_with(&options).await;
        let undo = block_storage(storage);
        let result = JsFuture::from(client.start(object(&[
            ("connection", s("email")),
            ("email", s(&unique("no-storage"))),
            ("send", s("link")),
        ])))
        .await;
        undo.call0(&JsValue::NULL).unwrap();
        let error = result.expect_err("start must reject");
        assert_eq!(text(&error, "code"), "storage_unavailable", "{storage}");
    }
}

#[wasm_bindgen_test]
async fn a_magic_link_carries_state_and_nonce_and_a_foreign_callback_is_refused() {
    let redirect = format!("{RELAY}/");
    let client = client_with(&[("redirectUri", s(&redirect))]).await;
    let email = unique("link");
    JsFuture::from(client.start(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("send", s("link")),
    ])))
    .await
    .unwrap();
    let message = inbox(&email).await;
    assert_eq!(text(&message, "kind"), "link");
    let link = web_sys::Url::new(&text(&message, "link")).unwrap();
    let params = link.search_params();
    assert_eq!(params.get("response_type").as_deref(), Some("code"));
    assert_eq!(params.get("redirect_uri"), Some(redirect.clone()));
    let state = params.get("state").expect("a state");
    assert!(state.len() >= 32 && params.get("nonce").is_some_and(|n| n.len() >= 32));

    assert!(client.is_redirect_callback(Some(format!("{redirect}?code=abc&state={state}"))));
    assert!(!client.is_redirect_callback(Some(redirect.clone())));
    // Another browser has no transaction for this state.
    let error = rejection(
        client.handle_redirect_callback(Some(format!("{redirect}?code=abc&state=someone-elses"))),
    )
    .await;
    assert_eq!(text(&error, "code"), "link_other_browser");
    let error = rejection(client.handle_redirect_callback(Some(format!("{redirect}?error=access_denied&error_description=Wrong%20email%20or%20verification%20code.&state={state}")))).await;
    // The identity provider refuses a used or expired link with access_denied.
    assert_eq!(text(&error, "code"), "link_used_or_expired");
    assert_eq!(
        text(&error, "description"),
        "Wrong email or verification code."
    );
    // The refusal used up the transaction: a callback for it finds none.
    let error = rejection(
        client.handle_redirect_callback(Some(format!("{redirect}?code=abc&state={state}"))),
    )
    .await;
    assert_eq!(text(&error, "code"), "link_other_browser");
    let error = rejection(client.handle_redirect_callback(Some(redirect))).await;
    assert_eq!(text(&error, "code"), "not_a_callback");
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn an_expired_link_is_refused_and_expired_transactions_are_swept() {
    let redirect = format!("{RELAY}/");
    let client = client_with(&[("redirectUri", s(&redirect))]).await;
    let storage = local_storage();
    // A transaction as `start()` keeps it, whose link expired a minute ago.
    let past = js_sys::Date::now() / 1000.0 - 60.0;
    let expired =
        format!(r#"{{"nonce":"n","redirectUri":"{redirect}","expiresAt":{past},"appState":null}}"#);
    storage.set_item("passwordless.link.old", &expired).unwrap();
    let error =
        rejection(client.handle_redirect_callback(Some(format!("{redirect}?code=abc&state=old"))))
            .await;
    assert_eq!(text(&error, "code"), "link_used_or_expired");
    assert_eq!(
        storage.get_item("passwordless.link.old").unwrap(),
        None,
        "used up"
    );

    storage
        .set_item("passwordless.link.stale", &expired)
        .unwrap();
    storage
        .set_item("passwordless.link.garbage", "{not json")
        .unwrap();
    storage.set_item("someone.elses", "kept").unwrap();
    JsFuture::from(client.start(object(&[
        ("connection", s("email")),
        ("email", s(&unique("sweep"))),
        ("send", s("link")),
    ])))
    .await
    .expect("start resolves");
    assert_eq!(storage.get_item("passwordless.link.stale").unwrap(), None);
    assert_eq!(storage.get_item("passwordless.link.garbage").unwrap(), None);
    assert_eq!(
        storage.get_item("someone.elses").unwrap().as_deref(),
        Some("kept")
    );
    storage.remove_item("someone.elses").unwrap();
}

#[wasm_bindgen_test]
async fn app_state_is_kept_with_the_link_and_must_be_json() {
    let redirect = format!("{RELAY}/");
    let client = client_with(&[("redirectUri", s(&redirect))]).await;
    let email = unique("app-state");
    let app_state = object(&[("returnTo", s("/cart")), ("items", JsValue::from(3))]);
    JsFuture::from(client.start(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("send", s("link")),
        ("appState", app_state),
    ])))
    .await
    .expect("start resolves");
    let link = web_sys::Url::new(&text(&inbox(&email).await, "link")).unwrap();
    let state = link.search_params().get("state").unwrap();
    let kept = local_storage()
        .get_item(&format!("passwordless.link.{state}"))
        .unwrap()
        .expect("the transaction is in localStorage by default");
    let kept = js_sys::JSON::parse(&kept).unwrap();
    assert_eq!(text(&kept, "appState"), r#"{"returnTo":"/cart","items":3}"#);

    let cyclic = js_sys::Object::new();
    Reflect::set(&cyclic, &s("self"), &cyclic).unwrap();
    let error = rejection(client.start(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("send", s("link")),
        ("appState", cyclic.into()),
    ])))
    .await;
    assert_eq!(text(&error, "code"), "invalid_input");
    assert!(text(&error, "description").starts_with("appState"));
}
