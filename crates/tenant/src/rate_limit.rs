//! Buckets of `limit` requests that refill evenly over an hour, kept in the store: Auth0's rate
//! limit on `/passwordless/start` ("50 an hour per IP, burst 50") and the budget of failed MFA
//! checks ("10, one back every 6 minutes").

use rusqlite::{params, OptionalExtension, Transaction};

use crate::failure::Failure;

const WINDOW_SECS: u64 = 3600;

/// The answer to "may this IP start once more?", with what the `x-ratelimit-*` headers say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Unix time at which the bucket is full again.
    pub reset: u64,
    /// Seconds until one more request is allowed (0 when allowed now).
    pub retry_after: u64,
}

/// The pure bucket arithmetic. The level is kept in thousandths of a request so that a
/// partial refill is not lost between calls.
pub fn take(level_milli: u64, elapsed: u64, limit: u32, now: u64) -> (Decision, u64) {
    let full = u64::from(limit) * 1000;
    let refill = elapsed.saturating_mul(full) / WINDOW_SECS;
    let level = level_milli.saturating_add(refill).min(full);
    let allowed = level >= 1000;
    let level = if allowed { level - 1000 } else { level };
    let per_request_secs = WINDOW_SECS / u64::from(limit).max(1);
    let seconds_to = |target: u64| (target.saturating_sub(level) * WINDOW_SECS).div_ceil(full);
    let decision = Decision {
        allowed,
        limit,
        remaining: (level / 1000) as u32,
        reset: now + seconds_to(full),
        retry_after: if allowed {
            0
        } else {
            seconds_to(1000).max(1).min(per_request_secs)
        },
    };
    (decision, level)
}

/// The whole requests left in `key`'s bucket now, without taking any.
pub fn remaining(tx: &Transaction<'_>, key: &str, limit: u32, now: u64) -> Result<u32, Failure> {
    let (level, updated) = read(tx, key, limit, now)?;
    let full = u64::from(limit) * 1000;
    let level = level
        .saturating_add(now.saturating_sub(updated).saturating_mul(full) / WINDOW_SECS)
        .min(full);
    Ok((level / 1000) as u32)
}

fn read(tx: &Transaction<'_>, key: &str, limit: u32, now: u64) -> Result<(u64, u64), Failure> {
    let kept: Option<(u64, u64)> = tx
        .query_row(
            "SELECT level_milli, updated_at FROM rate_limits WHERE bucket = ?1",
            params![key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    Ok(kept.unwrap_or((u64::from(limit) * 1000, now)))
}

/// Takes one request from `key`'s bucket.
pub fn check(tx: &Transaction<'_>, key: &str, limit: u32, now: u64) -> Result<Decision, Failure> {
    let (level, updated) = read(tx, key, limit, now)?;
    let (decision, level) = take(level, now.saturating_sub(updated), limit, now);
    tx.execute(
        "INSERT OR REPLACE INTO rate_limits (bucket, level_milli, updated_at) VALUES (?1, ?2, ?3)",
        params![key, level, now],
    )?;
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_allows_the_burst_then_refuses() {
        let mut level = 50_000;
        for i in 0..50 {
            let (decision, next) = take(level, 0, 50, 0);
            assert!(decision.allowed, "request {i}");
            assert_eq!(decision.remaining, 49 - i);
            level = next;
        }
        let (decision, _) = take(level, 0, 50, 0);
        assert!(!decision.allowed);
        assert_eq!(decision.retry_after, 72);
        assert_eq!(decision.reset, 3600);
    }

    #[test]
    fn the_bucket_refills_evenly_over_the_hour() {
        let (decision, level) = take(0, 72, 50, 1000);
        assert!(decision.allowed, "one request back after 72 s");
        assert_eq!(level, 0);
        let (decision, _) = take(0, 71, 50, 1000);
        assert!(!decision.allowed);
        let (decision, _) = take(0, 10_000, 50, 1000);
        assert_eq!(decision.remaining, 49, "never more than the limit");
    }
}
