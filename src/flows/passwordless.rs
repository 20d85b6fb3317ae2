//! Sending a one-time code (or a magic link) and exchanging the code for tokens.

use alloc::borrow::ToOwned;
use alloc::string::String;

use passwordless_wire::GRANT_PASSWORDLESS_OTP;

use super::{Call, Identity};
use crate::error::SdkError;
use crate::input;
use crate::json::write::Object;
use crate::options::ClientOptions;

/// What the link's callback must find again: created by the caller (random), kept by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSecrets {
    pub state: String,
    pub nonce: String,
}

/// `POST /passwordless/start`. A link needs `redirectUri` and the `state`/`nonce` to put in it.
pub fn start(
    options: &ClientOptions<'_>,
    identity: &Identity,
    send: Option<&str>,
    link: Option<&LinkSecrets>,
) -> Result<Call, SdkError> {
    let identifier_field = match identity {
        Identity::Email(_) => "email",
        Identity::Sms(_) => "phone_number",
    };
    let mut body = String::new();
    let mut fields = Object::new(&mut body);
    fields.str("client_id", options.client_id);
    fields.str("connection", identity.connection());
    fields.str(identifier_field, identity.value());
    match (send.unwrap_or("code"), link) {
        ("code", _) => fields.str("send", "code"),
        ("link", Some(secrets)) => {
            let redirect_uri = options.redirect_uri.ok_or_else(|| {
                SdkError::invalid_options("redirectUri is required to send a magic link")
            })?;
            fields.str("send", "link");
            let mut params = Object::new(fields.key("authParams"));
            params.str("response_type", "code");
            params.str("redirect_uri", redirect_uri);
            params.str("scope", options.scope);
            params.str("state", &secrets.state);
            params.str("nonce", &secrets.nonce);
            params.opt_str("audience", options.audience);
            params.end();
        }
        ("link", None) => {
            return Err(SdkError::invalid_input(
                "a magic link needs its state and nonce",
            ))
        }
        _ => return Err(SdkError::invalid_input("send must be \"code\" or \"link\"")),
    }
    fields.end();
    let mut call = Call::post("/passwordless/start", body);
    call.language = options.language.map(str::to_owned);
    Ok(call)
}

/// `POST /oauth/token` with the passwordless OTP grant.
pub fn verify(
    options: &ClientOptions<'_>,
    identity: &Identity,
    code: Option<&str>,
) -> Result<Call, SdkError> {
    let code = input::code(code, options.code_length, "code")?;
    let mut body = String::new();
    let mut fields = Object::new(&mut body);
    fields.str("grant_type", GRANT_PASSWORDLESS_OTP);
    fields.str("client_id", options.client_id);
    fields.str("username", identity.value());
    fields.str("otp", &code);
    fields.str("realm", identity.connection());
    fields.str("scope", options.scope);
    fields.opt_str("audience", options.audience);
    fields.end();
    Ok(Call::post("/oauth/token", body))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn options(redirect: Option<&str>) -> ClientOptions<'static> {
        let mut json = String::from(
            r#"{"domain":"http://127.0.0.1:8080","clientId":"demo-client","language":"fr""#,
        );
        if let Some(redirect) = redirect {
            json.push_str(r#","redirectUri":"#);
            crate::json::write::string(&mut json, redirect);
        }
        json.push('}');
        let json = std::boxed::Box::leak(json.into_boxed_str());
        let value = std::boxed::Box::leak(std::boxed::Box::new(crate::json::parse(json).unwrap()));
        ClientOptions::parse(value).unwrap()
    }

    #[test]
    fn start_sends_a_code_and_never_a_secret() {
        let call = start(
            &options(None),
            &Identity::Email("ada@example.com".into()),
            None,
            None,
        )
        .unwrap();
        assert_eq!(call.path, "/passwordless/start");
        assert_eq!(call.field("send").as_deref(), Some("code"));
        assert_eq!(call.field("email").as_deref(), Some("ada@example.com"));
        assert_eq!(call.field("client_secret").as_deref(), None);
        assert_eq!(call.language.as_deref(), Some("fr"));
        let sms = start(
            &options(None),
            &Identity::Sms("+14155550100".into()),
            Some("code"),
            None,
        )
        .unwrap();
        assert_eq!(
            (
                sms.field("connection").as_deref(),
                sms.field("phone_number").as_deref()
            ),
            (Some("sms"), Some("+14155550100"))
        );
    }

    #[test]
    fn a_link_asks_for_a_code_response_with_state_and_nonce() {
        let secrets = LinkSecrets {
            state: "s1".into(),
            nonce: "n1".into(),
        };
        let call = start(
            &options(Some("https://app.example.com/")),
            &Identity::Email("a@b.co".into()),
            Some("link"),
            Some(&secrets),
        )
        .unwrap();
        let body = crate::json::parse(call.body.as_deref().unwrap()).unwrap();
        let params = body.get("authParams");
        for (key, value) in [
            ("response_type", "code"),
            ("state", "s1"),
            ("nonce", "n1"),
            ("redirect_uri", "https://app.example.com/"),
        ] {
            assert_eq!(params.get(key).as_str(), Some(value), "{key}");
        }
        let e = start(
            &options(None),
            &Identity::Email("a@b.co".into()),
            Some("link"),
            Some(&secrets),
        )
        .unwrap_err();
        assert!(e.description.contains("redirectUri"));
        let e = start(
            &options(None),
            &Identity::Email("a@b.co".into()),
            Some("pigeon"),
            None,
        )
        .unwrap_err();
        assert!(e.description.starts_with("send"));
    }

    #[test]
    fn verify_uses_the_otp_grant_with_the_connection_as_realm() {
        let call = verify(
            &options(None),
            &Identity::Sms("+14155550100".into()),
            Some("123456"),
        )
        .unwrap();
        assert_eq!(
            call.field("grant_type").as_deref(),
            Some(GRANT_PASSWORDLESS_OTP)
        );
        assert_eq!(call.field("realm").as_deref(), Some("sms"));
        assert_eq!(call.field("username").as_deref(), Some("+14155550100"));
        assert_eq!(call.field("scope").as_deref(), Some("openid profile email"));
        assert!(verify(
            &options(None),
            &Identity::Email("a@b.co".into()),
            Some("12")
        )
        .is_err());
    }

    #[test]
    fn identities_are_checked() {
        assert!(Identity::read(Some("github"), Some("a@b.co"), None).is_err());
        assert_eq!(
            Identity::read(Some("sms"), None, Some("+1 415 555 0100")).unwrap(),
            Identity::Sms("+14155550100".into())
        );
    }
}
