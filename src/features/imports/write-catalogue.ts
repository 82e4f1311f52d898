/**
 * Writes the manifest's languages, organisations and topics inside the import transaction. Rows
 * are only written when they differ from what is stored, so that a re-import changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { directionOf, endonymOf, englishNameOf, scriptOf } from '../../platform/i18n/languages.js';
import type { Manifest } from './manifest-types.js';
import { insertRows, rowsBySlug, sameRecord, selectIn } from './table-rows.js';

/** The ids of the rows a section refers to, by slug, and whether writing it changed anything. */
export interface WrittenSection {
  ids: Map<string, string>;
  changed: boolean;
}

/**
 * The manifest's overrides, and every tag used, created from Intl data if missing. Returns whether
 * anything changed.
 */
export async function writeLanguages(trx: Transaction<DB>, manifest: Manifest): Promise<boolean> {
  let changed = false;
  const overrides = new Map(manifest.languages.map((l) => [l.tag, l]));
  const used = new Set<string>(overrides.keys());
  for (const work of manifest.works) {
    if (work.originalLanguage) used.add(work.originalLanguage);
    for (const edition of work.editions) {
      used.add(edition.language);
      for (const file of edition.files) if (file.language) used.add(file.language);
    }
  }
  const existingLanguages = new Map(
    (
      await selectIn([...used], (tags) =>
        trx.selectFrom('languages').selectAll().where('tag', 'in', tags).execute(),
      )
    ).map((r) => [r.tag, r]),
  );
  const newLanguages = [];
  for (const tag of used) {
    const o = overrides.get(tag);
    const row = {
      tag,
      endonym: o?.endonym ?? endonymOf(tag) ?? null,
      english_name: o?.englishName ?? englishNameOf(tag) ?? null,
      script: scriptOf(tag) ?? null,
      direction: directionOf(tag, o?.direction ?? undefined),
    };
    const existing = existingLanguages.get(tag);
    if (!existing) newLanguages.push(row);
    else if (
      o &&
      (existing.endonym !== row.endonym ||
        existing.english_name !== row.english_name ||
        existing.script !== row.script ||
        existing.direction !== row.direction)
    ) {
      await trx.updateTable('languages').set(row).where('tag', '=', tag).execute();
      changed = true;
    }
  }
  if (newLanguages.length) {
    await insertRows(trx, 'languages', newLanguages);
    changed = true;
  }
  return changed;
}

/** The manifest's organisations; `ids` also has the existing publishers the works name. */
export async function writeOrganisations(
  trx: Transaction<DB>,
  manifest: Manifest,
  now: string,
): Promise<WrittenSection> {
  let changed = false;
  const orgs = await rowsBySlug(trx, 'organisations', [
    ...manifest.organisations.map((o) => o.slug),
    ...manifest.works.flatMap((w) => (w.publisher ? [w.publisher] : [])),
  ]);
  for (const o of manifest.organisations) {
    const existing = orgs.get(o.slug);
    if (!existing) {
      const row = {
        id: randomUUID(),
        slug: o.slug,
        name: o.name,
        country: o.country,
        kind: o.kind,
        created_at: now,
      };
      await trx.insertInto('organisations').values(row).execute();
      orgs.set(o.slug, row);
      changed = true;
    } else if (
      existing.name !== o.name ||
      existing.country !== o.country ||
      existing.kind !== o.kind
    ) {
      await trx
        .updateTable('organisations')
        .set({ name: o.name, country: o.country, kind: o.kind })
        .where('id', '=', existing.id)
        .execute();
      changed = true;
    }
  }
  return { ids: idsOf(orgs), changed };
}

/** The manifest's topics and their labels; `ids` also has the existing topics the works name. */
export async function writeTopics(
  trx: Transaction<DB>,
  manifest: Manifest,
): Promise<WrittenSection> {
  let changed = false;
  const topics = idsOf(
    await rowsBySlug(trx, 'topics', [
      ...manifest.topics.map((t) => t.slug),
      ...manifest.works.flatMap((w) => w.topics),
    ]),
  );
  const existingTopicIds = manifest.topics.flatMap((t) =>
    topics.has(t.slug) ? [topics.get(t.slug)!] : [],
  );
  const topicLabels = new Map<string, Record<string, string>>();
  for (const row of await selectIn(existingTopicIds, (ids) =>
    trx.selectFrom('topic_labels').selectAll().where('topic_id', 'in', ids).execute(),
  )) {
    const labels = topicLabels.get(row.topic_id) ?? {};
    labels[row.language] = row.label;
    topicLabels.set(row.topic_id, labels);
  }
  for (const t of manifest.topics) {
    let id = topics.get(t.slug);
    if (!id) {
      id = randomUUID();
      await trx.insertInto('topics').values({ id, slug: t.slug }).execute();
      topics.set(t.slug, id);
      changed = true;
    }
    if (!sameRecord(topicLabels.get(id) ?? {}, t.labels)) {
      await trx.deleteFrom('topic_labels').where('topic_id', '=', id).execute();
      const topicId = id;
      await insertRows(
        trx,
        'topic_labels',
        Object.entries(t.labels).map(([language, label]) => ({
          topic_id: topicId,
          language,
          label,
        })),
      );
      changed = true;
    }
  }
  return { ids: topics, changed };
}

function idsOf(rows: Map<string, { id: string }>): Map<string, string> {
  return new Map([...rows].map(([slug, row]) => [slug, row.id]));
}
