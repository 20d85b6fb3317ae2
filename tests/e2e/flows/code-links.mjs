// Sign-in links that survive mail scanners and open on any device. A "scanner" (this test's
// own fetches, as Safe Links or Proofpoint make them) opens every link before the person does:
// GET and HEAD, following redirects and not. The code link's code is in the URL fragment,
// which no fetch ever sends; the tenant's magic link answers a confirmation page to a GET.
import assert from "node:assert/strict";

import { uniqueEmail } from "../dev-tenant.mjs";
import {
  alertSays, assertSignedInAs, chooseMethod, inboxMessage, withDemoPage,
} from "../person.mjs";

/** Opens `href` as mail scanners do, and checks that it answered without an error. */
async function scan(href) {
  for (const method of ["GET", "HEAD"]) {
    for (const redirect of ["follow", "manual"]) {
      const answer = await fetch(href, { method, redirect });
      assert.ok(answer.status < 400, `${method} (${redirect}) of the link: ${answer.status}`);
      await answer.arrayBuffer();
    }
  }
}

/** Asks for a link of `method` ("Email me a link" or the one-click one); answers its href. */
async function askForLink(page, email, method) {
  await chooseMethod(page, method);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send link" }).click();
  await page.getByText(`We sent a sign-in link to ${email}`).waitFor();
  const kind = method.source.includes("one-click") ? "link" : "code";
  const link = inboxMessage(page, { kind }).getByRole("link", { name: "Open the sign-in link" });
  await link.waitFor();
  return link.getAttribute("href");
}

/** The page a code link opened: the code already gone from the address bar, nothing used. */
async function continueAs(page, email) {
  await page.getByRole("heading", { name: "Continue signing in" }).waitFor();
  await page.getByText(`Continue as ${email}?`).waitFor();
  const where = await page.evaluate(() => ({
    href: location.href,
    // The Navigation API lists this tab's same-origin history entries and their URLs.
    entries: navigation.entries().map((entry) => entry.url),
  }));
  assert.doesNotMatch(where.href, /otp|#/, "the code left the address bar at once");
  assert.ok(where.entries.length > 0, "the history is readable");
  for (const url of where.entries) assert.doesNotMatch(url, /otp/, "no history entry keeps the code");
  await page.getByRole("button", { name: "Continue" }).click();
}

export async function codeLinkOnAnotherDevice(t) {
  await withDemoPage(t, "code-link-another-device", async (page, _watch, open) => {
    const email = uniqueEmail("codelink");
    const href = await askForLink(page, email, /Email me a link/);
    const url = new URL(href);
    assert.match(url.hash, /^#otp=[0-9]{6}&email=/, "the code and the address are in the fragment");
    await scan(href);

    // Another device: a fresh browser profile, with nothing of the first.
    const phone = await open(href);
    await continueAs(phone.page, email);
    await assertSignedInAs(phone.page, email);
    assert.doesNotMatch(phone.page.url(), /otp/, "signed in, the address bar holds no code");

    // The same link again (a third device, or a second tap): spent, and said so.
    const again = await open(href);
    // The spent code's answer is 403 invalid_grant, which Chromium logs.
    again.watch.expectFailedLoad("/oauth/token", 403);
    await continueAs(again.page, email);
    await alertSays(again.page, "already been used or has expired");
    return phone.page;
  });
}

export async function magicLinkAfterAScanner(t) {
  await withDemoPage(t, "magic-link-after-a-scanner", async (page) => {
    const email = uniqueEmail("scanned");
    const href = await askForLink(page, email, /Email me a one-click link/);
    await scan(href);
    await page.goto(href);
    await page.getByRole("button", { name: "Continue" }).click();
    await assertSignedInAs(page, email);
  });
}
