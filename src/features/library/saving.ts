/**
 * Data saving: honest download-time estimates, the smallest-first order of the data saver and
 * the thumbnails the background job makes for PDFs and videos.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { PageContext } from '../../platform/views/context.js';
import { byRoleThenSize } from './formats.js';

/**
 * Fixed, typical throughputs (bits per second), stated on every page that uses them: EDGE-class
 * 2G gives about 100 kbit/s, ordinary 3G about 1 Mbit/s. Real connections vary; these are for
 * comparing files, not promises.
 */
export const THROUGHPUT = { '2g': 100_000, '3g': 1_000_000 } as const;

export function transferSeconds(bytes: number, bitsPerSecond: number): number {
  return (bytes * 8) / bitsPerSecond;
}

/** "under a second", "25 seconds", "4 minutes", "1.5 hours": rounded the way people say it. */
export function approximateDuration(ctx: PageContext, seconds: number): string {
  if (seconds < 1) return ctx.t('saving.instant');
  if (seconds < 90) {
    const n = seconds < 10 ? Math.ceil(seconds) : Math.round(seconds / 5) * 5;
    return ctx.t('saving.seconds', { n });
  }
  const minutes = seconds / 60;
  if (minutes < 90) return ctx.t('saving.minutes', { n: Math.round(minutes) });
  return ctx.t('saving.hours', { n: Math.round((minutes / 60) * 2) / 2 });
}

/** "about 3 minutes on 2G, 20 seconds on 3G". */
export function dataCost(ctx: PageContext, bytes: number): string {
  return ctx.t('saving.cost', {
    slow: approximateDuration(ctx, transferSeconds(bytes, THROUGHPUT['2g'])),
    fast: approximateDuration(ctx, transferSeconds(bytes, THROUGHPUT['3g'])),
  });
}

/**
 * The order files are offered in: light versions (low bitrate, then sound only) first; with the
 * data saver on, strictly smallest first. Subtitles and transcripts always come last.
 */
export function downloadOrder<
  T extends { role: 'original' | 'low' | 'audio' | 'subtitles'; size: number },
>(files: T[], saver: boolean): T[] {
  if (!saver) return byRoleThenSize(files);
  return [...files].sort(
    (a, b) => Number(a.role === 'subtitles') - Number(b.role === 'subtitles') || a.size - b.size,
  );
}

/** The public address of a file's thumbnail (a small PNG made by the thumbnail job). */
export function thumbnailHref(fileId: string): string {
  return `/thumbnails/${fileId}.png`;
}

/**
 * One thumbnail per edition: that of its first file that has one (by file order). Only called
 * for published editions, and the thumbnail route checks publication again.
 */
export async function editionThumbnails(
  db: Kysely<DB>,
  editionIds: string[],
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (editionIds.length === 0) return result;
  const rows = await db
    .selectFrom('file_thumbnails as t')
    .innerJoin('edition_files as f', 'f.id', 't.file_id')
    .where('f.edition_id', 'in', editionIds)
    .select(['f.edition_id', 't.file_id'])
    .orderBy('f.position')
    .orderBy('f.id')
    .execute();
  for (const r of rows) {
    if (!result.has(r.edition_id)) result.set(r.edition_id, thumbnailHref(r.file_id));
  }
  return result;
}
