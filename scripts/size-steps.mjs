// What the build's size steps (scripts/shrink-wasm.mjs, scripts/dead-data.mjs) share: a step is
// an optimisation with preconditions it checks. Where one does not hold (a toolchain renamed a
// symbol, a dependency started to format text, the relocations are missing), the step throws
// `Skip`, the build goes on with the module as it was before the step, and one warning says
// which step, why, and what the package loses. A size step never fails a build.

import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** A precondition that does not hold: the step is not applied. */
export class Skip extends Error {}

export function skip(reason) {
  throw new Skip(reason);
}

/**
 * What each step saves, in bytes of the package's brotli size (wasm + glue): the package built
 * with that one step left out, minus the package built with every step (`bash
 * bench/shrink-steps.sh`, 2026-12-03, rustc 1.95.0, wasm-bindgen 0.2.130: 51,004 bytes with
 * every step, 72,833 with none). A skipped step's warning quotes it.
 */
export const GAINS = {
  float: 0, // a safety net: about 6 KB if the function table kept core's float formatter
  // Left out, "messages" costs 2,314 bytes, because "display" cannot apply without it (its
  // guard finds serde-wasm-bindgen formatting) and warns for its own 1,379.
  messages: 935,
  strings: 1062,
  panic: 2271,
  debug: 4164,
  display: 1379,
  names: 3646,
  "dead-data": 5010,
};

/** The warning's words for what skipping `step` costs. */
export function cost(step) {
  const bytes = GAINS[step];
  if (bytes === undefined) return "its gain is not measured";
  if (bytes === 0) return "it saves nothing today (a safety net)";
  return `the package is about ${bytes.toLocaleString("en")} bytes (brotli) larger`;
}

/** Prints the one warning for a skipped step (stderr, so that it shows in every log). */
export function warnSkipped(tool, step, reason) {
  console.error(`${tool}: warning: step "${step}" skipped, the build goes on without it: ${reason}; ${cost(step)}`);
}

/** The reason an error gives: a `Skip`'s own words, anything else named as unexpected. */
export function reasonOf(error) {
  return error instanceof Skip ? error.message : `unexpected ${error?.name ?? "error"}: ${error?.message ?? error}`;
}

/**
 * Adds `entries` (`{ step, applied, reason? , note? }`) to the JSON record at `path` (a list,
 * made when missing), where scripts/size-report.mjs reads which steps applied.
 */
export function record(path, entries) {
  if (!path) return;
  const kept = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : [];
  writeFileSync(path, JSON.stringify([...kept, ...entries], null, 2) + "\n");
}

/** The build's record (`path`) in words: which steps applied, and why any did not. */
export function stepLines(path) {
  if (!existsSync(path)) return [`size steps: no record at ${path} (build with scripts/build-sdk.sh)`];
  const outcomes = JSON.parse(readFileSync(path, "utf8"));
  const applied = [...new Set(outcomes.filter((o) => o.applied).map((o) => o.step))];
  const notApplied = new Map();
  for (const o of outcomes) if (!o.applied && !notApplied.has(o.step)) notApplied.set(o.step, o.reason);
  return [
    `size steps applied: ${applied.length ? applied.join(", ") : "none"}`,
    ...[...notApplied].map(([step, reason]) =>
      `size step not applied: ${step}: ${reason}` + (step in GAINS ? `; ${cost(step)}` : "")),
  ];
}
