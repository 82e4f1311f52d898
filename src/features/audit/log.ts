/**
 * The audit log: who changed what, when. Written in the same transaction as the change, so a
 * change without its entry (or an entry without its change) cannot exist. No client addresses.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLogTable, DB } from '../../platform/db/schema.js';

export interface Actor {
  userId: string | null;
  /** Username, or "cli" for the command line. */
  name: string;
}

export const CLI_ACTOR: Actor = { userId: null, name: 'cli' };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  organisationId?: string | null;
  /** The fields that changed and their new values; never passwords, secrets or tokens. */
  detail?: Record<string, unknown>;
}

export async function recordAudit(
  db: Kysely<DB>,
  actor: Actor,
  entry: AuditEntry,
  now = new Date(),
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      at: now.toISOString(),
      user_id: actor.userId,
      actor: actor.name,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      organisation_id: entry.organisationId ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .execute();
}

export async function auditEntries(
  db: Kysely<DB>,
  filter: { organisationIds?: readonly string[] | undefined; limit: number; offset: number },
): Promise<AuditLogTable[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.organisationIds) {
    if (filter.organisationIds.length === 0) return [];
    query = query.where('organisation_id', 'in', filter.organisationIds);
  }
  return query
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}
