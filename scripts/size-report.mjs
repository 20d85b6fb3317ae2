// Prints the raw, gzip and brotli size of what a page downloads from the package, and which of
// the build's size steps applied (a skipped one costs bytes: see scripts/size-steps.mjs).
//   node scripts/size-report.mjs [DIR] [--steps STEPS_JSON] [--peers]
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { stepLines } from "./size-steps.mjs";

const args = process.argv.slice(2);
const dir = args[0] && !args[0].startsWith("--") ? args[0] : "pkg";
const stepsPath = args.includes("--steps") ? args[args.indexOf("--steps") + 1] : undefined;
const files = ["passwordless_bg.wasm", "passwordless.js"];
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
let total = [0, 0, 0];
console.log("package size        raw       gzip     brotli");
for (const file of files) {
  const bytes = readFileSync(`${dir}/${file}`);
  const sizes = [
    bytes.length,
    gzipSync(bytes, { level: 9 }).length,
    brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  ];
  total = total.map((t, i) => t + sizes[i]);
  console.log(file.padEnd(18) + sizes.map(kb).join(""));
}
console.log("total".padEnd(18) + total.map(kb).join("") + `   (${total[2]} bytes brotli; KB = 1024 bytes)`);

if (stepsPath) for (const line of stepLines(stepsPath)) console.log(line);

if (args.includes("--peers")) {
  // Brotli sizes of the peers bundled for the same job, as measured for issue 6 (issue 11:
  // the goal is under auth0-js, and never above auth0-spa-js).
  const peers = [
    ["Stytch headless", 16.2],
    ["Supabase auth-js", 20.5],
    ["Firebase email link", 30.9],
    ["auth0-js", 46.9],
    ["auth0-spa-js", 55.1],
  ];
  const ours = total[2] / 1024;
  console.log(`\nbrotli total ${ours.toFixed(1)} KB, as a ratio of each baseline (below 1.00 is smaller):`);
  for (const [name, size] of peers) {
    console.log(`  ${name.padEnd(22)} ${size.toFixed(1).padStart(5)} KB   ratio ${(ours / size).toFixed(2)}`);
  }
}
