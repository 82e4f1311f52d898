/**
 * Writes editions inside the import transaction. Each edition carries a fingerprint of its source
 * (source_hash), so an unchanged edition is skipped and a re-import of the same folder changes
 * nothing, not even the content version.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type {
  BlobTable,
  DB,
  EditionFileTable,
  EditionSectionTable,
  EditionTable,
} from '../../platform/db/schema.js';
import type { StoredBlob } from '../../platform/storage/blob-store.js';
import type { Progress } from './import-progress.js';
import type { ManifestEdition } from './manifest-types.js';
import type { PreparedHtml } from './prepare-html.js';
import { SANITIZER_VERSION } from './sanitize-html.js';
import { importJobsFor } from '../derived/job-kinds.js';
import { enqueueJob } from '../../platform/jobs/queue.js';
import { BATCH_ROWS, chunk, insertRows, selectIn } from './table-rows.js';

/** Editions written between two progress reports. */
const EDITION_BATCH = 50;
/** Sections are up to ~12 KB each: smaller batches keep each statement a few hundred KB. */
const SECTION_BATCH = 40;

/** What happened to the editions; created + updated + unchanged = editions. */
export interface EditionCounts {
  created: number;
  updated: number;
  unchanged: number;
}

interface PendingEdition {
  row: EditionTable;
  files: EditionFileTable[];
  sections: EditionSectionTable[];
  isNew: boolean;
  label: string;
}

type StoredEdition = Pick<
  EditionTable,
  'id' | 'work_id' | 'language' | 'source_hash' | 'version' | 'published_at'
>;

function sourceHash(
  edition: ManifestEdition,
  html: PreparedHtml | undefined,
  files: Map<string, StoredBlob>,
): string {
  const normalised = {
    sanitizer: SANITIZER_VERSION,
    language: edition.language,
    title: edition.title,
    summary: edition.summary,
    status: edition.status,
    html: html?.sha256 ?? null,
    files: edition.files.map((f) => ({
      sha256: files.get(f.absolutePath)!.sha256,
      role: f.role,
      language: f.language,
      filename: f.filename,
      media_type: f.mediaType,
    })),
  };
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}

/**
 * Writes the editions of the works one at a time (`write`), then the new rows in batches
 * (`flush`), counting what happened in `counts`.
 */
export class EditionWriter {
  private stored = new Map<string, StoredEdition>();
  private readonly pending: PendingEdition[] = [];
  private readonly blobRows = new Map<string, BlobTable>();
  /** Media type of each new file row, for the jobs it needs. */
  private readonly fileMedia = new Map<string, string>();

  constructor(
    private readonly trx: Transaction<DB>,
    private readonly now: string,
    private readonly html: Map<string, PreparedHtml>,
    private readonly files: Map<string, StoredBlob>,
    private readonly progress: Progress,
    private readonly counts: EditionCounts,
  ) {}

  /** Reads the stored editions of these works, the ones that existed before the import. */
  async loadStored(workIds: readonly string[]): Promise<void> {
    const rows = await selectIn(workIds, (ids) =>
      this.trx
        .selectFrom('editions')
        .select(['id', 'work_id', 'language', 'source_hash', 'version', 'published_at'])
        .where('work_id', 'in', ids)
        .execute(),
    );
    this.stored = new Map(rows.map((r) => [`${r.work_id}\n${r.language}`, r]));
  }

  /**
   * Compares edition `e` of a work with the stored one by source hash. An updated edition is
   * written at once, without its files and sections, which are queued like everything of a new
   * edition. Returns whether the edition changed.
   */
  async write(workSlug: string, workId: string, e: ManifestEdition): Promise<boolean> {
    const { trx, now } = this;
    const prepared = e.html ? this.html.get(e.html.absolutePath) : undefined;
    const hash = sourceHash(e, prepared, this.files);
    const existing = this.stored.get(`${workId}\n${e.language}`);
    const label = `Writing ${workSlug} (${e.language})`;
    if (existing && existing.source_hash === hash) {
      this.counts.unchanged += 1;
      this.progress.tick(label);
      return false;
    }
    const published = e.status === 'published';
    const editionId = existing?.id ?? randomUUID();
    const row: EditionTable = {
      id: editionId,
      work_id: workId,
      language: e.language,
      title: e.title,
      summary: e.summary,
      status: e.status,
      version: existing ? existing.version + 1 : 1,
      source_hash: hash,
      translated_from_id: null,
      translated_from_version: null,
      published_at: published ? (existing?.published_at ?? now) : null,
      created_at: now,
      updated_at: now,
    };
    const fileRows: EditionFileTable[] = e.files.map((f, position) => {
      const blob = this.files.get(f.absolutePath)!;
      if (!this.blobRows.has(blob.sha256)) {
        this.blobRows.set(blob.sha256, {
          sha256: blob.sha256,
          size: blob.size,
          media_type: f.mediaType,
          created_at: now,
        });
      }
      const id = randomUUID();
      this.fileMedia.set(id, f.mediaType);
      return {
        id,
        edition_id: editionId,
        blob_sha256: blob.sha256,
        filename: f.filename,
        role: f.role,
        language: f.language,
        position,
        created_at: now,
      };
    });
    const sectionRows: EditionSectionTable[] = (prepared?.sections ?? []).map((s, position) => ({
      edition_id: editionId,
      position,
      heading: s.heading,
      html: s.html,
    }));
    if (existing) {
      await trx
        .updateTable('editions')
        .set({
          title: row.title,
          summary: row.summary,
          status: row.status,
          version: row.version,
          source_hash: row.source_hash,
          published_at: row.published_at,
          updated_at: now,
        })
        .where('id', '=', editionId)
        .execute();
      await trx.deleteFrom('edition_files').where('edition_id', '=', editionId).execute();
      await trx.deleteFrom('edition_sections').where('edition_id', '=', editionId).execute();
      this.pending.push({ row, files: fileRows, sections: sectionRows, isNew: false, label });
      this.counts.updated += 1;
      this.progress.tick(label);
    } else {
      this.pending.push({ row, files: fileRows, sections: sectionRows, isNew: true, label });
      this.counts.created += 1;
    }
    return true;
  }

  /** Editions created or updated so far: the ones search must index again. */
  get changedIds(): string[] {
    return this.pending.map((p) => p.row.id);
  }

  /** Inserts what `write` queued: blobs, new editions, and the files and sections of all. */
  async flush(): Promise<void> {
    const { trx } = this;
    // Blobs before the files that refer to them; an existing blob row is kept as it is.
    for (const part of chunk([...this.blobRows.values()], BATCH_ROWS)) {
      await trx
        .insertInto('blobs')
        .values(part)
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    }

    // New editions in batches, with their files and sections; updated ones only need those.
    for (const batch of chunk(this.pending, EDITION_BATCH)) {
      const created = batch.filter((p) => p.isNew);
      await insertRows(
        trx,
        'editions',
        created.map((p) => p.row),
      );
      const files = batch.flatMap((p) => p.files);
      await insertRows(trx, 'edition_files', files);
      // Text for search and thumbnails, made in the background like those of uploads.
      for (const f of files) {
        for (const kind of importJobsFor(this.fileMedia.get(f.id) ?? '', f.role)) {
          await enqueueJob(trx, kind, f.id);
        }
      }
      const sections = batch.flatMap((p) => p.sections);
      for (const part of chunk(sections, SECTION_BATCH)) {
        await trx.insertInto('edition_sections').values(part).execute();
      }
      if (created.length) this.progress.tick(created[created.length - 1]!.label, created.length);
    }
  }
}
