import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { LibraryData } from './cached-repository.js';
import { chooseEdition, pickLabel } from './editions.js';
import type { WorkRow } from './repository.js';
import { editionThumbnails } from './saving.js';
import type { LabelRow } from './taxonomy.js';
import type { Labelled } from './views/pages.js';
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
  const items = works.flatMap((work, i): WorkListItem[] => {
    const own = editions[i] ?? [];
    if (onlyLanguage) {
      const edition = own.find((e) => e.language === onlyLanguage);
      return edition ? [{ work, edition, inReaderLanguage: true, languageCount: own.length }] : [];
    }
    const choice = chooseEdition(own, readerLanguage, work.original_language);
    return choice ? [{ work, ...choice, languageCount: own.length }] : [];
  });
  const thumbnails = await editionThumbnails(
    db,
    items.map((i) => i.edition.id),
  );
  return items.map((i) => ({ ...i, thumbnail: thumbnails.get(i.edition.id) }));
}

/** Topics or collections with their labels in the reader's language (or the best fallback). */
export async function labelled(
  db: Kysely<DB>,
  items: { id: string; slug: string; count?: number }[],
  load: (db: Kysely<DB>, ids: string[]) => Promise<LabelRow[]>,
  lang: string,
): Promise<Labelled[]> {
  const labels = await load(
    db,
    items.map((i) => i.id),
  );
  return items.map((i) => ({
    slug: i.slug,
    label: pickLabel(labels, i.id, lang) ?? { text: i.slug, lang: 'en' },
    ...(i.count !== undefined ? { count: i.count } : {}),
  }));
}
