// What a person reads when it goes wrong: rate limited (the relay's 429 with Retry-After,
// stood in for by the browser so as not to spend the real limits), the network down, and a
// code that expired (the tenant's dev clock moved past its lifetime), then a new one sent.
import assert from "node:assert/strict";

import { advanceClock, resetClock, uniqueEmail } from "../dev-tenant.mjs";
import {
  alertSays, enterCode, readInboxCode, sendEmailCode, withDemoPage,
} from "../person.mjs";

const START = "**/passwordless/start";

export async function rateLimited(t) {
  await withDemoPage(t, "rate-limited", async (page, watch) => {
    watch.expectFailedLoad("/passwordless/start", 429);
    await page.route(START, (route) =>
      route.fulfill({
        status: 429,
        headers: { "content-type": "application/json", "retry-after": "3" },
        body: JSON.stringify({ error: "too_many_requests", error_description: "Too many requests" }),
      }),
    );
    const email = uniqueEmail();
    await page.getByLabel("Email address").fill(email);
    const send = page.getByRole("button", { name: "Send code" });
    await send.click();
    await alertSays(page, "Too many requests. Please wait and try again in 3 seconds.");
    await page.getByText(/You can try again in [1-3] s\./).waitFor();
    assert.ok(await send.isDisabled(), "the button waits out Retry-After");

    await page.unroute(START);
    await send.and(page.locator(":enabled")).waitFor({ timeout: 5_000 });
    await send.click();
    await page.getByText(`We sent a code to ${email}`).waitFor();
  });
}

export async function networkDown(t) {
  await withDemoPage(t, "network-down", async (page, watch) => {
    watch.expectFailedLoad("/passwordless/start", "net::ERR_INTERNET_DISCONNECTED");
    await page.route(START, (route) => route.abort("internetdisconnected"));
    const email = uniqueEmail();
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Send code" }).click();
    await alertSays(page, "We can't reach the server. Check your connection and try again.");
    assert.equal(await page.getByLabel("Email address").inputValue(), email, "what was typed is kept");
  });
}

export async function expiredCode(t) {
  await withDemoPage(t, "expired-code", async (page, watch) => {
    watch.expectFailedLoad("/oauth/token", 403);
    const email = uniqueEmail();
    await sendEmailCode(page, email);
    const code = await readInboxCode(page);
    await advanceClock(181); // the tenant's codes live 180 s
    try {
      await enterCode(page, code);
      await alertSays(page, "That code has expired. Ask for a new one");
    } finally {
      await resetClock();
    }
    // No need to wait out the resend cooldown for a dead code.
    await page.getByRole("button", { name: "Send a new code" }).click();
    await page.getByRole("status").filter({ hasText: `We sent a new code to ${email}` }).waitFor();
  });
}
