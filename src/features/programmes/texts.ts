/**
 * Choosing the text of a curriculum, module, session, activity, event or survey item for a
 * reader: her language, then its fallback chain (as for editions), then English, then whatever
 * exists. The caller marks a fallback visibly (lang and dir on the text, see LangText).
 */
import { randomBytes } from 'node:crypto';
import { contentFallbackChain, directionOf, tagMatches } from '../../platform/i18n/languages.js';

export interface Picked<T> {
  text: T;
  /** The text's own language, when it is not the reader's. */
  fallbackLanguage: string | undefined;
  dir: 'ltr' | 'rtl';
}

export function pickText<T extends { language: string }>(
  rows: readonly T[],
  readerLanguage: string,
): Picked<T> | undefined {
  if (rows.length === 0) return undefined;
  let chosen: T | undefined;
  for (const wanted of contentFallbackChain(readerLanguage)) {
    chosen = rows.find((r) => tagMatches(r.language, wanted));
    if (chosen) break;
  }
  chosen ??= rows[0]!;
  const same = tagMatches(chosen.language, readerLanguage);
  return {
    text: chosen,
    fallbackLanguage: same ? undefined : chosen.language,
    dir: directionOf(chosen.language),
  };
}

/** Groups text rows by their owner id, for pickText per owner. */
export function groupBy<T, K extends keyof T>(rows: readonly T[], key: K): Map<T[K], T[]> {
  const map = new Map<T[K], T[]>();
  for (const row of rows) {
    const list = map.get(row[key]);
    if (list) list.push(row);
    else map.set(row[key], [row]);
  }
  return map;
}

/**
 * A URL slug from a title in any script: letters and digits kept (Arabic, Cyrillic...), the rest
 * joined by hyphens, plus a short random suffix so that two events called "Workshop" differ.
 */
export function slugFrom(title: string, maxLength = 60): string {
  const base = title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  const suffix = randomBytes(3).toString('hex');
  return base ? `${base}-${suffix}` : suffix;
}
