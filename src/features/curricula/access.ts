/**
 * Loading curricula and sessions for a signed-in person through the policies: a curriculum of
 * an unpublished work of an organisation the person has no role in answers 404; one she sees
 * but may not edit answers 403 to any change. Both before anything is written.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { forbidden, notFound } from '../../platform/http/errors.js';
import type { Staff } from '../accounts/sessions.js';
import { canEditCurriculum } from '../programmes/policies.js';
import { roleIn } from '../workspace/policies.js';
import { findCurriculum, findSession, type CurriculumRow, type SessionRow } from './repository.js';

export type Need = 'view' | 'edit';

export function canSeeCurriculum(
  staff: Staff,
  c: Pick<CurriculumRow, 'publisher_id' | 'published_at'>,
) {
  return c.published_at !== null || roleIn(staff, c.publisher_id) !== undefined;
}

export async function loadCurriculumForStaff(
  db: Kysely<DB>,
  staff: Staff,
  id: string,
  need: Need,
): Promise<CurriculumRow> {
  const curriculum = await findCurriculum(db, id);
  if (!curriculum || !canSeeCurriculum(staff, curriculum)) throw notFound('no such curriculum');
  if (need === 'edit' && !canEditCurriculum(staff, curriculum.publisher_id))
    throw forbidden('may not edit this curriculum');
  return curriculum;
}

export async function loadSessionForStaff(
  db: Kysely<DB>,
  staff: Staff,
  id: string,
  need: Need,
): Promise<{ session: SessionRow; curriculum: CurriculumRow }> {
  const session = await findSession(db, id);
  if (!session) throw notFound('no such session');
  const curriculum = await loadCurriculumForStaff(db, staff, session.curriculum_id, need);
  return { session, curriculum };
}
