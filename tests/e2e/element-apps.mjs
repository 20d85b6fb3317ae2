// The apps that embed <passwordless-login> in the element's tests: a plain page (no bundler), a
// React 19 app and a Vue 3 app (bundled here with esbuild), served by a small static server on
// another origin than the relay, as a real app would be. /pkg/ is the built package as it is.
import assert from "node:assert/strict";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

import { DEMO_URL } from "./browser.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const APPS = join(ROOT, "tests/e2e/apps");
const BUILT = join(ROOT, "test-artifacts/element-apps");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".map": "application/json" };

/** Bundles the React and Vue apps (the package resolved from pkg/, as a bundler would from node_modules). */
export async function buildApps() {
  await mkdir(BUILT, { recursive: true });
  await build({
    entryPoints: { react: join(APPS, "react-app.jsx"), vue: join(APPS, "vue-app.js") },
    outdir: BUILT,
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    jsx: "automatic",
    alias: { "passwordless-wasm": join(ROOT, "pkg") },
    define: { "process.env.NODE_ENV": '"production"', __VUE_OPTIONS_API__: "false", __VUE_PROD_DEVTOOLS__: "false", __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false" },
    logLevel: "warning",
  });
  // The wasm beside the bundle, where the glue's `new URL("passwordless_bg.wasm", import.meta.url)` looks.
  await copyFile(join(ROOT, "pkg/passwordless_bg.wasm"), join(BUILT, "passwordless_bg.wasm"));
}

/** Serves / from tests/e2e/apps, /pkg/ from pkg/ and /build/ from the bundles; answers its URL and a close(). */
export async function serveApps() {
  const roots = [["/pkg/", join(ROOT, "pkg")], ["/build/", BUILT], ["/", APPS]];
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    const [prefix, dir] = roots.find(([p]) => path.startsWith(p));
    const file = normalize(join(dir, path.slice(prefix.length) || "plain.html"));
    try {
      assert.ok(file.startsWith(dir));
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** The app page `file` on `server`, told where the relay is. */
export const appUrl = (server, file) => `${server.url}/${file}?relay=${encodeURIComponent(DEMO_URL)}`;

/** The newest code the local tenant "sent" to `address` (its dev inbox), waiting for it. */
export async function codeSentTo(address) {
  for (let i = 0; i < 50; i++) {
    const answer = await fetch(`${DEMO_URL}/dev/inbox?to=${encodeURIComponent(address)}`);
    const [newest] = (await answer.json()).filter((m) => m.code).sort((a, b) => b.created_at.localeCompare(a.created_at));
    if (newest) return newest.code;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no code reached ${address}`);
}

/** Signs in with an email code as a person would, on whatever page holds the element. */
export async function signInWithEmailCode(page, email) {
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByText(`We sent a code to ${email}`).waitFor();
  await page.getByLabel("Verification code").fill(await codeSentTo(email));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "You're signed in" }).waitFor();
}
