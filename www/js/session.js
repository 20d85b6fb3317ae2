// Signed in: the recovery code to save first (after an enrolment, or after using one), then the
// verified ID token's claims, and signing out.
import { hideDevPasskeys } from "./dev-passkeys.js";
import { forgetInbox } from "./inbox.js";
import { $, clearMessages, copyButton, show, showError, showNotice } from "./ui.js";

const recoveryStep = $("#recovery-step");
const doneStep = $("#done-step");
const TIME_CLAIMS = ["exp", "iat", "auth_time", "updated_at"];

/** The session waiting for "I saved them" before it is shown. */
let pending = null;

/**
 * Shows the signed-in screen; when there are recovery codes to save (`recoveryCodes`, or the
 * session's new `recoveryCode`), shows them first, once, and waits for "I saved them".
 */
export function signedIn(session, recoveryCodes = []) {
  const codes = [...recoveryCodes, ...(session.recoveryCode ? [session.recoveryCode] : [])];
  if (codes.length === 0) return showClaims(session);
  pending = session;
  const title = codes.length > 1 ? "Save your recovery codes" : "Save your recovery code";
  $("h1", recoveryStep).textContent = session.recoveryCode && !recoveryCodes.length
    ? "Save your new recovery code"
    : title;
  const items = codes.map((code) => {
    const li = document.createElement("li");
    const text = document.createElement("code");
    text.textContent = code;
    li.append(text, copyButton(text, "the recovery code"));
    return li;
  });
  $(".recovery-codes", recoveryStep).replaceChildren(...items);
  recoveryStep.reset();
  show(recoveryStep);
}

function showClaims(session) {
  const { claims } = session;
  $(".signed-in-as", doneStep).textContent = claims.email ?? claims.phone_number ?? claims.sub ?? "";
  const rows = Object.entries(claims).flatMap(([name, value]) => {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = name;
    dd.textContent = typeof value === "string" ? value : JSON.stringify(value);
    if (TIME_CLAIMS.includes(name) && typeof value === "number") {
      const time = document.createElement("time");
      time.dateTime = new Date(value * 1000).toISOString();
      time.textContent = new Date(value * 1000).toLocaleString();
      dd.append(" ", time);
    }
    return [dt, dd];
  });
  $(".claims", doneStep).replaceChildren(...rows);
  // A magic link hands back what this page gave start() (appState), in whichever tab it opens.
  const origin = $(".link-origin", doneStep);
  const sentAt = session.appState?.sentAt;
  origin.hidden = typeof sentAt !== "number";
  if (!origin.hidden) {
    origin.textContent = `You asked for this sign-in link at ${new Date(sentAt).toLocaleTimeString()}.`;
  }
  clearMessages();
  show(doneStep);
}

/** Back to the first screen, with nothing of the session left on this one. */
function leave(signedOut) {
  $(".claims", doneStep).replaceChildren();
  forgetInbox();
  hideDevPasskeys();
  for (const form of document.querySelectorAll("main form")) form.reset();
  signedOut();
}

/**
 * Wires "I saved them" and "Sign out" (which revokes the session), and follows a sign-out in
 * another tab; `signedOut()` shows the first screen again.
 */
export function setupSession(client, signedOut) {
  client.onSessionChange((change) => {
    if (change.type !== "signedOut" || doneStep.hidden) return;
    leave(signedOut);
    showNotice("You signed out in another tab.");
  });

  recoveryStep.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!$("#saved").checked) {
      showError("Please save the recovery code, then tick the box: it won't be shown again.");
      $("#saved").focus();
      return;
    }
    const session = pending;
    pending = null;
    // Shown once: gone from the page as soon as the person says it is saved.
    $(".recovery-codes", recoveryStep).replaceChildren();
    showClaims(session);
  });

  $(".sign-out", doneStep).addEventListener("click", async () => {
    // Forgotten here at once; the refresh token is revoked through the relay.
    const revoked = client.signOut();
    leave(signedOut);
    try {
      await revoked;
    } catch (error) {
      showError(error);
    }
  });
}
