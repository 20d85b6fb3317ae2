// What one <passwordless-login> runs: its shadow DOM, its words, the step on screen, the
// messages, and how a promise of a session carries on (signed in, or a second factor). The
// flows themselves are the SDK's; ./first-factor.js, ./passkeys.js, ./mfa.js and ./session.js
// only wire its promises to the steps.
import { endsSignIn, messageFor } from "./errors.js";
import { languages } from "./strings.js";
import { html } from "./template.js";

export const CODE_LENGTH = 6;

export class Login {
  /** The PasswordlessClient in use (given, or made from the attributes); null until ready. */
  client = null;
  /** The page's replacements for any of the texts. */
  strings = {};
  /** The element's words before the page's: English, French or Spanish. */
  language = "en";
  /** Whether the next step shown leaves the focus where it is (the first one, without `autofocus`). */
  holdFocus = false;

  constructor(host) {
    this.host = host;
    this.root = host.attachShadow({ mode: "open", delegatesFocus: false });
    this.root.innerHTML = html;
    this.errorBox = this.$('[data-testid="error"]');
    this.noticeBox = this.$('[data-testid="notice"]');
    /** Called when a step is left for another (stops WebOTP, the autofill, a push wait). */
    this.leaving = new Set();
  }

  $(selector, within = this.root) {
    return within.querySelector(selector);
  }

  /** The text for `key`, `{name}`s filled from `values`. */
  t(key, values = {}) {
    const own = (table) => (table && Object.hasOwn(table, key) ? table[key] : undefined);
    const text = own(this.strings) ?? own(languages[this.language]) ?? own(languages.en) ?? key;
    return String(text).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  }

  /** Sets `element`'s text to `key`, with each `{name}` value in <strong> (an address). */
  fill(element, key, values) {
    const parts = this.t(key, Object.fromEntries(Object.keys(values).map((name) => [name, `\u0000${name}\u0000`])))
      .split("\u0000")
      .map((part, i) => {
        if (i % 2 === 0) return part;
        const strong = document.createElement("strong");
        strong.textContent = values[part] ?? "";
        return strong;
      });
    element.replaceChildren(...parts);
  }

  /** Fills every static text of the shadow DOM in the current language. */
  applyStrings() {
    for (const node of this.root.querySelectorAll("[data-t]")) node.textContent = this.t(node.dataset.t);
    for (const [attribute, name] of [["placeholder", "tPlaceholder"], ["alt", "tAlt"], ["aria-label", "tAriaLabel"]]) {
      for (const node of this.root.querySelectorAll(`[data-t-${attribute}]`)) node.setAttribute(attribute, this.t(node.dataset[name]));
    }
  }

  /** Dispatches a bubbling, composed CustomEvent; answers false when the page cancelled it. */
  emit(name, detail = null, cancelable = false) {
    return this.host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
  }

  /** Shows one step (`name`: "start" shows #start-step), hides the others, and moves focus to its first field (or its heading). */
  show(name, { focus = true } = {}) {
    for (const stop of this.leaving) stop();
    this.leaving.clear();
    const step = this.$(`#${name}-step`);
    for (const each of this.root.querySelectorAll(".step")) each.hidden = each !== step;
    this.host.setAttribute("state", name);
    const hold = this.holdFocus;
    this.holdFocus = false;
    if (!focus || hold) return step;
    const fields = step.querySelectorAll("input:not([type=radio]):not([type=checkbox])");
    const field = [...fields].find((input) => !input.closest("[hidden]"));
    (field ?? this.$("h2", step)).focus();
    return step;
  }

  /** Shows `error` (an SDK error, or a sentence of the element's) in the alert. */
  showError(error) {
    this.noticeBox.textContent = "";
    if (typeof error === "string") {
      this.errorBox.textContent = error;
      return;
    }
    this.errorBox.textContent = messageFor((key, values) => this.t(key, values), error);
    this.emit("error", error);
  }

  showNotice(text) {
    this.noticeBox.textContent = text;
  }

  clearMessages() {
    this.errorBox.textContent = "";
    this.noticeBox.textContent = "";
  }

  /**
   * Runs `action` with the step's buttons disabled and the text `busyKey` on `button`; a
   * failure goes to the alert, unless `onError` (given the error) answers true.
   */
  async busy(step, button, busyKey, action, onError) {
    const buttons = [...step.querySelectorAll("button")].filter((b) => !b.disabled);
    const idle = [...button.childNodes];
    buttons.forEach((b) => (b.disabled = true));
    button.textContent = this.t(busyKey);
    this.clearMessages();
    try {
      await action();
    } catch (error) {
      if (!onError?.(error)) this.showError(error);
    } finally {
      for (const b of buttons) if (!b.coolingDown) b.disabled = false;
      button.replaceChildren(...idle);
    }
  }

  /** Keeps `button` disabled for `seconds`, saying so in `line` (`key`, "… in 27 s."). */
  coolDown(button, line, seconds, key) {
    button.endCoolDown?.();
    let left = Math.max(1, Math.ceil(seconds));
    const end = () => {
      clearInterval(timer);
      button.coolingDown = false;
      button.endCoolDown = undefined;
      button.disabled = false;
      line.textContent = "";
    };
    const tick = () => {
      if (left <= 0) return end();
      line.textContent = this.t(key, { seconds: left });
      left -= 1;
    };
    const timer = setInterval(tick, 1000);
    button.coolingDown = true;
    button.endCoolDown = end;
    button.disabled = true;
    tick();
  }

  /**
   * Carries a promise of a session on: signed in (after `recoveryCodes`, if any, are saved),
   * or the second factor. Rethrows what the current step should show.
   */
  async complete(promise, recoveryCodes = []) {
    let session;
    try {
      session = await promise;
    } catch (error) {
      if (error?.code === "mfa_required") {
        this.passkeys?.stopAutofill();
        if (!this.emit("mfarequired", error, true)) return undefined;
        return this.mfa.start(error);
      }
      if (endsSignIn(error)) return this.showStartWithError(error);
      throw error;
    }
    this.passkeys?.stopAutofill();
    return this.session.signedIn(session, recoveryCodes);
  }

  /** The first screen; `onStart` hooks (the passkey autofill) run each time it shows. */
  showStart() {
    this.clearMessages();
    this.firstFactor.showStart();
  }

  /** The first screen after a failure the person must read there; `method` preselected. */
  showStartWithError(error, method) {
    this.firstFactor.showStart(method);
    if (error) this.showError(error);
  }
}
