// The second factor: list the user's authenticators and pass any one of them — a code from an
// authenticator app, a code sent by text or email, a push approved on the phone, or a
// recovery code. An account that must enrol first goes to ./enrol.js.
import { startEnrolment } from "./enrol.js";
import { watchInbox } from "./inbox.js";
import { $, acceptPastedCode, busy, clearMessages, digitsOf, show, showError } from "./ui.js";

const CODE_LENGTH = 6;
const chooseStep = $("#mfa-choose-step");
const codeStep = $("#mfa-code-step");
const pushStep = $("#mfa-push-step");
const codeInput = $("#mfa-code");

let client;
let complete;
/** The sign-in waiting for its second factor: { token, authenticators }. */
let login = null;
/** What the code step checks: { kind: "otp" | "oob" | "recovery", oobCode? }. */
let pending = null;
let pushWait = null; // AbortController of the push being waited for

/** How each authenticator reads in the list, and what choosing it does. */
function describe(authenticator) {
  const to = authenticator.name;
  if (authenticator.authenticatorType === "otp") {
    return { title: "Authenticator app", detail: "Type the code your app shows", kind: "otp" };
  }
  if (authenticator.authenticatorType === "recovery-code") {
    return { title: "Recovery code", detail: "The code you saved when you set this up", kind: "recovery" };
  }
  switch (authenticator.oobChannel) {
    case "sms":
      return { title: "Text message", detail: `A code sent to ${to ?? "your phone"}`, kind: "sms" };
    case "email":
      return { title: "Email", detail: `A code sent to ${to ?? "your email"}`, kind: "email" };
    case "auth0":
      return { title: "Push notification", detail: `Approve on ${to ?? "your phone"}`, kind: "push" };
    default:
      return null;
  }
}

/** After `mfa_required`: enrol, or list the authenticators to choose from. */
export async function startMfa(error) {
  const token = error.mfaToken;
  if (error.mfaRequirements?.enroll?.length) return startEnrolment(client, token, complete);
  const all = await client.mfa.getAuthenticators(token);
  const usable = all.filter((a) => a.active).map((a) => ({ ...a, ...describe(a) })).filter((a) => a.kind);
  login = { token, authenticators: usable };
  // Recovery codes last: they are the way out, not the way in.
  usable.sort((a, b) => (a.kind === "recovery") - (b.kind === "recovery"));
  const items = usable.map((authenticator) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "factor";
    const title = document.createElement("strong");
    title.textContent = authenticator.title;
    const detail = document.createElement("small");
    detail.textContent = authenticator.detail;
    button.append(title, " ", detail);
    button.addEventListener("click", () => choose(authenticator, button));
    li.append(button);
    return li;
  });
  $(".factors", chooseStep).replaceChildren(...items);
  clearMessages();
  if (usable.length === 0) {
    showError("This account has no second factor that works here. Please contact support.");
  }
  show(chooseStep);
}

function choose(authenticator, button) {
  clearMessages();
  switch (authenticator.kind) {
    case "otp":
      pending = { kind: "otp" };
      return showCodeStep({
        title: "Enter the code from your app",
        prompt: "Open your authenticator app and type the 6-digit code it shows for this account.",
        label: "Code from your authenticator app",
      });
    case "recovery":
      pending = { kind: "recovery" };
      return showCodeStep({
        title: "Enter a recovery code",
        prompt: "Type the recovery code you saved when you set up your second step.",
        label: "Recovery code",
        numeric: false,
      });
    default:
      return busy(chooseStep, button, "Sending…", () => challenge(authenticator));
  }
}

/** Sends a code by text or email, or a push, for `authenticator`. */
async function challenge(authenticator) {
  const { oobCode } = await client.mfa.challenge({
    mfaToken: login.token,
    challengeType: "oob",
    authenticatorId: authenticator.id,
  });
  if (authenticator.kind === "push") {
    waitForPush(authenticator, oobCode); // it shows its own outcome
    return;
  }
  watchInbox(authenticator.name);
  pending = { kind: "oob", oobCode };
  const texted = authenticator.kind === "sms";
  showCodeStep({
    title: texted ? "Enter the code we texted you" : "Enter the code we emailed you",
    prompt: `We sent a 6-digit code to ${authenticator.name ?? (texted ? "your phone" : "your email")}.`,
    label: texted ? "Code from the text message" : "Code from the email",
  });
}

function showCodeStep({ title, prompt, label, numeric = true }) {
  $("h1", codeStep).textContent = title;
  $(".prompt", codeStep).textContent = prompt;
  $('label[for="mfa-code"]', codeStep).textContent = label;
  codeStep.reset();
  codeInput.inputMode = numeric ? "numeric" : "text";
  codeInput.autocomplete = numeric ? "one-time-code" : "off";
  codeInput.autocapitalize = numeric ? "off" : "characters";
  codeInput.classList.toggle("otp", numeric);
  if (numeric) codeInput.maxLength = CODE_LENGTH;
  else codeInput.removeAttribute("maxlength");
  show(codeStep);
}

/** Waits for the push to be approved (then signs in) or denied (then back to the list). */
async function waitForPush(authenticator, oobCode) {
  $(".device", pushStep).textContent = authenticator.name ?? "your phone";
  show(pushStep);
  pushWait?.abort();
  const wait = new AbortController();
  pushWait = wait;
  try {
    await complete(client.mfa.verify({ mfaToken: login.token, oobCode, poll: true, signal: wait.signal }));
  } catch (error) {
    if (wait.signal.aborted) return; // "Use another method"
    show(chooseStep);
    showError(error);
  }
}

/** The proof of the code step, from what was typed; null (with the reason shown) if unusable. */
function proof() {
  if (pending.kind === "recovery") {
    const recoveryCode = codeInput.value.trim().replace(/\s+/g, "");
    if (recoveryCode) return { recoveryCode };
    showError("Please enter your recovery code.");
    return null;
  }
  const code = digitsOf(codeInput.value);
  if (code.length !== CODE_LENGTH) {
    showError(`Please enter the ${CODE_LENGTH}-digit code.`);
    return null;
  }
  return pending.kind === "otp" ? { otp: code } : { oobCode: pending.oobCode, bindingCode: code };
}

/** Wires the second-factor steps; `done(promise)` carries a session promise on. */
export function setupMfa(sdk, done, restart) {
  client = sdk;
  complete = done;
  acceptPastedCode(codeInput, CODE_LENGTH);
  codeStep.addEventListener("submit", (event) => {
    event.preventDefault();
    clearMessages();
    const given = proof();
    if (!given) return codeInput.focus();
    busy(codeStep, $('button[type="submit"]', codeStep), "Verifying…", async () => {
      try {
        await complete(client.mfa.verify({ mfaToken: login.token, ...given }));
      } catch (error) {
        codeInput.select();
        throw error;
      }
    });
  });
  for (const step of [codeStep, pushStep]) {
    $(".other", step).addEventListener("click", () => {
      pushWait?.abort();
      clearMessages();
      show(chooseStep);
    });
  }
  for (const button of document.querySelectorAll(".restart")) {
    button.addEventListener("click", () => {
      pushWait?.abort();
      restart();
    });
  }
}
