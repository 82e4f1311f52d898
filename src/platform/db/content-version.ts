import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

/**
 * A token that changes whenever public content changes. Page caches key their entries by it, so
 * every instance drops stale pages within its polling interval without talking to the others.
 * Call `bumpContentVersion` inside the transaction that changes content.
 */
const KEY = 'content_version';

export async function bumpContentVersion(db: Kysely<DB>): Promise<void> {
  const value = randomUUID();
  await db
    .insertInto('app_state')
    .values({ key: KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export async function readContentVersion(db: Kysely<DB>): Promise<string> {
  const row = await db
    .selectFrom('app_state')
    .select('value')
    .where('key', '=', KEY)
    .executeTakeFirst();
  return row?.value ?? 'initial';
}
