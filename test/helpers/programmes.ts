/**
 * Building programme data straight in the database for tests that are about something else
 * (export and erase, reports): an event, and participants with properly encrypted fields.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, EventKind } from '../../src/platform/db/schema.js';
import { FieldCipher } from '../../src/platform/crypto/field-encryption.js';
import { loadKeyRing } from '../../src/platform/crypto/key-ring.js';
import { newParticipantCode, participantCodeIndex } from '../../src/features/registration/codes.js';

/** The cipher of a test app: the key file it created in its data directory. */
export function cipherOf(dataDir: string): FieldCipher {
  return new FieldCipher(loadKeyRing({}, dataDir));
}

export async function insertEvent(
  db: Kysely<DB>,
  organisationId: string,
  options: {
    title?: string;
    kind?: EventKind;
    startsAt?: string;
    endsAt?: string;
    capacity?: number;
    country?: string;
  } = {},
): Promise<{ id: string; slug: string }> {
  const id = randomUUID();
  const slug = `event-${id.slice(0, 8)}`;
  const now = new Date().toISOString();
  await db
    .insertInto('events')
    .values({
      id,
      slug,
      organisation_id: organisationId,
      kind: options.kind ?? 'workshop',
      curriculum_id: null,
      starts_at: options.startsAt ?? '2026-05-02T07:00:00.000Z',
      ends_at: options.endsAt ?? '2026-05-03T15:00:00.000Z',
      time_zone: 'Asia/Amman',
      country: options.country ?? 'JO',
      place: 'Amman',
      online_url: null,
      capacity: options.capacity ?? 20,
      visibility: 'public',
      invite_token_hash: null,
      pre_instrument_id: null,
      post_instrument_id: null,
      published_at: now,
      cancelled_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('event_texts')
    .values({
      event_id: id,
      language: 'en',
      title: options.title ?? 'Digital safety workshop',
      description: null,
    })
    .execute();
  return { id, slug };
}

export interface ParticipantFixture {
  code: string;
  participantId: string;
  registrationId: string;
}

export async function insertParticipant(
  db: Kysely<DB>,
  cipher: FieldCipher,
  eventId: string,
  person: {
    name: string;
    contact?: string;
    ageBand?: string;
    gender?: string;
    note?: string;
    status?: 'registered' | 'waitlisted';
    consentListed?: boolean;
  },
): Promise<ParticipantFixture> {
  const code = newParticipantCode();
  const participantId = randomUUID();
  const registrationId = randomUUID();
  const now = new Date().toISOString();
  const at = (column: string) => ({ table: 'participants', column, rowId: participantId });
  await db
    .insertInto('participants')
    .values({
      id: participantId,
      code_hmac: participantCodeIndex(cipher, code).hmac,
      display_name_enc: cipher.encrypt(person.name, at('display_name_enc')),
      contact_enc: cipher.encryptOptional(person.contact, at('contact_enc')),
      age_band_enc: cipher.encryptOptional(person.ageBand, at('age_band_enc')),
      gender_enc: cipher.encryptOptional(person.gender, at('gender_enc')),
      consent_contact: 1,
      created_at: now,
    })
    .execute();
  const status = person.status ?? 'registered';
  await db
    .insertInto('registrations')
    .values({
      id: registrationId,
      event_id: eventId,
      participant_id: participantId,
      status,
      consent_listed: person.consentListed ? 1 : 0,
      consent_photos: 0,
      note_enc: cipher.encryptOptional(person.note, {
        table: 'registrations',
        column: 'note_enc',
        rowId: registrationId,
      }),
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (status === 'registered') {
    await db
      .updateTable('events')
      .set((eb) => ({ seats_taken: eb('seats_taken', '+', 1) }))
      .where('id', '=', eventId)
      .execute();
  }
  return { code, participantId, registrationId };
}

/** Every table and its columns, from the database's own catalogue. */
export async function tablesAndColumns(
  db: Kysely<DB>,
  dialect: 'sqlite' | 'postgres',
): Promise<Map<string, string[]>> {
  const { sql } = await import('kysely');
  const rows =
    dialect === 'sqlite'
      ? (
          await sql<{ table_name: string; column_name: string }>`
            select m.name as table_name, p.name as column_name
            from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table'`.execute(db)
        ).rows
      : (
          await sql<{ table_name: string; column_name: string }>`
            select table_name, column_name from information_schema.columns
            where table_schema = current_schema()`.execute(db)
        ).rows;
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.table_name, [...(map.get(r.table_name) ?? []), r.column_name]);
  return map;
}
