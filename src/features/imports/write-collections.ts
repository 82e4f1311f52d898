/**
 * Writes the manifest's collections, their translated titles and descriptions and their ordered
 * works inside the import transaction, touching only what differs from what is stored.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { Manifest, ManifestCollection } from './manifest-types.js';
import { insertRows, rowsBySlug, sameRecord } from './table-rows.js';

/** Writes every collection; `workIds` maps the slugs the collections name to work ids. */
export async function writeCollections(
  trx: Transaction<DB>,
  manifest: Manifest,
  workIds: Map<string, string>,
  now: string,
): Promise<boolean> {
  const stored = await rowsBySlug(
    trx,
    'collections',
    manifest.collections.map((c) => c.slug),
  );
  let changed = false;
  for (const c of manifest.collections) {
    let id = stored.get(c.slug)?.id;
    const isNew = !id;
    if (!id) {
      id = randomUUID();
      await trx
        .insertInto('collections')
        .values({ id, slug: c.slug, created_at: now, updated_at: now })
        .execute();
    }
    const labelsChanged = await writeLabels(trx, id, c);
    const worksChanged = await writeMembers(
      trx,
      id,
      c.works.map((slug) => workIds.get(slug)!),
    );
    if (!isNew && (labelsChanged || worksChanged)) {
      await trx.updateTable('collections').set({ updated_at: now }).where('id', '=', id).execute();
    }
    if (isNew || labelsChanged || worksChanged) changed = true;
  }
  return changed;
}

async function writeLabels(
  trx: Transaction<DB>,
  collectionId: string,
  c: ManifestCollection,
): Promise<boolean> {
  const labels = await trx
    .selectFrom('collection_labels')
    .selectAll()
    .where('collection_id', '=', collectionId)
    .execute();
  const titles = Object.fromEntries(labels.map((l) => [l.language, l.title]));
  const descriptions = Object.fromEntries(
    labels.flatMap((l) => (l.description === null ? [] : [[l.language, l.description]])),
  );
  if (sameRecord(titles, c.titles) && sameRecord(descriptions, c.descriptions)) return false;
  await trx.deleteFrom('collection_labels').where('collection_id', '=', collectionId).execute();
  await insertRows(
    trx,
    'collection_labels',
    Object.entries(c.titles).map(([language, title]) => ({
      collection_id: collectionId,
      language,
      title,
      description: c.descriptions[language] ?? null,
    })),
  );
  return true;
}

async function writeMembers(
  trx: Transaction<DB>,
  collectionId: string,
  wanted: readonly string[],
): Promise<boolean> {
  const members = await trx
    .selectFrom('collection_works')
    .select(['work_id', 'position'])
    .where('collection_id', '=', collectionId)
    .orderBy('position')
    .execute();
  if (
    members.length === wanted.length &&
    members.every((m, i) => m.work_id === wanted[i] && m.position === i)
  ) {
    return false;
  }
  await trx.deleteFrom('collection_works').where('collection_id', '=', collectionId).execute();
  await insertRows(
    trx,
    'collection_works',
    wanted.map((work_id, position) => ({ collection_id: collectionId, work_id, position })),
  );
  return true;
}
