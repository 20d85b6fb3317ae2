// The package where there is no browser (issue 26): server-rendering frameworks (Next.js, Nuxt,
// SvelteKit) evaluate client components on the server too, so the README's `const ready =
// init()` at module scope runs in Node with the bundler's rewritten URL. There, init() must
// resolve without fetching and leave no unhandled rejection, and a client must say to create it
// in the browser; in a browser, a client made before init() has finished must say to await it.
// Each case runs in its own Node process (the package's state is per module instance), with
// unhandled rejections fatal.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const PKG = pathToFileURL(resolve("pkg/passwordless.js")).href;
const WASM = resolve("pkg/passwordless_bg.wasm");

/** Runs `body` as an ES module after importing the package; what it printed as JSON. */
function run(body) {
  const source = `
    let fetched = 0;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (...args) => { fetched++; return realFetch(...args); };
    const { readFileSync } = await import("node:fs");
    const pkg = await import(${JSON.stringify(PKG)});
    const bytes = () => readFileSync(${JSON.stringify(WASM)});
    const attempt = (make) => { try { make(); return null; } catch (e) {
      return { name: e.name, code: e.code, message: e.message, isError: e instanceof Error }; } };
    const options = { domain: "https://relay.example", clientId: "demo-client" };
    ${body}
  `;
  const child = spawnSync(process.execPath, ["--unhandled-rejections=strict", "--input-type=module", "-e", source],
    { encoding: "utf8" });
  assert.equal(child.status, 0, `the process ends cleanly (no unhandled rejection):\n${child.stderr}`);
  assert.equal(child.stderr, "", "nothing is logged");
  return JSON.parse(child.stdout);
}

test("init() on the server, as the README's module-scope pattern calls it, resolves without fetching", () => {
  const seen = run(`
    const ready = pkg.default(); // module scope, as in a 'use client' file
    const first = await ready;
    // What a bundler makes of the wasm's URL (Next.js's /_next/static/media/…).
    const rewritten = await pkg.default({ module_or_path: "/_next/static/media/passwordless_bg.0123abcd.wasm" });
    await new Promise((r) => setTimeout(r, 50)); // a late rejection would end the process
    console.log(JSON.stringify({ fetched, first: first ?? null, rewritten: rewritten ?? null,
      client: attempt(() => new pkg.PasswordlessClient(options)) }));
  `);
  assert.equal(seen.fetched, 0, "nothing is fetched");
  assert.equal(seen.first, null);
  assert.equal(seen.rewritten, null);
  assert.deepEqual(seen.client, {
    name: "PasswordlessError",
    code: "unsupported",
    message: "PasswordlessClient works in the browser: create it there (in useEffect, onMounted or onMount), " +
      "not while rendering on the server",
    isError: true,
  });
});

test("in a browser, a client made before init() has finished says to await it, and works after", () => {
  const seen = run(`
    globalThis.window = globalThis; // a browser's global, for the package's check
    const loading = pkg.default({ module_or_path: bytes() });
    const early = attempt(() => new pkg.PasswordlessClient(options));
    await loading;
    const client = new pkg.PasswordlessClient(options);
    console.log(JSON.stringify({ early, made: client instanceof pkg.PasswordlessClient,
      callback: client.isRedirectCallback("https://app.example/?code=abc&state=xyz") }));
  `);
  assert.equal(seen.early.name, "PasswordlessError");
  assert.equal(seen.early.code, "not_ready");
  assert.match(seen.early.message, /await init\(\) before new PasswordlessClient\(\)/);
  assert.equal(seen.made, true);
  assert.equal(seen.callback, true, "the loaded client answers");
});

test("initSync and init with bytes keep working in Node, and options are still checked", () => {
  const seen = run(`
    pkg.initSync({ module: bytes() });
    const client = new pkg.PasswordlessClient(options);
    const again = await pkg.default(); // already loaded: resolves with the exports, fetches nothing
    console.log(JSON.stringify({ fetched, made: client instanceof pkg.PasswordlessClient,
      exports: typeof again?.memory, badOptions: attempt(() => new pkg.PasswordlessClient({ ...options, clientId: 5 })) }));
  `);
  assert.equal(seen.fetched, 0);
  assert.equal(seen.made, true);
  assert.equal(seen.exports, "object", "init() answers wasm-bindgen's exports once loaded");
  assert.equal(seen.badOptions.code, "invalid_options");
});

test("the package's manifest exports ./package.json for the tools that read it", () => {
  // The package installed as an app would have it: node_modules/passwordless-wasm.
  const app = mkdtempSync(join(tmpdir(), "ssr-app-"));
  mkdirSync(join(app, "node_modules"));
  symlinkSync(resolve("pkg"), join(app, "node_modules", "passwordless-wasm"), "dir");
  const child = spawnSync(process.execPath, ["-e", `
    const manifest = require(require.resolve("passwordless-wasm/package.json"));
    console.log(manifest.name + " " + require.resolve("passwordless-wasm/passwordless_bg.wasm").endsWith(".wasm"));
  `], { encoding: "utf8", cwd: app });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), "passwordless-wasm true");
});
