//! The magic link's callback: what the address bar says, checked against what this browser
//! kept when it asked for the link, and the code exchange.

use alloc::borrow::ToOwned;
use alloc::string::String;

use passwordless_wire::GRANT_AUTHORIZATION_CODE;

use super::Call;
use crate::error::{codes, SdkError};
use crate::json::write::Object;
use crate::json::Value;
use crate::options::ClientOptions;

/// What came back in the callback's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Code {
        code: String,
        state: String,
    },
    Error {
        error: String,
        description: String,
        state: Option<String>,
    },
}

/// Reads the callback's query parameters (`{code, state, error, error_description}`, as the
/// JS shell took them from the URL); `None` when this is not a callback.
pub fn read_callback(params: &Value<'_>) -> Option<Callback> {
    let get = |name: &str| params.get(name).as_str().map(str::to_owned);
    if let Some(error) = get("error") {
        return Some(Callback::Error {
            error,
            description: get("error_description").unwrap_or_default(),
            state: get("state"),
        });
    }
    match (get("code"), get("state")) {
        (Some(code), Some(state)) => Some(Callback::Code { code, state }),
        _ => None,
    }
}

pub fn state_mismatch() -> SdkError {
    SdkError::new(
        codes::STATE_MISMATCH,
        "This sign-in link was opened in another browser or tab than the one that asked for it, or was already used: ask for a new link here.",
    )
}

/// `POST /oauth/token` exchanging the link's code.
pub fn exchange(options: &ClientOptions<'_>, code: &str, redirect_uri: &str) -> Call {
    let mut body = String::new();
    let mut fields = Object::new(&mut body);
    fields.str("grant_type", GRANT_AUTHORIZATION_CODE);
    fields.str("client_id", options.client_id);
    fields.str("code", code);
    fields.str("redirect_uri", redirect_uri);
    fields.end();
    Call::post("/oauth/token", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::json::parse;

    fn read(json: &str) -> Option<Callback> {
        read_callback(&parse(json).unwrap())
    }

    #[test]
    fn callbacks_are_recognised() {
        assert_eq!(
            read(r#"{"code":"c","state":"s"}"#),
            Some(Callback::Code {
                code: "c".into(),
                state: "s".into()
            })
        );
        assert!(matches!(
            read(r#"{"error":"access_denied","state":"s"}"#),
            Some(Callback::Error { .. })
        ));
        assert_eq!(
            read(r#"{"code":"c"}"#),
            None,
            "a code without state is not ours"
        );
        assert_eq!(read(r#"{}"#), None);
    }
}
