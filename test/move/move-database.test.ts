/**
 * From one small server to several instances: `learning-center move-database --to URL` copies the
 * embedded SQLite library into PostgreSQL, all or nothing, and the copy serves the same library.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, dialects } from '../helpers/databases.js';
import { cipherOf, insertEvent, insertParticipant } from '../helpers/programmes.js';
import { seedStaff } from '../helpers/staff.js';
import { openDatabase, SQLITE_FILE_NAME, openSqliteFile } from '../../src/platform/db/database.js';
import type { DB } from '../../src/platform/db/schema.js';

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { DATABASE_URL: '', ...env });

/** Rows per table, for every table both engines share. */
async function counts(db: Kysely<DB>, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    out[table] = Number(r.rows[0]!.n);
  }
  return out;
}

const sharedTables = (file: string) =>
  (
    openSqliteFile(file, { readonly: true })
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'search_%' and name not like 'lc_migrations%'",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);

describe('learning-center move-database', { skip: !dialects().includes('postgres') }, () => {
  it('copies the whole SQLite library into PostgreSQL, which then serves it', async () => {
    const source = await buildTestApp('sqlite');
    const target = await createTestDatabase('postgres');
    let moved: TestApp | undefined;
    try {
      const staff = await seedStaff(source.database.db);
      const event = await insertEvent(source.database.db, staff.a.id, { title: 'Move me' });
      const cipher = cipherOf(source.dataDir);
      const person = await insertParticipant(source.database.db, cipher, event.id, {
        name: 'Layla Haddad',
        contact: 'layla@example.org',
      });
      const tables = sharedTables(`${source.dataDir}/${SQLITE_FILE_NAME}`);
      const before = await counts(source.database.db, tables);
      await source.app.close();
      await source.database.close();

      const result = cli(['move-database', '--to', target.databaseUrl!], {
        DATA_DIR: source.dataDir,
      });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /Copied \d+ rows in \d+ tables and indexed \d+ editions/);

      const pg = openDatabase({ dataDir: source.dataDir, databaseUrl: target.databaseUrl });
      try {
        assert.deepEqual(await counts(pg.db, tables), before);
        assert.ok(before.editions! > 10 && before.edition_files! > 10, 'a real library was moved');
        // Same row ids, same keys: her encrypted name still opens.
        const row = await pg.db
          .selectFrom('participants')
          .select('display_name_enc')
          .where('id', '=', person.participantId)
          .executeTakeFirstOrThrow();
        assert.equal(
          cipher.decrypt(row.display_name_enc, {
            table: 'participants',
            column: 'display_name_enc',
            rowId: person.participantId,
          }),
          'Layla Haddad',
        );
      } finally {
        await pg.close();
      }

      // The moved library serves pages and finds things through PostgreSQL's own index.
      moved = await buildTestApp('postgres', {
        shareWith: { dataDir: source.dataDir, databaseUrl: target.databaseUrl } as TestApp,
      });
      const search = await get(moved.baseUrl, `/fa/search?q=${encodeURIComponent('حقوق بشر')}`);
      assert.equal(search.status, 200);
      assert.match(await search.text(), /<mark>/);
      const event2 = await get(moved.baseUrl, `/en/events/${event.slug}`);
      assert.equal(event2.status, 200);
      assert.match(await event2.text(), /Move me/);

      // A second move into the now full database is refused, and changes nothing.
      const again = cli(['move-database', '--to', target.databaseUrl!], {
        DATA_DIR: source.dataDir,
      });
      assert.equal(again.status, 1);
      assert.match(again.stderr, /already holds a library/);
      assert.match(again.stderr, /Nothing was written/);
      assert.deepEqual(await counts(moved.database.db, tables), before);
    } finally {
      await moved?.close();
      await target.cleanup();
      await source.close().catch(() => {});
    }
  });

  it('writes nothing when a row cannot be copied, and says which table', async () => {
    const source = await buildTestApp('sqlite', { library: 'empty' });
    const target = await createTestDatabase('postgres');
    try {
      await seedStaff(source.database.db);
      await source.app.close();
      await source.database.close();
      // A dangling reference, as a database written with foreign keys off could hold.
      const raw = openSqliteFile(`${source.dataDir}/${SQLITE_FILE_NAME}`);
      raw.pragma('foreign_keys = OFF');
      raw
        .prepare('insert into work_topics (work_id, topic_id) values (?, ?)')
        .run('no-such-work', 'no-such-topic');
      raw.close();

      const result = cli(['move-database', '--to', target.databaseUrl!], {
        DATA_DIR: source.dataDir,
      });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /Copying work_topics failed/);
      assert.match(result.stderr, /Nothing was written to PostgreSQL/);
      assert.doesNotMatch(result.stderr, /at .+\.(ts|js):\d+/);
      const pg = openDatabase({ dataDir: source.dataDir, databaseUrl: target.databaseUrl });
      try {
        const left = await counts(pg.db, ['works', 'users', 'organisations']);
        assert.deepEqual(left, { works: 0, users: 0, organisations: 0 });
      } finally {
        await pg.close();
      }

      const bad = cli(['move-database', '--to', 'mysql://nowhere/x'], {
        DATA_DIR: source.dataDir,
      });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--to must start with postgres:\/\//);
    } finally {
      await target.cleanup();
      await source.close().catch(() => {});
    }
  });
});
