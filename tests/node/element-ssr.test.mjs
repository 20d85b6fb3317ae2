// passwordless-wasm/element where there is no browser: a server-rendering framework imports
// the element's module on the server too. There it defines nothing, touches no global (a
// `customElements` that records every call proves it), logs nothing, and still exports the
// class and defineElement(), which are harmless to call. Also: the package's manifest exports
// the entry with its types, and the main entry does not import the element.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const ELEMENT = pathToFileURL(resolve("pkg/element.js")).href;

function run(body) {
  const child = spawnSync(process.execPath, ["--unhandled-rejections=strict", "--input-type=module", "-e", body],
    { encoding: "utf8" });
  assert.equal(child.status, 0, `the process ends cleanly:\n${child.stderr}`);
  assert.equal(child.stderr, "", "nothing is logged");
  return JSON.parse(child.stdout);
}

test("importing the element on a server defines nothing and throws nothing", () => {
  const answer = run(`
    const element = await import(${JSON.stringify(ELEMENT)});
    element.defineElement();
    console.log(JSON.stringify({ exports: Object.keys(element).sort(), customElements: typeof customElements,
      HTMLElement: typeof HTMLElement, isClass: typeof element.PasswordlessLoginElement }));
  `);
  assert.deepEqual(answer, {
    exports: ["PasswordlessLoginElement", "defineElement"],
    customElements: "undefined",
    HTMLElement: "undefined",
    isClass: "function",
  });
});

test("a server-side customElements stand-in (some DOM shims have one, without HTMLElement) is left alone", () => {
  const answer = run(`
    const calls = [];
    globalThis.customElements = { get: (n) => { calls.push("get " + n); }, define: (n) => { calls.push("define " + n); } };
    await import(${JSON.stringify(ELEMENT)});
    console.log(JSON.stringify(calls));
  `);
  // With no HTMLElement there is no element to define: the module neither defines nor throws.
  assert.deepEqual(answer, []);
});

test("the package exports passwordless-wasm/element with its types; the main entry stays apart", () => {
  const manifest = JSON.parse(readFileSync("pkg/package.json", "utf8"));
  assert.deepEqual(manifest.exports["./element"], { types: "./element.d.ts", default: "./element.js" });
  for (const file of ["element.js", "element.d.ts", "qr.js"]) assert.ok(manifest.files.includes(file), file);
  assert.doesNotMatch(readFileSync("pkg/passwordless.js", "utf8"), /passwordless-login|element\.js/);
  assert.match(readFileSync("pkg/element.js", "utf8"), /from"\.\/passwordless\.js"/, "the element imports the SDK beside it");
});
