#!/usr/bin/env bash
# Regenerates the previous release's fixture database (test/fixtures/release-<name>/), used by
# test/migrations/ to prove that an upgrade from that release works on SQLite and PostgreSQL.
#
#   bash scripts/make-release-fixture.sh [COMMIT] [NAME]     # default: c9e743e 2026-11-30
#
# Checks COMMIT out into a temporary worktree (sharing this checkout's node_modules), runs ITS
# migrations and seeding code (scripts/release-fixture-seed.ts) on a fresh SQLite file and a fresh
# PostgreSQL database, and writes plain-SQL dumps (reviewable in a diff) plus the stored files.
# Needs sqlite3, psql and pg_dump, and PostgreSQL at TEST_POSTGRES_URL (default: local `test`).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
commit=${1:-c9e743e}
name=${2:-2026-11-30}
out="$repo/test/fixtures/release-$name"
admin_url=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
pg_db="lc_fixture_$$"
pg_url="${admin_url%/*}/$pg_db"

work=$(mktemp -d /tmp/lc-release-fixture.XXXXXX)
tree="$work/tree"
cleanup() {
  git -C "$repo" worktree remove --force "$tree" 2>/dev/null || true
  psql -q "$admin_url" -c "drop database if exists $pg_db with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

git worktree add --detach "$tree" "$commit" >/dev/null
# The release's dependencies are a subset of today's (dependencies are only ever added here).
ln -s "$repo/node_modules" "$tree/node_modules"

mkdir -p "$out"
# A test-only key ring: the fixture's participant fields are encrypted with it, and tests decrypt
# them after the upgrade. Never used anywhere else.
if [ ! -f "$out/field-keys.json" ]; then
  node -e '
    const b = () => require("crypto").randomBytes(32).toString("base64");
    console.log(JSON.stringify({ current: "k1", keys: { k1: b() }, index: b() }, null, 2));
  ' >"$out/field-keys.json"
fi
export FIELD_KEYS_FILE="$out/field-keys.json"

echo "== SQLite at $commit"
node --import tsx scripts/release-fixture-seed.ts "$tree" "$work/sqlite"
db="$work/sqlite/learning-center.db"
sqlite3 "$db" 'pragma wal_checkpoint(truncate);' >/dev/null
sqlite3 "$db" .dump >"$out/sqlite.sql"
rm -rf "$out/blobs"
mkdir -p "$out/blobs"
(cd "$work/sqlite/blobs" && find . -type f -not -path './tmp/*' -exec cp --parents {} "$out/blobs/" \;)

echo "== PostgreSQL at $commit"
psql -q "$admin_url" -c "create database $pg_db" >/dev/null
DATABASE_URL="$pg_url" node --import tsx scripts/release-fixture-seed.ts "$tree" "$work/pg"
pg_dump --no-owner --no-privileges "$pg_url" >"$out/postgres.sql"

cat >"$out/README.md" <<EOF
# Fixture: the release at commit $commit

A small database as the release at \`$commit\` left it, made by its own migrations and code
(\`bash scripts/make-release-fixture.sh $commit $name\`, which runs
\`scripts/release-fixture-seed.ts\` in a worktree of that commit). Do not edit by hand.

- \`sqlite.sql\`: \`sqlite3 learning-center.db .dump\`; \`blobs/\`: the files it points to.
- \`postgres.sql\`: \`pg_dump --no-owner --no-privileges\` of the same data on PostgreSQL (ids differ).
- \`field-keys.json\`: a TEST-ONLY key ring that encrypts the fixture participants' fields.

Used by test/migrations/ (upgrade, schema parity, kill -9 during migration).
EOF
du -sh "$out"
