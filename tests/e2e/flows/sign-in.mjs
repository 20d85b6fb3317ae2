// The first factor by one-time code: email (with the keyboard alone), SMS (on a phone-sized
// screen, pasting the code), a wrong code, and too many wrong codes.
import assert from "node:assert/strict";

import { saveScreenshot } from "../browser.mjs";
import { uniqueEmail, uniquePhone } from "../dev-tenant.mjs";
import {
  alertSays, assertSignedInAs, chooseMethod, enterCode, focusedId, inboxMessage, readInboxCode,
  sendEmailCode, withDemoPage, wrongCodeThan,
} from "../person.mjs";

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  // The test reads the clipboard back to know the copy landed before it pastes.
  permissions: ["clipboard-read", "clipboard-write"],
};

export async function emailCodeByKeyboard(t) {
  await withDemoPage(t, "email-code", async (page) => {
    const email = uniqueEmail();
    // The page puts the cursor in the email field; "Email me a code" is the default.
    assert.equal(await focusedId(page), "email");
    await page.keyboard.type(email);
    await page.keyboard.press("Enter");
    await page.getByText(`We sent a code to ${email}`).waitFor();
    await page.getByText(/You can ask for a new one in \d+ s/).waitFor();
    assert.ok(await page.getByRole("button", { name: "Send a new code" }).isDisabled(), "resend waits");

    const code = await readInboxCode(page);
    const input = page.getByLabel("Verification code");
    assert.equal(await input.getAttribute("autocomplete"), "one-time-code");
    assert.equal(await input.getAttribute("inputmode"), "numeric");
    assert.equal(await focusedId(page), "code", "focus moved to the code");
    await page.keyboard.type(code);
    await page.keyboard.press("Enter");
    await assertSignedInAs(page, email);

    // Sign out with the keyboard: Tab reaches the button.
    for (let i = 0; i < 40 && !(await page.getByRole("button", { name: "Sign out" }).evaluate((b) => b === b.getRootNode().activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await assertSignedInAgainPossible(page);
  });
}

async function assertSignedInAgainPossible(page) {
  assert.ok(await page.getByRole("button", { name: "Send code" }).isEnabled(), "ready to sign in again");
  assert.ok(await page.getByTestId("inbox").isHidden(), "the inbox panel is cleared on sign-out");
}

/**
 * Clicks the inbox's Copy button until the code is on the clipboard: the panel refreshes every
 * 2 s, and a click that lands as it redraws copies nothing.
 */
async function copyUntilOnClipboard(page, code) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await inboxMessage(page, { channel: "sms" }).getByRole("button", { name: `Copy code ${code}` }).click();
    for (let poll = 0; poll < 10; poll++) {
      if ((await page.evaluate(() => navigator.clipboard.readText())) === code) return;
      await page.waitForTimeout(100);
    }
  }
  assert.fail(`the code ${code} never reached the clipboard`);
}

export async function smsCodeOnAPhone(t) {
  await withDemoPage(t, "sms-code", async (page) => {
    const phone = uniquePhone();
    await chooseMethod(page, /Text me a code/);
    const spaced = `${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5, 8)} ${phone.slice(8)}`;
    await page.getByLabel("Phone number").fill(spaced);
    await saveScreenshot(page, "sms-code-start");
    await page.getByRole("button", { name: "Send code" }).click();
    await page.getByRole("heading", { name: "Check your phone" }).waitFor();
    await page.getByText(`We sent a code to ${phone}`).waitFor();

    // Copy the code from the "text message", paste it whole: the page signs in by itself.
    const code = await readInboxCode(page, "sms");
    await copyUntilOnClipboard(page, code);
    await page.getByLabel("Verification code").focus();
    await page.keyboard.press("ControlOrMeta+V");
    await assertSignedInAs(page, phone);
  }, PHONE);
}

export async function wrongCodeThenRight(t) {
  await withDemoPage(t, "wrong-code-then-right", async (page, watch) => {
    // The tenant answers a wrong code with 403 invalid_grant, which Chromium logs.
    watch.expectFailedLoad("/oauth/token", 403);
    const email = uniqueEmail();
    await sendEmailCode(page, email);
    const code = await readInboxCode(page);

    await enterCode(page, wrongCodeThan(code));
    await alertSays(page, "That code isn't right.");
    assert.ok(await page.getByLabel("Verification code").isVisible(), "still on the code step");

    await enterCode(page, code);
    await assertSignedInAs(page, email);
  });
}

export async function tooManyWrongCodes(t) {
  await withDemoPage(t, "too-many-wrong-codes", async (page, watch) => {
    watch.expectFailedLoad("/oauth/token", 403);
    const email = uniqueEmail();
    await sendEmailCode(page, email);
    const code = await readInboxCode(page);
    const wrong = wrongCodeThan(code);
    for (const attempt of [1, 2]) {
      await enterCode(page, wrong);
      await alertSays(page, "That code isn't right.");
      t.diagnostic(`wrong code ${attempt} refused`);
    }
    await enterCode(page, wrong);
    await alertSays(page, "typed wrong too many times");
    // The right code is now refused too: this code is used up, and a new one is needed.
    await enterCode(page, code);
    await alertSays(page, "typed wrong too many times");
    assert.ok(await page.getByRole("button", { name: "Send a new code" }).isEnabled(), "no wait for a new one");
  });
}
