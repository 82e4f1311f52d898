/**
 * What attendance, the paper roster and certificates share: the event's slots with labels in the
 * reader's language, its registered participants with decrypted names, and who was present.
 */
import type { Kysely } from 'kysely';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { DB, RegistrationStatus } from '../../platform/db/schema.js';
import { formatEventDay, formatLocalTime } from '../events/dates.js';
import type { EventRow } from '../events/access.js';
import { attendanceSlots, hasCompleted } from '../programmes/slots.js';
import { groupBy, pickText } from '../programmes/texts.js';

export interface Slot {
  slot: string;
  label: string;
}

/** The event's attendance slots (days or agenda sessions), labelled for `lang`. */
export async function eventSlots(db: Kysely<DB>, event: EventRow, lang: string): Promise<Slot[]> {
  const agenda = await db
    .selectFrom('event_agenda_items')
    .select(['id', 'day', 'start_time', 'session_id', 'title'])
    .where('event_id', '=', event.id)
    .orderBy('day')
    .orderBy('position')
    .execute();
  const slots = attendanceSlots(event, agenda);
  const sessionIds = [...new Set(agenda.map((a) => a.session_id).filter((s): s is string => !!s))];
  const texts = sessionIds.length
    ? await db
        .selectFrom('curriculum_session_texts')
        .select(['session_id', 'language', 'title'])
        .where('session_id', 'in', sessionIds)
        .execute()
    : [];
  const bySession = groupBy(texts, 'session_id');
  const items = new Map(agenda.map((a) => [a.id, a]));
  return slots.map((slot) => {
    if (slot.startsWith('day:')) return { slot, label: formatEventDay(lang, slot.slice(4)) };
    const item = items.get(slot.slice(5));
    if (!item) return { slot, label: slot };
    const title =
      pickText(bySession.get(item.session_id ?? '') ?? [], lang)?.text.title ?? item.title ?? '';
    const time = item.start_time ? `, ${formatLocalTime(lang, item.start_time)}` : '';
    return { slot, label: `${formatEventDay(lang, item.day)}${time}: ${title}` };
  });
}

export interface RosterPerson {
  registrationId: string;
  participantId: string;
  name: string;
  status: RegistrationStatus;
  consentListed: boolean;
  consentPhotos: boolean;
  consentContact: boolean;
  /** Only when she agreed to be contacted afterwards. */
  contact: string | null;
  /** Slots where she was marked present. */
  present: Set<string>;
  /** The interface language she registered in, if known. */
  language: string | null;
  createdAt: string;
}

/** The event's registrations (all statuses), names decrypted, sorted by name. */
export async function eventPeople(
  db: Kysely<DB>,
  cipher: FieldCipher,
  eventId: string,
  lang: string,
): Promise<RosterPerson[]> {
  const rows = await db
    .selectFrom('registrations as r')
    .innerJoin('participants as p', 'p.id', 'r.participant_id')
    .select([
      'r.id',
      'r.status',
      'r.consent_listed',
      'r.consent_photos',
      'r.created_at',
      'r.language',
      'p.id as participant_id',
      'p.display_name_enc',
      'p.contact_enc',
      'p.consent_contact',
    ])
    .where('r.event_id', '=', eventId)
    .execute();
  const ids = rows.map((r) => r.id);
  const marks = ids.length
    ? await db
        .selectFrom('attendance')
        .select(['registration_id', 'slot'])
        .where('registration_id', 'in', ids)
        .where('present', '=', 1)
        .execute()
    : [];
  const present = groupBy(marks, 'registration_id');
  const people = rows.map((r) => {
    const place = (column: string) => ({ table: 'participants', column, rowId: r.participant_id });
    return {
      registrationId: r.id,
      participantId: r.participant_id,
      name: cipher.decrypt(r.display_name_enc, place('display_name_enc')),
      status: r.status,
      language: r.language,
      consentListed: r.consent_listed === 1,
      consentPhotos: r.consent_photos === 1,
      consentContact: r.consent_contact === 1,
      contact:
        r.consent_contact === 1
          ? cipher.decryptOptional(r.contact_enc, place('contact_enc'))
          : null,
      present: new Set((present.get(r.id) ?? []).map((m) => m.slot)),
      createdAt: r.created_at,
    };
  });
  const collator = new Intl.Collator(lang);
  return people.sort((a, b) => collator.compare(a.name, b.name));
}

/** How many of `slots` she attended, and whether that completes the event. */
export function attendanceOf(person: RosterPerson, slots: readonly Slot[]) {
  const count = slots.filter((s) => person.present.has(s.slot)).length;
  return { count, completed: hasCompleted(count, slots.length) };
}
