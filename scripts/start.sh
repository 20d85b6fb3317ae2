#!/usr/bin/env bash
# npm start: install what is missing, build the SDK into pkg/, then run the relay in dev mode
# (the local tenant in the same process, the demo page, the dev inbox). One process, one Ctrl-C.
# Flags go to `passwordless-relay dev`, e.g. `npm start -- --listen 127.0.0.1:9090`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-www.sh
bash scripts/build-sdk.sh
cargo build -q -p passwordless-relay
exec target/debug/passwordless-relay dev "$@"
