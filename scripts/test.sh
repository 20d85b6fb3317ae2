#!/usr/bin/env bash
# npm test: every test of the project.
#   0. rustfmt and clippy (native; wasm32 once pkg/ is built), so that a lint never lands;
#   1. native: the tenant's and the relay's integration tests over loopback, the SDK's pure core,
#      then issue 13's security suite against the real binaries (scripts/test-security.sh);
#   2. the SDK's wasm-bindgen-test suite in headless Chromium, through the real relay and tenant;
#   3. the local tenant driven by Auth0's own Node SDK (npm `auth0`) over HTTPS, and the demo
#      page driven by playwright-core in headless Chromium (one `node --test` run).
# Steps 2 and 3 run against `passwordless-devserver` on 127.0.0.1:18080 (tenant on :18081).
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

relay_port=${TEST_RELAY_PORT:-18080}
tenant_port=${TEST_TENANT_PORT:-18081}
relay_url="http://127.0.0.1:$relay_port"
# A fresh secret each run, known to the tests so that they can prove it never reaches the browser.
secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')

cargo build -q -p passwordless-devserver -p passwordless-relay -p passwordless-tenant
mkdir -p test-artifacts
bash scripts/make-test-cert.sh test-artifacts/tls
target/debug/passwordless-devserver \
  --listen "127.0.0.1:$relay_port" --tenant-listen "127.0.0.1:$tenant_port" \
  --allowed-origin "*" --demo-client-secret "$secret" --in-memory >test-artifacts/relay.log 2>&1 &
relay_pid=$!
trap 'kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "$relay_url/.well-known/openid-configuration" >/dev/null 2>&1 && break
  kill -0 "$relay_pid" 2>/dev/null || { cat test-artifacts/relay.log; exit 1; }
  sleep 0.1
done

echo "== SDK in headless Chromium (wasm-bindgen-test)"
PASSWORDLESS_TEST_RELAY="$relay_url" CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p passwordless-sdk --target wasm32-unknown-unknown --test browser_sign_in --test browser_links --test browser_mfa --test browser_sessions --test browser_addresses

echo "== the tenant under the auth0 Node SDK, and the demo page in headless Chromium"
NODE_EXTRA_CA_CERTS="$root/test-artifacts/tls/ca.pem" TEST_TLS_DIR="$root/test-artifacts/tls" \
  DEMO_URL="$relay_url" RELAY_CLIENT_SECRET="$secret" node --test tests/node/ tests/e2e/
