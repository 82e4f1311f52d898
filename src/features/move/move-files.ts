/**
 * Copying the files of a library from local disk to object storage, the other half of moving to
 * several instances. Content-addressed keys make it idempotent: a blob already in the bucket is
 * skipped, so an interrupted copy is simply run again. Every copy is re-hashed on the way, so a
 * file damaged on disk is reported instead of spreading.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { sha256OfFile, type BlobStore } from '../../platform/storage/blob-store.js';

export interface MoveFilesResult {
  copied: number;
  present: number;
  bytes: number;
  /** Blobs the database refers to that the local store lacks or holds damaged. */
  problems: string[];
}

export async function copyBlobs(
  db: Kysely<DB>,
  from: BlobStore,
  to: BlobStore,
  onProgress?: (p: { done: number; total: number; label: string }) => void,
): Promise<MoveFilesResult> {
  const rows = await db.selectFrom('blobs').select(['sha256', 'size']).orderBy('sha256').execute();
  const result: MoveFilesResult = { copied: 0, present: 0, bytes: 0, problems: [] };
  let done = 0;
  for (const row of rows) {
    onProgress?.({ done, total: rows.length, label: row.sha256.slice(0, 12) });
    done += 1;
    if (await to.has(row.sha256)) {
      result.present += 1;
      continue;
    }
    if (!(await from.has(row.sha256))) {
      result.problems.push(`${row.sha256}: missing from the local store`);
      continue;
    }
    // Checked before the upload: object storage keeps what it is sent under the content's hash.
    const actual = await from.withLocalFile(row.sha256, sha256OfFile);
    if (actual.sha256 !== row.sha256 || actual.size !== Number(row.size)) {
      result.problems.push(`${row.sha256}: the local copy is damaged (its content has changed)`);
      continue;
    }
    const staged = await to.stage(await from.read(row.sha256));
    if (staged.sha256 !== row.sha256) {
      await to.discardStaged(staged);
      result.problems.push(`${row.sha256}: the file changed while it was being copied`);
      continue;
    }
    await to.commitStaged(staged);
    result.copied += 1;
    result.bytes += staged.size;
  }
  onProgress?.({ done, total: rows.length, label: 'done' });
  return result;
}
