import { contentFallbackChain, tagMatches, UI_LANGUAGES } from '../../platform/i18n/languages.js';
import type { LabelRow } from './taxonomy.js';

interface EditionRef {
  language: string;
}

/**
 * Which edition a reader sees: the first language of her fallback chain that the work has
 * (exact tag first, then a regional or private-use variant of it), else the work's original
 * language, else any edition. `inReaderLanguage` is false when the page must say so.
 */
export function chooseEdition<T extends EditionRef>(
  editions: T[],
  readerLanguage: string,
  originalLanguage: string | null,
): { edition: T; inReaderLanguage: boolean } | undefined {
  if (editions.length === 0) return undefined;
  const chain = contentFallbackChain(readerLanguage);
  for (const wanted of chain) {
    const exact = editions.find((e) => e.language.toLowerCase() === wanted.toLowerCase());
    const close = exact ?? editions.find((e) => tagMatches(e.language, wanted));
    if (close)
      return { edition: close, inReaderLanguage: tagMatches(close.language, readerLanguage) };
  }
  const original = originalLanguage
    ? editions.find((e) => e.language === originalLanguage)
    : undefined;
  return { edition: original ?? editions[0]!, inReaderLanguage: false };
}

/**
 * Orders editions for "also available in": the reader's likely languages first, then the
 * network's working languages (those of the interface), then the rest by tag.
 */
export function orderForReader<T extends { language: string }>(
  editions: readonly T[],
  readerLanguage: string,
): readonly T[] {
  // Edition lists come from the per-version query cache, so the same array recurs: remember
  // its order per reader language instead of sorting hundreds of editions on every request.
  let byLanguage = orderings.get(editions);
  if (!byLanguage) {
    byLanguage = new Map();
    orderings.set(editions, byLanguage);
  }
  const known = byLanguage.get(readerLanguage);
  if (known) return known as readonly T[];
  const preferred = [...contentFallbackChain(readerLanguage), ...UI_LANGUAGES];
  const rank = (tag: string) => {
    const i = preferred.findIndex((wanted) => tagMatches(tag, wanted));
    return i === -1 ? preferred.length : i;
  };
  const ordered = editions
    .map((edition) => ({ edition, rank: rank(edition.language) }))
    .sort((a, b) => a.rank - b.rank || (a.edition.language < b.edition.language ? -1 : 1))
    .map((r) => r.edition);
  byLanguage.set(readerLanguage, ordered);
  return ordered;
}

const orderings = new WeakMap<readonly object[], Map<string, readonly object[]>>();

/** A translated label (topic, collection) in the reader's language, or the best fallback. */
export function pickLabel(
  rows: LabelRow[],
  ownerId: string,
  readerLanguage: string,
): { text: string; lang: string } | undefined {
  const own = rows.filter((r) => r.owner_id === ownerId);
  for (const wanted of contentFallbackChain(readerLanguage)) {
    const hit = own.find((r) => tagMatches(r.language, wanted));
    if (hit) return { text: hit.text, lang: hit.language };
  }
  const first = own[0];
  return first ? { text: first.text, lang: first.language } : undefined;
}
