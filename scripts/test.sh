#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, then runs static checks and
# every test on SQLite and PostgreSQL (with a real S3 server and nginx) under Node 20, the
# resilience tests, then every test again on SQLite under Node 24 LTS.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

bash scripts/install-system-packages.sh
bash scripts/ensure-postgres.sh
bash scripts/ensure-s3.sh
export S3_TEST_ENDPOINT=${S3_TEST_ENDPOINT:-http://127.0.0.1:${S3_PORT:-18080}}
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

echo "== Static checks"
npm run typecheck --silent
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
npm run build >/dev/null

export DIALECTS=${DIALECTS:-sqlite,postgres}
export LOG_LEVEL=${LOG_LEVEL:-silent}

echo "== Tests on Node $(node --version) ($DIALECTS)"
bash scripts/run-tests.sh unit
bash scripts/run-tests.sh e2e

# Kill -9, full disks, locks, graceful shutdown, two instances behind nginx under load: about
# behaviour of the processes and machines around the code, run once (npm run test:resilience).
echo "== Resilience tests on Node $(node --version)"
bash scripts/run-tests.sh resilience

# The second runtime: the whole suite again, on SQLite (the native addon is what differs between
# Node versions; the PostgreSQL driver is plain JavaScript and the full database matrix has just
# passed on Node 20). Keeps the suite within its time budget.
echo "== Tests on Node 24 LTS (sqlite)"
eval "$(bash scripts/node24.sh)"
echo "Node $(node --version)"
DIALECTS=sqlite LC_RUNTIME_PASS=sqlite-only bash scripts/run-tests.sh unit
DIALECTS=sqlite LC_RUNTIME_PASS=sqlite-only bash scripts/run-tests.sh e2e

echo "== All tests passed in $(( $(date +%s) - start )) s"
