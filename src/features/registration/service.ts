/**
 * Registering for an event without an account, and finding a participant again by her code.
 * Every personal field is encrypted with its real place (table, column, row id) before it is
 * written; the code exists only as an HMAC. A refused registration writes nothing.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely, Selectable } from 'kysely';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { DB, EventTable, RegistrationStatus } from '../../platform/db/schema.js';
import { splitLanguagePrefix } from '../../platform/http/pages.js';
import { formField } from '../accounts/csrf.js';
import { pickText, type Picked } from '../programmes/texts.js';
import { newParticipantCode, normaliseParticipantCode, participantCodeIndex } from './codes.js';
import { promoteWaitlisted, takeSeat, waitlistPosition } from './seats.js';

export const AGE_BANDS = ['under18', '18-24', '25-34', '35-44', '45-54', '55plus'] as const;
export const GENDERS = ['woman', 'man', 'another', 'unsaid'] as const;

export const NAME_MAX = 80;
export const CONTACT_MAX = 200;
export const NOTE_MAX = 1000;

export type FieldErrors = Record<string, string>;

export interface RegistrationForm {
  displayName: string;
  contact: string;
  ageBand: string;
  gender: string;
  note: string;
  consentListed: boolean;
  consentPhotos: boolean;
  consentContact: boolean;
  /** "I already have a participant code" */
  code: string;
  /** The interface language of the form: her certificate's language by default. */
  language: string;
}

/** Text as typed: NFC, no control characters but newlines, trimmed; never cut (we check length). */
export function typedText(raw: string | undefined): string {
  return (raw ?? '')
    .normalize('NFC')
    .replace(/\p{Cc}/gu, (c) => (c === '\n' ? c : ''))
    .trim();
}

export function readRegistrationForm(request: FastifyRequest): RegistrationForm {
  const f = (name: string) => typedText(formField(request, name));
  const ticked = (name: string) => formField(request, name) === '1';
  return {
    displayName: f('display_name').replace(/\s+/g, ' '),
    contact: f('contact'),
    ageBand: f('age_band'),
    gender: f('gender'),
    note: f('note'),
    consentListed: ticked('consent_listed'),
    consentPhotos: ticked('consent_photos'),
    consentContact: ticked('consent_contact'),
    code: (formField(request, 'code') ?? '').slice(0, 100),
    language: splitLanguagePrefix(request.url).lang,
  };
}

/** Problems with the form's own fields (the code is checked against the database later). */
export function checkRegistrationForm(form: RegistrationForm): FieldErrors {
  const errors: FieldErrors = {};
  const returning = form.code.trim() !== '';
  if (!returning && form.displayName === '')
    errors.display_name = 'registration.error.nameRequired';
  if ([...form.displayName].length > NAME_MAX)
    errors.display_name = 'registration.error.nameTooLong';
  if ([...form.contact].length > CONTACT_MAX) errors.contact = 'registration.error.contactTooLong';
  if ([...form.note].length > NOTE_MAX) errors.note = 'registration.error.noteTooLong';
  if (form.ageBand && !(AGE_BANDS as readonly string[]).includes(form.ageBand))
    errors.age_band = 'registration.error.choice';
  if (form.gender && !(GENDERS as readonly string[]).includes(form.gender))
    errors.gender = 'registration.error.choice';
  return errors;
}

export type EventRow = Selectable<EventTable>;

export interface PublicEvent {
  event: EventRow;
  title: Picked<{ language: string; title: string; description: string | null }>;
  organisation: string;
}

/** A published event by slug, with its title in the reader's language; undefined if none. */
export async function loadPublicEvent(
  db: Kysely<DB>,
  slug: string,
  lang: string,
): Promise<PublicEvent | undefined> {
  const event = await db
    .selectFrom('events')
    .selectAll()
    .where('slug', '=', slug)
    .where('published_at', 'is not', null)
    .executeTakeFirst();
  if (!event) return undefined;
  return describeEvent(db, event, lang);
}

export async function describeEvent(
  db: Kysely<DB>,
  event: EventRow,
  lang: string,
): Promise<PublicEvent> {
  const texts = await db
    .selectFrom('event_texts')
    .select(['language', 'title', 'description'])
    .where('event_id', '=', event.id)
    .execute();
  const org = await db
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', event.organisation_id)
    .executeTakeFirst();
  const title = pickText(texts, lang) ?? {
    text: { language: 'en', title: event.slug, description: null },
    fallbackLanguage: 'en',
    dir: 'ltr' as const,
  };
  return { event, title, organisation: org?.name ?? '' };
}

/**
 * Whether `token` opens the invite-only event: compared with the stored SHA-256 (hex or
 * base64url) in constant time.
 */
export function inviteMatches(event: EventRow, token: string | undefined): boolean {
  if (event.visibility !== 'invite') return true;
  if (!event.invite_token_hash || !token || token.length > 200) return false;
  const digest = createHash('sha256').update(token, 'utf8').digest();
  const stored = event.invite_token_hash.trim();
  const candidates = [
    digest.toString('hex'),
    digest.toString('base64url'),
    digest.toString('base64'),
  ];
  return candidates.some((c) => {
    const a = Buffer.from(c);
    const b = Buffer.from(stored);
    return a.length === b.length && timingSafeEqual(a, b);
  });
}

/** Why an event takes no registration now (a message key), or undefined when it does. */
export function registrationClosed(event: EventRow, now: Date): string | undefined {
  if (event.cancelled_at !== null) return 'registration.error.cancelled';
  if (new Date(event.starts_at).getTime() <= now.getTime()) return 'registration.error.closed';
  return undefined;
}

/** The participant a typed code belongs to. Always computes the HMAC, whatever was typed. */
export async function findParticipantByCode(
  db: Kysely<DB>,
  cipher: FieldCipher,
  typed: string,
): Promise<{ id: string } | undefined> {
  const { hmac, valid } = participantCodeIndex(cipher, typed);
  const row = await db
    .selectFrom('participants')
    .select('id')
    .where('code_hmac', '=', hmac)
    .executeTakeFirst();
  return valid ? row : undefined;
}

export type RegisterOutcome =
  | {
      ok: true;
      registrationId: string;
      status: RegistrationStatus;
      /** The new participant's code, to show once; undefined for a returning participant. */
      newCode: string | undefined;
      position: number | undefined;
    }
  | { ok: false; error: string; field?: string; status: number };

class Refused extends Error {
  constructor(
    readonly key: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(key);
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /unique/i.test(e.message ?? '')
  );
}

/**
 * Registers: a new participant (new code), or a returning one found by her code. One
 * transaction: the participant, the seat (or waiting-list place) and the registration are
 * written together or not at all.
 */
export async function registerParticipant(
  deps: { db: Kysely<DB>; cipher: FieldCipher },
  eventId: string,
  form: RegistrationForm,
  now: Date,
): Promise<RegisterOutcome> {
  const { db, cipher } = deps;
  const returning = form.code.trim() !== '';
  const found = returning ? await findParticipantByCode(db, cipher, form.code) : undefined;
  if (returning && !found) {
    return { ok: false, error: 'registration.error.code', field: 'code', status: 422 };
  }
  const newCode = returning ? undefined : newParticipantCode();
  const stamp = now.toISOString();
  try {
    const result = await db.transaction().execute(async (trx) => {
      const event = await trx
        .selectFrom('events')
        .selectAll()
        .where('id', '=', eventId)
        .executeTakeFirst();
      if (!event || event.published_at === null) throw new Refused('registration.error.gone', 404);
      const closed = registrationClosed(event, now);
      if (closed) throw new Refused(closed, 409);

      let participantId: string;
      if (found) {
        participantId = found.id;
        const place = (column: string) => ({ table: 'participants', column, rowId: participantId });
        const changes: Record<string, string | number> = {
          consent_contact: form.consentContact ? 1 : 0,
        };
        if (form.displayName)
          changes.display_name_enc = cipher.encrypt(form.displayName, place('display_name_enc'));
        if (form.contact) changes.contact_enc = cipher.encrypt(form.contact, place('contact_enc'));
        if (form.ageBand)
          changes.age_band_enc = cipher.encrypt(form.ageBand, place('age_band_enc'));
        if (form.gender) changes.gender_enc = cipher.encrypt(form.gender, place('gender_enc'));
        await trx
          .updateTable('participants')
          .set(changes)
          .where('id', '=', participantId)
          .execute();
      } else {
        participantId = randomUUID();
        const place = (column: string) => ({ table: 'participants', column, rowId: participantId });
        await trx
          .insertInto('participants')
          .values({
            id: participantId,
            code_hmac: cipher.blindIndex('participant-code', normaliseParticipantCode(newCode!)!),
            display_name_enc: cipher.encrypt(form.displayName, place('display_name_enc')),
            contact_enc: cipher.encryptOptional(form.contact, place('contact_enc')),
            age_band_enc: cipher.encryptOptional(form.ageBand, place('age_band_enc')),
            gender_enc: cipher.encryptOptional(form.gender, place('gender_enc')),
            consent_contact: form.consentContact ? 1 : 0,
            created_at: stamp,
          })
          .execute();
      }

      const existing = await trx
        .selectFrom('registrations')
        .select(['id', 'status'])
        .where('event_id', '=', eventId)
        .where('participant_id', '=', participantId)
        .executeTakeFirst();
      if (existing && existing.status !== 'cancelled') {
        throw new Refused('registration.error.already', 409, 'code');
      }
      // Seats freed while people wait go to them first, then to newcomers.
      await promoteWaitlisted(trx, eventId, now);
      const status = await takeSeat(trx, eventId);
      const registrationId = existing?.id ?? randomUUID();
      const note = cipher.encryptOptional(form.note, {
        table: 'registrations',
        column: 'note_enc',
        rowId: registrationId,
      });
      const fields = {
        status,
        consent_listed: form.consentListed ? 1 : 0,
        consent_photos: form.consentPhotos ? 1 : 0,
        note_enc: note,
        language: form.language,
        created_at: stamp,
        updated_at: stamp,
      };
      if (existing) {
        await trx.updateTable('registrations').set(fields).where('id', '=', existing.id).execute();
      } else {
        await trx
          .insertInto('registrations')
          .values({
            id: registrationId,
            event_id: eventId,
            participant_id: participantId,
            ...fields,
          })
          .execute();
      }
      return { registrationId, status };
    });
    const position =
      result.status === 'waitlisted'
        ? await waitlistPosition(db, result.registrationId)
        : undefined;
    return { ok: true, ...result, newCode, position };
  } catch (error) {
    if (error instanceof Refused)
      return {
        ok: false,
        error: error.key,
        status: error.status,
        ...(error.field ? { field: error.field } : {}),
      };
    // The same code twice at the same moment: the unique (event, participant) pair says no.
    if (isUniqueViolation(error))
      return { ok: false, error: 'registration.error.already', field: 'code', status: 409 };
    throw error;
  }
}

export interface ParticipantRegistration {
  id: string;
  status: RegistrationStatus;
  event: PublicEvent;
  position: number | undefined;
  certificate: { id: string; language: string; revoked: boolean } | undefined;
}

/** A participant's registrations, newest event first, with titles in `lang`. */
export async function participantRegistrations(
  db: Kysely<DB>,
  participantId: string,
  lang: string,
): Promise<ParticipantRegistration[]> {
  const rows = await db
    .selectFrom('registrations as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .leftJoin('certificates as c', 'c.registration_id', 'r.id')
    .select([
      'r.id as registration_id',
      'r.status',
      'e.id as event_id',
      'c.id as certificate_id',
      'c.language as certificate_language',
      'c.revoked_at',
    ])
    .where('r.participant_id', '=', participantId)
    .orderBy('e.starts_at', 'desc')
    .execute();
  const out: ParticipantRegistration[] = [];
  for (const row of rows) {
    const event = await db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', row.event_id)
      .executeTakeFirstOrThrow();
    out.push({
      id: row.registration_id,
      status: row.status,
      event: await describeEvent(db, event, lang),
      position:
        row.status === 'waitlisted' ? await waitlistPosition(db, row.registration_id) : undefined,
      certificate:
        row.certificate_id && row.certificate_language
          ? {
              id: row.certificate_id,
              language: row.certificate_language,
              revoked: row.revoked_at !== null,
            }
          : undefined,
    });
  }
  return out;
}
