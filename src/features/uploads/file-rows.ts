/** Rows shared by every way a file reaches an edition: uploads, resumable uploads, derived files. */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { StoredBlob } from '../../platform/storage/blob-store.js';

/** The blob's row; content-addressed, so an existing row for the same bytes is kept. */
export async function recordBlob(db: Kysely<DB>, blob: StoredBlob, mediaType: string, now: string) {
  await db
    .insertInto('blobs')
    .values({ sha256: blob.sha256, size: blob.size, media_type: mediaType, created_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/** The position after the edition's last file. */
export async function nextFilePosition(db: Kysely<DB>, editionId: string): Promise<number> {
  const last = await db
    .selectFrom('edition_files')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('edition_id', '=', editionId)
    .executeTakeFirst();
  return last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
}
