/**
 * The rows an impact report is computed from: one per registration with status 'registered' in
 * the selected events, with its grouping values (organisation, country, kind, year, age band,
 * gender), attendance and pre/post survey scores. Never a name or a code: only the coarse,
 * decrypted age band and gender leave this module, and only into aggregates.
 */
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { DB, EventKind, SurveyConstruct } from '../../platform/db/schema.js';
import { attendanceSlots, hasCompleted } from '../programmes/slots.js';
import { groupBy, pickText } from '../programmes/texts.js';
import { mean, type PersonFigures } from './statistics.js';

export interface ReportFilter {
  /** Organisations the person may see; undefined: all (network admins). */
  allowed: readonly string[] | undefined;
  organisation?: string | undefined;
  country?: string | undefined;
  kind?: EventKind | undefined;
  year?: number | undefined;
}

export interface ReportRecord extends PersonFigures {
  organisationId: string;
  country: string | null;
  kind: EventKind;
  year: number;
  ageBand: string | null;
  gender: string | null;
}

export interface ReportEvent {
  id: string;
  organisationId: string;
  organisation: string;
  country: string | null;
  kind: EventKind;
  startsAt: string;
  year: number;
  title: string;
  titleLanguage: string;
}

export interface ReportData {
  events: ReportEvent[];
  records: ReportRecord[];
  /** Names of the organisations in the selection. */
  organisations: Map<string, string>;
}

/** Keeps `in (...)` lists well under both databases' parameter limits. */
const CHUNK = 500;

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>) {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

/** The choices the filter form offers: what exists among the events the person may see. */
export async function filterChoices(db: Kysely<DB>, allowed: readonly string[] | undefined) {
  if (allowed && allowed.length === 0) {
    return { organisations: [], countries: [], years: [] };
  }
  let events = db
    .selectFrom('events')
    .innerJoin('organisations', 'organisations.id', 'events.organisation_id')
    .select([
      'events.organisation_id',
      'organisations.name',
      'events.country',
      'events.starts_at',
      'events.time_zone',
    ])
    .where('events.cancelled_at', 'is', null);
  if (allowed) events = events.where('events.organisation_id', 'in', allowed);
  const rows = await events.execute();
  const organisations = new Map<string, string>();
  const countries = new Set<string>();
  const years = new Set<number>();
  for (const r of rows) {
    organisations.set(r.organisation_id, r.name);
    if (r.country) countries.add(r.country);
    years.add(yearOf(r.starts_at, r.time_zone));
  }
  // Organisations the person may report on without events yet are choices too.
  if (allowed) {
    for (const o of await db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', 'in', allowed)
      .execute()) {
      organisations.set(o.id, o.name);
    }
  }
  return {
    organisations: [...organisations]
      .map(([id, name]) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    countries: [...countries].sort(),
    years: [...years].sort((a, b) => b - a),
  };
}

function notSaid(value: string | null): string | null {
  return value === null || value === '' || value === 'unsaid' ? null : value;
}

function yearOf(startsAt: string, timeZone: string): number {
  const local = DateTime.fromISO(startsAt, { zone: timeZone });
  return local.isValid ? local.year : Number(startsAt.slice(0, 4));
}

export async function loadReportData(
  db: Kysely<DB>,
  cipher: FieldCipher,
  filter: ReportFilter,
  lang: string,
): Promise<ReportData> {
  const empty: ReportData = { events: [], records: [], organisations: new Map() };
  if (filter.allowed && filter.allowed.length === 0) return empty;
  if (filter.organisation && filter.allowed && !filter.allowed.includes(filter.organisation)) {
    return empty;
  }
  let query = db
    .selectFrom('events')
    .innerJoin('organisations', 'organisations.id', 'events.organisation_id')
    .select([
      'events.id',
      'events.organisation_id',
      'organisations.name as organisation',
      'events.kind',
      'events.country',
      'events.starts_at',
      'events.ends_at',
      'events.time_zone',
      'events.attendance_by',
      'events.slug',
    ])
    .where('events.cancelled_at', 'is', null);
  if (filter.allowed) query = query.where('events.organisation_id', 'in', filter.allowed);
  if (filter.organisation) query = query.where('events.organisation_id', '=', filter.organisation);
  if (filter.country) query = query.where('events.country', '=', filter.country);
  if (filter.kind) query = query.where('events.kind', '=', filter.kind);
  const eventRows = (await query.orderBy('events.starts_at').orderBy('events.id').execute())
    .map((e) => ({ ...e, year: yearOf(e.starts_at, e.time_zone) }))
    .filter((e) => filter.year === undefined || e.year === filter.year);
  if (eventRows.length === 0) return empty;
  const eventIds = eventRows.map((e) => e.id);

  const [texts, agenda, registrations] = await Promise.all([
    inChunks(eventIds, (ids) =>
      db
        .selectFrom('event_texts')
        .select(['event_id', 'language', 'title'])
        .where('event_id', 'in', ids)
        .execute(),
    ),
    inChunks(eventIds, (ids) =>
      db
        .selectFrom('event_agenda_items')
        .select(['id', 'event_id', 'day', 'session_id'])
        .where('event_id', 'in', ids)
        .execute(),
    ),
    inChunks(eventIds, (ids) =>
      db
        .selectFrom('registrations')
        .innerJoin('participants', 'participants.id', 'registrations.participant_id')
        .select([
          'registrations.id',
          'registrations.event_id',
          'participants.id as participant_id',
          'participants.age_band_enc',
          'participants.gender_enc',
        ])
        .where('registrations.event_id', 'in', ids)
        .where('registrations.status', '=', 'registered')
        .execute(),
    ),
  ]);
  const registrationIds = registrations.map((r) => r.id);
  const [present, answers] = await Promise.all([
    inChunks(registrationIds, (ids) =>
      db
        .selectFrom('attendance')
        .select(['registration_id', 'slot'])
        .where('registration_id', 'in', ids)
        .where('present', '=', 1)
        .execute(),
    ),
    inChunks(registrationIds, (ids) =>
      db
        .selectFrom('survey_answers')
        .innerJoin('survey_responses', 'survey_responses.id', 'survey_answers.response_id')
        .innerJoin('survey_items', 'survey_items.id', 'survey_answers.item_id')
        .select([
          'survey_responses.registration_id',
          'survey_responses.phase',
          'survey_items.construct',
          'survey_answers.value',
        ])
        .where('survey_responses.registration_id', 'in', ids)
        .where('survey_items.kind', '=', 'likert')
        .where('survey_items.construct', 'is not', null)
        .where('survey_answers.value', '>=', 1)
        .where('survey_answers.value', '<=', 5)
        .execute(),
    ),
  ]);

  const textsByEvent = groupBy(texts, 'event_id');
  const agendaByEvent = groupBy(agenda, 'event_id');
  const slotsByEvent = new Map<string, Set<string>>();
  const events: ReportEvent[] = eventRows.map((e) => {
    slotsByEvent.set(e.id, new Set(attendanceSlots(e, agendaByEvent.get(e.id) ?? [])));
    const picked = pickText(textsByEvent.get(e.id) ?? [], lang);
    return {
      id: e.id,
      organisationId: e.organisation_id,
      organisation: e.organisation,
      country: e.country,
      kind: e.kind,
      startsAt: e.starts_at,
      year: e.year,
      title: picked?.text.title ?? e.slug,
      titleLanguage: picked?.text.language ?? 'en',
    };
  });
  const eventById = new Map(events.map((e) => [e.id, e]));

  const presentByRegistration = groupBy(present, 'registration_id');
  // registration -> phase -> construct -> Likert values
  const scores = new Map<string, Map<string, Map<SurveyConstruct, number[]>>>();
  for (const a of answers) {
    if (a.construct === null || a.value === null) continue;
    let phases = scores.get(a.registration_id);
    if (!phases) scores.set(a.registration_id, (phases = new Map()));
    let constructs = phases.get(a.phase);
    if (!constructs) phases.set(a.phase, (constructs = new Map()));
    const list = constructs.get(a.construct);
    if (list) list.push(Number(a.value));
    else constructs.set(a.construct, [Number(a.value)]);
  }
  const change = (registrationId: string, construct: SurveyConstruct): number | null => {
    const phases = scores.get(registrationId);
    const pre = phases?.get('pre')?.get(construct);
    const post = phases?.get('post')?.get(construct);
    return pre?.length && post?.length ? mean(post) - mean(pre) : null;
  };

  const records: ReportRecord[] = registrations.map((r) => {
    const event = eventById.get(r.event_id)!;
    const slots = slotsByEvent.get(r.event_id)!;
    const presentSlots = (presentByRegistration.get(r.id) ?? []).filter((a) =>
      slots.has(a.slot),
    ).length;
    const place = (column: string) => ({ table: 'participants', column, rowId: r.participant_id });
    return {
      organisationId: event.organisationId,
      country: event.country,
      kind: event.kind,
      year: event.year,
      ageBand: notSaid(cipher.decryptOptional(r.age_band_enc, place('age_band_enc'))),
      // "Prefer not to say" is the same as not answering.
      gender: notSaid(cipher.decryptOptional(r.gender_enc, place('gender_enc'))),
      presentSlots,
      slots: slots.size,
      completed: hasCompleted(presentSlots, slots.size),
      skillsChange: change(r.id, 'skills'),
      confidenceChange: change(r.id, 'confidence'),
    };
  });
  const organisations = new Map(events.map((e) => [e.organisationId, e.organisation]));
  return { events, records, organisations };
}
