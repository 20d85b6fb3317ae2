// Email magic links: clicked in the dev inbox panel of the same browser (signed in), and
// opened in another browser (a fresh profile), where the page must say why it can't work.
import assert from "node:assert/strict";

import { uniqueEmail } from "../dev-tenant.mjs";
import {
  alertSays, assertSignedInAs, chooseMethod, inboxMessage, withDemoPage,
} from "../person.mjs";

async function sendLink(page, email) {
  await chooseMethod(page, /Email me a link/);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send link" }).click();
  await page.getByText(`We sent a sign-in link to ${email}`).waitFor();
  const link = inboxMessage(page, { kind: "link" }).getByRole("link", { name: "Open the sign-in link" });
  await link.waitFor();
  return link;
}

export async function sameBrowser(t) {
  await withDemoPage(t, "magic-link", async (page) => {
    const email = uniqueEmail();
    const link = await sendLink(page, email);
    await link.click();
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
    await alertSays(other.page, "opened in a different browser");
    await other.page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(new URL(other.page.url()).search, "", "the address bar is cleaned");
    return other.page;
  });
}
