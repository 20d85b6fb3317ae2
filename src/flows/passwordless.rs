//! Sending a one-time code (or a magic link) and exchanging the code for tokens.

use passwordless_wire::address::Unicode;
use passwordless_wire::GRANT_PASSWORDLESS_OTP;

use super::link::{transaction_key, Transaction};
use super::resend::address_key;
use super::{Body, Call, Connection, Delivery, Identity, SignInParams};
use crate::error::SdkError;
use crate::input;
use crate::options::Options;

/// What a new magic link needs from the browser: its `state` and `nonce` (random), the
/// clock, and the page's `appState` as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLink {
    pub state: String,
    pub nonce: String,
    /// Seconds since the epoch.
    pub now: f64,
    pub app_state: Option<String>,
}

/// A checked `start()`: the call, and for a link the transaction to keep until the callback
/// (its Web Storage key, and what goes there).
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    pub call: Call,
    /// The address the code goes to, for its resend cooldown.
    pub address: String,
    pub keep: Option<(String, Transaction)>,
}

/// `start(params)`. `new_link` is only called for a link.
pub fn start(
    options: &Options,
    params: &SignInParams,
    unicode: &impl Unicode,
    new_link: impl FnOnce() -> Result<NewLink, SdkError>,
) -> Result<Start, SdkError> {
    let identity = Identity::read(params, unicode)?;
    let connection = identity.connection();
    let address = address_key(&identity);
    let send = Delivery::read(params.send.text("send")?)?;
    let (auth_params, keep) = match send {
        Delivery::Code => (None, None),
        Delivery::Link => {
            if connection != Connection::Email {
                return Err(SdkError::invalid_input(
                    "send: a magic link goes by email only",
                ));
            }
            let redirect_uri = options.redirect_uri.clone().ok_or_else(|| {
                SdkError::invalid_options("redirectUri is required to send a magic link")
            })?;
            let NewLink {
                state,
                nonce,
                now,
                app_state,
            } = new_link()?;
            let transaction = Transaction {
                nonce: nonce.clone(),
                redirect_uri: redirect_uri.clone(),
                expires_at: now + f64::from(options.link_lifetime_secs),
                app_state,
            };
            let keep = (transaction_key(&state), transaction);
            // What a magic link carries back to the callback (`response_type=code`).
            let auth_params = Body::new()
                .text("response_type", "code")
                .text("redirect_uri", redirect_uri)
                .text("scope", options.scope.clone())
                .text("state", state)
                .text("nonce", nonce)
                .maybe("audience", options.audience.clone());
            (Some(auth_params), Some(keep))
        }
    };
    let mut body = Body::new()
        .text("client_id", options.client_id.clone())
        .text("connection", connection.as_str());
    body = match identity {
        Identity::Email(email) => body.text("email", email),
        Identity::Sms(phone) => body.text("phone_number", phone),
    };
    body = body.text("send", send.as_str());
    if let Some(auth_params) = auth_params {
        body = body.object("authParams", auth_params);
    }
    let mut call = Call::post("/passwordless/start", body);
    call.language = options.language.clone();
    Ok(Start {
        call,
        address,
        keep,
    })
}

/// A checked `verify()`: the call, and the address whose code it uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Verify {
    pub call: Call,
    pub address: String,
}

/// `verify(params)`: `POST /oauth/token` with the passwordless OTP grant.
pub fn verify(
    options: &Options,
    params: &SignInParams,
    unicode: &impl Unicode,
) -> Result<Verify, SdkError> {
    let identity = Identity::read(params, unicode)?;
    let otp = input::code(params.code.text("code")?, options.code_length, "code")?;
    Ok(otp_grant(options, &identity, otp))
}

/// The OTP grant for a checked identity and code (a typed code, or a code link's).
pub fn otp_grant(options: &Options, identity: &Identity, otp: String) -> Verify {
    // `POST /oauth/token` with the passwordless OTP grant.
    let grant = Body::new()
        .text("grant_type", GRANT_PASSWORDLESS_OTP)
        .text("client_id", options.client_id.clone())
        .text("username", String::from(identity.value()))
        .text("otp", otp)
        .text("realm", identity.connection().as_str())
        .text("scope", options.scope.clone())
        .maybe("audience", options.audience.clone());
    Verify {
        call: Call::post("/oauth/token", grant),
        address: address_key(identity),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::flows::tests::{body, options, params};
    use passwordless_wire::email::Crates;

    fn start(
        options: &Options,
        params: &SignInParams,
        new_link: impl FnOnce() -> Result<NewLink, SdkError>,
    ) -> Result<Start, SdkError> {
        super::start(options, params, &Crates, new_link)
    }

    fn verify(options: &Options, params: &SignInParams) -> Result<Verify, SdkError> {
        super::verify(options, params, &Crates)
    }

    fn secrets() -> Result<NewLink, SdkError> {
        Ok(NewLink {
            state: "s1".into(),
            nonce: "n1".into(),
            now: 1000.0,
            app_state: Some(r#"{"returnTo":"/cart"}"#.into()),
        })
    }

    #[test]
    fn start_sends_a_code_and_never_a_secret() {
        let email = params(json!({"connection": "email", "email": " ada@example.com "}));
        let started = start(&options(None), &email, || unreachable!("no link")).unwrap();
        assert_eq!(started.call.path, "/passwordless/start");
        assert_eq!(
            body(&started.call),
            json!({"client_id": "demo-client", "connection": "email", "email": "ada@example.com", "send": "code"})
        );
        assert_eq!(started.call.language.as_deref(), Some("fr"));
        assert_eq!(started.keep, None);
        assert_eq!(started.address, "email:ada@example.com");
        let sms =
            params(json!({"connection": "sms", "phoneNumber": "+1 415-555-0100", "send": "code"}));
        let started = start(&options(None), &sms, || unreachable!()).unwrap();
        assert_eq!(body(&started.call)["phone_number"], "+14155550100");
        assert_eq!(body(&started.call)["connection"], "sms");
        assert!(body(&started.call).get("email").is_none());
    }

    #[test]
    fn a_link_asks_for_a_code_response_with_state_and_nonce() {
        let link = params(json!({"connection": "email", "email": "a@b.co", "send": "link"}));
        let started = start(&options(Some("https://app.example.com/")), &link, secrets).unwrap();
        assert_eq!(
            body(&started.call)["authParams"],
            json!({"response_type": "code", "redirect_uri": "https://app.example.com/",
                   "scope": "openid profile email", "state": "s1", "nonce": "n1"})
        );
        let kept = Transaction {
            nonce: "n1".into(),
            redirect_uri: "https://app.example.com/".into(),
            expires_at: 1180.0,
            app_state: Some(r#"{"returnTo":"/cart"}"#.into()),
        };
        assert_eq!(started.keep, Some(("passwordless.link.s1".into(), kept)));
        let e = start(&options(None), &link, secrets).unwrap_err();
        assert_eq!(e.code, "invalid_options");
        assert!(e.description.contains("redirectUri"));
        let sms_link =
            params(json!({"connection": "sms", "phoneNumber": "+14155550100", "send": "link"}));
        let e = start(
            &options(Some("https://app.example.com/")),
            &sms_link,
            secrets,
        )
        .unwrap_err();
        assert!(e.description.starts_with("send"));
    }

    #[test]
    fn the_audience_and_a_longer_code_reach_the_requests() {
        let mut options = options(Some("https://app.example.com/"));
        options.audience = Some("https://api.example.com".into());
        options.code_length = 8;
        let link = params(json!({"connection": "email", "email": "a@b.co", "send": "link"}));
        let started = start(&options, &link, secrets).unwrap();
        assert_eq!(
            body(&started.call)["authParams"]["audience"],
            "https://api.example.com"
        );
        let code = params(json!({"connection": "email", "email": "a@b.co", "code": "1234 5678"}));
        let sent = body(&verify(&options, &code).unwrap().call);
        assert_eq!(
            (sent["otp"].as_str(), sent["audience"].as_str()),
            (Some("12345678"), Some("https://api.example.com"))
        );
        let six = params(json!({"connection": "email", "email": "a@b.co", "code": "123456"}));
        assert_eq!(
            verify(&options, &six).unwrap_err().description,
            "code must be the 8 digits that were sent"
        );
    }

    #[test]
    fn send_is_code_or_link() {
        let pigeon = params(json!({"connection": "email", "email": "a@b.co", "send": "pigeon"}));
        let e = start(&options(None), &pigeon, secrets).unwrap_err();
        assert_eq!(
            (e.code.as_ref(), e.description.as_ref()),
            ("invalid_input", "send must be \"code\" or \"link\"")
        );
    }

    #[test]
    fn verify_uses_the_otp_grant_with_the_connection_as_realm() {
        let sms =
            params(json!({"connection": "sms", "phoneNumber": "+14155550100", "code": "123 456"}));
        let checked = verify(&options(None), &sms).unwrap();
        assert_eq!(checked.address, "sms:+14155550100");
        let sent = body(&checked.call);
        assert_eq!(sent["grant_type"], GRANT_PASSWORDLESS_OTP);
        assert_eq!(
            (sent["realm"].as_str(), sent["username"].as_str()),
            (Some("sms"), Some("+14155550100"))
        );
        assert_eq!(
            (sent["otp"].as_str(), sent["scope"].as_str()),
            (Some("123456"), Some("openid profile email"))
        );
        assert!(sent.get("client_secret").is_none());
        let short = params(json!({"connection": "email", "email": "a@b.co", "code": "12"}));
        let e = verify(&options(None), &short).unwrap_err();
        assert!(e.description.starts_with("code"), "{}", e.description);
    }
}
