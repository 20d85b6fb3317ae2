//! The passwordless connections a user signs in with.

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

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "email" => Some(Connection::Email),
            "sms" => Some(Connection::Sms),
            _ => None,
        }
    }
}
