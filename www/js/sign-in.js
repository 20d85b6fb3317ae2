// The first factor: choose email code, SMS code, a code link (the code email's link to this
// page, for any device) or a magic link (this browser only); send it; type the code (or open
// the link). Resending waits out a cooldown, longer when the server says so.
import { watchInbox } from "./inbox.js";
import {
  $, acceptPastedCode, busy, clearMessages, coolDown, digitsOf, show, showError, showNotice,
} from "./ui.js";

export const CODE_LENGTH = 6;
/** When a refused request may be tried again, if the server did not say. */
const RETRY_AFTER_SECONDS = 30;

const startStep = $("#start-step");
const codeStep = $("#code-step");
const linkStep = $("#link-step");
const METHODS = {
  "email-code": { connection: "email", send: "code", button: "Send code" },
  "sms-code": { connection: "sms", send: "code", button: "Send code" },
  // A code link: the tenant's code email links to this page with the code in the fragment.
  "email-link": { connection: "email", send: "code", link: true, button: "Send link" },
  "magic-link": { connection: "email", send: "link", button: "Send link" },
};

/** What was sent where: { connection, send, email | phoneNumber }. */
let identity = null;

const addressOf = (who) => who.email ?? who.phoneNumber;

/** The number as the SDK sends it: without spaces, dashes, dots or brackets. */
const compactPhone = (raw) => raw.trim().replace(/[\s\-.()\u00a0]/g, "");

function chosenMethod() {
  return METHODS[new FormData(startStep).get("method")] ?? METHODS["email-code"];
}

function showFields() {
  const method = chosenMethod();
  for (const field of startStep.querySelectorAll(".field")) {
    field.hidden = (field.dataset.for === "phone") !== (method.connection === "sms");
  }
  $('button[type="submit"]', startStep).textContent = method.button;
}

/** Reads the start form; answers the identity, or shows what to fix and answers null. */
function readIdentity() {
  const method = chosenMethod();
  if (method.connection === "email") {
    const input = $("#email");
    const email = input.value.trim();
    if (!email || !input.checkValidity() || !/@[^@.]+\.[^@]+$/.test(email)) {
      showError("Please enter a valid email address, like you@example.com.");
      input.focus();
      return null;
    }
    return { connection: "email", send: method.send, link: method.link, email };
  }
  const input = $("#phone");
  const phoneNumber = compactPhone(input.value);
  if (!/^\+[1-9][0-9]{1,14}$/.test(phoneNumber)) {
    showError("Please enter your phone number with + and the country code, like +1 415 555 0100.");
    input.focus();
    return null;
  }
  return { connection: "sms", send: "code", phoneNumber };
}

const codeIsUsedUp = (error) =>
  error?.code === "invalid_grant" && /expired|maximum number of attempts/i.test(error.description ?? "");

/** Cools `button` down: the server's Retry-After when rate limited, else the usual wait. */
function waitBeforeRetry(button, line, error) {
  if (error?.code === "too_many_requests" || error?.code === "too_many_attempts") {
    coolDown(button, line, error.retryAfter ?? RETRY_AFTER_SECONDS, "You can try again");
  }
  return false; // the alert still says why
}

/** Stops waiting for a texted code (the person typed it, or left the step). */
let stopListening = () => {};

/**
 * On a phone, lets the browser hand over the texted code (WebOTP) and signs in with it; the
 * field keeps autocomplete="one-time-code" for browsers without WebOTP.
 */
function listenForTextedCode(client) {
  stopListening();
  if (identity.connection !== "sms" || !matchMedia("(pointer: coarse)").matches) return;
  const waiting = new AbortController();
  stopListening = () => waiting.abort();
  client.receiveSmsCode({ signal: waiting.signal }).then((code) => {
    const field = $("#code");
    field.value = code;
    codeStep.requestSubmit();
  }, () => {}); // unsupported or stopped: the person types the code
}

/** The sent step, its resend button cooling down for `resendAfter` seconds (the SDK's). */
function showSentStep(resendAfter) {
  const step = identity.send === "link" || identity.link ? linkStep : codeStep;
  $(".where", linkStep).hidden = Boolean(identity.link);
  for (const where of step.querySelectorAll(".sent-to")) where.textContent = addressOf(identity);
  if (step === codeStep) {
    $("h1", step).textContent = identity.connection === "sms" ? "Check your phone" : "Check your email";
    codeStep.reset();
  }
  show(step);
  coolDown($(".resend", step), $(".cooldown", step), resendAfter, "You can ask for a new one");
}

async function send(client) {
  const { connection, send: kind, email, phoneNumber } = identity;
  const params = connection === "email" ? { connection, email, send: kind } : { connection, phoneNumber };
  // What the link's tab will want to know (it may not be this one): when it was asked for.
  if (kind === "link") params.appState = { sentAt: Date.now() };
  const { resendAfter } = await client.start(params);
  watchInbox(addressOf(identity));
  return resendAfter;
}

/**
 * Wires the sign-in steps. `complete(promise)` takes the promise of a session and carries on
 * (signed in, or the second factor); it rethrows what the person must read here.
 */
export function setupSignIn(client, complete) {
  startStep.addEventListener("change", showFields);
  showFields();

  startStep.addEventListener("submit", (event) => {
    event.preventDefault();
    clearMessages();
    const wanted = readIdentity();
    if (!wanted) return;
    const button = $('button[type="submit"]', startStep);
    busy(startStep, button, "Sending…", async () => {
      identity = wanted;
      showSentStep(await send(client));
      listenForTextedCode(client);
    }, (error) => waitBeforeRetry(button, $(".cooldown", startStep), error));
  });

  const codeInput = $("#code");
  acceptPastedCode(codeInput, CODE_LENGTH);
  codeStep.addEventListener("submit", (event) => {
    event.preventDefault();
    clearMessages();
    const code = digitsOf(codeInput.value);
    if (code.length !== CODE_LENGTH) {
      showError(`Please enter the ${CODE_LENGTH}-digit code from the message.`);
      codeInput.focus();
      return;
    }
    stopListening();
    const { connection, email, phoneNumber } = identity;
    const params = connection === "email" ? { connection, email, code } : { connection, phoneNumber, code };
    busy(codeStep, $('button[type="submit"]', codeStep), "Signing in…", async () => {
      try {
        await complete(client.verify(params));
      } catch (error) {
        codeInput.select();
        // This code is dead: a new one is the only way on, so don't make the person wait.
        if (codeIsUsedUp(error)) $(".resend", codeStep).endCoolDown?.();
        throw error;
      }
    });
  });

  for (const step of [codeStep, linkStep]) {
    const resend = $(".resend", step);
    const line = $(".cooldown", step);
    resend.addEventListener("click", () =>
      busy(step, resend, "Sending…", async () => {
        const resendAfter = await send(client);
        if (step === codeStep) codeStep.reset();
        const what = identity.send === "link" || identity.link ? "link" : "code";
        showNotice(`We sent a new ${what} to ${addressOf(identity)}.`);
        (step === codeStep ? codeInput : resend).focus();
        coolDown(resend, line, resendAfter, "You can ask for a new one");
      }, (error) => waitBeforeRetry(resend, line, error)),
    );
    $(".back", step).addEventListener("click", () => {
      stopListening();
      showStart();
    });
  }
}

/** The first screen, as the person left it. */
export function showStart() {
  clearMessages();
  showFields();
  show(startStep);
  const button = $('button[type="submit"]', startStep);
  if (!button.dataset.coolingDown) button.disabled = false;
}

/** The first screen, after a failure that the person must read there; `method` preselected. */
export function showStartWithError(error, method) {
  const radio = method && startStep.querySelector(`input[name="method"][value="${method}"]`);
  if (radio) radio.checked = true;
  showStart();
  showError(error);
}
