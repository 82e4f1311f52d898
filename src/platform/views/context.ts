import type { Catalogs, MessageValues } from '../i18n/catalog.js';
import { formatBytes, formatNumber, formatYear, formatDate } from '../i18n/format.js';
import { directionOf, type Direction, type UiLanguage } from '../i18n/languages.js';

/** What every view needs to speak to the reader: language, direction, messages and formats. */
export class PageContext {
  readonly dir: Direction;
  /** Message keys that fell back to English on this page. */
  readonly fallbacks = new Set<string>();

  constructor(
    readonly lang: UiLanguage,
    private readonly catalogs: Catalogs,
    /** Path of the current page without the language prefix, e.g. "/library?type=manual". */
    readonly currentPath: string,
    /** The reader asked for data saving (lc_saver cookie): no images, smallest files first. */
    readonly saver: boolean = false,
  ) {
    this.dir = directionOf(lang);
  }

  /** A message as plain text (for attributes); an untranslated one comes back in English. */
  t(key: string, values?: MessageValues): string {
    const result = this.catalogs.translate(this.lang, key, values);
    if (result.lang !== this.lang) this.fallbacks.add(key);
    return result.text;
  }

  /** Whether `key` had to fall back: views mark such text with lang="en" dir="ltr". */
  isFallback(key: string): boolean {
    return !this.catalogs.has(this.lang, key);
  }

  href(path: string): string {
    return `/${this.lang}${path}`;
  }

  bytes(n: number): string {
    return formatBytes(this.lang, n);
  }

  number(n: number): string {
    return formatNumber(this.lang, n);
  }

  year(n: number): string {
    return formatYear(this.lang, n);
  }

  date(iso: string): string {
    return formatDate(this.lang, iso);
  }
}
