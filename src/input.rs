//! Checking what the user typed, before anything reaches the network.

use passwordless_wire::address::{canonical_email, Unicode};

use crate::error::SdkError;

/// The email address in the one form the product keeps (`passwordless_wire::address`: NFKC,
/// no invisible characters, single-script parts, an IDNA domain), or an `invalid_input` error
/// naming the field and the problem. `unicode` is handed down by the caller: the browser's
/// (`src/bindings/unicode.rs`) in the wasm, the servers' crates in native tests, the same
/// policy and this same code either way.
pub fn email(raw: Option<&str>, unicode: &impl Unicode) -> Result<String, SdkError> {
    let raw = raw
        .filter(|e| !e.trim_ascii().is_empty())
        .ok_or_else(|| SdkError::invalid_input("email is required"))?;
    canonical_email(raw, unicode)
        .map_err(|problem| SdkError::invalid_input(String::from("email ") + problem.description()))
}

/// A phone number in E.164 (`+14155550100`): spaces, dashes, dots and brackets are removed;
/// the `+` and country code are required.
pub fn phone_number(raw: Option<&str>) -> Result<String, SdkError> {
    let raw = raw
        .map(str::trim_ascii)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| SdkError::invalid_input("phoneNumber is required"))?;
    // Separators go; so do the two bytes of a no-break space (U+00A0), while any other
    // non-ASCII character leaves a byte that fails the digit check below.
    let number: String = raw
        .bytes()
        .filter(|b| !matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | 0xC2 | 0xA0))
        .map(char::from)
        .collect();
    let Some(digits) = number.strip_prefix('+') else {
        return Err(SdkError::invalid_input(
            "phoneNumber must start with + and the country code, e.g. +14155550100",
        ));
    };
    let valid = (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(number)
    } else {
        Err(SdkError::invalid_input(
            "phoneNumber is not a valid international number, e.g. +14155550100",
        ))
    }
}

/// A one-time code: exactly `length` digits, spaces ignored (codes are often pasted with them).
pub fn code(raw: Option<&str>, length: u8, field: &'static str) -> Result<String, SdkError> {
    let code: String = raw
        .unwrap_or("")
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(char::from)
        .collect();
    if code.len() == usize::from(length) && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        let mut description = String::from(field);
        description.push_str(" must be the ");
        if length >= 10 {
            description.push(char::from(b'0' + length / 10));
        }
        description.push(char::from(b'0' + length % 10));
        description.push_str(" digits that were sent");
        Err(SdkError::invalid_input(description))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use passwordless_wire::email::Crates;

    /// The policy on the servers' Unicode crates (the browser suites run it on the browser's).
    fn email(raw: Option<&str>) -> Result<String, SdkError> {
        super::email(raw, &Crates)
    }

    #[test]
    fn emails_follow_the_address_policy() {
        assert_eq!(
            email(Some("\u{ff41}dmin@Example.COM")).unwrap(),
            "admin@example.com"
        );
        let e = email(Some("\u{430}dmin@example.com")).unwrap_err();
        assert_eq!(
            e.description,
            "email mixes writing systems before the @ (letters that look alike are refused)"
        );
        let e = email(Some("admin@ex\u{430}mple.com")).unwrap_err();
        assert!(e.description.contains("domain that mixes"), "{e:?}");
    }

    #[test]
    fn emails() {
        assert_eq!(email(Some(" ada@example.com ")).unwrap(), "ada@example.com");
        for bad in [
            None,
            Some(""),
            Some("ada"),
            Some("ada@example"),
            Some("a da@example.com"),
            Some("@x.io"),
            Some("a@b@c.io"),
        ] {
            let e = email(bad).unwrap_err();
            assert_eq!(e.code, "invalid_input");
            assert!(e.description.starts_with("email"), "{bad:?}");
        }
    }

    #[test]
    fn phone_numbers_are_normalised_to_e164() {
        assert_eq!(
            phone_number(Some("+1 (415) 555-0100")).unwrap(),
            "+14155550100"
        );
        assert_eq!(
            phone_number(Some("+44 7700.900.123")).unwrap(),
            "+447700900123"
        );
        let e = phone_number(Some("415 555 0100")).unwrap_err();
        assert!(
            e.description.contains("must start with +"),
            "a missing + gets a hint"
        );
        for bad in [
            None,
            Some("+"),
            Some("+0123"),
            Some("+1234567890123456"),
            Some("+1 415 CALL ME"),
        ] {
            assert_eq!(
                phone_number(bad).unwrap_err().code,
                "invalid_input",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn codes() {
        assert_eq!(code(Some("123 456"), 6, "code").unwrap(), "123456");
        for bad in [None, Some("12345"), Some("1234567"), Some("12a456")] {
            let e = code(bad, 6, "code").unwrap_err();
            assert_eq!(
                e.description, "code must be the 6 digits that were sent",
                "{bad:?}"
            );
        }
        assert_eq!(
            code(Some("1"), 10, "otp").unwrap_err().description,
            "otp must be the 10 digits that were sent"
        );
    }

    #[test]
    fn long_addresses_and_control_characters_are_refused() {
        let long = "a".repeat(250) + "@x.io";
        assert!(email(Some(&long)).is_err());
        for bad in ["a@b.co\0", "a\r\n@b.co", "a@b..co", "a@.b.co"] {
            assert!(email(Some(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_pasted_number_keeps_only_its_digits() {
        assert_eq!(
            phone_number(Some("+33\u{a0}6\u{a0}12 34 56 78")).unwrap(),
            "+33612345678"
        );
        assert!(
            phone_number(Some("+33\u{2009}612345678")).is_err(),
            "other spaces are not separators"
        );
        assert!(phone_number(Some("+١٢٣٤٥٦٧")).is_err(), "only ASCII digits");
    }

    #[test]
    fn codes_may_be_pasted_with_any_ascii_space() {
        assert_eq!(code(Some("\t123\n456 "), 6, "code").unwrap(), "123456");
        assert!(
            code(Some("１２３４５６"), 6, "code").is_err(),
            "fullwidth digits"
        );
    }
}
