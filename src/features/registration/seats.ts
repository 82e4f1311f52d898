/**
 * The no-overbooking rule. `events.seats_taken` changes only here, and only by guarded UPDATEs
 * run inside the caller's transaction:
 *
 *   UPDATE events SET seats_taken = seats_taken + 1 WHERE id = ? AND seats_taken < capacity
 *
 * One row updated: she has a seat; none: she is on the waiting list. On PostgreSQL two such
 * statements on the same event serialise on the row lock, and the second re-checks the WHERE
 * against the row the first committed (READ COMMITTED re-evaluation), so the count can never pass
 * the capacity. On SQLite every write transaction takes the database write lock up front (BEGIN
 * IMMEDIATE, see platform/db/sqlite-dialect.ts) on the app's single connection: transactions run
 * one after the other. The UPDATE also locks the event row for the rest of the transaction, so
 * the cancellations and promotions of one event run one at a time as well.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, RegistrationStatus } from '../../platform/db/schema.js';
import { bumpContentVersion } from '../../platform/db/content-version.js';

type Trx = Transaction<DB> | Kysely<DB>;

/** Takes a seat if one is free: 'registered', else 'waitlisted'. Call inside a transaction. */
export async function takeSeat(trx: Trx, eventId: string): Promise<'registered' | 'waitlisted'> {
  const result = await trx
    .updateTable('events')
    .set((eb) => ({ seats_taken: eb('seats_taken', '+', 1) }))
    .where('id', '=', eventId)
    .whereRef('seats_taken', '<', 'capacity')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return 'waitlisted';
  // Public event pages show the seats left: every instance renders them afresh.
  await bumpContentVersion(trx);
  return 'registered';
}

/** Gives a seat back (never below zero). */
async function freeSeat(trx: Trx, eventId: string): Promise<void> {
  await bumpContentVersion(trx);
  await trx
    .updateTable('events')
    .set((eb) => ({ seats_taken: eb('seats_taken', '-', 1) }))
    .where('id', '=', eventId)
    .where('seats_taken', '>', 0)
    .execute();
}

/**
 * Gives free seats to the oldest waitlisted registrations, as long as seats are free; returns
 * the ids of the promoted registrations. Also for the event pages when the capacity grows.
 */
export async function promoteWaitlisted(trx: Trx, eventId: string, now: Date): Promise<string[]> {
  const promoted: string[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    const next = await trx
      .selectFrom('registrations')
      .select('id')
      .where('event_id', '=', eventId)
      .where('status', '=', 'waitlisted')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!next) break;
    if ((await takeSeat(trx, eventId)) !== 'registered') break;
    const moved = await trx
      .updateTable('registrations')
      .set({ status: 'registered', updated_at: now.toISOString() })
      .where('id', '=', next.id)
      .where('status', '=', 'waitlisted')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 1) promoted.push(next.id);
    else await freeSeat(trx, eventId); // someone else moved it meanwhile: try the next one
  }
  return promoted;
}

/**
 * Cancels a registration: a seat it held is freed and given to the oldest waitlisted one, in
 * the caller's transaction. Returns the status it had (undefined if it was already cancelled).
 */
export async function cancelRegistration(
  trx: Trx,
  registrationId: string,
  now: Date,
): Promise<RegistrationStatus | undefined> {
  const row = await trx
    .selectFrom('registrations')
    .select(['event_id', 'status'])
    .where('id', '=', registrationId)
    .executeTakeFirst();
  if (!row || row.status === 'cancelled') return undefined;
  const changed = await trx
    .updateTable('registrations')
    .set({ status: 'cancelled', updated_at: now.toISOString() })
    .where('id', '=', registrationId)
    .where('status', '=', row.status)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) return undefined;
  if (row.status === 'registered') {
    await freeSeat(trx, row.event_id);
    await promoteWaitlisted(trx, row.event_id, now);
  }
  return row.status;
}

/** Place on the waiting list (1 = next to get a seat), or undefined if not waitlisted. */
export async function waitlistPosition(
  db: Trx,
  registrationId: string,
): Promise<number | undefined> {
  const own = await db
    .selectFrom('registrations')
    .select(['event_id', 'status', 'created_at'])
    .where('id', '=', registrationId)
    .executeTakeFirst();
  if (!own || own.status !== 'waitlisted') return undefined;
  const ahead = await db
    .selectFrom('registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', own.event_id)
    .where('status', '=', 'waitlisted')
    .where((eb) =>
      eb.or([
        eb('created_at', '<', own.created_at),
        eb.and([eb('created_at', '=', own.created_at), eb('id', '<', registrationId)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(ahead.n) + 1;
}
