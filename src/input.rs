//! Checking what the user typed, before anything reaches the network.

use crate::error::SdkError;

/// A trimmed email address, or an `invalid_input` error naming the field.
pub fn email(raw: Option<&str>) -> Result<String, SdkError> {
    let email = raw
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| SdkError::invalid_input("email is required"))?;
    let valid = email.len() <= 254
        && email.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !local.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email.to_owned())
    } else {
        Err(SdkError::invalid_input(
            "email is not a valid email address",
        ))
    }
}

/// A one-time code: exactly `length` digits, spaces ignored (codes are often pasted with them).
pub fn code(raw: Option<&str>, length: usize) -> Result<String, SdkError> {
    let code: String = raw
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if code.len() == length && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(SdkError::invalid_input(format!(
            "code must be the {length} digits that were sent"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn codes() {
        assert_eq!(code(Some("123 456"), 6).unwrap(), "123456");
        for bad in [None, Some("12345"), Some("1234567"), Some("12a456")] {
            assert!(
                code(bad, 6).unwrap_err().description.starts_with("code"),
                "{bad:?}"
            );
        }
    }
}
