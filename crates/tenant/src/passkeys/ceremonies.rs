//! Ceremonies waiting for the browser's answer, kept by the SHA-256 of their `auth_session`:
//! which ceremony, for which client (and user, or sign-up profile), webauthn-rs's serialised
//! state and when it expires. Taking one removes it: an `auth_session` works once.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::failure::Failure;
use crate::hashing::digest;

/// Which ceremony an `auth_session` belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `/passkey/register`: a new user's first passkey.
    SignUp,
    /// `/passkey/challenge`: a sign-in with any passkey (discoverable).
    SignIn,
    /// My Account: a passkey added to a signed-in user.
    Enrolment,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::SignUp => "sign-up",
            Kind::SignIn => "sign-in",
            Kind::Enrolment => "enrolment",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Kind::SignUp, Kind::SignIn, Kind::Enrolment]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// A ceremony as kept.
#[derive(Debug, Clone)]
pub struct Ceremony {
    pub kind: Kind,
    /// The client that asked for it (for an enrolment, the My Account token's `azp`).
    pub client_id: String,
    /// The user a passkey is added to (enrolment).
    pub user_id: Option<String>,
    /// A sign-up's profile, or a sign-in's connection: JSON.
    pub profile: Option<String>,
    /// The authentication method an enrolment makes (`passkey|…`).
    pub method_id: Option<String>,
    /// webauthn-rs's state, serialised as JSON.
    pub state: String,
    pub expires_at: u64,
}

/// Keeps `ceremony` under `session`, forgetting expired ones on the way.
pub fn create(
    tx: &Transaction<'_>,
    session: &str,
    ceremony: &Ceremony,
    now: u64,
) -> Result<(), Failure> {
    tx.execute(
        "DELETE FROM passkey_ceremonies WHERE expires_at <= ?1",
        params![now],
    )?;
    tx.execute(
        "INSERT INTO passkey_ceremonies
           (session_hash, kind, client_id, user_id, profile, method_id, state, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            digest(session),
            ceremony.kind.as_str(),
            ceremony.client_id,
            ceremony.user_id,
            ceremony.profile,
            ceremony.method_id,
            ceremony.state,
            ceremony.expires_at
        ],
    )?;
    Ok(())
}

/// The ceremony of `session`, removed so that it cannot be answered twice.
pub fn take(tx: &Transaction<'_>, session: &str) -> Result<Option<Ceremony>, Failure> {
    let hash = digest(session);
    let found = tx
        .query_row(
            "SELECT kind, client_id, user_id, profile, method_id, state, expires_at
             FROM passkey_ceremonies WHERE session_hash = ?1",
            params![hash],
            |r| {
                let kind: String = r.get(0)?;
                Ok((
                    kind,
                    Ceremony {
                        kind: Kind::SignIn,
                        client_id: r.get(1)?,
                        user_id: r.get(2)?,
                        profile: r.get(3)?,
                        method_id: r.get(4)?,
                        state: r.get(5)?,
                        expires_at: r.get(6)?,
                    },
                ))
            },
        )
        .optional()?;
    tx.execute(
        "DELETE FROM passkey_ceremonies WHERE session_hash = ?1",
        params![hash],
    )?;
    Ok(found
        .and_then(|(kind, ceremony)| Kind::parse(&kind).map(|kind| Ceremony { kind, ..ceremony })))
}
