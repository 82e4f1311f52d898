/**
 * Stages the files of the editions in the blob store before the database transaction; they are
 * moved into place only once it has committed (`commitStoredFiles`), so a crash or a failed import
 * leaves no blob without a row. A blob the store already has is not copied again.
 */
import fs from 'node:fs';
import {
  sha256OfFile,
  type BlobStore,
  type StagedBlob,
  type StoredBlob,
} from '../../platform/storage/blob-store.js';
import type { Progress } from './import-progress.js';
import type { Manifest } from './manifest-types.js';

export interface StoredFiles {
  /** Every file of the manifest, by absolute path. */
  blobs: Map<string, StoredBlob>;
  /** The new ones, waiting for the transaction. */
  staged: StagedBlob[];
}

/** Hashes every file and stages the ones the blob store does not have yet. */
export async function storeFiles(
  manifest: Manifest,
  store: BlobStore,
  progress: Progress,
): Promise<StoredFiles> {
  const blobs = new Map<string, StoredBlob>();
  const staged: StagedBlob[] = [];
  try {
    for (const work of manifest.works) {
      for (const edition of work.editions) {
        for (const file of edition.files) {
          if (blobs.has(file.absolutePath)) continue;
          let blob: StoredBlob = await sha256OfFile(file.absolutePath);
          if (!(await store.has(blob.sha256)) && !staged.some((s) => s.sha256 === blob.sha256)) {
            progress.tick(`Copying ${file.path}`, 0);
            // stage() hashes what it actually copied: trust that if the file changed meanwhile.
            const copy = await store.stage(fs.createReadStream(file.absolutePath));
            staged.push(copy);
            blob = { sha256: copy.sha256, size: copy.size };
          }
          blobs.set(file.absolutePath, blob);
          progress.tick(`Stored ${file.path}`);
        }
      }
    }
  } catch (error) {
    await discardStoredFiles(store, staged);
    throw error;
  }
  return { blobs, staged };
}

export async function commitStoredFiles(store: BlobStore, staged: readonly StagedBlob[]) {
  for (const blob of staged) await store.commitStaged(blob);
}

export async function discardStoredFiles(store: BlobStore, staged: readonly StagedBlob[]) {
  for (const blob of staged) await store.discardStaged(blob);
}
