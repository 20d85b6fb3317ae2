//! Attacks on the relay binary in front of the tenant binary, the cases the crates' own suites
//! do not already hold (SECURITY.md lists those): the secret in logs, forwarding headers
//! spoofed by an untrusted peer as the real tenant counts them, one code used 50 times at once,
//! brute force, used / superseded / expired codes, an `mfa_token` of another login, and
//! whether starting a login tells known addresses from unknown ones.

use std::time::Instant;

use passwordless_security_suite::figures::{ratio, Sample};
use passwordless_security_suite::flow::{
    complete_flow, latest_code, post_json, start_email, verify_email, Answer, OTP_GRANT,
};
use passwordless_security_suite::servers::{self, RelayOptions, Server, TenantOptions, SECRET};
use serde_json::{json, Value};

async fn pair(
    tenant: TenantOptions<'_>,
    relay: RelayOptions<'_>,
) -> (tempfile::TempDir, Server, Server) {
    let work = servers::workdir();
    let tenant = servers::tenant(work.path(), tenant).await;
    let relay = servers::relay(work.path(), &tenant.url, relay).await;
    (work, tenant, relay)
}

/// A verified user with an SMS second factor at `phone`.
async fn sms_user(http: &reqwest::Client, tenant: &str, email: &str, phone: &str) {
    let made = post_json(
        http,
        &format!("{tenant}/dev/users"),
        &json!({ "email": email, "factors": ["sms"], "mfa_phone_number": phone }),
    )
    .await
    .unwrap();
    assert_eq!(made.status, 200, "{}", made.body);
}

/// The first factor of `email` through the relay: its `mfa_token`.
async fn mfa_token(http: &reqwest::Client, relay: &str, tenant: &str, email: &str) -> String {
    assert_eq!(start_email(http, relay, email).await.unwrap().status, 200);
    let code = latest_code(http, tenant, email).await.unwrap().unwrap();
    let answer = verify_email(http, relay, email, &code).await.unwrap();
    assert_eq!(answer.error(), "mfa_required", "{}", answer.body);
    answer.json()["mfa_token"].as_str().unwrap().to_owned()
}

/// Pass: no answer and no log line of either server holds the secret, with both logging at
/// `trace`, after sign-ins with and without MFA, a refresh, a revocation and refusals.
#[tokio::test]
async fn the_secret_is_in_no_answer_and_no_log() {
    let (_work, tenant, relay) = pair(
        TenantOptions {
            rust_log: "trace",
            ..TenantOptions::default()
        },
        RelayOptions {
            rust_log: "trace",
            ..RelayOptions::default()
        },
    )
    .await;
    let http = reqwest::Client::new();
    let mut answers: Vec<Answer> = Vec::new();
    complete_flow(&http, &relay.url, &tenant.url, "plain@example.com")
        .await
        .unwrap();

    answers.push(
        start_email(&http, &relay.url, "ada@example.com")
            .await
            .unwrap(),
    );
    let code = latest_code(&http, &tenant.url, "ada@example.com")
        .await
        .unwrap()
        .unwrap();
    answers.push(
        verify_email(&http, &relay.url, "ada@example.com", "000000")
            .await
            .unwrap(),
    );
    let signed_in = post_json(
        &http,
        &format!("{}/oauth/token", relay.url),
        &json!({
        "grant_type": OTP_GRANT, "username": "ada@example.com", "otp": code, "realm": "email",
        "scope": "openid email offline_access" }),
    )
    .await
    .unwrap();
    let refresh_token = signed_in.json()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    answers.push(signed_in);
    answers.push(
        post_json(
            &http,
            &format!("{}/oauth/token", relay.url),
            &json!({ "grant_type": "refresh_token", "refresh_token": refresh_token }),
        )
        .await
        .unwrap(),
    );
    answers.push(
        post_json(
            &http,
            &format!("{}/oauth/revoke", relay.url),
            &json!({ "token": refresh_token }),
        )
        .await
        .unwrap(),
    );
    answers.push(
        post_json(
            &http,
            &format!("{}/oauth/token", relay.url),
            &json!({ "grant_type": "client_credentials" }),
        )
        .await
        .unwrap(),
    );

    sms_user(&http, &tenant.url, "mfa@example.com", "+14155550142").await;
    let token = mfa_token(&http, &relay.url, &tenant.url, "mfa@example.com").await;
    answers.push(
        post_json(
            &http,
            &format!("{}/mfa/challenge", relay.url),
            &json!({ "mfa_token": token, "challenge_type": "oob" }),
        )
        .await
        .unwrap(),
    );
    for path in [
        "/.well-known/openid-configuration",
        "/.well-known/jwks.json",
        "/metrics",
    ] {
        let response = http
            .get(format!("{}{path}", relay.url))
            .send()
            .await
            .unwrap();
        answers.push(Answer {
            status: response.status().as_u16(),
            body: response.text().await.unwrap(),
        });
    }

    // Each call above kept: start, wrong code, sign-in, refresh, revoke, client credentials,
    // MFA challenge, and the three GETs.
    assert_eq!(answers.len(), 10);
    for answer in &answers {
        assert!(!answer.body.contains(SECRET), "{answer:?}");
    }
    let (relay_log, tenant_log) = (relay.log_text(), tenant.log_text());
    assert!(
        relay_log.lines().count() > 20,
        "the relay logged at trace: {relay_log}"
    );
    assert!(
        tenant_log.lines().count() > 5,
        "the tenant logged at trace: {tenant_log}"
    );
    for (who, log) in [("relay", relay_log), ("tenant", tenant_log)] {
        let leaked: Vec<&str> = log.lines().filter(|l| l.contains(SECRET)).collect();
        assert!(leaked.is_empty(), "the {who} logged the secret: {leaked:?}");
    }
}

/// Pass: with the tenant allowing 3 starts per IP an hour, a relay that trusts no proxy sends
/// three starts with three different spoofed `X-Forwarded-For`, `Forwarded` and
/// `auth0-forwarded-for` headers as one IP, so the fourth is refused by the tenant (429);
/// the control, a relay that trusts loopback as its proxy, gets distinct IPs through.
#[tokio::test]
async fn spoofed_forwarding_headers_do_not_change_the_ip_the_tenant_counts() {
    let tenant_options = || TenantOptions {
        start_per_hour: 3,
        ..TenantOptions::default()
    };
    let spoofs = [
        ("x-forwarded-for", "198.51.100.1"),
        ("forwarded", "for=198.51.100.2;proto=https"),
        ("auth0-forwarded-for", "198.51.100.3"),
        ("x-forwarded-for", "198.51.100.4, 198.51.100.5"),
    ];
    let starts = |relay: String| async move {
        let http = reqwest::Client::new();
        let mut statuses = Vec::new();
        for (i, (name, value)) in spoofs.iter().enumerate() {
            let response = http
                .post(format!("{relay}/passwordless/start"))
                .header(*name, *value)
                .json(&json!({ "connection": "email", "email": format!("spoof{i}@example.com"), "send": "code" }))
                .send()
                .await
                .unwrap();
            statuses.push(response.status().as_u16());
        }
        statuses
    };

    let (_work, _tenant, relay) = pair(tenant_options(), RelayOptions::default()).await;
    assert_eq!(
        starts(relay.url.clone()).await,
        [200, 200, 200, 429],
        "one IP upstream"
    );

    let trusting = RelayOptions {
        trusted_proxy: Some("127.0.0.0/8"),
        ..RelayOptions::default()
    };
    let (_work, _tenant, relay) = pair(tenant_options(), trusting).await;
    let statuses = starts(relay.url.clone()).await;
    assert_eq!(
        statuses[..2],
        [200, 200],
        "control: a trusted proxy's headers count"
    );
    assert_eq!(statuses[3], 200, "control: 198.51.100.5 is a fourth IP");
}

/// Pass: of 50 simultaneous verifies of one code through the relay exactly one is a session;
/// every other is a wire refusal, none a 5xx: 10 are 403 `invalid_grant` (the code is used),
/// then the tenant's 10-failure block answers the other 39 with 429 `too_many_attempts` (the
/// relay's own limits are out of reach here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_uses_of_one_code_through_the_relay_give_one_session() {
    let (_work, tenant, relay) = pair(TenantOptions::default(), RelayOptions::default()).await;
    let http = reqwest::Client::new();
    let email = "race@example.com";
    assert_eq!(
        start_email(&http, &relay.url, email).await.unwrap().status,
        200
    );
    let code = latest_code(&http, &tenant.url, email)
        .await
        .unwrap()
        .unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (http, relay, code) = (http.clone(), relay.url.clone(), code.clone());
            tokio::spawn(async move { verify_email(&http, &relay, email, &code).await.unwrap() })
        })
        .collect();
    let (mut sessions, mut used, mut blocked) = (0, 0, 0);
    for task in tasks {
        let answer = task.await.unwrap();
        match answer.status {
            200 => sessions += 1,
            403 => {
                assert_eq!(answer.error(), "invalid_grant", "{}", answer.body);
                used += 1;
            }
            429 => {
                assert_eq!(answer.error(), "too_many_attempts", "{}", answer.body);
                blocked += 1;
            }
            _ => panic!("{answer:?}"),
        }
    }
    // The tenant takes the uses one at a time (one transaction each): the first is the
    // session, the next 10 are failed logins, and the 10th failure blocks the account for the
    // other 39.
    assert_eq!((sessions, used, blocked), (1, 10, 39));
}

/// Pass: three wrong codes through the relay kill the code (the right one then fails), a used
/// code fails, a superseded code fails while its successor works, and a code older than its
/// three minutes fails (the tenant's dev clock moved on).
#[tokio::test]
async fn dead_codes_stay_dead_through_the_relay() {
    let (_work, tenant, relay) = pair(TenantOptions::default(), RelayOptions::default()).await;
    let http = reqwest::Client::new();
    let code_for = |email: &'static str| {
        let (http, relay, tenant) = (http.clone(), relay.url.clone(), tenant.url.clone());
        async move {
            assert_eq!(start_email(&http, &relay, email).await.unwrap().status, 200);
            latest_code(&http, &tenant, email).await.unwrap().unwrap()
        }
    };
    let verify = |email: &'static str, code: String| {
        let (http, relay) = (http.clone(), relay.url.clone());
        async move { verify_email(&http, &relay, email, &code).await.unwrap() }
    };

    let code = code_for("brute@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        assert_eq!(
            verify("brute@example.com", wrong.into()).await.error(),
            "invalid_grant"
        );
    }
    let after = verify("brute@example.com", code).await;
    assert_eq!(
        (after.status, after.error().as_str()),
        (403, "invalid_grant"),
        "{}",
        after.body
    );

    let code = code_for("used@example.com").await;
    assert_eq!(verify("used@example.com", code.clone()).await.status, 200);
    assert_eq!(
        verify("used@example.com", code).await.error(),
        "invalid_grant"
    );

    let first = code_for("superseded@example.com").await;
    let second = code_for("superseded@example.com").await;
    if first != second {
        assert_eq!(
            verify("superseded@example.com", first).await.error(),
            "invalid_grant"
        );
    }
    assert_eq!(verify("superseded@example.com", second).await.status, 200);

    let code = code_for("expired@example.com").await;
    let moved = post_json(
        &http,
        &format!("{}/dev/clock", tenant.url),
        &json!({ "advance_seconds": 181 }),
    )
    .await
    .unwrap();
    assert_eq!(moved.status, 200, "{}", moved.body);
    let late = verify("expired@example.com", code).await;
    assert_eq!(late.error(), "invalid_grant", "{}", late.body);
    assert!(
        late.json()["error_description"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{}",
        late.body
    );
}

/// Pass: an SMS challenge answered with another login's `mfa_token` is refused; with its own
/// it passes.
#[tokio::test]
async fn an_mfa_token_of_another_login_is_refused() {
    let (_work, tenant, relay) = pair(TenantOptions::default(), RelayOptions::default()).await;
    let http = reqwest::Client::new();
    sms_user(&http, &tenant.url, "alice@example.com", "+14155550101").await;
    sms_user(&http, &tenant.url, "mallory@example.com", "+14155550102").await;
    let alice = mfa_token(&http, &relay.url, &tenant.url, "alice@example.com").await;
    let mallory = mfa_token(&http, &relay.url, &tenant.url, "mallory@example.com").await;

    let challenge = post_json(
        &http,
        &format!("{}/mfa/challenge", relay.url),
        &json!({ "mfa_token": alice, "challenge_type": "oob" }),
    )
    .await
    .unwrap();
    assert_eq!(challenge.status, 200, "{}", challenge.body);
    let oob_code = challenge.json()["oob_code"].as_str().unwrap().to_owned();
    let binding = latest_code(&http, &tenant.url, "+14155550101")
        .await
        .unwrap()
        .unwrap();
    let grant = |token: &str| {
        json!({ "grant_type": "http://auth0.com/oauth/grant-type/mfa-oob",
        "mfa_token": token, "oob_code": oob_code, "binding_code": binding })
    };
    let url = format!("{}/oauth/token", relay.url);

    let crossed = post_json(&http, &url, &grant(&mallory)).await.unwrap();
    assert_eq!(crossed.status, 403, "{}", crossed.body);
    assert_eq!(crossed.error(), "invalid_grant", "{}", crossed.body);
    let own = post_json(&http, &url, &grant(&alice)).await.unwrap();
    assert_eq!(own.status, 200, "{}", own.body);
}

/// The keys of a JSON object with each value's type, with the address itself left out.
fn shape(body: &Value) -> Vec<(String, &'static str)> {
    let kind = |v: &Value| match v {
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::Null => "null",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    body.as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), kind(v))).collect())
        .unwrap_or_default()
}

/// Pass: starts for known and unknown addresses, interleaved, answer the same status and the
/// same body shape (`email_verified` included). Their latency quantiles, and the ratio of the
/// slower side's to the faster side's median and 90th percentile (a lookup or a send that only
/// one side does shows there), are printed, not asserted: the machine is shared.
#[tokio::test]
async fn a_start_does_not_tell_known_addresses_from_unknown_ones() {
    let (_work, tenant, relay) = pair(TenantOptions::default(), RelayOptions::default()).await;
    let http = reqwest::Client::new();
    let rounds = 40;
    for i in 0..rounds {
        let made = post_json(
            &http,
            &format!("{}/dev/users", tenant.url),
            &json!({ "email": format!("known{i}@example.com") }),
        )
        .await
        .unwrap();
        assert_eq!(made.status, 200, "{}", made.body);
    }
    // Warm both paths once.
    start_email(&http, &relay.url, "warm-known@example.com")
        .await
        .unwrap();
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    let mut shapes = Vec::new();
    for i in 0..rounds {
        for (address, times) in [
            (format!("known{i}@example.com"), &mut known),
            (format!("unknown{i}@example.com"), &mut unknown),
        ] {
            let t = Instant::now();
            let answer = start_email(&http, &relay.url, &address).await.unwrap();
            times.push(t.elapsed());
            assert_eq!(answer.status, 200, "{address}: {}", answer.body);
            shapes.push(shape(&answer.json()));
        }
    }
    shapes.dedup();
    assert_eq!(shapes.len(), 1, "one body shape for both: {shapes:?}");
    let (known, unknown) = (Sample::new(known), Sample::new(unknown));
    assert_eq!((known.len(), unknown.len()), (rounds, rounds));
    println!(
        "enumeration: known {}; unknown {}",
        known.summary(),
        unknown.summary()
    );
    println!(
        "enumeration: slower over faster side: p50 {:.2}x, p90 {:.2}x",
        ratio(known.quantile(0.5), unknown.quantile(0.5)),
        ratio(known.quantile(0.9), unknown.quantile(0.9))
    );
}
