/**
 * Migrations up from an empty database and from the previous release's fixture, on every
 * database: the schema equals the committed snapshot (UPDATE_SNAPSHOT=1 rewrites it after a new
 * migration), an upgraded database is indistinguishable from a fresh one, the release's rows
 * survive, the app boots on it, and down migrations lead back to the same schema.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NO_MIGRATIONS, sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { verifyPassword } from '../../src/features/accounts/passwords.js';
import { FieldCipher } from '../../src/platform/crypto/field-encryption.js';
import { loadKeyRing } from '../../src/platform/crypto/key-ring.js';
import type { Database } from '../../src/platform/db/database.js';
import { describeSchema, type SchemaDescription } from '../../src/platform/db/introspect.js';
import {
  createMigrator,
  migrateToLatest,
  pendingMigrations,
} from '../../src/platform/db/migrate.js';
import { startServer } from '../../src/server.js';
import { REPO_ROOT } from '../helpers/app.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/databases.js';
import {
  appliedMigrations,
  compact,
  createFixtureDatabase,
  FIXTURE_KEYS,
  open,
  rowCounts,
  SNAPSHOT_FILE,
} from './helpers.js';

const MIGRATION_NAMES = fs
  .readdirSync(path.join(REPO_ROOT, 'src/db/migrations'))
  .filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

function readSnapshot(): Record<string, unknown> {
  return fs.existsSync(SNAPSHOT_FILE)
    ? (JSON.parse(fs.readFileSync(SNAPSHOT_FILE, 'utf8')) as Record<string, unknown>)
    : {};
}

for (const dialect of dialects()) {
  describe(`migrations on ${dialect}`, () => {
    let freshDb: TestDatabase;
    let fresh: Database;
    let freshSchema: SchemaDescription;

    before(async () => {
      freshDb = await createTestDatabase(dialect);
      fresh = open(freshDb);
      await migrateToLatest(fresh);
      freshSchema = await describeSchema(fresh);
    });
    after(async () => {
      await fresh.close();
      await freshDb.cleanup();
    });

    it('from empty: every migration is applied and the schema equals the committed snapshot', async () => {
      assert.deepEqual(await appliedMigrations(fresh), MIGRATION_NAMES);
      assert.deepEqual(await pendingMigrations(fresh), []);
      const snapshot = readSnapshot();
      if (process.env.UPDATE_SNAPSHOT === '1') {
        snapshot[dialect] = compact(freshSchema);
        const ordered = Object.fromEntries(
          Object.entries(snapshot).sort(([a], [b]) => a.localeCompare(b)),
        );
        // Written as `prettier --check .` wants it, so that the lint step stays green.
        const prettier = await import('prettier');
        const options = (await prettier.resolveConfig(SNAPSHOT_FILE)) ?? {};
        fs.writeFileSync(
          SNAPSHOT_FILE,
          await prettier.format(JSON.stringify(ordered), { ...options, parser: 'json' }),
        );
        return;
      }
      assert.ok(
        snapshot[dialect],
        `no ${dialect} schema in ${SNAPSHOT_FILE}: run UPDATE_SNAPSHOT=1 on this test`,
      );
      assert.deepEqual(
        compact(freshSchema),
        snapshot[dialect],
        'the schema changed: if a new migration meant it, regenerate the snapshot with ' +
          'UPDATE_SNAPSHOT=1 DIALECTS=sqlite,postgres node --import tsx --test test/migrations/upgrade.test.ts',
      );
    });

    it('down to nothing, then up again, gives the same schema', async () => {
      const down = await createMigrator(fresh).migrateTo(NO_MIGRATIONS);
      assert.equal(down.error, undefined, `down migrations failed: ${String(down.error)}`);
      assert.deepEqual(
        down.results?.map((r) => r.migrationName),
        [...MIGRATION_NAMES].reverse(),
      );
      const empty = await describeSchema(fresh);
      assert.deepEqual(Object.keys(empty.tables), ['lc_migrations', 'lc_migrations_lock']);
      assert.deepEqual(empty.virtualTables, []);
      await migrateToLatest(fresh);
      assert.deepEqual(await describeSchema(fresh), freshSchema);
    });

    describe('from the previous release (test/fixtures/release-2026-11-30)', () => {
      let db: TestDatabase;
      let database: Database;
      let counts: Record<string, number>;

      before(async () => {
        db = await createFixtureDatabase(dialect);
        database = open(db);
        const schema = await describeSchema(database);
        const tables = Object.keys(schema.tables).filter((t) => !t.startsWith('lc_migrations'));
        counts = await rowCounts(database, tables);
        await migrateToLatest(database);
      });
      after(async () => {
        await database?.close();
        await db?.cleanup();
      });

      it('ends with the same schema and migration records as a fresh database', async () => {
        assert.deepEqual(await describeSchema(database), freshSchema);
        assert.deepEqual(await appliedMigrations(database), MIGRATION_NAMES);
      });

      it("keeps the release's rows and values", async () => {
        assert.deepEqual(await rowCounts(database, Object.keys(counts)), counts);
        // Not an empty shell: the fixture holds every kind of record the release wrote.
        for (const table of [
          'works',
          'editions',
          'edition_sections',
          'edition_files',
          'blobs',
          'users',
          'memberships',
          'sessions',
          'audit_log',
          'events',
          'registrations',
          'participants',
          'attendance',
          'survey_responses',
          'survey_answers',
          'jobs',
        ]) {
          assert.ok((counts[table] ?? 0) > 0, `the fixture has no ${table}`);
        }

        const edition = await database.db
          .selectFrom('editions')
          .innerJoin('works', 'works.id', 'editions.work_id')
          .select(['editions.title', 'editions.status', 'works.year'])
          .where('works.slug', '=', 'digital-safety-basics')
          .where('editions.language', '=', 'ar')
          .executeTakeFirstOrThrow();
        assert.deepEqual(edition, {
          title: 'أساسيات الأمان الرقمي',
          status: 'published',
          year: 2026,
        });

        const user = await database.db
          .selectFrom('users')
          .select('password_hash')
          .where('username', '=', 'layla')
          .executeTakeFirstOrThrow();
        assert.equal(await verifyPassword(user.password_hash, 'fixture-password-2'), true);

        // Participants' fields, encrypted by the release, still open with the same keys.
        const cipher = new FieldCipher(loadKeyRing({ FIELD_KEYS_FILE: FIXTURE_KEYS }, db.dataDir));
        const people = await database.db
          .selectFrom('participants')
          .select(['id', 'display_name_enc'])
          .execute();
        for (const p of people) {
          const name = cipher.decrypt(p.display_name_enc, {
            table: 'participants',
            column: 'display_name_enc',
            rowId: p.id,
          });
          assert.ok(name.length > 0);
        }

        const jobs = await database.db
          .selectFrom('jobs')
          .select(['state', sql<number>`count(*)`.as('n')])
          .groupBy('state')
          .orderBy('state')
          .execute();
        assert.deepEqual(
          jobs.map((j) => j.state),
          ['done', 'failed', 'queued'],
        );
      });

      it('passes the database integrity and foreign-key checks', async () => {
        if (dialect !== 'sqlite') return; // PostgreSQL enforces foreign keys on every write
        const integrity = await sql<{
          integrity_check: string;
        }>`pragma integrity_check`.execute(database.db);
        assert.deepEqual(integrity.rows, [{ integrity_check: 'ok' }]);
        const fk = await sql`pragma foreign_key_check`.execute(database.db);
        assert.deepEqual(fk.rows, []);
      });

      it('boots the app on it and serves the library and its files', async () => {
        const previousKeys = process.env.FIELD_KEYS_FILE;
        process.env.FIELD_KEYS_FILE = FIXTURE_KEYS;
        const server = await startServer(
          loadConfig({
            DATA_DIR: db.dataDir,
            ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
            SEED_DEMO: 'false',
            RUN_JOBS: 'false',
            LOG_LEVEL: 'silent',
            PORT: '0',
            PAGE_CACHE_SECONDS: '0',
          }),
        );
        try {
          const page = await fetch(`${server.url}/fr/works/your-rights-in-30-articles/fr`);
          assert.equal(page.status, 200);
          assert.match(await page.text(), /Vos droits en 30 articles/);

          const file = await database.db
            .selectFrom('edition_files')
            .select(['id', 'filename'])
            .where('filename', '=', 'Checklist.txt')
            .executeTakeFirstOrThrow();
          const download = await fetch(
            `${server.url}/download/${file.id}/${encodeURIComponent(file.filename)}`,
          );
          assert.equal(download.status, 200);
          assert.match(await download.text(), /^Checklist: passphrase/);
        } finally {
          await server.close();
          if (previousKeys === undefined) delete process.env.FIELD_KEYS_FILE;
          else process.env.FIELD_KEYS_FILE = previousKeys;
        }
      });
    });
  });
}
