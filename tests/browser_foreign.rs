//! The SDK in headless Chromium against a server that is not ours and answers outside
//! Auth0's documented shapes (`tests/support/foreign-upstream.mjs`), through the real relay that
//! `scripts/test-browser.sh` starts in front of it (PASSWORDLESS_TEST_FOREIGN_RELAY): what the
//! page gets still has the shapes the types promise, and a refusal is told from an outage.

#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_server_outside_auth0s_shapes_still_answers_as_the_types_promise() {
    // Through the real relay to a server that answers a start with `OK` (text/html) and
    // refuses a code with 400 `{"message": "Invalid code"}`.
    let client = client_with(&[("domain", s(FOREIGN_RELAY))]).await;
    let email = unique("foreign");
    let started =
        JsFuture::from(client.start(object(&[("connection", s("email")), ("email", s(&email))])))
            .await
            .expect("start resolves");
    assert!(started.is_object(), "an object, not {started:?}");
    assert_eq!(get(&started, "resendAfter").as_f64(), Some(30.0));
    let error = rejection(client.verify(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("code", s("123456")),
    ])))
    .await;
    assert_eq!(
        text(&error, "code"),
        "upstream_refused",
        "a refusal, not an outage"
    );
    assert_eq!(get(&error, "status").as_f64(), Some(400.0));
    assert_eq!(text(&error, "description"), "Invalid code");
}
