#!/usr/bin/env bash
# Measures the relay's throughput on POST /passwordless/start against the local tenant, and
# the tenant alone, with wrk over loopback (release builds; limits raised so that nothing is
# refused). Prints requests/s, latency and the relay/tenant ratio.
#   bench/relay-throughput.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cargo build -q --release -p passwordless-relay -p passwordless-tenant
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat >"$work/tenant.toml" <<TOML
[rate_limit]
start_per_hour = 1000000000

[[clients]]
client_id = "bench"
client_secret = "$secret"
trust_forwarded_for = true
TOML
target/release/passwordless-tenant --listen 127.0.0.1:18181 --config "$work/tenant.toml" \
  --data-dir "$work/data" >"$work/tenant.log" 2>&1 &
PASSWORDLESS_CLIENT_SECRET=$secret target/release/passwordless-relay serve \
  --listen 127.0.0.1:18180 --upstream http://127.0.0.1:18181 --client-id bench \
  --limit-start-per-ip 1000000000 --limit-start-per-identifier 1000000000 >"$work/relay.log" 2>&1 &
for _ in $(seq 1 100); do
  curl -fsS http://127.0.0.1:18180/readyz >/dev/null 2>&1 && break
  sleep 0.1
done

cat >"$work/start.lua" <<LUA
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"client_id":"bench","client_secret":"$secret","connection":"email","email":"bench@example.com","send":"code"}'
LUA

run() { wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/start.lua" "$1" | tee "$work/$2.txt"; }
echo "== relay -> tenant: POST /passwordless/start ($connections connections, ${seconds}s)"
run http://127.0.0.1:18180/passwordless/start relay
echo "== tenant alone"
run http://127.0.0.1:18181/passwordless/start tenant
rate() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }
non2xx() { awk '/Non-2xx/ {print $4}' "$work/$1.txt"; }
echo
printf 'relay:  %s req/s (non-2xx: %s)\n' "$(rate relay)" "$(non2xx relay || true)"
printf 'tenant: %s req/s (non-2xx: %s)\n' "$(rate tenant)" "$(non2xx tenant || true)"
awk -v r="$(rate relay)" -v t="$(rate tenant)" 'BEGIN { printf "relay/tenant ratio: %.2f\n", r / t }'
