import type { Config } from '../../config.js';
import { LocalBlobStore, type BlobStore } from './blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/** The configured store: object storage when S3_ENDPOINT is set, otherwise DATA_DIR/blobs. */
export function createBlobStore(config: Pick<Config, 'dataDir' | 's3'>): BlobStore {
  return config.s3
    ? new S3BlobStore(config.s3, config.dataDir)
    : new LocalBlobStore(config.dataDir);
}
