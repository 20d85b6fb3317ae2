//! Passkeys and code links in headless Chromium, through the real relay and local tenant: what
//! needs no authenticator (support checks, argument errors, the server's options converted for
//! WebAuthn, an aborted autofill), and code links read, cleared and completed. The ceremonies
//! themselves run in the demo's e2e with Chromium's virtual authenticator.

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
async fn chromium_has_passkeys_and_says_whether_its_autofill_offers_them() {
    let client = client().await;
    assert!(client.passkeys().is_supported());
    let autofill = JsFuture::from(client.passkeys().is_autofill_supported())
        .await
        .unwrap();
    assert!(autofill.as_bool().is_some(), "a boolean: {autofill:?}");
}

#[wasm_bindgen_test]
async fn passkey_arguments_are_checked_before_any_request() {
    let client = client().await;
    let passkeys = client.passkeys();
    for params in [
        object(&[]),
        object(&[("email", s("not an address"))]),
        object(&[("email", s("a@b.co")), ("phoneNumber", s("+15551234567"))]),
        object(&[("phoneNumber", s("555"))]),
        s("ada@example.com"),
    ] {
        let error = refusal(passkeys.sign_up(params)).await;
        assert_eq!(text(&error, "code"), "invalid_input");
    }
    let error = refusal(passkeys.sign_in(object(&[("mediation", s("silent"))]))).await;
    assert_eq!(text(&error, "code"), "invalid_input");
    let error = refusal(passkeys.add()).await;
    assert_eq!(text(&error, "code"), "no_session", "signed out");
}

/// The tenant's relying party is `localhost` and these suites run on 127.0.0.1, so the browser
/// refuses the ceremony with a `SecurityError`, which it checks only after converting the
/// options: options that reach that check were decoded into what WebAuthn takes.
#[wasm_bindgen_test]
async fn the_servers_options_are_converted_for_webauthn() {
    let client = client().await;
    let sign_up = client
        .passkeys()
        .sign_up(object(&[("email", s(&unique("pk-options")))]));
    let error = refusal(sign_up).await;
    assert_eq!(text(&error, "code"), "passkey_unsupported");
    assert!(
        text(&error, "description").contains("SecurityError"),
        "{}",
        text(&error, "description")
    );
    let error = refusal(client.passkeys().sign_in(object(&[]))).await;
    assert_eq!(text(&error, "code"), "passkey_unsupported");
    assert!(text(&error, "description").contains("SecurityError"));
}

#[wasm_bindgen_test]
async fn an_aborted_autofill_is_cancelled() {
    let client = client().await;
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let params = object(&[
        ("mediation", s("conditional")),
        ("signal", controller.signal().into()),
    ]);
    let error = refusal(client.passkeys().sign_in(params)).await;
    let code = text(&error, "code");
    // Where the autofill is not offered the call says so before any ceremony.
    assert!(
        code == "cancelled" || code == "passkey_unsupported",
        "{code}"
    );
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
