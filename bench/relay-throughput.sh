#!/usr/bin/env bash
# The relay's throughput and latency on POST /passwordless/start against the tenant directly and
# nginx, at 1-256 connections, pinned with taskset: the `relay` section of `npm run bench`
# (bench/sections/relay-overhead.mjs), which replaced this script's own wrk run.
#   bench/relay-throughput.sh [--quick]
exec bash "$(dirname "$0")/run.sh" --only relay "$@"
