//! Property tests of the address policy (`address::canonical_email` on the Unicode crates), the
//! parser every email address meets in the relay, the tenant and the SDK. Needs the `email`
//! feature: `cargo test -p passwordless-wire --features email`.

#![cfg(feature = "email")]

use passwordless_wire::email::canonical_email;
use proptest::prelude::*;

/// Strings that look like addresses: Latin, Cyrillic, Greek, fullwidth and invisible
/// characters, dots, at signs and spaces, in every mix.
fn address_like() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9.+\\-_@ аеорсхΑΒοｅａ\u{200b}\u{0}\r\n。é]{0,40}"
}

proptest! {
    /// Anything: an answer, never a panic; what is accepted is canonical (the policy applied
    /// again changes nothing), at most 254 bytes, one `@`, no control character or space, and
    /// an ASCII lower-case domain.
    #[test]
    fn accepted_addresses_are_canonical(raw in prop_oneof![address_like(), "\\PC{0,40}", any::<String>()]) {
        if let Ok(canonical) = canonical_email(&raw) {
            prop_assert_eq!(canonical_email(&canonical), Ok(canonical.clone()));
            prop_assert!(canonical.len() <= 254);
            prop_assert_eq!(canonical.matches('@').count(), 1);
            prop_assert!(!canonical.chars().any(|c| c.is_control() || c.is_whitespace()), "{:?}", canonical);
            let domain = canonical.split('@').nth(1).unwrap();
            prop_assert!(domain.is_ascii() && domain == domain.to_ascii_lowercase(), "{:?}", domain);
        }
    }

    /// A Latin local part with one Cyrillic look-alike letter put in is refused: the mixed
    /// script is the look-alike.
    #[test]
    fn one_cyrillic_letter_in_a_latin_local_part_is_refused(local in "[a-z]{2,12}", at in 0usize..12, letter in prop::sample::select(vec!['а', 'е', 'о', 'р', 'с', 'х'])) {
        let at = at.min(local.len());
        let spoofed = format!("{}{letter}{}@example.com", &local[..at], &local[at..]);
        let plain = format!("{local}@example.com");
        prop_assert!(canonical_email(&plain).is_ok());
        prop_assert!(canonical_email(&spoofed).is_err(), "{}", spoofed);
    }
}
