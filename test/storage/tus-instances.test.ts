/**
 * A resumable upload started on one instance and finished on another (PostgreSQL, with the
 * unfinished upload in object storage or in a shared data folder), and the advisory locks that
 * keep two instances from writing the same upload at once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { PgAdvisoryLocker } from '../../src/features/uploads/pg-locker.js';
import { CORPUS_DIR } from '../helpers/app.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/databases.js';
import { seedStaff, signedIn, type StaffClient } from '../helpers/staff.js';
import {
  buildStorageApp,
  createTestBucket,
  s3Env,
  s3Skip,
  type StorageTestApp,
  type TestBucket,
} from './helpers.js';

// A PDF a little over one 5 MiB part (bytes after %%EOF are allowed): the first instance
// writes a whole part and a partial one, the second the rest.
const PDF = Buffer.concat([
  fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-fr.pdf')),
  Buffer.alloc(4 * 1024 * 1024, '%\n'),
]);
const FIRST = 5 * 1024 * 1024 + 300_000;

const b64 = (s: string) => Buffer.from(s).toString('base64');

function tusRequest(
  client: StaffClient,
  baseUrl: string,
  method: string,
  url: string,
  extra: Record<string, string> = {},
  body?: Uint8Array,
) {
  return fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      'tus-resumable': '1.0.0',
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'x-csrf-token': client.csrf,
      ...extra,
    },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });
}

const withPostgres = dialects().includes('postgres');

for (const storage of ['object storage', 'a shared data folder'] as const) {
  describe(
    `a tus upload continued on another instance (postgres, ${storage})`,
    {
      skip: !withPostgres
        ? 'DIALECTS does not include postgres'
        : storage === 'object storage' && s3Skip(),
    },
    () => {
      let bucket: TestBucket | undefined;
      let a: StorageTestApp;
      let b: StorageTestApp;
      let editor: StaffClient;
      let editionId: string;

      before(async () => {
        if (storage === 'object storage') bucket = await createTestBucket();
        const env = bucket ? s3Env(bucket.config) : {};
        a = await buildStorageApp('postgres', { env });
        b = await buildStorageApp('postgres', { env, shareWith: a });
        const staff = await seedStaff(a.database.db);
        editor = await signedIn(a.baseUrl, staff.user('a', 'editor'));
        editionId = staff.a.draftEditionId;
      });
      after(async () => {
        await b.close();
        await a.close();
        await bucket?.remove();
      });

      it('creates and half-sends on A, resumes on B, and the file lands whole in the edition', async () => {
        const created = await tusRequest(editor, a.baseUrl, 'POST', '/tus/uploads', {
          'upload-length': String(PDF.length),
          'upload-metadata': `edition ${b64(editionId)},filename ${b64('guide.pdf')},role ${b64('original')}`,
        });
        assert.equal(created.status, 201, await created.text());
        const location = created.headers.get('location')!;
        assert.match(location, /^\/tus\/uploads\/[0-9a-f]{32}$/);
        const octets = { 'content-type': 'application/offset+octet-stream' };
        const first = await tusRequest(
          editor,
          a.baseUrl,
          'PATCH',
          location,
          { ...octets, 'upload-offset': '0' },
          PDF.subarray(0, FIRST),
        );
        assert.equal(first.status, 204, await first.text());

        // The connection breaks; the browser comes back through the other instance.
        const head = await tusRequest(editor, b.baseUrl, 'HEAD', location);
        assert.equal(head.headers.get('upload-offset'), String(FIRST));
        const rest = await tusRequest(
          editor,
          b.baseUrl,
          'PATCH',
          location,
          { ...octets, 'upload-offset': String(FIRST) },
          PDF.subarray(FIRST),
        );
        assert.equal(rest.status, 204, await rest.text());

        const row = await a.database.db
          .selectFrom('edition_files as f')
          .innerJoin('blobs as bl', 'bl.sha256', 'f.blob_sha256')
          .select(['f.filename', 'bl.size', 'bl.sha256'])
          .where('f.edition_id', '=', editionId)
          .executeTakeFirstOrThrow();
        assert.equal(row.filename, 'guide.pdf');
        assert.equal(row.size, PDF.length);
        const stored = Buffer.concat(
          await (async () => {
            const chunks: Buffer[] = [];
            for await (const c of await a.blobs.read(row.sha256)) chunks.push(c as Buffer);
            return chunks;
          })(),
        );
        assert.ok(stored.equals(PDF), 'identical bytes');
        if (bucket) {
          const left = (await bucket.keys()).filter((k) => k.startsWith('tus/'));
          assert.deepEqual(left, [], 'the unfinished upload is gone from the bucket');
        } else {
          assert.deepEqual(fs.readdirSync(path.join(a.dataDir, 'tus')), []);
        }
      });
    },
  );
}

describe(
  'PostgreSQL advisory locks for tus uploads',
  {
    skip: withPostgres ? false : 'DIALECTS does not include postgres',
  },
  () => {
    let db: TestDatabase;
    let pools: pg.Pool[];
    before(async () => {
      db = await createTestDatabase('postgres');
      pools = [1, 2].map(() => new pg.Pool({ connectionString: db.databaseUrl!, max: 2 }));
    });
    after(async () => {
      for (const p of pools) await p.end();
      await db.cleanup();
    });

    it('lets one instance at a time hold an upload, and the other take it once released', async () => {
      const [one, two] = pools.map((p) => new PgAdvisoryLocker(p!, 300));
      const held = one!.newLock('upload-1');
      await held.lock(new AbortController().signal, () => {});
      await assert.rejects(
        two!.newLock('upload-1').lock(new AbortController().signal, () => {}),
        (e: { status_code?: number }) => e.status_code === 500,
        'the other instance times out while the lock is held',
      );
      const different = two!.newLock('upload-2');
      await different.lock(new AbortController().signal, () => {});
      await different.unlock();
      await held.unlock();
      const taken = two!.newLock('upload-1');
      await taken.lock(new AbortController().signal, () => {});
      await taken.unlock();
    });

    it('asks a holder in the same process to let go', async () => {
      const locker = new PgAdvisoryLocker(pools[0]!, 5_000);
      const first = locker.newLock('upload-3');
      let asked = 0;
      await first.lock(new AbortController().signal, async () => {
        asked += 1;
        await first.unlock();
      });
      const second = locker.newLock('upload-3');
      await second.lock(new AbortController().signal, () => {});
      assert.equal(asked, 1);
      await second.unlock();
    });
  },
);
