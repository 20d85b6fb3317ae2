//! What the dev inbox keeps: a message the tenant would have sent, as `GET /dev/inbox` answers
//! it. The domain composes these (`login::message`, `mfa::challenge`) and hands them to the
//! hooks; they are not part of the contract, so they live here and not in `passwordless-wire`.

use serde::{Deserialize, Serialize};

/// Where a dev-inbox message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
    /// A (simulated) push notification to the user's authenticator app.
    Push,
}

/// What a dev-inbox message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    Code,
    Link,
    /// A push asking the user to approve a sign-in (`POST /dev/push/{id}/approve|deny`).
    Push,
}

/// One entry of the local tenant's `GET /dev/inbox`: what it would have sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub id: String,
    pub channel: Channel,
    pub to: String,
    pub kind: MessageKind,
    pub code: Option<String>,
    pub link: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The language the message was written in (`x-request-language`, else `accept-language`).
    pub language: String,
    pub subject: String,
    /// The message's text, as the user would have read it.
    pub body: String,
}
