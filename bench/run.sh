#!/usr/bin/env bash
# `npm run bench [-- --quick] [-- --only SECTIONS] [-- --no-perf]`: installs what the benchmarks
# need (Debian's nginx-light, wrk, sqlite3 and perf through apt-get when missing; the peers from
# bench/peers/'s lockfile; what `npm start` needs to build the SDK), builds the SDK package and
# the release servers, then runs bench/run.mjs pinned to the load core (BENCH_LOAD_CORE, default
# 0); it starts the servers on the other core (BENCH_SERVER_CORE, default 1). Nothing here runs
# in `npm test`. The full run takes about 15 minutes, --quick about 4.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v perf >/dev/null || missing+=(linux-perf)
command -v taskset >/dev/null || missing+=(util-linux)
command -v openssl >/dev/null || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (apt-get)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ "$(nproc)" -ge 2 ] || echo "warning: one CPU only; load generator and servers will share it" >&2

echo "== building the SDK package and the release servers"
bash scripts/setup.sh >/dev/null
bash scripts/build-sdk.sh >/dev/null
cargo build -q --release -p passwordless-relay -p passwordless-tenant

exec taskset -c "${BENCH_LOAD_CORE:-0}" node bench/run.mjs "$@"
