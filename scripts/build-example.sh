#!/usr/bin/env bash
# Builds examples/vite-spa, which imports the package by name, and checks that the bundle
# carries the .wasm: bundler use of pkg/ must not break silently.
set -euo pipefail
cd "$(dirname "$0")/../examples/vite-spa"
if [ ! -d node_modules/vite ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
rm -rf dist
node_modules/.bin/vite build --logLevel warn
wasm=$(ls dist/assets/*.wasm 2>/dev/null | head -n 1)
[ -n "$wasm" ] || { echo "the Vite build has no .wasm asset" >&2; exit 1; }
grep -q "$(basename "$wasm")" dist/assets/*.js || { echo "no bundled script loads $(basename "$wasm")" >&2; exit 1; }
echo "vite example: built, $(basename "$wasm") $(wc -c <"$wasm") bytes"
