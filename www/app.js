// The demo page: email → one-time code → signed in, one screen at a time.
// Errors are shown on the page, never logged: the page tests fail on console errors.
import init, { PasswordlessClient } from "/pkg/passwordless.js";

const $ = (selector) => document.querySelector(selector);
const submitOf = (form) => form.querySelector('button[type="submit"]');
const emailStep = $("#email-step");
const codeStep = $("#code-step");
const doneStep = $("#done-step");
const errorBox = $('[data-testid="error"]');
const inbox = $("#inbox");

const INBOX_REFRESH_MS = 2000;
const NETWORK_MESSAGE = "Can't reach the server. Check your connection and try again.";

let client;
let email = "";
let inboxTimer = 0;
let inboxAvailable = true; // until /dev/inbox answers 404: then this is not a dev server

/** A sentence for a person, from the SDK's error (`code`, `description`, `status`). */
function messageFor(error) {
  switch (error?.code) {
    case "network_error":
    case "timeout":
      return NETWORK_MESSAGE;
    case "invalid_grant":
    case "invalid_input":
    default:
      return error?.description || error?.message || "Something went wrong. Please try again.";
  }
}

function showError(error) {
  errorBox.textContent = messageFor(error);
}

function clearError() {
  errorBox.textContent = "";
}

/** Shows one step, hides the others, and moves focus to its first field (or heading). */
function show(step) {
  for (const s of [emailStep, codeStep, doneStep]) s.hidden = s !== step;
  (step.querySelector("input") ?? step.querySelector("h1")).focus();
  clearInterval(inboxTimer);
  inbox.hidden = true;
  if (step === codeStep && inboxAvailable) {
    refreshInbox();
    inboxTimer = setInterval(refreshInbox, INBOX_REFRESH_MS);
  }
}

/** Runs `action` with the form's buttons disabled, `label` on `button`, failures in the alert. */
async function busy(form, button, label, action) {
  const buttons = form.querySelectorAll("button");
  const idle = button.textContent;
  buttons.forEach((b) => (b.disabled = true));
  button.textContent = label;
  clearError();
  try {
    await action();
  } catch (error) {
    showError(error);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
    button.textContent = idle;
  }
}

async function sendCode() {
  await client.start({ connection: "email", email, send: "code" });
  $("#sent-to").textContent = email;
}

emailStep.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("#email");
  if (!input.checkValidity()) {
    errorBox.textContent = "Please enter a valid email address.";
    input.focus();
    return;
  }
  busy(emailStep, submitOf(emailStep), "Sending…", async () => {
    email = input.value.trim();
    await sendCode();
    codeStep.reset();
    show(codeStep);
  });
});

codeStep.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("#code");
  const code = input.value.trim();
  if (!/^[0-9]{6}$/.test(code)) {
    errorBox.textContent = "Please enter the 6-digit code from the email.";
    input.focus();
    return;
  }
  busy(codeStep, submitOf(codeStep), "Signing in…", async () => {
    try {
      const session = await client.verify({ connection: "email", email, code });
      showClaims(session.claims);
      show(doneStep);
    } catch (error) {
      input.select();
      throw error;
    }
  });
});

$("#resend").addEventListener("click", (event) =>
  busy(codeStep, event.currentTarget, "Sending…", async () => {
    await sendCode();
    codeStep.reset();
    $("#code").focus();
    refreshInbox();
  }),
);

$("#change-email").addEventListener("click", () => {
  clearError();
  show(emailStep);
});

$("#sign-out").addEventListener("click", () => {
  $('[data-testid="claims"]').replaceChildren();
  email = "";
  emailStep.reset();
  clearError();
  show(emailStep);
});

/** Renders the ID token's claims as a definition list; times also as local dates. */
function showClaims(claims) {
  $("#signed-in-as").textContent = claims.email ?? claims.sub ?? "";
  const rows = Object.entries(claims).flatMap(([name, value]) => {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = name;
    dd.textContent = typeof value === "string" ? value : JSON.stringify(value);
    if (["exp", "iat", "auth_time", "updated_at"].includes(name) && typeof value === "number") {
      const time = document.createElement("time");
      time.dateTime = new Date(value * 1000).toISOString();
      time.textContent = new Date(value * 1000).toLocaleString();
      dd.append(" ", time);
    }
    return [dt, dd];
  });
  $('[data-testid="claims"]').replaceChildren(...rows);
}

/** Reloads the dev inbox for the current address; a 404 means "not a dev server". */
async function refreshInbox() {
  if (!email || !inboxAvailable) return;
  const forEmail = email;
  let messages;
  try {
    const response = await fetch(`/dev/inbox?to=${encodeURIComponent(forEmail)}`, {
      cache: "no-store",
    });
    if (response.status === 404) {
      inboxAvailable = false;
      clearInterval(inboxTimer);
      inbox.hidden = true;
      return;
    }
    if (!response.ok) return;
    messages = await response.json();
  } catch {
    return; // a dev aid only: the next refresh tries again
  }
  if (forEmail !== email || codeStep.hidden) return;
  renderInbox(messages);
  inbox.hidden = false;
}

function renderInbox(messages) {
  $("#inbox-empty").hidden = messages.length > 0;
  let newestCode = true;
  const items = messages.map((message) => {
    const item = document.createElement("li");
    const meta = document.createElement("p");
    meta.className = "meta";
    const when = new Date(message.created_at);
    meta.textContent = `${message.channel} to ${message.to} · ${when.toLocaleTimeString()}`;
    item.append(meta);
    if (message.code) {
      const code = document.createElement("p");
      code.className = "code";
      code.textContent = message.code;
      if (newestCode) code.dataset.testid = "inbox-code";
      newestCode = false;
      item.append(code);
    }
    if (message.link) {
      const link = document.createElement("a");
      link.href = message.link;
      link.textContent = "Open the sign-in link";
      item.append(link);
    }
    return item;
  });
  inbox.querySelector(".messages").replaceChildren(...items);
}

try {
  await init();
  client = new PasswordlessClient({ domain: location.origin, clientId: "demo-client" });
  submitOf(emailStep).disabled = false;
} catch (error) {
  showError(error);
}
