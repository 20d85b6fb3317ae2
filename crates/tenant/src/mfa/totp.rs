//! TOTP (RFC 6238: HMAC-SHA-1, 30 s steps, 6 digits) with `totp-rs`, and the base32 that
//! authenticator apps read secrets in (RFC 4648, unpadded). What is the tenant's own is the
//! window: the current step and the one before are accepted, and the step is answered so
//! that a code is accepted once.

use totp_rs::{Algorithm, Secret, TOTP};

use crate::hashing::constant_time_eq;

/// Seconds per TOTP step.
pub const STEP_SECS: u64 = 30;
/// Digits of a TOTP code.
pub const DIGITS: usize = 6;

/// The TOTP step that `unix_time` falls in.
pub fn step(unix_time: u64) -> u64 {
    unix_time / STEP_SECS
}

fn totp(secret: &[u8]) -> TOTP {
    // Unchecked: secrets made before this tenant used totp-rs may be shorter than its
    // 128-bit minimum; the tenant's own are 160 bits.
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 1, STEP_SECS, secret.to_vec())
}

/// The code of `secret` for step `step`.
pub fn code_at_step(secret: &[u8], step: u64) -> String {
    totp(secret).generate(step * STEP_SECS)
}

/// The step `code` is valid for, accepting the current step and the one before; `None` when
/// it matches neither.
pub fn matching_step(secret: &[u8], code: &str, unix_time: u64) -> Option<u64> {
    let totp = totp(secret);
    let now = step(unix_time);
    [now, now.saturating_sub(1)]
        .into_iter()
        .find(|s| constant_time_eq(totp.generate(s * STEP_SECS).as_bytes(), code.as_bytes()))
}

pub fn base32_encode(bytes: &[u8]) -> String {
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    Secret::Encoded(text.trim_end_matches('=').to_ascii_uppercase())
        .to_bytes()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    /// HOTP is TOTP with one-second steps: the counter is the time.
    fn hotp(secret: &[u8], counter: u64, digits: usize) -> String {
        TOTP::new_unchecked(Algorithm::SHA1, digits, 1, 1, secret.to_vec()).generate(counter)
    }

    #[test]
    fn rfc4226_appendix_d_hotp_values() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(
                hotp(RFC_SECRET, counter as u64, 6),
                *value,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn rfc6238_appendix_b_sha1_values() {
        let expected = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (time, value) in expected {
            assert_eq!(hotp(RFC_SECRET, step(time), 8), value, "time {time}");
        }
    }

    #[test]
    fn the_current_and_previous_steps_are_accepted() {
        let now = 1_795_626_834;
        let current = code_at_step(RFC_SECRET, step(now));
        let previous = code_at_step(RFC_SECRET, step(now) - 1);
        let older = code_at_step(RFC_SECRET, step(now) - 2);
        let next = code_at_step(RFC_SECRET, step(now) + 1);
        assert_eq!(matching_step(RFC_SECRET, &current, now), Some(step(now)));
        assert_eq!(
            matching_step(RFC_SECRET, &previous, now),
            Some(step(now) - 1)
        );
        assert_eq!(matching_step(RFC_SECRET, &older, now), None);
        assert_eq!(matching_step(RFC_SECRET, &next, now), None);
    }

    #[test]
    fn base32_round_trips_rfc4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base32_decode("MZXW6==="), Some(b"foo".to_vec()));
        assert_eq!(base32_decode("MZ1"), None);
    }
}
