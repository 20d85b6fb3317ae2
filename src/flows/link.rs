//! The magic link's callback: what the address bar says, checked against what this browser
//! kept when it asked for the link, and the code exchange.

use passwordless_wire::GRANT_AUTHORIZATION_CODE;

use super::{Body, Call};
use std::borrow::Cow;

use crate::error::{codes, server_codes, SdkError, WireError};
use crate::given::Given;
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
            // The identity provider refuses a used or expired link's code with access_denied.
            let error = if error == server_codes::ACCESS_DENIED {
                link_used_or_expired(self.error_description)
            } else {
                let wire = WireError {
                    error: Some(error),
                    error_description: self.error_description,
                    ..WireError::default()
                };
                SdkError::from_wire(0, wire, None).without_status()
            };
            return Some(Callback::Error {
                error,
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
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    pub nonce: String,
    pub redirect_uri: String,
    /// Seconds since the epoch when the link stops working.
    pub expires_at: f64,
    /// The page's `appState`, as JSON text.
    pub app_state: Option<String>,
}

impl Transaction {
    /// What is kept (camelCase members; `Transaction::read` reads them back).
    pub fn to_body(&self) -> Body {
        Body::new()
            .text("nonce", self.nonce.clone())
            .text("redirectUri", self.redirect_uri.clone())
            .number("expiresAt", self.expires_at)
            .maybe("appState", self.app_state.clone())
    }

    /// A kept transaction read back, member by member; `None` when it is not one.
    pub fn read(member: impl Fn(&'static str) -> Given) -> Option<Self> {
        Some(Self {
            nonce: member("nonce").into_text()?,
            redirect_uri: member("redirectUri").into_text()?,
            expires_at: member("expiresAt").number()?,
            app_state: member("appState").into_text(),
        })
    }

    pub fn expired(&self, now: f64) -> bool {
        self.expires_at <= now
    }
}

/// The start of every transaction's Web Storage key.
pub const TRANSACTION_KEY_PREFIX: &str = "passwordless.link.";

/// The Web Storage key of the transaction for `state`.
pub fn transaction_key(state: &str) -> String {
    String::from(TRANSACTION_KEY_PREFIX) + state
}

pub fn not_a_callback() -> SdkError {
    SdkError::new(
        codes::NOT_A_CALLBACK,
        "This address is not a magic link's callback.",
    )
}

pub fn link_other_browser() -> SdkError {
    SdkError::new(
        codes::LINK_OTHER_BROWSER,
        "This sign-in link was opened in another browser or device than the one that asked for it: open it there, or ask for a new link here.",
    )
}

/// `description`: the identity provider's, when it said why.
pub fn link_used_or_expired(description: Option<String>) -> SdkError {
    SdkError::new(
        codes::LINK_USED_OR_EXPIRED,
        description.filter(|d| !d.is_empty()).map_or(
            Cow::Borrowed("This sign-in link was already used or has expired: ask for a new one."),
            Cow::Owned,
        ),
    )
}

/// A callback's code exchange: the call, the nonce the ID token must carry, and the page's
/// `appState` (JSON text).
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub call: Call,
    pub nonce: String,
    pub app_state: Option<String>,
}

/// The exchange for `callback`, given the transaction found under its state (if any) and the
/// clock (seconds since the epoch).
pub fn exchange(
    options: &Options,
    callback: Callback,
    saved: Option<Transaction>,
    now: f64,
) -> Result<Exchange, SdkError> {
    let code = match callback {
        Callback::Error { error, .. } => return Err(error),
        Callback::Code { code, .. } => code,
    };
    let saved = saved.ok_or_else(link_other_browser)?;
    if saved.expired(now) {
        return Err(link_used_or_expired(None));
    }
    // `POST /oauth/token` exchanging the link's code.
    let grant = Body::new()
        .text("grant_type", GRANT_AUTHORIZATION_CODE)
        .text("client_id", options.client_id.clone())
        .text("code", code)
        .text("redirect_uri", saved.redirect_uri);
    Ok(Exchange {
        call: Call::post("/oauth/token", grant),
        nonce: saved.nonce,
        app_state: saved.app_state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::tests::{body, members, options};

    fn params(code: Option<&str>, state: Option<&str>, error: Option<&str>) -> CallbackParams {
        CallbackParams {
            code: code.map(Into::into),
            state: state.map(Into::into),
            error: error.map(Into::into),
            error_description: error.map(|_| "Expired.".into()),
        }
    }

    fn saved() -> Transaction {
        Transaction {
            nonce: "n1".into(),
            redirect_uri: "http://127.0.0.1:8080/cb".into(),
            expires_at: 1180.0,
            app_state: Some(r#"{"returnTo":"/cart"}"#.into()),
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
            ("link_used_or_expired", "Expired.")
        );
        assert_eq!((error.status, state.as_deref()), (None, Some("s")));
        let Some(Callback::Error { error, .. }) =
            params(None, Some("s"), Some("unauthorized_client")).read()
        else {
            panic!("an error callback");
        };
        assert_eq!(
            error.code, "unauthorized_client",
            "other errors pass through"
        );
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
    fn a_refused_link_without_a_description_still_says_what_happened() {
        let bare = CallbackParams {
            error: Some("access_denied".into()),
            ..CallbackParams::default()
        };
        let callback = bare.read().unwrap();
        assert_eq!(callback.state(), None);
        let Callback::Error { error, .. } = callback else {
            panic!("an error callback");
        };
        assert_eq!(error.code, "link_used_or_expired");
        assert!(error.description.contains("already used or has expired"));
    }

    #[test]
    fn a_stored_transaction_reads_back() {
        let text = serde_json::to_string(&saved().to_body()).unwrap();
        assert_eq!(
            text,
            r#"{"nonce":"n1","redirectUri":"http://127.0.0.1:8080/cb","expiresAt":1180,"appState":"{\"returnTo\":\"/cart\"}"}"#
        );
        let read = |text: &str| Transaction::read(members(serde_json::from_str(text).unwrap()));
        assert_eq!(read(&text), Some(saved()));
        assert_eq!(read(r#"{"nonce":"n"}"#), None, "half a transaction");
        assert_eq!(
            read(r#"{"nonce":"n","redirectUri":"r","expiresAt":"soon"}"#),
            None
        );
    }

    #[test]
    fn the_exchange_needs_this_browsers_live_transaction() {
        let callback = params(Some("c1"), Some("s1"), None).read().unwrap();
        assert_eq!(
            transaction_key(callback.state().unwrap()),
            "passwordless.link.s1"
        );
        let done = exchange(&options(None), callback.clone(), Some(saved()), 1000.0).unwrap();
        assert_eq!(done.nonce, "n1");
        assert_eq!(done.app_state.as_deref(), Some(r#"{"returnTo":"/cart"}"#));
        let sent = body(&done.call);
        assert_eq!(sent["grant_type"], "authorization_code");
        assert_eq!(
            (sent["code"].as_str(), sent["redirect_uri"].as_str()),
            (Some("c1"), Some("http://127.0.0.1:8080/cb"))
        );
        let elsewhere = exchange(&options(None), callback.clone(), None, 1000.0);
        assert_eq!(elsewhere.unwrap_err().code, "link_other_browser");
        let late = exchange(&options(None), callback, Some(saved()), 1180.0);
        assert_eq!(late.unwrap_err().code, "link_used_or_expired");
        let denied = params(None, Some("s1"), Some("access_denied"))
            .read()
            .unwrap();
        assert_eq!(
            exchange(&options(None), denied, Some(saved()), 1000.0)
                .unwrap_err()
                .code,
            "link_used_or_expired"
        );
    }
}
