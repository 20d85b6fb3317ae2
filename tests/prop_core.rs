//! Property tests of the SDK core's parsers of untrusted input: E.164 phone numbers
//! (`input::phone_number`), email addresses (`input::email`), and the JWT parts of an ID token
//! (`id_token::split`, the header's `key_id`, the claims' `check`). Native only (the browser
//! suites are the wasm tests); `PROPTEST_CASES` bounds the run.

#![cfg(not(target_arch = "wasm32"))]

use passwordless::id_token::{split, Claims, Expected, Header, LEEWAY_SECS};
use passwordless::input::{email, phone_number};
use passwordless_wire::email::Crates;
use proptest::prelude::*;

proptest! {
    /// Anything typed: an answer, never a panic; an accepted number is `+` and 2 to 15 digits
    /// without a leading zero, and accepting it again changes nothing.
    #[test]
    fn accepted_phone_numbers_are_e164(raw in prop_oneof!["[0-9+ ().\\-\u{a0}a-z\r\n\u{0}]{0,24}", any::<String>()]) {
        match phone_number(Some(&raw)) {
            Ok(number) => {
                let digits = number.strip_prefix('+').expect("a +");
                prop_assert!((2..=15).contains(&digits.len()), "{}", number);
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'));
                prop_assert_eq!(phone_number(Some(&number)), Ok(number.clone()));
            }
            Err(e) => prop_assert_eq!(e.code.as_ref(), "invalid_input"),
        }
    }

    /// A real number written with the usual separators is read as its digits.
    #[test]
    fn separators_are_ignored(first in 1u8..=9, rest in "[0-9]{4,13}", seps in prop::collection::vec(prop::sample::select(vec![" ", "-", ".", "(", ")", "\u{a0}"]), 0..4)) {
        let digits = format!("{first}{rest}");
        let mut typed = String::from("+");
        for (i, c) in digits.chars().enumerate() {
            typed.push(c);
            if let Some(sep) = seps.get(i) {
                typed.push_str(sep);
            }
        }
        prop_assert_eq!(phone_number(Some(&typed)), Ok(format!("+{digits}")));
    }

    /// The SDK's address check refuses with `invalid_input` or answers a canonical address.
    #[test]
    fn email_answers_or_refuses(raw in any::<String>()) {
        match email(Some(&raw), &Crates) {
            Ok(canonical) => prop_assert_eq!(email(Some(&canonical), &Crates), Ok(canonical.clone())),
                    Err(e) => prop_assert_eq!(e.code.as_ref(), "invalid_input"),
        }
    }

    /// A token splits only into three non-empty base64url parts, and the signing input is
    /// exactly `header.payload`.
    #[test]
    fn split_takes_only_three_base64url_parts(token in prop_oneof!["[A-Za-z0-9_\\-.=+/!]{0,40}", any::<String>()]) {
        match split(&token) {
            Ok(jwt) => {
                prop_assert_eq!(token.split('.').count(), 3);
                for part in [jwt.header, jwt.payload, jwt.signature] {
                    prop_assert!(!part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
                }
                prop_assert_eq!(jwt.signing_input, format!("{}.{}", jwt.header, jwt.payload));
            }
            Err(e) => prop_assert_eq!(e.code.as_ref(), "invalid_id_token"),
        }
    }

    /// Only `alg: RS256` with a non-empty `kid` gives a key id.
    #[test]
    fn only_rs256_headers_give_a_key(alg in prop_oneof![Just("RS256".to_owned()), Just("none".to_owned()), Just("HS256".to_owned()), "[A-Za-z0-9]{0,8}"], kid in "[a-z0-9]{0,4}") {
        let header = Header { alg: Some(alg.clone()), kid: Some(kid.clone()) };
        prop_assert_eq!(header.key_id().is_ok(), alg == "RS256" && !kid.is_empty());
    }

    /// The claims pass exactly when issuer, audience (and azp for several), expiry, issue
    /// time and nonce are all right: the checker agrees with the contract's rules written out.
    #[test]
    fn claims_pass_exactly_when_every_rule_holds(
        iss in prop::sample::select(vec!["https://t.example/", "https://t.example", "https://evil.example/"]),
        aud in prop::collection::vec(prop::sample::select(vec!["app", "api", "other"]), 0..3),
        azp in prop::option::of(prop::sample::select(vec!["app", "api"])),
        exp in prop::option::of(0.0f64..3000.0),
        iat in prop::option::of(0.0f64..3000.0),
        nonce in prop::option::of(prop::sample::select(vec!["n1", "n2"])),
        expect_nonce in any::<bool>(),
        now in 500.0f64..2500.0,
    ) {
        let claims = Claims { iss: Some(iss.into()), aud: aud.iter().map(|a| (*a).to_owned()).collect(),
            azp: azp.map(str::to_owned), exp, iat, nonce: nonce.map(str::to_owned) };
        let expected = Expected { issuer: "https://t.example/", client_id: "app", now,
            nonce: expect_nonce.then_some("n1") };
        let rules = iss == "https://t.example/"
            && aud.contains(&"app")
            && (aud.len() <= 1 || azp == Some("app"))
            && exp.is_some_and(|e| e + LEEWAY_SECS > now)
            && iat.is_some_and(|i| i <= now + LEEWAY_SECS)
            && (!expect_nonce || nonce == Some("n1"));
        prop_assert_eq!(claims.check(&expected).is_ok(), rules);
    }
}
