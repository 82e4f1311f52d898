#!/usr/bin/env bash
# Runs node:test over the test files of one group: unit (src/, test/ except e2e) or e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
group=${1:-unit}
if [ "$group" = e2e ]; then
  mapfile -t files < <(find test/e2e -name '*.test.ts' -o -name '*.test.tsx' | sort)
else
  mapfile -t files < <(find src test -path test/e2e -prune -o \( -name '*.test.ts' -o -name '*.test.tsx' \) -print | sort)
fi
exec node --import tsx --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
