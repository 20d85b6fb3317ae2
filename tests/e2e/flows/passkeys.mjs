// Passkeys on the demo page, with Chromium's virtual authenticator (CDP WebAuthn.*: ctap2,
// internal, resident keys, user verification), as Chromium's own WebAuthn tests do. WebAuthn
// refuses an IP address as relying party, so these pages are opened on localhost.
import assert from "node:assert/strict";

import { DEMO_URL } from "../browser.mjs";
import { uniqueEmail } from "../dev-tenant.mjs";
import {
  alertSays, assertSignedInAs, enterCode, readInboxCode, sendEmailCode, withDemoPage,
} from "../person.mjs";

/** The demo on localhost (the relying party's id), whatever host DEMO_URL names. */
const LOCALHOST_DEMO = (() => {
  const url = new URL(DEMO_URL);
  url.hostname = "localhost";
  return url.href;
})();

/** A platform authenticator with user verification, that answers without a person. */
async function addAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const credentials = async () =>
    (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  return { cdp, authenticatorId, credentials };
}

/**
 * Opens the demo on localhost with an authenticator; waits for the start screen. The virtual
 * authenticator picks a passkey offered in the autofill at once (a person would have to choose
 * it), so a flow that signs in with the button is run `withoutAutofill`: as in a browser that
 * does not offer passkeys in the autofill.
 */
async function openWithAuthenticator(open, { withoutAutofill = false } = {}) {
  const opened = await open(LOCALHOST_DEMO);
  if (withoutAutofill) {
    await opened.page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
  }
  const authenticator = await addAuthenticator(opened.page);
  await opened.page.reload();
  await opened.page.getByRole("heading", { name: "Sign in" }).waitFor();
  return { ...opened, authenticator };
}

/** The verified ID token's `sub`, as the signed-in screen lists it. */
async function shownSub(page) {
  const sub = await page.locator('[data-testid="claims"] dt:text-is("sub") + dd').textContent();
  assert.ok(sub.trim(), "a sub is shown");
  return sub.trim();
}

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

async function signInWithPasskey(page) {
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
}

export async function signUpThenOneTap(t) {
  await withDemoPage(t, "passkey-sign-up-then-one-tap", async (_page, _watch, open) => {
    const { page, authenticator } = await openWithAuthenticator(open, { withoutAutofill: true });
    const email = uniqueEmail("pk");
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: /Create an account with a passkey/ }).click();
    await assertSignedInAs(page, email);
    const sub = await shownSub(page);
    assert.equal(await page.getByRole("button", { name: "Save a passkey for next time" }).isVisible(), false,
      "no offer to save a passkey right after using one");
    const [credential] = await authenticator.credentials();
    assert.ok(credential?.isResidentCredential, "a discoverable credential (a passkey) was made");

    await signOut(page);
    await signInWithPasskey(page);
    await assertSignedInAs(page, email);
    assert.equal(await shownSub(page), sub, "the same account");
    return page;
  });
}

export async function autofill(t) {
  await withDemoPage(t, "passkey-autofill", async (_page, _watch, open) => {
    const { page } = await openWithAuthenticator(open);
    const email = uniqueEmail("pk-autofill");
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: /Create an account with a passkey/ }).click();
    await assertSignedInAs(page, email);
    const autofillOffered = page.evaluate(() => PublicKeyCredential.isConditionalMediationAvailable());
    assert.equal(await autofillOffered, true, "Chromium offers passkeys in the autofill");

    // Signed out, the start screen waits on the email field's autofill (conditional
    // mediation); the virtual authenticator picks its one passkey, as a person would.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Email address").focus();
    await assertSignedInAs(page, email);
    return page;
  });
}

export async function codeThenSavePasskey(t) {
  await withDemoPage(t, "passkey-saved-after-a-code", async (_page, _watch, open) => {
    const { page, authenticator } = await openWithAuthenticator(open, { withoutAutofill: true });
    const email = uniqueEmail("pk-save");
    await sendEmailCode(page, email);
    await enterCode(page, await readInboxCode(page));
    await assertSignedInAs(page, email);
    const sub = await shownSub(page);

    await page.getByRole("button", { name: "Save a passkey for next time" }).click();
    await page.getByText("Passkey saved. Next time, sign in with one tap.").waitFor();
    assert.equal((await authenticator.credentials()).length, 1);

    const listed = page.getByTestId("dev-passkeys").getByRole("listitem");
    await listed.first().waitFor();
    assert.equal(await listed.count(), 1, "the dev inbox panel lists the account's passkey");

    await signOut(page);
    await signInWithPasskey(page);
    await assertSignedInAs(page, email);
    assert.equal(await shownSub(page), sub, "the passkey signs in the account of the code");
    return page;
  });
}

export async function refused(t) {
  await withDemoPage(t, "passkey-refused", async (_page, watch, open) => {
    const { page, authenticator } = await openWithAuthenticator(open);
    // An authenticator with no passkey for this site.
    await signInWithPasskey(page);
    await alertSays(page, "No passkey was used");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    // The person refuses to verify (the sheet dismissed): no passkey is made, nothing signs in.
    const { cdp, authenticatorId } = authenticator;
    await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
    await page.getByLabel("Email address").fill(uniqueEmail("pk-cancel"));
    await page.getByRole("button", { name: /Create an account with a passkey/ }).click();
    await alertSays(page, "No passkey was used");
    assert.equal((await authenticator.credentials()).length, 0);
    return page;
  });
}
