// Shared by the end-to-end flow tests: the browser, and a watch on each page for what must
// never happen: console errors, uncaught page errors, and the relay's client secret reaching
// the browser in any request it sends or response it receives.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

/** The demo page, served by `passwordless-devserver`. */
export const DEMO_URL = (process.env.DEMO_URL ?? "http://127.0.0.1:18080").replace(/\/+$/, "");

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

/** The client secret the relay under test was started with; the tests are void without it. */
export function relaySecret() {
  const secret = process.env.RELAY_CLIENT_SECRET;
  if (!secret) {
    throw new Error(
      "RELAY_CLIENT_SECRET is not set: the e2e tests must know the relay's client secret to prove " +
        "it never reaches the browser. Run them through the npm test script, which sets it.",
    );
  }
  return secret;
}

/** Debian's Chromium, headless; see ../shared/docs/toolchain.md. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A page in a fresh context (a new profile), with a `PageWatch` on it. */
export async function openWatchedPage(browser, secret, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const watch = new PageWatch(page, secret);
  return { context, page, watch };
}

/** Saves a full-page screenshot to `test-artifacts/<name>.png` and returns its path. */
export async function saveScreenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = `${ARTIFACTS}${name.replace(/[^A-Za-z0-9._-]+/g, "-")}.png`;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Records console errors, page errors and every place the secret shows up in traffic. */
export class PageWatch {
  consoleErrors = [];
  pageErrors = [];
  leaks = [];
  /** Traffic that could not be checked (e.g. a body gone because the page navigated away). */
  unchecked = [];
  #pending = new Set();
  #needles;
  #expectedFailedLoads = [];

  constructor(page, secret) {
    // The secret as sent raw, in a URL or form body, or in JSON.
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    this.#needles = [...new Set(forms)].map((form) => Buffer.from(form));

    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const { url, lineNumber } = message.location();
      if (!this.#isExpectedFailedLoad(message.text(), url)) {
        this.consoleErrors.push(`${message.text()} (${url}:${lineNumber})`);
      }
    });
    page.on("pageerror", (error) => this.pageErrors.push(String(error?.stack ?? error)));
    page.on("request", (request) => this.#track(this.#checkRequest(request)));
    page.on("response", (response) => this.#track(this.#checkResponse(response)));
  }

  /**
   * Chromium itself logs "Failed to load resource: … status of 403" as a console error for
   * every HTTP error answer, even one the page handles. A test that provokes such an answer
   * on purpose declares it here, by path and status, so that only it is excused. `status` may
   * also be a network error such as "net::ERR_INTERNET_DISCONNECTED".
   */
  expectFailedLoad(pathname, status) {
    this.#expectedFailedLoads.push({ pathname, status });
  }

  #isExpectedFailedLoad(text, url) {
    const status = /^Failed to load resource: (?:the server responded with a status of (\d{3})\b|(net::ERR_[A-Z_]+))/
      .exec(text)
      ?.slice(1)
      .find(Boolean);
    if (!status || !URL.canParse(url)) return false;
    const { pathname } = new URL(url);
    return this.#expectedFailedLoads.some(
      (expected) => expected.pathname === pathname && String(expected.status) === status,
    );
  }

  /** Waits for every check still reading a body or headers. */
  async settle() {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Everything that went wrong, after `settle()`; empty when the page behaved. */
  async problems() {
    await this.settle();
    return [
      ...this.consoleErrors.map((text) => `console error: ${text}`),
      ...this.pageErrors.map((text) => `page error: ${text}`),
      ...this.leaks.map((where) => `client secret leaked in ${where}`),
    ];
  }

  #track(promise) {
    const tracked = promise.catch((error) => this.unchecked.push(String(error)));
    this.#pending.add(tracked);
    tracked.finally(() => this.#pending.delete(tracked));
  }

  #contains(data) {
    if (data == null) return false;
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(String(data));
    return this.#needles.some((needle) => bytes.includes(needle));
  }

  #checkHeaders(headers, where) {
    for (const [name, value] of Object.entries(headers)) {
      // Basic credentials would carry the secret base64-encoded.
      const basic = /^basic\s+(.+)$/i.exec(value)?.[1];
      if (this.#contains(value) || (basic && this.#contains(Buffer.from(basic, "base64")))) {
        this.leaks.push(`${where} header ${name}`);
      }
    }
  }

  async #checkRequest(request) {
    const where = `request ${request.method()} ${request.url()}`;
    if (this.#contains(request.url())) this.leaks.push(`${where} URL`);
    if (this.#contains(request.postDataBuffer())) this.leaks.push(`${where} body`);
    this.#checkHeaders(await request.allHeaders(), where);
  }

  async #checkResponse(response) {
    const request = response.request();
    const where = `response ${response.status()} to ${request.method()} ${response.url()}`;
    this.#checkHeaders(await response.allHeaders(), where);
    // Redirects have no body to read.
    if (response.status() >= 300 && response.status() < 400) return;
    try {
      if (this.#contains(await response.body())) this.leaks.push(`${where} body`);
    } catch (error) {
      this.unchecked.push(`${where}: ${error.message}`);
    }
  }
}
