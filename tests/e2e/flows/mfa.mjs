// Second factors, after an email code: the page lists the account's authenticators and each
// one passes — TOTP (codes from otplib, an implementation independent of ours), an SMS code,
// a push approved or denied from the dev inbox panel, a recovery code — and a TOTP enrolment
// when the tenant requires one, its QR code read back by a QR decoder.
import assert from "node:assert/strict";
import { authenticator } from "otplib";
import decodeQR from "qr/decode.js";

import { saveScreenshot } from "../browser.mjs";
import { createUser, setMfaPolicy, uniqueEmail, uniquePhone } from "../dev-tenant.mjs";
import {
  alertSays, assertSignedInAs, enterCode, inboxMessage, passFirstFactor, readInboxCode,
  withDemoPage,
} from "../person.mjs";

/** Signs in with an email code as a new user with `factors`; ends on the list of factors. */
async function toSecondFactor(page, watch, factors) {
  const email = uniqueEmail("mfa");
  const phone = uniquePhone();
  const user = await createUser(email, factors, factors.includes("sms") ? phone : undefined);
  await passFirstFactor(page, watch, email);
  await page.getByRole("heading", { name: "Confirm it's you" }).waitFor();
  return { email, phone, user };
}

const factor = (page, name) => page.getByRole("button", { name });

export async function totp(t) {
  await withDemoPage(t, "mfa-totp", async (page, watch) => {
    const { email, user } = await toSecondFactor(page, watch, ["otp"]);
    await factor(page, /Authenticator app/).click();
    await enterCode(page, authenticator.generate(user.totp_secret), "Code from your authenticator app", "Verify");
    await assertSignedInAs(page, email);
  });
}

export async function smsCode(t) {
  await withDemoPage(t, "mfa-sms", async (page, watch) => {
    const { email, phone } = await toSecondFactor(page, watch, ["sms", "otp", "push"]);
    await saveScreenshot(page, "mfa-choose");
    await factor(page, new RegExp(`Text message.*${phone.replace("+", "\\+")}`)).click();
    await page.getByText(`We sent a 6-digit code to ${phone}`).waitFor();
    const code = await readInboxCode(page, "sms");
    await enterCode(page, code, "Code from the text message", "Verify");
    await assertSignedInAs(page, email);
  });
}

/** Chooses the push factor; answers the Approve and Deny buttons of its inbox message. */
async function sendPush(page, watch) {
  // Polling answers 400 authorization_pending until the phone decides.
  watch.expectFailedLoad("/oauth/token", 400);
  await factor(page, /Push notification/).click();
  await page.getByRole("heading", { name: "Approve on your phone" }).waitFor();
  const push = inboxMessage(page, { channel: "push", kind: "push" });
  return {
    approve: push.getByRole("button", { name: "Approve" }),
    deny: push.getByRole("button", { name: "Deny" }),
  };
}

export async function pushApproved(t) {
  await withDemoPage(t, "mfa-push-approved", async (page, watch) => {
    const { email } = await toSecondFactor(page, watch, ["push"]);
    const { approve } = await sendPush(page, watch);
    await approve.waitFor();
    await saveScreenshot(page, "mfa-push-waiting");
    await approve.click();
    await assertSignedInAs(page, email);
  });
}

export async function pushDenied(t) {
  await withDemoPage(t, "mfa-push-denied", async (page, watch) => {
    await toSecondFactor(page, watch, ["push"]);
    const { deny } = await sendPush(page, watch);
    await deny.click();
    await alertSays(page, "The sign-in was denied on your phone.");
    await page.getByRole("heading", { name: "Confirm it's you" }).waitFor();
    assert.ok(await factor(page, /Push notification/).isEnabled(), "another try is possible");
  });
}

export async function recoveryCode(t) {
  await withDemoPage(t, "mfa-recovery-code", async (page, watch) => {
    const { email, user } = await toSecondFactor(page, watch, ["otp"]);
    const [saved] = user.recovery_codes;
    await factor(page, /Recovery code/).click();
    await enterCode(page, saved, "Recovery code", "Verify");

    // The old code is spent; the new one is shown once, before the claims.
    await page.getByRole("heading", { name: "Save your new recovery code" }).waitFor();
    const fresh = (await page.getByTestId("recovery-codes").locator("code").textContent()).trim();
    assert.match(fresh, /^[A-Z0-9]{16,}$/);
    assert.notEqual(fresh, saved);
    await confirmSaved(page);
    await assertSignedInAs(page, email);
  });
}

/** "Continue" refuses until "I saved it" is ticked. */
async function confirmSaved(page) {
  await page.getByRole("button", { name: "Continue" }).click();
  await alertSays(page, "tick the box");
  await page.getByLabel("I saved my recovery code somewhere safe").check();
  await page.getByRole("button", { name: "Continue" }).click();
}

/** The text of the QR code `image` shows, read from its pixels as a camera would. */
async function scanQrCode(image) {
  await image.waitFor();
  const { width, height, pixels } = await image.evaluate(async (img) => {
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 400;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0, 400, 400);
    return { width: 400, height: 400, pixels: [...context.getImageData(0, 0, 400, 400).data] };
  });
  return decodeQR({ width, height, data: Uint8ClampedArray.from(pixels) });
}

export async function enrolment(t) {
  await setMfaPolicy("always");
  try {
    await withDemoPage(t, "mfa-enrolment", async (page, watch) => {
      const email = uniqueEmail("enrol");
      await passFirstFactor(page, watch, email);
      await page.getByRole("heading", { name: "Set up an authenticator app" }).waitFor();

      // An authenticator app scans the QR code: decoded by npm `qr`, it is the otpauth:// URI.
      const scanned = await scanQrCode(page.getByRole("img", { name: /QR code/ }));
      const uri = new URL(scanned);
      assert.equal(uri.protocol, "otpauth:");
      const secret = uri.searchParams.get("secret");
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      await page.getByText("Can't scan it?").click();
      const link = page.getByRole("link", { name: "Open in an authenticator app on this device" });
      assert.equal(await link.getAttribute("href"), scanned, "the link is the QR code's URI");
      const shown = (await page.getByTestId("totp-secret").textContent()).replace(/\s+/g, "");
      assert.equal(shown, secret, "the key to type is the QR code's");
      await saveScreenshot(page, "mfa-enrolment-qr");

      await enterCode(page, authenticator.generate(secret), "6-digit code from the app", "Verify and continue");
      await page.getByRole("heading", { name: "Save your recovery code" }).waitFor();
      const codes = await page.getByTestId("recovery-codes").locator("code").allTextContents();
      assert.equal(codes.length, 1, "the tenant gives one recovery code");
      await saveScreenshot(page, "mfa-enrolment-recovery-code");
      await confirmSaved(page);
      await assertSignedInAs(page, email);
      assert.equal(await page.getByTestId("recovery-codes").locator("code").count(), 0, "shown once");
    });
  } finally {
    await setMfaPolicy("when-enrolled");
  }
}
