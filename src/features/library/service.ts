import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { chooseEdition } from './editions.js';
import * as repo from './repository.js';
import type { WorkListItem } from './views/work-list.js';

/** Turns works into list items titled in the edition the reader should see. */
export async function workListItems(
  db: Kysely<DB>,
  works: repo.WorkRow[],
  readerLanguage: string,
  onlyLanguage?: string,
): Promise<WorkListItem[]> {
  const refs = await repo.publishedEditionRefs(
    db,
    works.map((w) => w.id),
  );
  const chosen = new Map<string, { id: string; inReaderLanguage: boolean; count: number }>();
  for (const work of works) {
    const own = refs.filter((r) => r.work_id === work.id);
    const pick = onlyLanguage
      ? own.find((r) => r.language === onlyLanguage)
      : chooseEdition(own, readerLanguage, work.original_language)?.edition;
    if (!pick) continue;
    const inReaderLanguage = onlyLanguage
      ? true
      : (chooseEdition(own, readerLanguage, work.original_language)?.inReaderLanguage ?? false);
    chosen.set(work.id, { id: pick.id, inReaderLanguage, count: own.length });
  }
  const editions = await repo.editionsByIds(
    db,
    [...chosen.values()].map((c) => c.id),
  );
  const byId = new Map(editions.map((e) => [e.id, e]));
  const items: WorkListItem[] = [];
  for (const work of works) {
    const c = chosen.get(work.id);
    const edition = c && byId.get(c.id);
    if (c && edition)
      items.push({ work, edition, inReaderLanguage: c.inReaderLanguage, languageCount: c.count });
  }
  return items;
}
