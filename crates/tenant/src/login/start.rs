//! Starting a login (`POST /passwordless/start` without HTTP): the rate limit per IP, then a
//! new code for the identifier, its user, and the message with the code or link, in one
//! transaction.

use super::message;
pub use super::request::StartRequest;
use crate::config::{Client, FAILING_SMS_PREFIX};
use crate::connection::Connection;
use crate::failure::Failure;
use crate::rate_limit::{self, Decision};
use crate::tenant::Tenant;
use crate::{codes, users};
use rand::Rng;

/// What a start came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartOutcome {
    /// The message is in the dev inbox; the user's `_id`.
    Sent { user_id: String },
    /// The connection is not enabled for the client.
    ConnectionDisabled,
    /// The simulated SMS provider refused the number.
    SmsProviderFailed,
}

/// Takes one start from the bucket of the IP `ip` (Auth0's 50 an hour per IP).
pub fn admit(tenant: &Tenant, ip: &str) -> Result<Decision, Failure> {
    tenant.store().transaction(|tx| {
        rate_limit::check(
            tx,
            &format!("start:{ip}"),
            tenant.config().start_limit_per_hour,
            tenant.now(),
        )
    })
}

/// Seconds this start must wait before it answers (a dev slow answer armed for `identifier`).
pub fn delay(tenant: &Tenant, identifier: &str) -> Result<Option<u64>, Failure> {
    tenant
        .store()
        .transaction(|tx| tenant.hooks().start_delay(tx, identifier))
}

/// Sends a new code or link for `request` in `language`, replacing any earlier one.
pub fn start(
    tenant: &Tenant,
    client: &Client,
    request: &StartRequest,
    language: &str,
) -> Result<StartOutcome, Failure> {
    if !client
        .connections
        .iter()
        .any(|c| c == request.connection.as_str())
    {
        return Ok(StartOutcome::ConnectionDisabled);
    }
    if request.connection == Connection::Sms && request.identifier.starts_with(FAILING_SMS_PREFIX) {
        return Ok(StartOutcome::SmsProviderFailed);
    }
    let now = tenant.now();
    let policy = tenant.config().codes;
    let (code, message_id) = {
        let mut rng = tenant.rng()?;
        let code = format!(
            "{:0width$}",
            rng.gen_range(0..10u64.pow(policy.length)),
            width = policy.length as usize
        );
        (code, format!("msg_{:016x}", rng.gen::<u64>()))
    };
    let new_id = tenant.new_user_id()?;
    let message = message::compose(
        tenant.config(),
        client,
        request,
        &code,
        message_id,
        language,
        now,
    );
    let user = tenant.store().transaction(|tx| {
        let user = users::get_or_create(tx, request.connection, &request.identifier, &new_id, now)?;
        codes::issue(
            tx,
            request.connection,
            &request.identifier,
            &code,
            policy,
            now,
        )?;
        tenant.hooks().deliver(tx, &message, now)?;
        Ok::<_, Failure>(user)
    })?;
    tracing::info!(
        connection = request.connection.as_str(),
        link = request.send_link,
        "message put in the dev inbox"
    );
    Ok(StartOutcome::Sent { user_id: user.id })
}
