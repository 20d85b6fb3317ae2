//! The SDK's second factor in headless Chromium, through the real relay and local tenant:
//! `mfa_required`, SMS codes, recovery codes, a polled push, and TOTP enrolment.

#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::Array;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn mfa_required_carries_the_token_and_an_sms_factor_passes() {
    let (error, user, _) = mfa_required(&["sms"]).await;
    let token = text(&error, "mfaToken");
    assert_eq!(
        text(
            &Array::from(&get(&get(&error, "mfaRequirements"), "challenge")).get(0),
            "type"
        ),
        "phone"
    );
    let mfa = client().await.mfa();
    let list = Array::from(
        &JsFuture::from(mfa.get_authenticators(token.clone()))
            .await
            .unwrap(),
    );
    let sms = list
        .iter()
        .find(|a| get(a, "oobChannel").as_string().as_deref() == Some("sms"))
        .expect("the sms factor");
    let challenge = JsFuture::from(mfa.challenge(object(&[
        ("mfaToken", s(&token)),
        ("challengeType", s("oob")),
        ("authenticatorId", get(&sms, "id")),
    ])))
    .await
    .unwrap();
    assert_eq!(text(&challenge, "bindingMethod"), "prompt");
    let phone = text(&sms, "name");
    let binding = text(&inbox(&phone).await, "code");
    let wrong = rejection(mfa.verify(object(&[
        ("mfaToken", s(&token)),
        ("oobCode", get(&challenge, "oobCode")),
        ("bindingCode", s(wrong_than(&binding))),
    ])))
    .await;
    assert_eq!(text(&wrong, "code"), "invalid_grant");
    let session = JsFuture::from(mfa.verify(object(&[
        ("mfaToken", s(&token)),
        ("oobCode", get(&challenge, "oobCode")),
        ("bindingCode", s(&binding)),
    ])))
    .await
    .expect("the second factor passes");
    assert_eq!(
        text(&get(&session, "claims"), "sub"),
        text(&user, "user_id")
    );
}

/// A token no HTTP header can carry (a line break) is refused before any request, naming it
/// (gloo-net's builder threw out of the future on it).
#[wasm_bindgen_test]
async fn a_token_with_a_line_break_is_refused_naming_it() {
    let mfa = client().await.mfa();
    for call in [
        mfa.get_authenticators("tok\nen".into()),
        mfa.remove_authenticator("tok\r\nen".into(), "sms|dev_1".into()),
    ] {
        let refused = rejection(call).await;
        assert_eq!(text(&refused, "code"), "invalid_input");
        assert!(text(&refused, "description").starts_with("mfaToken"));
    }
}

#[wasm_bindgen_test]
async fn a_recovery_code_passes_and_the_session_carries_the_new_one() {
    let (error, user, _) = mfa_required(&["otp"]).await;
    let recovery = Array::from(&get(&user, "recovery_codes"))
        .get(0)
        .as_string()
        .unwrap();
    let session = JsFuture::from(client().await.mfa().verify(object(&[
        ("mfaToken", get(&error, "mfaToken")),
        ("recoveryCode", s(&recovery)),
    ])))
    .await
    .unwrap();
    let new_code = text(&session, "recoveryCode");
    assert_ne!(new_code, recovery);
}

#[wasm_bindgen_test]
async fn a_push_is_polled_until_approved_and_polling_can_be_cancelled() {
    let (error, _, email) = mfa_required(&["push"]).await;
    let token = text(&error, "mfaToken");
    let mfa = client().await.mfa();
    let challenge = JsFuture::from(mfa.challenge(object(&[
        ("mfaToken", s(&token)),
        ("challengeType", s("oob")),
    ])))
    .await
    .unwrap();
    assert!(get(&challenge, "bindingMethod").is_undefined());
    let push = inbox(&email).await;
    assert_eq!(text(&push, "kind"), "push");
    let waiting = mfa.verify(object(&[
        ("mfaToken", s(&token)),
        ("oobCode", get(&challenge, "oobCode")),
        ("poll", JsValue::TRUE),
    ]));
    dev_post(
        &format!("/dev/push/{}/approve", text(&push, "id")),
        object(&[]),
    )
    .await;
    let session = JsFuture::from(waiting).await.expect("approved");
    assert!(get(&session, "idToken").is_string());

    let (error, _, email) = mfa_required(&["push"]).await;
    let token = text(&error, "mfaToken");
    let challenge = JsFuture::from(mfa.challenge(object(&[("mfaToken", s(&token))])))
        .await
        .unwrap();
    let _ = inbox(&email).await;
    let controller = web_sys::AbortController::new().unwrap();
    let waiting = mfa.verify(object(&[
        ("mfaToken", s(&token)),
        ("oobCode", get(&challenge, "oobCode")),
        ("poll", JsValue::TRUE),
        ("signal", controller.signal().into()),
    ]));
    controller.abort();
    let cancelled = rejection(waiting).await;
    assert_eq!(text(&cancelled, "code"), "cancelled");
}

#[wasm_bindgen_test]
async fn totp_enrolment_answers_a_secret_and_a_qr_uri() {
    let init = object(&[
        ("method", s("PUT")),
        (
            "headers",
            object(&[("content-type", s("application/json"))]),
        ),
        ("body", s("{\"policy\":\"always\"}")),
    ]);
    json_fetch(&format!("{RELAY}/dev/mfa-policy"), init).await;
    let (error, _, _) = mfa_required(&[]).await;
    let init = object(&[
        ("method", s("PUT")),
        (
            "headers",
            object(&[("content-type", s("application/json"))]),
        ),
        ("body", s("{\"policy\":\"when-enrolled\"}")),
    ]);
    json_fetch(&format!("{RELAY}/dev/mfa-policy"), init).await;
    assert_eq!(
        text(
            &Array::from(&get(&get(&error, "mfaRequirements"), "enroll")).get(0),
            "type"
        ),
        "otp"
    );
    let enrollment = JsFuture::from(client().await.mfa().enroll(object(&[
        ("mfaToken", get(&error, "mfaToken")),
        ("factor", s("otp")),
    ])))
    .await
    .unwrap();
    assert!(text(&enrollment, "barcodeUri").starts_with("otpauth://totp/"));
    assert!(text(&enrollment, "secret").len() >= 16);
    assert_eq!(Array::from(&get(&enrollment, "recoveryCodes")).length(), 1);
    let wrong = rejection(client().await.mfa().verify(object(&[
        ("mfaToken", get(&error, "mfaToken")),
        ("otp", s("000000")),
    ])))
    .await;
    assert_eq!(text(&wrong, "code"), "invalid_grant");
}
