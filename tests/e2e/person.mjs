// What a person does on the demo page — choose, type, click, read the dev inbox panel — and
// the frame around each flow: a fresh browser profile, a screenshot of the final screen, and
// the checks that the page logged no console error and never saw the client secret.
import assert from "node:assert/strict";

import {
  DEMO_URL, launchBrowser, openWatchedPage, relaySecret, saveScreenshot,
} from "./browser.mjs";

let browser;

/** One Chromium for the whole run, started on first use. */
async function sharedBrowser() {
  browser ??= await launchBrowser();
  return browser;
}

export async function closeBrowser() {
  await browser?.close();
  browser = undefined;
}

/** A watched page in a fresh profile; `problems()` must come back empty at the end. */
export async function openDemo(contextOptions, url = `${DEMO_URL}/`) {
  const opened = await openWatchedPage(await sharedBrowser(), relaySecret(), contextOptions);
  await opened.page.goto(url);
  return opened;
}

/**
 * Runs `body(page, watch, open)` on the demo page, where `open(url)` opens another browser
 * profile on `url`. Always ends with a screenshot (`test-artifacts/<name>.png`, of the page
 * `body` returns, else the first) and the checks of every page opened.
 */
export async function withDemoPage(t, name, body, contextOptions = {}) {
  const opened = [];
  const open = async (url) => {
    const watched = await openDemo(contextOptions, url);
    opened.push(watched);
    return watched;
  };
  const { page, watch } = await open(`${DEMO_URL}/`);
  let finalPage = page;
  try {
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    finalPage = (await body(page, watch, open)) ?? page;
  } finally {
    const file = await saveScreenshot(finalPage, name).catch((e) => `none: ${e}`);
    t.diagnostic(`screenshot: ${file}`);
    const problems = [];
    for (const { context, watch: each } of opened) {
      problems.push(...(await each.problems()));
      for (const note of each.unchecked) t.diagnostic(`not checked for the secret: ${note}`);
      await context.close();
    }
    assert.deepEqual(problems, [], "the page misbehaved");
  }
}

/**
 * The id of the field that has the keyboard focus: inside the <passwordless-login> element's
 * shadow root (where `document.activeElement` is the element itself), or on the page.
 */
export function focusedId(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.id;
  });
}

/** Picks a sign-in method by its visible label. */
export async function chooseMethod(page, label) {
  await page.getByRole("radio", { name: label }).check();
}

/** Email code: types the address and sends; waits for the code step. */
export async function sendEmailCode(page, email) {
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByText(`We sent a code to ${email}`).waitFor();
}

/** The dev inbox panel's newest message on `channel` (email, sms, push) with `kind`. */
export function inboxMessage(page, { channel = "email", kind = "code" } = {}) {
  return page.locator(`[data-testid="inbox"] li[data-channel="${channel}"][data-kind="${kind}"]`).first();
}

/** Reads the newest code on `channel` from the dev inbox panel, as a person would. */
export async function readInboxCode(page, channel = "email") {
  const code = inboxMessage(page, { channel }).locator(".code");
  await code.waitFor();
  const text = (await code.textContent()).trim();
  assert.match(text, /^[0-9]{6}$/, "the dev inbox shows a 6-digit code");
  return text;
}

/** Another 6-digit code than `code`. */
export function wrongCodeThan(code) {
  return code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);
}

export async function enterCode(page, code, label = "Verification code", button = "Sign in") {
  await page.getByLabel(label, { exact: true }).fill(code);
  await page.getByRole("button", { name: button, exact: true }).click();
}

/** The alert that tells the person what went wrong, once it says `text`. */
export async function alertSays(page, text) {
  await page.getByRole("alert").filter({ hasText: text }).waitFor();
}

/** Signed in: the heading, and `who` in the verified claims. */
export async function assertSignedInAs(page, who) {
  await page.getByRole("heading", { name: "You're signed in" }).waitFor();
  const claims = await page.getByTestId("claims").textContent();
  assert.ok(claims.includes(who), `the claims show ${who}: ${claims}`);
  assert.equal(await page.getByRole("alert").count(), 0, "no error is left on screen");
}

/** The first factor by email code, for an account that has (or needs) a second one. */
export async function passFirstFactor(page, watch, email) {
  // The first factor's answer is 403 mfa_required, which Chromium logs.
  watch.expectFailedLoad("/oauth/token", 403);
  await sendEmailCode(page, email);
  await enterCode(page, await readInboxCode(page));
}
