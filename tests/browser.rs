//! The SDK in headless Chromium, through the real relay and local tenant started by
//! `scripts/test.sh` (`passwordless-relay dev` at PASSWORDLESS_TEST_RELAY, which also serves the
//! tenant's `/dev/*` routes).

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Error, Object, Promise, Reflect, JSON};
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
    fn fetch_with(url: &str, init: &JsValue) -> Promise;
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (k, v) in pairs {
        Reflect::set(&object, &(*k).into(), v).unwrap();
    }
    object.into()
}

fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn text(value: &JsValue, key: &str) -> String {
    get(value, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

fn client_with(extra: &[(&str, JsValue)]) -> PasswordlessClient {
    let mut pairs = vec![("domain", s(RELAY)), ("clientId", s("demo-client"))];
    pairs.extend(extra.iter().cloned());
    PasswordlessClient::new(object(&pairs)).expect("valid options")
}

fn client() -> PasswordlessClient {
    client_with(&[])
}

fn unique(tag: &str) -> String {
    format!(
        "{tag}+{}@example.com",
        (js_sys::Math::random() * 1e12) as u64
    )
}

fn unique_phone() -> String {
    format!("+1415{:07}", (js_sys::Math::random() * 1e7) as u64)
}

async fn json_fetch(url: &str, init: JsValue) -> JsValue {
    let response: web_sys::Response = JsFuture::from(fetch_with(url, &init))
        .await
        .unwrap()
        .unchecked_into();
    JsFuture::from(response.json().unwrap()).await.unwrap()
}

/// The newest dev-inbox message to `to`.
async fn inbox(to: &str) -> JsValue {
    let url = format!("{RELAY}/dev/inbox?to={}", js_sys::encode_uri_component(to));
    Array::from(&json_fetch(&url, JsValue::UNDEFINED).await).get(0)
}

async fn dev_post(path: &str, body: JsValue) -> JsValue {
    let init = object(&[
        ("method", s("POST")),
        (
            "headers",
            object(&[("content-type", s("application/json"))]),
        ),
        ("body", JSON::stringify(&body).unwrap().into()),
    ]);
    json_fetch(&format!("{RELAY}{path}"), init).await
}

async fn rejection(promise: Promise) -> JsValue {
    let error = JsFuture::from(promise)
        .await
        .expect_err("the promise must reject");
    assert!(error.is_instance_of::<Error>(), "rejects with a real Error");
    error
}

fn wrong_than(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

#[wasm_bindgen_test]
async fn an_email_code_signs_the_user_in_with_verified_claims() {
    let client = client();
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
    let session = JsFuture::from(client.verify(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("code", s(&code)),
    ])))
    .await
    .expect("verify resolves");
    let claims = get(&session, "claims");
    assert_eq!(text(&claims, "email"), email);
    assert_eq!(text(&claims, "aud"), "demo-client");
    assert_eq!(text(&session, "tokenType"), "Bearer");
}

#[wasm_bindgen_test]
async fn an_sms_code_signs_in_with_a_normalised_number() {
    let client = client();
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
    let client = client();
    let email = unique("bob");
    JsFuture::from(client.start(object(&[("connection", s("email")), ("email", s(&email))])))
        .await
        .ok();
    JsFuture::from(client.start(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("send", s("code")),
    ])))
    .await
    .unwrap();
    let code = text(&inbox(&email).await, "code");
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
    let client = client_with(&[("domain", s("http://127.0.0.1:9"))]);
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
    let error = rejection(client.verify(object(&[
        ("connection", s("email")),
        ("email", s("a@b.co")),
        ("code", s("12ab")),
    ])))
    .await;
    assert_eq!(text(&error, "code"), "invalid_input");
    let error = rejection(client.mfa().verify(object(&[("mfaToken", s("t"))]))).await;
    assert_eq!(text(&error, "code"), "invalid_input");
}

#[wasm_bindgen_test]
fn bad_options_throw_invalid_options() {
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
        let error = PasswordlessClient::new(options).err().expect("must throw");
        assert!(error.is_instance_of::<Error>());
        assert_eq!(text(&error, "code"), "invalid_options");
        assert!(text(&error, "description").contains(field));
    }
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_network_error() {
    let client = client_with(&[("domain", s("http://127.0.0.1:9"))]);
    let error = rejection(client.start(object(&[
        ("connection", s("email")),
        ("email", s("a@b.co")),
    ])))
    .await;
    assert_eq!(text(&error, "code"), "network_error");
    assert!(get(&error, "status").is_undefined());
}

#[wasm_bindgen_test]
async fn a_magic_link_carries_state_and_nonce_and_a_foreign_callback_is_refused() {
    let redirect = format!("{RELAY}/");
    let client = client_with(&[("redirectUri", s(&redirect))]);
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
    // Another tab or browser has no transaction for this state.
    let error = rejection(
        client.handle_redirect_callback(Some(format!("{redirect}?code=abc&state=someone-elses"))),
    )
    .await;
    assert_eq!(text(&error, "code"), "state_mismatch");
    let error = rejection(client.handle_redirect_callback(Some(format!("{redirect}?error=access_denied&error_description=Wrong%20email%20or%20verification%20code.&state={state}")))).await;
    assert_eq!(text(&error, "code"), "access_denied");
    // The error used up the transaction: replaying a callback for it is refused.
    let error = rejection(
        client.handle_redirect_callback(Some(format!("{redirect}?code=abc&state={state}"))),
    )
    .await;
    assert_eq!(text(&error, "code"), "state_mismatch");
    let error = rejection(client.handle_redirect_callback(Some(redirect))).await;
    assert_eq!(text(&error, "code"), "not_a_callback");
}

/// Signs in a dev user with `factors`, expecting `mfa_required`; answers (error, dev user).
async fn mfa_required(factors: &[&str]) -> (JsValue, JsValue, String) {
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
    let client = client();
    JsFuture::from(client.start(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("send", s("code")),
    ])))
    .await
    .unwrap();
    let code = text(&inbox(&email).await, "code");
    let error = rejection(client.verify(object(&[
        ("connection", s("email")),
        ("email", s(&email)),
        ("code", s(&code)),
    ])))
    .await;
    assert_eq!(text(&error, "code"), "mfa_required");
    (error, user, email)
}

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
    let mfa = client().mfa();
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

#[wasm_bindgen_test]
async fn a_recovery_code_passes_and_the_session_carries_the_new_one() {
    let (error, user, _) = mfa_required(&["otp"]).await;
    let recovery = Array::from(&get(&user, "recovery_codes"))
        .get(0)
        .as_string()
        .unwrap();
    let session = JsFuture::from(client().mfa().verify(object(&[
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
    let mfa = client().mfa();
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
    let enrollment = JsFuture::from(client().mfa().enroll(object(&[
        ("mfaToken", get(&error, "mfaToken")),
        ("factor", s("otp")),
    ])))
    .await
    .unwrap();
    assert!(text(&enrollment, "barcodeUri").starts_with("otpauth://totp/"));
    assert!(text(&enrollment, "secret").len() >= 16);
    assert_eq!(Array::from(&get(&enrollment, "recoveryCodes")).length(), 1);
    let wrong = rejection(client().mfa().verify(object(&[
        ("mfaToken", get(&error, "mfaToken")),
        ("otp", s("000000")),
    ])))
    .await;
    assert_eq!(text(&wrong, "code"), "invalid_grant");
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
        let client = client();
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
        let error = rejection(client.verify(object(&[
            ("connection", s("email")),
            ("email", s(&email)),
            ("code", s(&code)),
        ])))
        .await;
        assert_eq!(
            text(&error, "code"),
            "invalid_id_token",
            "{fault}: {}",
            text(&error, "description")
        );
    }
}
