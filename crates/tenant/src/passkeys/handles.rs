//! Each user's one WebAuthn user handle (a random UUID, `user.id` of every passkey made for
//! them), kept beside the users table so that older data dirs need no migration.

use rusqlite::{params, OptionalExtension, Transaction};
use webauthn_rs::prelude::Uuid;

use crate::failure::Failure;
use crate::tenant::Tenant;

/// A new random handle, from the tenant's RNG.
pub fn new_handle(tenant: &Tenant) -> Result<Uuid, Failure> {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    tenant.rng()?.fill_bytes(&mut bytes);
    Ok(Uuid::from_bytes(bytes))
}

/// The handle of `user_id`, if it has one.
pub fn of_user(tx: &Transaction<'_>, user_id: &str) -> Result<Option<Uuid>, Failure> {
    let kept: Option<String> = tx
        .query_row(
            "SELECT handle FROM webauthn_user_handles WHERE user_id = ?1",
            params![user_id],
            |r| r.get(0),
        )
        .optional()?;
    kept.map(|h| Uuid::parse_str(&h).map_err(Failure::new))
        .transpose()
}

/// The handle of `user_id`, which becomes `new` if it had none.
pub fn ensure(tx: &Transaction<'_>, user_id: &str, new: Uuid) -> Result<Uuid, Failure> {
    if let Some(kept) = of_user(tx, user_id)? {
        return Ok(kept);
    }
    tx.execute(
        "INSERT INTO webauthn_user_handles (user_id, handle) VALUES (?1, ?2)",
        params![user_id, new.to_string()],
    )?;
    Ok(new)
}

/// The user whose handle is `handle`, if any.
pub fn user_of(tx: &Transaction<'_>, handle: Uuid) -> Result<Option<String>, Failure> {
    Ok(tx
        .query_row(
            "SELECT user_id FROM webauthn_user_handles WHERE handle = ?1",
            params![handle.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}
