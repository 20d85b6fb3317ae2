//! The wire types of the Auth0 Authentication API subset that the SDK, the relay and the
//! local tenant meet on (see `shared/docs/contract.md`). Serde only: no I/O, no HTTP.
//!
//! `codes` (the error codes) and `names` (connections, grants, fields) are `no_std` constants;
//! `address` is the email address policy, written once for the SDK and the servers.
//! With `serde`: the bodies of the contract (`start`, `token`, `mfa`, `discovery`, `error`),
//! `fields` and `strict_json` to read a JSON or form body, and `typed_fields` to read those
//! fields into a request type.
//! Without the default `serde` feature only they remain, in a `no_std` crate: that is
//! what the browser SDK uses, so that its wasm links neither std nor serde.

#![cfg_attr(not(any(feature = "serde", feature = "email")), no_std)]

extern crate alloc;

pub mod address;
pub mod codes;
pub mod names;

#[cfg(feature = "serde")]
pub mod discovery;
#[cfg(feature = "email")]
pub mod email;
#[cfg(feature = "serde")]
pub mod error;
#[cfg(feature = "serde")]
pub mod fields;
#[cfg(feature = "serde")]
pub mod mfa;
#[cfg(feature = "serde")]
pub mod passkey;
#[cfg(feature = "serde")]
pub mod start;
#[cfg(feature = "serde")]
pub mod strict_json;
#[cfg(test)]
mod test_support;
#[cfg(feature = "serde")]
pub mod token;
#[cfg(feature = "serde")]
pub mod typed_fields;

#[cfg(feature = "serde")]
pub use discovery::{Jwk, JwkSet, OpenIdConfiguration};
#[cfg(feature = "serde")]
pub use error::{safe_description, WireError, MAX_DESCRIPTION_CHARS};
#[cfg(feature = "serde")]
pub use token::TokenSet;

pub use names::{
    FORWARDED_FOR_HEADER, GRANT_AUTHORIZATION_CODE, GRANT_MFA_OOB, GRANT_MFA_OTP,
    GRANT_MFA_RECOVERY_CODE, GRANT_PASSWORDLESS_OTP, GRANT_REFRESH_TOKEN, GRANT_WEBAUTHN,
};
