// A typed use of every part of the package's API. `tsc --noEmit` (run by scripts/test.sh)
// fails if the published types drift from what this code expects, or lose precision.
import init, {
  initSync,
  PasswordlessClient,
  type Authenticator,
  type PasswordlessError,
  type Session,
  type SdkErrorCode,
  type SessionChange,
} from "passwordless-wasm";

function isPasswordlessError(error: unknown): error is PasswordlessError {
  return error instanceof Error && error.name === "PasswordlessError";
}

/** The wasm core from elsewhere: a URL, a fetched Response, or bytes already at hand. */
export async function loadCore(bytes?: ArrayBuffer): Promise<void> {
  if (bytes) {
    initSync({ module: bytes });
    return;
  }
  await init({ module_or_path: new URL("/assets/passwordless_bg.wasm", location.href) });
  await init({ module_or_path: fetch("/assets/passwordless_bg.wasm") });
}

export async function signIn(email: string, askCode: () => Promise<string>, askOtp: () => Promise<string>): Promise<Session> {
  await init();
  const client = new PasswordlessClient({
    domain: "https://app.example.com/auth",
    clientId: "my-client",
    redirectUri: "https://app.example.com/callback",
    audience: "https://api.example.com",
    scope: "openid profile email offline_access",
    timeoutMs: 10_000,
    language: "fr",
    codeLength: 6,
    linkStorage: "local",
    linkLifetimeSeconds: 300,
    resendAfterSeconds: 45,
  });
  if (client.isRedirectCallback()) {
    try {
      const session = await client.handleRedirectCallback();
      const back = session.appState as { returnTo?: string } | undefined;
      void back?.returnTo;
      return session;
    } catch (error) {
      if (isPasswordlessError(error) && (error.code === "link_other_browser" || error.code === "link_used_or_expired")) {
        await client.start({ connection: "email", email, send: "link", appState: { returnTo: "/cart" } });
      }
      throw error;
    }
  }
  const started = await client.start({ connection: "email", email, send: "code" });
  const id: string | undefined = started._id; // undefined where the server answered no object
  const wait: number = started.resendAfter;
  void id;
  void wait;
  await client.start({ connection: "sms", phoneNumber: "+14155550100" });
  try {
    return await client.verify({ connection: "email", email, code: await askCode() });
  } catch (error) {
    if (!isPasswordlessError(error)) throw error;
    const sdkCode: SdkErrorCode | string = error.code;
    if (error.code === "too_many_requests") {
      const wait: number | undefined = error.retryAfter;
      void wait;
    }
    if (error.code !== "mfa_required" || !error.mfaToken) throw new Error(sdkCode);
    const mfaToken: string = error.mfaToken;
    const authenticators: Authenticator[] = await client.mfa.getAuthenticators(mfaToken);
    const otp = authenticators.find((a) => a.authenticatorType === "otp" && a.active);
    if (otp) {
      await client.mfa.challenge({ mfaToken, challengeType: "otp", authenticatorId: otp.id });
      return client.mfa.verify({ mfaToken, otp: await askOtp() });
    }
    const sms = authenticators.find((a) => a.oobChannel === "sms");
    if (sms) {
      const challenge = await client.mfa.challenge({ mfaToken, challengeType: "oob", authenticatorId: sms.id });
      return client.mfa.verify({ mfaToken, oobCode: challenge.oobCode ?? "", bindingCode: await askOtp() });
    }
    const push = authenticators.find((a) => a.oobChannel === "auth0");
    if (push) {
      const controller = new AbortController();
      const challenge = await client.mfa.challenge({ mfaToken, challengeType: "oob", authenticatorId: push.id });
      return client.mfa.verify({ mfaToken, oobCode: challenge.oobCode ?? "", poll: true, signal: controller.signal });
    }
    if (error.mfaRequirements?.enroll) {
      const enrollment = await client.mfa.enroll({ mfaToken, factor: "otp" });
      const uri: string | undefined = enrollment.barcodeUri;
      const codes: string[] = enrollment.recoveryCodes ?? [];
      void uri;
      void codes;
    }
    const session = await client.mfa.verify({ mfaToken, recoveryCode: "ABCDEFGHJKLMNPQRSTUVWXYZ" });
    const next: string | undefined = session.recoveryCode;
    void next;
    await client.mfa.removeAuthenticator(mfaToken, "totp|dev_1");
    return session;
  }
}

/** A texted code handed over by the phone (WebOTP), or typed where the browser has none. */
export async function textedCode(client: PasswordlessClient, typed: () => Promise<string>): Promise<string> {
  const waiting = new AbortController();
  try {
    const code: string = await client.receiveSmsCode({ signal: waiting.signal });
    return code;
  } catch (error) {
    if (isPasswordlessError(error) && (error.code === "unsupported" || error.code === "cancelled")) return typed();
    throw error;
  }
}

/** Sessions: kept across reloads, renewed, followed across tabs, ended. */
export async function keepSignedIn(client: PasswordlessClient, show: (who: string | null) => void): Promise<() => void> {
  const stop: () => void = client.onSessionChange((change: SessionChange) => {
    const kind: "signedIn" | "refreshed" | "signedOut" = change.type;
    void kind;
    show(change.session ? claimsOf(change.session) : null);
  });
  const current: Session | null = await client.getSession();
  show(current ? claimsOf(current) : null);
  try {
    const renewed: Session = await client.refresh();
    void renewed.refreshToken;
  } catch (error) {
    if (isPasswordlessError(error) && (error.code === "session_expired" || error.code === "no_session")) show(null);
  }
  await client.signOut();
  return stop;
}

export function claimsOf(session: Session): string {
  const email: string | undefined = session.claims.email;
  return email ?? session.claims.sub;
}
