#!/usr/bin/env bash
# Builds the package's second entry, passwordless-wasm/element (<passwordless-login>), into
# pkg/ (or DIR): js/element/ bundled by esbuild into element.js, which imports the SDK from
# ./passwordless.js (so the main entry is unchanged and loaded once) and the QR encoder from
# ./qr.js (npm `uqr`, loaded only for a TOTP enrolment); the hand-written element.d.ts.
# scripts/build-sdk.sh runs it; alone, it rebuilds the element in a second.
#   scripts/build-element.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=${1:-pkg}
common=(--bundle --minify --format=esm --target=es2022 --log-level=warning)
node_modules/.bin/esbuild js/element/index.js "${common[@]}" \
  --external:./passwordless.js --external:./qr.js --outfile="$pkg/element.js"
node_modules/.bin/esbuild js/element/qr.js "${common[@]}" --outfile="$pkg/qr.js"
cp js/element/element.d.ts "$pkg/element.d.ts"
cp node_modules/uqr/LICENSE "$pkg/qr.LICENSE"
