//! The magic link's callback: what the address bar says, checked against what this browser
//! kept when it asked for the link, and the code exchange.

use passwordless_wire::GRANT_AUTHORIZATION_CODE;

use super::Call;
use crate::error::{codes, SdkError};
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

/// Reads the callback's query parameters; `None` when this is not a callback.
pub fn read_callback(params: &[(String, String)]) -> Option<Callback> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
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
        "This sign-in link does not belong to this browser tab: it was opened in another browser or tab than the one that asked for it, or it was already used. Ask for a new link here.",
    )
}

/// `POST /oauth/token` exchanging the link's code.
pub fn exchange(options: &ClientOptions, code: &str, redirect_uri: &str) -> Call {
    Call::post(
        "/oauth/token",
        vec![
            ("grant_type", GRANT_AUTHORIZATION_CODE.into()),
            ("client_id", options.client_id.as_str().into()),
            ("code", code.into()),
            ("redirect_uri", redirect_uri.into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn callbacks_are_recognised() {
        assert_eq!(
            read_callback(&pairs(&[("code", "c"), ("state", "s")])),
            Some(Callback::Code {
                code: "c".into(),
                state: "s".into()
            })
        );
        assert!(matches!(
            read_callback(&pairs(&[("error", "access_denied"), ("state", "s")])),
            Some(Callback::Error { .. })
        ));
        assert_eq!(
            read_callback(&pairs(&[("code", "c")])),
            None,
            "a code without state is not ours"
        );
        assert_eq!(read_callback(&pairs(&[("page", "2")])), None);
    }
}
