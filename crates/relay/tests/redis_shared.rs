//! Two relay replicas sharing one real `redis-server` enforce one limit between them, with the
//! same GCRA as the in-memory limits; when Redis goes away they fail open, and say so in the log.

mod common;

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use passwordless_relay::limits::{Bucket, Limiter, Rate, Rates, Subject, Verdict};
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

/// Redis's own clock (`TIME`): the one the shared limits count on.
struct RedisClock(redis::aio::MultiplexedConnection);

impl RedisClock {
    async fn connect(url: &str) -> Self {
        let client = redis::Client::open(url).unwrap();
        Self(client.get_multiplexed_async_connection().await.unwrap())
    }

    /// Since the epoch.
    async fn now(&mut self) -> Duration {
        let (seconds, micros): (u64, u64) =
            redis::cmd("TIME").query_async(&mut self.0).await.unwrap();
        Duration::from_secs(seconds) + Duration::from_micros(micros)
    }

    /// Sleeps until the clock reads `time` or later.
    async fn sleep_until(&mut self, time: Duration) {
        loop {
            let now = self.now().await;
            if now >= time {
                return;
            }
            tokio::time::sleep(time - now).await;
        }
    }
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

fn rates(rate: Rate) -> Rates {
    Rates {
        start_per_ip: rate,
        start_per_identifier: rate,
        failed_token_per_ip: rate,
    }
}

#[tokio::test]
async fn redis_counts_the_same_gcra_as_memory() {
    let (_redis, url) = redis_server().await;
    // 3 per 3 seconds: a burst of 3, then one cell a second.
    let cell = Duration::from_secs(1);
    let rates = rates(Rate {
        limit: 3,
        period: 3 * cell,
    });
    let mut clock = RedisClock::connect(&url).await;
    let memory = Limiter::memory(rates);
    let replicas = [
        Limiter::redis(&url, rates).await.unwrap(),
        Limiter::redis(&url, rates).await.unwrap(),
    ];
    let subject = Subject::client("2001:db8:1:2::1".parse().unwrap());
    let same_64 = Subject::client("2001:db8:1:2::ffff".parse().unwrap());
    let mut seen = Vec::new();
    let mut first_cells_taken_by = Duration::ZERO;
    for n in 0..4 {
        let shared = replicas[n % 2].hit(Bucket::StartIp, &subject).await;
        assert_eq!(
            shared,
            memory.hit(Bucket::StartIp, &subject).await,
            "hit {n}"
        );
        seen.push(shared);
        if n == 0 {
            // Both limits count their cells from their first hit, which is done by now.
            first_cells_taken_by = clock.now().await;
        }
    }
    let refused = Verdict::refused(Duration::from_secs(1));
    assert_eq!(seen[..3], [Verdict::ALLOWED; 3]);
    assert_eq!(seen[3], refused, "over the burst, across both replicas");
    for replica in &replicas {
        assert_eq!(replica.peek(Bucket::StartIp, &same_64).await, refused);
    }
    assert_eq!(memory.peek(Bucket::StartIp, &same_64).await, refused);
    assert_eq!(
        replicas[0].hit(Bucket::StartIdentifier, &subject).await,
        Verdict::ALLOWED,
        "another bucket"
    );

    // A fixed window would open a whole new burst at its edge; a GCRA gives one cell back a
    // cell after the first hit, and the next a cell after that. Wait until just past the first,
    // on Redis's clock (the memory limit's, on the same machine, runs at the same rate): the hits
    // below then have almost a whole cell before the second comes back.
    clock
        .sleep_until(first_cells_taken_by + cell + Duration::from_millis(20))
        .await;
    for replica in &replicas {
        assert!(
            replica.peek(Bucket::StartIp, &subject).await.allowed,
            "peeking takes nothing"
        );
    }
    for (n, expected) in [Verdict::ALLOWED, refused, refused].into_iter().enumerate() {
        let shared = replicas[n % 2].hit(Bucket::StartIp, &subject).await;
        assert_eq!(shared, expected, "one cell later, hit {n}");
        assert_eq!(
            memory.hit(Bucket::StartIp, &subject).await,
            expected,
            "memory, hit {n}"
        );
    }
}

/// What the relay logs, captured.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Log {
    type Writer = Log;

    fn make_writer(&'a self) -> Log {
        self.clone()
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn replicas_fail_open_and_log_it_when_redis_goes_away() {
    // The test's runtime has one thread, so this subscriber sees the relay's events.
    let log = Log::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(log.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (redis, url) = redis_server().await;
    let tenant = tenant().await;
    let mut config = relay_config(&tenant);
    config.limits.start_per_identifier = 1;
    config.limits.failed_token_per_ip = 1;
    config.redis_url = Some(url);
    let relay = relay_with(config).await;
    let start = json!({ "connection": "email", "email": "ada@example.com", "send": "code" });
    let wrong = json!({ "grant_type": OTP_GRANT, "username": "ada@example.com", "otp": "000000", "realm": "email" });
    let post = |path: &str, body: &serde_json::Value| {
        let (url, body) = (format!("{relay}{path}"), body.clone());
        async move { post_json(&url, body).await.0 }
    };
    assert_eq!(post("/passwordless/start", &start).await, 200);
    assert_eq!(post("/passwordless/start", &start).await, 429, "enforced");
    assert_eq!(post("/oauth/token", &wrong).await, 403);
    assert_eq!(post("/oauth/token", &wrong).await, 429, "enforced");
    assert!(!log.text().contains("rate limit not enforced"));

    drop(redis);
    assert_eq!(post("/passwordless/start", &start).await, 200, "fails open");
    assert_eq!(post("/oauth/token", &wrong).await, 403, "fails open");
    let text = log.text();
    let unenforced: Vec<&str> = text
        .lines()
        .filter(|line| {
            line.contains("ERROR") && line.contains("redis unavailable; rate limit not enforced")
        })
        .filter_map(|line| {
            line.rsplit_once("bucket=")
                .map(|(_, name)| name.trim_matches('"'))
        })
        .collect();
    // The start hits its two limits; the failed token call looks before forwarding, then counts.
    assert_eq!(
        unenforced,
        ["start-ip", "start-id", "token-failed-ip", "token-failed-ip"],
        "one error line per unenforced limit:\n{text}"
    );
}
