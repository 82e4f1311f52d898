/**
 * Loading an event for a signed-in person through the policies: an event of an organisation the
 * person has no role in answers 404 (as if it did not exist); one she sees but may not act on in
 * that way answers 403. Every event sub-page (agenda, participants, attendance, surveys,
 * projects, certificates) starts here.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DB, EventTable } from '../../platform/db/schema.js';
import { forbidden, notFound } from '../../platform/http/errors.js';
import type { Staff } from '../accounts/sessions.js';
import { roleIn } from '../workspace/policies.js';
import { canRunEvents, canSeeParticipants } from '../programmes/policies.js';
import { pickText, type Picked } from '../programmes/texts.js';

export type EventRow = Selectable<EventTable>;

export interface StaffEvent {
  event: EventRow;
  /** The title in the person's interface language, or its fallback. */
  title: Picked<{ language: string; title: string; description: string | null }>;
  /** Whether the person may see participants' names, contacts and answers. */
  seesParticipants: boolean;
}

/**
 * `need`: 'view' (any role in the organisation), 'run' (edit, attendance, projects) or
 * 'participants' (personal data).
 */
export async function loadEventForStaff(
  db: Kysely<DB>,
  staff: Staff,
  id: string,
  lang: string,
  need: 'view' | 'run' | 'participants',
): Promise<StaffEvent> {
  const event = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  if (!event || roleIn(staff, event.organisation_id) === undefined) throw notFound('no such event');
  if (need === 'run' && !canRunEvents(staff, event.organisation_id)) throw forbidden('not yours');
  const seesParticipants = canSeeParticipants(staff, event.organisation_id);
  if (need === 'participants' && !seesParticipants) throw forbidden('participants not yours');
  const texts = await db
    .selectFrom('event_texts')
    .select(['language', 'title', 'description'])
    .where('event_id', '=', id)
    .execute();
  const title = pickText(texts, lang) ?? {
    text: { language: 'en', title: event.slug, description: null },
    fallbackLanguage: 'en',
    dir: 'ltr' as const,
  };
  return { event, title, seesParticipants };
}
