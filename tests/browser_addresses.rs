//! The address policy in the browser: the SDK's checks (the browser's NFKC, `RegExp` script
//! properties and `URL` parser) agree with the servers' (the Unicode crates) on every case of
//! `tests/data/addresses.json`, which `crates/wire` tests too. A refused address never leaves
//! the page; an accepted one reaches the dev inbox under its one canonical form.

#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Array;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!("data/addresses.json");

/// What the SDK's description says for each refusal of the policy (`EmailProblem::description`).
fn hint(problem: &str) -> &'static str {
    match problem {
        "malformed" => "is not a valid email address",
        "invisible" => "invisible",
        "mixed_local" => "before the @",
        "mixed_domain" => "domain that mixes",
        other => panic!("unknown problem {other}"),
    }
}

async fn messages_to(address: &str) -> u32 {
    let url = format!(
        "{RELAY}/dev/inbox?to={}",
        js_sys::encode_uri_component(address)
    );
    Array::from(&json_fetch(&url, JsValue::UNDEFINED).await).length()
}

#[wasm_bindgen_test]
async fn the_sdk_and_the_servers_agree_on_every_address() {
    // No resend cooldown: several cases are one address in different forms.
    let client = client_with(&[("resendAfterSeconds", JsValue::from(0))]).await;
    let cases = Array::from(&js_sys::JSON::parse(CASES).unwrap());
    assert!(cases.length() >= 30);
    for case in cases.iter() {
        let input = text(&case, "input");
        let params = object(&[
            ("connection", s("email")),
            ("email", s(&input)),
            ("send", s("code")),
        ]);
        match get(&case, "canonical").as_string() {
            Some(canonical) => {
                let key = canonical.to_lowercase();
                let before = messages_to(&key).await;
                JsFuture::from(client.start(params))
                    .await
                    .unwrap_or_else(|e| panic!("{input:?} must be accepted: {e:?}"));
                assert_eq!(
                    messages_to(&key).await,
                    before + 1,
                    "{input:?} reaches the inbox as {key}"
                );
            }
            None => {
                let error = rejection(client.start(params)).await;
                assert_eq!(text(&error, "code"), "invalid_input", "{input:?}");
                let description = text(&error, "description");
                if !input.trim().is_empty() {
                    let hint = hint(&text(&case, "problem"));
                    assert!(description.contains(hint), "{input:?}: {description}");
                }
            }
        }
    }
}
