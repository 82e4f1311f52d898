import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { filteredWorks, type LibraryFilter } from './repository.js';

/** Counts behind the library's filters: each facet is counted under the other filters. */

export interface FacetCount {
  value: string;
  count: number;
}

export async function typeFacet(db: Kysely<DB>, filter: LibraryFilter): Promise<FacetCount[]> {
  const rows = await filteredWorks(db, { ...filter, type: undefined })
    .select(['w.type as value', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('w.type')
    .orderBy('w.type')
    .execute();
  return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
}

export async function topicFacet(
  db: Kysely<DB>,
  filter: LibraryFilter,
): Promise<{ slug: string; id: string; count: number }[]> {
  const rows = await filteredWorks(db, { ...filter, topic: undefined })
    .innerJoin('work_topics as wt', 'wt.work_id', 'w.id')
    .innerJoin('topics as t', 't.id', 'wt.topic_id')
    .select(['t.slug', 't.id', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['t.slug', 't.id'])
    .orderBy('t.slug')
    .execute();
  return rows.map((r) => ({ slug: r.slug, id: r.id, count: Number(r.count) }));
}

export interface LanguageCount {
  tag: string;
  endonym: string | null;
  english_name: string | null;
  direction: 'ltr' | 'rtl';
  count: number;
}

/** Languages with the number of works readable in each, most works first. */
export async function languageFacet(
  db: Kysely<DB>,
  filter: LibraryFilter,
  limit: number,
  offset = 0,
): Promise<LanguageCount[]> {
  const works = filteredWorks(db, { ...filter, language: undefined }).select('w.id');
  const rows = await db
    .selectFrom('editions as e')
    .innerJoin('languages as l', 'l.tag', 'e.language')
    .where('e.status', '=', 'published')
    .where('e.work_id', 'in', works)
    .select([
      'l.tag',
      'l.endonym',
      'l.english_name',
      'l.direction',
      (eb) => eb.fn.count<number>('e.work_id').distinct().as('count'),
    ])
    .groupBy(['l.tag', 'l.endonym', 'l.english_name', 'l.direction'])
    .orderBy(sql`count(distinct e.work_id)`, 'desc')
    .orderBy('l.tag')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

export async function countLanguages(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('editions as e')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .where('e.status', '=', 'published')
    .where('w.published_at', 'is not', null)
    .select((eb) => eb.fn.count<number>('e.language').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
