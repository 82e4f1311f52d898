/**
 * `learning-center move-files`: the stored files go from the data folder to object storage (the
 * S3 test server), idempotently, refusing to spread a damaged copy; the library then serves its
 * downloads from the bucket.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildTestApp, CORPUS_DIR, get, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { createTestBucket, s3Env, s3Skip } from '../storage/helpers.js';
import { LocalBlobStore } from '../../src/platform/storage/blob-store.js';

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { DATABASE_URL: '', ...env });

describe('learning-center move-files', { skip: s3Skip() }, () => {
  it('copies every file to the bucket once, skips damaged copies, and the library serves from S3', async () => {
    const source = await buildTestApp('sqlite');
    const bucket = await createTestBucket();
    let moved: TestApp | undefined;
    try {
      const blobs = await source.database.db.selectFrom('blobs').select(['sha256']).execute();
      const page = await (
        await get(source.baseUrl, '/fa/works/not-so-short-introduction-to-latex/fa')
      ).text();
      const href = /href="(\/download\/[^"]+)"/.exec(page)![1]!;
      await source.app.close();
      await source.database.close();

      // One file on disk damaged since it was stored: it must not reach the bucket.
      const local = new LocalBlobStore(source.dataDir);
      const damaged = blobs.find((b) => b.sha256 !== blobs[0]!.sha256)!.sha256;
      fs.appendFileSync(local.localPath(damaged)!, 'bit rot');

      const env = { DATA_DIR: source.dataDir, ...s3Env(bucket.config) };
      const first = cli(['move-files'], env);
      assert.equal(first.status, 1, 'a damaged file is a failure');
      assert.match(first.stdout, new RegExp(`Copied ${blobs.length - 1} files`));
      assert.match(first.stderr, new RegExp(`${damaged}: the local copy is damaged`));
      const keys = await bucket.keys();
      assert.equal(keys.length, blobs.length - 1);
      assert.ok(!keys.some((k) => k.endsWith(damaged)));

      // Repaired, the second run copies only what is missing.
      const content = fs.readFileSync(local.localPath(damaged)!);
      fs.writeFileSync(local.localPath(damaged)!, content.subarray(0, content.length - 7));
      const second = cli(['move-files'], env);
      assert.equal(second.status, 0, second.stderr);
      assert.match(
        second.stdout,
        new RegExp(`Copied 1 files .*; ${blobs.length - 1} were already there`),
      );
      assert.equal((await bucket.keys()).length, blobs.length);

      // With the local files gone, downloads come from the bucket, byte for byte.
      fs.rmSync(path.join(source.dataDir, 'blobs'), { recursive: true, force: true });
      moved = await buildTestApp('sqlite', {
        shareWith: { dataDir: source.dataDir, databaseUrl: undefined } as TestApp,
        env: s3Env(bucket.config),
      });
      const r = await get(moved.baseUrl, href);
      assert.equal(r.status, 200);
      assert.ok(
        Buffer.from(await r.arrayBuffer()).equals(
          fs.readFileSync(path.join(CORPUS_DIR, 'manuals-pdf/lshort-fa.pdf')),
        ),
      );
    } finally {
      await moved?.close();
      await source.close().catch(() => {});
      await bucket.remove();
    }
  });

  it('says what to set when no object storage is configured', () => {
    const result = cli(['move-files'], { DATA_DIR: fs.mkdtempSync('/tmp/lc-move-') });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Set S3_ENDPOINT, S3_BUCKET/);
  });
});
