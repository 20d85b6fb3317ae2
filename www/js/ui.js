// The page's furniture: one step on screen at a time, the alert and status lines, busy
// buttons and countdowns. Errors are shown on the page, never logged: the page tests fail on
// console errors.
import { messageFor } from "./errors.js";

export const $ = (selector, root = document) => root.querySelector(selector);

const errorBox = $('[data-testid="error"]');
const noticeBox = $('[data-testid="notice"]');

/** Shows one step, hides the others, and moves focus to its first field (or its heading). */
export function show(step) {
  for (const s of document.querySelectorAll("main .step")) s.hidden = s !== step;
  const fields = step.querySelectorAll("input:not([type=radio]):not([type=checkbox])");
  const field = [...fields].find((input) => !input.closest("[hidden]"));
  (field ?? step.querySelector("h1")).focus();
}

export function showError(error) {
  noticeBox.textContent = "";
  errorBox.textContent = typeof error === "string" ? error : messageFor(error);
}

export function showNotice(text) {
  noticeBox.textContent = text;
}

export function clearMessages() {
  errorBox.textContent = "";
  noticeBox.textContent = "";
}

/**
 * Runs `action` with the form's buttons disabled and `label` on `button`; a failure goes to
 * the alert, unless `onError` (given the error) returns true to say it handled it.
 */
export async function busy(form, button, label, action, onError) {
  const buttons = [...form.querySelectorAll("button")].filter((b) => !b.disabled);
  const idle = [...button.childNodes]; // a button may hold more than text
  buttons.forEach((b) => (b.disabled = true));
  button.textContent = label;
  clearMessages();
  try {
    await action();
  } catch (error) {
    if (!onError?.(error)) showError(error);
  } finally {
    buttons.forEach((b) => {
      if (!b.dataset.coolingDown) b.disabled = false;
    });
    button.replaceChildren(...idle);
  }
}

/**
 * Keeps `button` disabled for `seconds`, saying so in `line` ("… in 27 s"), then enables it.
 * Calling it again restarts the wait. Answers a function that ends the wait at once.
 */
export function coolDown(button, line, seconds, sentence) {
  clearInterval(Number(button.dataset.coolingDown));
  let left = Math.max(1, Math.ceil(seconds));
  const end = () => {
    clearInterval(timer);
    delete button.dataset.coolingDown;
    button.disabled = false;
    line.textContent = "";
  };
  const tick = () => {
    if (left <= 0) return end();
    line.textContent = `${sentence} in ${left} s.`;
    left -= 1;
  };
  const timer = setInterval(tick, 1000);
  button.dataset.coolingDown = String(timer);
  button.endCoolDown = end;
  button.disabled = true;
  tick();
  return end;
}

/** Keeps only digits; a one-time code is often pasted as "123 456" or inside a sentence. */
export function digitsOf(text) {
  return String(text ?? "").replace(/\D+/g, "");
}

/**
 * Makes `input` accept a whole pasted code: the digits are kept, and a complete code submits
 * the form at once (as an SMS autofill does). Only while the input is numeric.
 */
export function acceptPastedCode(input, length) {
  input.addEventListener("paste", (event) => {
    if (input.inputMode !== "numeric") return;
    const digits = digitsOf(event.clipboardData?.getData("text"));
    if (!digits) return;
    event.preventDefault();
    input.value = digits.slice(0, length);
    if (input.value.length === length) input.form?.requestSubmit();
  });
  input.addEventListener("input", () => {
    if (input.inputMode !== "numeric") return;
    const digits = digitsOf(input.value);
    if (digits !== input.value) input.value = digits.slice(0, length);
  });
}

/** A button that copies `element`'s text; where the clipboard is refused it selects the text. */
export function copyButton(element, what) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "small";
  button.textContent = "Copy";
  button.setAttribute("aria-label", `Copy ${what}`);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(element.textContent.trim());
      button.textContent = "Copied";
    } catch {
      getSelection()?.selectAllChildren(element);
      button.textContent = "Selected: press Ctrl+C";
    }
    setTimeout(() => (button.textContent = "Copy"), 2500);
  });
  return button;
}
