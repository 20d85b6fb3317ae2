// A session kept by the demo page (cacheLocation "localstorage"): a reload keeps the person
// signed in, a second tab of the same browser is signed in too, and signing out there brings
// the first tab back to the sign-in screen.
import assert from "node:assert/strict";

import { PageWatch, relaySecret } from "../browser.mjs";
import { uniqueEmail } from "../dev-tenant.mjs";
import { assertSignedInAs, enterCode, readInboxCode, sendEmailCode, withDemoPage } from "../person.mjs";

export async function reloadAndSecondTab(t) {
  let second;
  await withDemoPage(t, "session-second-tab", async (page) => {
    const email = uniqueEmail();
    await sendEmailCode(page, email);
    await enterCode(page, await readInboxCode(page));
    await assertSignedInAs(page, email);

    await page.reload();
    await assertSignedInAs(page, email);

    const tab = await page.context().newPage();
    second = new PageWatch(tab, relaySecret());
    await tab.goto(page.url());
    await assertSignedInAs(tab, email);
    await tab.getByRole("button", { name: "Sign out" }).click();
    await tab.getByRole("heading", { name: "Sign in" }).waitFor();

    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByText("You signed out in another tab.").waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    return page;
  });
  assert.deepEqual(await second.problems(), [], "the second tab misbehaved");
}
