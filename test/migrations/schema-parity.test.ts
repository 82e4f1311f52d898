/**
 * One migrations folder, two engines: after a fresh migrate, SQLite and PostgreSQL describe the
 * same tables, columns (type family, nullability, default), primary keys, indexes, foreign keys
 * and value checks. Only the search index differs, by design (DIALECT_SPECIFIC_TABLES).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database, DialectName } from '../../src/platform/db/database.js';
import { describeSchema, type SchemaDescription } from '../../src/platform/db/introspect.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/databases.js';
import { DIALECT_SPECIFIC_TABLES, open, portable } from './helpers.js';

const both = (['sqlite', 'postgres'] as const).every((d) => dialects().includes(d));

describe(
  'schema parity between SQLite and PostgreSQL',
  { skip: !both && 'needs DIALECTS=sqlite,postgres' },
  () => {
    const dbs: TestDatabase[] = [];
    const databases: Database[] = [];
    const schemas = {} as Record<DialectName, SchemaDescription>;

    before(async () => {
      for (const dialect of ['sqlite', 'postgres'] as const) {
        const db = await createTestDatabase(dialect);
        dbs.push(db);
        const database = open(db);
        databases.push(database);
        await migrateToLatest(database);
        schemas[dialect] = await describeSchema(database);
      }
    });
    after(async () => {
      for (const d of databases) await d.close();
      for (const db of dbs) await db.cleanup();
    });

    it('has the same tables on both', () => {
      const names = (d: DialectName) => Object.keys(portable(schemas[d]));
      assert.deepEqual(names('sqlite'), names('postgres'));
      assert.ok(names('sqlite').length > 10);
    });

    it('describes every table the same way: columns, keys, indexes, foreign keys, checks', () => {
      const sqlite = portable(schemas.sqlite);
      const postgres = portable(schemas.postgres);
      for (const table of Object.keys(sqlite)) {
        assert.deepEqual(sqlite[table], postgres[table], `table ${table} differs`);
      }
    });

    it('keeps the exceptions real: each dialect-specific table exists on its own engine only', () => {
      for (const dialect of ['sqlite', 'postgres'] as const) {
        const other = dialect === 'sqlite' ? 'postgres' : 'sqlite';
        for (const table of DIALECT_SPECIFIC_TABLES[dialect]) {
          assert.ok(schemas[dialect].tables[table], `${table} is missing on ${dialect}`);
          assert.equal(schemas[other].tables[table], undefined, `${table} exists on ${other} too`);
        }
      }
      assert.ok(schemas.sqlite.virtualTables.includes('search_fts'));
      assert.deepEqual(schemas.postgres.virtualTables, []);
    });
  },
);
