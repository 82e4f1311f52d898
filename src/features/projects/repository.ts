/**
 * Advocacy projects: participants' work (title, description, link, topic, team) attached to an
 * event, public only once the team's consent is recorded and someone publishes it. Team
 * members are registrations; a member is named publicly only when her registration says she
 * agreed to appear in participant lists (consent_listed).
 */
import type { Kysely, Selectable } from 'kysely';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { DB, ProjectTable } from '../../platform/db/schema.js';
import { groupBy, pickText } from '../programmes/texts.js';

export type ProjectRow = Selectable<ProjectTable>;

export const PUBLIC_PAGE_SIZE = 20;

export async function eventProjects(db: Kysely<DB>, eventId: string): Promise<ProjectRow[]> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function eventProject(
  db: Kysely<DB>,
  eventId: string,
  projectId: string,
): Promise<ProjectRow | undefined> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', projectId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
}

/** Topics with their label in the reader's language (or its fallback). */
export async function topicChoices(db: Kysely<DB>, lang: string) {
  const [topics, labels] = await Promise.all([
    db.selectFrom('topics').select(['id', 'slug']).execute(),
    db.selectFrom('topic_labels').select(['topic_id', 'language', 'label']).execute(),
  ]);
  const byTopic = groupBy(labels, 'topic_id');
  return topics
    .map((t) => ({ id: t.id, slug: t.slug, label: pickText(byTopic.get(t.id) ?? [], lang) }))
    .map((t) => ({
      id: t.id,
      slug: t.slug,
      label: t.label?.text.label ?? t.slug,
      language: t.label?.text.language ?? 'en',
    }))
    .sort((a, b) => a.label.localeCompare(b.label, lang));
}

export interface TeamCandidate {
  registrationId: string;
  displayName: string;
  listed: boolean;
  member: boolean;
}

/** The event's registrations (not cancelled) with decrypted display names, for team selection. */
export async function teamCandidates(
  db: Kysely<DB>,
  cipher: FieldCipher,
  eventId: string,
  projectId: string | undefined,
): Promise<TeamCandidate[]> {
  const [rows, members] = await Promise.all([
    db
      .selectFrom('registrations')
      .innerJoin('participants', 'participants.id', 'registrations.participant_id')
      .select([
        'registrations.id',
        'registrations.consent_listed',
        'participants.id as participant_id',
        'participants.display_name_enc',
      ])
      .where('registrations.event_id', '=', eventId)
      .where('registrations.status', '!=', 'cancelled')
      .orderBy('registrations.created_at')
      .orderBy('registrations.id')
      .execute(),
    projectId ? memberIds(db, projectId) : Promise.resolve(new Set<string>()),
  ]);
  return rows.map((r) => ({
    registrationId: r.id,
    displayName: cipher.decrypt(r.display_name_enc, {
      table: 'participants',
      column: 'display_name_enc',
      rowId: r.participant_id,
    }),
    listed: Number(r.consent_listed) === 1,
    member: members.has(r.id),
  }));
}

export async function memberIds(db: Kysely<DB>, projectId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('project_members')
    .select('registration_id')
    .where('project_id', '=', projectId)
    .execute();
  return new Set(rows.map((r) => r.registration_id));
}

export async function memberCounts(db: Kysely<DB>, projectIds: readonly string[]) {
  if (projectIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('project_members')
    .select(['project_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('project_id', 'in', projectIds)
    .groupBy('project_id')
    .execute();
  return new Map(rows.map((r) => [r.project_id, Number(r.n)]));
}

// ---- Public side: published projects only.

export interface PublicFilter {
  country?: string | undefined;
  topic?: string | undefined;
}

function publishedQuery(db: Kysely<DB>, filter: PublicFilter) {
  let query = db
    .selectFrom('projects')
    .innerJoin('events', 'events.id', 'projects.event_id')
    .leftJoin('topics', 'topics.id', 'projects.topic_id')
    .where('projects.published_at', 'is not', null);
  if (filter.country) query = query.where('events.country', '=', filter.country);
  if (filter.topic) query = query.where('topics.slug', '=', filter.topic);
  return query;
}

export async function countPublished(db: Kysely<DB>, filter: PublicFilter): Promise<number> {
  const row = await publishedQuery(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listPublished(
  db: Kysely<DB>,
  filter: PublicFilter,
  limit: number,
  offset: number,
) {
  return publishedQuery(db, filter)
    .select([
      'projects.slug',
      'projects.title',
      'projects.language',
      'projects.topic_id',
      'projects.published_at',
      'events.country',
    ])
    .orderBy('projects.published_at', 'desc')
    .orderBy('projects.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Countries and topics that have published projects: the public filter's choices. */
export async function publishedFacets(db: Kysely<DB>) {
  const rows = await publishedQuery(db, {})
    .select(['events.country', 'topics.slug as topic'])
    .distinct()
    .execute();
  return {
    countries: [...new Set(rows.flatMap((r) => (r.country ? [r.country] : [])))].sort(),
    topics: new Set(rows.flatMap((r) => (r.topic ? [r.topic] : []))),
  };
}

export async function publishedProject(db: Kysely<DB>, slug: string) {
  return db
    .selectFrom('projects')
    .innerJoin('events', 'events.id', 'projects.event_id')
    .innerJoin('organisations', 'organisations.id', 'events.organisation_id')
    .select([
      'projects.id',
      'projects.slug',
      'projects.title',
      'projects.description',
      'projects.language',
      'projects.link',
      'projects.topic_id',
      'projects.published_at',
      'events.id as event_id',
      'events.slug as event_slug',
      'events.country',
      'events.published_at as event_published_at',
      'events.visibility as event_visibility',
      'organisations.name as organisation',
    ])
    .where('projects.slug', '=', slug)
    .where('projects.published_at', 'is not', null)
    .executeTakeFirst();
}

/**
 * The team as the public may see it: names of the members who agreed to be listed, and how
 * many others there are.
 */
export async function publicTeam(db: Kysely<DB>, cipher: FieldCipher, projectId: string) {
  const rows = await db
    .selectFrom('project_members')
    .innerJoin('registrations', 'registrations.id', 'project_members.registration_id')
    .innerJoin('participants', 'participants.id', 'registrations.participant_id')
    .select([
      'registrations.consent_listed',
      'registrations.created_at',
      'participants.id as participant_id',
      'participants.display_name_enc',
    ])
    .where('project_members.project_id', '=', projectId)
    .orderBy('registrations.created_at')
    .execute();
  const named: string[] = [];
  let others = 0;
  for (const r of rows) {
    if (Number(r.consent_listed) !== 1) {
      others += 1;
      continue;
    }
    named.push(
      cipher.decrypt(r.display_name_enc, {
        table: 'participants',
        column: 'display_name_enc',
        rowId: r.participant_id,
      }),
    );
  }
  return { named, others };
}

export async function eventTitle(db: Kysely<DB>, eventId: string, lang: string) {
  const texts = await db
    .selectFrom('event_texts')
    .select(['language', 'title'])
    .where('event_id', '=', eventId)
    .execute();
  return pickText(texts, lang);
}
