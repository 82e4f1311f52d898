/**
 * Databases for the migration tests: a throwaway database loaded from the previous release's
 * fixture (test/fixtures/release-2026-11-30, made by scripts/make-release-fixture.sh), a freshly
 * migrated one, and a compact rendering of schema descriptions for the committed snapshot.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import {
  openDatabase,
  SQLITE_FILE_NAME,
  type Database,
  type DialectName,
} from '../../src/platform/db/database.js';
import type { SchemaDescription, TableDescription } from '../../src/platform/db/introspect.js';
import { REPO_ROOT } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

export const FIXTURE_DIR = path.join(REPO_ROOT, 'test/fixtures/release-2026-11-30');
export const FIXTURE_KEYS = path.join(FIXTURE_DIR, 'field-keys.json');
export const SNAPSHOT_FILE = path.join(REPO_ROOT, 'test/migrations/schema.snapshot.json');

/**
 * Tables that exist on one engine only, by design: the search index is an FTS5 virtual table
 * plus a rowid map on SQLite, a table with a generated tsvector on PostgreSQL.
 */
export const DIALECT_SPECIFIC_TABLES: Record<DialectName, readonly string[]> = {
  sqlite: ['search_docs'],
  postgres: ['search_index'],
};

export function open(db: TestDatabase): Database {
  return openDatabase({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
}

/** Loads a plain-SQL dump into the (empty) test database `db`. */
export function loadDump(db: TestDatabase, dump: string): void {
  if (db.dialect === 'sqlite') {
    const nativeBinding = process.env.BETTER_SQLITE3_BINDING;
    const file = path.join(db.dataDir, SQLITE_FILE_NAME);
    const sqlite = new SQLite(file, nativeBinding ? { nativeBinding } : {});
    try {
      // `.dump` writes FTS5 virtual tables straight into sqlite_schema (writable_schema), which
      // better-sqlite3's defensive default forbids; the schema is read again on reopening.
      sqlite.unsafeMode(true);
      sqlite.exec(dump);
    } finally {
      sqlite.close();
    }
    return;
  }
  // pg_dump's plain format holds COPY blocks and psql meta-commands: psql is the loader.
  const result = spawnSync(
    'psql',
    ['-q', '-X', '--single-transaction', '-v', 'ON_ERROR_STOP=1', '-d', db.databaseUrl!, '-f', '-'],
    {
      input: dump,
      encoding: 'utf8',
    },
  );
  assert.equal(result.status, 0, `psql could not load the dump: ${result.stderr}`);
}

/** A throwaway database holding the previous release's fixture, with its stored files. */
export async function createFixtureDatabase(dialect: DialectName): Promise<TestDatabase> {
  const db = await createTestDatabase(dialect);
  const dump = dialect === 'sqlite' ? 'sqlite.sql' : 'postgres.sql';
  loadDump(db, fs.readFileSync(path.join(FIXTURE_DIR, dump), 'utf8'));
  fs.cpSync(path.join(FIXTURE_DIR, 'blobs'), path.join(db.dataDir, 'blobs'), { recursive: true });
  return db;
}

/** Rows per table, for every table both the fixture and the code know. */
export async function rowCounts(
  database: Database,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{
      n: number;
    }>`select count(*) as n from ${sql.table(table)}`.execute(database.db);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}

/** Migration names recorded as applied, in order. */
export async function appliedMigrations(database: Database): Promise<string[]> {
  const { rows } = await sql<{
    name: string;
  }>`select name from lc_migrations order by name`.execute(database.db);
  return rows.map((r) => r.name);
}

/** One line per column (`integer not null default 1`): a snapshot a reviewer can read. */
export function compact(schema: SchemaDescription) {
  const table = (t: TableDescription) => ({
    columns: Object.fromEntries(
      Object.entries(t.columns).map(([name, c]) => [
        name,
        [
          c.type === c.declared ? c.type : `${c.type} (${c.declared})`,
          c.nullable ? '' : 'not null',
          c.default === null ? '' : `default ${c.default}`,
          c.generated ? 'generated' : '',
        ]
          .filter(Boolean)
          .join(' '),
      ]),
    ),
    primaryKey: t.primaryKey,
    indexes: t.indexes,
    foreignKeys: t.foreignKeys,
    checks: t.checks,
  });
  return {
    tables: Object.fromEntries(Object.entries(schema.tables).map(([n, t]) => [n, table(t)])),
    virtualTables: schema.virtualTables,
  };
}

/** The same description without what legitimately differs between engines. */
export function portable(schema: SchemaDescription) {
  const specific = new Set(DIALECT_SPECIFIC_TABLES[schema.dialect]);
  return Object.fromEntries(
    Object.entries(schema.tables)
      .filter(([name]) => !specific.has(name))
      .map(([name, t]) => [
        name,
        {
          ...t,
          columns: Object.fromEntries(
            Object.entries(t.columns).map(([c, d]) => [
              c,
              { type: d.type, nullable: d.nullable, default: d.default, generated: d.generated },
            ]),
          ),
        },
      ]),
  );
}
