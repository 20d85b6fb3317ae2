#!/usr/bin/env bash
# The package's size: raw / gzip / brotli of what a page downloads, the ratio to the peers
# measured for the same passwordless job (issue 6: esbuild-minified, brotli), and where the
# wasm's bytes go (twiggy, on a build that keeps function names).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"
bash scripts/build-sdk.sh >/dev/null
node scripts/size-report.mjs pkg --peers
command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --root .tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --weak-refs --keep-debug --out-dir "$work" --out-name named \
  target/wasm32-unknown-unknown/wasm-release/passwordless.wasm
node_modules/.bin/wasm-opt -Oz -g "$work/named_bg.wasm" -o "$work/named.wasm"
echo
echo "where the wasm's bytes go (twiggy top, names kept; the shipped file has no name section):"
twiggy top -n 25 "$work/named.wasm" | grep -v '"function names"'
