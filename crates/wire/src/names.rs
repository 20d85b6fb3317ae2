//! The contract's names: connections, what `send` may ask for, the grants of `/oauth/token`,
//! and the fields each request carries. `no_std` constants, so the SDK shares them.

/// `connection` of `/passwordless/start` and `realm` of the OTP grant.
pub const CONNECTION_EMAIL: &str = "email";
pub const CONNECTION_SMS: &str = "sms";

/// `send` of `/passwordless/start`.
pub const SEND_CODE: &str = "code";
pub const SEND_LINK: &str = "link";

/// The passwordless one-time-code grant of `POST /oauth/token`.
pub const GRANT_PASSWORDLESS_OTP: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";
/// The authorization-code grant (a magic link with `response_type=code`).
pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
/// The refresh-token grant.
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";
/// The MFA grants of `POST /oauth/token`.
pub const GRANT_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_MFA_RECOVERY_CODE: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

/// The fields of `/passwordless/start` that a browser sends (the credentials come from the
/// relay).
pub const START_FIELDS: [&str; 5] = ["connection", "email", "phone_number", "send", "authParams"];

/// The `authParams` a browser may set on a magic link.
pub const AUTH_PARAMS: [&str; 7] = [
    "scope",
    "state",
    "nonce",
    "redirect_uri",
    "response_type",
    "audience",
    "ui_locales",
];

/// Each grant a browser may use, with the fields it carries besides `grant_type` and the
/// credentials.
pub const GRANTS: [(&str, &[&str]); 6] = [
    (
        GRANT_PASSWORDLESS_OTP,
        &["username", "otp", "realm", "scope", "audience"],
    ),
    (GRANT_AUTHORIZATION_CODE, &["code", "redirect_uri"]),
    (GRANT_REFRESH_TOKEN, &["refresh_token", "scope"]),
    (GRANT_MFA_OTP, &["mfa_token", "otp"]),
    (GRANT_MFA_OOB, &["mfa_token", "oob_code", "binding_code"]),
    (GRANT_MFA_RECOVERY_CODE, &["mfa_token", "recovery_code"]),
];

/// The fields of a grant, or `None` for a grant a browser may not use.
pub fn grant_fields(grant: &str) -> Option<&'static [&'static str]> {
    GRANTS.iter().find(|(g, _)| *g == grant).map(|(_, f)| *f)
}

/// The fields of `POST /mfa/challenge` besides the credentials.
pub const CHALLENGE_FIELDS: [&str; 3] = ["mfa_token", "challenge_type", "authenticator_id"];

/// The fields of `POST /mfa/associate` (its `mfa_token` comes as a Bearer token).
pub const ASSOCIATE_FIELDS: [&str; 4] = [
    "authenticator_types",
    "oob_channels",
    "phone_number",
    "email",
];

/// The fields of `POST /oauth/revoke` besides the credentials.
pub const REVOKE_FIELDS: [&str; 1] = ["token"];

/// The header in which a confidential client tells Auth0 the end user's IP.
pub const FORWARDED_FOR_HEADER: &str = "auth0-forwarded-for";
