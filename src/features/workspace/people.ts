/** The staff of organisations, as their administrators see and manage them. */
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../platform/db/schema.js';

export interface Person {
  id: string;
  username: string;
  display_name: string;
  disabled_at: string | null;
  totp_enabled_at: string | null;
  memberships: { organisationId: string; organisationName: string; role: Role }[];
}

export async function peopleOf(
  db: Kysely<DB>,
  organisationIds: readonly string[],
): Promise<Person[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .where('u.id', 'in', (eb) =>
      eb
        .selectFrom('memberships')
        .select('user_id')
        .where('organisation_id', 'in', [...organisationIds]),
    )
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.disabled_at',
      'u.totp_enabled_at',
      'm.organisation_id',
      'o.name',
      'm.role',
    ])
    .orderBy('u.username')
    .execute();
  const people = new Map<string, Person>();
  for (const r of rows) {
    const person = people.get(r.id) ?? {
      id: r.id,
      username: r.username,
      display_name: r.display_name,
      disabled_at: r.disabled_at,
      totp_enabled_at: r.totp_enabled_at,
      memberships: [],
    };
    person.memberships.push({
      organisationId: r.organisation_id,
      organisationName: r.name,
      role: r.role,
    });
    people.set(r.id, person);
  }
  return [...people.values()];
}

export async function personById(db: Kysely<DB>, id: string): Promise<Person | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'disabled_at', 'totp_enabled_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!user) return undefined;
  const memberships = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.organisation_id', 'o.name', 'm.role'])
    .where('m.user_id', '=', id)
    .execute();
  return {
    ...user,
    memberships: memberships.map((m) => ({
      organisationId: m.organisation_id,
      organisationName: m.name,
      role: m.role,
    })),
  };
}
