//! `POST /mfa/associate` without HTTP: enrol a first factor (inactive until its first code
//! is verified), with the user's recovery code on the first enrolment.

use super::authenticators::{self, Kind, NewAuthenticator};
use super::challenge::send_oob;
use super::enrol::{barcode_uri, enrol, new_totp_secret};
use super::session::{self, TokenCheck};
use crate::failure::Failure;
use crate::tenant::Tenant;
use crate::users;

/// What an enrolment came to.
#[derive(Debug)]
pub enum Association {
    Token(TokenCheck),
    /// The user has an active factor already.
    AlreadyEnrolled,
    /// A TOTP factor: the secret to show (and its QR code's URI).
    Otp {
        secret: String,
        barcode_uri: String,
        recovery_code: Option<String>,
    },
    /// An SMS or email factor: its first code was sent.
    Oob {
        kind: Kind,
        oob_code: String,
        recovery_code: Option<String>,
    },
}

/// Enrols a factor of `kind` (`Otp`, `Sms` or `Email`) named `name` (the phone number or
/// email address; the user's own address for email when `None`).
pub fn associate(
    tenant: &Tenant,
    mfa_token: &str,
    kind: Kind,
    name: Option<&str>,
) -> Result<Association, Failure> {
    let now = tenant.now();
    let secret = if kind == Kind::Otp {
        new_totp_secret(tenant)?
    } else {
        String::new()
    };
    tenant.store().transaction(|tx| {
        let login = match session::login(tx, mfa_token, None, now)? {
            TokenCheck::Valid(login) => login,
            refused => return Ok(Association::Token(refused)),
        };
        let existing = authenticators::list(tx, &login.user_id, false)?;
        if existing
            .iter()
            .any(|a| a.active && a.kind != Kind::RecoveryCode)
        {
            return Ok(Association::AlreadyEnrolled);
        }
        // A new enrolment replaces an unconfirmed one of the same kind.
        for stale in existing.iter().filter(|a| !a.active && a.kind == kind) {
            authenticators::delete(tx, stale)?;
        }
        let user = users::by_id(tx, &login.user_id)?
            .ok_or_else(|| Failure::new("an mfa_token without its user"))?;
        let name = name
            .map(str::to_owned)
            .or_else(|| (kind == Kind::Email).then(|| user.identifier.clone()));
        let factor = NewAuthenticator {
            user_id: &login.user_id,
            kind,
            secret: &secret,
            name: name.as_deref(),
            active: false,
        };
        let enrolled = enrol(tenant, tx, &factor, now)?;
        if kind == Kind::Otp {
            return Ok(Association::Otp {
                barcode_uri: barcode_uri(&tenant.config().issuer_base, &user.identifier, &secret),
                secret,
                recovery_code: enrolled.recovery_code,
            });
        }
        let oob_code = send_oob(tenant, tx, mfa_token, &enrolled.authenticator, now)?;
        Ok(Association::Oob {
            kind,
            oob_code,
            recovery_code: enrolled.recovery_code,
        })
    })
}
