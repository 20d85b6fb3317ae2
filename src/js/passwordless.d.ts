// Types of the passwordless-wasm package (src/js/passwordless.js).

/** What `init` can load the wasm core from. Default: `passwordless_bg.wasm` next to the module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the wasm core. Await it once before creating a client. */
export default function init(source?: InitInput | Promise<InitInput>): Promise<void>;

/** Loads the wasm core synchronously from its bytes or a compiled module. */
export function initSync(module: BufferSource | WebAssembly.Module): void;

/**
 * Signs a user in without a password (email or SMS one-time code, or an email magic link),
 * through your relay, and passes a second factor when the account has one.
 *
 * @example
 * ```js
 * import init, { PasswordlessClient } from "passwordless-wasm";
 * await init();
 * const client = new PasswordlessClient({ domain: "https://app.example.com/auth", clientId: "YOUR_CLIENT_ID" });
 * await client.start({ connection: "email", email: "ada@example.com", send: "code" });
 * const session = await client.verify({ connection: "email", email: "ada@example.com", code: "123456" });
 * console.log(session.claims.email);
 * ```
 */
export class PasswordlessClient {
  /** Checks the options; throws an `invalid_options` PasswordlessError naming the bad one. */
  constructor(options: ClientOptions);
  /** Sends a one-time code by email or SMS, or a magic link by email. */
  start(params: StartParams): Promise<StartResult>;
  /**
   * Exchanges the code the user typed for tokens, and verifies the ID token.
   * Rejects with `mfa_required` (and `mfaToken`) when a second factor is needed.
   */
  verify(params: VerifyParams): Promise<Session>;
  /** Whether `url` (the current address by default) is a magic link's callback. */
  isRedirectCallback(url?: string | null): boolean;
  /**
   * Completes a magic link: checks `state` against this browser's transaction, exchanges the
   * code, verifies the ID token and its `nonce`, and removes the code from the address bar.
   */
  handleRedirectCallback(url?: string | null): Promise<Session>;
  /** The second factor: list, challenge, enrol and verify. */
  readonly mfa: MfaClient;
}

/** `client.mfa`: the second factor of a sign-in that answered `mfa_required`. */
export interface MfaClient {
  /** The user's authenticators. */
  getAuthenticators(mfaToken: string): Promise<Authenticator[]>;
  /** Asks for a challenge: `otp` needs nothing sent; `oob` sends a code (SMS, email) or a push. */
  challenge(params: ChallengeParams): Promise<Challenge>;
  /**
   * Enrols a factor: `otp` answers the secret and an `otpauth://` URI for a QR code; `sms`
   * and `email` send a code to confirm with `verify({ mfaToken, oobCode, bindingCode })`.
   */
  enroll(params: EnrollParams): Promise<Enrollment>;
  /** Removes an authenticator. */
  removeAuthenticator(mfaToken: string, authenticatorId: string): Promise<void>;
  /**
   * Passes the second factor with a TOTP `otp`, an `oobCode` (and the `bindingCode` the user
   * typed), or a `recoveryCode` (the session then carries the new `recoveryCode`). With
   * `poll: true`, a push is polled until approved, denied or `signal` aborts.
   */
  verify(params: MfaVerifyParams): Promise<Session>;
}

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
  /** Where a magic link's state waits: "session" (this tab, the default) or "local" (any tab of this browser). */
  linkStorage?: "session" | "local";
}

/** Parameters of `start()`. */
export type StartParams =
  | { connection: "email"; email: string; send?: "code" | "link" }
  | { connection: "sms"; phoneNumber: string; send?: "code" };

/** What `start()` resolves to (the server's answer). */
export type StartResult =
  | { _id: string; email: string; email_verified: boolean }
  | { _id: string; phone_number: string; phone_verified: boolean; request_language: string | null };

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
  claims: IdTokenClaims;
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

/** What the server asks for when a second factor is needed. */
export interface MfaRequirements {
  challenge?: { type: string }[];
  enroll?: { type: string }[];
}

/** The SDK's own error codes. */
export type SdkErrorCode =
  | "invalid_options" | "invalid_input" | "network_error" | "timeout" | "invalid_id_token"
  | "unexpected_response" | "state_mismatch" | "not_a_callback" | "cancelled" | "storage_unavailable";

/** Error codes of the server that a page should expect. */
export type ServerErrorCode =
  | "invalid_grant" | "access_denied" | "too_many_requests" | "too_many_attempts" | "mfa_required"
  | "expired_token" | "authorization_pending" | "slow_down" | "unsupported_challenge_type"
  | "association_required" | "unauthorized_client" | "bad.email" | "bad.phone_number"
  | "bad.connection" | "upstream_unavailable" | "upstream_timeout";

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
