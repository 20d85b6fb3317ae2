//! Users, created on their first passwordless start and known by connection and identifier.

use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::connection::Connection;
use crate::failure::Failure;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// 24 hex digits, as Auth0's passwordless user ids.
    pub id: String,
    pub connection: Connection,
    pub identifier: String,
    pub verified: bool,
    pub updated_at: u64,
    /// The name a passkey sign-up gave (`user_profile.name`), if any.
    pub name: Option<String>,
}

impl User {
    /// `email|<id>` or `sms|<id>`.
    pub fn sub(&self) -> String {
        format!("{}|{}", self.connection.as_str(), self.id)
    }

    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let connection: String = row.get(1)?;
        Ok(User {
            id: row.get(0)?,
            connection: Connection::parse(&connection).unwrap_or(Connection::Email),
            identifier: row.get(2)?,
            verified: row.get(3)?,
            updated_at: row.get(4)?,
            name: row.get(5)?,
        })
    }
}

const COLUMNS: &str = "id, connection, identifier, verified, updated_at, name";

/// The user known by `identifier` on `connection`, if any.
pub fn find(
    tx: &Transaction<'_>,
    connection: Connection,
    identifier: &str,
) -> Result<Option<User>, Failure> {
    Ok(tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE connection = ?1 AND identifier = ?2"),
            params![connection.as_str(), identifier],
            User::from_row,
        )
        .optional()?)
}

/// The user for `identifier`, created unverified with `new_id` if it is new.
pub fn get_or_create(
    tx: &Transaction<'_>,
    connection: Connection,
    identifier: &str,
    new_id: &str,
    now: u64,
) -> Result<User, Failure> {
    if let Some(user) = find(tx, connection, identifier)? {
        return Ok(user);
    }
    let user = User {
        id: new_id.to_owned(),
        connection,
        identifier: identifier.to_owned(),
        verified: false,
        updated_at: now,
        name: None,
    };
    tx.execute(
        "INSERT INTO users (id, connection, identifier, verified, created_at, updated_at)
         VALUES (?1, ?2, ?3, 0, ?4, ?4)",
        params![user.id, connection.as_str(), identifier, now],
    )?;
    Ok(user)
}

/// The user after a code or a link proved its identifier: verified, and returned.
///
/// The first proof of an identifier also removes what its account got while it was unproven:
/// a passkey sign-up names an address without proving it, so its passkeys, second factors and
/// tokens may be a stranger's, set up before the address's owner ever signed in (account
/// pre-hijacking). The owner keeps the account; whoever set those up keeps nothing.
pub fn prove(
    tx: &Transaction<'_>,
    connection: Connection,
    identifier: &str,
    new_id: &str,
    now: u64,
) -> Result<User, Failure> {
    let mut user = get_or_create(tx, connection, identifier, new_id, now)?;
    if !user.verified {
        forget_unproven(tx, &user.id)?;
        user.name = None;
    }
    set_verified(tx, user, now)
}

/// Marks the user verified (created if new) and returns it, keeping all it has (`/dev/users`:
/// the developer says whose account it is).
pub fn mark_verified(
    tx: &Transaction<'_>,
    connection: Connection,
    identifier: &str,
    new_id: &str,
    now: u64,
) -> Result<User, Failure> {
    let user = get_or_create(tx, connection, identifier, new_id, now)?;
    set_verified(tx, user, now)
}

fn set_verified(tx: &Transaction<'_>, user: User, now: u64) -> Result<User, Failure> {
    tx.execute(
        "UPDATE users SET verified = 1, updated_at = ?2 WHERE id = ?1",
        params![user.id, now],
    )?;
    Ok(User {
        verified: true,
        updated_at: now,
        ..user
    })
}

/// Removes the credentials, second factors, tokens and name of an account whose identifier was
/// never proven.
fn forget_unproven(tx: &Transaction<'_>, user_id: &str) -> Result<(), Failure> {
    tx.execute(
        "UPDATE users SET name = NULL WHERE id = ?1",
        params![user_id],
    )?;
    for table in [
        "passkeys",
        "passkey_ceremonies",
        "authenticators",
        "mfa_tokens",
        "refresh_tokens",
        "access_tokens",
    ] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE user_id = ?1"),
            params![user_id],
        )?;
    }
    Ok(())
}

/// Sets the user's name (a passkey sign-up's `user_profile.name`).
pub fn set_name(tx: &Transaction<'_>, user: User, name: &str, now: u64) -> Result<User, Failure> {
    tx.execute(
        "UPDATE users SET name = ?2, updated_at = ?3 WHERE id = ?1",
        params![user.id, name, now],
    )?;
    Ok(User {
        name: Some(name.to_owned()),
        updated_at: now,
        ..user
    })
}

/// The user with `id`, if any.
pub fn by_id(tx: &Transaction<'_>, id: &str) -> Result<Option<User>, Failure> {
    Ok(tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
            params![id],
            User::from_row,
        )
        .optional()?)
}
