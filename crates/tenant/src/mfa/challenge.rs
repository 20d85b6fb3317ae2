//! `POST /mfa/challenge` without HTTP: pick the user's active factor for the asked challenge
//! types and, for an out-of-band one, send its code (or push) and record the challenge.

use rand::Rng;
use rusqlite::Transaction;

use super::authenticators::{self, Authenticator, Kind};
use super::session::{self, TokenCheck};
use super::OOB_CODE_LIFETIME_SECS;
use crate::clock::rfc3339;
use crate::dev::message::{Channel, InboxMessage, MessageKind};
use crate::failure::Failure;
use crate::tenant::Tenant;
use crate::users;

/// What a challenge came to.
#[derive(Debug)]
pub enum ChallengeOutcome {
    /// The `mfa_token` is not usable.
    Token(TokenCheck),
    /// The user has no active factor to challenge.
    AssociationRequired,
    /// None of the user's active factors answers the asked types.
    NoMatchingFactor,
    /// The user types the authenticator app's code.
    Otp,
    /// A code (`binding_method: prompt`) or a push was sent; `prompt` says which.
    Oob { oob_code: String, prompt: bool },
}

/// Challenges one of the user's factors of `types` (`otp`, `oob`), `wanted_id` when given.
pub fn challenge(
    tenant: &Tenant,
    mfa_token: &str,
    client_id: &str,
    types: &[&str],
    wanted_id: Option<&str>,
) -> Result<ChallengeOutcome, Failure> {
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let login = match session::login(tx, mfa_token, Some(client_id), now)? {
            TokenCheck::Valid(login) => login,
            refused => return Ok(ChallengeOutcome::Token(refused)),
        };
        let active: Vec<Authenticator> = authenticators::list(tx, &login.user_id, true)?
            .into_iter()
            .filter(|a| a.kind != Kind::RecoveryCode)
            .collect();
        if active.is_empty() {
            return Ok(ChallengeOutcome::AssociationRequired);
        }
        let chosen = active
            .iter()
            .filter(|a| wanted_id.is_none_or(|id| a.id == id))
            .find(|a| types.contains(&a.kind.challenge_type()));
        let Some(chosen) = chosen else {
            return Ok(ChallengeOutcome::NoMatchingFactor);
        };
        if chosen.kind == Kind::Otp {
            return Ok(ChallengeOutcome::Otp);
        }
        let oob_code = send_oob(tenant, tx, mfa_token, chosen, now)?;
        Ok(ChallengeOutcome::Oob {
            oob_code,
            prompt: chosen.kind != Kind::Push,
        })
    })
}

/// Sends the out-of-band message for `authenticator` (a code by SMS or email, or a push) and
/// records the challenge; answers its `oob_code`.
pub fn send_oob(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    mfa_token: &str,
    authenticator: &Authenticator,
    now: u64,
) -> Result<String, Failure> {
    let oob_code = format!("Fe26.{}", tenant.random_token(24)?);
    let (binding_code, message_id) = {
        let mut rng = tenant.rng()?;
        (
            format!("{:06}", rng.gen_range(0..1_000_000)),
            format!("msg_{:016x}", rng.gen::<u64>()),
        )
    };
    let user = users::by_id(tx, &authenticator.user_id)?
        .ok_or_else(|| Failure::new("an authenticator without its user"))?;
    let (channel, kind, to, code, subject, body) = match authenticator.kind {
        Kind::Push => (
            Channel::Push,
            MessageKind::Push,
            user.identifier.clone(),
            None,
            "Approve sign-in?".to_owned(),
            format!(
                "Someone is signing in as {}. Approve or deny it.",
                user.identifier
            ),
        ),
        kind => (
            if kind == Kind::Sms {
                Channel::Sms
            } else {
                Channel::Email
            },
            MessageKind::Code,
            authenticator
                .name
                .clone()
                .unwrap_or_else(|| user.identifier.clone()),
            Some(binding_code.clone()),
            "Your verification code".to_owned(),
            format!("Your verification code is {binding_code}. It expires in 5 minutes."),
        ),
    };
    let message = InboxMessage {
        id: message_id.clone(),
        channel,
        to,
        kind,
        code,
        link: None,
        created_at: rfc3339(now),
        language: "en".into(),
        subject,
        body,
    };
    tenant.hooks().deliver(tx, &message, now)?;
    let binding = (authenticator.kind != Kind::Push).then_some(binding_code.as_str());
    session::create_challenge(
        tx,
        &oob_code,
        mfa_token,
        &authenticator.id,
        binding,
        &message_id,
        now + OOB_CODE_LIFETIME_SECS,
    )?;
    Ok(oob_code)
}
