//! Users' passkeys as kept: webauthn-rs's `Passkey` (its public key, counter and backup
//! flags) as JSON, keyed by the credential id in base64url, with the authentication method
//! id that the My Account API names it by.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use webauthn_rs::prelude::{Credential, Passkey};

use crate::failure::Failure;

/// A passkey as kept.
#[derive(Debug, Clone)]
pub struct StoredPasskey {
    /// The credential id, base64url.
    pub credential_id: String,
    /// `passkey|…`: its id as an authentication method.
    pub method_id: String,
    pub user_id: String,
    pub passkey: Passkey,
    pub created_at: u64,
    pub last_used_at: Option<u64>,
}

impl StoredPasskey {
    /// Whether the passkey may be synced to other devices, and whether it is.
    pub fn backup_flags(&self) -> (bool, bool) {
        let credential = Credential::from(self.passkey.clone());
        (credential.backup_eligible, credential.backup_state)
    }
}

/// The credential id of `passkey`, base64url.
pub fn credential_id(passkey: &Passkey) -> String {
    B64URL.encode(passkey.cred_id())
}

const COLUMNS: &str = "credential_id, method_id, user_id, passkey, created_at, last_used_at";

/// A row, with its passkey still JSON (read by [`parsed`] outside rusqlite's closure).
type Row6 = (String, String, String, String, u64, Option<u64>);

fn read_row(row: &Row<'_>) -> rusqlite::Result<Row6> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

fn parsed(row: Row6) -> Result<StoredPasskey, Failure> {
    let (credential_id, method_id, user_id, json, created_at, last_used_at) = row;
    Ok(StoredPasskey {
        passkey: serde_json::from_str(&json).map_err(Failure::new)?,
        credential_id,
        method_id,
        user_id,
        created_at,
        last_used_at,
    })
}

/// Keeps a new passkey of `user_id`; `false` when its credential id is already kept.
pub fn save(
    tx: &Transaction<'_>,
    passkey: &Passkey,
    method_id: &str,
    user_id: &str,
    now: u64,
) -> Result<bool, Failure> {
    let json = serde_json::to_string(passkey).map_err(Failure::new)?;
    let added = tx.execute(
        "INSERT OR IGNORE INTO passkeys
           (credential_id, method_id, user_id, passkey, created_at, last_used_at)
         VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
        params![credential_id(passkey), method_id, user_id, json, now],
    )?;
    Ok(added == 1)
}

/// The passkey whose credential id is `credential_id` (base64url), if kept.
pub fn by_credential_id(
    tx: &Transaction<'_>,
    credential_id: &str,
) -> Result<Option<StoredPasskey>, Failure> {
    tx.query_row(
        &format!("SELECT {COLUMNS} FROM passkeys WHERE credential_id = ?1"),
        params![credential_id],
        read_row,
    )
    .optional()?
    .map(parsed)
    .transpose()
}

/// The passkeys of `user_id` (of every user when `None`), oldest first.
pub fn list(tx: &Transaction<'_>, user_id: Option<&str>) -> Result<Vec<StoredPasskey>, Failure> {
    let mut statement = tx.prepare(&format!(
        "SELECT {COLUMNS} FROM passkeys WHERE ?1 IS NULL OR user_id = ?1
         ORDER BY created_at, credential_id"
    ))?;
    let rows = statement
        .query_map(params![user_id], read_row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(parsed).collect()
}

/// Keeps `passkey` as a sign-in left it (its counter, its backup state) and when it was used.
pub fn record_use(tx: &Transaction<'_>, passkey: &Passkey, now: u64) -> Result<(), Failure> {
    let json = serde_json::to_string(passkey).map_err(Failure::new)?;
    tx.execute(
        "UPDATE passkeys SET passkey = ?2, last_used_at = ?3 WHERE credential_id = ?1",
        params![credential_id(passkey), json, now],
    )?;
    Ok(())
}

/// Forgets the passkey `credential_id`; whether there was one.
pub fn remove(tx: &Transaction<'_>, credential_id: &str) -> Result<bool, Failure> {
    Ok(tx.execute(
        "DELETE FROM passkeys WHERE credential_id = ?1",
        params![credential_id],
    )? == 1)
}
