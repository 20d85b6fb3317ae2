//! Making factors: what `/mfa/associate` and `POST /dev/users` share.

use rusqlite::Transaction;

use super::authenticators::{self, Authenticator, Kind, NewAuthenticator};
use super::totp;
use crate::failure::Failure;
use crate::hashing::digest;
use crate::tenant::Tenant;

/// A new factor and, on the first enrolment, the recovery code (shown once).
pub struct Enrolled {
    pub authenticator: Authenticator,
    pub recovery_code: Option<String>,
}

/// A random recovery code: 24 characters of an alphabet without look-alikes.
pub fn new_recovery_code(tenant: &Tenant) -> Result<String, Failure> {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = tenant.rng()?;
    Ok((0..24)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect())
}

/// A fresh TOTP secret, base32.
pub fn new_totp_secret(tenant: &Tenant) -> Result<String, Failure> {
    use rand::RngCore;
    let mut secret = [0u8; 20];
    tenant.rng()?.fill_bytes(&mut secret);
    Ok(totp::base32_encode(&secret))
}

/// Creates a factor of `kind` for `user_id` (its TOTP secret or out-of-band `name`), and the
/// user's recovery code when they have none yet. `active` skips the confirmation step.
pub fn enrol(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    new: &NewAuthenticator<'_>,
    now: u64,
) -> Result<Enrolled, Failure> {
    let suffix = tenant.random_token(12)?;
    let authenticator = authenticators::create(tx, new, &suffix, now)?;
    let recovery_code = if authenticators::has_recovery_code(tx, new.user_id)? {
        None
    } else {
        let code = new_recovery_code(tenant)?;
        let recovery = NewAuthenticator {
            kind: Kind::RecoveryCode,
            secret: &digest(&code),
            name: None,
            ..*new
        };
        authenticators::create(tx, &recovery, &tenant.random_token(12)?, now)?;
        Some(code)
    };
    Ok(Enrolled {
        authenticator,
        recovery_code,
    })
}

/// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…` for authenticator apps' QR codes.
pub fn barcode_uri(issuer_base: &str, account: &str, secret: &str) -> String {
    let issuer = issuer_base
        .split("://")
        .nth(1)
        .unwrap_or(issuer_base)
        .trim_end_matches('/');
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z'
                | b'a'..=b'z'
                | b'0'..=b'9'
                | b'-'
                | b'.'
                | b'_'
                | b'~'
                | b'@'
                | b'+' => char::from(b).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30",
        encode(issuer),
        encode(account),
        encode(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barcode_uris_follow_the_key_uri_format() {
        assert_eq!(
            barcode_uri("http://127.0.0.1:8081", "ada@example.com", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/127.0.0.1%3A8081:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=127.0.0.1%3A8081&algorithm=SHA1&digits=6&period=30"
        );
    }
}
