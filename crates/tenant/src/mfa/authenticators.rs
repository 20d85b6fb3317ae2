//! A user's second factors. Enrolment creates one inactive; it becomes active when its first
//! code is verified. The first enrolment also creates the user's recovery code.

use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::failure::Failure;
use crate::hashing::digest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Otp,
    Sms,
    Email,
    Push,
    RecoveryCode,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Otp => "otp",
            Kind::Sms => "sms",
            Kind::Email => "email",
            Kind::Push => "push",
            Kind::RecoveryCode => "recovery-code",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            Kind::Otp,
            Kind::Sms,
            Kind::Email,
            Kind::Push,
            Kind::RecoveryCode,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }

    /// The prefix of its id (`totp|dev_…`).
    fn id_prefix(self) -> &'static str {
        match self {
            Kind::Otp => "totp",
            other => other.as_str(),
        }
    }

    /// Its name in `mfa_requirements`.
    pub fn requirement_name(self) -> &'static str {
        match self {
            Kind::Otp => "otp",
            Kind::Sms => "phone",
            Kind::Email => "email",
            Kind::Push => "push-notification",
            Kind::RecoveryCode => "recovery-code",
        }
    }

    /// The `challenge_type` that challenges it.
    pub fn challenge_type(self) -> &'static str {
        match self {
            Kind::Otp => "otp",
            Kind::Sms | Kind::Email | Kind::Push => "oob",
            Kind::RecoveryCode => "recovery-code",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Authenticator {
    pub id: String,
    pub user_id: String,
    pub kind: Kind,
    /// The TOTP secret in base32; the recovery code's SHA-256; empty for out-of-band ones.
    pub secret: String,
    /// The phone number, email address or device name of an out-of-band factor.
    pub name: Option<String>,
    pub active: bool,
    /// The last TOTP step accepted (a code is accepted once).
    pub last_step: u64,
}

impl Authenticator {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let kind: String = row.get(2)?;
        Ok(Self {
            id: row.get(0)?,
            user_id: row.get(1)?,
            kind: Kind::parse(&kind).unwrap_or(Kind::Otp),
            secret: row.get(3)?,
            name: row.get(4)?,
            active: row.get(5)?,
            last_step: row.get(6)?,
        })
    }

    /// Its entry in `GET /mfa/authenticators`.
    pub fn to_wire(&self) -> passwordless_wire::mfa::Authenticator {
        let oob_channel = match self.kind {
            Kind::Sms => Some("sms"),
            Kind::Email => Some("email"),
            Kind::Push => Some("auth0"),
            _ => None,
        };
        passwordless_wire::mfa::Authenticator {
            id: self.id.clone(),
            authenticator_type: match self.kind {
                Kind::Otp => "otp",
                Kind::RecoveryCode => "recovery-code",
                _ => "oob",
            }
            .into(),
            active: self.active,
            oob_channel: oob_channel.map(str::to_owned),
            name: oob_channel.map(|_| self.name.clone()),
        }
    }
}

const COLUMNS: &str = "id, user_id, kind, secret, name, active, last_step";

/// The user's authenticators; only the active ones when `active_only`.
pub fn list(
    tx: &Transaction<'_>,
    user_id: &str,
    active_only: bool,
) -> Result<Vec<Authenticator>, Failure> {
    let mut statement = tx.prepare(&format!(
        "SELECT {COLUMNS} FROM authenticators WHERE user_id = ?1 AND (active = 1 OR ?2 = 0)
         ORDER BY rowid"
    ))?;
    let rows = statement.query_map(params![user_id, active_only], Authenticator::from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn by_id(tx: &Transaction<'_>, id: &str) -> Result<Option<Authenticator>, Failure> {
    Ok(tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM authenticators WHERE id = ?1"),
            params![id],
            Authenticator::from_row,
        )
        .optional()?)
}

/// What a new authenticator is made of.
#[derive(Debug, Clone, Copy)]
pub struct NewAuthenticator<'a> {
    pub user_id: &'a str,
    pub kind: Kind,
    /// See [`Authenticator::secret`].
    pub secret: &'a str,
    pub name: Option<&'a str>,
    /// Active at once, or only once its first code is verified.
    pub active: bool,
}

/// Adds an authenticator; `suffix` makes its id unique (`{kind}|dev_{suffix}`).
pub fn create(
    tx: &Transaction<'_>,
    new: &NewAuthenticator<'_>,
    suffix: &str,
    now: u64,
) -> Result<Authenticator, Failure> {
    let NewAuthenticator {
        user_id,
        kind,
        secret,
        name,
        active,
    } = *new;
    let id = format!("{}|dev_{suffix}", kind.id_prefix());
    tx.execute(
        "INSERT INTO authenticators (id, user_id, kind, secret, name, active, last_step, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)",
        params![id, user_id, kind.as_str(), secret, name, active, now],
    )?;
    Ok(Authenticator {
        id,
        user_id: user_id.to_owned(),
        kind,
        secret: secret.to_owned(),
        name: name.map(str::to_owned),
        active,
        last_step: 0,
    })
}

/// Activates `id` and, with it, the user's pending recovery code.
pub fn activate(tx: &Transaction<'_>, authenticator: &Authenticator) -> Result<(), Failure> {
    tx.execute(
        "UPDATE authenticators SET active = 1 WHERE id = ?1
            OR (user_id = ?2 AND kind = 'recovery-code')",
        params![authenticator.id, authenticator.user_id],
    )?;
    Ok(())
}

pub fn set_last_step(tx: &Transaction<'_>, id: &str, step: u64) -> Result<(), Failure> {
    tx.execute(
        "UPDATE authenticators SET last_step = ?2 WHERE id = ?1",
        params![id, step],
    )?;
    Ok(())
}

/// Replaces the recovery code's hash (the used code dies).
pub fn replace_recovery_code(
    tx: &Transaction<'_>,
    id: &str,
    new_code: &str,
) -> Result<(), Failure> {
    tx.execute(
        "UPDATE authenticators SET secret = ?2 WHERE id = ?1",
        params![id, digest(new_code)],
    )?;
    Ok(())
}

/// Removes `id`; removing the last factor also removes the recovery code.
pub fn delete(tx: &Transaction<'_>, authenticator: &Authenticator) -> Result<(), Failure> {
    tx.execute(
        "DELETE FROM authenticators WHERE id = ?1",
        params![authenticator.id],
    )?;
    let factors_left: u32 = tx.query_row(
        "SELECT COUNT(*) FROM authenticators WHERE user_id = ?1 AND kind != 'recovery-code'",
        params![authenticator.user_id],
        |r| r.get(0),
    )?;
    if factors_left == 0 {
        tx.execute(
            "DELETE FROM authenticators WHERE user_id = ?1 AND kind = 'recovery-code'",
            params![authenticator.user_id],
        )?;
    }
    Ok(())
}

/// Whether the user has a recovery code yet (only the first enrolment makes one).
pub fn has_recovery_code(tx: &Transaction<'_>, user_id: &str) -> Result<bool, Failure> {
    let count: u32 = tx.query_row(
        "SELECT COUNT(*) FROM authenticators WHERE user_id = ?1 AND kind = 'recovery-code'",
        params![user_id],
        |r| r.get(0),
    )?;
    Ok(count > 0)
}
