#!/usr/bin/env bash
# Builds the browser SDK into pkg/: the wasm (cargo, size-first profile), its JS glue and
# .d.ts (wasm-bindgen --target web, at the exact version in Cargo.lock, from .tools/), the
# post-link shrink step (scripts/shrink-wasm.mjs: text formatting nobody reads stubbed, short
# import/export names in wasm and glue), the wasm shrunk by wasm-opt -Oz (npm
# binaryen), the data objects and function table entries nothing reaches any more dropped
# (scripts/dead-data.mjs, from the linker's relocations), the glue minified by esbuild (as a bundler
# would), pkg/package.json, and the size report.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"

# Linked with --emit-relocs: the symbol table and relocations are what scripts/dead-data.mjs
# reads; they are stripped before wasm-bindgen.
cargo rustc -q --lib -p passwordless-sdk --target wasm32-unknown-unknown --profile wasm-release \
  -- -C link-arg=--emit-relocs
rm -rf pkg && mkdir -p pkg
out=target/wasm32-unknown-unknown/wasm-release
node scripts/dead-data.mjs strip "$out/passwordless.wasm" "$out/linked.wasm"
wasm-bindgen --target web --out-dir "$out/bindgen" --out-name passwordless "$out/linked.wasm"
node scripts/shrink-wasm.mjs "$out/bindgen" "$out/shrunk"
optimize() { node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --zero-filled-memory "$@"; }
optimize "$out/shrunk/passwordless_bg.wasm" -o "$out/optimized.wasm"
# Twice: what the first round's table entries held can free more data.
node scripts/dead-data.mjs gc "$out/passwordless.wasm" "$out/optimized.wasm" "$out/collected.wasm"
optimize "$out/collected.wasm" -o "$out/optimized2.wasm"
node scripts/dead-data.mjs gc "$out/passwordless.wasm" "$out/optimized2.wasm" "$out/collected2.wasm"
node_modules/.bin/wasm-opt --memory-packing --zero-filled-memory --strip-debug --strip-producers \
  "$out/collected2.wasm" -o pkg/passwordless_bg.wasm
node_modules/.bin/esbuild "$out/shrunk/passwordless.js" --minify --tree-shaking=true --format=esm --target=es2022 \
  --log-level=warning --outfile=pkg/passwordless.js
cp "$out/bindgen/passwordless.d.ts" pkg/
node scripts/write-pkg-manifest.mjs
node scripts/size-report.mjs pkg
bash scripts/wasm-top.sh 12
