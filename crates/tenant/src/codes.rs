//! Pending one-time codes and their policy: only the latest code for an identifier is valid,
//! it works once, it expires, and wrong tries kill it. No HTTP here.

use std::collections::HashMap;

use crate::config::CodePolicy;

/// A passwordless connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Connection {
    Email,
    Sms,
}

impl Connection {
    pub fn as_str(self) -> &'static str {
        match self {
            Connection::Email => "email",
            Connection::Sms => "sms",
        }
    }
}

#[derive(Debug, Clone)]
struct PendingCode {
    code: String,
    expires_at: u64,
    wrong_tries: u32,
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

/// Every code that is waiting to be used, keyed by connection and normalised identifier.
#[derive(Debug, Default)]
pub struct CodeBook {
    pending: HashMap<(Connection, String), PendingCode>,
}

impl CodeBook {
    /// Records `code` as the only valid one for `identifier`, replacing any earlier one.
    pub fn issue(
        &mut self,
        connection: Connection,
        identifier: &str,
        code: String,
        policy: CodePolicy,
        now: u64,
    ) {
        let pending = PendingCode {
            code,
            expires_at: now + policy.lifetime_secs,
            wrong_tries: 0,
        };
        self.pending
            .insert((connection, identifier.to_owned()), pending);
    }

    /// Checks `attempt` against the pending code. The caller holds the book's lock for the
    /// whole check, so concurrent attempts cannot both use one code or overspend the tries.
    pub fn verify(
        &mut self,
        connection: Connection,
        identifier: &str,
        attempt: &str,
        policy: CodePolicy,
        now: u64,
    ) -> Verdict {
        let key = (connection, identifier.to_owned());
        let Some(pending) = self.pending.get_mut(&key) else {
            return Verdict::Wrong;
        };
        if now >= pending.expires_at {
            self.pending.remove(&key);
            return Verdict::Expired;
        }
        if pending.wrong_tries >= policy.max_tries {
            return Verdict::TooManyTries;
        }
        if constant_time_eq(pending.code.as_bytes(), attempt.as_bytes()) {
            self.pending.remove(&key);
            return Verdict::Accepted;
        }
        pending.wrong_tries += 1;
        if pending.wrong_tries >= policy.max_tries {
            Verdict::TooManyTries
        } else {
            Verdict::Wrong
        }
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: CodePolicy = CodePolicy {
        length: 6,
        lifetime_secs: 180,
        max_tries: 3,
    };
    const WHO: &str = "ada@example.com";

    fn book_with(code: &str, now: u64) -> CodeBook {
        let mut book = CodeBook::default();
        book.issue(Connection::Email, WHO, code.into(), POLICY, now);
        book
    }

    #[test]
    fn a_code_works_once() {
        let mut book = book_with("123456", 0);
        assert_eq!(
            book.verify(Connection::Email, WHO, "123456", POLICY, 1),
            Verdict::Accepted
        );
        assert_eq!(
            book.verify(Connection::Email, WHO, "123456", POLICY, 2),
            Verdict::Wrong
        );
    }

    #[test]
    fn a_code_expires_after_its_lifetime() {
        let mut book = book_with("123456", 0);
        assert_eq!(
            book.verify(Connection::Email, WHO, "123456", POLICY, 180),
            Verdict::Expired
        );
        let mut book = book_with("123456", 0);
        assert_eq!(
            book.verify(Connection::Email, WHO, "123456", POLICY, 179),
            Verdict::Accepted
        );
    }

    #[test]
    fn three_wrong_tries_kill_the_code() {
        let mut book = book_with("123456", 0);
        assert_eq!(
            book.verify(Connection::Email, WHO, "000000", POLICY, 1),
            Verdict::Wrong
        );
        assert_eq!(
            book.verify(Connection::Email, WHO, "000001", POLICY, 1),
            Verdict::Wrong
        );
        assert_eq!(
            book.verify(Connection::Email, WHO, "000002", POLICY, 1),
            Verdict::TooManyTries
        );
        assert_eq!(
            book.verify(Connection::Email, WHO, "123456", POLICY, 1),
            Verdict::TooManyTries
        );
    }

    #[test]
    fn only_the_latest_code_is_valid() {
        let mut book = book_with("111111", 0);
        book.issue(Connection::Email, WHO, "222222".into(), POLICY, 5);
        assert_eq!(
            book.verify(Connection::Email, WHO, "111111", POLICY, 6),
            Verdict::Wrong
        );
        assert_eq!(
            book.verify(Connection::Email, WHO, "222222", POLICY, 6),
            Verdict::Accepted
        );
    }

    #[test]
    fn codes_are_per_connection_and_identifier() {
        let mut book = book_with("123456", 0);
        assert_eq!(
            book.verify(Connection::Email, "bob@example.com", "123456", POLICY, 1),
            Verdict::Wrong
        );
        assert_eq!(
            book.verify(Connection::Sms, WHO, "123456", POLICY, 1),
            Verdict::Wrong
        );
        assert_eq!(
            book.verify(Connection::Email, WHO, "123456", POLICY, 1),
            Verdict::Accepted
        );
    }
}
