// The second factor: list the user's authenticators and pass any one of them (a code from an
// authenticator app, a code sent by text or email, a push approved on the phone, a recovery
// code), or enrol an authenticator app when the tenant requires one the account lacks.
import { acceptPastedCode, digitsOf } from "./fields.js";
import { CODE_LENGTH } from "./login.js";

/** How each authenticator reads in the list, and what choosing it does. */
function describe(t, authenticator) {
  const to = authenticator.name;
  if (authenticator.authenticatorType === "otp") return { title: t("factorOtp"), detail: t("factorOtpDetail"), kind: "otp" };
  if (authenticator.authenticatorType === "recovery-code") {
    return { title: t("factorRecovery"), detail: t("factorRecoveryDetail"), kind: "recovery" };
  }
  switch (authenticator.oobChannel) {
    case "sms":
      return { title: t("factorSms"), detail: t("factorCodeDetail", { address: to ?? t("yourPhone") }), kind: "sms" };
    case "email":
      return { title: t("factorEmail"), detail: t("factorCodeDetail", { address: to ?? t("yourEmail") }), kind: "email" };
    case "auth0":
      return { title: t("factorPush"), detail: t("factorPushDetail", { address: to ?? t("yourPhone") }), kind: "push" };
    default:
      return null;
  }
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type. */
const grouped = (secret) => secret.replace(/(.{4})(?=.)/g, "$1 ");

export class Mfa {
  /** The MFA token of the sign-in waiting for its second factor. */
  token = null;
  /** What the code step checks: { kind: "otp" | "oob" | "recovery", oobCode? }. */
  pending = null;
  /** The recovery codes of an enrolment, shown once signed in. */
  recoveryCodes = [];

  constructor(login) {
    this.login = login;
    this.codeStep = login.$("#mfa-code-step");
    this.codeInput = login.$("#mfa-code");
    acceptPastedCode(this.codeInput, CODE_LENGTH);
    this.codeStep.addEventListener("submit", (event) => this.verify(event));
    for (const name of ["mfa-code", "mfa-push"]) {
      login.$(".other", login.$(`#${name}-step`)).addEventListener("click", () => {
        login.clearMessages();
        login.show("mfa-choose");
      });
    }
    for (const button of login.root.querySelectorAll(".restart")) button.addEventListener("click", () => login.showStart());
    this.enrolStep = login.$("#enrol-step");
    this.enrolInput = login.$("#enrol-code");
    acceptPastedCode(this.enrolInput, CODE_LENGTH);
    this.enrolStep.addEventListener("submit", (event) => this.confirmEnrolment(event));
  }

  /** After `mfa_required`: enrol, or list the authenticators to choose from. */
  async start(error) {
    const { login } = this;
    const t = login.t.bind(login);
    this.token = error.mfaToken;
    if (error.mfaRequirements?.enroll?.length) return this.enrol();
    const all = await login.client.mfa.getAuthenticators(this.token);
    const usable = all.filter((a) => a.active).map((a) => ({ ...a, ...describe(t, a) })).filter((a) => a.kind);
    // Recovery codes last: they are the way out, not the way in.
    usable.sort((a, b) => (a.kind === "recovery") - (b.kind === "recovery"));
    const items = usable.map((authenticator) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "factor";
      button.setAttribute("part", "button factor");
      const title = document.createElement("strong");
      title.textContent = authenticator.title;
      const detail = document.createElement("small");
      detail.textContent = authenticator.detail;
      button.append(title, " ", detail);
      button.addEventListener("click", () => this.choose(authenticator, button));
      li.append(button);
      return li;
    });
    login.$(".factors").replaceChildren(...items);
    login.clearMessages();
    if (usable.length === 0) login.showError(t("noFactor"));
    login.show("mfa-choose");
  }

  choose(authenticator, button) {
    const { login } = this;
    login.clearMessages();
    switch (authenticator.kind) {
      case "otp":
        this.pending = { kind: "otp" };
        return this.showCodeStep("otpTitle", login.t("otpPrompt"), "otpLabel");
      case "recovery":
        this.pending = { kind: "recovery" };
        return this.showCodeStep("recoveryTitle", login.t("recoveryPrompt"), "recoveryLabel", false);
      default:
        return login.busy(login.$("#mfa-choose-step"), button, "sending", () => this.challenge(authenticator));
    }
  }

  /** Sends a code by text or email, or a push, for `authenticator`. */
  async challenge(authenticator) {
    const { login } = this;
    const { oobCode } = await login.client.mfa.challenge({
      mfaToken: this.token,
      challengeType: "oob",
      authenticatorId: authenticator.id,
    });
    const texted = authenticator.kind === "sms";
    const address = authenticator.name ?? login.t(authenticator.kind === "email" ? "yourEmail" : "yourPhone");
    login.emit("sent", { connection: "mfa", send: authenticator.kind, address: authenticator.name });
    if (authenticator.kind === "push") {
      this.waitForPush(address, oobCode); // it shows its own outcome
      return;
    }
    this.pending = { kind: "oob", oobCode };
    this.showCodeStep(texted ? "smsTitle" : "emailCodeTitle", login.t("oobPrompt", { address }),
      texted ? "smsLabel" : "emailCodeLabel");
  }

  showCodeStep(title, prompt, label, numeric = true) {
    const { login, codeInput } = this;
    login.$("h2", this.codeStep).textContent = login.t(title);
    login.$(".prompt", this.codeStep).textContent = prompt;
    login.$('label[for="mfa-code"]').textContent = login.t(label);
    this.codeStep.reset();
    codeInput.inputMode = numeric ? "numeric" : "text";
    codeInput.autocomplete = numeric ? "one-time-code" : "off";
    codeInput.autocapitalize = numeric ? "off" : "characters";
    codeInput.classList.toggle("otp", numeric);
    if (numeric) codeInput.maxLength = CODE_LENGTH;
    else codeInput.removeAttribute("maxlength");
    login.show("mfa-code");
  }

  /** Waits for the push to be approved (then signs in) or denied (then back to the list). */
  async waitForPush(device, oobCode) {
    const { login } = this;
    login.fill(login.$(".device"), "pushHint", { address: device });
    login.show("mfa-push");
    const wait = new AbortController();
    login.leaving.add(() => wait.abort());
    try {
      await login.complete(login.client.mfa.verify({ mfaToken: this.token, oobCode, poll: true, signal: wait.signal }));
    } catch (error) {
      if (wait.signal.aborted) return; // "Use another method", or the element left
      login.show("mfa-choose");
      login.showError(error);
    }
  }

  /** The proof of the code step, from what was typed; null (with the reason shown) if unusable. */
  proof() {
    const { login, codeInput, pending } = this;
    if (pending.kind === "recovery") {
      const recoveryCode = codeInput.value.trim().replace(/\s+/g, "");
      if (recoveryCode) return { recoveryCode };
      login.showError(login.t("recoveryMissing"));
      return null;
    }
    const code = digitsOf(codeInput.value);
    if (code.length !== CODE_LENGTH) {
      login.showError(login.t("mfaCodeLength", { length: CODE_LENGTH }));
      return null;
    }
    return pending.kind === "otp" ? { otp: code } : { oobCode: pending.oobCode, bindingCode: code };
  }

  verify(event) {
    event.preventDefault();
    const { login, codeInput } = this;
    login.clearMessages();
    const given = this.proof();
    if (!given) return codeInput.focus();
    login.busy(this.codeStep, login.$('[type="submit"]', this.codeStep), "verifying", async () => {
      try {
        await login.complete(login.client.mfa.verify({ mfaToken: this.token, ...given }));
      } catch (error) {
        codeInput.select();
        throw error;
      }
    });
  }

  /** Asks the tenant for a new TOTP secret and shows it as a QR code, a key and a link. */
  async enrol() {
    const { login, enrolStep } = this;
    const { secret, barcodeUri, recoveryCodes } = await login.client.mfa.enroll({ mfaToken: this.token, factor: "otp" });
    this.recoveryCodes = recoveryCodes ?? [];
    login.$(".secret", enrolStep).textContent = grouped(secret);
    login.$(".otpauth", enrolStep).href = barcodeUri;
    const image = login.$(".qr img", enrolStep);
    const qr = await qrDataUrl(login.host.qrCode, barcodeUri);
    image.hidden = !qr;
    if (qr) image.src = qr;
    login.$("details", enrolStep).open = !qr;
    enrolStep.reset();
    login.clearMessages();
    login.show("enrol");
  }

  confirmEnrolment(event) {
    event.preventDefault();
    const { login, enrolInput } = this;
    login.clearMessages();
    const otp = digitsOf(enrolInput.value);
    if (otp.length !== CODE_LENGTH) {
      login.showError(login.t("enrolCodeLength", { length: CODE_LENGTH }));
      return enrolInput.focus();
    }
    login.busy(this.enrolStep, login.$('[type="submit"]', this.enrolStep), "verifying", async () => {
      try {
        await login.complete(login.client.mfa.verify({ mfaToken: this.token, otp }), this.recoveryCodes);
      } catch (error) {
        enrolInput.select();
        throw error;
      }
    });
  }
}

/**
 * The QR code of `text` as an image URL: from the page's own renderer (the element's `qrCode`
 * property: text → URL, or a promise of one), else from the package's QR module (./qr.js, loaded
 * only now); null when neither works (the key and the link are shown instead).
 */
async function qrDataUrl(renderer, text) {
  try {
    if (typeof renderer === "function") return await renderer(text);
    const { renderSVG } = await import("./qr.js");
    const svg = renderSVG(text, { ecc: "M", border: 4, pixelSize: 8 });
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  } catch {
    return null;
  }
}
