//! The relay's own rate limits: fixed windows counted in memory for one instance, or in Redis
//! so that every replica behind a load balancer enforces one shared limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// What a limit said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    /// Seconds until the window ends (for `Retry-After`).
    pub retry_after: u64,
}

/// Counts `INCRBY` in a window-long key, setting its expiry when it is new.
const REDIS_SCRIPT: &str = r"
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return n
";

pub enum Limiter {
    Memory(Mutex<HashMap<String, u32>>),
    Redis(Box<RedisCounter>),
}

pub struct RedisCounter {
    connection: redis::aio::ConnectionManager,
    script: redis::Script,
}

impl Limiter {
    pub fn memory() -> Self {
        Limiter::Memory(Mutex::new(HashMap::new()))
    }

    /// Connects to Redis at `url` (`redis://host:port/db`).
    pub async fn redis(url: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let connection = client.get_connection_manager().await?;
        Ok(Limiter::Redis(Box::new(RedisCounter {
            connection,
            script: redis::Script::new(REDIS_SCRIPT),
        })))
    }

    /// Counts one more request of `subject` against `limit` per `window_secs`.
    pub async fn hit(&self, bucket: &str, subject: &str, limit: u32, window_secs: u64) -> Verdict {
        self.count(bucket, subject, limit, window_secs, 1).await
    }

    /// Whether `subject` is still under `limit`, without counting.
    pub async fn peek(&self, bucket: &str, subject: &str, limit: u32, window_secs: u64) -> Verdict {
        self.count(bucket, subject, limit, window_secs, 0).await
    }

    async fn count(
        &self,
        bucket: &str,
        subject: &str,
        limit: u32,
        window_secs: u64,
        add: u32,
    ) -> Verdict {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let window = now / window_secs;
        let key = format!("relay:{bucket}:{subject}:{window}");
        let retry_after = (window + 1) * window_secs - now;
        let count = match self {
            Limiter::Memory(counts) => {
                let Ok(mut counts) = counts.lock() else {
                    return Verdict {
                        allowed: true,
                        retry_after,
                    };
                };
                if counts.len() > 100_000 {
                    let current = format!(":{window}");
                    counts.retain(|k, _| k.ends_with(&current));
                }
                let count = counts.entry(key).or_insert(0);
                *count = count.saturating_add(add);
                *count
            }
            Limiter::Redis(redis) => {
                let mut connection = redis.connection.clone();
                let counted: Result<u32, _> = redis
                    .script
                    .key(&key)
                    .arg(add)
                    .arg(window_secs)
                    .invoke_async(&mut connection)
                    .await;
                match counted {
                    Ok(count) => count,
                    Err(error) => {
                        // Fail open: the upstream's own limits still apply.
                        tracing::error!(%error, "redis unavailable; rate limit not enforced");
                        return Verdict {
                            allowed: true,
                            retry_after,
                        };
                    }
                }
            }
        };
        let allowed = if add == 0 {
            count < limit
        } else {
            count <= limit
        };
        Verdict {
            allowed,
            retry_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_memory_limit_allows_up_to_the_limit_per_subject() {
        let limiter = Limiter::memory();
        for _ in 0..3 {
            assert!(limiter.hit("start", "a", 3, 3600).await.allowed);
        }
        let refused = limiter.hit("start", "a", 3, 3600).await;
        assert!(!refused.allowed);
        assert!(refused.retry_after > 0 && refused.retry_after <= 3600);
        assert!(
            limiter.hit("start", "b", 3, 3600).await.allowed,
            "another subject"
        );
        assert!(!limiter.peek("start", "a", 3, 3600).await.allowed);
        assert!(limiter.peek("start", "c", 3, 3600).await.allowed);
    }
}
