//! The error codes of the contract (`{"error": CODE, …}`), once for the SDK, the relay and the
//! local tenant. [`with_error_codes!`] hands the list to another macro, so that the SDK can
//! publish it as a TypeScript union without writing it again.

/// Calls `$callback! { TOKENS… server { $(#[doc] NAME = "code",)* } }`: the tokens given, then
/// every error code a relay or an identity provider may answer.
#[macro_export]
macro_rules! with_error_codes {
    ($callback:ident ! { $($before:tt)* }) => {
        $callback! {
            $($before)*
            server {
                /// The code, link or token is wrong, used or expired.
                INVALID_GRANT = "invalid_grant",
                /// A field is missing or malformed.
                INVALID_REQUEST = "invalid_request",
                /// The user or the client is refused (a link opened too late, a push denied).
                ACCESS_DENIED = "access_denied",
                /// Too many calls: wait `Retry-After` seconds.
                TOO_MANY_REQUESTS = "too_many_requests",
                /// Too many wrong codes for one login: start again.
                TOO_MANY_ATTEMPTS = "too_many_attempts",
                /// The account has a second factor: the answer carries `mfa_token`.
                MFA_REQUIRED = "mfa_required",
                /// The `mfa_token` (or a push) has expired.
                EXPIRED_TOKEN = "expired_token",
                /// A push is not answered yet: poll again after the interval.
                AUTHORIZATION_PENDING = "authorization_pending",
                /// Polled too fast: poll 5 seconds slower.
                SLOW_DOWN = "slow_down",
                UNSUPPORTED_CHALLENGE_TYPE = "unsupported_challenge_type",
                /// The user must enrol a factor first.
                ASSOCIATION_REQUIRED = "association_required",
                /// The client may not use this grant or connection.
                UNAUTHORIZED_CLIENT = "unauthorized_client",
                UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type",
                UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type",
                /// A bearer token (`mfa_token`, access token) is missing or wrong.
                INVALID_TOKEN = "invalid_token",
                /// An `/mfa/*` call came without its `Authorization: Bearer MFA_TOKEN`.
                UNAUTHORIZED = "unauthorized",
                /// A passkey sign-up for an email or phone number that already has an
                /// account: sign in with a code, then add a passkey.
                USER_EXISTS = "user_exists",
                BAD_EMAIL = "bad.email",
                BAD_PHONE_NUMBER = "bad.phone_number",
                /// The connection is unknown or not enabled.
                BAD_CONNECTION = "bad.connection",
                BAD_CLIENT_ID = "bad.client_id",
                BAD_AUTH_PARAMS = "bad.authParams",
                /// The body is not what the endpoint takes (not JSON, a key given twice, …).
                BAD_REQUEST = "bad.request",
                /// The SMS could not be sent.
                SMS_PROVIDER_ERROR = "sms_provider_error",
                /// The relay does not serve that path.
                NOT_FOUND = "not_found",
                /// The body is neither JSON nor a form.
                UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type",
                PAYLOAD_TOO_LARGE = "payload_too_large",
                /// The whole request took longer than the relay allows.
                REQUEST_TIMEOUT = "request_timeout",
                /// The relay could not reach the identity provider.
                UPSTREAM_UNAVAILABLE = "upstream_unavailable",
                /// The identity provider did not answer in time.
                UPSTREAM_TIMEOUT = "upstream_timeout",
                /// The identity provider refused the call (a 4xx) but not in the API's error
                /// shape; `error_description` carries its message.
                UPSTREAM_REFUSED = "upstream_refused",
                SERVER_ERROR = "server_error",
            }
        }
    };
}

macro_rules! constants {
    (server { $($(#[$doc:meta])* $name:ident = $code:literal,)* }) => {
        $($(#[$doc])* pub const $name: &str = $code;)*
        /// Every code above.
        pub const ALL: &[&str] = &[$($code,)*];
    };
}

with_error_codes!(constants! {});

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_distinct_and_plain() {
        for (i, code) in super::ALL.iter().enumerate() {
            assert!(!super::ALL[..i].contains(code), "{code} twice");
            assert!(code
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'.'));
        }
        assert_eq!(super::MFA_REQUIRED, "mfa_required");
    }
}
