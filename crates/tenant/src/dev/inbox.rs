//! The dev inbox: every email and SMS the tenant would have sent, kept instead of sent.

use rusqlite::{params, Transaction};

use super::message::{Channel, InboxMessage, MessageKind};
use crate::clock::rfc3339;
use crate::failure::Failure;

/// At most this many messages are kept; the oldest go first.
const CAPACITY: i64 = 1000;

/// Keeps `m`, sent at `created_at` (Unix seconds; `m.created_at` is its rendering).
pub fn deliver(tx: &Transaction<'_>, m: &InboxMessage, created_at: u64) -> Result<(), Failure> {
    tx.execute(
        "INSERT INTO inbox (id, channel, recipient, kind, code, link, language, subject, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            m.id,
            channel_str(m.channel),
            m.to,
            kind_str(m.kind),
            m.code,
            m.link,
            m.language,
            m.subject,
            m.body,
            created_at
        ],
    )?;
    tx.execute(
        "DELETE FROM inbox WHERE seq <= (SELECT MAX(seq) FROM inbox) - ?1",
        params![CAPACITY],
    )?;
    Ok(())
}

/// Messages to `to` (all when `None`), newest first.
pub fn list(tx: &Transaction<'_>, to: Option<&str>) -> Result<Vec<InboxMessage>, Failure> {
    let mut statement = tx.prepare(
        "SELECT id, channel, recipient, kind, code, link, created_at, language, subject, body
         FROM inbox WHERE ?1 IS NULL OR recipient = ?1 COLLATE NOCASE ORDER BY seq DESC",
    )?;
    let rows = statement.query_map(params![to], |row| {
        let channel: String = row.get(1)?;
        let kind: String = row.get(3)?;
        let created_at: u64 = row.get(6)?;
        Ok(InboxMessage {
            id: row.get(0)?,
            channel: match channel.as_str() {
                "sms" => Channel::Sms,
                "push" => Channel::Push,
                _ => Channel::Email,
            },
            to: row.get(2)?,
            kind: match kind.as_str() {
                "link" => MessageKind::Link,
                "push" => MessageKind::Push,
                _ => MessageKind::Code,
            },
            code: row.get(4)?,
            link: row.get(5)?,
            created_at: rfc3339(created_at),
            language: row.get(7)?,
            subject: row.get(8)?,
            body: row.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Empties the inbox; answers how many messages were removed.
pub fn clear(tx: &Transaction<'_>) -> Result<usize, Failure> {
    Ok(tx.execute("DELETE FROM inbox", [])?)
}

fn channel_str(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "email",
        Channel::Sms => "sms",
        Channel::Push => "push",
    }
}

fn kind_str(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Code => "code",
        MessageKind::Link => "link",
        MessageKind::Push => "push",
    }
}
