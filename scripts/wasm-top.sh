#!/usr/bin/env bash
# Where the wasm's bytes go: twiggy's top N items of the last SDK build, on a copy that keeps
# function names (the shipped pkg/passwordless_bg.wasm has none).   scripts/wasm-top.sh [N]
# It reads the shrink step's output (scripts/shrink-wasm.mjs keeps the names), not wasm-bindgen's:
# what it lists is then what ships, without the float formatter that the step stubs out.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"
if ! command -v twiggy >/dev/null; then
  echo "(twiggy is not installed: scripts/setup.sh --test installs it into .tools/)"
  exit 0
fi
out=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/shrunk
node_modules/.bin/wasm-opt -Oz -g "$out/passwordless_bg.wasm" -o "$out/passwordless.named.wasm"
echo "where the wasm's bytes go (twiggy top ${1:-12}, names kept):"
twiggy top -n "${1:-12}" "$out/passwordless.named.wasm" | grep -v '"function names"'
