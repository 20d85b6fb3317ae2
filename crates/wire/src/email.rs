//! The address policy: which email addresses are accepted, and the one form each is kept in,
//! so that a look-alike (`аdmin@…` with a Cyrillic а, `ａdmin@…` in fullwidth letters,
//! `admin@exаmple.com`) cannot become a second account. The relay and the local tenant apply it
//! here; the SDK applies the same steps with the browser's own facilities (`src/input.rs`), and
//! `tests/data/addresses.json` holds the cases all three must agree on.
//!
//! 1. NFKC (Unicode compatibility normalisation): fullwidth and other compatibility forms
//!    become their plain letters; ASCII whitespace around the address is trimmed.
//! 2. No control, format (invisible: zero-width space, bidi marks) or space character.
//! 3. One `@`; a local part of 1–64 bytes; the whole at most 254 bytes.
//! 4. The local part, and each label of the domain, is *single-script* (UTS #39: digits and
//!    punctuation go with any script; Han may go with Hiragana, Katakana, Hangul or Bopomofo).
//!    Mixed scripts are refused: that is the look-alike.
//! 5. The domain: labels separated by `.` (or the ideographic `。`), none empty, at least two,
//!    none of `/ \ ? # @ : % [ ]`, and a last label that is not a number (a URL parser would
//!    read an IPv4 address). It is kept in ASCII: IDNA (UTS #46, the WHATWG URL Standard's
//!    "domain to ASCII", punycode for non-ASCII labels), lower-cased.
//!
//! A whole-script look-alike (an address written entirely in Cyrillic letters that resemble
//! Latin ones) is single-script and so accepted as its own address: detecting it needs UTS #39's
//! confusables data, which the browser does not have.

use idna::AsciiDenyList;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_security::MixedScript;

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    /// Not the shape of an address (no `@`, an empty or too long part, a bad domain).
    Malformed,
    /// A control, invisible (format) or space character.
    Invisible,
    /// The part before `@` mixes scripts.
    MixedScriptLocalPart,
    /// A label of the domain mixes scripts.
    MixedScriptDomain,
}

impl EmailProblem {
    /// What an error answer says (it names the problem, never echoes the input).
    pub fn description(self) -> &'static str {
        match self {
            Self::Malformed => "is not a valid email address",
            Self::Invisible => "contains an invisible, control or space character",
            Self::MixedScriptLocalPart => {
                "mixes writing systems before the @ (letters that look alike are refused)"
            }
            Self::MixedScriptDomain => {
                "has a domain that mixes writing systems (letters that look alike are refused)"
            }
        }
    }
}

/// Characters the domain must not hold before IDNA (a URL parser would read them otherwise).
const DOMAIN_FORBIDDEN: &[char] = &['/', '\\', '?', '#', '@', ':', '%', '[', ']'];

/// The address in the form it is kept and compared in, or why it is refused. Its case is
/// kept in the local part (the servers lower-case it when they key an account by it).
pub fn canonical_email(raw: &str) -> Result<String, EmailProblem> {
    let normalised: String = raw.nfkc().collect();
    let email = normalised.trim_ascii();
    if email.chars().any(is_invisible) {
        return Err(EmailProblem::Invisible);
    }
    let (local, domain) = email.rsplit_once('@').ok_or(EmailProblem::Malformed)?;
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return Err(EmailProblem::Malformed);
    }
    if !local.is_single_script() {
        return Err(EmailProblem::MixedScriptLocalPart);
    }
    let labels: Vec<&str> = domain.split(['.', '\u{3002}']).collect();
    let last = labels.last().copied().unwrap_or("");
    if labels.len() < 2
        || labels.iter().any(|l| l.is_empty())
        || domain.contains(DOMAIN_FORBIDDEN)
        || reads_as_number(last)
    {
        return Err(EmailProblem::Malformed);
    }
    if !labels.iter().all(|l| l.is_single_script()) {
        return Err(EmailProblem::MixedScriptDomain);
    }
    let ascii = idna::domain_to_ascii_cow(domain.as_bytes(), AsciiDenyList::URL)
        .map_err(|_| EmailProblem::Malformed)?;
    let canonical = format!("{local}@{ascii}");
    if canonical.len() > 254 || ascii.split('.').any(str::is_empty) {
        return Err(EmailProblem::Malformed);
    }
    Ok(canonical)
}

fn is_invisible(c: char) -> bool {
    c.is_control() || c.is_whitespace() || c.general_category() == GeneralCategory::Format
}

/// The WHATWG URL Standard's "ends in a number": all digits, or `0x` and hex digits.
fn reads_as_number(label: &str) -> bool {
    let hex = label
        .strip_prefix("0x")
        .or_else(|| label.strip_prefix("0X"));
    match hex {
        Some(digits) => digits.bytes().all(|b| b.is_ascii_hexdigit()),
        None => label.bytes().all(|b| b.is_ascii_digit()),
    }
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
