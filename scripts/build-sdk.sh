#!/usr/bin/env bash
# Builds the browser SDK into pkg/: cargo (size-first profile) → wasm-bindgen --target web →
# wasm-opt -Oz (npm binaryen), then writes pkg/package.json and prints the package's size.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"

cargo build -q --lib -p passwordless-sdk --target wasm32-unknown-unknown --profile wasm-release
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --weak-refs --out-dir pkg --out-name passwordless \
  target/wasm32-unknown-unknown/wasm-release/passwordless.wasm
node_modules/.bin/wasm-opt -Oz pkg/passwordless_bg.wasm -o pkg/passwordless_bg.wasm
node scripts/write-pkg-manifest.mjs
node scripts/size-report.mjs pkg
