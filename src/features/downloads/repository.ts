import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

export interface DownloadableFile {
  id: string;
  edition_id: string;
  filename: string;
  sha256: string;
  size: number;
  media_type: string;
  created_at: string;
}

/** A file is public only while its edition and its work are published. */
export async function findPublicFile(
  db: Kysely<DB>,
  id: string,
): Promise<DownloadableFile | undefined> {
  return db
    .selectFrom('edition_files as f')
    .innerJoin('editions as e', 'e.id', 'f.edition_id')
    .innerJoin('works as w', 'w.id', 'e.work_id')
    .innerJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
    .where('f.id', '=', id)
    .where('e.status', '=', 'published')
    .where('w.published_at', 'is not', null)
    .select([
      'f.id',
      'f.edition_id',
      'f.filename',
      'b.sha256',
      'b.size',
      'b.media_type',
      'b.created_at',
    ])
    .executeTakeFirst();
}

/** One counter per edition and UTC day: nothing about who downloaded, from where. */
export async function countDownload(db: Kysely<DB>, editionId: string, day: string): Promise<void> {
  await db
    .insertInto('download_counts')
    .values({ edition_id: editionId, day, count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['edition_id', 'day'])
        .doUpdateSet((eb) => ({ count: eb('download_counts.count', '+', 1) })),
    )
    .execute();
}

export async function downloadCount(db: Kysely<DB>, editionId: string): Promise<number> {
  const row = await db
    .selectFrom('download_counts')
    .select((eb) => eb.fn.sum<number>('count').as('n'))
    .where('edition_id', '=', editionId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
