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
/// The passkey grant of `POST /oauth/token` (Auth0's Passkey APIs for embedded applications):
/// `auth_session` from `/passkey/register` or `/passkey/challenge`, and `authn_response`, the
/// browser's credential as a JSON object (so this grant is always sent as JSON).
pub const GRANT_WEBAUTHN: &str = "urn:okta:params:oauth:grant-type:webauthn";

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
pub const GRANTS: [(&str, &[&str]); 7] = [
    (
        GRANT_PASSWORDLESS_OTP,
        &["username", "otp", "realm", "scope", "audience"],
    ),
    (GRANT_AUTHORIZATION_CODE, &["code", "redirect_uri"]),
    // `audience` asks a token for another API from the same refresh token (Auth0's
    // multi-resource refresh tokens): how `passkeys.add()` gets a My Account API token.
    (GRANT_REFRESH_TOKEN, &["refresh_token", "scope", "audience"]),
    (GRANT_MFA_OTP, &["mfa_token", "otp"]),
    (GRANT_MFA_OOB, &["mfa_token", "oob_code", "binding_code"]),
    (GRANT_MFA_RECOVERY_CODE, &["mfa_token", "recovery_code"]),
    (
        GRANT_WEBAUTHN,
        &[
            "auth_session",
            "authn_response",
            "realm",
            "scope",
            "audience",
        ],
    ),
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

/// `POST /passkey/register`: signs a new user up with a passkey. Besides the credentials:
/// the connection (`realm`) and `user_profile`, whose fields are [`PASSKEY_PROFILE_FIELDS`].
/// Answers `auth_session` and `authn_params_public_key` (the
/// `PublicKeyCredentialCreationOptions`, binary fields in base64url).
pub const PASSKEY_REGISTER_PATH: &str = "/passkey/register";
pub const PASSKEY_REGISTER_FIELDS: [&str; 2] = ["realm", "user_profile"];
/// The fields of `user_profile`: the email or the phone number, and an optional name.
pub const PASSKEY_PROFILE_FIELDS: [&str; 3] = ["email", "phone_number", "name"];
/// `POST /passkey/challenge`: a sign-in with a passkey. Answers `auth_session` and
/// `authn_params_public_key` (the `PublicKeyCredentialRequestOptions`).
pub const PASSKEY_CHALLENGE_PATH: &str = "/passkey/challenge";
pub const PASSKEY_CHALLENGE_FIELDS: [&str; 1] = ["realm"];

/// Auth0's My Account API: the audience of the user's own token, relative to the issuer
/// (`https://TENANT/me/`), and the scope that enrols a passkey.
pub const MY_ACCOUNT_AUDIENCE_PATH: &str = "me/";
pub const MY_ACCOUNT_ENROL_SCOPE: &str = "create:me:authentication_methods";
/// `POST /me/v1/authentication-methods` with `{"type": "passkey"}` (Bearer: the user's My
/// Account token) answers `201`, a `Location` of the new method, `auth_session` and
/// `authn_params_public_key`; `POST {Location}/verify` with `auth_session` and
/// `authn_response` saves the passkey.
pub const MY_ACCOUNT_METHODS_PATH: &str = "/me/v1/authentication-methods";
pub const MY_ACCOUNT_ENROL_FIELDS: [&str; 3] = ["type", "connection", "identity_user_id"];
pub const MY_ACCOUNT_VERIFY_FIELDS: [&str; 2] = ["auth_session", "authn_response"];
/// The one authentication-method type a browser may enrol through the relay.
pub const METHOD_PASSKEY: &str = "passkey";

/// The header in which a confidential client tells Auth0 the end user's IP.
pub const FORWARDED_FOR_HEADER: &str = "auth0-forwarded-for";
