//! Two relay replicas sharing one real `redis-server` enforce one limit between them.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use serde_json::json;

struct RedisServer(Child);

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn redis_server() -> (RedisServer, String) {
    let port = dead_port().await;
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server must be installed (scripts/setup.sh --test installs it)");
    let server = RedisServer(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (server, format!("redis://127.0.0.1:{port}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("redis-server did not start");
}

#[tokio::test]
async fn two_replicas_share_one_limit_through_redis() {
    let (_redis, url) = redis_server().await;
    let tenant = tenant().await;
    let replica = || {
        let mut config = relay_config(&tenant);
        config.limits.start_per_identifier = 3;
        config.redis_url = Some(url.clone());
        relay_with(config)
    };
    let (first, second) = (replica().await, replica().await);
    let start = json!({ "connection": "email", "email": "ada@example.com", "send": "code" });
    let mut statuses = Vec::new();
    for relay in [&first, &second, &first, &second, &first] {
        statuses.push(
            post_json(&format!("{relay}/passwordless/start"), start.clone())
                .await
                .0,
        );
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 429, 429],
        "one limit of 3 across both replicas"
    );

    // Replicas without Redis would each have allowed three.
    let mut config = relay_config(&tenant);
    config.limits.start_per_identifier = 3;
    let alone = relay_with(config).await;
    assert_eq!(
        post_json(&format!("{alone}/passwordless/start"), start)
            .await
            .0,
        200
    );
}
