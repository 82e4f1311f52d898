/**
 * SQL of the JSON API beyond the library's own queries (features/library/repository.ts). Like
 * those, it sees published content only: published works and editions, and public, published,
 * not-cancelled events. Nothing here reads participants, registrations or trainers.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, EventKind } from '../../platform/db/schema.js';

/** Published editions of the given (published) works, with their languages' names. */
export async function editionsOfWorks(db: Kysely<DB>, workIds: readonly string[]) {
  if (workIds.length === 0) return [];
  return db
    .selectFrom('editions as e')
    .innerJoin('languages as l', 'l.tag', 'e.language')
    .where('e.status', '=', 'published')
    .where('e.work_id', 'in', workIds)
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
    ])
    .orderBy('e.language')
    .execute();
}

export async function topicsOfWorks(db: Kysely<DB>, workIds: readonly string[]) {
  if (workIds.length === 0) return [];
  return db
    .selectFrom('work_topics as wt')
    .innerJoin('topics as t', 't.id', 'wt.topic_id')
    .select(['wt.work_id', 't.id', 't.slug'])
    .where('wt.work_id', 'in', workIds)
    .orderBy('t.slug')
    .execute();
}

export async function collectionsOfWork(db: Kysely<DB>, workId: string) {
  return db
    .selectFrom('collection_works as cw')
    .innerJoin('collections as c', 'c.id', 'cw.collection_id')
    .select(['c.id', 'c.slug'])
    .where('cw.work_id', '=', workId)
    .orderBy('c.slug')
    .execute();
}

/** How many public works each collection has. */
export async function collectionWorkCounts(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('collection_works as cw')
    .innerJoin('works as w', 'w.id', 'cw.work_id')
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
    .select(['cw.collection_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('cw.collection_id')
    .execute();
  return new Map(rows.map((r) => [r.collection_id, Number(r.n)]));
}

// ---- Events

export interface ApiEventFilter {
  country?: string | undefined;
  language?: string | undefined;
  kind?: EventKind | undefined;
  /** UTC instants: events ending at or after `from`, starting before `until`. */
  from?: string | undefined;
  until?: string | undefined;
}

/** The columns the API shows of an event: never the meeting link, invite hash or trainers. */
const EVENT_COLUMNS = [
  'events.id',
  'events.slug',
  'events.kind',
  'events.curriculum_id',
  'events.starts_at',
  'events.ends_at',
  'events.time_zone',
  'events.country',
  'events.place',
  'events.online_url',
  'events.capacity',
  'events.seats_taken',
  'organisations.name as organisation_name',
  'organisations.slug as organisation_slug',
] as const;

function publicEvents(db: Kysely<DB>, filter: ApiEventFilter) {
  return db
    .selectFrom('events')
    .innerJoin('organisations', 'organisations.id', 'events.organisation_id')
    .where('events.published_at', 'is not', null)
    .where('events.cancelled_at', 'is', null)
    .where('events.visibility', '=', 'public')
    .$if(filter.country !== undefined, (q) => q.where('events.country', '=', filter.country!))
    .$if(filter.kind !== undefined, (q) => q.where('events.kind', '=', filter.kind!))
    .$if(filter.from !== undefined, (q) => q.where('events.ends_at', '>=', filter.from!))
    .$if(filter.until !== undefined, (q) => q.where('events.starts_at', '<', filter.until!))
    .$if(filter.language !== undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('event_languages')
            .select('event_languages.event_id')
            .whereRef('event_languages.event_id', '=', 'events.id')
            .where('event_languages.language', '=', filter.language!),
        ),
      ),
    );
}

export async function countApiEvents(db: Kysely<DB>, filter: ApiEventFilter): Promise<number> {
  const row = await publicEvents(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Upcoming events first (not yet ended; soonest first), then past ones (most recent first).
 * Each CASE key is null on the other group only, so the engines' different null orders agree.
 */
export async function listApiEvents(
  db: Kysely<DB>,
  filter: ApiEventFilter,
  now: string,
  limit: number,
  offset: number,
) {
  return publicEvents(db, filter)
    .select(EVENT_COLUMNS)
    .orderBy(sql`case when events.ends_at >= ${now} then 0 else 1 end`)
    .orderBy(sql`case when events.ends_at >= ${now} then events.starts_at end`, 'asc')
    .orderBy(sql`case when events.ends_at < ${now} then events.starts_at end`, 'desc')
    .orderBy('events.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function findApiEvent(db: Kysely<DB>, slug: string) {
  return publicEvents(db, {})
    .where('events.slug', '=', slug)
    .select(EVENT_COLUMNS)
    .executeTakeFirst();
}

export type ApiEventRow = NonNullable<Awaited<ReturnType<typeof findApiEvent>>>;

/** Curriculum sessions by id, only where the curriculum's work is published. */
export async function publicSessions(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('curriculum_sessions as s')
    .innerJoin('curriculum_modules as m', 'm.id', 's.module_id')
    .innerJoin('curricula as c', 'c.id', 'm.curriculum_id')
    .innerJoin('works as w', 'w.id', 'c.work_id')
    .where('w.published_at', 'is not', null)
    .where('s.id', 'in', ids)
    .select(['s.id', 's.slug', 's.duration_minutes', 'c.slug as curriculum_slug'])
    .execute();
}

export async function sessionTitles(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('curriculum_session_texts')
    .select(['session_id', 'language', 'title'])
    .where('session_id', 'in', ids)
    .execute();
}

/** A curriculum with its titles, if its work is published. */
export async function publicCurriculum(db: Kysely<DB>, id: string) {
  const row = await db
    .selectFrom('curricula as c')
    .innerJoin('works as w', 'w.id', 'c.work_id')
    .where('c.id', '=', id)
    .where('w.published_at', 'is not', null)
    .select(['c.id', 'c.slug'])
    .executeTakeFirst();
  if (!row) return undefined;
  const titles = await db
    .selectFrom('curriculum_texts')
    .select(['language', 'title'])
    .where('curriculum_id', '=', id)
    .execute();
  return { ...row, titles };
}
