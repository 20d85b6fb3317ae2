#!/usr/bin/env bash
# npm run test:security: issue 13's suite (SECURITY.md lists every case and where it lives).
#   1. the security-suite crate against the real relay and tenant binaries on 127.0.0.1:
#      load (figures printed), faults, hostile input, attacks;
#   2. the property tests of every parser of untrusted input (PROPTEST_CASES bounds them);
#   3. the cases the suite reuses from the relay's, the tenant's, the wire's and the SDK core's
#      own tests.
# Options: --soak  a long run: 400 concurrent flows for 2 x 60 s, 20 000 cases per property;
#          --new-only  step 1 alone (npm test ran steps 2 and 3 in its native tests already).
# The output is also kept in test-artifacts/security.log; the figures close it.
set -euo pipefail
cd "$(dirname "$0")/.."

soak=false
new_only=false
for arg in "$@"; do
  case "$arg" in
    --soak) soak=true ;;
    --new-only) new_only=true ;;
    *) echo "usage: $0 [--soak] [--new-only]" >&2; exit 2 ;;
  esac
done
if $soak; then
  export SECURITY_LOAD_CONCURRENCY=${SECURITY_LOAD_CONCURRENCY:-400}
  export SECURITY_LOAD_SECONDS=${SECURITY_LOAD_SECONDS:-60}
  export PROPTEST_CASES=${PROPTEST_CASES:-20000}
else
  export SECURITY_LOAD_CONCURRENCY=${SECURITY_LOAD_CONCURRENCY:-200}
  export SECURITY_LOAD_SECONDS=${SECURITY_LOAD_SECONDS:-5}
  export PROPTEST_CASES=${PROPTEST_CASES:-512}
fi

mkdir -p test-artifacts
log=test-artifacts/security.log
exec > >(tee "$log") 2>&1

echo "== security suite: building the relay and tenant binaries"
cargo build -q -p passwordless-relay -p passwordless-tenant

echo "== load: $SECURITY_LOAD_CONCURRENCY concurrent flows, 2 x $SECURITY_LOAD_SECONDS s (alone, so that nothing else shares the cores)"
cargo test -q -p passwordless-security-suite --test load -- --nocapture

echo "== faults, hostile input, attacks"
cargo test -q -p passwordless-security-suite --lib --test faults --test bad_input --test attacks -- --nocapture

if ! $new_only; then
  echo "== property tests ($PROPTEST_CASES cases each)"
  cargo test -q -p passwordless-wire --features email --test prop_fields --test prop_address
  cargo test -q -p passwordless-relay --test prop_client_ip
  cargo test -q -p passwordless-sdk --test prop_core

  echo "== reused cases: the relay's, the tenant's, the wire crate's and the SDK core's own tests"
  cargo test -q -p passwordless-relay --test hardening --test forwarding --test envelope --test limits --test ops
  cargo test -q -p passwordless-tenant --test concurrency --test email_code --test restart \
    --test mfa_factors --test mfa_enrolment --test rate_limits --test start_policy --test magic_link --test tokens
  cargo test -q -p passwordless-wire --features email --lib
  cargo test -q -p passwordless-sdk --lib
fi

echo "== figures"
grep -oE "(load|enumeration): .*" "$log" || true
echo "security suite: passed"
