//! The wasm-bindgen surface: the only place with `#[wasm_bindgen]` exports.

mod client;
mod error;
mod signature;

pub use client::PasswordlessClient;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Options of `new PasswordlessClient(options)`. */
export interface ClientOptions {
  /** URL of your relay (or tenant), e.g. "https://app.example.com/auth"; a bare host means https. */
  domain: string;
  /** Your application's client id. */
  clientId: string;
  /** Scopes to ask for; must include "openid". Default "openid profile email". */
  scope?: string;
  /** Milliseconds before a request fails with the code "timeout". Default 15000. */
  timeoutMs?: number;
}

/** Parameters of `start()`. */
export interface StartParams {
  connection: "email";
  email: string;
  /** What to send; only "code" in this version. Default "code". */
  send?: "code";
}

/** What `start()` resolves to (the server's answer). */
export interface StartResult {
  _id: string;
  email: string;
  email_verified: boolean;
}

/** Parameters of `verify()`. */
export interface VerifyParams {
  connection: "email";
  email: string;
  /** The 6-digit code the user received. */
  code: string;
}

/** The verified ID token's claims. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  updated_at?: string;
  [claim: string]: unknown;
}

/** What `verify()` resolves to. */
export interface Session {
  accessToken: string;
  idToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  scope: string;
  claims: IdTokenClaims;
}

/** The SDK's own error codes; server error codes (e.g. "invalid_grant", "bad.email") pass through. */
export type SdkErrorCode =
  | "invalid_options" | "invalid_input" | "network_error" | "timeout"
  | "invalid_id_token" | "unexpected_response";

/** Every promise of the SDK rejects with this (and the constructor throws it). */
export interface PasswordlessError extends Error {
  name: "PasswordlessError";
  code: SdkErrorCode | "invalid_grant" | "access_denied" | "too_many_requests" | (string & {});
  description: string;
  /** The HTTP status, when the server answered. */
  status?: number;
}
"#;
