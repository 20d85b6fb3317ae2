//! Code links in headless Chromium, through the real relay and local tenant: the tenant's code
//! email links to the app with the code in the fragment; the SDK reads it, clears it from the
//! address bar, completes it once; a malformed or foreign fragment is no code link and sends
//! nothing.

#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn refusal(promise: js_sys::Promise) -> JsValue {
    JsFuture::from(promise).await.expect_err("must reject")
}

#[wasm_bindgen_test]
async fn a_code_link_is_read_cleared_and_completed_once() {
    let client = client().await;
    let email = unique("code-link");
    JsFuture::from(client.start(object(&[("connection", s("email")), ("email", s(&email))])))
        .await
        .unwrap();
    let message = inbox(&email).await;
    let link = text(&message, "link");
    assert!(
        link.contains("#otp="),
        "the code email links to the app: {link}"
    );

    // From the address bar: read, and gone from it at once.
    let window = web_sys::window().unwrap();
    let before = window.location().href().unwrap();
    let fragment = link.split_once('#').unwrap().1.to_owned();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")))
        .unwrap();
    assert!(client.is_code_link(None));
    let info = client.read_code_link(None).unwrap();
    assert_eq!(text(&info, "connection"), "email");
    assert_eq!(text(&info, "email"), email);
    let after = window.location().href().unwrap();
    assert!(!after.contains("otp"), "{after}");
    assert_eq!(after, before.split('#').next().unwrap());

    let session = JsFuture::from(client.complete_code_link(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(text(&get(&session, "claims"), "email"), email);

    // The same link again, from its URL: spent.
    client.read_code_link(Some(link)).unwrap();
    let error = refusal(client.complete_code_link(JsValue::UNDEFINED)).await;
    assert_eq!(text(&error, "code"), "link_used_or_expired");
}

#[wasm_bindgen_test]
async fn a_malformed_or_foreign_fragment_is_not_a_code_link() {
    let client = client().await;
    for url in [
        "https://app.example/#section-2",
        "https://app.example/#access_token=x",
        "https://app.example/#otp=12345&email=a%40b.co",
        "https://app.example/#otp=123456&email=nope",
        "not a url",
    ] {
        assert!(!client.is_code_link(Some(url.into())), "{url}");
        let error = client.read_code_link(Some(url.into())).unwrap_err();
        assert_eq!(text(&error, "code"), "not_a_callback", "{url}");
    }
    let error = refusal(client.complete_code_link(JsValue::UNDEFINED)).await;
    assert_eq!(text(&error, "code"), "not_a_callback");
}
