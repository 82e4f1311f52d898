import type { Kysely } from 'kysely';
import type { DB, WorkType } from '../../platform/db/schema.js';

/**
 * SQL behind the OPDS catalogues. Every query starts from published editions of published works:
 * a draft or an unpublished work never reaches a feed.
 */

export interface EditionFilter {
  language?: string | undefined;
  type?: WorkType | undefined;
  topic?: string | undefined;
}

export type EditionOrder = 'newest' | 'work';

export interface CatalogueEdition {
  id: string;
  work_id: string;
  language: string;
  title: string;
  summary: string | null;
  published_at: string | null;
  updated_at: string;
  slug: string;
  type: WorkType;
  licence: string | null;
  year: number | null;
  publisher_name: string | null;
  direction: 'ltr' | 'rtl' | null;
}

function publishedEditions(db: Kysely<DB>, filter: EditionFilter) {
  let query = db
    .selectFrom('editions as e')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .where('e.status', '=', 'published')
    .where('w.published_at', 'is not', null);
  if (filter.language !== undefined) query = query.where('e.language', '=', filter.language);
  if (filter.type !== undefined) query = query.where('w.type', '=', filter.type);
  if (filter.topic !== undefined) {
    const slug = filter.topic;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('work_topics as wt')
          .innerJoin('topics as t', 't.id', 'wt.topic_id')
          .select('wt.work_id')
          .whereRef('wt.work_id', '=', 'w.id')
          .where('t.slug', '=', slug),
      ),
    );
  }
  return query;
}

function withDetails(query: ReturnType<typeof publishedEditions>) {
  return query
    .leftJoin('organisations as o', 'o.id', 'w.publisher_id')
    .leftJoin('languages as l', 'l.tag', 'e.language')
    .select([
      'e.id',
      'e.work_id',
      'e.language',
      'e.title',
      'e.summary',
      'e.published_at',
      'e.updated_at',
      'w.slug',
      'w.type',
      'w.licence',
      'w.year',
      'o.name as publisher_name',
      'l.direction',
    ]);
}

export async function countEditions(db: Kysely<DB>, filter: EditionFilter): Promise<number> {
  const row = await publishedEditions(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listEditions(
  db: Kysely<DB>,
  filter: EditionFilter,
  order: EditionOrder,
  limit: number,
  offset: number,
): Promise<CatalogueEdition[]> {
  let query = withDetails(publishedEditions(db, filter));
  query =
    order === 'newest'
      ? query.orderBy('e.published_at', 'desc').orderBy('e.updated_at', 'desc')
      : query.orderBy('w.slug').orderBy('e.language');
  return query.orderBy('e.id').limit(limit).offset(offset).execute();
}

/** Public editions by id, in the order asked for (search ranks them). */
export async function editionsInOrder(db: Kysely<DB>, ids: string[]): Promise<CatalogueEdition[]> {
  if (ids.length === 0) return [];
  const rows = await withDetails(publishedEditions(db, {})).where('e.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** When anything public last changed: the `updated` of navigation feeds. */
export async function lastUpdate(db: Kysely<DB>): Promise<string | undefined> {
  const row = await publishedEditions(db, {})
    .select((eb) => eb.fn.max('e.updated_at').as('at'))
    .executeTakeFirst();
  return row?.at ?? undefined;
}

export interface LanguageEntry {
  tag: string;
  endonym: string | null;
  english_name: string | null;
  direction: 'ltr' | 'rtl' | null;
  count: number;
  updated_at: string;
}

export async function languagesWithEditions(db: Kysely<DB>): Promise<LanguageEntry[]> {
  const rows = await publishedEditions(db, {})
    .leftJoin('languages as l', 'l.tag', 'e.language')
    .select((eb) => [
      'e.language as tag',
      'l.endonym',
      'l.english_name',
      'l.direction',
      eb.fn.countAll<number>().as('count'),
      eb.fn.max('e.updated_at').as('updated_at'),
    ])
    .groupBy(['e.language', 'l.endonym', 'l.english_name', 'l.direction'])
    .orderBy('e.language')
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count), updated_at: String(r.updated_at) }));
}

export async function typesWithEditions(
  db: Kysely<DB>,
): Promise<{ type: WorkType; count: number; updated_at: string }[]> {
  const rows = await publishedEditions(db, {})
    .select((eb) => [
      'w.type',
      eb.fn.countAll<number>().as('count'),
      eb.fn.max('e.updated_at').as('updated_at'),
    ])
    .groupBy('w.type')
    .orderBy('w.type')
    .execute();
  return rows.map((r) => ({
    type: r.type,
    count: Number(r.count),
    updated_at: String(r.updated_at),
  }));
}

export async function topicsWithEditions(
  db: Kysely<DB>,
): Promise<{ id: string; slug: string; count: number; updated_at: string }[]> {
  const rows = await publishedEditions(db, {})
    .innerJoin('work_topics as wt', 'wt.work_id', 'w.id')
    .innerJoin('topics as t', 't.id', 'wt.topic_id')
    .select((eb) => [
      't.id',
      't.slug',
      eb.fn.countAll<number>().as('count'),
      eb.fn.max('e.updated_at').as('updated_at'),
    ])
    .groupBy(['t.id', 't.slug'])
    .orderBy('t.slug')
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count), updated_at: String(r.updated_at) }));
}

export async function findTopicBySlug(db: Kysely<DB>, slug: string) {
  return db.selectFrom('topics').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirst();
}

export async function topicsOfWorks(
  db: Kysely<DB>,
  workIds: string[],
): Promise<{ work_id: string; id: string; slug: string }[]> {
  if (workIds.length === 0) return [];
  return db
    .selectFrom('work_topics as wt')
    .innerJoin('topics as t', 't.id', 'wt.topic_id')
    .select(['wt.work_id', 't.id', 't.slug'])
    .where('wt.work_id', 'in', workIds)
    .orderBy('t.slug')
    .execute();
}

/** Editions that have pages to read online (HTML editions). */
export async function editionsWithPages(
  db: Kysely<DB>,
  editionIds: string[],
): Promise<Set<string>> {
  if (editionIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('edition_sections')
    .select('edition_id')
    .where('edition_id', 'in', editionIds)
    .groupBy('edition_id')
    .execute();
  return new Set(rows.map((r) => r.edition_id));
}
