//! The magic link's callback: what the address bar says, checked against what this browser
//! kept when it asked for the link, and the code exchange.

use passwordless_wire::GRANT_AUTHORIZATION_CODE;
use serde::{Deserialize, Serialize};

use super::{Body, Call};
use crate::error::{codes, SdkError, WireError};
use crate::options::Options;

/// The callback's query parameters, as the bindings read them from the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// The names of [`CallbackParams`] in the URL (removed from the address bar afterwards).
pub const CALLBACK_PARAMS: [&str; 4] = ["code", "state", "error", "error_description"];

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Code {
        code: String,
        state: String,
    },
    Error {
        error: SdkError,
        state: Option<String>,
    },
}

impl CallbackParams {
    /// `None` when this is not a magic link's callback.
    pub fn read(self) -> Option<Callback> {
        if let Some(error) = self.error {
            let wire = WireError {
                error: Some(error),
                error_description: self.error_description,
                ..WireError::default()
            };
            return Some(Callback::Error {
                error: SdkError::from_wire(0, wire, None).without_status(),
                state: self.state,
            });
        }
        match (self.code, self.state) {
            (Some(code), Some(state)) => Some(Callback::Code { code, state }),
            _ => None,
        }
    }
}

impl Callback {
    /// The `state` whose transaction the callback uses up, success or not.
    pub fn state(&self) -> Option<&str> {
        match self {
            Callback::Code { state, .. } => Some(state),
            Callback::Error { state, .. } => state.as_deref(),
        }
    }
}

/// What this browser keeps from `start({send: "link"})` until the callback, as JSON under
/// [`transaction_key`] in Web Storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub nonce: String,
    pub redirect_uri: String,
}

/// The Web Storage key of the transaction for `state`.
pub fn transaction_key(state: &str) -> String {
    String::from("passwordless.link.") + state
}

pub fn not_a_callback() -> SdkError {
    SdkError::new(
        codes::NOT_A_CALLBACK,
        "This address is not a magic link's callback.",
    )
}

pub fn state_mismatch() -> SdkError {
    SdkError::new(
        codes::STATE_MISMATCH,
        "This sign-in link was opened in another browser or tab than the one that asked for it, or was already used: ask for a new link here.",
    )
}

/// `POST /oauth/token` exchanging the link's code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeGrant {
    pub grant_type: &'static str,
    pub client_id: String,
    pub code: String,
    pub redirect_uri: String,
}

/// The exchange for `callback`, given the transaction found under its state (if any): the call
/// and the nonce the ID token must carry.
pub fn exchange(
    options: &Options,
    callback: Callback,
    saved: Option<Transaction>,
) -> Result<(Call, String), SdkError> {
    let code = match callback {
        Callback::Error { error, .. } => return Err(error),
        Callback::Code { code, .. } => code,
    };
    let saved = saved.ok_or_else(state_mismatch)?;
    let grant = CodeGrant {
        grant_type: GRANT_AUTHORIZATION_CODE,
        client_id: options.client_id.clone(),
        code,
        redirect_uri: saved.redirect_uri,
    };
    Ok((Call::post("/oauth/token", Body::Code(grant)), saved.nonce))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::tests::{body, options};

    fn params(code: Option<&str>, state: Option<&str>, error: Option<&str>) -> CallbackParams {
        CallbackParams {
            code: code.map(Into::into),
            state: state.map(Into::into),
            error: error.map(Into::into),
            error_description: error.map(|_| "Expired.".into()),
        }
    }

    #[test]
    fn callbacks_are_recognised() {
        assert_eq!(
            params(Some("c"), Some("s"), None).read(),
            Some(Callback::Code {
                code: "c".into(),
                state: "s".into()
            })
        );
        let Some(Callback::Error { error, state }) =
            params(None, Some("s"), Some("access_denied")).read()
        else {
            panic!("an error callback");
        };
        assert_eq!(
            (error.code.as_ref(), error.description.as_ref()),
            ("access_denied", "Expired.")
        );
        assert_eq!((error.status, state.as_deref()), (None, Some("s")));
        assert!(
            params(None, None, Some("x")).read().is_some(),
            "an error without state"
        );
        assert_eq!(
            params(Some("c"), None, None).read(),
            None,
            "a code without state is not ours"
        );
        assert_eq!(CallbackParams::default().read(), None);
    }

    #[test]
    fn an_error_callback_without_state_or_description_still_says_what_came_back() {
        let bare = CallbackParams {
            error: Some("access_denied".into()),
            ..CallbackParams::default()
        };
        let callback = bare.read().unwrap();
        assert_eq!(callback.state(), None);
        let Callback::Error { error, .. } = callback else {
            panic!("an error callback");
        };
        assert_eq!(
            (error.code.as_ref(), error.description.as_ref()),
            ("access_denied", "")
        );
    }

    #[test]
    fn a_stored_transaction_reads_back() {
        let saved = Transaction {
            nonce: "n".into(),
            redirect_uri: "https://x.com/".into(),
        };
        let text = serde_json::to_string(&saved).unwrap();
        assert_eq!(serde_json::from_str::<Transaction>(&text).unwrap(), saved);
        assert!(
            serde_json::from_str::<Transaction>(r#"{"nonce":"n"}"#).is_err(),
            "half a transaction"
        );
    }

    #[test]
    fn the_exchange_needs_this_browsers_transaction() {
        let saved = Transaction {
            nonce: "n1".into(),
            redirect_uri: "http://127.0.0.1:8080/cb".into(),
        };
        let text = serde_json::to_string(&saved).unwrap();
        assert_eq!(
            text,
            r#"{"nonce":"n1","redirectUri":"http://127.0.0.1:8080/cb"}"#
        );
        let callback = params(Some("c1"), Some("s1"), None).read().unwrap();
        assert_eq!(
            transaction_key(callback.state().unwrap()),
            "passwordless.link.s1"
        );
        let (call, nonce) = exchange(&options(None), callback.clone(), Some(saved)).unwrap();
        assert_eq!(nonce, "n1");
        let sent = body(&call);
        assert_eq!(sent["grant_type"], "authorization_code");
        assert_eq!(
            (sent["code"].as_str(), sent["redirect_uri"].as_str()),
            (Some("c1"), Some("http://127.0.0.1:8080/cb"))
        );
        assert_eq!(
            exchange(&options(None), callback, None).unwrap_err().code,
            "state_mismatch"
        );
        let denied = params(None, Some("s1"), Some("access_denied"))
            .read()
            .unwrap();
        assert_eq!(
            exchange(&options(None), denied, None).unwrap_err().code,
            "access_denied"
        );
    }
}
