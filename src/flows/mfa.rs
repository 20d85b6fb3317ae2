//! The second factor: list, challenge, enrol, and the three MFA grants; and how to poll for a
//! push.

use alloc::borrow::ToOwned;
use alloc::string::String;

use passwordless_wire::{GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY_CODE};

use super::{Call, Method};
use crate::error::SdkError;
use crate::input;
use crate::json::write::Object;
use crate::options::ClientOptions;

pub fn authenticators(mfa_token: &str) -> Call {
    Call {
        method: Method::Get,
        path: "/mfa/authenticators".into(),
        body: None,
        bearer: Some(mfa_token.to_owned()),
        language: None,
    }
}

pub fn remove(mfa_token: &str, authenticator_id: &str) -> Result<Call, SdkError> {
    if authenticator_id.is_empty()
        || !authenticator_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"|_-.".contains(&b))
    {
        return Err(SdkError::invalid_input(
            "authenticatorId is not an authenticator id",
        ));
    }
    let mut path = String::from("/mfa/authenticators/");
    for c in authenticator_id.chars() {
        match c {
            '|' => path.push_str("%7C"),
            c => path.push(c),
        }
    }
    Ok(Call {
        method: Method::Delete,
        path,
        body: None,
        bearer: Some(mfa_token.to_owned()),
        language: None,
    })
}

pub fn challenge(
    options: &ClientOptions<'_>,
    mfa_token: &str,
    challenge_type: Option<&str>,
    authenticator_id: Option<&str>,
) -> Result<Call, SdkError> {
    let challenge_type = challenge_type.unwrap_or("otp oob");
    if !matches!(challenge_type, "otp" | "oob" | "otp oob" | "oob otp") {
        return Err(SdkError::invalid_input(
            "challengeType must be \"otp\", \"oob\" or \"otp oob\"",
        ));
    }
    let mut body = String::new();
    let mut fields = Object::new(&mut body);
    fields.str("client_id", options.client_id);
    fields.str("mfa_token", mfa_token);
    fields.str("challenge_type", challenge_type);
    fields.opt_str("authenticator_id", authenticator_id);
    fields.end();
    Ok(Call::post("/mfa/challenge", body))
}

/// What the user proves the second factor with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    Otp(String),
    /// An out-of-band code, with the code the user typed when the challenge was `prompt`.
    Oob {
        oob_code: String,
        binding_code: Option<String>,
    },
    RecoveryCode(String),
}

impl Proof {
    /// From `{otp}`, `{oobCode, bindingCode?}` or `{recoveryCode}`: exactly one of them.
    pub fn read(
        otp: Option<&str>,
        oob_code: Option<&str>,
        binding_code: Option<&str>,
        recovery_code: Option<&str>,
    ) -> Result<Self, SdkError> {
        match (otp, oob_code, recovery_code) {
            (Some(otp), None, None) => Ok(Proof::Otp(input::code(Some(otp), 6, "otp")?)),
            (None, Some(oob_code), None) => {
                let binding_code = binding_code
                    .map(|b| input::code(Some(b), 6, "bindingCode"))
                    .transpose()?;
                Ok(Proof::Oob {
                    oob_code: oob_code.to_owned(),
                    binding_code,
                })
            }
            (None, None, Some(code)) => {
                let code: String = code
                    .bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| char::from(b.to_ascii_uppercase()))
                    .collect();
                if code.len() < 8 {
                    return Err(SdkError::invalid_input("recoveryCode is too short"));
                }
                Ok(Proof::RecoveryCode(code))
            }
            _ => Err(SdkError::invalid_input(
                "give one of otp, oobCode or recoveryCode",
            )),
        }
    }
}

pub fn verify(options: &ClientOptions<'_>, mfa_token: &str, proof: &Proof) -> Call {
    let mut body = String::new();
    let mut fields = Object::new(&mut body);
    fields.str("client_id", options.client_id);
    fields.str("mfa_token", mfa_token);
    match proof {
        Proof::Otp(otp) => {
            fields.str("grant_type", GRANT_MFA_OTP);
            fields.str("otp", otp);
        }
        Proof::Oob {
            oob_code,
            binding_code,
        } => {
            fields.str("grant_type", GRANT_MFA_OOB);
            fields.str("oob_code", oob_code);
            fields.opt_str("binding_code", binding_code.as_deref());
        }
        Proof::RecoveryCode(code) => {
            fields.str("grant_type", GRANT_MFA_RECOVERY_CODE);
            fields.str("recovery_code", code);
        }
    }
    fields.end();
    Call::post("/oauth/token", body)
}

/// `POST /mfa/associate` for `factor` ("otp", "sms" or "email").
pub fn enroll(
    mfa_token: &str,
    factor: Option<&str>,
    phone_number: Option<&str>,
    email: Option<&str>,
) -> Result<Call, SdkError> {
    let mut body = String::new();
    let mut fields = Object::new(&mut body);
    match factor {
        Some("otp") => fields.key("authenticator_types").push_str(r#"["otp"]"#),
        Some("sms") => {
            let number = input::phone_number(phone_number)?;
            fields.key("authenticator_types").push_str(r#"["oob"]"#);
            fields.key("oob_channels").push_str(r#"["sms"]"#);
            fields.str("phone_number", &number);
        }
        Some("email") => {
            let address = email.map(|e| input::email(Some(e))).transpose()?;
            fields.key("authenticator_types").push_str(r#"["oob"]"#);
            fields.key("oob_channels").push_str(r#"["email"]"#);
            fields.opt_str("email", address.as_deref());
        }
        _ => {
            return Err(SdkError::invalid_input(
                "factor must be \"otp\", \"sms\" or \"email\"",
            ))
        }
    }
    fields.end();
    let mut call = Call::post("/mfa/associate", body);
    call.bearer = Some(mfa_token.to_owned());
    Ok(call)
}

/// Seconds between polls of a push until the server says otherwise.
pub const POLL_INTERVAL_SECS: u32 = 5;

/// After a poll answered `error`: wait this many seconds and poll again, or stop (`None`).
pub fn next_poll(error: &str, interval: u32) -> Option<u32> {
    match error {
        "authorization_pending" => Some(interval),
        "slow_down" => Some(interval + 5),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ClientOptions<'static> {
        crate::flows::passwordless::tests::options(None)
    }

    #[test]
    fn each_proof_uses_its_grant() {
        let otp = verify(
            &options(),
            "t",
            &Proof::read(Some("123456"), None, None, None).unwrap(),
        );
        assert_eq!(otp.field("grant_type").as_deref(), Some(GRANT_MFA_OTP));
        let oob = verify(
            &options(),
            "t",
            &Proof::read(None, Some("o"), Some("654321"), None).unwrap(),
        );
        assert_eq!(
            (
                oob.field("grant_type").as_deref(),
                oob.field("binding_code").as_deref()
            ),
            (Some(GRANT_MFA_OOB), Some("654321"))
        );
        let push = verify(
            &options(),
            "t",
            &Proof::read(None, Some("o"), None, None).unwrap(),
        );
        assert_eq!(push.field("binding_code").as_deref(), None);
        let recovery = verify(
            &options(),
            "t",
            &Proof::read(None, None, None, Some("abcd-efgh-jkmn")).unwrap(),
        );
        assert_eq!(
            recovery.field("recovery_code").as_deref(),
            Some("ABCDEFGHJKMN")
        );
        assert!(
            Proof::read(Some("1"), Some("o"), None, None).is_err(),
            "two proofs"
        );
        assert!(Proof::read(None, None, None, None).is_err(), "no proof");
    }

    #[test]
    fn enrolment_bodies() {
        let otp = enroll("t", Some("otp"), None, None).unwrap();
        assert_eq!(
            otp.body.as_deref(),
            Some(r#"{"authenticator_types":["otp"]}"#)
        );
        assert_eq!(otp.bearer.as_deref(), Some("t"));
        let sms = enroll("t", Some("sms"), Some("+1 415 555 0100"), None).unwrap();
        assert_eq!(sms.field("phone_number").as_deref(), Some("+14155550100"));
        assert!(enroll("t", Some("sms"), None, None).is_err());
        assert!(enroll("t", Some("push"), None, None).is_err());
    }

    #[test]
    fn polling_honours_pending_and_slow_down() {
        assert_eq!(next_poll("authorization_pending", 5), Some(5));
        assert_eq!(next_poll("slow_down", 5), Some(10));
        assert_eq!(next_poll("invalid_grant", 5), None);
    }

    #[test]
    fn removing_needs_a_plausible_id() {
        assert_eq!(
            remove("t", "totp|dev_x").unwrap().path,
            "/mfa/authenticators/totp%7Cdev_x"
        );
        assert!(remove("t", "../admin").is_err());
    }
}
