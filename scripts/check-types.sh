#!/usr/bin/env bash
# Type-checks a typed use of the whole API against pkg/passwordless.d.ts, and refuses `any`
# anywhere in the declarations.
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/tsc -p tests/types/tsconfig.json
if grep -nE '(:\s*any\b|<any>|\bany\[\]|\|\s*any\b|\bany\s*\|)' pkg/passwordless.d.ts; then
  echo "pkg/passwordless.d.ts: the public API must not use any" >&2
  exit 1
fi
echo "types: example.ts compiles against pkg/passwordless.d.ts; no any in the public API"
