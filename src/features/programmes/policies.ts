/**
 * Who may do what with curricula, events, participants, surveys, projects and reports: small
 * pure functions, like workspace/policies.ts.
 *
 * Participants' personal data is seen only by the staff of the organisation running the event
 * (its org admins and trainers); a network admin sees it only for the hub's own events. The hub
 * sees every partner's work through aggregate impact reports, never through participant lists.
 */
import type { Role } from '../../platform/db/schema.js';
import type { Staff } from '../accounts/sessions.js';
import { isNetworkAdmin, roleIn } from '../workspace/policies.js';

type Who = Pick<Staff, 'memberships'>;

const RUN_EVENTS: readonly Role[] = ['network_admin', 'org_admin', 'trainer'];
const EDIT_CURRICULA: readonly Role[] = ['network_admin', 'org_admin', 'editor'];

/** Membership held in the organisation itself (not through the network admin role). */
function ownRole(who: Who, organisationId: string): Role | undefined {
  return who.memberships.find((m) => m.organisationId === organisationId)?.role;
}

/** Create and edit events, agendas, attendance, projects and certificates of the organisation. */
export function canRunEvents(who: Who, organisationId: string): boolean {
  const role = roleIn(who, organisationId);
  return role !== undefined && RUN_EVENTS.includes(role);
}

/** See names, contacts and answers of the organisation's participants: its own staff only. */
export function canSeeParticipants(who: Who, organisationId: string): boolean {
  const role = ownRole(who, organisationId);
  return role !== undefined && RUN_EVENTS.includes(role);
}

/** Edit the curriculum of a work published by `organisationId` (null: nobody's but admins'). */
export function canEditCurriculum(who: Who, organisationId: string | null): boolean {
  const role = roleIn(who, organisationId);
  return role !== undefined && EDIT_CURRICULA.includes(role);
}

/** Edit a survey instrument: the network's own (organisation null) only network admins. */
export function canEditInstrument(who: Who, organisationId: string | null): boolean {
  if (organisationId === null) return isNetworkAdmin(who);
  const role = roleIn(who, organisationId);
  return role === 'network_admin' || role === 'org_admin';
}

/**
 * The organisations whose impact the person may see: network admins all of them (undefined),
 * others the organisations where they run events or administer.
 */
export function reportOrganisations(who: Who): string[] | undefined {
  if (isNetworkAdmin(who)) return undefined;
  return who.memberships.filter((m) => RUN_EVENTS.includes(m.role)).map((m) => m.organisationId);
}

/**
 * Act on a participant's rights request (export, erase) made to the organisation: its own org
 * admins (a network admin for the hub's events, as a member of the hub).
 */
export function canHandleRightsRequests(who: Who, organisationId: string): boolean {
  const role = ownRole(who, organisationId);
  return role === 'org_admin' || role === 'network_admin';
}
