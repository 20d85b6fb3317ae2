// Email magic links: clicked in the dev inbox panel of the same browser (signed in), opened
// in a new tab as a mail client does (signed in there, the page's appState carried over),
// opened again once used, and opened in another browser (a fresh profile), where the page
// must say why it can't work. A link first shows the tenant's confirmation page (mail
// scanners open links too, so opening one uses nothing up); the person presses "Continue".
import assert from "node:assert/strict";

import { PageWatch, relaySecret } from "../browser.mjs";

import { uniqueEmail } from "../dev-tenant.mjs";
import {
  alertSays, assertSignedInAs, chooseMethod, inboxMessage, withDemoPage,
} from "../person.mjs";

async function sendLink(page, email) {
  await chooseMethod(page, /Email me a one-click link/);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send link" }).click();
  await page.getByText(`We sent a sign-in link to ${email}`).waitFor();
  const link = inboxMessage(page, { kind: "link" }).getByRole("link", { name: "Open the sign-in link" });
  await link.waitFor();
  return link;
}

/** On the tenant's confirmation page that a link opens: presses "Continue", as a person does. */
async function pressContinue(page) {
  await page.getByRole("heading", { name: /^Continue signing in to / }).waitFor();
  assert.equal(await page.title(), "Sign in");
  await page.getByRole("button", { name: "Continue" }).click();
}

export async function sameBrowser(t) {
  await withDemoPage(t, "magic-link", async (page) => {
    const email = uniqueEmail();
    const link = await sendLink(page, email);
    await link.click();
    await pressContinue(page);
    await assertSignedInAs(page, email);
    const url = new URL(page.url());
    assert.equal(url.search, "", "the code and state are gone from the address bar");
  });
}

export async function otherBrowser(t) {
  await withDemoPage(t, "magic-link-other-browser", async (page, watch, open) => {
    const email = uniqueEmail();
    const href = await (await sendLink(page, email)).getAttribute("href");

    const other = await open(href);
    await pressContinue(other.page);
    await alertSays(other.page, "opened in a different browser");
    await other.page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(new URL(other.page.url()).search, "", "the address bar is cleaned");
    return other.page;
  });
}

/** A new tab of the same browser, watched like the first (console, page errors, secret). */
async function newTab(page, watches, href) {
  const tab = await page.context().newPage();
  watches.push(new PageWatch(tab, relaySecret()));
  await tab.goto(href);
  await pressContinue(tab);
  return tab;
}

export async function newTabThenUsedAgain(t) {
  const watches = [];
  await withDemoPage(t, "magic-link-new-tab", async (page) => {
    const email = uniqueEmail();
    const href = await (await sendLink(page, email)).getAttribute("href");

    const tab = await newTab(page, watches, href);
    await assertSignedInAs(tab, email);
    await tab.getByText(/You asked for this sign-in link at /).waitFor();
    assert.equal(new URL(tab.url()).search, "", "the code and state are gone from the address bar");

    const again = await newTab(page, watches, href);
    await alertSays(again, "already been used or has expired");
    await again.getByRole("button", { name: "Send link" }).waitFor();
    return again;
  });
  const problems = [];
  for (const watch of watches) problems.push(...(await watch.problems()));
  assert.deepEqual(problems, [], "the new tabs misbehaved");
}
