/**
 * Copies the files of the editions into the content-addressed blob store, before the database
 * transaction. Idempotent: a blob that is already there is not copied again.
 */
import {
  sha256OfFile,
  type LocalBlobStore,
  type StoredBlob,
} from '../../platform/storage/blob-store.js';
import type { Progress } from './import-progress.js';
import type { Manifest } from './manifest-types.js';

/** Hashes every file and copies the ones the blob store does not have yet. */
export async function storeFiles(
  manifest: Manifest,
  blobs: LocalBlobStore,
  progress: Progress,
): Promise<Map<string, StoredBlob>> {
  const stored = new Map<string, StoredBlob>();
  for (const work of manifest.works) {
    for (const edition of work.editions) {
      for (const file of edition.files) {
        if (stored.has(file.absolutePath)) continue;
        let blob = await sha256OfFile(file.absolutePath);
        if (!(await blobs.has(blob.sha256))) {
          progress.tick(`Copying ${file.path}`, 0);
          // putFile hashes what it actually copied: trust that if the file changed meanwhile.
          blob = await blobs.putFile(file.absolutePath);
        }
        stored.set(file.absolutePath, blob);
        progress.tick(`Stored ${file.path}`);
      }
    }
  }
  return stored;
}
