//! The passwordless connections a user signs in with.

use passwordless_wire::names::{CONNECTION_EMAIL, CONNECTION_SMS};

/// A passwordless connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Connection {
    Email,
    Sms,
}

impl Connection {
    pub fn as_str(self) -> &'static str {
        match self {
            Connection::Email => CONNECTION_EMAIL,
            Connection::Sms => CONNECTION_SMS,
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            CONNECTION_EMAIL => Some(Connection::Email),
            CONNECTION_SMS => Some(Connection::Sms),
            _ => None,
        }
    }
}
