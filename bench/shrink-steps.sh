#!/usr/bin/env bash
# What each of the build's size steps saves now: the package built with that one step left out
# (scripts/build-sdk.sh --without STEP), against the package built with every step, in bytes
# of brotli (what a page downloads: wasm + glue). Also the build with no patching at all
# (--no-shrink). The figures are what scripts/size-steps.mjs's GAINS quotes when a step is
# skipped; rerun this after a toolchain or dependency update and copy them there.
#   bash bench/shrink-steps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
brotli_total() {
  node -e '
    const { readFileSync } = require("node:fs");
    const { brotliCompressSync, constants } = require("node:zlib");
    const q = { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } };
    let total = 0;
    for (const f of ["passwordless_bg.wasm", "passwordless.js"]) total += brotliCompressSync(readFileSync(process.argv[1] + "/" + f), q).length;
    console.log(total);' "$1"
}
build() { bash scripts/build-sdk.sh --out-dir "$work/pkg" "$@" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }; brotli_total "$work/pkg"; }
all=$(build)
printf '%-12s %8s bytes brotli\n' "every step" "$all"
for step in float messages strings panic debug display names dead-data; do
  without=$(build --without "$step")
  printf '%-12s %8s bytes brotli without it: the step saves %6s\n' "$step" "$without" "$((without - all))"
done
none=$(build --no-shrink)
printf '%-12s %8s bytes brotli: the steps together save %6s\n' "--no-shrink" "$none" "$((none - all))"
