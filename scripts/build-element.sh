#!/usr/bin/env bash
# Builds the package's second entry, passwordless-wasm/element (<passwordless-login>), into
# pkg/ (or DIR): js/element/ bundled by esbuild into element.js, which imports the SDK from
# ./passwordless.js (so the main entry is unchanged and loaded once) and the QR encoder from
# ./qr.js (npm `uqr`, loaded only for a TOTP enrolment); element.d.ts, hand-written but for the
# union of the strings' keys.
# scripts/build-sdk.sh runs it; alone, it rebuilds the element in a second.
#   scripts/build-element.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=${1:-pkg}
common=(--bundle --minify --format=esm --target=es2022 --log-level=warning)
node_modules/.bin/esbuild js/element/index.js "${common[@]}" \
  --external:./passwordless.js --external:./qr.js --outfile="$pkg/element.js"
node_modules/.bin/esbuild js/element/qr.js "${common[@]}" --outfile="$pkg/qr.js"
# The types, with the union of the strings' keys written from js/element/strings.js (never drifts).
node --input-type=module -e '
  const { readFileSync, writeFileSync } = await import("node:fs");
  const { en } = await import("./js/element/strings.js");
  const keys = Object.keys(en).map((key) => JSON.stringify(key)).join("\n  | ");
  const types = readFileSync("js/element/element.d.ts", "utf8").replace(" STRING_KEYS", `\n  | ${keys}`);
  writeFileSync(process.argv[1], types);
' "$pkg/element.d.ts"
cp node_modules/uqr/LICENSE "$pkg/qr.LICENSE"
