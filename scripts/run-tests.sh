#!/usr/bin/env bash
# Runs node:test over the test files of one group: unit (src/, test/ except e2e and resilience),
# e2e, or resilience (kill -9, load, full disks: slower, run by npm run test:resilience).
set -euo pipefail
cd "$(dirname "$0")/.."
group=${1:-unit}
if [ "$group" = e2e ] || [ "$group" = resilience ]; then
  mapfile -t files < <(find "test/$group" -name '*.test.ts' -o -name '*.test.tsx' | sort)
else
  mapfile -t files < <(find src test \( -path test/e2e -o -path test/resilience \) -prune -o \( -name '*.test.ts' -o -name '*.test.tsx' \) -print | sort)
fi
# The resilience files run one at a time: the load test measures, and kills processes.
concurrency=2
if [ "$group" = resilience ]; then concurrency=1; fi
# Databases prepared once per run (migrated, corpus imported) and copied by each test: see
# createPreparedDatabase in test/helpers/databases.ts.
LC_TEST_TEMPLATES=$(mktemp -d "${TMPDIR:-/tmp}/lc-templates-XXXXXX")
export LC_TEST_TEMPLATES
cleanup() { node --import tsx -e "await (await import('./test/helpers/databases.ts')).dropTemplates()" || true; }
trap cleanup EXIT
node --import tsx --test --test-reporter=spec --test-concurrency=$concurrency "${files[@]}"
