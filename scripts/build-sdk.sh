#!/usr/bin/env bash
# Builds the browser SDK into pkg/: the wasm (cargo, size-first profile), its JS glue and
# .d.ts (wasm-bindgen --target web, at the exact version in Cargo.lock, from .tools/), the
# post-link shrink step (scripts/shrink-wasm.mjs: text formatting nobody reads stubbed, short
# import/export names in wasm and glue), the wasm shrunk by wasm-opt -Oz (npm
# binaryen), the data objects and function table entries nothing reaches any more dropped
# (scripts/dead-data.mjs, from the linker's relocations), the glue minified by esbuild (as a bundler
# would) and bundled with the package's entry (js/index.js), pkg/package.json, and the size report.
#
# The shrink and dead-data steps are optimisations that check their preconditions: one that
# does not hold (another rustc, a dependency update) skips that step with a warning, never the
# build. The size report lists which steps applied.
#
#   scripts/build-sdk.sh [--no-shrink] [--without STEP ...] [--out-dir DIR]
#     --no-shrink    no patching of the linked wasm at all (also PASSWORDLESS_NO_SHRINK=1): only
#                    wasm-bindgen, wasm-opt and esbuild, as wasm-pack would build it
#     --without STEP leave one step out (float, messages, strings, panic, debug, display, names,
#                    dead-data), to measure what it saves (bench/shrink-steps.sh)
#     --out-dir DIR  the package somewhere else than pkg/
# Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"

shrink=true
[ "${PASSWORDLESS_NO_SHRINK:-}" = 1 ] && shrink=false
without=()
pkg=pkg
while [ $# -gt 0 ]; do
  case "$1" in
    --no-shrink) shrink=false ;;
    --without) without+=(--without "${2:?--without takes a step}"); shift ;;
    --out-dir) pkg=${2:?--out-dir takes a directory}; shift ;;
    *) echo "usage: $0 [--no-shrink] [--without STEP ...] [--out-dir DIR]" >&2; exit 2 ;;
  esac
  shift
done
collect_data=$shrink
[[ " ${without[*]-} " == *" dead-data "* ]] && collect_data=false

# Linked with --emit-relocs: the symbol table and relocations are what scripts/dead-data.mjs
# reads; they are stripped before wasm-bindgen.
cargo rustc -q --lib -p passwordless-sdk --target wasm32-unknown-unknown --profile wasm-release \
  -- -C link-arg=--emit-relocs
# Built beside the package and put in its place at the end, so that a test run reading pkg/
# meanwhile sees the old package whole, never a half-written one.
final=$pkg
pkg="$final.building.$$"
trap 'rm -rf "$pkg"' EXIT
rm -rf "$pkg" && mkdir -p "$pkg"
out=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release
steps="$out/steps.json"
rm -f "$steps"
node scripts/dead-data.mjs strip "$out/passwordless.wasm" "$out/linked.wasm"
wasm-bindgen --target web --out-dir "$out/bindgen" --out-name passwordless "$out/linked.wasm"
if $shrink; then
  node scripts/shrink-wasm.mjs "$out/bindgen" "$out/shrunk" --record "$steps" ${without[@]+"${without[@]}"}
else
  echo "build-sdk: --no-shrink: the linked wasm is not patched (the package is about 15 KB brotli larger)"
  rm -rf "$out/shrunk" && mkdir -p "$out/shrunk"
  cp "$out/bindgen/passwordless_bg.wasm" "$out/bindgen/passwordless.js" "$out/shrunk/"
  echo '[{ "step": "all", "applied": false, "reason": "built with --no-shrink" }]' >"$steps"
fi
optimize() { node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --zero-filled-memory "$@"; }
# The dead-data step, or the module as it is when that step is left out.
collect() {
  if $collect_data; then node scripts/dead-data.mjs gc "$out/passwordless.wasm" "$1" "$2" --record "$steps"
  else cp "$1" "$2"; fi
}
optimize "$out/shrunk/passwordless_bg.wasm" -o "$out/optimized.wasm"
# Twice: what the first round's table entries held can free more data.
collect "$out/optimized.wasm" "$out/collected.wasm"
optimize "$out/collected.wasm" -o "$out/optimized2.wasm"
collect "$out/optimized2.wasm" "$out/collected2.wasm"
node_modules/.bin/wasm-opt --memory-packing --zero-filled-memory --strip-debug --strip-producers \
  "$out/collected2.wasm" -o "$pkg/passwordless_bg.wasm"
# The package's entry (js/index.js: init() and the client safe where there is no browser) and
# the glue, as one module.
cp js/index.js "$out/shrunk/index.js"
node_modules/.bin/esbuild "$out/shrunk/index.js" --bundle --minify --format=esm --target=es2022 \
  --log-level=warning --outfile="$pkg/passwordless.js"
cp "$out/bindgen/passwordless.d.ts" "$pkg/"
# The second entry, passwordless-wasm/element (<passwordless-login>), beside it.
bash scripts/build-element.sh "$pkg"
node scripts/write-pkg-manifest.mjs "$pkg"
rm -rf "$final" && mv "$pkg" "$final"
node scripts/size-report.mjs "$final" --steps "$steps"
bash scripts/wasm-top.sh 12
