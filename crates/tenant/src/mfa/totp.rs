//! One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238, HMAC-SHA-1), and the base32 that
//! authenticator apps read secrets in (RFC 4648, unpadded).

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per TOTP step.
pub const STEP_SECS: u64 = 30;
/// Digits of a TOTP code.
pub const DIGITS: u32 = 6;

/// HOTP value of `counter` with `digits` digits, zero-padded.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha1>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let binary = (u32::from(hash[offset]) & 0x7f) << 24
        | u32::from(hash[offset + 1]) << 16
        | u32::from(hash[offset + 2]) << 8
        | u32::from(hash[offset + 3]);
    let value = u64::from(binary) % 10u64.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

/// The TOTP step that `unix_time` falls in.
pub fn step(unix_time: u64) -> u64 {
    unix_time / STEP_SECS
}

/// The step `code` is valid for, accepting the current step and the one before; `None` when
/// it matches neither.
pub fn matching_step(secret: &[u8], code: &str, unix_time: u64) -> Option<u64> {
    let now = step(unix_time);
    [now, now.saturating_sub(1)].into_iter().find(|s| {
        crate::codes::constant_time_eq(hotp(secret, *s, DIGITS).as_bytes(), code.as_bytes())
    })
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer = 0u32;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

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
        let current = hotp(RFC_SECRET, step(now), 6);
        let previous = hotp(RFC_SECRET, step(now) - 1, 6);
        let older = hotp(RFC_SECRET, step(now) - 2, 6);
        let next = hotp(RFC_SECRET, step(now) + 1, 6);
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
