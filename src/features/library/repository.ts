import type { Kysely } from 'kysely';
import type { DB, WorkType } from '../../platform/db/schema.js';

/** SQL for the public library. Only published editions are ever visible through it. */

export interface LibraryFilter {
  language?: string | undefined;
  type?: WorkType | undefined;
  topic?: string | undefined;
  collection?: string | undefined;
}

/** What lists need of an edition: its title and its language's names. */
export interface EditionName {
  id: string;
  work_id: string;
  language: string;
  title: string;
  endonym: string | null;
  english_name: string | null;
  direction: 'ltr' | 'rtl';
}

export interface EditionSummary extends EditionName {
  summary: string | null;
  published_at: string | null;
}

export interface WorkRow {
  id: string;
  slug: string;
  type: WorkType;
  licence: string | null;
  year: number | null;
  original_language: string | null;
  publisher_name: string | null;
  updated_at: string;
}

/** Published works with at least one published edition, narrowed by the filter. */
export function filteredWorks(db: Kysely<DB>, filter: LibraryFilter) {
  let query = db
    .selectFrom('works as w')
    .where('w.published_at', 'is not', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('editions as e')
          .select('e.id')
          .whereRef('e.work_id', '=', 'w.id')
          .where('e.status', '=', 'published')
          .$if(filter.language !== undefined, (q) => q.where('e.language', '=', filter.language!)),
      ),
    );
  if (filter.type) query = query.where('w.type', '=', filter.type);
  if (filter.topic) {
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
  if (filter.collection) {
    const slug = filter.collection;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('collection_works as cw')
          .innerJoin('collections as c', 'c.id', 'cw.collection_id')
          .select('cw.work_id')
          .whereRef('cw.work_id', '=', 'w.id')
          .where('c.slug', '=', slug),
      ),
    );
  }
  return query;
}

/** The columns of a WorkRow; queries join `works as w` and `organisations as o` (publisher). */
const WORK_COLUMNS = [
  'w.id',
  'w.slug',
  'w.type',
  'w.licence',
  'w.year',
  'w.original_language',
  'w.updated_at',
  'o.name as publisher_name',
] as const;

export async function countWorks(db: Kysely<DB>, filter: LibraryFilter): Promise<number> {
  const row = await filteredWorks(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listWorks(
  db: Kysely<DB>,
  filter: LibraryFilter,
  limit: number,
  offset: number,
): Promise<WorkRow[]> {
  return filteredWorks(db, filter)
    .leftJoin('organisations as o', 'o.id', 'w.publisher_id')
    .select(WORK_COLUMNS)
    .orderBy('w.updated_at', 'desc')
    .orderBy('w.slug')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function listCollectionWorks(
  db: Kysely<DB>,
  collectionId: string,
): Promise<WorkRow[]> {
  return db
    .selectFrom('collection_works as cw')
    .innerJoin('works as w', 'w.id', 'cw.work_id')
    .leftJoin('organisations as o', 'o.id', 'w.publisher_id')
    .where('cw.collection_id', '=', collectionId)
    .where('w.published_at', 'is not', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('editions as e')
          .select('e.id')
          .whereRef('e.work_id', '=', 'w.id')
          .where('e.status', '=', 'published'),
      ),
    )
    .select(WORK_COLUMNS)
    .orderBy('cw.position')
    .orderBy('w.slug')
    .execute();
}

export async function findWorkBySlug(db: Kysely<DB>, slug: string): Promise<WorkRow | undefined> {
  return filteredWorks(db, {})
    .leftJoin('organisations as o', 'o.id', 'w.publisher_id')
    .where('w.slug', '=', slug)
    .select(WORK_COLUMNS)
    .executeTakeFirst();
}

export async function findWorksByIds(db: Kysely<DB>, ids: string[]): Promise<WorkRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('works as w')
    .leftJoin('organisations as o', 'o.id', 'w.publisher_id')
    .where('w.id', 'in', ids)
    .where('w.published_at', 'is not', null)
    .select(WORK_COLUMNS)
    .execute();
}

function editionSummaries(db: Kysely<DB>) {
  return db
    .selectFrom('editions as e')
    .innerJoin('languages as l', 'l.tag', 'e.language')
    .where('e.status', '=', 'published')
    .select([
      'e.id',
      'e.work_id',
      'e.language',
      'e.title',
      'e.summary',
      'e.published_at',
      'l.endonym',
      'l.english_name',
      'l.direction',
    ]);
}

export async function editionsByIds(db: Kysely<DB>, ids: string[]): Promise<EditionSummary[]> {
  if (ids.length === 0) return [];
  return editionSummaries(db).where('e.id', 'in', ids).execute();
}

/** Every published edition of a work with its language's names, for "also available in". */
export async function workEditions(db: Kysely<DB>, workId: string): Promise<EditionName[]> {
  return db
    .selectFrom('editions as e')
    .innerJoin('languages as l', 'l.tag', 'e.language')
    .where('e.status', '=', 'published')
    .where('e.work_id', '=', workId)
    .select([
      'e.id',
      'e.work_id',
      'e.language',
      'e.title',
      'l.endonym',
      'l.english_name',
      'l.direction',
    ])
    .orderBy('e.language')
    .execute();
}

export async function latestEditionsInLanguage(
  db: Kysely<DB>,
  language: string,
  limit: number,
): Promise<EditionSummary[]> {
  return editionSummaries(db)
    .where((eb) =>
      eb.or([eb('e.language', '=', language), eb('e.language', 'like', `${language}-%`)]),
    )
    .orderBy('e.published_at', 'desc')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

export async function findLanguage(db: Kysely<DB>, tag: string) {
  return db.selectFrom('languages').selectAll().where('tag', '=', tag).executeTakeFirst();
}

export interface EditionFileRow {
  id: string;
  edition_id: string;
  filename: string;
  role: 'original' | 'low' | 'audio' | 'subtitles';
  language: string | null;
  size: number;
  media_type: string;
  sha256: string;
}

export async function editionFiles(
  db: Kysely<DB>,
  editionIds: string[],
): Promise<EditionFileRow[]> {
  if (editionIds.length === 0) return [];
  return db
    .selectFrom('edition_files as f')
    .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
    .select([
      'f.id',
      'f.edition_id',
      'f.filename',
      'f.role',
      'f.language',
      'b.size',
      'b.media_type',
      'b.sha256',
    ])
    .where('f.edition_id', 'in', editionIds)
    .orderBy('f.position')
    .orderBy('f.id')
    .execute();
}

export async function sectionCount(db: Kysely<DB>, editionId: string): Promise<number> {
  const row = await db
    .selectFrom('edition_sections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('edition_id', '=', editionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findSection(db: Kysely<DB>, editionId: string, position: number) {
  return db
    .selectFrom('edition_sections')
    .selectAll()
    .where('edition_id', '=', editionId)
    .where('position', '=', position)
    .executeTakeFirst();
}
