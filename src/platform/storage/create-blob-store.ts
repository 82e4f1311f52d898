import type { Config } from '../../config.js';
import { LocalBlobStore, type BlobStore } from './blob-store.js';

/** The configured store: object storage when S3_ENDPOINT is set, otherwise DATA_DIR/blobs. */
export async function createBlobStore(config: Pick<Config, 'dataDir' | 's3'>): Promise<BlobStore> {
  if (!config.s3) return new LocalBlobStore(config.dataDir);
  // Loaded only when used: the S3 client would weigh on the start of every process.
  const { S3BlobStore } = await import('./s3-blob-store.js');
  return new S3BlobStore(config.s3, config.dataDir);
}
