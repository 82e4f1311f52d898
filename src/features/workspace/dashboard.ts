/**
 * The translation dashboard: works x languages, each cell missing, draft, in review, stale or
 * published. Stale wins over the status: it is what a translator must act on.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { listWorks } from './repository.js';

export type CellState = 'missing' | 'draft' | 'in_review' | 'stale' | 'published';

export interface DashboardRow {
  workId: string;
  title: string;
  publisherName: string | null;
  cells: { language: string; state: CellState; editionId?: string }[];
}

export const DASHBOARD_PAGE_SIZE = 50;

export async function translationMatrix(
  db: Kysely<DB>,
  organisationIds: readonly string[] | undefined,
  languages: readonly string[],
  page: number,
): Promise<DashboardRow[]> {
  const works = await listWorks(
    db,
    organisationIds,
    DASHBOARD_PAGE_SIZE,
    (page - 1) * DASHBOARD_PAGE_SIZE,
  );
  if (works.length === 0 || languages.length === 0) {
    return works.map((w) => ({
      workId: w.id,
      title: w.title ?? w.slug,
      publisherName: w.publisher_name,
      cells: [],
    }));
  }
  const editions = await db
    .selectFrom('editions as e')
    .leftJoin('editions as src', 'src.id', 'e.translated_from_id')
    .where(
      'e.work_id',
      'in',
      works.map((w) => w.id),
    )
    .where('e.language', 'in', [...languages])
    .select([
      'e.id',
      'e.work_id',
      'e.language',
      'e.status',
      'e.translated_from_version',
      'src.version as source_version',
    ])
    .execute();
  const byCell = new Map(editions.map((e) => [`${e.work_id} ${e.language}`, e]));
  return works.map((w) => ({
    workId: w.id,
    title: w.title ?? w.slug,
    publisherName: w.publisher_name,
    cells: languages.map((language) => {
      const e = byCell.get(`${w.id} ${language}`);
      if (!e) return { language, state: 'missing' as const };
      const stale =
        e.source_version !== null &&
        e.translated_from_version !== null &&
        e.source_version > e.translated_from_version;
      return { language, state: stale ? ('stale' as const) : e.status, editionId: e.id };
    }),
  }));
}
