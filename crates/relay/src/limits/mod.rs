//! The relay's own rate limits, as a GCRA (generic cell rate algorithm: a token bucket that
//! refills one cell every `period / limit`, holding at most `limit`): counted in memory for one
//! instance (governor's keyed limiter), or in Redis with the same arithmetic so that every
//! replica behind a load balancer enforces one shared limit.
//!
//! Unlike fixed windows, a GCRA lets no burst of twice the limit through at a window's edge:
//! once a subject has used its `limit`, it gets one more cell per `period / limit`.

mod memory;
mod redis;
mod subject;

use std::time::Duration;

pub use memory::MemoryLimits;
pub use redis::RedisLimits;
pub use subject::Subject;

use crate::config::Limits;

/// What a limit said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    /// Whole seconds (rounded up, at least 1) until the subject may try again, for
    /// `Retry-After`; 0 when allowed.
    pub retry_after: u64,
}

impl Verdict {
    pub const ALLOWED: Verdict = Verdict {
        allowed: true,
        retry_after: 0,
    };

    /// Refused until `wait` from now.
    pub fn refused(wait: Duration) -> Self {
        Verdict {
            allowed: false,
            retry_after: wait.as_secs_f64().ceil().max(1.0) as u64,
        }
    }
}

/// The relay's limits, each counted on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// `/passwordless/start` and the passkey ceremonies per client network.
    StartIp,
    /// `/passwordless/start` and `/passkey/register` per email address or phone number.
    StartIdentifier,
    /// Failed `/oauth/token` calls per client network.
    FailedToken,
}

impl Bucket {
    pub const ALL: [Bucket; 3] = [
        Bucket::StartIp,
        Bucket::StartIdentifier,
        Bucket::FailedToken,
    ];

    /// Its name in Redis keys and logs.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::StartIp => "start-ip",
            Bucket::StartIdentifier => "start-id",
            Bucket::FailedToken => "token-failed-ip",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// `limit` requests per `period`, in a burst or spread out. A limit of 0 refuses everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub limit: u32,
    pub period: Duration,
}

impl Rate {
    pub fn per_hour(limit: u32) -> Self {
        Rate {
            limit,
            period: Duration::from_secs(3600),
        }
    }

    /// The time one cell takes to come back: `period / limit`.
    fn emission_interval(self) -> Option<Duration> {
        (self.limit > 0)
            .then(|| self.period / self.limit)
            .filter(|t| !t.is_zero())
    }
}

/// One [`Rate`] per [`Bucket`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    pub start_per_ip: Rate,
    pub start_per_identifier: Rate,
    pub failed_token_per_ip: Rate,
}

impl Rates {
    pub fn of(&self, bucket: Bucket) -> Rate {
        match bucket {
            Bucket::StartIp => self.start_per_ip,
            Bucket::StartIdentifier => self.start_per_identifier,
            Bucket::FailedToken => self.failed_token_per_ip,
        }
    }
}

impl From<Limits> for Rates {
    /// The configured limits are per hour.
    fn from(limits: Limits) -> Self {
        Rates {
            start_per_ip: Rate::per_hour(limits.start_per_ip),
            start_per_identifier: Rate::per_hour(limits.start_per_identifier),
            failed_token_per_ip: Rate::per_hour(limits.failed_token_per_ip),
        }
    }
}

/// Where the limits are counted.
pub enum Limiter {
    Memory(std::sync::Arc<MemoryLimits>),
    Redis(Box<RedisLimits>),
}

impl Limiter {
    /// Limits counted in this process. Inside a Tokio runtime it also starts the task that
    /// forgets idle subjects (see [`MemoryLimits::sweep`]); it ends when the limiter is dropped.
    pub fn memory(rates: Rates) -> Self {
        let limits = std::sync::Arc::new(MemoryLimits::new(rates));
        if tokio::runtime::Handle::try_current().is_ok() {
            memory::spawn_sweeper(&limits, memory::SWEEP_EVERY);
        }
        Limiter::Memory(limits)
    }

    /// Limits shared through Redis at `url` (`redis://host:port/db`).
    pub async fn redis(url: &str, rates: Rates) -> Result<Self, ::redis::RedisError> {
        Ok(Limiter::Redis(Box::new(
            RedisLimits::connect(url, rates).await?,
        )))
    }

    /// Takes one cell of `subject`'s `bucket`, when it has one.
    pub async fn hit(&self, bucket: Bucket, subject: &Subject) -> Verdict {
        match self {
            Limiter::Memory(memory) => memory.hit(bucket, subject),
            Limiter::Redis(redis) => redis.hit(bucket, subject).await,
        }
    }

    /// Whether `subject`'s `bucket` has a cell now, without taking it: how the failed-token
    /// limit refuses a call before it is forwarded, counting only the calls that then fail.
    pub async fn peek(&self, bucket: Bucket, subject: &Subject) -> Verdict {
        match self {
            Limiter::Memory(memory) => memory.peek(bucket, subject),
            Limiter::Redis(redis) => redis.peek(bucket, subject).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(Verdict::refused(Duration::from_millis(1)).retry_after, 1);
        assert_eq!(Verdict::refused(Duration::ZERO).retry_after, 1);
        assert_eq!(Verdict::refused(Duration::from_millis(1200)).retry_after, 2);
        assert_eq!(Verdict::refused(Duration::from_secs(120)).retry_after, 120);
    }

    #[test]
    fn the_configured_limits_are_per_hour() {
        let rates = Rates::from(Limits::default());
        assert_eq!(rates.of(Bucket::StartIp), Rate::per_hour(30));
        assert_eq!(
            rates.of(Bucket::StartIp).emission_interval(),
            Some(Duration::from_secs(120))
        );
        assert_eq!(Rate::per_hour(0).emission_interval(), None);
    }
}
