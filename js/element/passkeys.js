// Passkeys (when `connections` lists "passkey" and the browser can): sign in with one (a
// button, or picking it from the email field's autofill), create an account with one, and save
// one after a code sign-in so that the next visit is one tap.

/** Failures of the autofill's waiting sign-in that the person did not ask for. */
const QUIET = ["cancelled", "passkey_cancelled", "passkey_unsupported"];
/** WebAuthn refuses an IP address as relying party: passkeys need a name such as localhost. */
const onAnIp = () => /^[0-9.]+$|^\[/.test(location.hostname);

export class Passkeys {
  /** The autofill's waiting sign-in, aborted before any other. */
  autofill = null;
  /** Whether the session on screen came from a passkey (then there is nothing to save). */
  fromPasskey = false;

  constructor(login) {
    this.login = login;
    const start = login.$("#start-step");
    const signIn = login.$(".passkey-sign-in");
    signIn.addEventListener("click", () => {
      this.stopAutofill();
      login.busy(start, signIn, "passkeyWaiting", () => login.complete(this.marked(login.client.passkeys.signIn())));
    });
    const signUp = login.$(".passkey-sign-up");
    signUp.addEventListener("click", () => {
      const field = login.$("#email");
      const email = field.value.trim();
      if (!email) {
        login.clearMessages();
        login.showError(login.t("emailFirst"));
        field.focus();
        return;
      }
      this.stopAutofill();
      login.busy(start, signUp, "passkeyCreating", () =>
        login.complete(this.marked(login.client.passkeys.signUp({ email }))));
    });
    const done = login.$("#done-step");
    const save = login.$(".add-passkey");
    save.addEventListener("click", () =>
      login.busy(done, save, "saving", async () => {
        await login.client.passkeys.add();
        login.$(".save-passkey").hidden = true;
        login.showNotice(login.t("passkeySaved"));
        login.emit("passkeyadded", await login.client.getSession());
      }));
  }

  /** Whether passkeys are offered: listed in `connections`, and possible on this page. */
  enabled() {
    const listed = (this.login.host.getAttribute("connections") ?? "email").split(/[\s,]+/).includes("passkey");
    return listed && Boolean(this.login.client?.passkeys.isSupported()) && !onAnIp();
  }

  /** Shows or hides the start screen's passkey buttons; the email field's autocomplete. */
  showButtons() {
    const on = this.enabled();
    this.login.$(".passkeys").hidden = !on;
    this.login.$(".passkey-sign-up").hidden = !on || !this.login.firstFactor.methods().some((m) => m !== "sms");
    this.login.$("#email").autocomplete = on ? "username webauthn" : "email";
  }

  marked(promise) {
    return promise.then((session) => {
      this.fromPasskey = true;
      return session;
    });
  }

  stopAutofill() {
    this.autofill?.abort();
    this.autofill = null;
  }

  /** Offers the site's passkeys in the email field's autofill while the start screen is up. */
  async offerAutofill() {
    this.stopAutofill();
    this.showButtons();
    const { login } = this;
    if (!this.enabled() || !(await login.client.passkeys.isAutofillSupported())) return;
    const waiting = new AbortController();
    this.autofill = waiting;
    try {
      await login.complete(this.marked(login.client.passkeys.signIn({ mediation: "conditional", signal: waiting.signal })));
    } catch (error) {
      if (this.autofill === waiting && !QUIET.includes(error?.code)) login.showError(error);
    }
  }

  /** Whether the signed-in screen offers to save a passkey (not right after using one). */
  offerToSave() {
    const offer = this.enabled() && !this.fromPasskey;
    this.fromPasskey = false;
    this.login.$(".save-passkey").hidden = !offer;
  }
}
