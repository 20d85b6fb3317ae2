//! The passwordless flows as data: what to send for each step. No I/O here; the bindings
//! turn a [`Call`] into a `fetch` and its answer back into a result.

use passwordless_wire::GRANT_PASSWORDLESS_OTP;

use crate::error::SdkError;
use crate::input;
use crate::options::ClientOptions;

/// One request to the relay: a path and the fields of its JSON body (all strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub path: &'static str,
    pub fields: Vec<(&'static str, String)>,
}

/// `start()`'s parameters as they arrive from JavaScript.
#[derive(Debug, Default, Clone)]
pub struct StartParams {
    pub connection: Option<String>,
    pub email: Option<String>,
    pub send: Option<String>,
}

/// `verify()`'s parameters as they arrive from JavaScript.
#[derive(Debug, Default, Clone)]
pub struct VerifyParams {
    pub connection: Option<String>,
    pub email: Option<String>,
    pub code: Option<String>,
}

const CODE_LENGTH: usize = 6;

fn email_connection(connection: Option<&str>) -> Result<(), SdkError> {
    match connection {
        Some("email") => Ok(()),
        Some("sms") => Err(SdkError::invalid_input(
            "connection \"sms\" is not supported by this version of the SDK yet",
        )),
        _ => Err(SdkError::invalid_input("connection must be \"email\"")),
    }
}

/// `POST /passwordless/start` sending a one-time code by email.
pub fn start(options: &ClientOptions, params: &StartParams) -> Result<Call, SdkError> {
    email_connection(params.connection.as_deref())?;
    let email = input::email(params.email.as_deref())?;
    match params.send.as_deref() {
        None | Some("code") => {}
        Some("link") => {
            return Err(SdkError::invalid_input(
                "send \"link\" is not supported by this version of the SDK yet; use \"code\"",
            ))
        }
        Some(_) => return Err(SdkError::invalid_input("send must be \"code\" or \"link\"")),
    }
    Ok(Call {
        path: "/passwordless/start",
        fields: vec![
            ("client_id", options.client_id.clone()),
            ("connection", "email".into()),
            ("email", email),
            ("send", "code".into()),
        ],
    })
}

/// `POST /oauth/token` with the passwordless OTP grant.
pub fn verify(options: &ClientOptions, params: &VerifyParams) -> Result<Call, SdkError> {
    email_connection(params.connection.as_deref())?;
    let email = input::email(params.email.as_deref())?;
    let code = input::code(params.code.as_deref(), CODE_LENGTH)?;
    Ok(Call {
        path: "/oauth/token",
        fields: vec![
            ("grant_type", GRANT_PASSWORDLESS_OTP.into()),
            ("client_id", options.client_id.clone()),
            ("username", email),
            ("otp", code),
            ("realm", "email".into()),
            ("scope", options.scope.clone()),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::RawOptions;

    fn options() -> ClientOptions {
        ClientOptions::parse(RawOptions {
            domain: Some("http://127.0.0.1:8080".into()),
            client_id: Some("demo-client".into()),
            ..RawOptions::default()
        })
        .unwrap()
    }

    #[test]
    fn start_sends_a_code_by_email_and_never_a_secret() {
        let call = start(
            &options(),
            &StartParams {
                connection: Some("email".into()),
                email: Some(" ada@example.com".into()),
                send: Some("code".into()),
            },
        )
        .unwrap();
        assert_eq!(call.path, "/passwordless/start");
        assert_eq!(
            call.fields,
            vec![
                ("client_id", "demo-client".to_owned()),
                ("connection", "email".into()),
                ("email", "ada@example.com".into()),
                ("send", "code".into()),
            ]
        );
    }

    #[test]
    fn verify_uses_the_otp_grant_with_the_email_realm() {
        let call = verify(
            &options(),
            &VerifyParams {
                connection: Some("email".into()),
                email: Some("ada@example.com".into()),
                code: Some("123456".into()),
            },
        )
        .unwrap();
        assert_eq!(call.path, "/oauth/token");
        let field = |name| {
            call.fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(field("grant_type"), Some(GRANT_PASSWORDLESS_OTP));
        assert_eq!(field("realm"), Some("email"));
        assert_eq!(field("otp"), Some("123456"));
        assert_eq!(field("scope"), Some("openid profile email"));
        assert_eq!(field("client_secret"), None);
    }

    #[test]
    fn bad_parameters_are_refused_before_the_network() {
        let bad_connection = StartParams {
            connection: Some("github".into()),
            email: Some("a@b.co".into()),
            send: None,
        };
        assert_eq!(
            start(&options(), &bad_connection).unwrap_err().code,
            "invalid_input"
        );
        let bad_send = StartParams {
            connection: Some("email".into()),
            email: Some("a@b.co".into()),
            send: Some("pigeon".into()),
        };
        assert!(start(&options(), &bad_send)
            .unwrap_err()
            .description
            .starts_with("send"));
        let bad_code = VerifyParams {
            connection: Some("email".into()),
            email: Some("a@b.co".into()),
            code: Some("12".into()),
        };
        assert!(verify(&options(), &bad_code)
            .unwrap_err()
            .description
            .starts_with("code"));
    }
}
