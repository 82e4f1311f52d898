import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../../config.js';
import {
  LocalBlobStore,
  StorageUnavailableError,
  type BlobStore,
  type ByteRange,
  type StagedBlob,
  type StoredBlob,
} from './blob-store.js';

/** Blobs this small are sent from memory, so that the SDK can retry the PUT by itself. */
const IN_MEMORY_PUT_BYTES = 8 * 1024 * 1024;

/**
 * The client settings every S3-compatible server we test against accepts (see
 * ../shared/tools/s3/README.md): no aws-chunked uploads or response checksums beyond what the
 * operation requires, path-style addressing unless turned off, bounded connection waits.
 */
export function s3ClientConfig(config: S3Config): S3ClientConfig {
  // The SDK is pinned (package.json), so its notice that later versions need Node 22 says
  // nothing to an operator on Node 20; it would appear in every process's log.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
  };
}

export function makeS3Client(config: S3Config): S3Client {
  const client = new S3Client(s3ClientConfig(config));
  addContentMd5ForDeleteObjects(client);
  return client;
}

/** Swift's s3api (and others) require Content-MD5 on DeleteObjects; the SDK only sends CRC32. */
export function addContentMd5ForDeleteObjects(client: S3Client) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      if (
        context.commandName === 'DeleteObjectsCommand' &&
        typeof request.body === 'string' &&
        request.headers
      ) {
        request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', name: 'addContentMd5ForDeleteObjects' },
  );
}

/**
 * File contents in an S3-compatible bucket under content-addressed keys
 * [S3_PREFIX]blobs/ab/cd/<sha256>. A blob is staged on local disk (hashed, size-checked, synced),
 * then PUT under its final key before the caller's transaction, so a committed row always
 * points to an object. The PUT happens even when the object exists: it refreshes LastModified,
 * which keeps the orphan sweep off an object a transaction in flight is about to refer to.
 * An object whose transaction never committed is removed by sweepOrphans after the settle time.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  /** Local disk for staging and temporary folders (DATA_DIR/blobs/tmp, as before). */
  readonly staging: LocalBlobStore;

  get scratch(): LocalBlobStore {
    return this.staging;
  }
  private readonly keyPrefix: string;

  constructor(
    readonly config: S3Config,
    dataDir: string,
    client?: S3Client,
  ) {
    this.client = client ?? makeS3Client(config);
    this.staging = new LocalBlobStore(dataDir);
    this.keyPrefix = `${config.prefix}blobs/`;
  }

  keyOf(sha256: string): string {
    if (!LocalBlobStore.isDigest(sha256)) throw new Error('Invalid blob key');
    return `${this.keyPrefix}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  async stage(source: Readable, maxBytes?: number): Promise<StagedBlob> {
    const staged = await this.staging.stage(source, maxBytes);
    try {
      await this.put(staged);
      return staged;
    } catch (error) {
      await this.staging.discardStaged(staged);
      throw error;
    }
  }

  private async put(staged: StagedBlob): Promise<void> {
    const body =
      staged.size <= IN_MEMORY_PUT_BYTES
        ? await fs.promises.readFile(staged.path)
        : fs.createReadStream(staged.path);
    await this.send('store the file', () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.config.bucket,
          Key: this.keyOf(staged.sha256),
          Body: body,
          ContentLength: staged.size,
          ContentType: 'application/octet-stream',
        }),
      ),
    );
  }

  /** The object is already in place: only the local staged copy goes. */
  async commitStaged(staged: StagedBlob): Promise<void> {
    await this.staging.discardStaged(staged);
  }

  async discardStaged(staged: StagedBlob): Promise<void> {
    await this.staging.discardStaged(staged);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.keyOf(sha256) }),
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw this.unavailable('look up a file', error);
    }
  }

  /** Waits for the object's headers, so a missing object fails here, not mid-response. */
  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    const response = await this.send('read a file', () =>
      this.client.send(
        new GetObjectCommand({
          Bucket: this.config.bucket,
          Key: this.keyOf(sha256),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      ),
    );
    if (!(response.Body instanceof Readable))
      throw new StorageUnavailableError('object storage returned no body');
    return response.Body;
  }

  /** A short-lived address the browser may fetch the object from directly. */
  async presignedUrl(
    sha256: string,
    options: { contentDisposition: string; contentType: string; expiresIn: number },
  ): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.config.bucket,
        Key: this.keyOf(sha256),
        ResponseContentDisposition: options.contentDisposition,
        ResponseContentType: options.contentType,
      }),
      { expiresIn: options.expiresIn },
    );
  }

  async withLocalFile<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T> {
    const dir = this.staging.makeTempDir('s3-');
    try {
      const file = path.join(dir, sha256);
      await pipeline(await this.read(sha256), fs.createWriteStream(file, { flags: 'wx' }));
      return await use(file);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  localPath(): undefined {
    return undefined;
  }

  async *list(): AsyncIterable<StoredBlob & { modifiedAt: Date }> {
    let token: string | undefined;
    do {
      const page = await this.send('list the files', () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.config.bucket,
            Prefix: this.keyPrefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        const sha256 = object.Key?.slice(this.keyPrefix.length + 6) ?? '';
        if (!LocalBlobStore.isDigest(sha256) || object.Key !== this.keyOf(sha256)) continue;
        yield {
          sha256,
          size: object.Size ?? 0,
          modifiedAt: object.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async sweepOrphans(
    isReferenced: (sha256: string) => Promise<boolean>,
    olderThanMs: number,
  ): Promise<number> {
    const now = Date.now();
    const doomed: string[] = [];
    // A blob still staged here belongs to a transaction in flight, however long it has taken
    // (a large import stages every file before its one transaction).
    const inFlight = new Set(
      (await fs.promises.readdir(path.join(this.staging.root, 'tmp')).catch(() => []))
        .filter((name) => name.endsWith('.staged'))
        .map((name) => name.slice(0, 64)),
    );
    for await (const blob of this.list()) {
      if (inFlight.has(blob.sha256)) continue;
      // 0 means any age (object stores round LastModified up to the second).
      if (olderThanMs > 0 && now - blob.modifiedAt.getTime() < olderThanMs) continue;
      if (!(await isReferenced(blob.sha256))) doomed.push(this.keyOf(blob.sha256));
    }
    for (let i = 0; i < doomed.length; i += 1000) {
      const batch = doomed.slice(i, i + 1000);
      const result = await this.send('remove unused files', () =>
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.config.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        ),
      );
      if (result.Errors?.length)
        throw new StorageUnavailableError(
          `object storage could not remove ${result.Errors.length} unused files (${result.Errors[0]?.Code ?? 'error'})`,
        );
    }
    return doomed.length;
  }

  /**
   * Staged files are local copies of objects already PUT (a staged name is given only after the
   * whole file is written, and stage() returns only after the PUT): none needs moving. With a
   * row, the copy goes at once; without, once older than the settle time.
   */
  async recoverStaged(
    hasRow: (sha256: string) => Promise<boolean>,
    olderThanMs = 0,
  ): Promise<{ committed: number; discarded: number }> {
    let committed = 0;
    const { discarded } = await this.staging.recoverStaged(async (sha256) => {
      if (!(await hasRow(sha256))) return false;
      committed += 1;
      return true;
    }, olderThanMs);
    return { committed, discarded };
  }

  makeTempDir(prefix: string): string {
    return this.staging.makeTempDir(prefix);
  }

  sweepTemporaryFiles(olderThanMs?: number): Promise<number> {
    return this.staging.sweepTemporaryFiles(olderThanMs);
  }

  /** The bucket answers, and a probe object can be written, read back and removed. */
  async check(): Promise<void> {
    await this.staging.check();
    const { bucket } = this.config;
    const key = `${this.config.prefix}probe/${randomUUID()}`;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket })).catch(async (error) => {
        // A HEAD answer has no body, so no error code: a listing names what is wrong.
        if (hasErrorCode(error)) throw error;
        await this.client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
        throw error;
      });
      await this.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'probe', ContentLength: 5 }),
      );
      const got = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = await got.Body?.transformToString();
      if (text !== 'probe')
        throw new StorageUnavailableError(
          `object storage returned different bytes for a probe object in bucket "${bucket}"`,
        );
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw error;
      throw new StorageUnavailableError(explainS3Error(error, this.config), { cause: error });
    }
  }

  private async send<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.unavailable(what, error);
    }
  }

  private unavailable(what: string, error: unknown): StorageUnavailableError {
    return new StorageUnavailableError(
      `object storage could not ${what}: ${explainS3Error(error, this.config)}`,
      { cause: error },
    );
  }
}

function hasErrorCode(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name !== undefined && !['Unknown', 'BadRequest', 'Forbidden', 'Error'].includes(name);
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'TimeoutError',
]);

/** What went wrong, in terms of the settings an operator can change. No secrets included. */
export function explainS3Error(error: unknown, config: S3Config): string {
  const e = error as {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.Code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const network = [e.code, e.cause?.code, e.name].find((c) => c && NETWORK_CODES.has(c));
  if (network) return `the endpoint S3_ENDPOINT=${config.endpoint} cannot be reached (${network})`;
  if (name === 'InvalidAccessKeyId')
    return `the access key S3_ACCESS_KEY_ID is not known to ${config.endpoint} (InvalidAccessKeyId)`;
  // Some servers (Swift) also answer this for an unknown access key.
  if (name === 'SignatureDoesNotMatch')
    return `S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY were refused: the secret does not match the access key, or the key does not exist (SignatureDoesNotMatch)`;
  if (name === 'AuthorizationHeaderMalformed')
    return `S3_REGION=${config.region} is not the region of ${config.endpoint} (AuthorizationHeaderMalformed)`;
  if (name === 'NoSuchBucket' || (name === 'NotFound' && status === 404))
    return `the bucket S3_BUCKET=${config.bucket} does not exist at ${config.endpoint} (NoSuchBucket)`;
  if (name === 'AccessDenied' || status === 403)
    return `access to bucket S3_BUCKET=${config.bucket} was refused: check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY and the key's permissions (${name || 403})`;
  if (status === 400 && (name === 'BadRequest' || name === 'Unknown' || name === ''))
    return `the request was refused as malformed: check S3_REGION=${config.region} and S3_FORCE_PATH_STYLE (400)`;
  if (status !== undefined && status >= 500)
    return `the object storage at ${config.endpoint} failed (${name || status})`;
  return `${name || 'error'}${e.message && e.message !== name ? `: ${e.message}` : ''}`;
}
