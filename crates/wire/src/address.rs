//! The address policy: which email addresses are accepted, and the one form each is kept in,
//! so that a look-alike (`аdmin@…` with a Cyrillic а, `ａdmin@…` in fullwidth letters,
//! `admin@exаmple.com`) cannot become a second account. The relay and the local tenant apply it
//! through `email::canonical_email` (the Unicode crates); the SDK runs these same steps with the
//! browser's own facilities (`String.normalize`, `URL`, `RegExp` Unicode properties), and
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

use alloc::string::String;

/// What the policy needs from Unicode: the servers answer with crates (`email::Crates`), the
/// SDK with the browser's own facilities. Both implement the same standards.
pub trait Unicode {
    /// NFKC.
    fn nfkc(&self, text: &str) -> String;
    /// Whether `text` holds a control (Cc), format (Cf) or White_Space character.
    fn has_invisible(&self, text: &str) -> bool;
    /// UTS #39 single-script (augmented script sets; Common and Inherited go with any).
    fn is_single_script(&self, text: &str) -> bool;
    /// The WHATWG URL Standard's domain to ASCII (UTS #46, URL's forbidden code points), or
    /// `None` when it fails.
    fn domain_to_ascii(&self, domain: &str) -> Option<String>;
}

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
    /// What an error answer says after the field's name (it never echoes the input).
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

/// What separates the labels of a domain (after NFKC): `.` and the ideographic full stop.
const SEPARATORS: [char; 2] = ['.', '\u{3002}'];

/// Characters the domain must not hold before IDNA (a URL parser would read them otherwise).
const DOMAIN_FORBIDDEN: &[char] = &['/', '\\', '?', '#', '@', ':', '%', '[', ']'];

/// The address in the form it is kept and compared in, or why it is refused. Its case is
/// kept in the local part (the servers lower-case it when they key an account by it).
pub fn canonical_email(raw: &str, unicode: &impl Unicode) -> Result<String, EmailProblem> {
    let normalised = unicode.nfkc(raw);
    let email = normalised.trim_ascii();
    if unicode.has_invisible(email) {
        return Err(EmailProblem::Invisible);
    }
    let (local, domain) = email.rsplit_once('@').ok_or(EmailProblem::Malformed)?;
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return Err(EmailProblem::Malformed);
    }
    if !unicode.is_single_script(local) {
        return Err(EmailProblem::MixedScriptLocalPart);
    }
    let (mut labels, mut last) = (0, "");
    for label in domain.split(SEPARATORS) {
        if label.is_empty() {
            return Err(EmailProblem::Malformed);
        }
        (labels, last) = (labels + 1, label);
    }
    if labels < 2 || domain.contains(DOMAIN_FORBIDDEN) || reads_as_number(last) {
        return Err(EmailProblem::Malformed);
    }
    if !domain
        .split(SEPARATORS)
        .all(|label| unicode.is_single_script(label))
    {
        return Err(EmailProblem::MixedScriptDomain);
    }
    let ascii = unicode
        .domain_to_ascii(domain)
        .ok_or(EmailProblem::Malformed)?;
    if local.len() + 1 + ascii.len() > 254 || ascii.split('.').any(str::is_empty) {
        return Err(EmailProblem::Malformed);
    }
    let mut canonical = String::with_capacity(local.len() + 1 + ascii.len());
    canonical.push_str(local);
    canonical.push('@');
    canonical.push_str(&ascii);
    Ok(canonical)
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
