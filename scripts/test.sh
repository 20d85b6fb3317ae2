#!/usr/bin/env bash
# npm test: every test of the project.
#   0. rustfmt and clippy (native; wasm32 once pkg/ is built), so that a lint never lands;
#   1. native: the tenant's and the relay's integration tests over loopback, the SDK's pure core,
#      then issue 13's security suite against the real binaries (scripts/test-security.sh);
#   2. the SDK built into pkg/, its types checked, the Vite example built;
#   3. scripts/test-browser.sh: the SDK's wasm-bindgen-test suites in headless Chromium through
#      the real relay and tenant (and a relay in front of a server that is not ours), the local
#      tenant driven by Auth0's own Node SDK, the build's size steps on modules made to break
#      them, and the demo page driven by playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/.tools/bin:$PATH"

bash scripts/setup.sh --test
bash scripts/build-www.sh

echo "== lints: rustfmt and clippy (the workspace)"
cargo fmt --all --check
cargo clippy -q --workspace --all-targets -- -D warnings

echo "== native tests (tenant, relay, wire, SDK core)"
cargo test --workspace --exclude passwordless-security-suite

echo "== security suite (issue 13; the property tests and reused cases ran just above)"
bash scripts/test-security.sh --new-only

echo "== building the SDK into pkg/, type-checking a typed example, building the Vite example"
bash scripts/build-sdk.sh
# The SDK for wasm32, its browser suites included (they embed the pkg/ just built).
cargo clippy -q -p passwordless-sdk --target wasm32-unknown-unknown --all-targets -- -D warnings
bash scripts/check-types.sh
bash scripts/build-example.sh

# Everything that runs in headless Chromium or needs the servers running, against the pkg/
# just built (`npm run test:browser -- --no-shrink` runs the same against an unpatched build).
bash scripts/test-browser.sh --prebuilt
