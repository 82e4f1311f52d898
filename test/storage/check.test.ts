/**
 * Bad storage settings: the configuration names what is missing or malformed, and the readiness
 * check says exactly what is wrong with a store that cannot be used.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { LocalBlobStore, StorageUnavailableError } from '../../src/platform/storage/blob-store.js';
import { createBlobStore } from '../../src/platform/storage/create-blob-store.js';
import { S3BlobStore } from '../../src/platform/storage/s3-blob-store.js';
import { createTestBucket, s3Env, s3Skip, type TestBucket } from './helpers.js';

const S3_ENV = {
  S3_ENDPOINT: 'http://127.0.0.1:18080',
  S3_BUCKET: 'library',
  S3_ACCESS_KEY_ID: 'test:tester',
  S3_SECRET_ACCESS_KEY: 'testing',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: os.tmpdir(), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('storage settings', () => {
  it('uses local disk by default, and object storage with defaults when S3 is set', async () => {
    assert.equal(loadConfig({ DATA_DIR: os.tmpdir() }).s3, undefined);
    const s3 = loadConfig({ DATA_DIR: os.tmpdir(), ...S3_ENV }).s3!;
    assert.deepEqual(s3, {
      endpoint: 'http://127.0.0.1:18080',
      bucket: 'library',
      region: 'us-east-1',
      accessKeyId: 'test:tester', // a colon, as Swift's tempauth has it
      secretAccessKey: 'testing',
      forcePathStyle: true,
      prefix: '',
      downloads: 'stream',
      presignSeconds: 300,
    });
    assert.equal(
      (await createBlobStore({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lc-')), s3 })).kind,
      's3',
    );
    const more = loadConfig({
      DATA_DIR: os.tmpdir(),
      ...S3_ENV,
      S3_PREFIX: 'sites/one',
      S3_DOWNLOADS: 'redirect',
      S3_PRESIGN_SECONDS: '600',
      S3_FORCE_PATH_STYLE: 'false',
    }).s3!;
    assert.equal(more.prefix, 'sites/one/');
    assert.equal(more.downloads, 'redirect');
    assert.equal(more.presignSeconds, 600);
    assert.equal(more.forcePathStyle, false);
  });

  it('names every missing S3 variable when only some are set', () => {
    const found = problems({ S3_ENDPOINT: 'http://127.0.0.1:18080', S3_BUCKET: 'library' });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /missing: S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY$/);
  });

  it('refuses malformed values, each with its name and the value given', () => {
    const found = problems({
      ...S3_ENV,
      S3_ENDPOINT: '127.0.0.1:18080',
      S3_BUCKET: 'My_Bucket',
      S3_DOWNLOADS: 'proxy',
      S3_PRESIGN_SECONDS: '5',
      S3_PREFIX: '../up',
    });
    assert.equal(found.length, 5, found.join('\n'));
    assert.ok(found.some((p) => p.startsWith('S3_ENDPOINT must be an http(s) address')));
    assert.ok(found.some((p) => p.startsWith('S3_BUCKET') && p.includes('"My_Bucket"')));
    assert.ok(found.some((p) => p.startsWith('S3_DOWNLOADS') && p.includes('"proxy"')));
    assert.ok(found.some((p) => p.startsWith('S3_PRESIGN_SECONDS must be from 30 to 86400')));
    assert.ok(found.some((p) => p.startsWith('S3_PREFIX')));
    assert.match(problems({ S3_DOWNLOADS: 'redirect' })[0]!, /without object storage/);
  });

  it('takes an X-Accel-Redirect location only as /path/ and only with local disk', () => {
    assert.equal(
      loadConfig({ DATA_DIR: os.tmpdir(), X_ACCEL_REDIRECT: '/_blobs/' }).xAccelRedirect,
      '/_blobs/',
    );
    assert.match(problems({ X_ACCEL_REDIRECT: '/_blobs' })[0]!, /starts and ends with "\/"/);
    assert.match(problems({ X_ACCEL_REDIRECT: 'http://x/' })[0]!, /starts and ends with "\/"/);
    assert.match(
      problems({ ...S3_ENV, X_ACCEL_REDIRECT: '/_blobs/' })[0]!,
      /cannot be used with S3_ENDPOINT/,
    );
  });
});

describe('readiness check of the local store', () => {
  it('says the blob folder is not writable, and why', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-check-'));
    try {
      const store = new LocalBlobStore(dataDir);
      await store.check();
      // (Tests may run as root, for whom permissions do not stop a write: break the folder.)
      fs.rmSync(path.join(dataDir, 'blobs', 'tmp'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'blobs', 'tmp'), 'not a folder');
      await assert.rejects(store.check(), (e: Error) => {
        assert.ok(e instanceof StorageUnavailableError);
        assert.match(e.message, /^DATA_DIR\/blobs \(.+\) is not writable: (ENOTDIR|EEXIST)$/);
        return true;
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('readiness check of object storage', { skip: s3Skip() }, () => {
  let bucket: TestBucket;
  let dataDir: string;
  before(async () => {
    bucket = await createTestBucket();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-check-'));
  });
  after(async () => {
    await bucket.remove();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const checkWith = (env: Record<string, string>) => {
    const config = loadConfig({ DATA_DIR: dataDir, ...s3Env(bucket.config), ...env });
    return new S3BlobStore(config.s3!, dataDir).check();
  };
  const rejectsWith = (env: Record<string, string>, pattern: RegExp) =>
    assert.rejects(checkWith(env), (e: Error) => {
      assert.ok(e instanceof StorageUnavailableError, String(e));
      assert.match(e.message, pattern);
      assert.doesNotMatch(e.message, /testing|wrong-secret/, 'no secret in the message');
      return true;
    });

  it('passes with the right settings and leaves no probe behind', async () => {
    await checkWith({});
    assert.deepEqual(await bucket.keys(), []);
  });

  it('names a wrong secret or access key', () =>
    rejectsWith(
      { S3_SECRET_ACCESS_KEY: 'wrong-secret' },
      /S3_SECRET_ACCESS_KEY.*\(SignatureDoesNotMatch\)/,
    ));

  it('names a bucket that does not exist', () =>
    rejectsWith(
      { S3_BUCKET: 'no-such-bucket-here' },
      /bucket S3_BUCKET=no-such-bucket-here does not exist/,
    ));

  it('names an endpoint that cannot be reached', () =>
    rejectsWith(
      { S3_ENDPOINT: 'http://127.0.0.1:1' },
      /S3_ENDPOINT=http:\/\/127\.0\.0\.1:1 cannot be reached \(ECONNREFUSED\)/,
    ));

  it('names a region the server does not serve', () =>
    rejectsWith({ S3_REGION: 'eu-west-3' }, /S3_REGION=eu-west-3 .*AuthorizationHeaderMalformed/));
});
