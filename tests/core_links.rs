//! The magic link's flow in the core, natively: `start({send: "link"})` keeps its transaction
//! (state, nonce, `appState`) in storage, and the callback uses it once, checks the ID token's
//! nonce, cleans the address bar and hands back `appState`; a link opened elsewhere, used,
//! expired or refused says so. (The browser suite proves the real platform: browser_links.rs.)

#![cfg(not(target_arch = "wasm32"))]

mod platform;

use std::rc::Rc;

use passwordless::client::Client;
use passwordless::flows::SignInParams;
use passwordless::platform::Area;
use platform::*;
use serde_json::{json, Value};

const CALLBACK: &str = "https://app.example/cb";

fn client_with(storage: Value) -> Rc<Client<TestPlatform>> {
    let mut extra = json!({ "redirectUri": CALLBACK });
    if !storage.is_null() {
        extra["linkStorage"] = storage;
    }
    Client::new(TestPlatform::default(), options(extra))
}

fn client() -> Rc<Client<TestPlatform>> {
    client_with(Value::Null)
}

fn link() -> SignInParams {
    serde_json::from_value(
        json!({ "connection": "email", "email": "ada@example.com", "send": "link" }),
    )
    .unwrap()
}

/// Sends a link with `appState` `{returnTo: "/cart"}`: its state is "random-1", its nonce
/// "random-2" (the test platform's random tokens, in order).
fn send_link(client: &Client<TestPlatform>) {
    client
        .platform()
        .script("/passwordless/start", ok(json!({ "_id": "u1" })));
    run(client.start(&link(), Some(json!({ "returnTo": "/cart" })))).unwrap();
}

fn open(client: &Client<TestPlatform>, query: &str) {
    *client.platform().address.borrow_mut() = Some(format!("{CALLBACK}?{query}&utm=mail"));
}

fn tokens_with_nonce(nonce: &str) -> Scripted {
    let mut claims = claims("email|ada", NOW);
    claims["nonce"] = json!(nonce);
    ok(tokens(&id_token(&claims, 0, "k0"), None))
}

#[test]
fn a_link_completes_once_with_its_nonce_and_app_state_and_a_clean_address() {
    let client = client();
    send_link(&client);
    let start = client.platform().last("/passwordless/start").body;
    assert_eq!(start["send"], "link");
    assert_eq!(start["authParams"]["state"], "random-1");
    assert_eq!(start["authParams"]["nonce"], "random-2");
    assert_eq!(start["authParams"]["redirect_uri"], CALLBACK);
    let kept: Value = serde_json::from_str(
        &client
            .platform()
            .stored(Area::Local, "passwordless.link.random-1")
            .expect("kept"),
    )
    .unwrap();
    assert_eq!(kept["nonce"], "random-2");
    assert_eq!(
        kept["expiresAt"],
        NOW + 180.0,
        "Auth0's code lifetime by default"
    );

    open(&client, "code=c1&state=random-1");
    assert!(client.is_redirect_callback(None));
    client
        .platform()
        .script("/oauth/token", tokens_with_nonce("random-2"));
    let session = run(client.handle_redirect_callback(None)).unwrap();
    assert_eq!(session["appState"], json!({ "returnTo": "/cart" }));
    assert_eq!(session["claims"]["sub"], "email|ada");
    let grant = client.platform().last("/oauth/token").body;
    assert_eq!(grant["grant_type"], "authorization_code");
    assert_eq!(
        (grant["code"].as_str(), grant["redirect_uri"].as_str()),
        (Some("c1"), Some(CALLBACK))
    );
    assert_eq!(
        client.platform().address.borrow().as_deref(),
        Some("https://app.example/cb?utm=mail")
    );
    assert!(
        client
            .platform()
            .stored(Area::Local, "passwordless.link.random-1")
            .is_none(),
        "used once"
    );

    // The same link again (another tab, the back button): its transaction is gone.
    open(&client, "code=c1&state=random-1");
    assert_eq!(
        run(client.handle_redirect_callback(None)).unwrap_err().code,
        "link_other_browser"
    );
    assert_eq!(
        client.platform().count("/oauth/token"),
        1,
        "nothing exchanged"
    );
}

#[test]
fn a_link_opened_in_another_browser_says_so_without_a_request() {
    let client = client();
    open(&client, "code=c1&state=from-elsewhere");
    let error = run(client.handle_redirect_callback(None)).unwrap_err();
    assert_eq!(error.code, "link_other_browser");
    assert_eq!(client.platform().count("/oauth/token"), 0);
}

#[test]
fn an_expired_or_refused_link_is_used_or_expired() {
    let client = client();
    send_link(&client);
    client.platform().clock.set(NOW + 181.0);
    open(&client, "code=c1&state=random-1");
    assert_eq!(
        run(client.handle_redirect_callback(None)).unwrap_err().code,
        "link_used_or_expired"
    );

    let client = self::client();
    send_link(&client);
    open(
        &client,
        "error=access_denied&error_description=Link%20already%20used&state=random-1",
    );
    let error = run(client.handle_redirect_callback(None)).unwrap_err();
    assert_eq!(error.code, "link_used_or_expired");
    assert_eq!(error.description, "Link already used");
    assert!(
        client
            .platform()
            .stored(Area::Local, "passwordless.link.random-1")
            .is_none(),
        "used up"
    );
}

#[test]
fn an_id_token_with_another_nonce_is_refused() {
    let client = client();
    send_link(&client);
    open(&client, "code=c1&state=random-1");
    client
        .platform()
        .script("/oauth/token", tokens_with_nonce("someone-elses"));
    let error = run(client.handle_redirect_callback(None)).unwrap_err();
    assert_eq!(error.code, "invalid_id_token");
    assert!(error.description.contains("nonce"), "{}", error.description);
    assert_eq!(run(client.current()).unwrap(), None, "no session kept");
}

#[test]
fn an_address_that_is_no_callback_is_not_a_callback() {
    let client = client();
    *client.platform().address.borrow_mut() = Some(format!("{CALLBACK}?page=2"));
    assert!(!client.is_redirect_callback(None));
    assert_eq!(
        run(client.handle_redirect_callback(None)).unwrap_err().code,
        "not_a_callback"
    );
    let given = Some(format!("{CALLBACK}?code=c&state=s"));
    assert!(client.is_redirect_callback(given));
}

#[test]
fn session_storage_keeps_the_transaction_to_this_tab_and_expired_ones_are_swept() {
    let client = client_with(json!("session"));
    // A transaction an earlier link left, expired by now, and one that is not this SDK's.
    let stale =
        json!({ "nonce": "n0", "redirectUri": CALLBACK, "expiresAt": NOW - 1.0 }).to_string();
    let platform = client.platform();
    use passwordless::platform::Platform;
    platform
        .store(Area::Session, "passwordless.link.old", &stale)
        .unwrap();
    platform.store(Area::Session, "someone.else", "x").unwrap();
    send_link(&client);
    assert!(platform
        .stored(Area::Session, "passwordless.link.random-1")
        .is_some());
    assert!(platform
        .stored(Area::Local, "passwordless.link.random-1")
        .is_none());
    assert!(
        platform
            .stored(Area::Session, "passwordless.link.old")
            .is_none(),
        "swept"
    );
    assert_eq!(
        platform.stored(Area::Session, "someone.else").as_deref(),
        Some("x"),
        "not ours: kept"
    );
}
