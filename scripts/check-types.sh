#!/usr/bin/env bash
# Type-checks a typed use of the whole API against pkg/passwordless.d.ts, and refuses `any`
# in the public part of the declarations (the generated InitOutput internals are excluded).
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/tsc -p tests/types/tsconfig.json
public=$(sed '/^export type InitInput/,$d' pkg/passwordless.d.ts)
if grep -nE '(:\s*any\b|<any>|\bany\[\]|\|\s*any\b|\bany\s*\|)' <<<"$public"; then
  echo "pkg/passwordless.d.ts: the public API must not use any" >&2
  exit 1
fi
echo "types: example.ts compiles against pkg/passwordless.d.ts; no any in the public API"
