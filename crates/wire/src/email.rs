//! The address policy (`crate::address`) on the Unicode crates: what the relay and the local
//! tenant call.

use idna::AsciiDenyList;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_security::MixedScript;

pub use crate::address::EmailProblem;
use crate::address::Unicode;

/// Unicode by crates: unicode-normalization (NFKC), unicode-properties (general categories),
/// unicode-security (UTS #39 mixed-script detection) and idna (UTS #46 as the URL Standard
/// uses it, the same as the `url` crate).
pub struct Crates;

impl Unicode for Crates {
    fn nfkc(&self, text: &str) -> String {
        text.nfkc().collect()
    }

    fn has_invisible(&self, text: &str) -> bool {
        text.chars().any(|c| {
            c.is_control() || c.is_whitespace() || c.general_category() == GeneralCategory::Format
        })
    }

    fn is_single_script(&self, text: &str) -> bool {
        text.is_single_script()
    }

    fn domain_to_ascii(&self, domain: &str) -> Option<String> {
        idna::domain_to_ascii_cow(domain.as_bytes(), AsciiDenyList::URL)
            .ok()
            .map(|ascii| ascii.into_owned())
    }
}

/// The address in the policy's form, or why it is refused.
pub fn canonical_email(raw: &str) -> Result<String, EmailProblem> {
    crate::address::canonical_email(raw, &Crates)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cases the SDK's browser suite checks too.
    const CASES: &str = include_str!("../../../tests/data/addresses.json");

    #[derive(serde::Deserialize)]
    struct Case {
        input: String,
        /// The canonical form, or `null` when refused.
        canonical: Option<String>,
        /// For refusals: the problem (`malformed`, `invisible`, `mixed_local`, `mixed_domain`).
        problem: Option<String>,
    }

    fn problem_name(p: EmailProblem) -> &'static str {
        match p {
            EmailProblem::Malformed => "malformed",
            EmailProblem::Invisible => "invisible",
            EmailProblem::MixedScriptLocalPart => "mixed_local",
            EmailProblem::MixedScriptDomain => "mixed_domain",
        }
    }

    #[test]
    fn every_shared_case() {
        let cases: Vec<Case> = serde_json::from_str(CASES).unwrap();
        assert!(cases.len() >= 30);
        for case in cases {
            let got = canonical_email(&case.input);
            match (&case.canonical, got) {
                (Some(want), Ok(got)) => assert_eq!(&got, want, "{:?}", case.input),
                (None, Err(p)) => {
                    assert_eq!(
                        Some(problem_name(p)),
                        case.problem.as_deref(),
                        "{:?}",
                        case.input
                    )
                }
                (want, got) => panic!("{:?}: want {want:?}, got {got:?}", case.input),
            }
        }
    }

    #[test]
    fn canonical_forms_are_fixed_points() {
        let cases: Vec<Case> = serde_json::from_str(CASES).unwrap();
        for canonical in cases.iter().filter_map(|c| c.canonical.as_deref()) {
            assert_eq!(canonical_email(canonical).as_deref(), Ok(canonical));
        }
    }
}
