#!/usr/bin/env bash
# npm start: install what is missing, build the SDK into pkg/, then run the devserver
# (the local tenant in the same process, the demo page, the dev inbox). One process, one Ctrl-C.
# Flags go to `passwordless-devserver`, e.g. `npm start -- --listen 127.0.0.1:9090`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-www.sh
bash scripts/build-sdk.sh
cargo build -q -p passwordless-devserver
exec "${CARGO_TARGET_DIR:-target}/debug/passwordless-devserver" "$@"
