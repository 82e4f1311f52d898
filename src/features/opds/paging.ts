/**
 * Query arguments of the catalogues, checked by hand so that every bad value gets a short plain
 * explanation (a 400), never a 500 and never a silently different page.
 *
 * Design choice: a page past the end is a 400 too, not an empty feed. A client that follows our
 * `next` links never asks for one; a client that asks anyway learns where the last page is.
 * Page 1 always exists, even when the feed has no entries.
 */
import { isUiLanguage, UI_LANGUAGES, type UiLanguage } from '../../platform/i18n/languages.js';

export const PAGE_SIZE = 20;
/** Nine digits are far beyond any catalogue and stay exact as numbers. */
const PAGE_PATTERN = /^[1-9][0-9]{0,8}$/;

export class OpdsRequestError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'OpdsRequestError';
  }
}

const bad = (message: string) => new OpdsRequestError(400, message);

/** A single string argument, or undefined when absent; repeated arguments are an error. */
export function singleArgument(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw bad(`The "${name}" argument must be given once.`);
  return value;
}

/** The page asked for: a whole number from 1, without signs, decimals or leading zeros. */
export function parsePage(query: unknown): number {
  const raw = singleArgument(query, 'page');
  if (raw === undefined) return 1;
  if (/^[0-9]{10,}$/.test(raw)) throw bad(`Page ${raw} is out of range.`);
  if (!PAGE_PATTERN.test(raw)) {
    throw bad(`The "page" argument must be a whole number from 1 (got "${printable(raw)}").`);
  }
  return Number(raw);
}

/** The language of the feed's own texts (labels, headings); English unless asked otherwise. */
export function parseFeedLanguage(query: unknown): { lang: UiLanguage; explicit: boolean } {
  const raw = singleArgument(query, 'lang');
  if (raw === undefined) return { lang: 'en', explicit: false };
  if (!isUiLanguage(raw)) {
    throw bad(`The "lang" argument must be one of: ${UI_LANGUAGES.join(', ')}.`);
  }
  return { lang: raw, explicit: true };
}

export interface Paging {
  page: number;
  pages: number;
  total: number;
  perPage: number;
}

/** Checks the page against the total: page 1 always exists, later ones only if they have entries. */
export function pagingFor(page: number, total: number, perPage = PAGE_SIZE): Paging {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (page > pages) {
    throw bad(
      `Page ${page} is past the end: this feed has ${pages} page${pages === 1 ? '' : 's'}.`,
    );
  }
  return { page, pages, total, perPage };
}

/** A value echoed in an error message: short, one line, no control characters. */
function printable(raw: string): string {
  const clean = raw.replace(/\p{Cc}/gu, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
