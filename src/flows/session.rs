//! A signed-in session kept by the client: when it must be renewed, how it is renewed (the
//! refresh-token grant) and ended (revoking the refresh token), and where it is cached.

use passwordless_wire::GRANT_REFRESH_TOKEN;

use super::{Body, Call};
use crate::error::{codes, server_codes, SdkError};
use crate::given::Given;
use crate::options::Options;

/// `getSession()` renews a session this many seconds before its ID token expires.
pub const RENEW_BEFORE_SECS: f64 = 60.0;

/// What the client needs to know of a session it keeps (read from the page's `Session`).
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub claims: HeldClaims,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeldClaims {
    /// The ID token's expiry, seconds since the epoch.
    pub exp: f64,
}

/// What `getSession()` does with a kept session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Hand it out as it is.
    Fresh,
    /// Renew it first (it expires soon, and can be renewed); while it has not expired it
    /// may still be handed out if renewing fails for want of a network.
    Renew,
    /// Its ID token has expired and it cannot be renewed: the user is signed out.
    Expired,
}

impl Held {
    /// The page's `Session` read back: `member` reads its members, `exp` is its claims'
    /// `exp`; `None` without one.
    pub fn read(member: impl Fn(&'static str) -> Given, exp: Given) -> Option<Self> {
        Some(Self {
            access_token: member("accessToken").into_text().unwrap_or_default(),
            refresh_token: member("refreshToken").into_text(),
            claims: HeldClaims { exp: exp.number()? },
        })
    }

    pub fn freshness(&self, now: f64) -> Freshness {
        let exp = self.claims.exp;
        match (
            now < exp - RENEW_BEFORE_SECS,
            now < exp,
            self.refresh_token.is_some(),
        ) {
            (true, _, _) => Freshness::Fresh,
            (false, _, true) => Freshness::Renew,
            (false, true, false) => Freshness::Fresh,
            (false, false, false) => Freshness::Expired,
        }
    }

    pub fn expired(&self, now: f64) -> bool {
        now >= self.claims.exp
    }
}

/// `POST /oauth/token` with the refresh-token grant.
fn refresh_grant(options: &Options, refresh_token: &str) -> Body {
    Body::new()
        .text("grant_type", GRANT_REFRESH_TOKEN)
        .text("client_id", options.client_id.clone())
        .text("refresh_token", String::from(refresh_token))
}

pub fn refresh(options: &Options, refresh_token: &str) -> Call {
    Call::post("/oauth/token", refresh_grant(options, refresh_token))
}

/// A token for `audience` with `scope`, from the session's refresh token (the session stays
/// as it is): a multi-resource refresh token's grant for another API of the user's.
pub fn token_for(
    options: &Options,
    refresh_token: &str,
    audience: String,
    scope: &'static str,
) -> Call {
    let grant = refresh_grant(options, refresh_token)
        .text("audience", audience)
        .text("scope", scope);
    Call::post("/oauth/token", grant)
}

/// `POST /oauth/revoke`: ends the refresh token (the relay adds its secret).
pub fn revoke(options: &Options, refresh_token: &str) -> Call {
    let body = Body::new()
        .text("client_id", options.client_id.clone())
        .text("token", String::from(refresh_token));
    Call::post("/oauth/revoke", body)
}

/// The Web Storage key of the session cached for `client_id` (`cacheLocation: "localstorage"`).
pub fn cache_key(client_id: &str) -> String {
    String::from("passwordless.session.") + client_id
}

pub fn no_session() -> SdkError {
    SdkError::new(
        codes::NO_SESSION,
        "There is no session to renew: sign in (with the offline_access scope to renew it).",
    )
}

/// A refresh the server refused: the session is over.
pub fn refresh_refused(error: &SdkError) -> bool {
    error.code == server_codes::INVALID_GRANT || error.code == server_codes::ACCESS_DENIED
}

pub fn session_expired(refused: SdkError) -> SdkError {
    let mut error = SdkError::new(
        codes::SESSION_EXPIRED,
        "The session has ended (its refresh token was refused): please sign in again.",
    );
    error.status = refused.status;
    error
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::error::WireError;
    use crate::flows::tests::{body, members, options};

    fn held(exp: f64, refresh_token: Option<&str>) -> Held {
        Held {
            access_token: "at".into(),
            refresh_token: refresh_token.map(Into::into),
            claims: HeldClaims { exp },
        }
    }

    #[test]
    fn a_session_is_renewed_shortly_before_it_expires_and_never_handed_out_expired() {
        assert_eq!(held(1000.0, Some("rt")).freshness(900.0), Freshness::Fresh);
        assert_eq!(held(1000.0, Some("rt")).freshness(950.0), Freshness::Renew);
        assert_eq!(held(1000.0, Some("rt")).freshness(2000.0), Freshness::Renew);
        assert_eq!(held(1000.0, None).freshness(950.0), Freshness::Fresh);
        assert_eq!(held(1000.0, None).freshness(1000.0), Freshness::Expired);
        assert!(held(1000.0, Some("rt")).expired(1000.0));
        assert!(!held(1000.0, Some("rt")).expired(999.0));
    }

    #[test]
    fn the_page_session_is_read_for_what_the_client_needs() {
        let read = |page: serde_json::Value| {
            let exp = page["claims"].get("exp").map_or(Given::Absent, |exp| {
                serde_json::from_value(exp.clone()).unwrap()
            });
            Held::read(members(page), exp)
        };
        let page =
            json!({"accessToken": "at", "refreshToken": "rt", "claims": {"exp": 1000, "sub": "u"}});
        assert_eq!(read(page), Some(held(1000.0, Some("rt"))));
        let without = json!({"accessToken": "at", "claims": {"exp": 1000}});
        assert_eq!(read(without), Some(held(1000.0, None)));
        assert_eq!(read(json!({"claims": {}})), None);
        assert_eq!(read(json!({"claims": {"exp": "later"}})), None);
    }

    #[test]
    fn refresh_and_revoke_send_only_the_refresh_token_and_the_client() {
        let options = options(None);
        assert_eq!(
            body(&refresh(&options, "rt1")),
            json!({"grant_type": "refresh_token", "client_id": "demo-client", "refresh_token": "rt1"})
        );
        let revoke = revoke(&options, "rt1");
        assert_eq!(revoke.path, "/oauth/revoke");
        assert_eq!(
            body(&revoke),
            json!({"client_id": "demo-client", "token": "rt1"})
        );
        assert_eq!(cache_key("demo-client"), "passwordless.session.demo-client");
    }

    #[test]
    fn a_refused_refresh_ends_the_session_with_its_own_code() {
        let refused = SdkError::from_wire(
            403,
            WireError {
                error: Some("invalid_grant".into()),
                ..WireError::default()
            },
            None,
        );
        assert!(refresh_refused(&refused));
        assert!(!refresh_refused(&SdkError::network()));
        let ended = session_expired(refused);
        assert_eq!(
            (ended.code.as_ref(), ended.status),
            ("session_expired", Some(403))
        );
    }
}
