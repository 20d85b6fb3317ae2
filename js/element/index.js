// passwordless-wasm/element: <passwordless-login>, a drop-in sign-in form on the SDK's
// promises (bundled into pkg/element.js by scripts/build-sdk.sh; the SDK stays in
// ./passwordless.js, so a page that imports only the SDK loads none of this).
//
//   <script type="module">import "passwordless-wasm/element";</script>
//   <passwordless-login domain="https://app.example.com/auth" client-id="…"></passwordless-login>
//
// Importing it where there is no browser (server rendering) defines nothing and touches no
// global; defining it twice is harmless.
import init, { PasswordlessClient } from "./passwordless.js";
import { FirstFactor } from "./first-factor.js";
import { Login } from "./login.js";
import { Mfa } from "./mfa.js";
import { Passkeys } from "./passkeys.js";
import { SessionView } from "./session.js";
import { languages } from "./strings.js";

/** The attributes that make the client (a change makes a new one). */
const CLIENT_ATTRIBUTES = ["domain", "client-id", "redirect-uri", "scope", "audience", "cache-location", "language"];
const Base = typeof HTMLElement === "undefined" ? class {} : HTMLElement;

/** `<passwordless-login>`: see the package README ("The drop-in element"). */
export class PasswordlessLoginElement extends Base {
  static observedAttributes = [...CLIENT_ATTRIBUTES, "connections", "prefill-email", "prefill-phone"];

  #login = null;
  #client = null;
  #strings = {};
  #started = 0;
  #clientIsOwn = false;
  #appState = undefined;
  #qrCode = undefined;

  constructor() {
    super();
    // A page or framework may have set properties before the element was defined: they are
    // own properties of this object now, hiding the accessors; set them again through them.
    for (const name of ["client", "strings", "appState", "qrCode"]) {
      if (!Object.hasOwn(this, name)) continue;
      const value = this[name];
      delete this[name];
      this[name] = value;
    }
  }

  /** Given with a magic link, handed back as `session.appState`: a value, or a function answering one. */
  get appState() {
    return this.#appState;
  }

  set appState(value) {
    this.#appState = value;
  }

  /** Renders the TOTP enrolment's QR code: `(otpauthUri) => imageUrl` (or a promise of one). */
  get qrCode() {
    return this.#qrCode;
  }

  set qrCode(render) {
    this.#qrCode = render;
  }

  /** The `PasswordlessClient` in use; set one to use a client the app already made. */
  get client() {
    return this.#client;
  }

  set client(client) {
    this.#client = client ?? null;
    this.#clientIsOwn = false;
    if (this.isConnected && this.#login) this.#start();
  }

  /** Replacements for any of the element's texts, by key (see strings/en.js): `{ signInTitle: "Log in" }`. */
  get strings() {
    return this.#strings;
  }

  set strings(strings) {
    this.#strings = { ...strings };
    if (this.#login) {
      this.#login.strings = this.#strings;
      this.#login.applyStrings();
    }
  }

  connectedCallback() {
    if (!this.#login) this.#build();
    if (!this.#login.client || this.#login.client !== this.#client) this.#start();
    // Moved in the page (disconnected, then connected again): the autofill stopped on leaving.
    else if (this.getAttribute("state") === "start") this.#login.passkeys.offerAutofill();
  }

  disconnectedCallback() {
    for (const stop of this.#login?.leaving ?? []) stop();
    this.#login?.passkeys.stopAutofill();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#login || old === value) return;
    if (name === "language") this.#applyLanguage();
    if (CLIENT_ATTRIBUTES.includes(name) && (this.#clientIsOwn || !this.#client)) {
      if (name !== "language" || this.#clientIsOwn) {
        this.#client = null;
        if (this.isConnected) this.#start();
      }
      return;
    }
    if (name.startsWith("prefill-")) this.#login.firstFactor.prefill();
    if (name === "connections" && this.getAttribute("state") === "start") this.#login.firstFactor.showStart();
  }

  #build() {
    const login = new Login(this);
    login.strings = this.#strings;
    login.firstFactor = new FirstFactor(login);
    login.passkeys = new Passkeys(login);
    login.mfa = new Mfa(login);
    login.session = new SessionView(login);
    this.#login = login;
    this.#applyLanguage();
    login.firstFactor.prefill();
    login.show("loading", { focus: false });
  }

  /** English, French or Spanish: the `language` attribute, else the page's `lang`. */
  #applyLanguage() {
    const wanted = (this.getAttribute("language") ?? this.closest("[lang]")?.lang ?? "en").toLowerCase().split("-")[0];
    this.#login.language = Object.hasOwn(languages, wanted) ? wanted : "en";
    this.#login.applyStrings();
  }

  /** The client from the `client` property, or one made from the attributes (after `init()`). */
  async #makeClient() {
    if (this.#client) return this.#client;
    const domain = this.getAttribute("domain");
    const clientId = this.getAttribute("client-id");
    if (!domain || !clientId) return null;
    await init();
    const options = { domain, clientId, redirectUri: this.getAttribute("redirect-uri") ?? location.origin + location.pathname };
    for (const [attribute, option] of [["scope", "scope"], ["audience", "audience"], ["language", "language"], ["cache-location", "cacheLocation"]]) {
      const value = this.getAttribute(attribute);
      if (value) options[option] = value;
    }
    this.#client = new PasswordlessClient(options);
    this.#clientIsOwn = true;
    return this.#client;
  }

  /** Shows what fits the page: a link's callback, a code link, the session kept, or the first screen. */
  async #start() {
    const run = ++this.#started;
    const login = this.#login;
    let client;
    try {
      client = await this.#makeClient();
    } catch (error) {
      if (run !== this.#started) return;
      login.show("start", { focus: false });
      login.showError(error);
      return;
    }
    if (run !== this.#started) return;
    login.client = client;
    login.holdFocus = !this.hasAttribute("autofocus");
    if (!client) {
      // A framework may set `client` just after connecting the element: say so only if it doesn't.
      setTimeout(() => {
        if (run === this.#started && !login.client) login.showError(login.t("notConfigured"));
      }, 1000);
      return;
    }
    login.session.follow(client);
    if (client.isRedirectCallback()) return login.firstFactor.finishMagicLink();
    if (client.isCodeLink()) return login.firstFactor.showCodeLink();
    const session = await client.getSession().catch(() => null);
    if (run !== this.#started) return;
    if (session) login.session.signedIn(session);
    else login.showStart();
  }
}

/** Defines `<passwordless-login>` (or `name`) once; does nothing where there is no browser. */
export function defineElement(name = "passwordless-login") {
  if (typeof customElements === "undefined" || typeof HTMLElement === "undefined" || customElements.get(name)) return;
  customElements.define(name, name === "passwordless-login" ? PasswordlessLoginElement : class extends PasswordlessLoginElement {});
}

defineElement();
