//! `POST /passwordless/start`: the request a browser (through the relay) sends, and the two
//! answers, one per connection.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of `/passwordless/start`. The relay adds `client_id` and `client_secret`; a
/// browser sends the rest (`names::START_FIELDS`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordlessStart {
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_secret: Option<String>,
    /// `email` or `sms`.
    pub connection: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<String>,
    /// E.164.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phone_number: Option<String>,
    /// `code` or `link` (Auth0 emails a link when it is absent).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub send: Option<String>,
    /// For links: `scope`, `state`, `nonce`, `redirect_uri`, … (`names::AUTH_PARAMS`).
    #[serde(
        rename = "authParams",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub auth_params: Option<Map<String, Value>>,
}

/// The answer to a start: one shape per connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Started {
    Email(EmailStarted),
    Sms(SmsStarted),
}

/// The answer to an email start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailStarted {
    #[serde(rename = "_id")]
    pub id: String,
    pub email: String,
    pub email_verified: bool,
}

/// The answer to an SMS start; `request_language` is `null` when the call named none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsStarted {
    #[serde(rename = "_id")]
    pub id: String,
    pub phone_number: String,
    pub phone_verified: bool,
    pub request_language: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::START_FIELDS;
    use crate::test_support::{keys_of, set};

    #[test]
    fn a_start_carries_the_browsers_fields_and_the_credentials() {
        let s = || Some("x".to_owned());
        let start = PasswordlessStart {
            client_id: "app".into(),
            client_secret: s(),
            connection: "email".into(),
            email: s(),
            phone_number: s(),
            send: s(),
            auth_params: Some(Map::new()),
        };
        let mut want = set(&START_FIELDS);
        want.extend(set(&["client_id", "client_secret"]));
        assert_eq!(keys_of(&start), want);
    }

    #[test]
    fn the_answers_are_auth0s() {
        let sms = SmsStarted {
            id: "u1".into(),
            phone_number: "+14155550100".into(),
            phone_verified: false,
            request_language: None,
        };
        assert_eq!(
            serde_json::to_value(&sms).unwrap(),
            serde_json::json!({"_id": "u1", "phone_number": "+14155550100",
                               "phone_verified": false, "request_language": null})
        );
        let email: Started =
            serde_json::from_str(r#"{"_id":"u2","email":"a@b.co","email_verified":false}"#)
                .unwrap();
        assert!(matches!(email, Started::Email(EmailStarted { id, .. }) if id == "u2"));
    }
}
