//! Code links: an email or text that links to the app's own page with the one-time code and
//! the address in the URL fragment (`#otp=123456&email=ada%40example.com`), which no mail
//! scanner and no server ever receives. The page shows the address and the user completes the
//! sign-in with a click: the passwordless OTP grant, in any browser on any device (no state
//! from the browser that asked).

use passwordless_wire::address::Unicode;

use super::{Body, Connection, Identity};
use crate::error::{codes, server_codes, SdkError};
use crate::input;
use crate::options::Options;

/// The fragment's members, as the platform reads them from a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeLinkParams {
    pub otp: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
}

/// The names of [`CodeLinkParams`] in the fragment.
pub const CODE_LINK_PARAMS: [&str; 3] = ["otp", "email", "phone_number"];

/// A code link read and checked: the code, and whom it is for when the link says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLink {
    pub otp: String,
    pub identity: Option<Identity>,
}

impl CodeLinkParams {
    /// The link, or `None` when the fragment is not a code link's (no `otp`, a malformed
    /// code or address, or both an email and a phone number).
    pub fn read(self, options: &Options, unicode: &impl Unicode) -> Option<CodeLink> {
        let otp = input::code(self.otp.as_deref(), options.code_length, "otp").ok()?;
        let identity = match (self.email, self.phone_number) {
            (None, None) => None,
            (Some(email), None) => Some(Identity::Email(input::email(Some(&email), unicode).ok()?)),
            (None, Some(phone)) => Some(Identity::Sms(input::phone_number(Some(&phone)).ok()?)),
            (Some(_), Some(_)) => return None,
        };
        Some(CodeLink { otp, identity })
    }
}

impl CodeLink {
    /// What `readCodeLink()` tells the page: `{connection, email | phoneNumber}`, the address
    /// to show ("Continue as …"), or `{}` when the link carries none.
    pub fn info(&self) -> Body {
        match &self.identity {
            None => Body::new(),
            Some(Identity::Email(email)) => Body::new()
                .text("connection", Connection::Email.as_str())
                .text("email", email.clone()),
            Some(Identity::Sms(phone)) => Body::new()
                .text("connection", Connection::Sms.as_str())
                .text("phoneNumber", phone.clone()),
        }
    }
}

pub fn not_a_code_link() -> SdkError {
    SdkError::new(
        codes::NOT_A_CALLBACK,
        "This address holds no sign-in code link (or it was already read here).",
    )
}

/// A refused code from a link: used, expired, or tried too often.
pub fn refused(error: SdkError) -> SdkError {
    if error.code == server_codes::INVALID_GRANT || error.code == server_codes::TOO_MANY_ATTEMPTS {
        let mut used = SdkError::new(
            codes::LINK_USED_OR_EXPIRED,
            "This sign-in link was already used or has expired: ask for a new one.",
        );
        used.status = error.status;
        return used;
    }
    error
}

#[cfg(test)]
mod tests {
    use passwordless_wire::email::Crates;

    use super::*;
    use serde_json::json;

    use crate::flows::tests::{as_js, options};

    fn link(otp: &str, email: Option<&str>, phone: Option<&str>) -> Option<CodeLink> {
        CodeLinkParams {
            otp: Some(otp.into()),
            email: email.map(Into::into),
            phone_number: phone.map(Into::into),
        }
        .read(&options(None), &Crates)
    }

    #[test]
    fn a_code_link_holds_a_code_and_at_most_one_address() {
        let email = link("123456", Some("Ada@Example.com"), None).unwrap();
        assert_eq!(email.otp, "123456");
        assert_eq!(
            as_js(&email.info()),
            json!({"connection": "email", "email": "Ada@example.com"})
        );
        let sms = link("123456", None, Some("+15551234567")).unwrap();
        assert_eq!(sms.identity, Some(Identity::Sms("+15551234567".into())));
        assert_eq!(
            as_js(&sms.info()),
            json!({"connection": "sms", "phoneNumber": "+15551234567"})
        );
        assert_eq!(
            as_js(&link("123456", None, None).unwrap().info()),
            json!({})
        );
        for wrong in [
            link("12345", Some("a@b.co"), None),
            link("abcdef", Some("a@b.co"), None),
            link("123456", Some("not an address"), None),
            link("123456", None, Some("555")),
            link("123456", Some("a@b.co"), Some("+15551234567")),
        ] {
            assert_eq!(wrong, None);
        }
        assert_eq!(
            CodeLinkParams::default().read(&options(None), &Crates),
            None
        );
    }

    #[test]
    fn a_used_link_says_so_and_other_errors_pass_through() {
        let used = refused(SdkError::new(
            server_codes::INVALID_GRANT,
            "Wrong email or verification code.",
        ));
        assert_eq!(used.code, codes::LINK_USED_OR_EXPIRED);
        let other = refused(SdkError::network());
        assert_eq!(other.code, codes::NETWORK_ERROR);
    }
}
