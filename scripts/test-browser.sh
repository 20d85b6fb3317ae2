#!/usr/bin/env bash
# npm run test:browser: everything that runs in headless Chromium or needs the servers running,
# against the package in pkg/:
#   1. the SDK's wasm-bindgen-test suites, through the real relay and local tenant
#      (`passwordless-devserver` on 127.0.0.1:18080, tenant on :18081), and through a second
#      real relay (:18082) in front of a server that is not ours (tests/support/foreign-upstream.mjs,
#      :18083);
#   2. the local tenant driven by Auth0's own Node SDK (npm `auth0`) over HTTPS, and the demo
#      page driven by playwright-core (one `node --test` run).
#
#   scripts/test-browser.sh [--no-shrink] [--prebuilt]
#     --no-shrink  build pkg/ with no patching of the linked wasm first (scripts/build-sdk.sh
#                  --no-shrink), to tell a size step's fault from the SDK's: when a browser test
#                  fails after a toolchain or dependency update, run it both ways
#     --prebuilt   test pkg/ as it is (npm test has just built it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/.tools/bin:$PATH"

build_flags=()
prebuilt=false
for arg in "$@"; do
  case "$arg" in
    --no-shrink) build_flags+=(--no-shrink) ;;
    --prebuilt) prebuilt=true ;;
    *) echo "usage: $0 [--no-shrink] [--prebuilt]" >&2; exit 2 ;;
  esac
done
if ! $prebuilt; then
  bash scripts/setup.sh --test
  bash scripts/build-www.sh
  bash scripts/build-sdk.sh ${build_flags[@]+"${build_flags[@]}"}
fi

relay_port=${TEST_RELAY_PORT:-18080}
tenant_port=${TEST_TENANT_PORT:-18081}
foreign_relay_port=${TEST_FOREIGN_RELAY_PORT:-18082}
foreign_port=${TEST_FOREIGN_UPSTREAM_PORT:-18083}
relay_url="http://127.0.0.1:$relay_port"
foreign_relay_url="http://127.0.0.1:$foreign_relay_port"
bin=${CARGO_TARGET_DIR:-target}/debug
# A fresh secret each run, known to the tests so that they can prove it never reaches the browser.
secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')

cargo build -q -p passwordless-devserver -p passwordless-relay -p passwordless-tenant
mkdir -p test-artifacts
bash scripts/make-test-cert.sh test-artifacts/tls
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
"$bin/passwordless-devserver" \
  --listen "127.0.0.1:$relay_port" --tenant-listen "127.0.0.1:$tenant_port" \
  --allowed-origin "*" --demo-client-secret "$secret" --in-memory >test-artifacts/relay.log 2>&1 &
pids+=($!)
node tests/support/foreign-upstream.mjs "$foreign_port" >test-artifacts/foreign-upstream.log 2>&1 &
pids+=($!)
PASSWORDLESS_CLIENT_SECRET="$secret" "$bin/passwordless-relay" serve --listen "127.0.0.1:$foreign_relay_port" \
  --upstream "http://127.0.0.1:$foreign_port" --client-id foreign-client --allowed-origin "*" \
  >test-artifacts/foreign-relay.log 2>&1 &
pids+=($!)
for url in "$relay_url/.well-known/openid-configuration" "$foreign_relay_url/healthz"; do
  for _ in $(seq 1 100); do
    curl -fsS "$url" >/dev/null 2>&1 && break
    for p in "${pids[@]}"; do
      kill -0 "$p" 2>/dev/null || { tail -n 20 test-artifacts/*.log; exit 1; }
    done
    sleep 0.1
  done
done

echo "== SDK in headless Chromium (wasm-bindgen-test)"
PASSWORDLESS_TEST_RELAY="$relay_url" PASSWORDLESS_TEST_FOREIGN_RELAY="$foreign_relay_url" \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p passwordless-sdk --target wasm32-unknown-unknown --test browser_sign_in --test browser_links --test browser_mfa --test browser_sessions --test browser_addresses --test browser_foreign --test browser_passkeys --test browser_code_links

echo "== the tenant under the auth0 Node SDK, and the demo page in headless Chromium"
NODE_EXTRA_CA_CERTS="$root/test-artifacts/tls/ca.pem" TEST_TLS_DIR="$root/test-artifacts/tls" \
  DEMO_URL="$relay_url" RELAY_CLIENT_SECRET="$secret" node --test tests/node/ tests/e2e/
