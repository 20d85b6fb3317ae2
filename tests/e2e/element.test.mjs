// <passwordless-login> (passwordless-wasm/element) in the apps that embed it: a plain page with
// no bundler, a React 19 app and a Vue 3 app (bundled with esbuild), each on its own origin and
// signing in with an email code through the real relay and tenant in headless Chromium, with
// no console error, the client secret never in the browser, and the app hearing the element's
// events. Axe-core finds no serious or critical violation in each state, light and dark; the
// texts follow `language` and the `strings` property.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { authenticator } from "otplib";

import { launchBrowser, openWatchedPage, relaySecret, saveScreenshot } from "./browser.mjs";
import { createUser, uniqueEmail } from "./dev-tenant.mjs";
import { appUrl, buildApps, codeSentTo, serveApps, signInWithEmailCode } from "./element-apps.mjs";

let browser;
let server;
before(async () => {
  await buildApps();
  server = await serveApps();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `body(page, watch)` on the app page `file`; ends with a screenshot and the page's checks. */
async function onApp(t, file, name, body, contextOptions = {}) {
  const { context, page, watch } = await openWatchedPage(browser, relaySecret(), contextOptions);
  try {
    await page.goto(appUrl(server, file));
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await body(page, watch);
  } finally {
    t.diagnostic(`screenshot: ${await saveScreenshot(page, name).catch((e) => `none: ${e}`)}`);
    const problems = await watch.problems();
    await context.close();
    assert.deepEqual(problems, [], "the page misbehaved");
  }
}

/** The events the app heard, by name, each checked to have crossed the shadow root. */
async function heard(page) {
  const seen = await page.evaluate(() => window.seen);
  for (const event of seen) assert.equal(event.composed, true, `${event.name} is composed`);
  return seen;
}

async function signInAndOut(page, { appShowsUser = true } = {}) {
  const email = uniqueEmail("element");
  await signInWithEmailCode(page, email);
  await page.getByText(`Signed in as ${email}.`).waitFor();
  if (appShowsUser) await page.getByTestId("app-user").filter({ hasText: `The app knows ${email}` }).waitFor();
  const seen = await heard(page);
  assert.deepEqual(seen.map((e) => e.name), ["sent", "signedin"]);
  assert.deepEqual(seen[0].detail, { connection: "email", send: "code", address: email });
  assert.equal(seen[1].detail.claims.email, email, "signedin's detail is the session");
  assert.equal(typeof seen[1].detail.idToken, "string");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.deepEqual((await heard(page)).map((e) => e.name), ["sent", "signedin", "signedout"]);
  if (appShowsUser) await page.getByTestId("app-user").filter({ hasText: "Nobody signed in" }).waitFor();
}

test("a plain page (no bundler): email code, keyboard focus, the events", async (t) => {
  await onApp(t, "plain.html", "element-plain", async (page) => {
    // `autofocus`: the cursor starts in the email field, inside the shadow root.
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.id), "email");
    const field = page.getByLabel("Email address");
    assert.equal(await field.getAttribute("autocomplete"), "email");
    await signInAndOut(page, { appShowsUser: false });
    assert.equal(await page.locator("passwordless-login").getAttribute("state"), "start");
  });
});

test("a React 19 app: attributes, events through onsignedin", async (t) => {
  await onApp(t, "react.html", "element-react", (page) => signInAndOut(page));
});

test("a Vue 3 app: the app's own PasswordlessClient as the client property", async (t) => {
  await onApp(t, "vue.html", "element-vue", (page) => signInAndOut(page));
});

test("texts: French and Spanish built in, any text replaced through strings", async (t) => {
  await onApp(t, "plain.html", "element-languages", async (page) => {
    const login = page.locator("passwordless-login");
    await login.evaluate((el) => el.setAttribute("language", "fr"));
    await page.getByRole("heading", { name: "Connexion" }).waitFor();
    await page.getByLabel("Adresse e-mail").waitFor();
    await login.evaluate((el) => el.setAttribute("language", "es"));
    await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
    await login.evaluate((el) => {
      el.strings = { signInTitle: "Log in to My app", emailLabel: "Work email" };
    });
    await page.getByRole("heading", { name: "Log in to My app" }).waitFor();
    await page.getByLabel("Work email").fill("nobody");
    await page.getByRole("button", { name: "Enviar código" }).click();
    await page.getByRole("alert").filter({ hasText: "Escribe un correo válido" }).waitFor();
  });
});

test("styling: the page's custom properties and ::part()s reach inside; theme=dark", async (t) => {
  await onApp(t, "plain.html", "element-styled", async (page) => {
    await page.addStyleTag({ content: `
      passwordless-login { --pl-accent: rgb(10, 125, 85); }
      passwordless-login::part(card) { border-width: 0px; }
      passwordless-login::part(button primary) { text-transform: uppercase; }` });
    const send = page.getByRole("button", { name: "Send code" });
    const style = (locator) => locator.evaluate((el) => {
      const { backgroundColor, textTransform, borderTopWidth } = getComputedStyle(el);
      return { backgroundColor, textTransform, borderTopWidth };
    });
    const card = page.locator("passwordless-login").locator(".card");
    assert.deepEqual(await style(send), { backgroundColor: "rgb(10, 125, 85)", textTransform: "uppercase", borderTopWidth: "0px" });
    assert.equal((await style(card)).borderTopWidth, "0px", "::part(card)");
    assert.equal((await style(card)).backgroundColor, "rgb(255, 255, 255)", "light by default here");
    await page.locator("passwordless-login").evaluate((el) => el.setAttribute("theme", "dark"));
    assert.equal((await style(card)).backgroundColor, "rgb(31, 34, 40)", "theme=dark");
  });
});

test("defined late, under another name: properties set before keep; defining again does nothing", async (t) => {
  await onApp(t, "plain.html", "element-defined-late", async (page) => {
    await page.evaluate(async () => {
      const late = document.createElement("late-login");
      late.strings = { signInTitle: "Words set before the definition" };
      late.client = document.querySelector("passwordless-login").client;
      document.querySelector("main").append(late);
      const { defineElement } = await import("/pkg/element.js");
      defineElement("late-login");
      defineElement("late-login");
      defineElement();
    });
    await page.getByRole("heading", { name: "Words set before the definition" }).waitFor();
    assert.equal(await page.locator("late-login").getAttribute("state"), "start");
  });
});

/** Axe-core's serious and critical violations on the page, shadow DOM included. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) {
    await page.addScriptTag({ content: await readFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8") });
  }
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" > ")).join(", ")}`);
}

for (const colorScheme of ["light", "dark"]) {
  test(`axe-core, ${colorScheme}: method choice, code entry, MFA choice, signed in`, async (t) => {
    await onApp(t, "plain.html", `element-axe-${colorScheme}`, async (page, watch) => {
      const check = async (state) => assert.deepEqual(await axeViolations(page), [], `axe in state "${state}"`);
      await check("method choice");

      // The first factor of an account with a second one: the answer is 403 mfa_required.
      watch.expectFailedLoad("/oauth/token", 403);
      const email = uniqueEmail("element-axe");
      const user = await createUser(email, ["otp", "sms", "push"], "+15550000100");
      await page.getByLabel("Email address").fill(email);
      await page.getByRole("button", { name: "Send code" }).click();
      await page.getByLabel("Verification code").waitFor();
      await check("code entry");
      await page.getByLabel("Verification code").fill(await codeSentTo(email));
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("heading", { name: "Confirm it's you" }).waitFor();
      await check("MFA choice");
      assert.ok((await heard(page)).some((e) => e.name === "mfarequired"), "the app heard mfarequired");

      await page.getByRole("button", { name: /Authenticator app/ }).click();
      await page.getByLabel("Code from your authenticator app").fill(authenticator.generate(user.totp_secret));
      await page.getByRole("button", { name: "Verify", exact: true }).click();
      await page.getByRole("heading", { name: "You're signed in" }).waitFor();
      await check("signed in");
    }, { colorScheme });
  });
}
