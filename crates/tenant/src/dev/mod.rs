//! What only a local tenant has, behind one seam: [`mount`] answers the `/dev/*` routes and
//! installs [`DevTools`] as the tenant's hooks, so that messages land in the dev inbox, armed
//! ID-token and token-answer faults strike and slow answers wait. Nothing outside this folder calls into it; the
//! domain only composes the [`message::InboxMessage`]s it hands to the hooks.

pub mod faults;
pub mod inbox;
pub mod message;
mod passkeys;
mod routes;

use std::sync::Arc;

use axum::Router;
use rusqlite::Transaction;
use serde_json::Value;

use self::message::InboxMessage;
use crate::failure::Failure;
use crate::hooks::Hooks;
use crate::keys::SigningKey;
use crate::tenant::Tenant;

/// The dev routes of `tenant`, with its dev tools switched on (once; mounting again is the
/// same tools).
pub fn mount(tenant: Tenant) -> Router {
    tenant.install_hooks(Arc::new(DevTools));
    routes::routes(tenant)
}

/// The tenant's hooks when the dev tools are mounted.
pub struct DevTools;

impl Hooks for DevTools {
    fn deliver(
        &self,
        tx: &Transaction<'_>,
        message: &InboxMessage,
        now: u64,
    ) -> Result<(), Failure> {
        inbox::deliver(tx, message, now)
    }

    fn sign_id_token(
        &self,
        tx: &Transaction<'_>,
        key: &SigningKey,
        identifier: &str,
        claims: Value,
        now: u64,
    ) -> Result<String, Failure> {
        Ok(match faults::take(tx, identifier)? {
            Some(kind) => faults::corrupt(&kind, key, claims, now),
            None => key.sign(&claims),
        })
    }

    fn token_answer_fault(
        &self,
        tx: &Transaction<'_>,
        identifier: &str,
    ) -> Result<Option<(String, Value)>, Failure> {
        faults::take_token_field(tx, identifier)
    }

    fn start_delay(&self, tx: &Transaction<'_>, identifier: &str) -> Result<Option<u64>, Failure> {
        faults::take_delay(tx, identifier)
    }
}
