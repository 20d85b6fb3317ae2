//! The first factor: checking the options, sending a code or a magic link, verifying a code,
//! and a magic link's callback.

use alloc::string::String;

use super::{client_options, request_for, Outcome};
use crate::error::{codes, SdkError};
use crate::flows::link::{self, Callback};
use crate::flows::passwordless::{self, LinkSecrets};
use crate::flows::Identity;
use crate::json::write::{self, Object};
use crate::json::Value;
use crate::options::ClientOptions;

/// The Web Storage key a link's transaction is kept under: its `state`, prefixed.
fn transaction_key(state: &str) -> String {
    let mut key = String::from("passwordless.link.");
    key.push_str(state);
    key
}

/// `new PasswordlessClient(options)`: the checked options, for the shell to keep.
pub fn options(raw: &Value<'_>) -> Outcome {
    let mut out = String::new();
    ClientOptions::parse(raw)?.write(&mut out);
    Ok(out)
}

fn identity(params: &Value<'_>) -> Result<Identity, SdkError> {
    Identity::read(
        params.get("connection").as_str(),
        params.get("email").as_str(),
        params.get("phoneNumber").as_str(),
    )
}

/// `start(params)` with `{options, params, state, nonce}` (fresh random values from the shell,
/// used for a link only): `{request, save?: {key, value}}`, where `save` is the link's
/// transaction to keep in the chosen Web Storage before sending.
pub fn start(input: &Value<'_>) -> Outcome {
    let options = client_options(input)?;
    let params = input.get("params");
    let identity = identity(params)?;
    let send = match params.get("send") {
        Value::Null => None,
        other => Some(other.as_str().unwrap_or("")),
    };
    let secrets = match (send, input.get("state").text(), input.get("nonce").text()) {
        (Some("link"), Some(state), Some(nonce)) => Some(LinkSecrets {
            state: state.into(),
            nonce: nonce.into(),
        }),
        _ => None,
    };
    let call = passwordless::start(&options, &identity, send, secrets.as_ref())?;
    let mut out = String::new();
    let mut answer = Object::new(&mut out);
    call.write(&options, answer.key("request"));
    if let (Some(secrets), Some(redirect_uri)) = (&secrets, options.redirect_uri) {
        let mut save = Object::new(answer.key("save"));
        save.str("key", &transaction_key(&secrets.state));
        let mut record = String::new();
        let mut transaction = Object::new(&mut record);
        transaction.str("nonce", &secrets.nonce);
        transaction.str("redirectUri", redirect_uri);
        transaction.end();
        save.str("value", &record);
        save.end();
    }
    answer.end();
    Ok(out)
}

/// `verify(params)` with `{options, params}`: the OTP grant's request.
pub fn verify(input: &Value<'_>) -> Outcome {
    request_for(input, |options, params| {
        passwordless::verify(options, &identity(params)?, params.get("code").as_str())
    })
}

/// `{params}` (the callback parameters of the URL): `null` when the URL is not a magic
/// link's callback, else `{key?}`, the storage key of its transaction (which the shell takes
/// out of storage, so that a callback works once).
pub fn callback(input: &Value<'_>) -> Outcome {
    let state = match link::read_callback(input.get("params")) {
        None => return Ok(String::from("null")),
        Some(Callback::Code { state, .. }) => Some(state),
        Some(Callback::Error { state, .. }) => state,
    };
    let mut out = String::new();
    let mut answer = Object::new(&mut out);
    if let Some(state) = state {
        answer.str("key", &transaction_key(&state));
    }
    answer.end();
    Ok(out)
}

/// `{options, params, saved}` (`saved`: the transaction text found under the callback's key,
/// or null): the code exchange `{request, nonce}`, or why the link cannot be used.
pub fn exchange(input: &Value<'_>) -> Outcome {
    let options = client_options(input)?;
    let (code, _) = match link::read_callback(input.get("params")) {
        None => {
            return Err(SdkError::new(
                codes::NOT_A_CALLBACK,
                "This address is not a magic link's callback.",
            ))
        }
        Some(Callback::Error {
            error, description, ..
        }) => return Err(SdkError::from_wire(0, Some(error), Some(description)).without_status()),
        Some(Callback::Code { code, state }) => (code, state),
    };
    let saved = input
        .get("saved")
        .as_str()
        .and_then(crate::json::parse)
        .unwrap_or(Value::Null);
    let (Some(nonce), Some(redirect_uri)) = (
        saved.get("nonce").as_str(),
        saved.get("redirectUri").as_str(),
    ) else {
        return Err(link::state_mismatch());
    };
    let call = link::exchange(&options, &code, redirect_uri);
    let mut out = String::new();
    let mut answer = Object::new(&mut out);
    call.write(&options, answer.key("request"));
    write::string(answer.key("nonce"), nonce);
    answer.end();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::call;
    use super::*;

    const OPTIONS: &str = r#"{"domain":"http://127.0.0.1:8080/","clientId":"demo-client","redirectUri":"http://127.0.0.1:8080/callback"}"#;

    fn with_options(rest: &str) -> String {
        let mut input = String::from(r#"{"options":"#);
        input.push_str(OPTIONS);
        input.push(',');
        input.push_str(rest);
        input.push('}');
        input
    }

    #[test]
    fn options_are_checked_and_normalised() {
        let ok = call(options, OPTIONS);
        assert_eq!(ok["ok"]["domain"], "http://127.0.0.1:8080");
        assert_eq!(ok["ok"]["scope"], "openid profile email");
        let bad = call(options, r#"{"domain":"ftp://x","clientId":"a"}"#);
        assert_eq!(bad["error"]["code"], "invalid_options");
        assert!(bad["error"].get("status").is_none());
    }

    #[test]
    fn a_code_is_requested_without_any_transaction() {
        let out = call(
            start,
            &with_options(
                r#""params":{"connection":"sms","phoneNumber":"+1 415-555-0100"},"state":"s","nonce":"n""#,
            ),
        );
        let request = &out["ok"]["request"];
        assert_eq!(request["url"], "http://127.0.0.1:8080/passwordless/start");
        assert_eq!(request["method"], "POST");
        assert_eq!(request["headers"]["content-type"], "application/json");
        let body: serde_json::Value =
            serde_json::from_str(request["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["phone_number"], "+14155550100");
        assert_eq!(body["send"], "code");
        assert!(out["ok"].get("save").is_none());
    }

    #[test]
    fn a_link_saves_its_nonce_under_its_state() {
        let out = call(
            start,
            &with_options(
                r#""params":{"connection":"email","email":"ada@example.com","send":"link"},"state":"s1","nonce":"n1""#,
            ),
        );
        assert_eq!(out["ok"]["save"]["key"], "passwordless.link.s1");
        let saved = out["ok"]["save"]["value"].as_str().unwrap();
        let body: serde_json::Value =
            serde_json::from_str(out["ok"]["request"]["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["authParams"]["state"], "s1");
        assert_eq!(body["authParams"]["nonce"], "n1");

        let params = r#""params":{"code":"c1","state":"s1"}"#;
        assert_eq!(
            call(callback, &with_options(params))["ok"]["key"],
            "passwordless.link.s1"
        );
        let mut input = String::from(params);
        input.push_str(r#","saved":"#);
        write::string(&mut input, saved);
        let exchanged = call(exchange, &with_options(&input));
        assert_eq!(exchanged["ok"]["nonce"], "n1");
        let body: serde_json::Value =
            serde_json::from_str(exchanged["ok"]["request"]["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["grant_type"], "authorization_code");
        assert_eq!(body["code"], "c1");
        assert_eq!(body["redirect_uri"], "http://127.0.0.1:8080/callback");
    }

    #[test]
    fn callbacks_without_a_transaction_or_with_an_error_are_refused() {
        let other_tab = call(
            exchange,
            &with_options(r#""params":{"code":"c1","state":"s1"},"saved":null"#),
        );
        assert_eq!(other_tab["error"]["code"], "state_mismatch");
        let denied = call(
            exchange,
            &with_options(
                r#""params":{"error":"access_denied","error_description":"Expired.","state":"s"},"saved":null"#,
            ),
        );
        assert_eq!(denied["error"]["code"], "access_denied");
        assert_eq!(denied["error"]["description"], "Expired.");
        assert!(denied["error"].get("status").is_none());
        let nothing = call(exchange, &with_options(r#""params":{"page":"2"}"#));
        assert_eq!(nothing["error"]["code"], "not_a_callback");
        assert!(call(callback, r#"{"params":{"page":"2"}}"#)["ok"].is_null());
        assert!(call(callback, r#"{"params":{"error":"x"}}"#)["ok"].is_object());
    }

    #[test]
    fn verify_checks_the_code_before_the_network() {
        let out = call(
            verify,
            &with_options(r#""params":{"connection":"email","email":"a@b.co","code":"12a456"}"#),
        );
        assert_eq!(out["error"]["code"], "invalid_input");
        assert!(out["error"]["description"]
            .as_str()
            .unwrap()
            .starts_with("code"));
    }
}
