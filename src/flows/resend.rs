//! When `start()` may send another code (or link) to the same address: not before the
//! cooldown the last one set (`resendAfter`: 30 s by default, longer when the server's
//! `Retry-After` says so). An earlier call is refused here, without a request.

use crate::error::{server_codes, SdkError};

use super::Identity;

/// Seconds before another code to the same address, unless the options or the server say more.
pub const RESEND_AFTER_SECS: u32 = 30;

/// The address a cooldown is kept for: the connection and its identifier (an email address
/// compared without ASCII case, as the relay and Auth0 do; Unicode case tables would cost
/// every page 8 KB).
pub fn address_key(identity: &Identity) -> String {
    match identity {
        Identity::Email(email) => String::from("email:") + &email.to_ascii_lowercase(),
        Identity::Sms(phone) => String::from("sms:") + phone,
    }
}

/// The wait after a sent code: the configured one, or the server's when it is longer.
pub fn resend_after(configured: u32, server: Option<u32>) -> u32 {
    server.map_or(configured, |s| s.max(configured))
}

/// The cooldowns of the addresses this client sent to.
#[derive(Debug, Default)]
pub struct Cooldowns {
    /// (address, seconds since the epoch when another code may go).
    until: Vec<(String, f64)>,
}

impl Cooldowns {
    /// `too_many_requests` (with `retryAfter`) while `address` cools down.
    pub fn check(&self, address: &str, now: f64) -> Result<(), SdkError> {
        match self.until.iter().find(|(a, _)| a == address) {
            Some((_, until)) if *until > now => {
                let mut error = SdkError::new(
                    server_codes::TOO_MANY_REQUESTS,
                    "A code was just sent to this address: wait before asking for another.",
                );
                error.retry_after = Some((until - now).ceil() as u32);
                Err(error)
            }
            _ => Ok(()),
        }
    }

    /// `address` may get another code `seconds` after `now`.
    pub fn start(&mut self, address: &str, now: f64, seconds: u32) {
        self.until.retain(|(a, until)| a != address && *until > now);
        self.until.push((address.into(), now + f64::from(seconds)));
    }

    /// The code sent to `address` was refused: a new one may go at once.
    pub fn end(&mut self, address: &str) {
        self.until.retain(|(a, _)| a != address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_code_waits_out_the_cooldown_of_its_address() {
        let ada = address_key(&Identity::Email("Ada@Example.com".into()));
        assert_eq!(ada, "email:ada@example.com");
        let mut cooldowns = Cooldowns::default();
        assert!(cooldowns.check(&ada, 1000.0).is_ok());
        cooldowns.start(&ada, 1000.0, 30);
        let e = cooldowns.check(&ada, 1010.5).unwrap_err();
        assert_eq!(
            (e.code.as_ref(), e.retry_after, e.status),
            ("too_many_requests", Some(20), None)
        );
        assert!(
            cooldowns.check("email:bob@example.com", 1010.0).is_ok(),
            "per address"
        );
        assert!(cooldowns.check(&ada, 1030.0).is_ok());
        cooldowns.start(&ada, 1030.0, 120);
        assert_eq!(
            cooldowns.check(&ada, 1031.0).unwrap_err().retry_after,
            Some(119)
        );
        cooldowns.end(&ada);
        assert!(cooldowns.check(&ada, 1031.0).is_ok());
    }

    #[test]
    fn the_server_may_ask_for_a_longer_wait_never_a_shorter_one() {
        assert_eq!(resend_after(30, None), 30);
        assert_eq!(resend_after(30, Some(90)), 90);
        assert_eq!(resend_after(30, Some(5)), 30);
        let phone = address_key(&Identity::Sms("+14155550100".into()));
        assert_eq!(phone, "sms:+14155550100");
    }

    #[test]
    fn expired_cooldowns_are_dropped() {
        let mut cooldowns = Cooldowns::default();
        for i in 0..100 {
            cooldowns.start(&format!("sms:+1415555{i:04}"), f64::from(i), 1);
        }
        assert!(cooldowns.until.len() <= 2, "{}", cooldowns.until.len());
    }
}
