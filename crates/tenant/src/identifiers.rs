//! Checking and normalising the identifiers a user signs in with.

/// A lower-cased email address, or why it is not one. Auth0 keys users by the lower-cased address.
pub fn normalise_email(raw: &str) -> Option<String> {
    let email = raw.trim();
    let (local, domain) = email.rsplit_once('@')?;
    let well_formed = !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && email.chars().all(|c| c.is_ascii_graphic() || !c.is_ascii())
        && !local.contains('@');
    well_formed.then(|| email.to_lowercase())
}

/// An email address or a phone number as the dev routes and faults key them: a normalised
/// email address, or anything else trimmed.
pub fn normalise_address(raw: &str) -> String {
    normalise_email(raw).unwrap_or_else(|| raw.trim().to_owned())
}

/// Whether `raw` is an E.164 phone number as Auth0 checks it: `^\+[0-9]{1,15}$`.
pub fn is_e164(raw: &str) -> bool {
    raw.strip_prefix('+').is_some_and(|digits| {
        (1..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            normalise_email(" Ada@Example.COM "),
            Some("ada@example.com".into())
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@.com",
            "a@b@example.com",
            "ada@example..com",
        ] {
            assert_eq!(normalise_email(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn phone_numbers_follow_auth0s_pattern() {
        assert!(is_e164("+14155550100"));
        assert!(!is_e164("14155550100"));
        assert!(!is_e164("+1 415 555 0100"));
        assert!(!is_e164("+1234567890123456"));
        assert!(!is_e164("+"));
    }
}
