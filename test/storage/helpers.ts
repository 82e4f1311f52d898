/**
 * Object storage for tests: the S3 server started by scripts/ensure-s3.sh (Swift with s3api) at
 * S3_TEST_ENDPOINT. Each test makes a bucket of its own and removes it afterwards. Without
 * S3_TEST_ENDPOINT the S3 tests are skipped, except with CI=true, where they must run.
 */
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Kysely } from 'kysely';
import type { S3Config } from '../../src/config.js';
import type { DialectName } from '../../src/platform/db/database.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import type { DB } from '../../src/platform/db/schema.js';
import type { BlobStore } from '../../src/platform/storage/blob-store.js';
import { makeS3Client } from '../../src/platform/storage/s3-blob-store.js';

export const S3_TEST_ENDPOINT = process.env.S3_TEST_ENDPOINT;

/** `skip` option for describe(): a reason without a server, but never in CI. */
export function s3Skip(): string | false {
  if (S3_TEST_ENDPOINT) return false;
  if (process.env.CI === 'true')
    throw new Error('CI=true requires S3_TEST_ENDPOINT (run scripts/ensure-s3.sh)');
  return 'S3_TEST_ENDPOINT is not set (bash scripts/ensure-s3.sh starts the test server)';
}

export function s3Config(bucket: string, overrides: Partial<S3Config> = {}): S3Config {
  return {
    endpoint: S3_TEST_ENDPOINT ?? 'http://127.0.0.1:18080',
    bucket,
    region: 'us-east-1',
    accessKeyId: 'test:tester',
    secretAccessKey: 'testing',
    forcePathStyle: true,
    prefix: '',
    downloads: 'stream',
    presignSeconds: 300,
    ...overrides,
  };
}

/** The environment a process reads for the same settings. */
export function s3Env(config: S3Config): Record<string, string> {
  return {
    S3_ENDPOINT: config.endpoint,
    S3_BUCKET: config.bucket,
    S3_REGION: config.region,
    S3_ACCESS_KEY_ID: config.accessKeyId,
    S3_SECRET_ACCESS_KEY: config.secretAccessKey,
    S3_DOWNLOADS: config.downloads,
    S3_PRESIGN_SECONDS: String(config.presignSeconds),
    ...(config.prefix ? { S3_PREFIX: config.prefix } : {}),
  };
}

export interface TestBucket {
  name: string;
  config: S3Config;
  client: S3Client;
  keys(): Promise<string[]>;
  remove(): Promise<void>;
}

export async function createTestBucket(): Promise<TestBucket> {
  const name = `lc-test-${randomBytes(6).toString('hex')}`;
  const config = s3Config(name);
  const client = makeS3Client(config);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  const keys = async () => {
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: name, ...(token ? { ContinuationToken: token } : {}) }),
      );
      all.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return all;
  };
  return {
    name,
    config,
    client,
    keys,
    remove: async () => {
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: name }));
      for (const u of uploads.Uploads ?? [])
        await client.send(
          new AbortMultipartUploadCommand({ Bucket: name, Key: u.Key!, UploadId: u.UploadId! }),
        );
      for (const key of await keys())
        await client.send(new DeleteObjectCommand({ Bucket: name, Key: key }));
      await client.send(new DeleteBucketCommand({ Bucket: name }));
      client.destroy();
    },
  };
}

/** A test app whose `blobs` is the store it was given (local disk or object storage). */
export type StorageTestApp = Omit<TestApp, 'blobs'> & { blobs: BlobStore };

/**
 * The real application on 127.0.0.1:0 with its blob store made from the environment given
 * (S3_*, X_ACCEL_REDIRECT), over a fresh empty database, or another test app's database and data
 * folder (a second instance of the same site).
 */
export async function buildStorageApp(
  dialect: DialectName,
  options: { env?: Record<string, string>; shareWith?: StorageTestApp } = {},
): Promise<StorageTestApp> {
  const t = await buildTestApp(dialect, {
    library: 'empty',
    ...(options.env ? { env: options.env } : {}),
    ...(options.shareWith ? { shareWith: options.shareWith as unknown as TestApp } : {}),
  });
  return { ...t, blobs: t.store };
}

/** Row counts of the tables a stored file touches. */
export async function fileRowCounts(db: Kysely<DB>): Promise<{ blobs: number; files: number }> {
  const count = async (table: 'blobs' | 'edition_files') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { blobs: await count('blobs'), files: await count('edition_files') };
}
