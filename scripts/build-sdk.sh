#!/usr/bin/env bash
# Builds the browser SDK into pkg/: the wasm (cargo, size-first profile), its JS glue and
# .d.ts (wasm-bindgen --target web, at the exact version in Cargo.lock, from .tools/), the
# post-link shrink step (scripts/shrink-wasm.mjs: core's float formatter and panic formatting
# stubbed, short import/export names in wasm and glue), the wasm shrunk by wasm-opt -Oz (npm
# binaryen), the glue minified by esbuild (as a bundler
# would), pkg/package.json, and the size report.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"

cargo build -q --lib -p passwordless-sdk --target wasm32-unknown-unknown --profile wasm-release
rm -rf pkg && mkdir -p pkg
out=target/wasm32-unknown-unknown/wasm-release
wasm-bindgen --target web --out-dir "$out/bindgen" --out-name passwordless "$out/passwordless.wasm"
node scripts/shrink-wasm.mjs "$out/bindgen" "$out/shrunk"
node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --zero-filled-memory --strip-debug --strip-producers \
  "$out/shrunk/passwordless_bg.wasm" -o pkg/passwordless_bg.wasm
node_modules/.bin/esbuild "$out/shrunk/passwordless.js" --minify --tree-shaking=true --format=esm --target=es2022 \
  --log-level=warning --outfile=pkg/passwordless.js
cp "$out/bindgen/passwordless.d.ts" pkg/
node scripts/write-pkg-manifest.mjs
node scripts/size-report.mjs pkg
bash scripts/wasm-top.sh 12
