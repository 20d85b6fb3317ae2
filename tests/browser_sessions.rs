//! Sessions in headless Chromium, through the real relay and local tenant: kept across a
//! reload with `cacheLocation: "localstorage"` (and not in memory), renewed with the refresh
//! token (one request however many callers), ended by revoking it at the tenant, and reported
//! to listeners, also when another document of this browser changed it.

#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect, JSON};
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const OFFLINE: &str = "openid profile email offline_access";

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn cache_key() -> &'static str {
    "passwordless.session.demo-client"
}

/// A client that keeps sessions in `location` ("memory" or "localstorage").
async fn client_keeping(location: &str) -> PasswordlessClient {
    client_with(&[("scope", s(OFFLINE)), ("cacheLocation", s(location))]).await
}

/// Signs a new user in with an email code; answers the session.
async fn signed_in(client: &PasswordlessClient) -> JsValue {
    let email = unique("session");
    let code = email_code(client, &email).await;
    JsFuture::from(client.verify(email_and_code(&email, &code)))
        .await
        .expect("verify resolves")
}

async fn current(client: &PasswordlessClient) -> JsValue {
    JsFuture::from(client.get_session())
        .await
        .expect("getSession resolves")
}

/// Every `type` a listener is told, in order.
fn record(client: &PasswordlessClient) -> (Rc<RefCell<Vec<String>>>, Function) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let into = seen.clone();
    let listener = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        into.borrow_mut().push(text(&event, "type"));
    })
    .into_js_value()
    .unchecked_into::<Function>();
    let stop = client.on_session_change(&listener);
    (seen, stop)
}

#[wasm_bindgen_test]
async fn a_reload_keeps_the_session_with_localstorage_and_not_in_memory() {
    local_storage().remove_item(cache_key()).unwrap();
    let memory = client_keeping("memory").await;
    let session = signed_in(&memory).await;
    assert_eq!(
        text(&current(&memory).await, "idToken"),
        text(&session, "idToken")
    );
    assert!(
        current(&client_keeping("memory").await).await.is_null(),
        "a reload forgets it"
    );
    assert_eq!(local_storage().get_item(cache_key()).unwrap(), None);

    let cached = client_keeping("localstorage").await;
    let session = signed_in(&cached).await;
    let reloaded = current(&client_keeping("localstorage").await).await;
    assert_eq!(text(&reloaded, "idToken"), text(&session, "idToken"));
    assert_eq!(
        text(&get(&reloaded, "claims"), "sub"),
        text(&get(&session, "claims"), "sub")
    );
    JsFuture::from(cached.sign_out()).await.unwrap();
    assert!(current(&client_keeping("localstorage").await)
        .await
        .is_null());
}

#[wasm_bindgen_test]
async fn refresh_renews_and_sign_out_revokes_the_refresh_token_at_the_tenant() {
    let client = client_keeping("memory").await;
    let (seen, stop) = record(&client);
    let session = signed_in(&client).await;
    let refresh_token = text(&session, "refreshToken");
    let renewed = JsFuture::from(client.refresh())
        .await
        .expect("refresh resolves");
    assert_ne!(text(&renewed, "accessToken"), text(&session, "accessToken"));
    assert_eq!(
        text(&renewed, "refreshToken"),
        refresh_token,
        "the refresh token is kept"
    );
    assert_eq!(
        text(&current(&client).await, "accessToken"),
        text(&renewed, "accessToken")
    );

    JsFuture::from(client.sign_out())
        .await
        .expect("signOut resolves");
    assert!(current(&client).await.is_null());
    assert_eq!(*seen.borrow(), ["signedIn", "refreshed", "signedOut"]);
    stop.call0(&JsValue::NULL).unwrap();

    // The tenant no longer takes the old refresh token.
    let refused = post_json(
        "/oauth/token",
        object(&[
            ("grant_type", s("refresh_token")),
            ("client_id", s("demo-client")),
            ("refresh_token", s(&refresh_token)),
        ]),
    )
    .await;
    assert_eq!(text(&refused, "error"), "invalid_grant");
    let error = rejection(client.refresh()).await;
    assert_eq!(text(&error, "code"), "no_session");
}

#[wasm_bindgen(inline_js = "
export function count_fetches(path) {
  const original = globalThis.fetch;
  const counter = { count: 0, restore() { globalThis.fetch = original; } };
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (new URL(url, location.href).pathname === path) counter.count += 1;
    return original(input, init);
  };
  return counter;
}")]
extern "C" {
    /// Counts the page's `fetch` calls to `path` from now on (`count`, `restore()`).
    fn count_fetches(path: &str) -> JsValue;
}

/// A session cached as a page left it, its ID token expiring in `seconds`.
async fn cached_session_expiring_in(seconds: f64) -> (JsValue, String) {
    let client = client_keeping("localstorage").await;
    let session = signed_in(&client).await;
    let soon = js_sys::Date::now() / 1000.0 + seconds;
    Reflect::set(&get(&session, "claims"), &s("exp"), &JsValue::from(soon)).unwrap();
    let text_of = JSON::stringify(&session).unwrap().as_string().unwrap();
    local_storage().set_item(cache_key(), &text_of).unwrap();
    (session.clone(), text(&session, "refreshToken"))
}

#[wasm_bindgen_test]
async fn two_concurrent_get_sessions_make_one_refresh_request() {
    let (old, _) = cached_session_expiring_in(30.0).await;
    let client = client_keeping("localstorage").await;
    let counter = count_fetches("/oauth/token");
    let (a, b) = futures_join(client.get_session(), client.get_session()).await;
    let count = get(&counter, "count").as_f64();
    Reflect::get(&counter, &s("restore"))
        .unwrap()
        .unchecked_into::<Function>()
        .call0(&counter)
        .unwrap();
    assert_eq!(count, Some(1.0), "one refresh for both callers");
    assert_eq!(text(&a, "accessToken"), text(&b, "accessToken"));
    assert_ne!(
        text(&a, "accessToken"),
        text(&old, "accessToken"),
        "renewed"
    );
    JsFuture::from(client.sign_out()).await.unwrap();
}

/// Both promises, awaited together.
async fn futures_join(a: js_sys::Promise, b: js_sys::Promise) -> (JsValue, JsValue) {
    let both = js_sys::Promise::all(&js_sys::Array::of2(&a, &b));
    let both = js_sys::Array::from(&JsFuture::from(both).await.expect("both resolve"));
    (both.get(0), both.get(1))
}

#[wasm_bindgen_test]
async fn a_refused_refresh_signs_the_user_out_with_a_clear_code() {
    let (_, refresh_token) = cached_session_expiring_in(30.0).await;
    // Another device revoked it.
    post_json(
        "/oauth/revoke",
        object(&[
            ("client_id", s("demo-client")),
            ("token", s(&refresh_token)),
        ]),
    )
    .await;
    let client = client_keeping("localstorage").await;
    let (seen, _) = record(&client);
    let error = rejection(client.refresh()).await;
    assert_eq!(text(&error, "code"), "session_expired");
    assert!(current(&client).await.is_null());
    assert_eq!(*seen.borrow(), ["signedOut"]);
    assert_eq!(local_storage().get_item(cache_key()).unwrap(), None);
}

#[wasm_bindgen_test]
async fn an_expired_session_that_cannot_be_renewed_is_never_handed_out() {
    let client = client_with(&[("cacheLocation", s("localstorage"))]).await;
    let session = signed_in(&client).await;
    Reflect::set(&get(&session, "claims"), &s("exp"), &JsValue::from(1.0)).unwrap();
    let stale = JSON::stringify(&session).unwrap().as_string().unwrap();
    local_storage().set_item(cache_key(), &stale).unwrap();
    let reloaded = client_with(&[("cacheLocation", s("localstorage"))]).await;
    assert!(
        get(&session, "refreshToken").is_undefined(),
        "no offline_access"
    );
    assert!(current(&reloaded).await.is_null());
    assert_eq!(local_storage().get_item(cache_key()).unwrap(), None);
}

#[wasm_bindgen(inline_js = "
export function remove_in_another_document(key) {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  frame.contentWindow.localStorage.removeItem(key);
  frame.remove();
}")]
extern "C" {
    /// What another tab's sign-out does to this browser's storage.
    fn remove_in_another_document(key: &str);
}

#[wasm_bindgen_test]
async fn another_documents_sign_out_is_seen_here() {
    let client = client_keeping("localstorage").await;
    signed_in(&client).await;
    let (seen, _) = record(&client);
    remove_in_another_document(cache_key());
    // The storage event arrives as a task after the change.
    for _ in 0..50 {
        if !seen.borrow().is_empty() {
            break;
        }
        sleep_ms(20).await;
    }
    assert_eq!(*seen.borrow(), ["signedOut"]);
    assert!(current(&client).await.is_null());
}
