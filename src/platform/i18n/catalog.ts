import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { po } from 'gettext-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { UI_LANGUAGES, type UiLanguage } from './languages.js';

/**
 * UI strings live in gettext PO files (locales/xx.po), which translators' tools open directly.
 * Each entry: msgctxt = stable key, msgid = the English sentence in ICU MessageFormat (plurals
 * from CLDR), msgstr = the translation, and a `#.` note for translators.
 */
export const LOCALES_DIR = fileURLToPath(new URL('../../../locales', import.meta.url));

export interface CatalogEntry {
  key: string;
  source: string;
  translation: string;
  note: string;
}

export function readCatalog(lang: string, dir = LOCALES_DIR): CatalogEntry[] {
  const file = `${dir}/${lang}.po`;
  // A language without a catalogue yet still works: every string falls back to English.
  if (lang !== 'en' && !fs.existsSync(file)) return [];
  const parsed = po.parse(fs.readFileSync(file));
  const entries: CatalogEntry[] = [];
  for (const [context, messages] of Object.entries(parsed.translations)) {
    if (!context) continue; // the header entry
    for (const message of Object.values(messages)) {
      entries.push({
        key: context,
        source: message.msgid,
        translation: message.msgstr[0] ?? '',
        note: message.comments?.extracted ?? '',
      });
    }
  }
  return entries;
}

export type MessageValues = Record<string, string | number | Date>;

export interface Translation {
  text: string;
  /** The language the text is actually in: differs from the one asked for when it fell back. */
  lang: UiLanguage;
}

export class Catalogs {
  private readonly formats = new Map<string, IntlMessageFormat>();
  private readonly formatted = new Map<string, string>();
  private readonly messages = new Map<UiLanguage, Map<string, string>>();

  constructor(dir = LOCALES_DIR) {
    for (const lang of UI_LANGUAGES) {
      const map = new Map<string, string>();
      for (const entry of readCatalog(lang, dir)) {
        const text = lang === 'en' ? entry.translation || entry.source : entry.translation;
        if (text) map.set(entry.key, text);
      }
      this.messages.set(lang, map);
    }
  }

  has(lang: UiLanguage, key: string): boolean {
    return this.messages.get(lang)?.has(key) ?? false;
  }

  /** Formats `key` in `lang`, falling back to English (and saying so) when it is untranslated. */
  translate(lang: UiLanguage, key: string, values?: MessageValues): Translation {
    const own = this.messages.get(lang)?.get(key);
    const usedLang: UiLanguage = own !== undefined ? lang : 'en';
    const pattern = own ?? this.messages.get('en')?.get(key);
    if (pattern === undefined) return { text: key, lang: 'en' };
    const cacheKey = `${usedLang}\u0000${key}`;
    // The same message with the same values formats the same way: remember recent results
    // (plural rules and number formats are the costly part of rendering a page).
    const resultKey = values ? `${cacheKey}\u0000${JSON.stringify(values)}` : cacheKey;
    const known = this.formatted.get(resultKey);
    if (known !== undefined) return { text: known, lang: usedLang };
    let format = this.formats.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(pattern, usedLang);
      this.formats.set(cacheKey, format);
    }
    const formatted = format.format(values);
    const text = Array.isArray(formatted) ? formatted.join('') : String(formatted);
    if (this.formatted.size >= 10_000) this.formatted.clear();
    this.formatted.set(resultKey, text);
    return { text, lang: usedLang };
  }
}
