import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { openDatabase } from '../../src/platform/db/database.js';
import { migrateToLatest, pendingMigrations } from '../../src/platform/db/migrate.js';
import { createTestDatabase, dialects } from '../helpers/databases.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function tableExists(db: Kysely<any>, dialect: string, name: string) {
  const query =
    dialect === 'sqlite'
      ? sql<{
          n: number;
        }>`select count(*) as n from sqlite_master where type = 'table' and name = ${name}`
      : sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_name = ${name}`;
  const { rows } = await query.execute(db);
  return Number(rows[0]?.n) > 0;
}

for (const dialect of dialects()) {
  describe(`migrations (${dialect})`, () => {
    it('run up from empty, then have nothing pending, and are safe to run twice', async () => {
      const t = await createTestDatabase(dialect);
      const database = openDatabase(t);
      try {
        assert.ok((await migrateToLatest(database)).length > 0);
        assert.deepEqual(await pendingMigrations(database), []);
        assert.deepEqual(await migrateToLatest(database), []);
        assert.ok(await tableExists(database.db, dialect, 'editions'));
      } finally {
        await database.close();
        await t.cleanup();
      }
    });

    it('roll back completely when a migration fails half-way', async () => {
      const t = await createTestDatabase(dialect);
      const database = openDatabase(t);
      try {
        const failing: Record<string, Migration> = {
          '0001_creates_then_fails': {
            up: async (db) => {
              await db.schema.createTable('half_done').addColumn('id', 'text').execute();
              throw new Error('simulated crash in the middle of a migration');
            },
          },
        };
        const migrator = new Migrator({
          db: database.db,
          provider: { getMigrations: async () => failing },
        });
        const result = await migrator.migrateToLatest();
        assert.ok(result.error);
        assert.equal(await tableExists(database.db, dialect, 'half_done'), false);
      } finally {
        await database.close();
        await t.cleanup();
      }
    });
  });
}
