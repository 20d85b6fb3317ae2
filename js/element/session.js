// Signed in: the recovery code to save first (after an enrolment, or after using one), then the
// signed-in screen and signing out, also followed when it happens in another tab.
import { copyButton } from "./fields.js";

export class SessionView {
  /** The session waiting for "I saved it" before the page hears of it. */
  pending = null;
  /** Stops following the client's session changes. */
  unfollow = () => {};

  constructor(login) {
    this.login = login;
    this.recoveryStep = login.$("#recovery-step");
    this.recoveryStep.addEventListener("submit", (event) => this.saved(event));
    login.$(".sign-out").addEventListener("click", () => this.signOut());
  }

  /** Follows `client`'s session: a sign-out in another tab brings back the first screen. */
  follow(client) {
    this.unfollow();
    this.unfollow = client.onSessionChange((change) => {
      if (change.type !== "signedOut" || this.login.host.getAttribute("state") !== "done") return;
      this.leave();
      this.login.showNotice(this.login.t("signedOutElsewhere"));
    });
  }

  /**
   * Signed in: when there are recovery codes to save (`recoveryCodes`, or the session's new
   * `recoveryCode`), shows them first, once, and only then says `signedin`.
   */
  signedIn(session, recoveryCodes = []) {
    const { login } = this;
    const codes = [...recoveryCodes, ...(session.recoveryCode ? [session.recoveryCode] : [])];
    if (codes.length === 0) return this.showDone(session);
    this.pending = session;
    const title = session.recoveryCode && !recoveryCodes.length
      ? "saveNewRecoveryCode"
      : codes.length > 1 ? "saveRecoveryCodes" : "saveRecoveryCode";
    login.$("h2", this.recoveryStep).textContent = login.t(title);
    const items = codes.map((code) => {
      const li = document.createElement("li");
      const text = document.createElement("code");
      text.textContent = code;
      li.append(text, copyButton(login, text));
      return li;
    });
    login.$(".recovery-codes").replaceChildren(...items);
    this.recoveryStep.reset();
    login.show("recovery");
    return undefined;
  }

  saved(event) {
    event.preventDefault();
    const { login } = this;
    const box = login.$("#saved");
    if (!box.checked) {
      login.showError(login.t("tickTheBox"));
      box.focus();
      return;
    }
    const session = this.pending;
    this.pending = null;
    // Shown once: gone from the page as soon as the person says it is saved.
    login.$(".recovery-codes").replaceChildren();
    this.showDone(session);
  }

  showDone(session) {
    const { login } = this;
    const { claims } = session;
    login.fill(login.$(".signed-in-as"), "signedInAs", { address: claims.email ?? claims.phone_number ?? claims.name ?? claims.sub ?? "" });
    login.passkeys.offerToSave();
    login.clearMessages();
    // The page hears of it first, so that what it shows beside is there with the heading.
    login.emit("signedin", session);
    login.show("done");
  }

  /** Back to the first screen, with nothing of the session left on this one. */
  leave() {
    const { login } = this;
    for (const form of login.root.querySelectorAll("form")) form.reset();
    login.$(".signed-in-as").replaceChildren();
    login.firstFactor.prefill();
    login.emit("signedout");
    login.showStart();
  }

  async signOut() {
    // Forgotten here at once; the refresh token is revoked through the relay.
    const revoked = this.login.client.signOut();
    this.leave();
    try {
      await revoked;
    } catch (error) {
      this.login.showError(error);
    }
  }
}
