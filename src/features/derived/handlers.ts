/**
 * The background jobs that make derived files: text for search, a thumbnail, a 240p video and an
 * audio-only version. Each is idempotent (a retry after a crash finds its result and stops) and
 * writes through the same stage -> transaction -> commit path as uploads.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../platform/db/database.js';
import { bumpContentVersion } from '../../platform/db/content-version.js';
import type { FileRole, JobTable } from '../../platform/db/schema.js';
import type { JobKind } from './job-kinds.js';
import type { JobHandler } from '../../platform/jobs/queue.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { nextFilePosition, recordBlob } from '../uploads/file-rows.js';
import { extractText, looksUsable } from './extract-text.js';
import { runTool } from './tools.js';
import { reindexEditions } from '../search/indexer.js';

interface SourceFile {
  id: string;
  edition_id: string;
  filename: string;
  sha256: string;
  media_type: string;
  published: boolean;
}

async function loadSource(database: Database, job: JobTable): Promise<SourceFile | undefined> {
  if (!job.file_id) return undefined;
  const row = await database.db
    .selectFrom('edition_files as f')
    .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
    .innerJoin('editions as e', 'e.id', 'f.edition_id')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .where('f.id', '=', job.file_id)
    .select([
      'f.id',
      'f.edition_id',
      'f.filename',
      'b.sha256',
      'b.media_type',
      'e.status',
      'w.published_at',
    ])
    .executeTakeFirst();
  return row && { ...row, published: row.status === 'published' && row.published_at !== null };
}

const baseName = (filename: string) => filename.replace(/\.[^.]+$/, '');

export function derivedJobHandlers(
  database: Database,
  blobs: BlobStore,
): Record<JobKind, JobHandler> {
  const { db } = database;

  /** Runs `make` in a fresh temporary folder that is always removed afterwards. */
  const inTempDir = async <T>(make: (dir: string) => Promise<T>): Promise<T> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-job-'));
    try {
      return await make(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  /** Adds a file made from `source` to its edition, unless a retry finds it already there. */
  const addDerivedFile = async (
    source: SourceFile,
    output: string,
    file: { role: FileRole; filename: string; mediaType: string },
  ) => {
    const staged = await blobs.stage(fs.createReadStream(output));
    try {
      await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('edition_files')
          .select('id')
          .where('derived_from_id', '=', source.id)
          .where('role', '=', file.role)
          .executeTakeFirst();
        if (existing) return;
        const now = new Date().toISOString();
        await recordBlob(trx, staged, file.mediaType, now);
        await trx
          .insertInto('edition_files')
          .values({
            id: randomUUID(),
            edition_id: source.edition_id,
            blob_sha256: staged.sha256,
            filename: file.filename,
            role: file.role,
            language: null,
            position: await nextFilePosition(trx, source.edition_id),
            created_at: now,
            derived_from_id: source.id,
          })
          .execute();
        if (source.published) await bumpContentVersion(trx);
      });
    } catch (error) {
      await blobs.discardStaged(staged);
      throw error;
    }
    await blobs.commitStaged(staged);
  };

  const withSource =
    (run: (source: SourceFile, input: string) => Promise<void>): JobHandler =>
    async (job) => {
      const source = await loadSource(database, job);
      if (!source) return; // the file was removed meanwhile: nothing to do
      await blobs.withLocalFile(source.sha256, (input) => run(source, input));
    };

  return {
    text: withSource(async (source, input) => {
      const text = await extractText(input, source.media_type);
      if (text === undefined) return;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('file_texts')
          .values({
            file_id: source.id,
            text,
            usable: looksUsable(text) ? 1 : 0,
            created_at: new Date().toISOString(),
          })
          .onConflict((oc) =>
            oc.column('file_id').doUpdateSet({ text, usable: looksUsable(text) ? 1 : 0 }),
          )
          .execute();
        // Usable text makes the edition findable by its file's words.
        await reindexEditions(trx, [source.edition_id]);
      });
    }),

    thumbnail: withSource((source, input) =>
      inTempDir(async (dir) => {
        const out = path.join(dir, 'thumb.png');
        if (source.media_type === 'application/pdf') {
          await runTool('pdftoppm', [
            '-png',
            '-f',
            '1',
            '-l',
            '1',
            '-singlefile',
            '-scale-to',
            '320',
            input,
            path.join(dir, 'thumb'),
          ]);
        } else {
          await runTool('ffmpeg', [
            '-nostdin',
            '-loglevel',
            'error',
            '-y',
            '-ss',
            '1',
            '-i',
            input,
            '-frames:v',
            '1',
            '-vf',
            'scale=320:-2',
            out,
          ]);
        }
        const staged = await blobs.stage(fs.createReadStream(out));
        try {
          await db.transaction().execute(async (trx) => {
            const now = new Date().toISOString();
            await recordBlob(trx, staged, 'image/png', now);
            await trx
              .insertInto('file_thumbnails')
              .values({ file_id: source.id, blob_sha256: staged.sha256, created_at: now })
              .onConflict((oc) => oc.column('file_id').doUpdateSet({ blob_sha256: staged.sha256 }))
              .execute();
            // Public pages show thumbnails: let cached pages pick up the new one.
            if (source.published) await bumpContentVersion(trx);
          });
        } catch (error) {
          await blobs.discardStaged(staged);
          throw error;
        }
        await blobs.commitStaged(staged);
      }),
    ),

    // About 150 kb/s: a 10-minute video in ~12 MB instead of hundreds.
    'video-low': withSource((source, input) =>
      inTempDir(async (dir) => {
        const out = path.join(dir, 'low.mp4');
        await runTool('ffmpeg', [
          '-nostdin',
          '-loglevel',
          'error',
          '-y',
          '-i',
          input,
          '-vf',
          'scale=-2:240',
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-b:v',
          '150k',
          '-maxrate',
          '200k',
          '-bufsize',
          '400k',
          '-c:a',
          'aac',
          '-b:a',
          '32k',
          '-ac',
          '1',
          '-movflags',
          '+faststart',
          out,
        ]);
        await addDerivedFile(source, out, {
          role: 'low',
          filename: `${baseName(source.filename)}-240p.mp4`,
          mediaType: 'video/mp4',
        });
      }),
    ),

    // Opus at 16 kb/s: speech stays clear at ~7 MB an hour.
    'video-audio': withSource((source, input) =>
      inTempDir(async (dir) => {
        const out = path.join(dir, 'audio.opus');
        // A silent video (a cartoon clip, a screen recording) has nothing to extract.
        const streams = await runTool('ffprobe', [
          '-v',
          'error',
          '-select_streams',
          'a',
          '-show_entries',
          'stream=index',
          '-of',
          'csv=p=0',
          input,
        ]);
        if (streams.trim() === '') return;
        await runTool('ffmpeg', [
          '-nostdin',
          '-loglevel',
          'error',
          '-y',
          '-i',
          input,
          '-vn',
          '-c:a',
          'libopus',
          '-b:a',
          '16k',
          '-ac',
          '1',
          out,
        ]);
        await addDerivedFile(source, out, {
          role: 'audio',
          filename: `${baseName(source.filename)}-audio.opus`,
          mediaType: 'audio/ogg',
        });
      }),
    ),
  };
}
