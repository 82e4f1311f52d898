import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { canonicalTag, tagMatches, UI_LANGUAGES } from '../../platform/i18n/languages.js';
import { chooseEdition } from '../library/editions.js';
import * as repo from '../library/repository.js';
import { findCollection, listCollections, listTopics } from '../library/taxonomy.js';
import type { ExportScope, WorkScope } from './urls.js';

/** A mistake in what was asked for (unknown collection, bad language list): a clear message. */
export class ExportInputError extends Error {}

export interface ExportFilters {
  /** Only this collection's works. */
  collection?: string | undefined;
  /** Only editions in these languages (BCP 47 tags; `ar` keeps `ar-EG` too). */
  languages?: string[] | undefined;
}

/** Parses `ar,fa` into canonical tags; a malformed tag is an input error. */
export function parseLanguageList(value: string): string[] {
  const tags = value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length === 0) throw new ExportInputError('--languages needs at least one language tag.');
  return tags.map((raw) => {
    const tag = canonicalTag(raw);
    if (!tag)
      throw new ExportInputError(`"${raw}" is not a language tag (use BCP 47, e.g. ar,fa).`);
    return tag;
  });
}

/** The published works, editions, topics and collections an export holds. */
export async function exportScope(db: Kysely<DB>, filters: ExportFilters): Promise<ExportScope> {
  const wanted = filters.languages;
  let works: repo.WorkRow[];
  const collections = new Set((await listCollections(db)).map((c) => c.slug));
  if (filters.collection !== undefined) {
    const collection = await findCollection(db, filters.collection);
    if (!collection) {
      const known = [...collections].join(', ') || 'none';
      throw new ExportInputError(
        `No collection "${filters.collection}" in this library (collections: ${known}).`,
      );
    }
    works = await repo.listCollectionWorks(db, collection.id);
  } else {
    works = await repo.listWorks(db, {}, 1_000_000, 0);
  }

  const uiLanguages: string[] = wanted
    ? [...new Set([...wanted.filter((t) => (UI_LANGUAGES as readonly string[]).includes(t)), 'en'])]
    : [...UI_LANGUAGES];

  const scoped = new Map<string, WorkScope>();
  const editionLanguages = new Set<string>();
  const editionIds = new Set<string>();
  for (const work of works.sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
    const editions = (await repo.workEditions(db, work.id)).filter(
      (e) => !wanted || wanted.some((w) => tagMatches(e.language, w)),
    );
    if (editions.length === 0) continue;
    const defaultEdition = new Map<string, string>();
    for (const lang of uiLanguages) {
      const chosen = chooseEdition(editions, lang, work.original_language);
      if (chosen) defaultEdition.set(lang, chosen.edition.language);
    }
    for (const e of editions) {
      editionLanguages.add(e.language);
      editionIds.add(e.id);
    }
    scoped.set(work.slug, {
      slug: work.slug,
      editions: editions.map((e) => e.language),
      defaultEdition,
    });
  }
  if (scoped.size === 0) {
    throw new ExportInputError(
      wanted
        ? `Nothing to export: no published edition in ${wanted.join(', ')}${filters.collection ? ` in collection "${filters.collection}"` : ''}.`
        : 'Nothing to export: the library has no published work.',
    );
  }
  return {
    uiLanguages,
    works: scoped,
    languages: wanted,
    collection: filters.collection,
    editionLanguages,
    topics: new Set((await listTopics(db)).map((t) => t.slug)),
    collections,
    includeProgramme: filters.collection === undefined,
    editionIds,
  };
}
