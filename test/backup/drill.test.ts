/**
 * Backup and restore drill (security checklist 24), on each database: registrations keep
 * arriving over HTTP while `learning-center backup` runs; the backup is restored into a fresh
 * place, which passes its integrity and foreign-key checks, holds exactly the rows its manifest
 * counted, and is a consistent snapshot (every event's seats_taken equals its registered rows).
 * Then the restored site boots and serves.
 *
 * The control showing why the live files are never copied is in copy-control.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { SQLITE_FILE_NAME, openSqliteFile } from '../../src/platform/db/database.js';
import { startServer } from '../../src/server.js';
import { buildTestApp, get, type TestApp } from '../helpers/app.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/databases.js';
import { seedStaff } from '../helpers/staff.js';
import { makeEvent, registerVia } from '../registration/helpers.js';
import { addBlob, makeKeyPair, manifestWithAge, runCli } from './helpers.js';

for (const dialect of dialects()) {
  describe(`backup and restore drill under write load (${dialect})`, () => {
    let t: TestApp;
    let target: TestDatabase;
    let keys: { identityFile: string; recipient: string };
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-drill-'));

    before(async () => {
      [t, target, keys] = await Promise.all([
        buildTestApp(dialect, { library: 'empty' }),
        createTestDatabase(dialect),
        makeKeyPair({ viaCli: false }),
      ]);
    });
    after(async () => {
      await t.close();
      await target.cleanup();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it('backs up a consistent snapshot while registrations arrive, and restores it', async () => {
      const staff = await seedStaff(t.database.db);
      const events = [
        await makeEvent(t.database.db, { organisationId: staff.a.id, capacity: 15 }),
        await makeEvent(t.database.db, { organisationId: staff.b.id, capacity: 1000 }),
      ];
      for (let i = 0; i < 3; i++) await addBlob(t.database.db, t.blobs, randomBytes(50_000 + i));

      // Writers: each registration adds a participant, a registration and (while seats last)
      // moves seats_taken, all in one transaction.
      let running = true;
      let done = 0;
      let failed = 0;
      const writer = async (n: number) => {
        for (let i = 0; running; i++) {
          const result = await registerVia(t.baseUrl, events[(n + i) % 2]!.slug, {
            display_name: `Writer ${n}.${i}`,
          });
          if (result.status === 201) done++;
          else failed++;
        }
      };
      const writers = Array.from({ length: 4 }, (_, n) => writer(n));
      while (done < 10) await new Promise((r) => setTimeout(r, 20));

      const file = path.join(work, 'drill.lcbk');
      const env = {
        DATA_DIR: t.dataDir,
        DATABASE_URL: t.databaseUrl,
        BACKUP_RECIPIENT: keys.recipient,
      };
      const doneBefore = done;
      const backup = await runCli(['backup', '--out', file, '--include-field-keys'], env);
      const doneDuring = done - doneBefore;
      running = false;
      await Promise.all(writers);
      assert.equal(backup.status, 0, backup.stderr);
      assert.equal(failed, 0, 'every registration under load succeeded');
      assert.ok(doneDuring > 0, 'registrations were written while the backup ran');
      assert.ok(!fs.existsSync(`${file}.tmp`));

      // The file is plain age + tar: Debian's tools read the manifest.
      const manifest = manifestWithAge(file, keys.identityFile);
      assert.equal(manifest.dialect, dialect);
      assert.equal(manifest.blobs.length, 3);

      const [verify, restore] = await Promise.all([
        runCli(['backup', 'verify', file], { BACKUP_IDENTITY_FILE: keys.identityFile }),
        runCli(['restore', file], {
          DATA_DIR: target.dataDir,
          DATABASE_URL: target.databaseUrl,
          BACKUP_IDENTITY_FILE: keys.identityFile,
        }),
      ]);
      assert.equal(verify.status, 0, verify.stderr);
      assert.match(verify.stdout, /complete and consistent/);
      assert.equal(restore.status, 0, restore.stderr);
      assert.match(restore.stdout, /Field keys restored/);

      const counted = await restoredCounts(target);
      assert.deepEqual(counted.tables, manifest.tables, 'row counts equal the manifest');
      assert.ok(counted.tables.registrations! >= 10);
      assert.ok(counted.tables.registrations! < doneBefore + doneDuring + 100);
      assert.deepEqual(counted.badSeats, [], 'seats_taken equals registered rows on every event');
      assert.equal(counted.orphanRegistrations, 0);
      if (dialect === 'sqlite') {
        assert.equal(counted.integrity, 'ok');
        assert.equal(counted.foreignKeyViolations, 0);
      }
      for (const blob of manifest.blobs) {
        const restored = path.join(
          target.dataDir,
          'blobs',
          blob.sha256.slice(0, 2),
          blob.sha256.slice(2, 4),
          blob.sha256,
        );
        assert.ok(fs.existsSync(restored), `file ${blob.sha256} restored`);
      }

      // The restored site boots on its own data and serves it.
      const server = await startServer(
        loadConfig({
          DATA_DIR: target.dataDir,
          ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
          PORT: '0',
          SEED_DEMO: 'false',
          LOG_LEVEL: 'silent',
        }),
      );
      try {
        const page = await get(server.url, `/en/events/${events[1]!.slug}`);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /Digital safety workshop/);
      } finally {
        await server.close();
      }
    });
  });
}

async function restoredCounts(target: TestDatabase) {
  const invariant = `select e.id from events e where e.seats_taken <> (select count(*) from registrations r where r.event_id = e.id and r.status = 'registered')`;
  const orphans = `select count(*) as n from registrations r where not exists (select 1 from participants p where p.id = r.participant_id)`;
  if (!target.databaseUrl) {
    const db = openSqliteFile(path.join(target.dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      const names = db
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        .pluck()
        .all() as string[];
      const tables: Record<string, number> = {};
      for (const name of names)
        tables[name] = Number(db.prepare(`select count(*) from "${name}"`).pluck().get());
      return {
        tables,
        integrity: db.pragma('integrity_check', { simple: true }) as string,
        foreignKeyViolations: (db.pragma('foreign_key_check') as unknown[]).length,
        badSeats: db.prepare(invariant).pluck().all(),
        orphanRegistrations: Number(db.prepare(orphans.replace(' as n', '')).pluck().get()),
      };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    const tables: Record<string, number> = {};
    for (const { name } of rows) {
      const r = await client.query<{ n: string }>(`select count(*) as n from "${name}"`);
      tables[name] = Number(r.rows[0]!.n);
    }
    return {
      tables,
      badSeats: (await client.query(invariant)).rows,
      orphanRegistrations: Number((await client.query<{ n: string }>(orphans)).rows[0]!.n),
    };
  } finally {
    await client.end();
  }
}
