//! `client.mfa`: the second factor's requests, and when to poll a push again.

use alloc::string::String;

use super::{client_options, request_for, Outcome};
use crate::error::SdkError;
use crate::flows::mfa::{self, Proof};
use crate::json::write::{self, Object};
use crate::json::Value;

fn mfa_token<'v>(params: &'v Value<'_>) -> Result<&'v str, SdkError> {
    params
        .get("mfaToken")
        .text()
        .ok_or_else(|| SdkError::invalid_input("mfaToken is required"))
}

/// `{options, params: {mfaToken}}`: listing the user's authenticators.
pub fn mfa_authenticators(input: &Value<'_>) -> Outcome {
    request_for(input, |_, params| {
        Ok(mfa::authenticators(mfa_token(params)?))
    })
}

/// `{options, params: {mfaToken, authenticatorId}}`: removing one.
pub fn mfa_remove(input: &Value<'_>) -> Outcome {
    request_for(input, |_, params| {
        let id = params.get("authenticatorId").as_str().unwrap_or("");
        mfa::remove(mfa_token(params)?, id)
    })
}

/// `{options, params: {mfaToken, challengeType?, authenticatorId?}}`.
pub fn mfa_challenge(input: &Value<'_>) -> Outcome {
    request_for(input, |options, params| {
        mfa::challenge(
            options,
            mfa_token(params)?,
            params.get("challengeType").as_str(),
            params.get("authenticatorId").as_str(),
        )
    })
}

/// `{options, params: {mfaToken, factor, phoneNumber?, email?}}`.
pub fn mfa_enroll(input: &Value<'_>) -> Outcome {
    request_for(input, |_, params| {
        mfa::enroll(
            mfa_token(params)?,
            params.get("factor").as_str(),
            params.get("phoneNumber").as_str(),
            params.get("email").as_str(),
        )
    })
}

/// `{options, params: {mfaToken, otp | oobCode (+ bindingCode) | recoveryCode, poll?}}`:
/// `{request, poll}`, `poll` saying whether to ask again while a push is pending.
pub fn mfa_verify(input: &Value<'_>) -> Outcome {
    let options = client_options(input)?;
    let params = input.get("params");
    let token = mfa_token(params)?;
    let text = |key: &str| params.get(key).as_str();
    let proof = Proof::read(
        text("otp"),
        text("oobCode"),
        text("bindingCode"),
        text("recoveryCode"),
    )?;
    let poll = match params.get("poll") {
        Value::Null => false,
        value => value
            .as_bool()
            .ok_or_else(|| SdkError::invalid_input("poll must be true or false"))?,
    };
    let call = mfa::verify(&options, token, &proof);
    let mut out = String::new();
    let mut answer = Object::new(&mut out);
    call.write(&options, answer.key("request"));
    answer.bool("poll", poll && matches!(proof, Proof::Oob { .. }));
    answer.end();
    Ok(out)
}

/// `{code, interval?}` after a polled verify failed with `code`: the seconds to wait before
/// asking again (`interval` starts at 5 and grows on `slow_down`), or `null` to give up.
pub fn poll(input: &Value<'_>) -> Outcome {
    let code = input.get("code").as_str().unwrap_or("");
    let interval = input
        .get("interval")
        .as_whole()
        .map_or(mfa::POLL_INTERVAL_SECS, |s| s.min(600) as u32);
    let mut out = String::new();
    match mfa::next_poll(code, interval) {
        Some(seconds) => write::number(&mut out, seconds.into()),
        None => out.push_str("null"),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::call;
    use super::*;

    fn with(params: serde_json::Value) -> String {
        serde_json::json!({
            "options": {"domain": "http://127.0.0.1:8080", "clientId": "demo-client"},
            "params": params,
        })
        .to_string()
    }

    #[test]
    fn every_call_needs_the_mfa_token() {
        for op in [
            mfa_authenticators,
            mfa_challenge,
            mfa_enroll,
            mfa_verify,
            mfa_remove,
        ] {
            let out = call(op, &with(serde_json::json!({ "otp": "123456" })));
            assert_eq!(out["error"]["code"], "invalid_input");
            assert!(out["error"]["description"]
                .as_str()
                .unwrap()
                .contains("mfaToken"));
        }
    }

    #[test]
    fn requests_carry_the_token_as_bearer_or_in_the_body() {
        let list = call(
            mfa_authenticators,
            &with(serde_json::json!({"mfaToken": "m1"})),
        );
        assert_eq!(list["ok"]["method"], "GET");
        assert_eq!(list["ok"]["headers"]["authorization"], "Bearer m1");
        assert!(list["ok"].get("body").is_none());
        let removed = call(
            mfa_remove,
            &with(serde_json::json!({"mfaToken": "m1", "authenticatorId": "sms|dev_2"})),
        );
        assert_eq!(removed["ok"]["method"], "DELETE");
        assert_eq!(
            removed["ok"]["url"],
            "http://127.0.0.1:8080/mfa/authenticators/sms%7Cdev_2"
        );
        let challenge = call(
            mfa_challenge,
            &with(serde_json::json!({"mfaToken": "m1", "challengeType": "oob"})),
        );
        let body: serde_json::Value =
            serde_json::from_str(challenge["ok"]["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["mfa_token"], "m1");
        assert_eq!(body["challenge_type"], "oob");
    }

    #[test]
    fn only_a_push_is_polled() {
        let push = call(
            mfa_verify,
            &with(serde_json::json!({"mfaToken": "m1", "oobCode": "o1", "poll": true})),
        );
        assert_eq!(push["ok"]["poll"], true);
        let otp = call(
            mfa_verify,
            &with(serde_json::json!({"mfaToken": "m1", "otp": "123 456", "poll": true})),
        );
        assert_eq!(otp["ok"]["poll"], false);
        let bad = call(
            mfa_verify,
            &with(serde_json::json!({"mfaToken": "m1", "oobCode": "o1", "poll": "yes"})),
        );
        assert_eq!(bad["error"]["code"], "invalid_input");
    }

    #[test]
    fn polling_waits_longer_on_slow_down_and_stops_on_anything_else() {
        let next = |code: &str, interval: u64| {
            call(
                poll,
                &serde_json::json!({"code": code, "interval": interval}).to_string(),
            )["ok"]
                .clone()
        };
        assert_eq!(next("authorization_pending", 5), 5);
        assert_eq!(next("slow_down", 5), 10);
        assert!(next("access_denied", 5).is_null());
    }
}
