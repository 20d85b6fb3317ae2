#!/usr/bin/env bash
# Type-checks a typed use of the whole API against pkg/passwordless.d.ts (and of the element
# against pkg/element.d.ts), and refuses `any` in
# the public declarations. wasm-bindgen's `InitOutput` (the raw wasm exports that `init`
# answers, typed `any` where they pass JS values by reference) is its ABI, not our API.
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/tsc -p tests/types/tsconfig.json
# Comments (JSDoc prose) are left out: "any tab" is not a type.
if awk '/^export interface InitOutput/ {skip=1} skip && /^}/ {skip=0; next} !skip' pkg/passwordless.d.ts \
   | grep -vE '^\s*(/\*\*|\*|//)' \
   | grep -nE '(:\s*any\b|<any>|\bany\[\]|\|\s*any\b|\bany\s*\|)'; then
  echo "pkg/passwordless.d.ts: the public API must not use any" >&2
  exit 1
fi
echo "types: example.ts and element.ts compile against pkg/passwordless.d.ts and pkg/element.d.ts; no any in the public API"
