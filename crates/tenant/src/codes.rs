//! Pending one-time codes (sent as codes or inside magic links) and their policy: only the
//! latest for an identifier is valid, it works once, it expires, and wrong tries kill it.
//! The policy itself ([`judge`]) is pure; the rest reads and writes the store.

use rusqlite::{params, OptionalExtension, Transaction};

pub use crate::connection::Connection;
use crate::failure::Failure;
use crate::hashing::constant_time_eq;
use crate::policies::CodePolicy;

/// A code waiting to be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCode {
    pub code: String,
    pub expires_at: u64,
    pub wrong_tries: u32,
}

/// What checking a code answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// No code pending, or the wrong code with tries left.
    Wrong,
    Expired,
    /// The budget of wrong tries is spent: the code is dead.
    TooManyTries,
}

/// What becomes of the pending code after a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aftermath {
    Remove,
    Keep(PendingCode),
}

/// The policy: checks `attempt` against `pending` at `now`.
pub fn judge(
    pending: &PendingCode,
    attempt: &str,
    policy: CodePolicy,
    now: u64,
) -> (Verdict, Aftermath) {
    if now >= pending.expires_at {
        return (Verdict::Expired, Aftermath::Remove);
    }
    if pending.wrong_tries >= policy.max_tries {
        return (Verdict::TooManyTries, Aftermath::Keep(pending.clone()));
    }
    if constant_time_eq(pending.code.as_bytes(), attempt.as_bytes()) {
        return (Verdict::Accepted, Aftermath::Remove);
    }
    let wrong_tries = pending.wrong_tries + 1;
    let verdict = if wrong_tries >= policy.max_tries {
        Verdict::TooManyTries
    } else {
        Verdict::Wrong
    };
    let kept = PendingCode {
        wrong_tries,
        ..pending.clone()
    };
    (verdict, Aftermath::Keep(kept))
}

/// Records `code` as the only valid one for `identifier`, replacing any earlier one.
pub fn issue(
    tx: &Transaction<'_>,
    connection: Connection,
    identifier: &str,
    code: &str,
    policy: CodePolicy,
    now: u64,
) -> Result<(), Failure> {
    tx.execute(
        "INSERT OR REPLACE INTO pending_codes (connection, identifier, code, expires_at, wrong_tries)
         VALUES (?1, ?2, ?3, ?4, 0)",
        params![connection.as_str(), identifier, code, now + policy.lifetime_secs],
    )?;
    Ok(())
}

/// Checks `attempt` and records the outcome, in the caller's transaction.
pub fn verify(
    tx: &Transaction<'_>,
    connection: Connection,
    identifier: &str,
    attempt: &str,
    policy: CodePolicy,
    now: u64,
) -> Result<Verdict, Failure> {
    let pending = tx
        .query_row(
            "SELECT code, expires_at, wrong_tries FROM pending_codes
             WHERE connection = ?1 AND identifier = ?2",
            params![connection.as_str(), identifier],
            |row| {
                Ok(PendingCode {
                    code: row.get(0)?,
                    expires_at: row.get(1)?,
                    wrong_tries: row.get(2)?,
                })
            },
        )
        .optional()?;
    let Some(pending) = pending else {
        return Ok(Verdict::Wrong);
    };
    let (verdict, aftermath) = judge(&pending, attempt, policy, now);
    match aftermath {
        Aftermath::Remove => {
            tx.execute(
                "DELETE FROM pending_codes WHERE connection = ?1 AND identifier = ?2",
                params![connection.as_str(), identifier],
            )?;
        }
        Aftermath::Keep(kept) if kept != pending => {
            tx.execute(
                "UPDATE pending_codes SET wrong_tries = ?3 WHERE connection = ?1 AND identifier = ?2",
                params![connection.as_str(), identifier, kept.wrong_tries],
            )?;
        }
        Aftermath::Keep(_) => {}
    }
    Ok(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: CodePolicy = CodePolicy {
        length: 6,
        lifetime_secs: 180,
        max_tries: 3,
    };

    fn pending(tries: u32) -> PendingCode {
        PendingCode {
            code: "123456".into(),
            expires_at: 180,
            wrong_tries: tries,
        }
    }

    #[test]
    fn the_right_code_is_accepted_once() {
        assert_eq!(
            judge(&pending(0), "123456", POLICY, 1),
            (Verdict::Accepted, Aftermath::Remove)
        );
    }

    #[test]
    fn a_code_expires_after_its_lifetime() {
        assert_eq!(
            judge(&pending(0), "123456", POLICY, 179).0,
            Verdict::Accepted
        );
        assert_eq!(
            judge(&pending(0), "123456", POLICY, 180),
            (Verdict::Expired, Aftermath::Remove)
        );
    }

    #[test]
    fn three_wrong_tries_kill_the_code() {
        assert_eq!(
            judge(&pending(0), "000000", POLICY, 1),
            (Verdict::Wrong, Aftermath::Keep(pending(1)))
        );
        assert_eq!(
            judge(&pending(1), "000000", POLICY, 1),
            (Verdict::Wrong, Aftermath::Keep(pending(2)))
        );
        assert_eq!(
            judge(&pending(2), "000000", POLICY, 1),
            (Verdict::TooManyTries, Aftermath::Keep(pending(3)))
        );
        assert_eq!(
            judge(&pending(3), "123456", POLICY, 1),
            (Verdict::TooManyTries, Aftermath::Keep(pending(3)))
        );
    }
}
