import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import type { ServerOptions, Upload } from '@tus/server';
import type { S3Config } from '../../config.js';
import {
  addContentMd5ForDeleteObjects,
  s3ClientConfig,
} from '../../platform/storage/s3-blob-store.js';

/** s3api's smallest part other than the last (as on AWS). */
const PART_BYTES = 5 * 1024 * 1024;

/** Where unfinished tus uploads live, and how an upload id maps to the store's key. */
export interface TusStorage {
  store: FileStore | S3Store;
  /** The store's id for the id in a tus URL (32 hex digits). */
  idOf(urlId: string): string;
  read(id: string): Promise<Readable>;
  getUpload(id: string): Promise<Upload>;
  remove(id: string): Promise<void>;
  deleteExpired(): Promise<number>;
  /** Server options that keep the store's key prefix out of the URLs. */
  serverOptions: Partial<
    Pick<ServerOptions, 'namingFunction' | 'generateUrl' | 'getFileIdFromRequest'>
  >;
}

/** S3Store with two fixes for S3-compatible servers. */
class TusS3Store extends S3Store {
  constructor(options: ConstructorParameters<typeof S3Store>[0]) {
    super(options);
    // The store makes its own client; it needs the same DeleteObjects fix as ours.
    addContentMd5ForDeleteObjects(this.client);
  }

  /**
   * Once an upload is complete, aborting its multipart upload fails (NoSuchUpload), and
   * S3Store.remove stops there, leaving the object and its .info behind: remove them anyway.
   */
  override async remove(id: string): Promise<void> {
    await super.remove(id).catch(() => {});
    await this.client.deleteObjects({
      Bucket: this.bucket,
      Delete: { Objects: [id, `${id}.info`, `${id}.part`].map((Key) => ({ Key })), Quiet: true },
    });
    await this.cache.delete(id);
  }
}

/**
 * With object storage, unfinished uploads are multipart uploads in the bucket under
 * [S3_PREFIX]tus/, so any instance can continue one; otherwise files in DATA_DIR/tus, which
 * instances sharing a data folder share too.
 */
export function makeTusStorage(
  options: { dataDir: string; s3: S3Config | undefined },
  expiryMs: number,
): TusStorage {
  if (!options.s3) {
    const store = new FileStore({
      directory: path.join(options.dataDir, 'tus'),
      expirationPeriodInMilliseconds: expiryMs,
    });
    return {
      store,
      idOf: (urlId) => urlId,
      read: async (id) => store.read(id),
      getUpload: (id) => store.getUpload(id),
      remove: (id) => store.remove(id),
      deleteExpired: () => store.deleteExpired(),
      serverOptions: {},
    };
  }
  const keyPrefix = `${options.s3.prefix}tus/`;
  const store = new TusS3Store({
    partSize: PART_BYTES,
    minPartSize: PART_BYTES,
    expirationPeriodInMilliseconds: expiryMs,
    // Object tags only serve bucket lifecycle rules; not every S3-compatible server has them.
    useTags: false,
    s3ClientConfig: { bucket: options.s3.bucket, ...s3ClientConfig(options.s3) },
  });
  return {
    store,
    idOf: (urlId) => keyPrefix + urlId,
    read: (id) => store.read(id),
    getUpload: (id) => store.getUpload(id),
    remove: (id) => store.remove(id),
    deleteExpired: () => store.deleteExpired(),
    serverOptions: {
      namingFunction: () => keyPrefix + randomBytes(16).toString('hex'),
      generateUrl: (_req, { path: base, id }) => `${base}/${id.slice(keyPrefix.length)}`,
      getFileIdFromRequest: (_req, lastPath) =>
        lastPath && /^[0-9a-f]{32}$/.test(lastPath) ? keyPrefix + lastPath : undefined,
    },
  };
}
