//! The SDK's sign-in in headless Chromium, through the real relay and local tenant started by
//! `scripts/test.sh` (`passwordless-devserver` at PASSWORDLESS_TEST_RELAY): codes by email and
//! SMS, input and option checks, network failures, forged ID tokens, token answers of the wrong
//! type, the resend cooldown and texted codes read by the phone (WebOTP). Magic links are in
//! `browser_links.rs`.

#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Error, Reflect};
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn an_email_code_signs_the_user_in_with_verified_claims() {
    let client = client().await;
    let email = unique("ada");
    let started = JsFuture::from(client.start(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("send", s("code")),
    ])))
    .await
    .expect("start resolves");
    assert_eq!(text(&started, "email"), email);
    let code = text(&inbox(&email).await, "code");
    let session = JsFuture::from(client.verify(email_and_code(&email, &code)))
        .await
        .expect("verify resolves");
    let claims = get(&session, "claims");
    assert_eq!(text(&claims, "email"), email);
    assert_eq!(text(&claims, "aud"), "demo-client");
    assert_eq!(text(&session, "tokenType"), "Bearer");
}

#[wasm_bindgen_test]
async fn an_sms_code_signs_in_with_a_normalised_number() {
    let client = client().await;
    let phone = unique_phone();
    let spaced = format!(
        "{} ({}) {}-{}",
        &phone[..2],
        &phone[2..5],
        &phone[5..8],
        &phone[8..]
    );
    let started = JsFuture::from(client.start(object(&[
        ("connection", s("sms")),
        ("phoneNumber", s(&spaced)),
    ])))
    .await
    .unwrap();
    assert_eq!(text(&started, "phone_number"), phone);
    let code = text(&inbox(&phone).await, "code");
    let session = JsFuture::from(client.verify(object(&[
        ("connection", s("sms")),
        ("phoneNumber", s(&phone)),
        ("code", s(&code)),
    ])))
    .await
    .expect("verify resolves");
    assert!(text(&get(&session, "claims"), "sub").starts_with("sms|"));
}

#[wasm_bindgen_test]
async fn a_wrong_code_rejects_with_the_servers_error() {
    let client = client().await;
    let email = unique("bob");
    JsFuture::from(client.start(object(&[("connection", s("email")), ("email", s(&email))])))
        .await
        .expect("start resolves");
    // A second code, asked for elsewhere (this client waits out its resend cooldown).
    let code = email_code(&client_with(&[]).await, &email).await;
    let error = rejection(client.verify(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("code", s(wrong_than(&code))),
    ])))
    .await;
    assert_eq!(text(&error, "code"), "invalid_grant");
    assert_eq!(get(&error, "status").as_f64(), Some(403.0));
    assert_eq!(
        text(&error, "description"),
        "Wrong email or verification code."
    );
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_before_the_network() {
    let client = client_with(&[("domain", s("http://127.0.0.1:9"))]).await;
    let cases = [
        (
            object(&[("connection", s("email")), ("email", s("not-an-email"))]),
            "email",
        ),
        (
            object(&[("connection", s("carrier-pigeon")), ("email", s("a@b.co"))]),
            "connection",
        ),
        (
            object(&[("connection", s("sms")), ("phoneNumber", s("415 555 0100"))]),
            "phoneNumber must start with +",
        ),
        (
            object(&[
                ("connection", s("email")),
                ("email", s("a@b.co")),
                ("send", s("link")),
            ]),
            "redirectUri",
        ),
    ];
    for (params, hint) in cases {
        let error = rejection(client.start(params)).await;
        let code = text(&error, "code");
        assert!(
            code == "invalid_input" || code == "invalid_options",
            "{code}"
        );
        assert!(
            text(&error, "description").contains(hint),
            "{hint}: {}",
            text(&error, "description")
        );
    }
    let error = rejection(client.verify(email_and_code("a@b.co", "12ab"))).await;
    assert_eq!(text(&error, "code"), "invalid_input");
    let error = rejection(client.mfa().verify(object(&[("mfaToken", s("t"))]))).await;
    assert_eq!(text(&error, "code"), "invalid_input");
}

#[wasm_bindgen_test]
async fn oversized_and_unreadable_arguments_are_refused_and_the_client_keeps_working() {
    let client = client().await;
    // 300 KB: far beyond what earlier calls used, so the core's memory grows for this call.
    let huge = format!("{}@example.com", "a".repeat(300_000));
    let error =
        rejection(client.start(object(&[("connection", s("email")), ("email", s(&huge))]))).await;
    assert_eq!(text(&error, "code"), "invalid_input");
    assert!(text(&error, "description").starts_with("email"));
    // Nesting deeper than any real argument, and a value JSON cannot hold, where a string
    // belongs: refused, naming the field.
    let mut deep = object(&[]);
    for _ in 0..100 {
        deep = object(&[("inner", deep)]);
    }
    let cyclic = js_sys::Object::new();
    Reflect::set(&cyclic, &s("self"), &cyclic).unwrap();
    for (field, value) in [
        ("email", deep.clone()),
        ("email", cyclic.clone().into()),
        ("code", deep.clone()),
    ] {
        let mut params = vec![
            ("connection", s("email")),
            ("email", s("a@b.co")),
            ("code", s("123456")),
        ];
        params.retain(|(k, _)| *k != field);
        params.push((field, value));
        let error = rejection(client.verify(object(&params))).await;
        assert_eq!(text(&error, "code"), "invalid_input");
        assert!(
            text(&error, "description").starts_with(field),
            "{field}: {}",
            text(&error, "description")
        );
    }
    // The same values under names the SDK does not read are never looked at.
    let email = unique("extra-members");
    let params = object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("deep", deep),
        ("cyclic", cyclic.into()),
    ]);
    JsFuture::from(client.start(params))
        .await
        .expect("unknown members are ignored");
    // A normal sign-in still works after all that.
    let email = unique("after-huge");
    let code = email_code(&client, &email).await;
    let session = JsFuture::from(client.verify(email_and_code(&email, &code)))
        .await
        .expect("verify resolves");
    assert_eq!(text(&get(&session, "claims"), "email"), email);
}

#[wasm_bindgen_test]
async fn bad_options_throw_invalid_options() {
    for (options, field) in [
        (object(&[("clientId", s("demo-client"))]), "domain"),
        (
            object(&[
                ("domain", s(RELAY)),
                ("clientId", s("x")),
                ("timeoutMs", JsValue::from(-1)),
            ]),
            "timeoutMs",
        ),
        (
            object(&[
                ("domain", s(RELAY)),
                ("clientId", s("x")),
                ("redirectUri", s("callback")),
            ]),
            "redirectUri",
        ),
    ] {
        init_package().await;
        let error = PasswordlessClient::new(options).err().expect("must throw");
        assert!(error.is_instance_of::<Error>());
        assert_eq!(text(&error, "code"), "invalid_options");
        assert!(text(&error, "description").contains(field));
    }
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_network_error() {
    let client = client_with(&[("domain", s("http://127.0.0.1:9"))]).await;
    let error = rejection(client.start(object(&[
        ("connection", s("email")),
        ("email", s("a@b.co")),
    ])))
    .await;
    assert_eq!(text(&error, "code"), "network_error");
    assert!(get(&error, "status").is_undefined());
}

#[wasm_bindgen_test]
async fn a_server_slower_than_timeout_ms_is_a_timeout() {
    let client = client_with(&[("timeoutMs", JsValue::from(300))]).await;
    let email = unique("slow");
    // The tenant's next answer to this address comes after 5 s; the client gives up at 0.3 s.
    dev_post(
        "/dev/slow-answers",
        object(&[("to", s(&email)), ("seconds", JsValue::from(5))]),
    )
    .await;
    let error =
        rejection(client.start(object(&[("connection", s("email")), ("email", s(&email))]))).await;
    assert_eq!(text(&error, "code"), "timeout");
    assert!(get(&error, "status").is_undefined());
}

#[wasm_bindgen_test]
async fn bad_id_tokens_are_refused() {
    for fault in [
        "alg-none",
        "hs256",
        "tampered",
        "expired",
        "wrong-audience",
        "unknown-kid",
    ] {
        let client = client().await;
        let email = unique("forged");
        JsFuture::from(client.start(object(&[
            ("connection", s("email")),
            ("email", s(&email)),
            ("send", s("code")),
        ])))
        .await
        .unwrap();
        dev_post(
            "/dev/id-token-faults",
            object(&[("to", s(&email)), ("fault", s(fault))]),
        )
        .await;
        let code = text(&inbox(&email).await, "code");
        let error = rejection(client.verify(email_and_code(&email, &code))).await;
        assert_eq!(
            text(&error, "code"),
            "invalid_id_token",
            "{fault}: {}",
            text(&error, "description")
        );
    }
}

#[wasm_bindgen_test]
async fn a_float_where_the_token_answer_has_a_string_or_a_whole_number_is_unexpected_response() {
    // serde-wasm-bindgen's type error for a float formats the number with core's float
    // formatter, which scripts/shrink-wasm.mjs stubs out: the stub must answer, not trap (a
    // trap would leave the promise pending and this test timing out).
    let client = client().await;
    for (field, value) in [
        ("expires_in", 1.5),
        ("id_token", 1.5),
        ("access_token", -0.25),
        ("expires_in", 1e300),
    ] {
        let email = unique("float");
        dev_post(
            "/dev/token-answer-faults",
            object(&[
                ("to", s(&email)),
                ("field", s(field)),
                ("value", JsValue::from(value)),
            ]),
        )
        .await;
        let code = email_code(&client, &email).await;
        let error = rejection(client.verify(email_and_code(&email, &code))).await;
        assert!(error.is_instance_of::<Error>());
        assert_eq!(
            text(&error, "code"),
            "unexpected_response",
            "{field}: {value}: {}",
            text(&error, "description")
        );
    }
    // The same instance still signs in: nothing trapped.
    let email = unique("after-float");
    let code = email_code(&client, &email).await;
    let session = JsFuture::from(client.verify(email_and_code(&email, &code)))
        .await
        .expect("verify resolves");
    assert_eq!(text(&get(&session, "claims"), "email"), email);
}

#[wasm_bindgen(inline_js = "
export function count_starts() {
  const original = globalThis.fetch;
  const counter = { count: 0, restore() { globalThis.fetch = original; } };
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (new URL(url, location.href).pathname === '/passwordless/start') counter.count += 1;
    return original(input, init);
  };
  return counter;
}")]
extern "C" {
    /// Counts the page's requests to `/passwordless/start` from now on (`count`, `restore()`).
    fn count_starts() -> JsValue;
}

#[wasm_bindgen_test]
async fn a_second_code_to_the_same_address_waits_out_resend_after_without_a_request() {
    let client = client().await;
    let email = unique("resend");
    let params = || object(&[("connection", s("email")), ("email", s(&email))]);
    let started = JsFuture::from(client.start(params()))
        .await
        .expect("start resolves");
    assert_eq!(get(&started, "resendAfter").as_f64(), Some(30.0));
    let counter = count_starts();
    let error = rejection(client.start(params())).await;
    let requests = get(&counter, "count").as_f64();
    Reflect::get(&counter, &s("restore"))
        .unwrap()
        .unchecked_into::<js_sys::Function>()
        .call0(&counter)
        .unwrap();
    assert_eq!(requests, Some(0.0), "refused without a request");
    assert_eq!(text(&error, "code"), "too_many_requests");
    let wait = get(&error, "retryAfter").as_f64().unwrap();
    assert!((1.0..=30.0).contains(&wait), "{wait}");
    // Another address, or a client configured without a cooldown, sends at once.
    let other = unique("resend-other");
    JsFuture::from(client.start(object(&[("connection", s("email")), ("email", s(&other))])))
        .await
        .expect("another address is not held back");
    let eager = client_with(&[("resendAfterSeconds", JsValue::from(0))]).await;
    for _ in 0..2 {
        JsFuture::from(eager.start(params()))
            .await
            .expect("no cooldown");
    }
}

#[wasm_bindgen_test]
async fn a_refused_code_ends_the_cooldown_so_a_new_one_can_be_sent() {
    let client = client().await;
    let email = unique("dead-code");
    let code = email_code(&client, &email).await;
    let error = rejection(client.verify(email_and_code(&email, wrong_than(&code)))).await;
    assert_eq!(text(&error, "code"), "invalid_grant");
    JsFuture::from(client.start(object(&[("connection", s("email")), ("email", s(&email))])))
        .await
        .expect("a new code may go at once");
}

#[wasm_bindgen(inline_js = "
export function hide_web_otp() {
  const original = Object.getOwnPropertyDescriptor(window, 'OTPCredential');
  delete window.OTPCredential;
  return () => Object.defineProperty(window, 'OTPCredential', original);
}")]
extern "C" {
    /// Makes this browser look like one without WebOTP; answers the undo.
    fn hide_web_otp() -> js_sys::Function;
}

#[wasm_bindgen_test]
async fn receive_sms_code_is_unsupported_without_web_otp_and_stops_when_aborted() {
    let client = client().await;
    let undo = hide_web_otp();
    let result = JsFuture::from(client.receive_sms_code(JsValue::UNDEFINED)).await;
    undo.call0(&JsValue::NULL).unwrap();
    let error = result.expect_err("no WebOTP");
    assert!(error.is_instance_of::<Error>());
    assert_eq!(text(&error, "code"), "unsupported");

    let controller = web_sys::AbortController::new().unwrap();
    let waiting = client.receive_sms_code(object(&[("signal", controller.signal().into())]));
    controller.abort();
    assert_eq!(text(&rejection(waiting).await, "code"), "cancelled");
    let aborted = web_sys::AbortController::new().unwrap();
    aborted.abort();
    let error =
        rejection(client.receive_sms_code(object(&[("signal", aborted.signal().into())]))).await;
    assert_eq!(text(&error, "code"), "cancelled");
}

#[wasm_bindgen_test]
async fn the_tenants_sms_text_ends_with_the_web_otp_line_for_this_page() {
    let client = client().await;
    let phone = unique_phone();
    JsFuture::from(client.start(object(&[
        ("connection", s("sms")),
        ("phoneNumber", s(&phone)),
    ])))
    .await
    .expect("start resolves");
    let message = inbox(&phone).await;
    let code = text(&message, "code");
    let host = web_sys::Url::new(RELAY).unwrap().hostname();
    let body = text(&message, "body");
    assert!(body.ends_with(&format!("\n\n@{host} #{code}")), "{body:?}");
}
