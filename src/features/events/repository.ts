/**
 * SQL of events: the workspace's lists and writes (always scoped to organisations the caller
 * has checked), and the public queries, which see only published, not-cancelled events.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, EventKind } from '../../platform/db/schema.js';
import type { EventRow } from './access.js';
import type { EventFields } from './forms.js';

export interface EventTextRow {
  event_id: string;
  language: string;
  title: string;
  description: string | null;
}

export async function eventTexts(db: Kysely<DB>, ids: readonly string[]): Promise<EventTextRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('event_texts')
    .select(['event_id', 'language', 'title', 'description'])
    .where('event_id', 'in', ids)
    .orderBy('language')
    .execute();
}

export async function eventLanguages(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('event_languages')
    .select(['event_id', 'language'])
    .where('event_id', 'in', ids)
    .orderBy('language')
    .execute();
}

/** Events of the given organisations (undefined: all), newest first. */
export async function listStaffEvents(
  db: Kysely<DB>,
  organisationIds: readonly string[] | undefined,
) {
  if (organisationIds?.length === 0) return [];
  return db
    .selectFrom('events')
    .innerJoin('organisations', 'organisations.id', 'events.organisation_id')
    .selectAll('events')
    .select('organisations.name as organisation_name')
    .$if(organisationIds !== undefined, (q) =>
      q.where('events.organisation_id', 'in', organisationIds!),
    )
    .orderBy('events.starts_at', 'desc')
    .orderBy('events.id')
    .limit(500)
    .execute();
}

/**
 * Curricula an event may follow: those of published works, and those of works the event's
 * possible organisations publish themselves (undefined: every curriculum).
 */
export async function curriculumChoices(
  db: Kysely<DB>,
  organisationIds: readonly string[] | undefined,
) {
  const rows = await db
    .selectFrom('curricula')
    .innerJoin('works', 'works.id', 'curricula.work_id')
    .select(['curricula.id', 'curricula.slug'])
    .$if(organisationIds !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('works.published_at', 'is not', null),
          ...(organisationIds!.length ? [eb('works.publisher_id', 'in', organisationIds!)] : []),
        ]),
      ),
    )
    .orderBy('curricula.slug')
    .execute();
  if (rows.length === 0) return [];
  const texts = await db
    .selectFrom('curriculum_texts')
    .select(['curriculum_id', 'language', 'title'])
    .where(
      'curriculum_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({ ...r, texts: texts.filter((t) => t.curriculum_id === r.id) }));
}

export async function insertEvent(
  db: Kysely<DB>,
  values: { id: string; slug: string; fields: EventFields; inviteHash: string | null },
  now: string,
) {
  await db
    .insertInto('events')
    .values({
      id: values.id,
      slug: values.slug,
      ...values.fields,
      invite_token_hash: values.inviteHash,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function replaceLanguages(db: Kysely<DB>, eventId: string, languages: string[]) {
  await db.deleteFrom('event_languages').where('event_id', '=', eventId).execute();
  if (languages.length)
    await db
      .insertInto('event_languages')
      .values(languages.map((language) => ({ event_id: eventId, language })))
      .execute();
}

export async function upsertText(
  db: Kysely<DB>,
  eventId: string,
  text: Omit<EventTextRow, 'event_id'>,
) {
  const updated = await db
    .updateTable('event_texts')
    .set({ title: text.title, description: text.description })
    .where('event_id', '=', eventId)
    .where('language', '=', text.language)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await db
      .insertInto('event_texts')
      .values({ event_id: eventId, ...text })
      .execute();
}

/**
 * Changes an event if it is still at `version`; the capacity never drops below the seats
 * already given (checked in the same statement, so a registration in between cannot slip
 * through). Returns what stopped it, if anything.
 */
export async function updateEvent(
  db: Kysely<DB>,
  id: string,
  version: number,
  set: Partial<EventFields> & {
    invite_token_hash?: string | null;
    published_at?: string | null;
    cancelled_at?: string | null;
  },
  now: string,
): Promise<'ok' | 'stale' | 'seats'> {
  if (!Number.isInteger(version)) return 'stale';
  const result = await db
    .updateTable('events')
    .set((eb) => ({ ...set, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .$if(set.capacity !== undefined, (q) => q.where('seats_taken', '<=', set.capacity!))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return 'ok';
  const row = await db
    .selectFrom('events')
    .select(['version'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && row.version === version && set.capacity !== undefined ? 'seats' : 'stale';
}

// ---- Agenda

export async function agendaItems(db: Kysely<DB>, eventId: string) {
  return db
    .selectFrom('event_agenda_items')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('day')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export type AgendaItem = Awaited<ReturnType<typeof agendaItems>>[number];

/** Curriculum sessions (with their texts and curriculum slug), by module and position. */
export async function curriculumSessions(db: Kysely<DB>, curriculumId: string) {
  return db
    .selectFrom('curriculum_sessions')
    .innerJoin('curriculum_modules', 'curriculum_modules.id', 'curriculum_sessions.module_id')
    .select([
      'curriculum_sessions.id',
      'curriculum_sessions.slug',
      'curriculum_sessions.duration_minutes',
      'curriculum_modules.position as module_position',
      'curriculum_sessions.position',
    ])
    .where('curriculum_modules.curriculum_id', '=', curriculumId)
    .orderBy('curriculum_modules.position')
    .orderBy('curriculum_sessions.position')
    .execute();
}

/** Sessions by id with the slug of their curriculum, for links from an agenda. */
export async function sessionsByIds(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('curriculum_sessions')
    .innerJoin('curriculum_modules', 'curriculum_modules.id', 'curriculum_sessions.module_id')
    .innerJoin('curricula', 'curricula.id', 'curriculum_modules.curriculum_id')
    .select([
      'curriculum_sessions.id',
      'curriculum_sessions.slug',
      'curriculum_sessions.duration_minutes',
      'curricula.slug as curriculum_slug',
    ])
    .where('curriculum_sessions.id', 'in', ids)
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

async function nextPosition(db: Kysely<DB>, eventId: string, day: string): Promise<number> {
  const row = await db
    .selectFrom('event_agenda_items')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('event_id', '=', eventId)
    .where('day', '=', day)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

export async function addAgendaItem(
  db: Kysely<DB>,
  eventId: string,
  item: {
    day: string;
    start_time: string | null;
    session_id: string | null;
    minutes: number;
    title: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('event_agenda_items')
    .values({ id, event_id: eventId, position: await nextPosition(db, eventId, item.day), ...item })
    .execute();
  return id;
}

/** Swaps an item with its neighbour in the day; false when it is already first or last. */
export async function moveAgendaItem(
  db: Kysely<DB>,
  eventId: string,
  itemId: string,
  direction: 'up' | 'down',
): Promise<boolean> {
  const items = (await agendaItems(db, eventId)).filter((i) => i.event_id === eventId);
  const item = items.find((i) => i.id === itemId);
  if (!item) return false;
  const day = items.filter((i) => i.day === item.day);
  const index = day.indexOf(item);
  const other = day[direction === 'up' ? index - 1 : index + 1];
  if (!other) return false;
  // Renumber the day densely first: positions may have gaps after deletions or day moves.
  const order = [...day];
  order[index] = other;
  order[direction === 'up' ? index - 1 : index + 1] = item;
  for (const [position, row] of order.entries()) {
    if (row.position !== position)
      await db
        .updateTable('event_agenda_items')
        .set({ position })
        .where('id', '=', row.id)
        .execute();
  }
  return true;
}

export async function changeAgendaItem(
  db: Kysely<DB>,
  eventId: string,
  item: AgendaItem,
  change: { day: string; start_time: string | null; minutes: number },
) {
  const position =
    change.day === item.day ? item.position : await nextPosition(db, eventId, change.day);
  await db
    .updateTable('event_agenda_items')
    .set({ ...change, position })
    .where('id', '=', item.id)
    .where('event_id', '=', eventId)
    .execute();
}

export async function deleteAgendaItem(db: Kysely<DB>, eventId: string, itemId: string) {
  const result = await db
    .deleteFrom('event_agenda_items')
    .where('id', '=', itemId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// ---- Trainers

/** People with a membership in the organisation (not disabled), and whether each is assigned. */
export async function trainerChoices(db: Kysely<DB>, eventId: string, organisationId: string) {
  const [members, assigned] = await Promise.all([
    db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.display_name', 'memberships.role'])
      .where('memberships.organisation_id', '=', organisationId)
      .where('users.disabled_at', 'is', null)
      .orderBy('users.display_name')
      .execute(),
    db.selectFrom('event_trainers').select('user_id').where('event_id', '=', eventId).execute(),
  ]);
  const ids = new Set(assigned.map((a) => a.user_id));
  return members.map((m) => ({ ...m, assigned: ids.has(m.id) }));
}

// ---- Public

export interface PublicFilter {
  country?: string | undefined;
  language?: string | undefined;
  kind?: EventKind | undefined;
}

function publicEventsQuery(db: Kysely<DB>, filter: PublicFilter) {
  return db
    .selectFrom('events')
    .where('events.published_at', 'is not', null)
    .where('events.cancelled_at', 'is', null)
    .where('events.visibility', '=', 'public')
    .$if(filter.country !== undefined, (q) => q.where('events.country', '=', filter.country!))
    .$if(filter.kind !== undefined, (q) => q.where('events.kind', '=', filter.kind!))
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

/** Upcoming (not yet ended: soonest first) or past (most recent first) public events. */
export async function listPublicEvents(
  db: Kysely<DB>,
  filter: PublicFilter,
  when: 'upcoming' | 'past',
  now: string,
  limit: number,
  offset: number,
) {
  return publicEventsQuery(db, filter)
    .innerJoin('organisations', 'organisations.id', 'events.organisation_id')
    .selectAll('events')
    .select(['organisations.name as organisation_name', 'organisations.slug as organisation_slug'])
    .where('events.ends_at', when === 'upcoming' ? '>=' : '<', now)
    .orderBy('events.starts_at', when === 'upcoming' ? 'asc' : 'desc')
    .orderBy('events.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countPublicEvents(
  db: Kysely<DB>,
  filter: PublicFilter,
  when: 'upcoming' | 'past',
  now: string,
): Promise<number> {
  const row = await publicEventsQuery(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('events.ends_at', when === 'upcoming' ? '>=' : '<', now)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Countries, kinds and languages of all public events, with how many events each has. */
export async function publicFacets(db: Kysely<DB>) {
  const [countries, kinds, languages] = await Promise.all([
    publicEventsQuery(db, {})
      .select(['events.country as value', (eb) => eb.fn.countAll<number>().as('n')])
      .where('events.country', 'is not', null)
      .groupBy('events.country')
      .execute(),
    publicEventsQuery(db, {})
      .select(['events.kind as value', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('events.kind')
      .execute(),
    publicEventsQuery(db, {})
      .innerJoin('event_languages', 'event_languages.event_id', 'events.id')
      .select(['event_languages.language as value', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('event_languages.language')
      .execute(),
  ]);
  const norm = (rows: { value: string | null; n: number | string }[]) =>
    rows.map((r) => ({ value: r.value ?? '', n: Number(r.n) }));
  return { countries: norm(countries), kinds: norm(kinds), languages: norm(languages) };
}

/** A published event by slug, with its organisation (cancelled ones too: the page says so). */
export async function publishedEventBySlug(db: Kysely<DB>, slug: string) {
  return db
    .selectFrom('events')
    .innerJoin('organisations', 'organisations.id', 'events.organisation_id')
    .selectAll('events')
    .select(['organisations.name as organisation_name', 'organisations.slug as organisation_slug'])
    .where('events.slug', '=', slug)
    .where('events.published_at', 'is not', null)
    .executeTakeFirst();
}

export type PublicEvent = NonNullable<Awaited<ReturnType<typeof publishedEventBySlug>>>;

/** An organisation's public, published events (for its calendar feed), recent and upcoming. */
export async function organisationPublicEvents(db: Kysely<DB>, organisationSlug: string) {
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'slug'])
    .where('slug', '=', organisationSlug)
    .executeTakeFirst();
  if (!org) return undefined;
  const events = await db
    .selectFrom('events')
    .selectAll()
    .where('organisation_id', '=', org.id)
    .where('published_at', 'is not', null)
    .where('visibility', '=', 'public')
    .orderBy('starts_at', 'desc')
    .limit(500)
    .execute();
  return { org, events: events as EventRow[] };
}
