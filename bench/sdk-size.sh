#!/usr/bin/env bash
# The package's size: raw / gzip / brotli of what a page downloads, the ratio to the peers
# measured for the same passwordless job (issue 6: esbuild-minified, brotli), and where the
# wasm's bytes go (twiggy, on a build that keeps function names).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"
bash scripts/build-sdk.sh >/dev/null
node scripts/size-report.mjs pkg --peers --steps "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/steps.json"
command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --root .tools
echo
bash scripts/wasm-top.sh 25
