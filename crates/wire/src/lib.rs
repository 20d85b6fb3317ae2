//! The wire types of the Auth0 Authentication API subset that the SDK, the relay and the
//! local tenant meet on (see `shared/docs/contract.md`). Serde only: no I/O, no HTTP.
//!
//! Without the default `serde` feature only the constants remain, in a `no_std` crate: that is
//! what the browser SDK uses, so that its wasm links neither std nor serde.

#![cfg_attr(not(feature = "serde"), no_std)]

#[cfg(feature = "serde")]
pub mod fields;
#[cfg(feature = "serde")]
pub mod strict_json;
#[cfg(feature = "serde")]
mod types;
#[cfg(feature = "serde")]
pub use types::*;

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

/// The header in which a confidential client tells Auth0 the end user's IP.
pub const FORWARDED_FOR_HEADER: &str = "auth0-forwarded-for";
