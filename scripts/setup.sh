#!/usr/bin/env bash
# Installs what the project needs and reuses what is already there.
#   scripts/setup.sh          toolchain for building and serving (wasm target, npm packages,
#                             wasm-bindgen-cli into .tools/)
#   scripts/setup.sh --test   also what the tests need (twiggy, Debian's chromium and
#                             chromium-driver, redis-server)
# See ../shared/docs/toolchain.md for why each piece comes from where it does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools="$root/.tools"

say() { printf '[setup] %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi

# The SDK build (wasm-bindgen's JS glue and .d.ts) and the browser suites' runner
# (wasm-bindgen-test-runner) come from wasm-bindgen-cli, which must be exactly the version of
# the wasm-bindgen crate in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$("$tools/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want into .tools/ (a few minutes, once)"
  # Not --locked: the registry mirror lacks one locked transitive version.
  cargo install wasm-bindgen-cli --version "$want" --root "$tools" --force
fi

if [ "${1:-}" = "--test" ]; then
  # npm test lints with rustfmt and clippy.
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      say "adding the $component component"
      rustup component add "$component"
    fi
  done

  # The SDK build's size report names the wasm's largest items with twiggy.
  if [ ! -x "$tools/bin/twiggy" ]; then
    say "installing twiggy into .tools/ (about a minute, once)"
    cargo install twiggy --version 0.8.0 --root "$tools"
  fi

  # Headless browser tests: Debian's chromium and its driver. Relay tests: a real redis-server.
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]}"
    sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
