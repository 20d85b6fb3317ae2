// The demo page: the product's <passwordless-login> element does every flow (email and SMS
// codes, code links, magic links, passkeys, every second factor); this page only configures it
// and listens to it for what is the demo's own: the dev inbox panel (./js/inbox.js, what the
// local tenant "sent"), the account's passkeys there (./js/dev-passkeys.js), and the verified
// ID token's claims (./js/claims.js).
import "/pkg/element.js";
import { hideClaims, showClaims } from "./js/claims.js";
import { hideDevPasskeys, showDevPasskeys } from "./js/dev-passkeys.js";
import { forgetInbox, resumeInbox, watchInbox } from "./js/inbox.js";
import { $ } from "./js/ui.js";

const login = $("passwordless-login");
/** WebAuthn refuses an IP address as relying party: passkeys need a name such as localhost. */
const onAnIp = /^[0-9.]+$|^\[/.test(location.hostname);

// A link came back to this page (a magic link's callback, or a code link): the inbox panel
// keeps showing the messages of this sign-in.
if (/[?&]code=/.test(location.search) || /[#&]otp=/.test(location.hash)) resumeInbox();

// The relay is this page's own origin (the devserver); links come back to this page.
login.setAttribute("domain", location.origin);
// What the link's tab will want to know (it may not be this one): when it was asked for.
login.appState = () => ({ sentAt: Date.now() });

login.addEventListener("sent", (event) => watchInbox(event.detail.address));
login.addEventListener("signedin", (event) => {
  const session = event.detail;
  showClaims(session);
  showDevPasskeys(session.claims.email ?? session.claims.phone_number);
});
login.addEventListener("passkeyadded", (event) => {
  const claims = event.detail?.claims ?? {};
  showDevPasskeys(claims.email ?? claims.phone_number);
});
login.addEventListener("signedout", () => {
  hideClaims();
  forgetInbox();
  hideDevPasskeys();
});

if (onAnIp) {
  const here = new URL(location.href);
  here.hostname = "localhost";
  $(".passkeys-elsewhere a").href = here.href;
  $(".passkeys-elsewhere").hidden = false;
}
