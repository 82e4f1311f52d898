import type { Kysely } from 'kysely';
import type { DB, WorkType } from '../../platform/db/schema.js';
import { editionFiles } from '../library/repository.js';
import { datestamp, SET_SPEC } from './arguments.js';

/**
 * What the OAI-PMH repository exposes: one item per public edition (status `published`, of a
 * work with `published_at`). Listing reads a few narrow columns of every public edition and
 * computes datestamps and sets in code, identically on SQLite and PostgreSQL; full metadata is
 * read only for the page being sent.
 */
export interface Item {
  id: string;
  workId: string;
  language: string;
  type: WorkType;
  /** `YYYY-MM-DDThh:mm:ssZ`: the latest change of anything the record says (see itemDatestamp). */
  datestamp: string;
  sets: string[];
}

export async function listItems(db: Kysely<DB>): Promise<Item[]> {
  const [rows, memberships] = await Promise.all([
    db
      .selectFrom('editions as e')
      .innerJoin('works as w', 'w.id', 'e.work_id')
      .where('e.status', '=', 'published')
      .where('w.published_at', 'is not', null)
      .select([
        'e.id',
        'e.work_id',
        'e.language',
        'e.updated_at as e_updated',
        'e.published_at as e_published',
        'w.type',
        'w.updated_at as w_updated',
        'w.published_at as w_published',
      ])
      .execute(),
    db
      .selectFrom('collection_works as cw')
      .innerJoin('collections as c', 'c.id', 'cw.collection_id')
      .select(['cw.work_id', 'c.slug'])
      .execute(),
  ]);
  const collections = new Map<string, string[]>();
  for (const m of memberships) {
    collections.set(m.work_id, [...(collections.get(m.work_id) ?? []), m.slug]);
  }
  // A record names its sibling editions (dc:relation): a newly published one changes it too.
  const latestPublication = new Map<string, string>();
  for (const r of rows) {
    if (!r.e_published) continue;
    const stamp = datestamp(r.e_published);
    if (stamp > (latestPublication.get(r.work_id) ?? '')) latestPublication.set(r.work_id, stamp);
  }
  return rows.map((r) => {
    const stamps = [r.e_updated, r.e_published, r.w_updated, r.w_published]
      .filter((s): s is string => !!s)
      .map(datestamp);
    const sibling = latestPublication.get(r.work_id);
    if (sibling) stamps.push(sibling);
    const sets = [
      `type:${r.type}`,
      `language:${r.language}`,
      ...(collections.get(r.work_id) ?? []).sort().map((slug) => `collection:${slug}`),
    ].filter((s) => SET_SPEC.test(s));
    return {
      id: r.id,
      workId: r.work_id,
      language: r.language,
      type: r.type,
      datestamp: stamps.reduce((a, b) => (a > b ? a : b)),
      sets,
    };
  });
}

/** Harvest order: by datestamp, then id; resumption tokens carry the last (datestamp, id). */
export function compareItems(a: Item, b: Item): number {
  return compareKeys([a.datestamp, a.id], [b.datestamp, b.id]);
}

export function compareKeys(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** An item is in a set, and in every set above it in the hierarchy (`type` holds `type:video`). */
export function inSet(item: Item, setSpec: string): boolean {
  return item.sets.some((s) => s === setSpec || s.startsWith(`${setSpec}:`));
}

export interface RecordDetails {
  id: string;
  workId: string;
  workSlug: string;
  language: string;
  title: string;
  summary: string | null;
  type: WorkType;
  licence: string | null;
  year: number | null;
  publishedAt: string | null;
  publisher: string | null;
  mediaTypes: string[];
  hasPages: boolean;
  /** Topic labels in the edition's language (or English, or the slug), with their language. */
  subjects: { text: string; language: string | undefined }[];
}

/** Everything the oai_dc records of these editions say, besides what the items hold already. */
export async function recordDetails(
  db: Kysely<DB>,
  editionIds: string[],
): Promise<Map<string, RecordDetails>> {
  const result = new Map<string, RecordDetails>();
  if (editionIds.length === 0) return result;
  const rows = await db
    .selectFrom('editions as e')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .leftJoin('organisations as o', 'o.id', 'w.publisher_id')
    .where('e.id', 'in', editionIds)
    .where('e.status', '=', 'published')
    .where('w.published_at', 'is not', null)
    .select([
      'e.id',
      'e.work_id',
      'e.language',
      'e.title',
      'e.summary',
      'e.published_at',
      'w.slug',
      'w.type',
      'w.licence',
      'w.year',
      'o.name as publisher',
    ])
    .execute();
  const workIds = [...new Set(rows.map((r) => r.work_id))];
  const [files, paged, topics] = await Promise.all([
    editionFiles(db, editionIds),
    db
      .selectFrom('edition_sections')
      .select('edition_id')
      .distinct()
      .where('edition_id', 'in', editionIds)
      .execute(),
    workIds.length === 0
      ? []
      : db
          .selectFrom('work_topics as wt')
          .innerJoin('topics as t', 't.id', 'wt.topic_id')
          .select(['wt.work_id', 't.id', 't.slug'])
          .where('wt.work_id', 'in', workIds)
          .orderBy('t.slug')
          .execute(),
  ]);
  const topicIds = [...new Set(topics.map((t) => t.id))];
  const labels =
    topicIds.length === 0
      ? []
      : await db
          .selectFrom('topic_labels')
          .select(['topic_id', 'language', 'label'])
          .where('topic_id', 'in', topicIds)
          .execute();
  const withPages = new Set(paged.map((p) => p.edition_id));
  for (const r of rows) {
    const subjects = topics
      .filter((t) => t.work_id === r.work_id)
      .map((t) => {
        const own = labels.filter((l) => l.topic_id === t.id);
        const label =
          own.find((l) => l.language === r.language) ??
          own.find((l) => l.language === r.language.split('-')[0]) ??
          own.find((l) => l.language === 'en');
        return label
          ? { text: label.label, language: label.language }
          : { text: t.slug, language: undefined };
      });
    const mediaTypes = [
      ...new Set(files.filter((f) => f.edition_id === r.id).map((f) => f.media_type)),
    ];
    if (withPages.has(r.id) && !mediaTypes.includes('text/html')) mediaTypes.unshift('text/html');
    result.set(r.id, {
      id: r.id,
      workId: r.work_id,
      workSlug: r.slug,
      language: r.language,
      title: r.title,
      summary: r.summary,
      type: r.type,
      licence: r.licence,
      year: r.year,
      publishedAt: r.published_at,
      publisher: r.publisher,
      mediaTypes,
      hasPages: withPages.has(r.id),
      subjects,
    });
  }
  return result;
}

export interface SetInfo {
  spec: string;
  name: string;
  /** Collections: their titles and descriptions per language, for a setDescription. */
  titles?: { language: string; title: string; description: string | null }[];
}

/**
 * The sets: the three roots of the hierarchy (type, language, collection), always listed so that
 * even an empty library has a set hierarchy, and under them every leaf holding a public record.
 */
export async function listSets(db: Kysely<DB>, items: Item[]): Promise<SetInfo[]> {
  const present = new Set(items.flatMap((i) => i.sets));
  const types = [...present].filter((s) => s.startsWith('type:')).sort();
  const languageSpecs = [...present].filter((s) => s.startsWith('language:')).sort();
  const collectionSpecs = [...present].filter((s) => s.startsWith('collection:')).sort();
  const tags = languageSpecs.map((s) => s.slice('language:'.length));
  const slugs = collectionSpecs.map((s) => s.slice('collection:'.length));
  const [languages, collections] = await Promise.all([
    tags.length === 0
      ? []
      : db
          .selectFrom('languages')
          .select(['tag', 'endonym', 'english_name'])
          .where('tag', 'in', tags)
          .execute(),
    slugs.length === 0
      ? []
      : db
          .selectFrom('collections as c')
          .innerJoin('collection_labels as l', 'l.collection_id', 'c.id')
          .select(['c.slug', 'l.language', 'l.title', 'l.description'])
          .where('c.slug', 'in', slugs)
          .orderBy('l.language')
          .execute(),
  ]);
  const sets: SetInfo[] = [];
  sets.push({ spec: 'type', name: 'By type of work' });
  for (const spec of types) {
    const type = spec.slice('type:'.length);
    sets.push({ spec, name: `Type: ${TYPE_NAMES[type as WorkType] ?? type}` });
  }
  sets.push({ spec: 'language', name: 'By language' });
  for (const tag of tags) {
    const row = languages.find((l) => l.tag === tag);
    const english = row?.english_name ?? tag;
    const endonym = row?.endonym && row.endonym !== english ? ` (${row.endonym})` : '';
    sets.push({ spec: `language:${tag}`, name: `Language: ${english}${endonym}` });
  }
  sets.push({ spec: 'collection', name: 'By collection' });
  for (const slug of slugs) {
    const titles = collections.filter((c) => c.slug === slug);
    const english = titles.find((t) => t.language === 'en') ?? titles[0];
    sets.push({
      spec: `collection:${slug}`,
      name: `Collection: ${english?.title ?? slug}`,
      titles: titles.map((t) => ({
        language: t.language,
        title: t.title,
        description: t.description,
      })),
    });
  }
  return sets;
}

export const TYPE_NAMES: Record<WorkType, string> = {
  manual: 'Manual',
  toolkit: 'Toolkit',
  guide: 'Guide',
  video: 'Video',
  documentary: 'Documentary',
  audio: 'Audio',
  poster: 'Poster',
  other: 'Other',
};
