// `npm run bench` after bench/run.sh has installed and built everything: runs each section,
// prints its figures and ratios, keeps them in bench/out/results.json (sections run alone with
// --only merge into the results of the last run), then writes BENCHMARKS.md and the chart.
//
//   node bench/run.mjs [--quick] [--only size,startup,call-cost,relay,token,users] [--no-perf]
//
// This process (and so the node clients, wrk and Chromium) runs on the load core; the servers
// are started on the other one (bench/lib/servers.mjs).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { machine } from "./lib/machine.mjs";
import { bundlePeers } from "./lib/peers.mjs";
import { cores, root } from "./lib/servers.mjs";
import { writeReport } from "./report.mjs";
import { callCost } from "./sections/call-cost.mjs";
import { packageSize } from "./sections/package-size.mjs";
import { relayOverhead } from "./sections/relay-overhead.mjs";
import { tokenRate } from "./sections/token-rate.mjs";
import { userScaling } from "./sections/user-scaling.mjs";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const perf = !argv.includes("--no-perf");
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1].split(",") : null;

const out = join(root, "bench", "out");
mkdirSync(out, { recursive: true });
const resultsFile = join(out, "results.json");
const results = only && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : { sections: {} };
const work = mkdtempSync(join(tmpdir(), "bench-"));

const startupRuns = quick ? 3 : 15;
const sections = [
  ["size", "1. package a page downloads (KB = 1024 bytes)", () => packageSize()],
  [
    "startup",
    `2. start-up in Chromium (bench/sdk-startup.mjs, ${startupRuns} runs)`,
    () => {
      const json = join(work, "startup.json");
      execFileSync("node", [join(root, "bench", "sdk-startup.mjs"), String(startupRuns), "--peers", "--no-bundle", "--json", json], { stdio: "inherit", timeout: 900_000 });
      return JSON.parse(readFileSync(json, "utf8"));
    },
  ],
  ["call-cost", "3. cost per call: start + verify, SDK against plain fetch", () => callCost({ work, quick })],
  ["relay", "4 and 6. relay overhead and how it grows: POST /passwordless/start", () => relayOverhead({ work, quick, perf })],
  ["token", "5. tenant token rate against openssl speed rsa2048", () => tokenRate({ work, quick, perf })],
  ["users", "6. tenant latency by users in its SQLite store", () => userScaling({ work, quick })],
];

const began = Date.now();
// A run of some sections (--only) keeps the full run's header and says what it reran.
const run = only && results.startedAt ? (results.rerun = {}) : results;
run.mode = quick ? "quick" : "full";
run.machine = machine({ cores });
run.startedAt = new Date(began).toISOString();
if (run !== results) run.sections = only;
let failed = 0;
try {
  bundlePeers();
  for (const [key, title, run] of sections) {
    if (only && !only.includes(key)) continue;
    console.log(`\n== ${title}`);
    const t0 = Date.now();
    try {
      results.sections[key] = { ...(await run()), sectionSeconds: (Date.now() - t0) / 1000, mode: results.mode };
    } catch (error) {
      failed++;
      console.error(`  FAILED: ${error.stack ?? error}`);
      results.sections[key] = { error: String(error.message ?? error), mode: results.mode };
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}
run.seconds = (Date.now() - began) / 1000;
run.loadAfter = machine({ cores }).load;
writeFileSync(resultsFile, JSON.stringify(results, null, 1));
const summary = writeReport(results);
console.log(`\n== ratios and goals (${run.mode} run, ${run.seconds.toFixed(0)} s; BENCHMARKS.md and bench/relay-scaling.svg written)`);
for (const line of summary) console.log(`  ${line}`);
process.exitCode = failed ? 1 : 0;
