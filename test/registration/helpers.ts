/** Events made straight in the tables, and a visitor's registration through HTTP. */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/platform/db/schema.js';
import { StaffClient } from '../helpers/staff.js';

const DAY = 86_400_000;

export interface EventOptions {
  organisationId: string;
  capacity?: number;
  /** Days from now to the start (negative: in the past). */
  startsInDays?: number;
  days?: number;
  published?: boolean;
  cancelled?: boolean;
  inviteToken?: string;
  title?: string;
  languages?: string[];
}

export async function makeEvent(
  db: Kysely<DB>,
  o: EventOptions,
): Promise<{ id: string; slug: string }> {
  const id = randomUUID();
  const slug = `event-${id.slice(0, 8)}`;
  const now = new Date();
  const start = new Date(now.getTime() + (o.startsInDays ?? 7) * DAY);
  start.setUTCHours(9, 0, 0, 0);
  const end = new Date(start.getTime() + ((o.days ?? 2) - 1) * DAY + 8 * 3_600_000);
  await db
    .insertInto('events')
    .values({
      id,
      slug,
      organisation_id: o.organisationId,
      kind: 'workshop',
      curriculum_id: null,
      starts_at: start.toISOString(),
      ends_at: end.toISOString(),
      time_zone: 'UTC',
      country: 'LB',
      place: 'Beirut',
      online_url: null,
      capacity: o.capacity ?? 20,
      visibility: o.inviteToken ? 'invite' : 'public',
      invite_token_hash: o.inviteToken
        ? createHash('sha256').update(o.inviteToken).digest('hex')
        : null,
      pre_instrument_id: null,
      post_instrument_id: null,
      published_at: o.published === false ? null : now.toISOString(),
      cancelled_at: o.cancelled ? now.toISOString() : null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  await db
    .insertInto('event_texts')
    .values({
      event_id: id,
      language: 'en',
      title: o.title ?? 'Digital safety workshop',
      description: null,
    })
    .execute();
  for (const language of o.languages ?? ['en']) {
    await db.insertInto('event_languages').values({ event_id: id, language }).execute();
  }
  return { id, slug };
}

/** Moves an event into the past (it took place), keeping its length. */
export async function moveToPast(db: Kysely<DB>, eventId: string, days = 2): Promise<void> {
  const start = new Date(Date.now() - 10 * DAY);
  start.setUTCHours(9, 0, 0, 0);
  const end = new Date(start.getTime() + (days - 1) * DAY + 8 * 3_600_000);
  await db
    .updateTable('events')
    .set({ starts_at: start.toISOString(), ends_at: end.toISOString() })
    .where('id', '=', eventId)
    .execute();
}

export interface RegisterFields {
  display_name?: string;
  contact?: string;
  age_band?: string;
  gender?: string;
  note?: string;
  consent_listed?: string;
  consent_photos?: string;
  consent_contact?: string;
  code?: string;
  invite?: string;
}

/** A visitor without an account: opens the form (cookie + token), then sends it. */
export async function registerVia(
  baseUrl: string,
  slug: string,
  fields: RegisterFields,
  lang = 'en',
): Promise<{ status: number; html: string; code: string | undefined; visitor: StaffClient }> {
  const visitor = new StaffClient(baseUrl);
  const query = fields.invite ? `?invite=${encodeURIComponent(fields.invite)}` : '';
  const form = await visitor.get(`/${lang}/events/${encodeURIComponent(slug)}/register${query}`);
  if (form.response.status !== 200) throw new Error(`register form: ${form.response.status}`);
  const { response, html } = await visitor.post(
    `/${lang}/events/${encodeURIComponent(slug)}/register`,
    fields as Record<string, string>,
  );
  const code = /<code class="secret"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/.exec(
    html,
  )?.[1];
  return { status: response.status, html, code, visitor };
}

export async function counts(db: Kysely<DB>) {
  const n = async (table: 'participants' | 'registrations' | 'attendance' | 'certificates') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    participants: await n('participants'),
    registrations: await n('registrations'),
    attendance: await n('attendance'),
    certificates: await n('certificates'),
  };
}
