//! Where the tenant keeps its state: SQLite, in a file under the data dir or in memory for
//! tests. One connection behind one lock: every request's reads and writes are one
//! transaction, so policies such as "a code works once" hold under concurrency.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, Transaction};

use crate::failure::Failure;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS signing_keys (
    kid TEXT PRIMARY KEY, pkcs8 BLOB NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, connection TEXT NOT NULL, identifier TEXT NOT NULL,
    verified INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    name TEXT, UNIQUE (connection, identifier));
CREATE TABLE IF NOT EXISTS pending_codes (
    connection TEXT NOT NULL, identifier TEXT NOT NULL, code TEXT NOT NULL,
    expires_at INTEGER NOT NULL, wrong_tries INTEGER NOT NULL,
    PRIMARY KEY (connection, identifier));
CREATE TABLE IF NOT EXISTS inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, channel TEXT NOT NULL,
    recipient TEXT NOT NULL, kind TEXT NOT NULL, code TEXT, link TEXT,
    language TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
    created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS authorization_codes (
    code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
    user_id TEXT NOT NULL, scope TEXT NOT NULL, audience TEXT, nonce TEXT,
    expires_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
    scope TEXT NOT NULL, audience TEXT, revoked INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS access_tokens (
    token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
    scope TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS authenticators (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, secret TEXT NOT NULL,
    name TEXT, active INTEGER NOT NULL, last_step INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS mfa_tokens (
    token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, client_id TEXT NOT NULL,
    scope TEXT NOT NULL, audience TEXT, nonce TEXT, expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS mfa_challenges (
    oob_hash TEXT PRIMARY KEY, mfa_token_hash TEXT NOT NULL, authenticator_id TEXT NOT NULL,
    binding_code TEXT, status TEXT NOT NULL, expires_at INTEGER NOT NULL,
    last_poll INTEGER NOT NULL, message_id TEXT);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failed_logins (
    key TEXT PRIMARY KEY, failures INTEGER NOT NULL, blocked_until INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rate_limits (
    bucket TEXT PRIMARY KEY, level_milli INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS webauthn_user_handles (
    user_id TEXT PRIMARY KEY, handle TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS passkeys (
    credential_id TEXT PRIMARY KEY, method_id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,
    passkey TEXT NOT NULL, created_at INTEGER NOT NULL, last_used_at INTEGER);
CREATE TABLE IF NOT EXISTS passkey_ceremonies (
    session_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL,
    user_id TEXT, profile TEXT, method_id TEXT, state TEXT NOT NULL,
    expires_at INTEGER NOT NULL);
";

pub struct Store {
    connection: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) `tenant.sqlite3` under `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, rusqlite::Error> {
        let connection = Connection::open(data_dir.join("tenant.sqlite3"))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        Self::with(connection)
    }

    /// A store that lives as long as the process: for tests and throwaway runs.
    pub fn in_memory() -> Result<Self, rusqlite::Error> {
        Self::with(Connection::open_in_memory()?)
    }

    fn with(connection: Connection) -> Result<Self, rusqlite::Error> {
        connection.execute_batch(SCHEMA)?;
        add_missing_columns(&connection)?;
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    /// Runs `work` in one transaction, committed only when it returns `Ok`. A refusal that
    /// must still record what it used up (a wrong try, a poll) is an `Ok` outcome.
    pub fn transaction<T, E: From<Failure>>(
        &self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut connection = self
            .connection
            .lock()
            .map_err(|_| Failure::new("the store's lock was poisoned"))?;
        let transaction = connection.transaction().map_err(Failure::from)?;
        let value = work(&transaction)?;
        transaction.commit().map_err(Failure::from)?;
        Ok(value)
    }
}

/// Columns added after a data directory may have been made: added to its tables in place.
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[("users", "name", "TEXT")];

fn add_missing_columns(connection: &Connection) -> Result<(), rusqlite::Error> {
    for (table, column, kind) in ADDED_COLUMNS {
        let present: bool = connection.query_row(
            &format!("SELECT COUNT(*) > 0 FROM pragma_table_info('{table}') WHERE name = ?1"),
            [column],
            |row| row.get(0),
        )?;
        if !present {
            connection.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_directory_made_before_a_column_gets_it() {
        let old = Connection::open_in_memory().unwrap();
        old.execute_batch(
            "CREATE TABLE users (
                id TEXT PRIMARY KEY, connection TEXT NOT NULL, identifier TEXT NOT NULL,
                verified INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                UNIQUE (connection, identifier));
             INSERT INTO users VALUES ('u1', 'email', 'a@b.co', 1, 0, 0);",
        )
        .unwrap();
        let store = Store::with(old).unwrap();
        let name: Option<String> = store
            .transaction(|tx| {
                tx.query_row("SELECT name FROM users WHERE id = 'u1'", [], |row| {
                    row.get(0)
                })
                .map_err(Failure::from)
            })
            .unwrap();
        assert_eq!(name, None, "kept, with the new column empty");
        // Opening it again finds the column there.
        let again = store.connection.into_inner().unwrap();
        Store::with(again).unwrap();
    }
}
