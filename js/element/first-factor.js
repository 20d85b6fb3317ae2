// The first factor: choose an email code, an SMS code, a code link (the code email's link to
// the page, for any device) or a magic link (this browser only); send it; type the code (or
// open the link). Also the two ways back to the page: a magic link's callback and a code link.
import { codeIsUsedUp } from "./errors.js";
import { acceptPastedCode, digitsOf } from "./fields.js";
import { CODE_LENGTH } from "./login.js";

/** What each method of the `connections` attribute sends. */
const METHODS = {
  email: { connection: "email", send: "code", button: "sendCode" },
  sms: { connection: "sms", send: "code", button: "sendCode" },
  // A code link: the code email links to the page with the code in the fragment.
  link: { connection: "email", send: "code", link: true, button: "sendLink" },
  "magic-link": { connection: "email", send: "link", button: "sendLink" },
};
/** When a refused request may be tried again, if the server did not say. */
const RETRY_AFTER_SECONDS = 30;

/** The number as the SDK sends it: without spaces, dashes, dots or brackets. */
const compactPhone = (raw) => raw.trim().replace(/[\s\-.()\u00a0]/g, "");
const addressOf = (who) => who.email ?? who.phoneNumber;

export class FirstFactor {
  /** What was sent where: { connection, send, link?, email | phoneNumber }. */
  identity = null;
  /** Stops waiting for a texted code (WebOTP). */
  stopListening = () => {};

  constructor(login) {
    this.login = login;
    this.start = login.$("#start-step");
    this.codeStep = login.$("#code-step");
    this.linkStep = login.$("#link-step");
    this.codeInput = login.$("#code");
    this.start.addEventListener("change", () => this.showFields());
    this.start.addEventListener("submit", (event) => this.send(event));
    acceptPastedCode(this.codeInput, CODE_LENGTH);
    this.codeStep.addEventListener("submit", (event) => this.verify(event));
    for (const step of [this.codeStep, this.linkStep]) {
      login.$(".resend", step).addEventListener("click", () => this.resend(step));
      login.$(".back", step).addEventListener("click", () => {
        this.stopListening();
        login.showStart();
      });
    }
    const codeLink = login.$("#code-link-step");
    codeLink.addEventListener("submit", (event) => this.continueCodeLink(event));
    login.$(".back", codeLink).addEventListener("click", () => login.showStartWithError(""));
  }

  /** The methods the `connections` attribute lists, in its order (email alone by default). */
  methods() {
    const listed = (this.login.host.getAttribute("connections") ?? "email").split(/[\s,]+/);
    const methods = listed.filter((name) => Object.hasOwn(METHODS, name));
    return methods.length ? [...new Set(methods)] : listed.includes("passkey") ? [] : ["email"];
  }

  chosen() {
    const methods = this.methods();
    const picked = new FormData(this.start).get("method");
    return METHODS[methods.includes(picked) ? picked : methods[0]];
  }

  /** Shows the listed methods in order, the field the chosen one needs, its button's words. */
  showFields() {
    const { login } = this;
    const methods = this.methods();
    const fieldset = login.$(".methods");
    fieldset.hidden = methods.length < 2;
    for (const name of methods) fieldset.append(login.$(`[data-method="${name}"]`));
    for (const label of fieldset.querySelectorAll(".method")) label.hidden = !methods.includes(label.dataset.method);
    const picked = new FormData(this.start).get("method");
    if (!methods.includes(picked) && methods.length) login.$(`[data-method="${methods[0]}"] input`).checked = true;
    const method = this.chosen();
    for (const field of this.start.querySelectorAll(".field")) {
      field.hidden = !method || (field.dataset.for === "phone") !== (method.connection === "sms");
    }
    const send = login.$(".send");
    send.hidden = !method;
    if (method) {
      send.dataset.t = method.button;
      send.textContent = login.t(method.button);
    }
  }

  /** The first screen, as the person left it; `method` preselected when given. */
  showStart(method) {
    const { login } = this;
    const radio = method && login.$(`[data-method="${method}"] input`);
    if (radio) radio.checked = true;
    login.clearMessages();
    this.showFields();
    login.show("start");
    const send = login.$(".send");
    if (!send.coolingDown) send.disabled = false;
    login.passkeys.offerAutofill();
  }

  /** Fills the start form from `prefill-email` / `prefill-phone`. */
  prefill() {
    const email = this.login.host.getAttribute("prefill-email");
    const phone = this.login.host.getAttribute("prefill-phone");
    if (email && !this.login.$("#email").value) this.login.$("#email").value = email;
    if (phone && !this.login.$("#phone").value) this.login.$("#phone").value = phone;
  }

  /** Reads the start form; answers the identity, or shows what to fix and answers null. */
  readIdentity() {
    const { login } = this;
    const method = this.chosen();
    if (method.connection === "email") {
      const input = login.$("#email");
      const email = input.value.trim();
      if (!email || !input.checkValidity() || !/@[^@.]+\.[^@]+$/.test(email)) {
        login.showError(login.t("invalidEmail"));
        input.focus();
        return null;
      }
      return { connection: "email", send: method.send, link: method.link, email };
    }
    const input = login.$("#phone");
    const phoneNumber = compactPhone(input.value);
    if (!/^\+[1-9][0-9]{1,14}$/.test(phoneNumber)) {
      login.showError(login.t("invalidPhone"));
      input.focus();
      return null;
    }
    return { connection: "sms", send: "code", phoneNumber };
  }

  /** Cools `button` down for the server's Retry-After when rate limited; the alert says why. */
  waitBeforeRetry(button, line, error) {
    if (error?.code === "too_many_requests" || error?.code === "too_many_attempts") {
      this.login.coolDown(button, line, error.retryAfter ?? RETRY_AFTER_SECONDS, "retryWait");
    }
    return false;
  }

  /** Asks the SDK to send the code or link; answers the seconds before another may be sent. */
  async request() {
    const { connection, send, email, phoneNumber } = this.identity;
    const params = connection === "email" ? { connection, email, send } : { connection, phoneNumber };
    if (send === "link") {
      const appState = this.login.host.appState;
      const state = typeof appState === "function" ? appState() : appState;
      if (state !== undefined) params.appState = state;
    }
    const { resendAfter } = await this.login.client.start(params);
    this.login.emit("sent", { connection, send: this.identity.link ? "code-link" : send, address: addressOf(this.identity) });
    return resendAfter;
  }

  send(event) {
    event.preventDefault();
    const { login } = this;
    login.clearMessages();
    if (!this.chosen()) return;
    const wanted = this.readIdentity();
    if (!wanted) return;
    login.passkeys.stopAutofill();
    const button = login.$(".send");
    login.busy(this.start, button, "sending", async () => {
      this.identity = wanted;
      this.showSent(await this.request());
      this.listenForTextedCode();
    }, (error) => this.waitBeforeRetry(button, login.$(".cooldown", this.start), error));
  }

  /** The sent step, its resend button cooling down for `resendAfter` seconds (the SDK's). */
  showSent(resendAfter) {
    const { login, identity } = this;
    const isLink = identity.send === "link" || identity.link;
    const step = isLink ? this.linkStep : this.codeStep;
    const address = addressOf(identity);
    if (isLink) {
      login.$(".where", step).hidden = Boolean(identity.link);
      login.fill(login.$(".sent", step), "linkSent", { address });
    } else {
      const heading = login.$("h2", step);
      heading.dataset.t = identity.connection === "sms" ? "checkPhone" : "checkEmail";
      heading.textContent = login.t(heading.dataset.t);
      login.fill(login.$(".sent", step), "codeSent", { address });
      step.reset();
    }
    login.show(isLink ? "link" : "code");
    login.coolDown(login.$(".resend", step), login.$(".cooldown", step), resendAfter, "resendWait");
  }

  /**
   * On a phone, lets the browser hand over the texted code (WebOTP) and signs in with it; the
   * field keeps autocomplete="one-time-code" for browsers without WebOTP.
   */
  listenForTextedCode() {
    this.stopListening();
    if (this.identity.connection !== "sms" || !matchMedia("(pointer: coarse)").matches) return;
    const waiting = new AbortController();
    this.stopListening = () => waiting.abort();
    this.login.client.receiveSmsCode({ signal: waiting.signal }).then((code) => {
      this.codeInput.value = code;
      this.codeStep.requestSubmit();
    }, () => {}); // unsupported or stopped: the person types the code
  }

  verify(event) {
    event.preventDefault();
    const { login, codeInput } = this;
    login.clearMessages();
    const code = digitsOf(codeInput.value);
    if (code.length !== CODE_LENGTH) {
      login.showError(login.t("codeLength", { length: CODE_LENGTH }));
      codeInput.focus();
      return;
    }
    this.stopListening();
    const { connection, email, phoneNumber } = this.identity;
    const params = connection === "email" ? { connection, email, code } : { connection, phoneNumber, code };
    login.busy(this.codeStep, login.$('[type="submit"]', this.codeStep), "signingIn", async () => {
      try {
        await login.complete(login.client.verify(params));
      } catch (error) {
        codeInput.select();
        // This code is dead: a new one is the only way on, so don't make the person wait.
        if (codeIsUsedUp(error)) login.$(".resend", this.codeStep).endCoolDown?.();
        throw error;
      }
    });
  }

  resend(step) {
    const { login } = this;
    const resend = login.$(".resend", step);
    const line = login.$(".cooldown", step);
    login.busy(step, resend, "sending", async () => {
      const resendAfter = await this.request();
      if (step === this.codeStep) step.reset();
      const isLink = this.identity.send === "link" || this.identity.link;
      login.showNotice(login.t(isLink ? "newLinkSent" : "newCodeSent", { address: addressOf(this.identity) }));
      (step === this.codeStep ? this.codeInput : resend).focus();
      login.coolDown(resend, line, resendAfter, "resendWait");
    }, (error) => this.waitBeforeRetry(resend, line, error));
  }

  /** A magic link came back to this page: finish it here. */
  async finishMagicLink() {
    const { login } = this;
    login.show("callback");
    try {
      await login.complete(login.client.handleRedirectCallback());
    } catch (error) {
      login.showStartWithError(error, "magic-link");
    }
  }

  /** A code link opened this page: "Continue as …"; nothing is used before the click. */
  showCodeLink() {
    const { login } = this;
    try {
      this.codeLink = login.client.readCodeLink();
    } catch (error) {
      login.showStartWithError(error);
      return;
    }
    const address = this.codeLink.email ?? this.codeLink.phoneNumber;
    const step = login.$("#code-link-step");
    const withAddress = login.$(".with-address", step);
    if (address) login.fill(withAddress, "codeLinkAs", { address });
    withAddress.hidden = !address;
    login.$(".without-address", step).hidden = Boolean(address);
    login.clearMessages();
    login.show("code-link");
  }

  continueCodeLink(event) {
    event.preventDefault();
    const { login } = this;
    const step = login.$("#code-link-step");
    const address = this.codeLink.email ?? this.codeLink.phoneNumber;
    const email = login.$("#code-link-email").value.trim();
    if (!address && !email) {
      login.showError(login.t("codeLinkEmailMissing"));
      return;
    }
    const named = address ? undefined : { connection: "email", email };
    login.busy(step, login.$('[type="submit"]', step), "signingIn", async () => {
      try {
        await login.complete(login.client.completeCodeLink(named));
      } catch (error) {
        if (error?.code === "link_used_or_expired") return login.showStartWithError(error, "link");
        throw error;
      }
    });
  }
}
