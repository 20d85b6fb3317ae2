//! The error answer of every endpoint, `{"error": CODE, "error_description": TEXT}`, and how
//! its description is made safe to echo.

use serde::{Deserialize, Serialize};

/// Every error answer: `{"error": CODE, "error_description": TEXT}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    pub error: String,
    pub error_description: String,
}

impl WireError {
    /// The description is made safe to echo: see [`safe_description`].
    pub fn new(error: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            error_description: safe_description(&description.into()),
        }
    }
}

/// Longest description an error answer carries, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 300;

/// A description as an answer may carry it, whatever input it echoes: control characters
/// (NUL, CR, LF, …) escaped so that nothing can forge a header, a log line or a second
/// line of a page, and at most [`MAX_DESCRIPTION_CHARS`] characters, ending with `…` when cut.
pub fn safe_description(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_DESCRIPTION_CHARS + 8));
    for (count, c) in text.chars().enumerate() {
        if count >= MAX_DESCRIPTION_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_input_is_capped_and_its_control_characters_escaped() {
        let e = WireError::new(
            "bad.email",
            format!("{} is not an email", "a".repeat(10_000)),
        );
        assert_eq!(
            e.error_description.chars().count(),
            MAX_DESCRIPTION_CHARS + 1
        );
        assert!(e.error_description.ends_with('…'));
        let e = WireError::new("bad.email", "a\0b\r\nSet-Cookie: x");
        assert_eq!(e.error_description, "a\\u{0}b\\r\\nSet-Cookie: x");
        assert_eq!(
            WireError::new("x", "Wrong email or verification code.").error_description,
            "Wrong email or verification code."
        );
    }
}
