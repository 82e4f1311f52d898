/**
 * Synthetic programme data written straight into the database: events, participants with
 * encrypted fields (the app's own key ring), registrations, attendance and survey answers.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FieldCipher } from '../../src/platform/crypto/field-encryption.js';
import { loadKeyRing } from '../../src/platform/crypto/key-ring.js';
import type { DB, EventKind } from '../../src/platform/db/schema.js';

export function cipherFor(dataDir: string): FieldCipher {
  return new FieldCipher(loadKeyRing({}, dataDir));
}

export async function insertEvent(
  db: Kysely<DB>,
  e: {
    organisationId: string;
    title: string;
    kind?: EventKind;
    country?: string | null;
    startsAt?: string;
    endsAt?: string;
    published?: boolean;
  },
): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('events')
    .values({
      id,
      slug: `event-${id.slice(0, 8)}`,
      organisation_id: e.organisationId,
      kind: e.kind ?? 'workshop',
      curriculum_id: null,
      starts_at: e.startsAt ?? '2025-03-10T06:00:00.000Z',
      ends_at: e.endsAt ?? '2025-03-11T14:00:00.000Z',
      time_zone: 'Africa/Nairobi',
      country: e.country === undefined ? 'KE' : e.country,
      place: 'Nairobi',
      online_url: null,
      capacity: 100,
      visibility: 'public',
      invite_token_hash: null,
      pre_instrument_id: null,
      post_instrument_id: null,
      published_at: e.published === false ? null : now,
      cancelled_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('event_texts')
    .values({ event_id: id, language: 'en', title: e.title, description: null })
    .execute();
  return id;
}

/** A participant registered for `eventId`; returns the registration id. */
export async function insertRegistration(
  db: Kysely<DB>,
  cipher: FieldCipher,
  eventId: string,
  p: {
    name: string;
    ageBand?: string | null;
    gender?: string | null;
    listed?: boolean;
    status?: 'registered' | 'waitlisted' | 'cancelled';
  },
): Promise<string> {
  const participantId = randomUUID();
  const place = (column: string) => ({ table: 'participants', column, rowId: participantId });
  const now = new Date().toISOString();
  await db
    .insertInto('participants')
    .values({
      id: participantId,
      code_hmac: cipher.blindIndex('participant-code', randomUUID()),
      display_name_enc: cipher.encrypt(p.name, place('display_name_enc')),
      contact_enc: null,
      age_band_enc: cipher.encryptOptional(p.ageBand, place('age_band_enc')),
      gender_enc: cipher.encryptOptional(p.gender, place('gender_enc')),
      created_at: now,
    })
    .execute();
  const id = randomUUID();
  await db
    .insertInto('registrations')
    .values({
      id,
      event_id: eventId,
      participant_id: participantId,
      status: p.status ?? 'registered',
      consent_listed: p.listed ? 1 : 0,
      consent_photos: 0,
      note_enc: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function markPresent(db: Kysely<DB>, registrationId: string, slots: string[]) {
  for (const slot of slots) {
    await db
      .insertInto('attendance')
      .values({
        registration_id: registrationId,
        slot,
        present: 1,
        marked_by: null,
        marked_at: new Date().toISOString(),
      })
      .execute();
  }
}

/** A Likert instrument with one skills and one confidence item. */
export async function insertInstrument(db: Kysely<DB>) {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('survey_instruments')
    .values({
      id,
      slug: `test-${id.slice(0, 8)}`,
      organisation_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const skills = randomUUID();
  const confidence = randomUUID();
  const text = randomUUID();
  await db
    .insertInto('survey_items')
    .values([
      { id: skills, instrument_id: id, position: 1, kind: 'likert', construct: 'skills' },
      { id: confidence, instrument_id: id, position: 2, kind: 'likert', construct: 'confidence' },
      { id: text, instrument_id: id, position: 3, kind: 'single', construct: null },
    ])
    .execute();
  return { id, skills, confidence, single: text };
}

export async function insertResponse(
  db: Kysely<DB>,
  instrument: Awaited<ReturnType<typeof insertInstrument>>,
  registrationId: string,
  phase: 'pre' | 'post',
  values: { skills: number; confidence: number },
) {
  const id = randomUUID();
  await db
    .insertInto('survey_responses')
    .values({
      id,
      registration_id: registrationId,
      phase,
      instrument_id: instrument.id,
      language: 'en',
      submitted_at: new Date().toISOString(),
    })
    .execute();
  await db
    .insertInto('survey_answers')
    .values([
      { response_id: id, item_id: instrument.skills, value: values.skills },
      { response_id: id, item_id: instrument.confidence, value: values.confidence },
      // A single-choice answer (not Likert): must not count in the means.
      { response_id: id, item_id: instrument.single, value: 4 },
    ])
    .execute();
}
