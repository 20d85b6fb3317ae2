//! The option, parameter and result shapes of the `.d.ts`, next to the Rust that reads and
//! writes them (`options.rs`, `flows/`), and the error-code unions generated from
//! `error.rs`'s list.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SHAPES: &str = r#"
/** Options of `new PasswordlessClient(options)`. */
export interface ClientOptions {
  /** URL of your relay (or tenant), e.g. "https://app.example.com/auth"; a bare host means https. */
  domain: string;
  /** Your application's client id. */
  clientId: string;
  /** Where magic links return to: one of the relay's callbacks. Required for `send: "link"`. */
  redirectUri?: string;
  /** API audience for an access token (a JWT) besides the ID token. */
  audience?: string;
  /** Scopes to ask for; must include "openid". Default "openid profile email". */
  scope?: string;
  /** Milliseconds before a request fails with the code "timeout". Default 15000. */
  timeoutMs?: number;
  /** Language of the emails and texts, e.g. "fr" (sent as x-request-language). */
  language?: string;
  /** Digits of a one-time code. Default 6. */
  codeLength?: number;
  /**
   * Where a magic link's transaction waits for its callback: "local" (the default: any tab of
   * this browser, such as the one a mail client opens) or "session" (only this tab).
   */
  linkStorage?: "local" | "session";
  /** Seconds a magic link stays usable; set it to your tenant's code lifetime. Default 180. */
  linkLifetimeSeconds?: number;
  /**
   * Where the session is kept: "memory" (the default: this page only) or "localstorage"
   * (across reloads, shared by this browser's tabs).
   */
  cacheLocation?: "memory" | "localstorage";
  /**
   * Seconds before `start()` sends another code or link to the same address (earlier calls
   * reject with `too_many_requests` and `retryAfter`, without a request). Default 30.
   */
  resendAfterSeconds?: number;
}

/** Parameters of `start()`. */
export type StartParams =
  | { connection: "email"; email: string; send?: "code" }
  /** `appState`: a JSON-able value of yours, handed back by `handleRedirectCallback()` as `session.appState`. */
  | { connection: "email"; email: string; send: "link"; appState?: unknown }
  | { connection: "sms"; phoneNumber: string; send?: "code" };

/**
 * What `start()` resolves to: always an object with `resendAfter`, the seconds until this
 * client will send another code to the same address (longer when the server said so), and the
 * server's answer when it was an object (Auth0's is one of the first two shapes; a server that
 * answered something else, such as `OK`, leaves only `resendAfter`).
 */
export type StartResult = { resendAfter: number } & (
  | { _id: string; email: string; email_verified: boolean }
  | { _id: string; phone_number: string; phone_verified: boolean; request_language: string | null }
  | { _id?: undefined }
);

/** Parameters of `verify()`. */
export type VerifyParams =
  | { connection: "email"; email: string; code: string }
  | { connection: "sms"; phoneNumber: string; code: string };

/** The verified ID token's claims. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  azp?: string;
  nonce?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  name?: string;
  updated_at?: string;
  [claim: string]: unknown;
}

/** A signed-in session. */
export interface Session {
  accessToken: string;
  idToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  scope: string;
  /** With the `offline_access` scope. */
  refreshToken?: string;
  /** After a recovery-code verify: the user's new recovery code, to show them once. */
  recoveryCode?: string;
  /** After a magic link: the `appState` given to `start()`. */
  appState?: unknown;
  claims: IdTokenClaims;
}

/** What `onSessionChange` listeners are told. */
export interface SessionChange {
  type: "signedIn" | "refreshed" | "signedOut";
  /** `null` once signed out. */
  session: Session | null;
}

/** One of the user's second factors. */
export interface Authenticator {
  id: string;
  authenticatorType: "otp" | "oob" | "recovery-code";
  oobChannel?: "sms" | "email" | "auth0";
  name?: string;
  active: boolean;
}

export interface ChallengeParams {
  mfaToken: string;
  /** Default "otp oob". */
  challengeType?: "otp" | "oob" | "otp oob";
  authenticatorId?: string;
}

export interface Challenge {
  challengeType: "otp" | "oob";
  oobCode?: string;
  /** "prompt": ask the user for the code that was sent, as `bindingCode`. */
  bindingMethod?: "prompt";
}

export type EnrollParams =
  | { mfaToken: string; factor: "otp" }
  | { mfaToken: string; factor: "sms"; phoneNumber: string }
  | { mfaToken: string; factor: "email"; email?: string };

export interface Enrollment {
  authenticatorType: "otp" | "oob";
  /** TOTP: the base32 secret, and the otpauth:// URI to show as a QR code. */
  secret?: string;
  barcodeUri?: string;
  oobChannel?: "sms" | "email";
  oobCode?: string;
  bindingMethod?: "prompt";
  /** Only on the first enrolment: show them once. */
  recoveryCodes?: string[];
}

export type MfaVerifyParams =
  | { mfaToken: string; otp: string }
  | { mfaToken: string; oobCode: string; bindingCode?: string; poll?: boolean; signal?: AbortSignal }
  | { mfaToken: string; recoveryCode: string };

/** Whom a code link signs in (`readCodeLink()`); empty when the link carries no address. */
export type CodeLinkInfo =
  | { connection: "email"; email: string }
  | { connection: "sms"; phoneNumber: string }
  | { connection?: undefined };

/** The address for `completeCodeLink()`, when the link carried none. */
export type CodeLinkAddress =
  | { connection: "email"; email: string }
  | { connection: "sms"; phoneNumber: string };

/** Parameters of `passkeys.signUp()`: a new user's email or phone number, and a name. */
export type PasskeySignUpParams =
  | { email: string; phoneNumber?: undefined; name?: string; signal?: AbortSignal }
  | { phoneNumber: string; email?: undefined; name?: string; signal?: AbortSignal };

/** Parameters of `passkeys.signIn()`. */
export interface PasskeySignInParams {
  /**
   * "conditional": wait until the user picks a passkey from the autofill of a field marked
   * `autocomplete="username webauthn"` (start it when the page loads; abort it with `signal`
   * before another sign-in).
   */
  mediation?: "conditional";
  signal?: AbortSignal;
}

/** A passkey added with `passkeys.add()` (the My Account API's authentication method). */
export interface PasskeyMethod {
  id: string;
  type: "passkey";
  created_at: string;
  usage?: ("primary" | "secondary")[];
  key_id?: string;
  credential_device_type?: "single_device" | "multi_device";
  credential_backed_up?: boolean;
  identity_user_id?: string;
  user_handle?: string;
  [member: string]: unknown;
}

/** What the server asks for when a second factor is needed. */
export interface MfaRequirements {
  challenge?: { type: string }[];
  enroll?: { type: string }[];
}

/** Every promise of the SDK rejects with this (and the constructor throws it). */
export interface PasswordlessError extends Error {
  name: "PasswordlessError";
  code: SdkErrorCode | ServerErrorCode | (string & {});
  description: string;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** Seconds to wait before trying again (429). */
  retryAfter?: number;
  /** With `mfa_required`: pass it to `client.mfa`. */
  mfaToken?: string;
  mfaRequirements?: MfaRequirements;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_CODES: &str = crate::error::CODES_TS;
