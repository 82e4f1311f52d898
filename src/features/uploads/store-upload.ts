/**
 * Adding an uploaded file to an edition: one transaction writes the blob row, the file row, the
 * edition's new version and the audit entry; only after it commits does the staged blob move
 * into place. A failure anywhere discards the staged file: no row without a blob, no blob
 * without a row.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Database } from '../../platform/db/database.js';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import type { FileRole } from '../../platform/db/schema.js';
import type { BlobStore, StagedBlob } from '../../platform/storage/blob-store.js';
import { recordAudit, type Actor } from '../audit/log.js';
import { srtToWebVtt } from '../imports/subtitles.js';
import { enqueueJob } from '../../platform/jobs/queue.js';
import { jobsFor } from '../derived/job-kinds.js';
import type { FileKind } from './file-kinds.js';
import { nextFilePosition, recordBlob } from './file-rows.js';

export interface UploadedFile {
  staged: StagedBlob;
  kind: FileKind;
  filename: string;
  role: FileRole;
  /** Language of a subtitle track. */
  language: string | null;
}

/** Browsers play WebVTT, not SRT: an SRT upload gets a WebVTT sibling, made here. */
async function webVttSibling(
  blobs: BlobStore,
  file: UploadedFile,
): Promise<UploadedFile | undefined> {
  if (file.kind.name !== 'srt') return undefined;
  const { readFile } = await import('node:fs/promises');
  const vtt = srtToWebVtt(await readFile(file.staged.path, 'utf8'));
  const staged = await blobs.stage(Readable.from([Buffer.from(vtt)]));
  return {
    ...file,
    staged,
    filename: file.filename.replace(/\.srt$/i, '') + '.vtt',
    kind: { ...file.kind, name: 'vtt', mediaType: 'text/vtt' },
  };
}

export async function addFileToEdition(
  database: Database,
  blobs: BlobStore,
  actor: Actor,
  target: { editionId: string; organisationId: string | null; published: boolean },
  upload: UploadedFile,
): Promise<void> {
  const files = [upload];
  try {
    const sibling = await webVttSibling(blobs, upload);
    if (sibling) files.push(sibling);
    await database.db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      let position = await nextFilePosition(trx, target.editionId);
      let first = true;
      for (const f of files) {
        const fileId = randomUUID();
        await recordBlob(trx, f.staged, f.kind.mediaType, now);
        await trx
          .insertInto('edition_files')
          .values({
            id: fileId,
            edition_id: target.editionId,
            blob_sha256: f.staged.sha256,
            filename: f.filename,
            role: f.role,
            language: f.language,
            position: position++,
            created_at: now,
          })
          .execute();
        // In the same transaction: a file is never left without its derived versions queued.
        if (first)
          for (const kind of jobsFor(f.kind.mediaType, f.role)) await enqueueJob(trx, kind, fileId);
        first = false;
      }
      // New content: translations made from this edition are now stale.
      await trx
        .updateTable('editions')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', target.editionId)
        .execute();
      await recordAudit(trx, actor, {
        action: 'edition.file.add',
        entityType: 'edition',
        entityId: target.editionId,
        organisationId: target.organisationId,
        detail: {
          filename: upload.filename,
          sha256: upload.staged.sha256,
          size: upload.staged.size,
          role: upload.role,
        },
      });
      if (target.published) await bumpContentVersion(trx);
    });
  } catch (error) {
    for (const f of files) await blobs.discardStaged(f.staged);
    throw error;
  }
  for (const f of files) await blobs.commitStaged(f.staged);
}
