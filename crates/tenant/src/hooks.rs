//! Where the tenant's work leaves it: the messages it would send, the ID tokens it signs and
//! the token answers it gives.
//! This is the one seam the dev tools plug into (`dev::mount` installs `dev::DevTools`, which
//! keeps messages in the dev inbox and applies armed faults); the domain calls only this.

use rusqlite::Transaction;
use serde_json::Value;

use crate::dev::message::InboxMessage;
use crate::failure::Failure;
use crate::keys::SigningKey;

pub trait Hooks: Send + Sync {
    /// Hands over a message the tenant would have sent, in the caller's transaction.
    fn deliver(
        &self,
        tx: &Transaction<'_>,
        message: &InboxMessage,
        now: u64,
    ) -> Result<(), Failure>;

    /// Signs the ID token with `claims` for the user known by `identifier`.
    fn sign_id_token(
        &self,
        tx: &Transaction<'_>,
        key: &SigningKey,
        identifier: &str,
        claims: Value,
        now: u64,
    ) -> Result<String, Failure>;

    /// The member of the next token answer for `identifier` to replace, and by what, if any.
    fn token_answer_fault(
        &self,
        tx: &Transaction<'_>,
        identifier: &str,
    ) -> Result<Option<(String, Value)>, Failure>;

    /// Seconds the next `/passwordless/start` for `identifier` must wait, if any.
    fn start_delay(&self, tx: &Transaction<'_>, identifier: &str) -> Result<Option<u64>, Failure>;
}

/// A tenant without its dev tools: a local tenant has no real sender, so messages are only
/// logged; ID tokens are signed and token answers given as they are; nothing waits.
pub struct WithoutDevTools;

impl Hooks for WithoutDevTools {
    fn deliver(&self, _: &Transaction<'_>, message: &InboxMessage, _: u64) -> Result<(), Failure> {
        tracing::warn!(id = %message.id, "no dev inbox is mounted: the message is dropped");
        Ok(())
    }

    fn sign_id_token(
        &self,
        _: &Transaction<'_>,
        key: &SigningKey,
        _: &str,
        claims: Value,
        _: u64,
    ) -> Result<String, Failure> {
        Ok(key.sign(&claims))
    }

    fn token_answer_fault(
        &self,
        _: &Transaction<'_>,
        _: &str,
    ) -> Result<Option<(String, Value)>, Failure> {
        Ok(None)
    }

    fn start_delay(&self, _: &Transaction<'_>, _: &str) -> Result<Option<u64>, Failure> {
        Ok(None)
    }
}
