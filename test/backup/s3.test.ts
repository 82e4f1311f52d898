/**
 * Backups of the scale-out topology: PostgreSQL + object storage (Swift with s3api). By default
 * the backup lists the objects, which stay in the bucket; --include-blobs carries them too,
 * so the backup restores into a new, empty bucket.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBlobStore } from '../../src/platform/storage/create-blob-store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import {
  buildStorageApp,
  createTestBucket,
  s3Env,
  s3Skip,
  type StorageTestApp,
  type TestBucket,
} from '../storage/helpers.js';
import { addBlob, makeKeyPair, manifestWithAge, runCli } from './helpers.js';

describe('backup and restore with object storage (postgres + S3)', { skip: s3Skip() }, () => {
  let t: StorageTestApp;
  let source: TestBucket;
  let fresh: TestBucket;
  let targets: TestDatabase[];
  let keys: { identityFile: string; recipient: string };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-backup-s3-'));

  before(async () => {
    [source, fresh, keys] = await Promise.all([
      createTestBucket(),
      createTestBucket(),
      makeKeyPair({ viaCli: false }),
    ]);
    t = await buildStorageApp('postgres', { env: s3Env(source.config) });
    targets = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
  });
  after(async () => {
    await t.close();
    for (const target of targets) await target.cleanup();
    await source.remove();
    await fresh.remove();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists the objects by default, carries them with --include-blobs, restores both ways', async () => {
    const shas = [
      await addBlob(t.database.db, t.blobs, randomBytes(70_000)),
      await addBlob(t.database.db, t.blobs, randomBytes(1_000)),
    ].sort();
    const env = {
      ...s3Env(source.config),
      DATA_DIR: t.dataDir,
      DATABASE_URL: t.databaseUrl,
      BACKUP_RECIPIENT: keys.recipient,
    };
    const listed = path.join(work, 'listed.lcbk');
    const carried = path.join(work, 'carried.lcbk');
    const made = await Promise.all([
      runCli(['backup', '--out', listed], env),
      runCli(['backup', '--out', carried, '--include-blobs'], env),
    ]);
    for (const r of made) assert.equal(r.status, 0, r.stderr);
    assert.match(made[0].stdout, /listed \(they stay in the bucket\)/);
    const manifest = manifestWithAge(carried, keys.identityFile) as ReturnType<
      typeof manifestWithAge
    > & { blobsIncluded: boolean; blobStorage: string };
    assert.equal(manifest.blobStorage, 's3');
    assert.equal(manifest.blobsIncluded, true);
    assert.deepEqual(manifest.blobs.map((b) => b.sha256).sort(), shas);
    assert.ok(fs.statSync(carried).size > fs.statSync(listed).size + 70_000);

    const withKey = { BACKUP_IDENTITY_FILE: keys.identityFile };
    const [verified, fromListing, fromCarried] = await Promise.all([
      runCli(['backup', 'verify', listed], withKey),
      // The listing restores against the bucket the objects stayed in...
      runCli(['restore', listed], {
        ...withKey,
        ...s3Env(source.config),
        DATA_DIR: targets[0]!.dataDir,
        DATABASE_URL: targets[0]!.databaseUrl,
      }),
      // ...the full backup into a new, empty bucket.
      runCli(['restore', carried], {
        ...withKey,
        ...s3Env(fresh.config),
        DATA_DIR: targets[1]!.dataDir,
        DATABASE_URL: targets[1]!.databaseUrl,
      }),
    ]);
    assert.equal(verified.status, 0, verified.stderr);
    assert.match(verified.stdout, /listed \(kept in the bucket\)/);
    assert.equal(fromListing.status, 0, fromListing.stderr);
    assert.equal(fromCarried.status, 0, fromCarried.stderr);
    const restoredStore = await createBlobStore({ dataDir: targets[1]!.dataDir, s3: fresh.config });
    for (const sha of shas) assert.ok(await restoredStore.has(sha), `${sha} is in the new bucket`);

    // A listing cannot restore where the objects are not.
    const empty = await createTestDatabase('postgres');
    targets.push(empty);
    const nowhere = await runCli(['restore', listed], {
      ...withKey,
      ...s3Env({ ...fresh.config, prefix: 'elsewhere' }),
      DATA_DIR: empty.dataDir,
      DATABASE_URL: empty.databaseUrl,
    });
    assert.equal(nowhere.status, 1);
    assert.match(nowhere.stderr, /are not in the store configured here/);
  });
});
