// The demo page: sign in with an email code, an SMS code or an email magic link, pass a second
// factor when the account has one, and see the verified ID token's claims. One screen at a
// time; the dev inbox panel beside it in dev mode. Each concept lives in ./js/.
import init, { PasswordlessClient } from "/pkg/passwordless.js";
import { resumeInbox } from "./js/inbox.js";
import { setupMfa, startMfa } from "./js/mfa.js";
import { setupSession, signedIn } from "./js/session.js";
import { setupSignIn, showStart, showStartWithError } from "./js/sign-in.js";
import { $, show, showError } from "./js/ui.js";

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
    if (error?.code === "mfa_required") return startMfa(error);
    if (endsSignIn(error)) return showStartWithError(error);
    throw error;
  }
  signedIn(session, recoveryCodes);
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
  const client = new PasswordlessClient({
    domain: location.origin,
    clientId: "demo-client",
    redirectUri: `${location.origin}/`,
    // Signed in across reloads and tabs; renewed with a refresh token.
    cacheLocation: "localstorage",
    scope: "openid profile email offline_access",
  });
  setupSignIn(client, complete);
  setupMfa(client, complete, showStart);
  setupSession(client, showStart);
  if (client.isRedirectCallback()) await finishMagicLink(client);
  else {
    const session = await client.getSession().catch(() => null);
    if (session) signedIn(session);
    else showStart();
  }
} catch (error) {
  show($("#start-step"));
  showError(error);
}
