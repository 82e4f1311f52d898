/**
 * Who may do what, as small pure functions of the signed-in person and the thing acted on. Every
 * route asks one of these before it reads or writes anything of an organisation.
 *
 * Roles are per organisation. A network admin (a role of the hub) acts in every organisation;
 * everyone else acts only in their own. Published works are visible to all staff; drafts, audit
 * entries and anything else of an organisation only to its own staff.
 */
import type { Role } from '../../platform/db/schema.js';
import type { Membership, Staff } from '../accounts/sessions.js';

type Who = Pick<Staff, 'memberships'>;

/** A work as policies see it: whose it is, and whether it is public. */
export interface WorkScope {
  organisationId: string | null;
  published: boolean;
}

const EDIT_WORKS: readonly Role[] = ['network_admin', 'org_admin', 'editor'];
const EDIT_EDITIONS: readonly Role[] = ['network_admin', 'org_admin', 'editor', 'translator'];
const ADMINISTER: readonly Role[] = ['network_admin', 'org_admin'];

export function isNetworkAdmin(who: Who): boolean {
  return who.memberships.some((m) => m.role === 'network_admin');
}

/** The person's role in an organisation; a network admin has that role everywhere. */
export function roleIn(who: Who, organisationId: string | null): Role | undefined {
  if (isNetworkAdmin(who)) return 'network_admin';
  if (organisationId === null) return undefined;
  return who.memberships.find((m: Membership) => m.organisationId === organisationId)?.role;
}

function hasRole(who: Who, organisationId: string | null, roles: readonly Role[]): boolean {
  const role = roleIn(who, organisationId);
  return role !== undefined && roles.includes(role);
}

/** The organisations whose drafts and data the person sees; undefined means all of them. */
export function visibleOrganisations(who: Who): string[] | undefined {
  if (isNetworkAdmin(who)) return undefined;
  return who.memberships.map((m) => m.organisationId);
}

export function canViewWork(who: Who, work: WorkScope): boolean {
  return work.published || roleIn(who, work.organisationId) !== undefined;
}

export function canCreateWork(who: Who, organisationId: string): boolean {
  return hasRole(who, organisationId, EDIT_WORKS);
}

export function canEditWork(who: Who, work: WorkScope): boolean {
  return hasRole(who, work.organisationId, EDIT_WORKS);
}

/** Publishing and unpublishing a work or an edition: editors and admins of its organisation. */
export function canPublish(who: Who, work: WorkScope): boolean {
  return hasRole(who, work.organisationId, EDIT_WORKS);
}

/** Adding and editing editions, and sending them for review: translators too. */
export function canEditEditions(who: Who, work: WorkScope): boolean {
  return hasRole(who, work.organisationId, EDIT_EDITIONS);
}

export function canViewAudit(who: Who, organisationId: string): boolean {
  return hasRole(who, organisationId, ADMINISTER);
}

/** The organisations in which the person may create works. */
export function organisationsForNewWorks(who: Who, all: readonly { id: string }[]): string[] {
  return all.filter((o) => canCreateWork(who, o.id)).map((o) => o.id);
}

/** The organisations whose people the person manages (org admins: theirs; network admins: all). */
export function administeredOrganisations(who: Who, all: readonly { id: string }[]): string[] {
  return all.filter((o) => canViewAudit(who, o.id)).map((o) => o.id);
}

/**
 * Whether the person may disable, enable or reset the account of someone with these
 * memberships: a network admin anyone else; an org admin someone only of their organisations,
 * and never a network admin.
 */
export function canManagePerson(
  who: Who & { userId: string },
  target: { userId: string; memberships: readonly Pick<Membership, 'organisationId' | 'role'>[] },
): boolean {
  if (target.userId === who.userId) return false;
  if (isNetworkAdmin(who)) return true;
  if (target.memberships.length === 0) return false;
  return target.memberships.every(
    (m) => m.role !== 'network_admin' && roleIn(who, m.organisationId) === 'org_admin',
  );
}

/** Roles the person may give in an organisation: below their own, network admin only in the hub. */
export function assignableRoles(who: Who, organisation: { id: string; kind: string }): Role[] {
  if (isNetworkAdmin(who)) {
    return organisation.kind === 'hub'
      ? ['network_admin', 'org_admin', 'editor', 'translator', 'trainer']
      : ['org_admin', 'editor', 'translator', 'trainer'];
  }
  return roleIn(who, organisation.id) === 'org_admin'
    ? ['org_admin', 'editor', 'translator', 'trainer']
    : [];
}
