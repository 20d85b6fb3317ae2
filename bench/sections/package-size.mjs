//! 1. What a page downloads: our pkg/ (wasm + JS glue) against each peer bundled by esbuild for
//! the same passwordless job, and the drop-in element against Lock Passwordless; raw, gzip -9 and
//! brotli -11 (KB = 1024 bytes).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import { stepLines } from "../../scripts/size-steps.mjs";
import { elementPeerBundles, peerBundles, peersDir } from "../lib/peers.mjs";
import { root } from "../lib/servers.mjs";

const sizes = (files) =>
  files
    .map((file) => readFileSync(file))
    .map((bytes) => ({
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    }))
    .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));

/// Answers `{ rows: [{ name, raw, gzip, brotli }] }`, ours first; the peers are already bundled.
export async function packageSize() {
  const rows = [{ name: "passwordless-wasm", ...sizes(["passwordless_bg.wasm", "passwordless.js"].map((f) => join(root, "pkg", f))) }];
  for (const [name, file] of peerBundles) rows.push({ name, ...sizes([join(peersDir, "dist", file)]) });
  const kb = (n) => (n / 1024).toFixed(1).padStart(8);
  console.log(`${"".padEnd(22)}     raw    gzip  brotli (KB)   ours/peer (brotli)`);
  for (const row of rows) {
    const ratio = row === rows[0] ? "" : (rows[0].brotli / row.brotli).toFixed(2).padStart(10);
    console.log(`${row.name.padEnd(22)}${kb(row.raw)}${kb(row.gzip)}${kb(row.brotli)}${ratio}`);
  }
  // The drop-in element: its own module (the SDK is the row above), the whole of what a page
  // with it downloads before a TOTP enrolment (which loads qr.js too), and Lock Passwordless.
  const pkg = (f) => join(root, "pkg", f);
  const element = [
    { name: "element.js (the element alone)", ...sizes([pkg("element.js")]) },
    { name: "element + SDK", ...sizes(["element.js", "passwordless.js", "passwordless_bg.wasm"].map(pkg)) },
    { name: "qr.js (TOTP enrolment only)", ...sizes([pkg("qr.js")]) },
  ];
  for (const [name, file] of elementPeerBundles) element.push({ name, ...sizes([join(peersDir, "dist", file)]) });
  const lock = element.at(-1);
  console.log(`\n${"".padEnd(32)}     raw    gzip  brotli (KB)   it/Lock (brotli)`);
  for (const row of element) {
    const ratio = row === lock ? "" : (row.brotli / lock.brotli).toFixed(3).padStart(10);
    console.log(`${row.name.padEnd(32)}${kb(row.raw)}${kb(row.gzip)}${kb(row.brotli)}${ratio}`);
  }
  // A size step that did not apply (another rustc, a dependency update) shows here, not as a
  // broken build.
  const steps = stepLines(join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "wasm32-unknown-unknown/wasm-release/steps.json"));
  for (const line of steps) console.log(line);
  return { rows, element, steps };
}
