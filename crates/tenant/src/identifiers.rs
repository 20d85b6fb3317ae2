//! Checking and normalising the identifiers a user signs in with.

use passwordless_wire::email::{canonical_email, EmailProblem};

/// The address as the tenant keys users by it: the product's address policy
/// (`passwordless_wire::email`: NFKC, no invisible characters, single-script parts, an IDNA
/// domain), lower-cased as Auth0 keys users. Look-alikes are refused, naming the problem.
pub fn checked_email(raw: &str) -> Result<String, EmailProblem> {
    canonical_email(raw).map(|email| email.to_lowercase())
}

/// [`checked_email`], when only whether it is an address matters.
pub fn normalise_email(raw: &str) -> Option<String> {
    checked_email(raw).ok()
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
    fn look_alikes_are_one_account_or_refused() {
        assert_eq!(
            normalise_email("\u{ff21}dmin@Example.com"),
            Some("admin@example.com".into())
        );
        assert_eq!(
            checked_email("\u{430}dmin@example.com"),
            Err(EmailProblem::MixedScriptLocalPart)
        );
        assert_eq!(
            checked_email("admin@ex\u{430}mple.com"),
            Err(EmailProblem::MixedScriptDomain)
        );
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
