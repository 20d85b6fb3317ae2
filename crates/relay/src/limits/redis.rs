//! Limits shared by replicas through Redis: the same GCRA as in memory, computed by a Lua
//! script on Redis's own clock (so replicas whose clocks differ still agree). Each subject is
//! one key holding its theoretical arrival time (TAT) in microseconds, expiring (`PEXPIRE`, set
//! with `SET … PX`) when its bucket is full again, so Redis keeps no more than memory would.
//!
//! When Redis cannot answer, the relay fails open: it logs an error and lets the request
//! through (the upstream's own limits still hold), rather than refusing every sign-in.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{Bucket, Rates, Subject, Verdict};

/// GCRA: a cell is allowed when `now >= tat - tau`; taking it moves the TAT to
/// `max(tat, now) + t`. KEYS[1] the subject's TAT; ARGV: t (µs), the burst, 1 to take a cell
/// or 0 to look. Answers {1, 0} when allowed, {0, µs to wait} when refused.
/// Microseconds since the epoch fit a Lua double exactly (< 2^53).
const GCRA_SCRIPT: &str = r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local t = tonumber(ARGV[1])
local tau = t * (tonumber(ARGV[2]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local earliest = tat - tau
if now < earliest then return {0, earliest - now} end
if ARGV[3] == '1' then
  local next = tat + t
  redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000))
end
return {1, 0}
";

/// How long a Redis call may take before the relay gives up on it and fails open.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

pub struct RedisLimits {
    connection: ConnectionManager,
    script: redis::Script,
    rates: Rates,
}

impl RedisLimits {
    /// Connects to Redis at `url` (`redis://host:port/db`).
    pub async fn connect(url: &str, rates: Rates) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(REDIS_TIMEOUT)
            .set_response_timeout(REDIS_TIMEOUT);
        let connection = client.get_connection_manager_with_config(config).await?;
        Ok(Self {
            connection,
            script: redis::Script::new(GCRA_SCRIPT),
            rates,
        })
    }

    pub async fn hit(&self, bucket: Bucket, subject: &Subject) -> Verdict {
        self.run(bucket, subject, true).await
    }

    pub async fn peek(&self, bucket: Bucket, subject: &Subject) -> Verdict {
        self.run(bucket, subject, false).await
    }

    async fn run(&self, bucket: Bucket, subject: &Subject, take: bool) -> Verdict {
        let rate = self.rates.of(bucket);
        let Some(t) = rate.emission_interval() else {
            return Verdict::refused(rate.period);
        };
        let key = format!("relay:gcra:{}:{subject}", bucket.name());
        let mut connection = self.connection.clone();
        let mut invocation = self.script.key(&key);
        invocation
            .arg(t.as_micros().max(1) as u64)
            .arg(rate.limit)
            .arg(u8::from(take));
        // The connection manager's own timeouts do not bound a call made while it reconnects.
        let answer = tokio::time::timeout(
            REDIS_TIMEOUT,
            invocation.invoke_async::<(u8, u64)>(&mut connection),
        )
        .await;
        let error = match answer {
            Ok(Ok((1, _))) => return Verdict::ALLOWED,
            Ok(Ok((_, wait_us))) => return Verdict::refused(Duration::from_micros(wait_us)),
            Ok(Err(error)) => error.to_string(),
            Err(_) => format!("no answer in {REDIS_TIMEOUT:?}"),
        };
        // Fail open: the upstream's own limits still apply.
        tracing::error!(%error, bucket = bucket.name(), "redis unavailable; rate limit not enforced");
        Verdict::ALLOWED
    }
}
