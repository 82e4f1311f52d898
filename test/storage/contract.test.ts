/**
 * One contract, every backend: local disk and S3-compatible object storage (Swift) behave the
 * same through the BlobStore interface.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  BlobTooLargeError,
  LocalBlobStore,
  StorageUnavailableError,
  type BlobStore,
} from '../../src/platform/storage/blob-store.js';
import { S3BlobStore } from '../../src/platform/storage/s3-blob-store.js';
import { createTestBucket, s3Skip, type TestBucket } from './helpers.js';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const from = (data: Buffer | string) => Readable.from([Buffer.from(data)]);

interface Backend {
  store: BlobStore;
  dataDir: string;
  cleanup(): Promise<void>;
}

const backends: { name: string; skip: () => string | false; make(): Promise<Backend> }[] = [
  {
    name: 'local disk',
    skip: () => false,
    make: async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-store-'));
      return {
        store: new LocalBlobStore(dataDir),
        dataDir,
        cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'S3 (Swift)',
    skip: s3Skip,
    make: async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-store-'));
      const bucket: TestBucket = await createTestBucket();
      return {
        store: new S3BlobStore({ ...bucket.config, prefix: 'site-a/' }, dataDir),
        dataDir,
        cleanup: async () => {
          await bucket.remove();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];

const tmpEntries = (dataDir: string) => fs.readdirSync(path.join(dataDir, 'blobs', 'tmp'));

for (const backend of backends) {
  describe(`blob store contract: ${backend.name}`, { skip: backend.skip() }, () => {
    let b: Backend;
    before(async () => {
      b = await backend.make();
    });
    after(() => b.cleanup());

    it('stages, commits and reads back by content hash, whole and by range', async () => {
      const data = Buffer.from('Hello, ресурсы, منابع: '.repeat(1000));
      const staged = await b.store.stage(from(data));
      assert.equal(staged.sha256, sha(data));
      assert.equal(staged.size, data.length);
      assert.ok(fs.existsSync(staged.path), 'a local staged copy to check the content');
      await b.store.commitStaged(staged);
      assert.equal(fs.existsSync(staged.path), false);
      assert.equal(await b.store.has(staged.sha256), true);
      assert.ok((await buffer(await b.store.read(staged.sha256))).equals(data));
      const part = await buffer(await b.store.read(staged.sha256, { start: 10, end: 99 }));
      assert.ok(part.equals(data.subarray(10, 100)));
      assert.deepEqual(tmpEntries(b.dataDir), []);
    });

    it('keeps nothing of a discarded blob on local disk', async () => {
      const staged = await b.store.stage(from('discard me'));
      await b.store.discardStaged(staged);
      assert.deepEqual(tmpEntries(b.dataDir), []);
      if (b.store.kind === 'local') assert.equal(await b.store.has(staged.sha256), false);
    });

    it('refuses a source over the limit and leaves nothing behind', async () => {
      const before = [];
      for await (const blob of b.store.list()) before.push(blob.sha256);
      await assert.rejects(b.store.stage(from(Buffer.alloc(2000, 1)), 1000), BlobTooLargeError);
      const after = [];
      for await (const blob of b.store.list()) after.push(blob.sha256);
      assert.deepEqual(after.sort(), before.sort());
      assert.deepEqual(tmpEntries(b.dataDir), []);
    });

    it('stores an empty blob', async () => {
      const staged = await b.store.stage(from(Buffer.alloc(0)));
      await b.store.commitStaged(staged);
      assert.equal(staged.size, 0);
      assert.equal((await buffer(await b.store.read(staged.sha256))).length, 0);
    });

    it('lends a local file with the bytes, and tidies it away afterwards', async () => {
      const data = Buffer.from('for ffmpeg and pdftotext');
      const staged = await b.store.stage(from(data));
      await b.store.commitStaged(staged);
      let seen = '';
      const result = await b.store.withLocalFile(staged.sha256, async (file) => {
        seen = file;
        assert.ok(fs.readFileSync(file).equals(data));
        return 42;
      });
      assert.equal(result, 42);
      if (b.store.kind === 's3') {
        assert.equal(fs.existsSync(seen), false, 'the downloaded copy is removed');
        assert.equal(b.store.localPath(staged.sha256), undefined);
      } else {
        assert.equal(b.store.localPath(staged.sha256), seen);
      }
      assert.deepEqual(tmpEntries(b.dataDir), []);
    });

    it('lists blobs, and sweeps only old ones without a row', async () => {
      const keep = await b.store.stage(from('kept: it has a row'));
      await b.store.commitStaged(keep);
      const orphan = await b.store.stage(from('orphan: its transaction never committed'));
      // Local disk only places a blob after its row commits: an orphan there is a placed file
      // whose row went; on object storage it is the object PUT before a rolled-back transaction.
      await b.store.commitStaged(orphan);
      const listed = new Map<string, number>();
      for await (const blob of b.store.list()) {
        listed.set(blob.sha256, blob.size);
        assert.ok(blob.modifiedAt instanceof Date);
      }
      assert.equal(listed.get(keep.sha256), keep.size);
      assert.equal(listed.get(orphan.sha256), orphan.size);
      let inFlightSha = '';
      const referenced = async (s: string) => s !== orphan.sha256 && s !== inFlightSha;
      assert.equal(await b.store.sweepOrphans(referenced, 3_600_000), 0, 'too young to go');
      assert.equal(await b.store.has(orphan.sha256), true);
      // Staged and not yet committed: its transaction is still running, whatever its age.
      const inFlight = await b.store.stage(from('a transaction still in flight'));
      inFlightSha = inFlight.sha256;
      assert.equal(await b.store.sweepOrphans(referenced, 0), 1);
      assert.equal(await b.store.has(orphan.sha256), false);
      assert.equal(await b.store.has(keep.sha256), true);
      await b.store.commitStaged(inFlight);
      assert.equal(await b.store.has(inFlight.sha256), true);
    });

    it('recovers staged blobs after a crash: with a row kept available, without discarded', async () => {
      const withRow = await b.store.stage(from('committed just before the crash'));
      await b.store.stage(from('never committed'));
      const result = await b.store.recoverStaged(async (s) => s === withRow.sha256, 0);
      assert.deepEqual(result, { committed: 1, discarded: 1 });
      assert.equal(await b.store.has(withRow.sha256), true);
      assert.deepEqual(tmpEntries(b.dataDir), []);
    });

    it('says a missing blob cannot be read, before any byte is sent', async () => {
      await assert.rejects(b.store.read('0'.repeat(64)), StorageUnavailableError);
      assert.equal(await b.store.has('0'.repeat(64)), false);
    });

    it('passes its readiness check', async () => {
      await b.store.check();
      assert.deepEqual(tmpEntries(b.dataDir), [], 'the probe is removed');
    });
  });
}
