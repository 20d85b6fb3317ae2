//! Auth0's brute-force protection, simplified: ten consecutive failed one-time-code logins for
//! one account from one IP block that pair for an hour (`too_many_attempts`, 429). Auth0 keeps
//! the block until the user follows an unblock email or an admin lifts it; a local tenant lets
//! it expire instead, so that a blocked developer is not stuck.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::failure::Failure;

pub const MAX_FAILURES: u32 = 10;
pub const BLOCK_SECS: u64 = 3600;

/// `(failures, blocked_until)` for `key`.
fn read(tx: &Transaction<'_>, key: &str) -> Result<(u32, u64), Failure> {
    Ok(tx
        .query_row(
            "SELECT failures, blocked_until FROM failed_logins WHERE key = ?1",
            params![key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, 0)))
}

pub fn is_blocked(tx: &Transaction<'_>, key: &str, now: u64) -> Result<bool, Failure> {
    Ok(read(tx, key)?.1 > now)
}

/// Counts a failure; the tenth in a row starts a block.
pub fn record_failure(tx: &Transaction<'_>, key: &str, now: u64) -> Result<(), Failure> {
    let (failures, _) = read(tx, key)?;
    let failures = failures + 1;
    let (failures, blocked_until) = if failures >= MAX_FAILURES {
        (0, now + BLOCK_SECS)
    } else {
        (failures, 0)
    };
    tx.execute(
        "INSERT OR REPLACE INTO failed_logins (key, failures, blocked_until) VALUES (?1, ?2, ?3)",
        params![key, failures, blocked_until],
    )?;
    Ok(())
}

pub fn record_success(tx: &Transaction<'_>, key: &str) -> Result<(), Failure> {
    tx.execute("DELETE FROM failed_logins WHERE key = ?1", params![key])?;
    Ok(())
}
