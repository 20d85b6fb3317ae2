// The demo page: sign in with an email code, an SMS code, a code link, a magic link or a
// passkey, pass a second factor when the account has one, save a passkey, and see the verified
// ID token's claims. One screen at a time; the dev inbox panel beside it in dev mode. Each
// concept lives in ./js/.
import init, { PasswordlessClient } from "/pkg/passwordless.js";
import { finishCodeLink } from "./js/code-link.js";
import { showDevPasskeys } from "./js/dev-passkeys.js";
import { resumeInbox } from "./js/inbox.js";
import { setupMfa, startMfa } from "./js/mfa.js";
import { offerAutofill, offerToSave, setupPasskeys, stopAutofill } from "./js/passkeys.js";
import { setupSession, signedIn } from "./js/session.js";
import { setupSignIn, showStart, showStartWithError } from "./js/sign-in.js";
import { $, show, showError } from "./js/ui.js";

let client;

/** An answer that ends this sign-in: the person must start again from the first screen. */
function endsSignIn(error) {
  const said = error?.description ?? "";
  return (
    (error?.code === "expired_token" && /mfa_token/i.test(said)) ||
    (error?.code === "invalid_grant" && /mfa_token/i.test(said))
  );
}

/**
 * Carries the promise of a session on: signed in (after saving `recoveryCodes`, if any), or
 * the second factor. Rethrows the failures that the current screen should show.
 */
async function complete(promise, recoveryCodes) {
  let session;
  try {
    session = await promise;
  } catch (error) {
    if (error?.code === "mfa_required") {
      stopAutofill();
      return startMfa(error);
    }
    if (endsSignIn(error)) return showStartWithError(error);
    throw error;
  }
  stopAutofill();
  offerToSave(client);
  signedIn(session, recoveryCodes);
  showDevPasskeys(session.claims.email ?? session.claims.phone_number);
}

/** A magic link came back to this page: finish it here. */
async function finishMagicLink(client) {
  show($("#callback-step"));
  resumeInbox();
  try {
    await complete(client.handleRedirectCallback());
  } catch (error) {
    showStartWithError(error, "email-link");
  }
}

try {
  await init();
  const made = new PasswordlessClient({
    domain: location.origin,
    clientId: "demo-client",
    redirectUri: `${location.origin}/`,
    // Signed in across reloads and tabs; renewed with a refresh token.
    cacheLocation: "localstorage",
    scope: "openid profile email offline_access",
  });
  client = made;
  const start = () => {
    showStart();
    offerAutofill(client, complete);
  };
  setupSignIn(client, complete);
  setupPasskeys(client, complete);
  setupMfa(client, complete, start);
  setupSession(client, start);
  if (client.isRedirectCallback()) await finishMagicLink(client);
  else if (client.isCodeLink()) {
    resumeInbox();
    finishCodeLink(client, complete, showStartWithError);
  } else {
    const session = await client.getSession().catch(() => null);
    if (session) {
      offerToSave(client);
      signedIn(session);
    } else start();
  }
} catch (error) {
  show($("#start-step"));
  showError(error);
}
