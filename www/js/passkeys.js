// Passkeys: sign in with one (a button, or picking it from the email field's autofill), create
// an account with one, and save one after a code sign-in so that the next visit is one tap.
import { showDevPasskeys } from "./dev-passkeys.js";
import { $, busy, clearMessages, showError, showNotice } from "./ui.js";

const startStep = $("#start-step");
const doneStep = $("#done-step");

/** The autofill's waiting sign-in, aborted before any other. */
let autofill = null;
/** WebAuthn refuses an IP address as relying party: passkeys need a name such as localhost. */
const onAnIp = /^[0-9.]+$|^\[/.test(location.hostname);
/** Failures of the autofill's waiting sign-in that the person did not ask for. */
const QUIET = ["cancelled", "passkey_cancelled", "passkey_unsupported"];

/** Whether the session on screen came from a passkey (then there is nothing to save). */
let fromPasskey = false;

export function stopAutofill() {
  autofill?.abort();
  autofill = null;
}

const marked = (promise) => promise.then((session) => {
  fromPasskey = true;
  return session;
});

/** Offers the passkeys of this site in the email field's autofill, while the start screen is up. */
export async function offerAutofill(client, complete) {
  stopAutofill();
  if (onAnIp || !client.passkeys.isSupported() || !(await client.passkeys.isAutofillSupported())) return;
  const waiting = new AbortController();
  autofill = waiting;
  try {
    await complete(marked(client.passkeys.signIn({ mediation: "conditional", signal: waiting.signal })));
  } catch (error) {
    if (autofill === waiting && !QUIET.includes(error?.code)) showError(error);
  }
}

/** Wires the start screen's passkey buttons and the signed-in screen's "Save a passkey". */
export function setupPasskeys(client, complete) {
  if (!client.passkeys.isSupported()) return;
  if (onAnIp) {
    const here = new URL(location.href);
    here.hostname = "localhost";
    $(".passkeys-elsewhere a", startStep).href = here.href;
    $(".passkeys-elsewhere", startStep).hidden = false;
    return;
  }
  $(".passkeys", startStep).hidden = false;
  startStep.addEventListener("submit", stopAutofill);

  const signInButton = $(".passkey-sign-in", startStep);
  signInButton.addEventListener("click", () => {
    stopAutofill();
    busy(startStep, signInButton, "Waiting for your passkey…", () =>
      complete(marked(client.passkeys.signIn())));
  });

  const signUpButton = $(".passkey-sign-up", startStep);
  signUpButton.addEventListener("click", () => {
    const email = $("#email").value.trim();
    if (!email) {
      clearMessages();
      showError("Enter your email address first: your new account is for it.");
      $("#email").focus();
      return;
    }
    stopAutofill();
    busy(startStep, signUpButton, "Creating your passkey…", () =>
      complete(marked(client.passkeys.signUp({ email }))));
  });

  const save = $(".add-passkey", doneStep);
  save.addEventListener("click", () =>
    busy(doneStep, save, "Saving…", async () => {
      await client.passkeys.add();
      $(".save-passkey", doneStep).hidden = true;
      showNotice("Passkey saved. Next time, sign in with one tap.");
      const { claims } = await client.getSession();
      showDevPasskeys(claims.email ?? claims.phone_number);
    }));
}

/** Whether the signed-in screen offers to save a passkey (not right after using one). */
export function offerToSave(client) {
  const offer = client.passkeys.isSupported() && !onAnIp && !fromPasskey;
  fromPasskey = false;
  $(".save-passkey", doneStep).hidden = !offer;
}
