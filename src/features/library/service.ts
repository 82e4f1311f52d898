import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { LibraryData } from './cached-repository.js';
import { chooseEdition } from './editions.js';
import type { WorkRow } from './repository.js';
import type { WorkListItem } from './views/work-list.js';

/** Turns works into list items titled in the edition the reader should see. */
export async function workListItems(
  data: LibraryData,
  db: Kysely<DB>,
  works: WorkRow[],
  readerLanguage: string,
  onlyLanguage?: string,
): Promise<WorkListItem[]> {
  const editions = await Promise.all(works.map((w) => data.workEditions(db, w.id)));
  return works.flatMap((work, i) => {
    const own = editions[i] ?? [];
    if (onlyLanguage) {
      const edition = own.find((e) => e.language === onlyLanguage);
      return edition ? [{ work, edition, inReaderLanguage: true, languageCount: own.length }] : [];
    }
    const choice = chooseEdition(own, readerLanguage, work.original_language);
    return choice ? [{ work, ...choice, languageCount: own.length }] : [];
  });
}
