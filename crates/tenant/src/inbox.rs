//! The dev inbox: every email and SMS the tenant would have sent, kept instead of sent.

use passwordless_wire::InboxMessage;

#[derive(Debug, Default)]
pub struct Inbox {
    messages: Vec<InboxMessage>,
}

/// At most this many messages are kept; the oldest go first.
const CAPACITY: usize = 1000;

impl Inbox {
    pub fn deliver(&mut self, message: InboxMessage) {
        if self.messages.len() == CAPACITY {
            self.messages.remove(0);
        }
        self.messages.push(message);
    }

    /// Messages to `to` (all when `None`), newest first.
    pub fn list(&self, to: Option<&str>) -> Vec<InboxMessage> {
        self.messages
            .iter()
            .rev()
            .filter(|m| to.is_none_or(|to| m.to.eq_ignore_ascii_case(to)))
            .cloned()
            .collect()
    }
}
