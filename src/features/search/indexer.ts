/**
 * Keeping the search index in step with the library, inside the caller's transaction: whoever
 * changes an edition (import, workspace, a finished text job) calls `reindexEditions` before
 * committing, so the index never shows what the library does not.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { indexTerms } from './analysis.js';
import { searchDocuments } from './documents.js';
import { searchEngine } from './engine.js';

const BATCH = 50;

export async function reindexEditions(
  db: Kysely<DB>,
  editionIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < editionIds.length; i += BATCH) {
    const ids = editionIds.slice(i, i + BATCH);
    const engine = searchEngine(db);
    await engine.remove(db, ids);
    const documents = await searchDocuments(db, ids);
    await engine.store(
      db,
      documents.map((d) => ({
        editionId: d.editionId,
        title: indexTerms(d.title, d.language),
        body: indexTerms(d.body, d.language),
      })),
    );
  }
}

/** The editions of these works (publishing or unpublishing a work changes all of them). */
export async function reindexWorks(db: Kysely<DB>, workIds: readonly string[]): Promise<void> {
  if (workIds.length === 0) return;
  const editions = await db
    .selectFrom('editions')
    .select('id')
    .where('work_id', 'in', [...workIds])
    .execute();
  await reindexEditions(
    db,
    editions.map((e) => e.id),
  );
}

/** Rebuilds the whole index (`learning-center reindex`). */
export async function reindexAll(
  db: Kysely<DB>,
  onProgress?: (p: { done: number; total: number; label: string }) => void,
): Promise<number> {
  const ids = (await db.selectFrom('editions').select('id').orderBy('id').execute()).map(
    (e) => e.id,
  );
  await searchEngine(db).removeAll(db);
  for (let i = 0; i < ids.length; i += BATCH) {
    await reindexEditions(db, ids.slice(i, i + BATCH));
    onProgress?.({ done: Math.min(i + BATCH, ids.length), total: ids.length, label: 'Indexing' });
  }
  return ids.length;
}
