// passwordless-wasm/element: the <passwordless-login> custom element (hand-written types).
import type { PasswordlessClient, PasswordlessError, Session } from "./passwordless.js";

/** The key of each of the element's texts (their English, French and Spanish texts are in the repository's js/element/strings/). */
export type PasswordlessLoginStringKey = STRING_KEYS;

/** Replacements for the element's texts, by key; `{name}` is a value filled in (an address, seconds). */
export type PasswordlessLoginStrings = Partial<Record<PasswordlessLoginStringKey, string>>;

/** `detail` of the `sent` event: a code, link or push was sent. */
export interface PasswordlessLoginSent {
  connection: "email" | "sms" | "mfa";
  send: "code" | "link" | "code-link" | "sms" | "email" | "push";
  address?: string;
}

export interface PasswordlessLoginEventMap {
  /** Signed in (a code, a link, a passkey, after the second factor; or a session kept). */
  signedin: CustomEvent<Session>;
  /** Signed out, here or in another tab. */
  signedout: CustomEvent<null>;
  /** A failure the element shows the person (also as `event.detail.code`). */
  error: CustomEvent<PasswordlessError>;
  /** The account needs a second factor; `preventDefault()` to handle it yourself. */
  mfarequired: CustomEvent<PasswordlessError>;
  /** A code, a link or a push was sent. */
  sent: CustomEvent<PasswordlessLoginSent>;
  /** A passkey was saved for the signed-in account. */
  passkeyadded: CustomEvent<Session | null>;
}

/**
 * `<passwordless-login>`: a drop-in sign-in form (email and SMS codes, code links, magic links,
 * passkeys, every second factor) on the SDK's promises.
 *
 * Attributes: `domain`, `client-id`, `redirect-uri`, `connections` ("email sms link magic-link
 * passkey", in order; default "email"), `prefill-email`, `prefill-phone`, `language` ("en",
 * "fr", "es"), `scope`, `audience`, `cache-location`, `theme` ("light", "dark"; default: the
 * system's), `autofocus`; `state` is reflected (loading, start, code, link, callback,
 * code-link, mfa-choose, mfa-code, mfa-push, enrol, recovery, done).
 *
 * @example
 * ```html
 * <script type="module">import "passwordless-wasm/element";</script>
 * <passwordless-login domain="https://app.example.com/auth" client-id="YOUR_CLIENT_ID"></passwordless-login>
 * ```
 */
export class PasswordlessLoginElement extends HTMLElement {
  /** The client in use; set it to a `PasswordlessClient` the app made (then the attributes that make one are not read). */
  client: PasswordlessClient | null;
  /** Replacements for any of the element's texts, by key. */
  strings: PasswordlessLoginStrings;
  /** Given to `start()` with a magic link and handed back as `session.appState`: a value, or a function answering one at send time. */
  appState: unknown;
  /** Renders the TOTP enrolment's QR code: the otpauth:// URI in, an image URL (or a promise of one) out. Default: the package's `qr.js`. */
  qrCode?: (otpauthUri: string) => string | Promise<string>;
  addEventListener<K extends keyof PasswordlessLoginEventMap>(type: K, listener: (this: PasswordlessLoginElement, event: PasswordlessLoginEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof PasswordlessLoginEventMap>(type: K, listener: (this: PasswordlessLoginElement, event: PasswordlessLoginEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** Defines the element (as `name`, default "passwordless-login") once; does nothing off the browser. */
export function defineElement(name?: string): void;

declare global {
  interface HTMLElementTagNameMap {
    "passwordless-login": PasswordlessLoginElement;
  }
}
