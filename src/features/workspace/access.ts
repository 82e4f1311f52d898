/**
 * Loading what a route acts on, through the policies. Something a person may not even see answers
 * 404, as if it did not exist (no probing other organisations' ids); something visible that they
 * may not change answers 403. Both before anything is written.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { forbidden, notFound } from '../../platform/http/errors.js';
import type { Staff } from '../accounts/sessions.js';
import { canViewWork, type WorkScope } from './policies.js';
import { findEdition, findWork, type WorkspaceEdition, type WorkspaceWork } from './repository.js';

export const ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export function scopeOf(work: WorkspaceWork): WorkScope {
  return { organisationId: work.publisher_id, published: work.published_at !== null };
}

export async function loadWork(
  db: Kysely<DB>,
  staff: Staff,
  id: string,
  allowed?: (staff: Staff, scope: WorkScope) => boolean,
): Promise<WorkspaceWork> {
  const work = await findWork(db, id);
  if (!work || !canViewWork(staff, scopeOf(work))) throw notFound('no such work');
  if (allowed && !allowed(staff, scopeOf(work))) throw forbidden('not allowed on this work');
  return work;
}

export async function loadEdition(
  db: Kysely<DB>,
  staff: Staff,
  id: string,
): Promise<{ edition: WorkspaceEdition; work: WorkspaceWork }> {
  const edition = await findEdition(db, id);
  if (!edition) throw notFound('no such edition');
  const work = await findWork(db, edition.work_id);
  // A draft edition of a published work is still its organisation's business.
  if (
    !work ||
    !canViewWork(staff, {
      ...scopeOf(work),
      published: scopeOf(work).published && edition.status === 'published',
    })
  ) {
    throw notFound('no such edition');
  }
  return { edition, work };
}
