//! State lives in SQLite under the data dir: a restart mid-flow loses nothing. Runs the real
//! `passwordless-tenant` binary twice on one data dir, over loopback.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

const SECRET: &str = "restart-test-secret-123";

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_tenant(data_dir: &Path, port: u16) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_passwordless-tenant"))
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--demo-client-secret",
            SECRET,
        ])
        .arg("--data-dir")
        .arg(data_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let running = Running(child);
    let url = format!("http://127.0.0.1:{port}/.well-known/jwks.json");
    for _ in 0..200 {
        if reqwest::get(&url).await.is_ok() {
            return running;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the tenant did not start");
}

/// Waits until the tenant has taken the slow answer armed for `identifier` (`dev/faults.rs`
/// deletes its row of the settings table as the start's handler reads it): that start is then in
/// its handler, which a graceful shutdown lets finish. A fixed sleep loses this race on a busy
/// machine, and "the connection was accepted" is not enough: a connection whose request is not
/// read yet is dropped at SIGTERM.
async fn until_the_slow_answer_is_taken(data_dir: &Path, identifier: &str) {
    let store = rusqlite::Connection::open_with_flags(
        data_dir.join("tenant.sqlite3"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let key = format!("slow_answer:{identifier}");
    for _ in 0..1000 {
        let armed: bool = store
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)",
                [&key],
                |row| row.get(0),
            )
            .unwrap();
        if !armed {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the start for {identifier} did not reach the tenant's handler in 10 s");
}

async fn post(url: String, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_code_sent_before_a_restart_works_after_it_and_old_tokens_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");

    let first = start_tenant(dir.path(), port).await;
    let (status, _) = post(format!("{base}/passwordless/start"), json!({ "client_id": "demo-client",
        "client_secret": SECRET, "connection": "email", "email": "ada@example.com", "send": "code" })).await;
    assert_eq!(status, 200);
    let (status, tokens) = {
        // A first sign-in, to hold a token from before the restart.
        post(format!("{base}/passwordless/start"), json!({ "client_id": "demo-client",
            "client_secret": SECRET, "connection": "email", "email": "bob@example.com", "send": "code" })).await;
        let inbox: Value = reqwest::get(format!("{base}/dev/inbox?to=bob@example.com"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        post(format!("{base}/oauth/token"), json!({ "client_id": "demo-client", "client_secret": SECRET,
            "grant_type": "http://auth0.com/oauth/grant-type/passwordless/otp", "username": "bob@example.com",
            "otp": inbox[0]["code"], "realm": "email" })).await
    };
    assert_eq!(status, 200, "{tokens}");
    let jwks_before: Value = reqwest::get(format!("{base}/.well-known/jwks.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    drop(first);

    let _second = start_tenant(dir.path(), port).await;
    let inbox: Value = reqwest::get(format!("{base}/dev/inbox?to=ada@example.com"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = inbox[0]["code"].as_str().expect("the inbox survived");
    let (status, body) = post(
        format!("{base}/oauth/token"),
        json!({ "client_id": "demo-client",
        "client_secret": SECRET, "grant_type": "http://auth0.com/oauth/grant-type/passwordless/otp",
        "username": "ada@example.com", "otp": code, "realm": "email" }),
    )
    .await;
    assert_eq!(
        status, 200,
        "the code from before the restart works: {body}"
    );

    let jwks_after: Value = reqwest::get(format!("{base}/.well-known/jwks.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        jwks_before, jwks_after,
        "the signing key survived, so old tokens still verify"
    );
    let response = reqwest::Client::new()
        .get(format!("{base}/userinfo"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        200,
        "an access token from before the restart still works"
    );
}

#[test]
fn a_bad_config_file_is_refused_at_start_with_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("tenant.toml");
    std::fs::write(
        &config,
        "[[clients]]\nclient_id = \"app\"\ncallbacks = [\"not-a-url\"]\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_passwordless-tenant"))
        .args(["--listen", "127.0.0.1:0", "--in-memory", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", config.display())),
        "{stderr}"
    );
    assert!(stderr.contains("not-a-url"), "{stderr}");
}

#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish_then_stops() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut tenant = start_tenant(dir.path(), port).await;
    let (status, _) = post(
        format!("{base}/dev/slow-answers"),
        json!({ "to": "slow@example.com", "seconds": 2 }),
    )
    .await;
    assert_eq!(status, 200);
    let in_flight = tokio::spawn(post(
        format!("{base}/passwordless/start"),
        json!({ "client_id": "demo-client", "client_secret": SECRET, "connection": "email",
                "email": "slow@example.com", "send": "code" }),
    ));
    until_the_slow_answer_is_taken(dir.path(), "slow@example.com").await;
    let killed = Command::new("kill")
        .args(["-TERM", &tenant.0.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let (status, body) = in_flight.await.unwrap();
    assert_eq!(status, 200, "the request in flight was answered: {body}");
    let mut exited = None;
    for _ in 0..200 {
        if let Some(code) = tenant.0.try_wait().unwrap() {
            exited = Some(code);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(exited.expect("the tenant stopped").success(), "{exited:?}");
}
