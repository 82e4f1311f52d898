/**
 * Sessions live in the database, so that any instance can serve any request. The cookie holds a
 * random token; the table holds only its SHA-256, so a leaked table or backup gives no session.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../platform/db/schema.js';

export interface SessionLimits {
  idleMinutes: number;
  absoluteHours: number;
}

export interface Membership {
  organisationId: string;
  organisationSlug: string;
  organisationName: string;
  organisationKind: 'hub' | 'partner';
  role: Role;
}

/** The signed-in person behind a request. */
export interface Staff {
  userId: string;
  username: string;
  displayName: string;
  totpEnabled: boolean;
  memberships: Membership[];
  sessionHash: string;
  csrfToken: string;
}

/** last_seen_at is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Admins' sessions end three times sooner when idle: theirs are the accounts worth stealing. */
export function idleLimitMs(limits: SessionLimits, memberships: readonly Membership[]): number {
  const admin = memberships.some((m) => m.role === 'network_admin' || m.role === 'org_admin');
  return (limits.idleMinutes * 60_000) / (admin ? 3 : 1);
}

export async function createSession(
  db: Kysely<DB>,
  userId: string,
  options: { secondFactorPending: boolean; now: Date; limits: SessionLimits },
): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = options.now;
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      csrf_token: csrfToken,
      second_factor_pending: options.secondFactorPending ? 1 : 0,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + options.limits.absoluteHours * 3_600_000).toISOString(),
    })
    .execute();
  return { token, csrfToken };
}

export async function membershipsOf(db: Kysely<DB>, userId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .where('m.user_id', '=', userId)
    .select(['m.organisation_id', 'm.role', 'o.slug', 'o.name', 'o.kind'])
    .orderBy('o.name')
    .execute();
  return rows.map((r) => ({
    organisationId: r.organisation_id,
    organisationSlug: r.slug,
    organisationName: r.name,
    organisationKind: r.kind,
    role: r.role,
  }));
}

export interface LoadedSession {
  staff: Staff;
  secondFactorPending: boolean;
}

/**
 * The session behind a cookie token, or undefined when there is none, it has timed out, or its
 * user is disabled. Expired sessions are deleted on sight.
 */
export async function loadSession(
  db: Kysely<DB>,
  token: string | undefined,
  now: Date,
  limits: SessionLimits,
): Promise<LoadedSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const idHash = hashToken(token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .where('s.id_hash', '=', idHash)
    .select([
      's.csrf_token',
      's.second_factor_pending',
      's.last_seen_at',
      's.expires_at',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'u.totp_enabled_at',
      'u.disabled_at',
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  const memberships = await membershipsOf(db, row.user_id);
  const idleFor = now.getTime() - Date.parse(row.last_seen_at);
  if (
    row.disabled_at !== null ||
    now.toISOString() >= row.expires_at ||
    idleFor >= idleLimitMs(limits, memberships)
  ) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return undefined;
  }
  if (idleFor >= TOUCH_INTERVAL_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('id_hash', '=', idHash)
      .execute();
  }
  return {
    secondFactorPending: row.second_factor_pending === 1,
    staff: {
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      totpEnabled: row.totp_enabled_at !== null,
      memberships,
      sessionHash: idHash,
      csrfToken: row.csrf_token,
    },
  };
}

export async function endSession(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user, but the one named by `keepHash` (the current one), if any. */
export async function endUserSessions(
  db: Kysely<DB>,
  userId: string,
  keepHash?: string,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .$if(keepHash !== undefined, (q) => q.where('id_hash', '!=', keepHash!))
    .execute();
}
