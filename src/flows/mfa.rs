//! The second factor: list, challenge, enrol, remove, the three MFA grants, and how to poll
//! for a push.

use passwordless_wire::address::Unicode;
use passwordless_wire::{GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY_CODE};
use serde::Deserialize;

use super::{Body, Call};
use crate::error::{server_codes, SdkError};
use crate::given::{Given, Members};
use crate::input;
use crate::options::Options;

/// The parameters of `client.mfa`'s methods (each reads its own).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MfaParams {
    pub mfa_token: Given,
    /// `"otp"`, `"oob"` or `"otp oob"` (the default).
    pub challenge_type: Given,
    pub authenticator_id: Given,
    /// `"otp"`, `"sms"` or `"email"`.
    pub factor: Given,
    pub phone_number: Given,
    pub email: Given,
    pub otp: Given,
    pub oob_code: Given,
    pub binding_code: Given,
    pub recovery_code: Given,
    pub poll: Given,
}

impl Members for MfaParams {
    fn members(&mut self) -> Vec<(&'static str, &mut Given)> {
        vec![
            ("mfaToken", &mut self.mfa_token),
            ("challengeType", &mut self.challenge_type),
            ("authenticatorId", &mut self.authenticator_id),
            ("factor", &mut self.factor),
            ("phoneNumber", &mut self.phone_number),
            ("email", &mut self.email),
            ("otp", &mut self.otp),
            ("oobCode", &mut self.oob_code),
            ("bindingCode", &mut self.binding_code),
            ("recoveryCode", &mut self.recovery_code),
            ("poll", &mut self.poll),
        ]
    }
}

impl MfaParams {
    /// The checked `mfaToken`.
    pub fn mfa_token(&self) -> Result<&str, SdkError> {
        mfa_token(self.mfa_token.text("mfaToken")?)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeType {
    Otp,
    Oob,
    Either,
}

impl ChallengeType {
    /// The `challenge_type` member's value.
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeType::Otp => "otp",
            ChallengeType::Oob => "oob",
            ChallengeType::Either => "otp oob",
        }
    }

    pub fn read(raw: Option<&str>) -> Result<Self, SdkError> {
        match raw {
            Some("otp") => Ok(ChallengeType::Otp),
            Some("oob") => Ok(ChallengeType::Oob),
            None | Some("otp oob" | "oob otp") => Ok(ChallengeType::Either),
            Some(_) => Err(SdkError::invalid_input(
                "challengeType must be \"otp\", \"oob\" or \"otp oob\"",
            )),
        }
    }
}

/// A checked `mfaToken`.
pub fn mfa_token(raw: Option<&str>) -> Result<&str, SdkError> {
    raw.filter(|t| !t.is_empty())
        .ok_or_else(|| SdkError::invalid_input("mfaToken is required"))
}

/// `GET /mfa/authenticators`.
pub fn authenticators(mfa_token: &str) -> Call {
    Call::get("/mfa/authenticators").bearer(mfa_token)
}

/// `DELETE /mfa/authenticators/{id}`.
pub fn remove(mfa_token: &str, authenticator_id: Option<&str>) -> Result<Call, SdkError> {
    let id = authenticator_id.unwrap_or("");
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"|_-.".contains(&b))
    {
        return Err(SdkError::invalid_input(
            "authenticatorId is not an authenticator id",
        ));
    }
    let path = String::from("/mfa/authenticators/") + &id.replace('|', "%7C");
    Ok(Call::delete(path).bearer(mfa_token))
}

/// `POST /mfa/challenge`.
pub fn challenge(options: &Options, params: MfaParams) -> Result<Call, SdkError> {
    let body = Body::new()
        .text("client_id", options.client_id.clone())
        .text("mfa_token", String::from(params.mfa_token()?))
        .text(
            "challenge_type",
            ChallengeType::read(params.challenge_type.text("challengeType")?)?.as_str(),
        )
        .maybe(
            "authenticator_id",
            params
                .authenticator_id
                .text("authenticatorId")?
                .map(String::from),
        );
    Ok(Call::post("/mfa/challenge", body))
}

/// `POST /mfa/associate`.
pub fn enroll(params: MfaParams, unicode: &impl Unicode) -> Result<Call, SdkError> {
    let token = params.mfa_token()?;
    let oob = |channel: &'static str| {
        Body::new()
            .list("authenticator_types", vec!["oob".into()])
            .list("oob_channels", vec![channel.into()])
    };
    let body = match params.factor.text("factor")? {
        Some("otp") => Body::new().list("authenticator_types", vec!["otp".into()]),
        Some("sms") => oob("sms").text(
            "phone_number",
            input::phone_number(params.phone_number.text("phoneNumber")?)?,
        ),
        Some("email") => oob("email").maybe(
            "email",
            params
                .email
                .text("email")?
                .map(|e| input::email(Some(e), unicode))
                .transpose()?,
        ),
        _ => {
            return Err(SdkError::invalid_input(
                "factor must be \"otp\", \"sms\" or \"email\"",
            ))
        }
    };
    Ok(Call::post("/mfa/associate", body).bearer(token))
}

/// A checked `mfa.verify()`: the call, and whether to poll it while a push is pending.
#[derive(Debug, Clone, PartialEq)]
pub struct Verify {
    pub call: Call,
    pub poll: bool,
}

/// `mfa.verify(params)`: exactly one of `otp`, `oobCode` (+ `bindingCode`) or `recoveryCode`.
pub fn verify(options: &Options, params: MfaParams) -> Result<Verify, SdkError> {
    let token = params.mfa_token()?.to_owned();
    // `POST /oauth/token` with one of the MFA grants.
    let grant = |grant_type: &'static str| {
        Body::new()
            .text("grant_type", grant_type)
            .text("client_id", options.client_id.clone())
            .text("mfa_token", token.clone())
    };
    let mut poll = false;
    let proof = (
        params.otp.text("otp")?,
        params.oob_code.text("oobCode")?,
        params.recovery_code.text("recoveryCode")?,
    );
    let grant = match proof {
        (Some(otp), None, None) => {
            grant(GRANT_MFA_OTP).text("otp", input::code(Some(otp), 6, "otp")?)
        }
        (None, Some(oob_code), None) => {
            let binding_code = params
                .binding_code
                .text("bindingCode")?
                .map(|b| input::code(Some(b), 6, "bindingCode"))
                .transpose()?;
            poll = params.poll.flag("poll")?.unwrap_or(false);
            grant(GRANT_MFA_OOB)
                .text("oob_code", String::from(oob_code))
                .maybe("binding_code", binding_code)
        }
        (None, None, Some(code)) => {
            let code: String = code
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect();
            if code.len() < 8 {
                return Err(SdkError::invalid_input("recoveryCode is too short"));
            }
            grant(GRANT_MFA_RECOVERY_CODE).text("recovery_code", code)
        }
        _ => {
            return Err(SdkError::invalid_input(
                "give one of otp, oobCode or recoveryCode",
            ))
        }
    };
    Ok(Verify {
        call: Call::post("/oauth/token", grant),
        poll,
    })
}

/// Seconds between polls of a push until the server says otherwise.
pub const POLL_INTERVAL_SECS: u32 = 5;

/// After a poll answered `error`: wait this many seconds and poll again, or stop (`None`).
pub fn next_poll(error: &str, interval: u32) -> Option<u32> {
    match error {
        server_codes::AUTHORIZATION_PENDING => Some(interval),
        server_codes::SLOW_DOWN => Some((interval + 5).min(600)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_mfa_params_members_are_their_serde_names() {
        crate::given::tests::members_are_the_serde_names::<MfaParams>();
    }

    use serde_json::json;

    use super::*;
    use crate::flows::tests::{body, options};
    use crate::flows::Method;
    use passwordless_wire::email::Crates;

    fn params(json: serde_json::Value) -> MfaParams {
        serde_json::from_value(json).unwrap()
    }

    fn enroll(params: MfaParams) -> Result<Call, SdkError> {
        super::enroll(params, &Crates)
    }

    #[test]
    fn every_call_needs_the_mfa_token() {
        let none = || params(json!({"otp": "123456", "factor": "otp"}));
        let errors = [
            challenge(&options(None), none()).unwrap_err(),
            enroll(none()).unwrap_err(),
            verify(&options(None), none()).unwrap_err(),
            mfa_token(Some("")).unwrap_err(),
        ];
        for e in errors {
            assert_eq!(
                (e.code.as_ref(), e.description.as_ref()),
                ("invalid_input", "mfaToken is required")
            );
        }
    }

    #[test]
    fn requests_carry_the_token_as_bearer_or_in_the_body() {
        let list = authenticators("m1");
        assert_eq!(
            (list.method, list.bearer.as_deref(), list.body),
            (Method::Get, Some("m1"), None)
        );
        let removed = remove("m1", Some("sms|dev_2")).unwrap();
        assert_eq!(removed.method, Method::Delete);
        assert_eq!(removed.path, "/mfa/authenticators/sms%7Cdev_2");
        assert!(remove("t", Some("../admin")).is_err());
        assert!(remove("t", None).is_err());
        let asked = challenge(
            &options(None),
            params(json!({"mfaToken": "m1", "challengeType": "oob"})),
        )
        .unwrap();
        assert_eq!(
            body(&asked),
            json!({"client_id": "demo-client", "mfa_token": "m1", "challenge_type": "oob"})
        );
        let either = challenge(
            &options(None),
            params(json!({"mfaToken": "m1", "authenticatorId": "a"})),
        )
        .unwrap();
        assert_eq!(body(&either)["challenge_type"], "otp oob");
        let push = challenge(
            &options(None),
            params(json!({"mfaToken": "m1", "challengeType": "push"})),
        );
        assert!(push.unwrap_err().description.starts_with("challengeType"));
    }

    #[test]
    fn each_proof_uses_its_grant() {
        let sent = |json| body(&verify(&options(None), params(json)).unwrap().call);
        let otp = sent(json!({"mfaToken": "t", "otp": "123 456"}));
        assert_eq!(
            (otp["grant_type"].as_str(), otp["otp"].as_str()),
            (Some(GRANT_MFA_OTP), Some("123456"))
        );
        let oob = sent(json!({"mfaToken": "t", "oobCode": "o", "bindingCode": "654321"}));
        assert_eq!(
            (oob["grant_type"].as_str(), oob["binding_code"].as_str()),
            (Some(GRANT_MFA_OOB), Some("654321"))
        );
        let push = sent(json!({"mfaToken": "t", "oobCode": "o"}));
        assert!(push.get("binding_code").is_none());
        let recovery = sent(json!({"mfaToken": "t", "recoveryCode": "abcd-efgh-jkmn"}));
        assert_eq!(recovery["recovery_code"], "ABCDEFGHJKMN");
        assert_eq!(recovery["grant_type"], GRANT_MFA_RECOVERY_CODE);
        for refused in [
            json!({"mfaToken": "t", "otp": "1", "oobCode": "o"}),
            json!({"mfaToken": "t"}),
            json!({"mfaToken": "t", "recoveryCode": "abc"}),
            json!({"mfaToken": "t", "otp": "12345"}),
        ] {
            assert_eq!(
                verify(&options(None), params(refused.clone()))
                    .unwrap_err()
                    .code,
                "invalid_input",
                "{refused}"
            );
        }
    }

    #[test]
    fn only_a_push_is_polled() {
        let poll = |json| verify(&options(None), params(json)).unwrap().poll;
        assert!(poll(json!({"mfaToken": "t", "oobCode": "o", "poll": true})));
        assert!(!poll(
            json!({"mfaToken": "t", "otp": "123456", "poll": true})
        ));
        assert!(!poll(json!({"mfaToken": "t", "oobCode": "o"})));
        let yes = params(json!({"mfaToken": "t", "oobCode": "o", "poll": "yes"}));
        assert_eq!(
            verify(&options(None), yes).unwrap_err().description,
            "poll must be true or false"
        );
    }

    #[test]
    fn enrolment_bodies() {
        let otp = enroll(params(json!({"mfaToken": "t", "factor": "otp"}))).unwrap();
        assert_eq!(body(&otp), json!({"authenticator_types": ["otp"]}));
        assert_eq!(otp.bearer.as_deref(), Some("t"));
        let sms = enroll(params(
            json!({"mfaToken": "t", "factor": "sms", "phoneNumber": "+1 415 555 0100"}),
        ))
        .unwrap();
        assert_eq!(
            body(&sms),
            json!({"authenticator_types": ["oob"], "oob_channels": ["sms"], "phone_number": "+14155550100"})
        );
        let email = enroll(params(json!({"mfaToken": "t", "factor": "email"}))).unwrap();
        assert_eq!(
            body(&email),
            json!({"authenticator_types": ["oob"], "oob_channels": ["email"]})
        );
        assert!(enroll(params(json!({"mfaToken": "t", "factor": "sms"}))).is_err());
        assert!(enroll(params(json!({"mfaToken": "t"}))).is_err());
    }

    #[test]
    fn challenge_types_and_ids_are_checked() {
        assert_eq!(
            ChallengeType::read(Some("oob otp")),
            Ok(ChallengeType::Either)
        );
        assert_eq!(ChallengeType::read(None), Ok(ChallengeType::Either));
        assert_eq!(ChallengeType::read(Some("otp")), Ok(ChallengeType::Otp));
        let wrong = challenge(
            &options(None),
            params(json!({"mfaToken": "m1", "authenticatorId": 7})),
        );
        assert_eq!(
            wrong.unwrap_err().description,
            "authenticatorId must be a string"
        );
        assert_eq!(
            remove("t", Some("sms|dev|2")).unwrap().path,
            "/mfa/authenticators/sms%7Cdev%7C2"
        );
        assert!(remove("t", Some("a b")).is_err());
    }

    #[test]
    fn an_email_factor_checks_the_address_it_is_given() {
        let bad = enroll(params(
            json!({"mfaToken": "t", "factor": "email", "email": "not-an-email"}),
        ));
        assert!(bad.unwrap_err().description.starts_with("email"));
        let good = enroll(params(
            json!({"mfaToken": "t", "factor": "email", "email": " a@b.co "}),
        ))
        .unwrap();
        assert_eq!(body(&good)["email"], "a@b.co");
    }

    #[test]
    fn polling_honours_pending_and_slow_down() {
        assert_eq!(next_poll("authorization_pending", 5), Some(5));
        assert_eq!(next_poll("slow_down", 5), Some(10));
        assert_eq!(next_poll("slow_down", 600), Some(600));
        assert_eq!(next_poll("invalid_grant", 5), None);
    }
}
