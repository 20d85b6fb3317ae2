// Email one-time code, end to end, the way a person does it: the demo page in Chromium,
// the SDK in wasm, the relay and the local tenant with its dev inbox.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { DEMO_URL, launchBrowser, openWatchedPage, relaySecret, saveScreenshot } from "./browser.mjs";

const WRONG_CODE_MESSAGE = "Wrong email or verification code.";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A fresh address per run, so no earlier code or user gets in the way. */
function uniqueEmail() {
  return `ada+${Date.now()}${Math.floor(Math.random() * 1000)}@example.com`;
}

/** Opens the demo page, with the watch, and always ends with a screenshot and the checks. */
async function withDemoPage(t, body) {
  const secret = relaySecret();
  const { context, page, watch } = await openWatchedPage(browser, secret);
  try {
    await page.goto(`${DEMO_URL}/`);
    await body(page, watch);
  } finally {
    await saveScreenshot(page, t.name).catch((error) => t.diagnostic(`no screenshot: ${error}`));
    const problems = await watch.problems();
    for (const note of watch.unchecked) t.diagnostic(`not checked for the secret: ${note}`);
    await context.close();
    assert.deepEqual(problems, [], "the page misbehaved");
  }
}

async function sendCode(page, email) {
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByText(`We sent a code to ${email}`).waitFor();
}

/** Reads the newest code from the dev inbox panel on the page. */
async function readInboxCode(page) {
  const code = page.getByTestId("inbox-code");
  await code.waitFor();
  const text = (await code.textContent()).trim();
  assert.match(text, /^[0-9]{6}$/, "the dev inbox shows a 6-digit code");
  return text;
}

async function enterCode(page, code) {
  await page.getByLabel("Verification code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function assertSignedInAs(page, email) {
  await page.getByRole("heading", { name: "You're signed in" }).waitFor();
  const claims = await page.getByTestId("claims").textContent();
  assert.ok(claims.includes(email), `the claims show ${email}: ${claims}`);
}

test("signs in with the emailed code", { timeout: 60_000 }, async (t) => {
  await withDemoPage(t, async (page) => {
    const email = uniqueEmail();
    await sendCode(page, email);
    const code = await readInboxCode(page);
    await enterCode(page, code);
    await assertSignedInAs(page, email);
  });
});

test("a wrong code is refused, then the right one signs in", { timeout: 60_000 }, async (t) => {
  await withDemoPage(t, async (page, watch) => {
    // The tenant answers a wrong code with 403 invalid_grant, which Chromium logs.
    watch.expectFailedLoad("/oauth/token", 403);
    const email = uniqueEmail();
    await sendCode(page, email);
    const code = await readInboxCode(page);
    const wrong = code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);

    await enterCode(page, wrong);
    await page.getByRole("alert").filter({ hasText: WRONG_CODE_MESSAGE }).waitFor();
    assert.ok(await page.getByLabel("Verification code").isVisible(), "still on the code step");

    await enterCode(page, code);
    await assertSignedInAs(page, email);
    assert.equal(await page.getByRole("alert").count(), 0, "the error is gone once signed in");
  });
});
