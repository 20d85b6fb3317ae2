// A typed use of passwordless-wasm/element: `tsc --noEmit` (scripts/check-types.sh) fails if
// element.d.ts drifts from what an app writes, or loses precision.
import { defineElement, PasswordlessLoginElement } from "passwordless-wasm/element";
import init, { PasswordlessClient, type Session } from "passwordless-wasm";

defineElement();
defineElement("my-login");

export async function mount(parent: HTMLElement): Promise<PasswordlessLoginElement> {
  const login = document.createElement("passwordless-login");
  login.setAttribute("connections", "email sms passkey");
  login.strings = { signInTitle: "Log in to Acme", too_many_requests: "Slow down; try again {wait}." };
  // @ts-expect-error: a key the element does not have is a typo the types catch.
  login.strings = { signInTitel: "Log in to Acme" };
  login.appState = () => ({ returnTo: location.pathname });
  login.qrCode = async (uri: string) => `https://qr.example/${encodeURIComponent(uri)}`;
  await init();
  login.client = new PasswordlessClient({ domain: "https://app.example.com/auth", clientId: "abc" });
  login.addEventListener("signedin", (event) => {
    const session: Session = event.detail;
    console.log(session.claims.email);
  });
  login.addEventListener("error", (event) => console.log(event.detail.code, event.detail.retryAfter));
  login.addEventListener("mfarequired", (event) => {
    if (event.detail.mfaToken) event.preventDefault();
  });
  login.addEventListener("sent", (event) => console.log(event.detail.connection, event.detail.address));
  login.addEventListener("signedout", () => console.log("signed out"));
  parent.append(login);
  return login instanceof PasswordlessLoginElement ? login : Promise.reject(new Error("not upgraded"));
}
