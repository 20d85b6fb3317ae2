//! Passkeys in headless Chromium, through the real relay and local tenant: what needs no
//! authenticator (support checks, argument errors, the server's options converted for
//! WebAuthn, an aborted autofill). The ceremonies themselves run in the demo's e2e with
//! Chromium's virtual authenticator (tests/e2e/flows/passkeys.mjs).

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
