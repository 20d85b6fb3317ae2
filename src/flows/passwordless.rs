//! Sending a one-time code (or a magic link) and exchanging the code for tokens.

use passwordless_wire::GRANT_PASSWORDLESS_OTP;

use super::{Call, Identity};
use crate::error::SdkError;
use crate::input;
use crate::json::Json;
use crate::options::ClientOptions;

/// What the link's callback must find again: created by the caller (random), kept by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSecrets {
    pub state: String,
    pub nonce: String,
}

/// `POST /passwordless/start`. A link needs `redirectUri` and the `state`/`nonce` to put in it.
pub fn start(
    options: &ClientOptions,
    identity: &Identity,
    send: Option<&str>,
    link: Option<&LinkSecrets>,
) -> Result<Call, SdkError> {
    let identifier_field = match identity {
        Identity::Email(_) => "email",
        Identity::Sms(_) => "phone_number",
    };
    let mut fields: Vec<(&'static str, Json)> = vec![
        ("client_id", options.client_id.as_str().into()),
        ("connection", identity.connection().into()),
        (identifier_field, identity.value().into()),
    ];
    match (send.unwrap_or("code"), link) {
        ("code", _) => fields.push(("send", "code".into())),
        ("link", Some(secrets)) => {
            let redirect_uri = options.redirect_uri.as_deref().ok_or_else(|| {
                SdkError::invalid_options("redirectUri is required to send a magic link")
            })?;
            let mut params: Vec<(&'static str, Json)> = vec![
                ("response_type", "code".into()),
                ("redirect_uri", redirect_uri.into()),
                ("scope", options.scope.as_str().into()),
                ("state", secrets.state.as_str().into()),
                ("nonce", secrets.nonce.as_str().into()),
            ];
            if let Some(audience) = &options.audience {
                params.push(("audience", audience.as_str().into()));
            }
            fields.push(("send", "link".into()));
            fields.push(("authParams", Json::Object(params)));
        }
        ("link", None) => {
            return Err(SdkError::invalid_input(
                "a magic link needs its state and nonce",
            ))
        }
        _ => return Err(SdkError::invalid_input("send must be \"code\" or \"link\"")),
    }
    let mut call = Call::post("/passwordless/start", fields);
    call.language = options.language.clone();
    Ok(call)
}

/// `POST /oauth/token` with the passwordless OTP grant.
pub fn verify(
    options: &ClientOptions,
    identity: &Identity,
    code: Option<&str>,
) -> Result<Call, SdkError> {
    let code = input::code(code, options.code_length, "code")?;
    let mut fields: Vec<(&'static str, Json)> = vec![
        ("grant_type", GRANT_PASSWORDLESS_OTP.into()),
        ("client_id", options.client_id.as_str().into()),
        ("username", identity.value().into()),
        ("otp", code.into()),
        ("realm", identity.connection().into()),
        ("scope", options.scope.as_str().into()),
    ];
    if let Some(audience) = &options.audience {
        fields.push(("audience", audience.as_str().into()));
    }
    Ok(Call::post("/oauth/token", fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::RawOptions;

    fn options(redirect: Option<&str>) -> ClientOptions {
        ClientOptions::parse(RawOptions {
            domain: Some("http://127.0.0.1:8080".into()),
            client_id: Some("demo-client".into()),
            redirect_uri: redirect.map(str::to_owned),
            language: Some("fr".into()),
            ..RawOptions::default()
        })
        .unwrap()
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
        assert_eq!(call.field("send"), Some("code"));
        assert_eq!(call.field("email"), Some("ada@example.com"));
        assert_eq!(call.field("client_secret"), None);
        assert_eq!(call.language.as_deref(), Some("fr"));
        let sms = start(
            &options(None),
            &Identity::Sms("+14155550100".into()),
            Some("code"),
            None,
        )
        .unwrap();
        assert_eq!(
            (sms.field("connection"), sms.field("phone_number")),
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
        let params = call.body.as_ref().unwrap().get("authParams").unwrap();
        for (key, value) in [
            ("response_type", "code"),
            ("state", "s1"),
            ("nonce", "n1"),
            ("redirect_uri", "https://app.example.com/"),
        ] {
            assert_eq!(params.get(key).and_then(Json::as_str), Some(value), "{key}");
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
        assert_eq!(call.field("grant_type"), Some(GRANT_PASSWORDLESS_OTP));
        assert_eq!(call.field("realm"), Some("sms"));
        assert_eq!(call.field("username"), Some("+14155550100"));
        assert_eq!(call.field("scope"), Some("openid profile email"));
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
