/**
 * The translation workflow: draft -> in review -> published, and back. Pure functions of the
 * person, the work and the edition's status, used both to offer buttons and to check a request.
 */
import type { EditionStatus } from '../../platform/db/schema.js';
import type { Staff } from '../accounts/sessions.js';
import { canEditEditions, canPublish, type WorkScope } from './policies.js';
import type { EditionActions } from './views/editions.js';

type Who = Pick<Staff, 'memberships'>;

export function canMove(
  who: Who,
  work: WorkScope,
  from: EditionStatus,
  to: EditionStatus,
): boolean {
  if (from === to) return false;
  if (to === 'in_review') return from === 'draft' && canEditEditions(who, work);
  if (to === 'published') return canPublish(who, work);
  // Back to draft: a reviewer returns it, or an editor unpublishes it.
  return from === 'in_review' ? canEditEditions(who, work) : canPublish(who, work);
}

/** Translators edit drafts and editions in review; a published text changes only by an editor. */
export function canEditEdition(who: Who, work: WorkScope, status: EditionStatus): boolean {
  return canEditEditions(who, work) && (status !== 'published' || canPublish(who, work));
}

export function editionActions(who: Who, work: WorkScope, status: EditionStatus): EditionActions {
  return {
    edit: canEditEdition(who, work, status),
    submit: canMove(who, work, status, 'in_review'),
    publish: canMove(who, work, status, 'published'),
    returnToDraft: status === 'in_review' && canMove(who, work, status, 'draft'),
    unpublish: status === 'published' && canMove(who, work, status, 'draft'),
  };
}
