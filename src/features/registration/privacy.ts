/**
 * Export and erase of what registration holds about a participant: her profile (participants),
 * her registrations with their notes, her attendance and her certificates.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { PrivacyProvider } from '../privacy/registry.js';
import { cancelRegistration } from './seats.js';

async function eventTitles(db: Kysely<DB>, eventIds: string[]): Promise<Map<string, string>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('event_texts')
    .select(['event_id', 'language', 'title'])
    .where('event_id', 'in', eventIds)
    .orderBy('language')
    .execute();
  const titles = new Map<string, string>();
  // English when there is one, else the first language: an export is a record, not a page.
  for (const row of rows) {
    if (!titles.has(row.event_id) || row.language === 'en') titles.set(row.event_id, row.title);
  }
  return titles;
}

export const registrationPrivacy: PrivacyProvider = {
  name: 'registrations',
  tables: ['participants', 'registrations', 'attendance', 'certificates'],

  async export(db, participantId, { cipher, organisations }) {
    const person = await db
      .selectFrom('participants')
      .selectAll()
      .where('id', '=', participantId)
      .executeTakeFirst();
    if (!person) return null;
    const place = (column: string) => ({ table: 'participants', column, rowId: person.id });
    const registrations = await db
      .selectFrom('registrations')
      .innerJoin('events', 'events.id', 'registrations.event_id')
      .select([
        'registrations.id',
        'registrations.event_id',
        'events.slug as event_slug',
        'events.starts_at',
        'registrations.status',
        'registrations.consent_listed',
        'registrations.consent_photos',
        'registrations.note_enc',
        'registrations.created_at',
        'registrations.updated_at',
      ])
      .where('registrations.participant_id', '=', participantId)
      .$if(organisations !== undefined, (q) =>
        q.where('events.organisation_id', 'in', [...organisations!, '']),
      )
      .orderBy('events.starts_at')
      .execute();
    const ids = registrations.map((r) => r.id);
    const attendance = ids.length
      ? await db
          .selectFrom('attendance')
          .select(['registration_id', 'slot', 'present', 'marked_at'])
          .where('registration_id', 'in', ids)
          .orderBy('slot')
          .execute()
      : [];
    const certificates = ids.length
      ? await db
          .selectFrom('certificates')
          .select(['registration_id', 'verification_code', 'language', 'issued_at', 'revoked_at'])
          .where('registration_id', 'in', ids)
          .execute()
      : [];
    const titles = await eventTitles(db, [...new Set(registrations.map((r) => r.event_id))]);
    return {
      participant: {
        id: person.id,
        displayName: cipher.decrypt(person.display_name_enc, place('display_name_enc')),
        contact: cipher.decryptOptional(person.contact_enc, place('contact_enc')),
        ageBand: cipher.decryptOptional(person.age_band_enc, place('age_band_enc')),
        gender: cipher.decryptOptional(person.gender_enc, place('gender_enc')),
        consentToContact: person.consent_contact === 1,
        createdAt: person.created_at,
      },
      events: registrations.map((r) => ({
        event: { slug: r.event_slug, title: titles.get(r.event_id) ?? r.event_slug },
        startsAt: r.starts_at,
        status: r.status,
        consentToAppearInLists: r.consent_listed === 1,
        consentToPhotos: r.consent_photos === 1,
        note: cipher.decryptOptional(r.note_enc, {
          table: 'registrations',
          column: 'note_enc',
          rowId: r.id,
        }),
        registeredAt: r.created_at,
        updatedAt: r.updated_at,
        attendance: attendance
          .filter((a) => a.registration_id === r.id)
          .map((a) => ({ slot: a.slot, present: a.present === 1, markedAt: a.marked_at })),
        certificates: certificates
          .filter((c) => c.registration_id === r.id)
          .map((c) => ({
            verificationCode: c.verification_code,
            language: c.language,
            issuedAt: c.issued_at,
            revokedAt: c.revoked_at,
          })),
      })),
    };
  },

  async erase(trx, participantId, { now }) {
    // Her seats go to the waiting lists first, as if she had cancelled.
    const held = await trx
      .selectFrom('registrations')
      .select('id')
      .where('participant_id', '=', participantId)
      .where('status', '!=', 'cancelled')
      .execute();
    for (const registration of held) await cancelRegistration(trx, registration.id, now);
    // Registrations, attendance and certificates go with her (ON DELETE CASCADE), in this
    // transaction; SQLite's secure_delete overwrites the freed pages.
    await trx.deleteFrom('participants').where('id', '=', participantId).execute();
  },
};
