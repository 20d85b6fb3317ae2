#!/usr/bin/env bash
# Builds the browser SDK into pkg/: the wasm core (cargo, size-first profile, then wasm-opt -Oz
# from npm binaryen), the hand-written ES module and its types from src/js/, pkg/package.json,
# and prints the package's size.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q --lib -p passwordless-sdk --target wasm32-unknown-unknown --profile wasm-release
rm -rf pkg && mkdir -p pkg
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  target/wasm32-unknown-unknown/wasm-release/passwordless.wasm -o pkg/passwordless_bg.wasm
cp src/js/passwordless.js src/js/passwordless.d.ts pkg/
node scripts/write-pkg-manifest.mjs
node scripts/size-report.mjs pkg
