/** Pure helpers that turn rows into the API's JSON: languages, texts by language, times, links. */
import { DateTime } from 'luxon';
import type { Static } from 'typebox';
import {
  canonicalTag,
  endonymOf,
  englishNameOf,
  tagMatches,
  UI_LANGUAGES,
} from '../../platform/i18n/languages.js';
import { API_PREFIX, badRequest } from './errors.js';
import { DEFAULT_PER_PAGE, type Language } from './schemas.js';

/** The interface language whose pages best show content in `tag` (fa-AF -> fa), else English. */
export function uiFor(tag: string): string {
  return UI_LANGUAGES.find((ui) => tagMatches(tag, ui)) ?? 'en';
}

export function language(row: {
  language: string;
  endonym: string | null;
  english_name: string | null;
  direction: 'ltr' | 'rtl';
}): Static<typeof Language> {
  return {
    tag: row.language,
    endonym: row.endonym ?? endonymOf(row.language) ?? null,
    english_name: row.english_name ?? englishNameOf(row.language) ?? null,
    direction: row.direction,
  };
}

/** `{ tag: text }` from rows, in tag order; rows without text are left out. */
export function textsOf<R extends { language: string }>(
  rows: readonly R[],
  text: (row: R) => string | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of [...rows].sort((a, b) => (a.language < b.language ? -1 : 1))) {
    const value = text(row);
    if (value) out[row.language] = value;
  }
  return out;
}

export function zoned(utc: string, zone: string): string {
  const local = DateTime.fromISO(utc, { zone: 'utc' }).setZone(zone);
  return (local.isValid ? local : DateTime.fromISO(utc, { zone: 'utc' })).toISO({
    suppressMilliseconds: true,
  })!;
}

export function parseLanguage(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const tag = canonicalTag(raw);
  if (!tag) throw badRequest(`language: "${raw}" is not a well-formed BCP 47 tag`);
  return tag;
}

export function pageLinks(
  base: string,
  path: string,
  filters: Record<string, string | undefined>,
  page: number,
  perPage: number,
  pages: number,
) {
  const at = (n: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v !== undefined) params.set(k, v);
    if (n > 1) params.set('page', String(n));
    if (perPage !== DEFAULT_PER_PAGE) params.set('per_page', String(perPage));
    const query = params.toString();
    return `${base}${API_PREFIX}${path}${query ? `?${query}` : ''}`;
  };
  return {
    self: at(page),
    first: at(1),
    last: at(pages),
    prev: page > 1 ? at(Math.min(page - 1, pages)) : null,
    next: page < pages ? at(page + 1) : null,
  };
}
