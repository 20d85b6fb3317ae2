//! The kept session and the second factor in the core, natively: renewals shared by every
//! caller (one request), a refused refresh signing out, sign-out revoking, `getSession`
//! renewing before expiry (or keeping the session while offline), the cache and other tabs,
//! listeners, and MFA push polling. (The browser suites prove the real platform:
//! browser_sessions.rs, browser_mfa.rs.)

#![cfg(not(target_arch = "wasm32"))]

mod platform;

use std::cell::Cell;
use std::rc::Rc;

use passwordless::client::Client;
use passwordless::flows::mfa::MfaParams;
use passwordless::flows::SignInParams;
use passwordless::platform::Area;
use platform::*;
use serde_json::{json, Value};

const CACHE_KEY: &str = "passwordless.session.demo-client";

fn client_on(platform: TestPlatform, extra: Value) -> Rc<Client<TestPlatform>> {
    Client::new(platform, options(extra))
}

/// A client signed in with an email code, whose session has refresh token "rt-1"; and what
/// its listener was told.
fn signed_in(extra: Value) -> (Rc<Client<TestPlatform>>, Told) {
    let client = client_on(TestPlatform::default(), extra);
    let told = Told::default();
    client.subscribe(told.clone());
    client
        .platform()
        .script("/oauth/token", good_tokens("email|ada", NOW, Some("rt-1")));
    let code: SignInParams = serde_json::from_value(
        json!({ "connection": "email", "email": "ada@example.com", "code": "123456" }),
    )
    .unwrap();
    run(client.verify(&code)).unwrap();
    (client, told)
}

fn kinds(told: &Told) -> Vec<String> {
    told.borrow()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn concurrent_refreshes_share_one_request_and_keep_the_refresh_token() {
    let (client, told) = signed_in(json!({}));
    client
        .platform()
        .script("/oauth/token", good_tokens("email|ada", NOW, None));
    let (a, b) = run(futures::future::join(client.refresh(), client.refresh()));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a, b, "both callers get the one renewal's session");
    assert_eq!(
        client.platform().count("/oauth/token"),
        2,
        "the sign-in and one refresh"
    );
    let grant = client.platform().last("/oauth/token").body;
    assert_eq!(grant["grant_type"], "refresh_token");
    assert_eq!(grant["refresh_token"], "rt-1");
    assert_eq!(
        a["refreshToken"], "rt-1",
        "Auth0 did not rotate it: the session keeps it"
    );
    assert_eq!(kinds(&told), ["signedIn", "refreshed"]);
    // A later refresh is a new request.
    client
        .platform()
        .script("/oauth/token", good_tokens("email|ada", NOW, Some("rt-2")));
    assert_eq!(run(client.refresh()).unwrap()["refreshToken"], "rt-2");
    assert_eq!(client.platform().count("/oauth/token"), 3);
}

#[test]
fn a_refused_refresh_signs_out_with_session_expired() {
    let (client, told) = signed_in(json!({}));
    client.platform().script(
        "/oauth/token",
        refused(403, "invalid_grant", "Unknown or invalid refresh token."),
    );
    let error = run(client.refresh()).unwrap_err();
    assert_eq!(error.code, "session_expired");
    assert_eq!(error.status, Some(403));
    assert_eq!(run(client.current()).unwrap(), None);
    assert_eq!(kinds(&told), ["signedIn", "signedOut"]);
    assert_eq!(told.borrow()[1]["session"], Value::Null);
    assert_eq!(run(client.refresh()).unwrap_err().code, "no_session");
}

#[test]
fn signing_out_forgets_the_session_and_revokes_its_refresh_token() {
    let (client, told) = signed_in(json!({ "cacheLocation": "localstorage" }));
    assert!(client.platform().stored(Area::Local, CACHE_KEY).is_some());
    client.platform().script("/oauth/revoke", ok(json!({})));
    run(client.sign_out()).unwrap();
    let revoke = client.platform().last("/oauth/revoke").body;
    assert_eq!(revoke, json!({ "client_id": CLIENT_ID, "token": "rt-1" }));
    assert_eq!(run(client.current()).unwrap(), None);
    assert!(client.platform().stored(Area::Local, CACHE_KEY).is_none());
    assert_eq!(kinds(&told), ["signedIn", "signedOut"]);
    // Signed out already: nothing to revoke, nobody told.
    run(client.sign_out()).unwrap();
    assert_eq!(client.platform().count("/oauth/revoke"), 1);
    assert_eq!(kinds(&told).len(), 2);
}

#[test]
fn get_session_renews_before_expiry_and_keeps_the_session_while_offline() {
    let (client, _) = signed_in(json!({}));
    let exp = NOW + 36_000.0;
    client.platform().clock.set(exp - 120.0);
    assert_eq!(
        run(client.current()).unwrap().unwrap()["claims"]["exp"],
        exp,
        "fresh: no request"
    );
    assert_eq!(client.platform().count("/oauth/token"), 1);

    client.platform().clock.set(exp - 30.0);
    client.platform().script("/oauth/token", Scripted::Network);
    let offline = run(client.current())
        .unwrap()
        .expect("still good until it expires");
    assert_eq!(offline["claims"]["exp"], exp);

    client
        .platform()
        .script("/oauth/token", good_tokens("email|ada", exp - 30.0, None));
    let renewed = run(client.current()).unwrap().unwrap();
    assert_eq!(renewed["claims"]["exp"], exp - 30.0 + 36_000.0);
}

#[test]
fn an_expired_session_without_a_refresh_token_is_gone() {
    let client = client_on(TestPlatform::default(), json!({}));
    let told = Told::default();
    client.subscribe(told.clone());
    client
        .platform()
        .script("/oauth/token", good_tokens("email|ada", NOW, None));
    let code: SignInParams = serde_json::from_value(
        json!({ "connection": "sms", "phoneNumber": "+14155550100", "code": "123456" }),
    )
    .unwrap();
    run(client.verify(&code)).unwrap();
    client.platform().clock.set(NOW + 36_001.0);
    assert_eq!(run(client.current()).unwrap(), None);
    assert_eq!(kinds(&told), ["signedIn", "signedOut"]);
}

#[test]
fn a_cached_session_survives_a_reload_and_other_tabs_are_followed() {
    let (first, _) = signed_in(json!({ "cacheLocation": "localstorage" }));
    let cached = first.platform().stored(Area::Local, CACHE_KEY).unwrap();

    // A reload: a new client on the same storage finds it, without a request.
    let platform = TestPlatform::default();
    platform
        .storage
        .borrow_mut()
        .extend(first.platform().storage.borrow().clone());
    let reloaded = client_on(platform, json!({ "cacheLocation": "localstorage" }));
    let session = run(reloaded.current()).unwrap().expect("restored");
    assert_eq!(session["claims"]["sub"], "email|ada");
    assert_eq!(reloaded.platform().sent.borrow().len(), 0);

    let told = Told::default();
    let id = reloaded.subscribe(told.clone());
    reloaded.changed_elsewhere(Some("unrelated.key"), Some("x"));
    reloaded.changed_elsewhere(Some(CACHE_KEY), Some(&cached));
    reloaded.changed_elsewhere(Some(CACHE_KEY), None);
    reloaded.changed_elsewhere(Some(CACHE_KEY), Some(&cached));
    reloaded.changed_elsewhere(Some(CACHE_KEY), Some("not a session"));
    assert_eq!(
        kinds(&told),
        ["refreshed", "signedOut", "signedIn", "signedOut"]
    );
    reloaded.unsubscribe(id);
    reloaded.changed_elsewhere(Some(CACHE_KEY), Some(&cached));
    assert_eq!(kinds(&told).len(), 4, "unsubscribed");
    assert!(run(reloaded.current()).unwrap().is_some());
}

fn mfa(value: Value) -> MfaParams {
    serde_json::from_value(value).unwrap()
}

fn pending(error: &str) -> Scripted {
    refused(400, error, "Authorization pending.")
}

#[test]
fn a_push_is_polled_at_the_servers_pace_until_approved() {
    let client = client_on(TestPlatform::default(), json!({}));
    let platform = client.platform();
    platform.script("/oauth/token", pending("authorization_pending"));
    platform.script("/oauth/token", pending("slow_down"));
    platform.script("/oauth/token", pending("authorization_pending"));
    platform.script("/oauth/token", good_tokens("email|ada", NOW + 25.0, None));
    let params = mfa(json!({ "mfaToken": "mfa-1", "oobCode": "oob-1", "poll": true }));
    let session = run(client.verify_second_factor(params, None)).unwrap();
    assert_eq!(session["claims"]["sub"], "email|ada");
    assert_eq!(platform.count("/oauth/token"), 4);
    assert_eq!(
        platform.clock.get(),
        NOW + 5.0 + 10.0 + 10.0,
        "5 s, then 5 s slower after slow_down"
    );
    let grant = platform.last("/oauth/token").body;
    assert_eq!(
        grant["grant_type"],
        "http://auth0.com/oauth/grant-type/mfa-oob"
    );
    assert_eq!(grant["oob_code"], "oob-1");
}

#[test]
fn a_push_stops_when_denied_when_cancelled_and_is_not_polled_unless_asked() {
    let client = client_on(TestPlatform::default(), json!({}));
    client
        .platform()
        .script("/oauth/token", pending("authorization_pending"));
    client
        .platform()
        .script("/oauth/token", refused(403, "access_denied", "Denied."));
    let params = || mfa(json!({ "mfaToken": "mfa-1", "oobCode": "oob-1", "poll": true }));
    assert_eq!(
        run(client.verify_second_factor(params(), None))
            .unwrap_err()
            .code,
        "access_denied"
    );

    let cancel = Rc::new(Cell::new(true));
    client
        .platform()
        .script("/oauth/token", pending("authorization_pending"));
    let error = run(client.verify_second_factor(params(), Some(cancel))).unwrap_err();
    assert_eq!(error.code, "cancelled");
    assert_eq!(
        client.platform().count("/oauth/token"),
        3,
        "no poll after the abort"
    );

    client
        .platform()
        .script("/oauth/token", pending("authorization_pending"));
    let once = mfa(json!({ "mfaToken": "mfa-1", "oobCode": "oob-1" }));
    assert_eq!(
        run(client.verify_second_factor(once, None))
            .unwrap_err()
            .code,
        "authorization_pending"
    );
    assert_eq!(client.platform().count("/oauth/token"), 4);
}

#[test]
fn mfa_calls_carry_the_mfa_token_and_answer_the_pages_values() {
    let client = client_on(TestPlatform::default(), json!({}));
    let platform = client.platform();
    platform.script(
        "/mfa/authenticators",
        ok(json!([{ "id": "totp|1", "authenticator_type": "otp", "active": true, "extra": 1 }])),
    );
    let list = run(client.authenticators("mfa-1")).unwrap();
    assert_eq!(
        serde_json::to_value(&list).unwrap(),
        json!([{ "id": "totp|1", "authenticatorType": "otp", "active": true }]),
        "renamed for the page, and only the members it knows"
    );
    assert_eq!(
        platform.last("/mfa/authenticators").bearer.as_deref(),
        Some("mfa-1")
    );

    platform.script(
        "/mfa/challenge",
        ok(json!({ "challenge_type": "oob", "oob_code": "oob-9", "binding_method": "prompt" })),
    );
    let challenge =
        run(client.challenge(mfa(json!({ "mfaToken": "mfa-1", "challengeType": "oob" })))).unwrap();
    assert_eq!(
        serde_json::to_value(&challenge).unwrap()["oobCode"],
        "oob-9"
    );
    assert_eq!(platform.last("/mfa/challenge").body["mfa_token"], "mfa-1");

    platform.script("/mfa/authenticators", ok(json!({ "not": "a list" })));
    assert_eq!(
        run(client.authenticators("mfa-1")).unwrap_err().code,
        "unexpected_response"
    );
    let refused_before_sending =
        run(client.enroll(mfa(json!({ "mfaToken": "mfa-1", "factor": "pigeon" }))));
    assert_eq!(refused_before_sending.unwrap_err().code, "invalid_input");
    assert_eq!(platform.unanswered(), 0);
}
