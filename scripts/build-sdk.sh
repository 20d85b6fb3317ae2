#!/usr/bin/env bash
# Builds the browser SDK into pkg/: the wasm core (cargo, size-first profile, then wasm-opt -Oz
# from npm binaryen), the hand-written ES module from src/js/ minified by esbuild (as bundlers
# would; src/js/ is the readable source), its types, pkg/package.json, and prints the size.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q --lib -p passwordless-sdk --target wasm32-unknown-unknown --profile wasm-release
rm -rf pkg && mkdir -p pkg
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  target/wasm32-unknown-unknown/wasm-release/passwordless.wasm -o pkg/passwordless_bg.wasm
node_modules/.bin/esbuild src/js/passwordless.js --minify --format=esm --target=es2022 \
  --log-level=warning --outfile=pkg/passwordless.js
cp src/js/passwordless.d.ts pkg/
node scripts/write-pkg-manifest.mjs
node scripts/size-report.mjs pkg
bash scripts/wasm-top.sh 12
