// The dev inbox panel: what the local tenant "sent" to the addresses of this sign-in, newest
// first, refreshed every two seconds. Shown only when the server has the tenant's dev routes
// (`/dev/inbox` answers 404 elsewhere). Links can be clicked, codes copied, and a push
// notification approved or denied as the user's phone would.
import { $, copyButton } from "./ui.js";

const REFRESH_MS = 2000;
// The addresses outlive a magic link's round trip through the tenant (same tab).
const STORAGE_KEY = "passwordless-demo.inbox-addresses";
const CHANNELS = { email: "Email", sms: "Text message", push: "Push notification" };

const panel = $("#inbox");
const list = $("#inbox .messages");
const addresses = new Set(restore());
const decisions = new Map(); // push message id → "Approved" | "Denied"
let available = true; // until /dev/inbox answers 404
let timer = 0;

function restore() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "[]");
  } catch {
    return [];
  }
}

function save() {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify([...addresses]));
  } catch {
    // A dev aid only.
  }
}

/** Adds an address (an email or a phone number) to the panel, and refreshes it now. */
export function watchInbox(address) {
  if (!address) return;
  addresses.add(address);
  save();
  refreshInbox();
  if (!timer) timer = setInterval(refreshInbox, REFRESH_MS);
}

/** Forgets every address (signed out or starting over), and hides the panel. */
export function forgetInbox() {
  addresses.clear();
  save();
  clearInterval(timer);
  timer = 0;
  list.replaceChildren();
  panel.hidden = true;
}

/** Resumes refreshing for the addresses remembered in this tab. */
export function resumeInbox() {
  for (const address of addresses) return watchInbox(address);
}

async function messagesTo(address) {
  const response = await fetch(`/dev/inbox?to=${encodeURIComponent(address)}`, {
    cache: "no-store",
  });
  if (response.status === 404) {
    available = false;
    return [];
  }
  return response.ok ? response.json() : [];
}

export async function refreshInbox() {
  if (!available || addresses.size === 0) return;
  const watched = [...addresses];
  let lists;
  try {
    lists = await Promise.all(watched.map(messagesTo));
  } catch {
    return; // the next refresh tries again
  }
  if (!available) return forgetInbox();
  if (watched.some((a) => !addresses.has(a))) return; // forgotten meanwhile
  const byId = new Map(lists.flat().map((m) => [m.id, m]));
  const messages = [...byId.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
  render(messages);
  $(".watching", panel).textContent = ` to ${watched.join(" and ")}`;
  $(".empty", panel).hidden = messages.length > 0;
  panel.hidden = false;
}

/** Adds what is new at the top; rebuilds only when messages went away (inbox cleared). */
function render(messages) {
  const shown = [...list.children].map((li) => li.dataset.id);
  const ids = messages.map((m) => m.id);
  const fresh = ids.length - shown.length;
  const onlyNew = fresh >= 0 && shown.every((id, i) => ids[fresh + i] === id);
  if (!onlyNew) list.replaceChildren();
  const added = onlyNew ? messages.slice(0, fresh) : messages;
  list.prepend(...added.map(item));
  for (const code of list.querySelectorAll(".code")) delete code.dataset.testid;
  const newest = list.querySelector(".code");
  if (newest) newest.dataset.testid = "inbox-code";
}

function item(message) {
  const li = document.createElement("li");
  li.dataset.id = message.id;
  li.dataset.channel = message.channel;
  li.dataset.kind = message.kind;
  const meta = document.createElement("p");
  meta.className = "meta";
  const time = new Date(message.created_at).toLocaleTimeString();
  meta.textContent = `${CHANNELS[message.channel] ?? message.channel} to ${message.to} · ${time}`;
  const subject = document.createElement("p");
  subject.className = "subject";
  subject.textContent = message.subject;
  li.append(meta, subject);
  if (message.code) li.append(codeRow(message.code));
  if (message.link) li.append(linkRow(message.link));
  if (message.kind === "push") li.append(pushRow(message));
  return li;
}

function codeRow(code) {
  const row = document.createElement("div");
  row.className = "row";
  const text = document.createElement("output");
  text.className = "code";
  text.textContent = code;
  row.append(text, copyButton(text, `code ${code}`));
  return row;
}

function linkRow(href) {
  const row = document.createElement("div");
  row.className = "row";
  const link = document.createElement("a");
  link.href = href;
  link.textContent = "Open the sign-in link";
  const text = document.createElement("span");
  text.className = "visually-hidden";
  text.textContent = href;
  row.append(link, text, copyButton(text, "the sign-in link"));
  return row;
}

function pushRow(message) {
  const row = document.createElement("div");
  row.className = "row";
  const decided = decisions.get(message.id);
  if (decided) {
    row.append(decisionText(decided));
    return row;
  }
  for (const [label, action] of [["Approve", "approve"], ["Deny", "deny"]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = action === "deny" ? "small secondary-button" : "small";
    button.textContent = label;
    button.addEventListener("click", () => decide(message.id, action, row));
    row.append(button);
  }
  return row;
}

function decisionText(text) {
  const p = document.createElement("p");
  p.className = "decision";
  p.tabIndex = -1;
  p.textContent = text;
  return p;
}

async function decide(id, action, row) {
  row.querySelectorAll("button").forEach((b) => (b.disabled = true));
  let text;
  try {
    const response = await fetch(`/dev/push/${encodeURIComponent(id)}/${action}`, {
      method: "POST",
    });
    text = response.ok
      ? action === "approve" ? "Approved" : "Denied"
      : "No longer waiting for an answer";
  } catch {
    row.querySelectorAll("button").forEach((b) => (b.disabled = false));
    return;
  }
  decisions.set(id, text);
  const decision = decisionText(text);
  row.replaceChildren(decision);
  decision.focus();
}
