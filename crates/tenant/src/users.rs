//! Users, created on their first passwordless login and known by connection and identifier.

use std::collections::HashMap;

use rand::Rng;

use crate::codes::Connection;

#[derive(Debug, Clone)]
pub struct User {
    /// 24 hex digits, as Auth0's passwordless user ids.
    pub id: String,
    pub connection: Connection,
    pub identifier: String,
    pub verified: bool,
    pub updated_at: u64,
}

impl User {
    /// `email|<id>` or `sms|<id>`.
    pub fn sub(&self) -> String {
        format!("{}|{}", self.connection.as_str(), self.id)
    }
}

#[derive(Debug, Default)]
pub struct Users {
    by_identifier: HashMap<(Connection, String), User>,
}

impl Users {
    /// The user for `identifier`, created unverified if it is new.
    pub fn get_or_create(
        &mut self,
        connection: Connection,
        identifier: &str,
        rng: &mut impl Rng,
        now: u64,
    ) -> User {
        self.entry(connection, identifier, rng, now).clone()
    }

    /// Marks the user verified after a successful login and returns it.
    pub fn mark_verified(
        &mut self,
        connection: Connection,
        identifier: &str,
        rng: &mut impl Rng,
        now: u64,
    ) -> User {
        let user = self.entry(connection, identifier, rng, now);
        user.verified = true;
        user.updated_at = now;
        user.clone()
    }

    fn entry(
        &mut self,
        connection: Connection,
        identifier: &str,
        rng: &mut impl Rng,
        now: u64,
    ) -> &mut User {
        self.by_identifier
            .entry((connection, identifier.to_owned()))
            .or_insert_with(|| User {
                id: (0..12)
                    .map(|_| format!("{:02x}", rng.gen::<u8>()))
                    .collect(),
                connection,
                identifier: identifier.to_owned(),
                verified: false,
                updated_at: now,
            })
    }
}
