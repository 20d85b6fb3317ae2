//! Listing and removing a user's factors with an `mfa_token` (`GET` and `DELETE
//! /mfa/authenticators`), without HTTP.

use super::authenticators::{self, Authenticator};
use super::session::{self, TokenCheck};
use crate::failure::Failure;
use crate::tenant::Tenant;

/// What an `mfa_token` holder asked about: the answer, or why the token is refused.
#[derive(Debug)]
pub enum WithToken<T> {
    Token(TokenCheck),
    Done(T),
}

/// Every factor of the token's user, active or not.
pub fn list(tenant: &Tenant, mfa_token: &str) -> Result<WithToken<Vec<Authenticator>>, Failure> {
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let login = match session::login(tx, mfa_token, None, now)? {
            TokenCheck::Valid(login) => login,
            refused => return Ok(WithToken::Token(refused)),
        };
        Ok(WithToken::Done(authenticators::list(
            tx,
            &login.user_id,
            false,
        )?))
    })
}

/// Removes the token's user's factor `id`; `Done(false)` when the user has no such factor.
pub fn remove(tenant: &Tenant, mfa_token: &str, id: &str) -> Result<WithToken<bool>, Failure> {
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let login = match session::login(tx, mfa_token, None, now)? {
            TokenCheck::Valid(login) => login,
            refused => return Ok(WithToken::Token(refused)),
        };
        match authenticators::by_id(tx, id)? {
            Some(found) if found.user_id == login.user_id => {
                authenticators::delete(tx, &found)?;
                Ok(WithToken::Done(true))
            }
            _ => Ok(WithToken::Done(false)),
        }
    })
}
