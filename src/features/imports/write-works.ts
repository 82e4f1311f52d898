/**
 * Writes the manifest's works, their topics and (through EditionWriter) their editions inside the
 * import transaction. A work's updated_at moves only when the work or one of its editions changed.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB, WorkTable } from '../../platform/db/schema.js';
import type { EditionWriter } from './write-editions.js';
import type { Manifest, ManifestWork } from './manifest-types.js';
import { insertRows, rowsBySlug, selectIn } from './table-rows.js';

export interface WorkWriteContext {
  trx: Transaction<DB>;
  now: string;
  organisationIds: Map<string, string>;
  topicIds: Map<string, string>;
  editions: EditionWriter;
}

/**
 * Writes every work of the manifest. Returns the ids of the works the collections may name (the
 * manifest's and existing ones, by slug) and whether anything changed.
 */
export async function writeWorks(
  ctx: WorkWriteContext,
  manifest: Manifest,
): Promise<{ ids: Map<string, string>; changed: boolean }> {
  const { trx } = ctx;
  const works = await rowsBySlug(trx, 'works', [
    ...manifest.works.map((w) => w.slug),
    ...manifest.collections.flatMap((c) => c.works),
  ]);
  const existingIds = manifest.works.flatMap((w) => {
    const work = works.get(w.slug);
    return work ? [work.id] : [];
  });
  const topicsByWork = new Map<string, Set<string>>();
  for (const row of await selectIn(existingIds, (ids) =>
    trx.selectFrom('work_topics').selectAll().where('work_id', 'in', ids).execute(),
  )) {
    const set = topicsByWork.get(row.work_id) ?? new Set<string>();
    set.add(row.topic_id);
    topicsByWork.set(row.work_id, set);
  }
  await ctx.editions.loadStored(existingIds);

  let changed = false;
  for (const w of manifest.works) {
    const work = await writeWork(ctx, w, works.get(w.slug), topicsByWork);
    works.set(w.slug, work.row);
    if (work.changed) changed = true;
  }
  await ctx.editions.flush();
  return { ids: new Map([...works].map(([slug, row]) => [slug, row.id])), changed };
}

async function writeWork(
  ctx: WorkWriteContext,
  w: ManifestWork,
  stored: WorkTable | undefined,
  topicsByWork: Map<string, Set<string>>,
): Promise<{ row: WorkTable; changed: boolean }> {
  const { trx, now } = ctx;
  const fields = {
    type: w.type,
    publisher_id: w.publisher ? ctx.organisationIds.get(w.publisher)! : null,
    licence: w.licence,
    year: w.year,
    original_language: w.originalLanguage,
  };
  let row = stored;
  let changed = false;
  if (!row) {
    row = {
      id: randomUUID(),
      slug: w.slug,
      ...fields,
      published_at: now,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('works').values(row).execute();
    changed = true;
  } else {
    changed =
      row.type !== fields.type ||
      row.publisher_id !== fields.publisher_id ||
      row.licence !== fields.licence ||
      row.year !== fields.year ||
      row.original_language !== fields.original_language;
  }
  const workId = row.id;

  const wanted = new Set(w.topics.map((slug) => ctx.topicIds.get(slug)!));
  const have = topicsByWork.get(workId) ?? new Set<string>();
  if (wanted.size !== have.size || [...wanted].some((t) => !have.has(t))) {
    await trx.deleteFrom('work_topics').where('work_id', '=', workId).execute();
    await insertRows(
      trx,
      'work_topics',
      [...wanted].map((topic_id) => ({ work_id: workId, topic_id })),
    );
    changed = true;
  }

  for (const e of w.editions) {
    if (await ctx.editions.write(w.slug, workId, e)) changed = true;
  }

  if (changed && stored) {
    await trx
      .updateTable('works')
      .set((eb) => ({ ...fields, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', workId)
      .execute();
  }
  return { row, changed };
}
