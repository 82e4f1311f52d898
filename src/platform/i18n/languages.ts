/**
 * Facts about languages: which ones the interface speaks, how each is written (direction comes
 * from the script, because Node's CLDR data calls Dhivehi, Saraiki and Adlam left-to-right),
 * and what each is called by its own speakers.
 */

export const UI_LANGUAGES = ['en', 'ar', 'fa', 'fr', 'ru', 'es'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const DEFAULT_UI_LANGUAGE: UiLanguage = 'en';

export function isUiLanguage(value: string): value is UiLanguage {
  return (UI_LANGUAGES as readonly string[]).includes(value);
}

/** ISO 15924 codes of scripts written right to left (Unicode bidi class R or AL). */
const RTL_SCRIPTS = new Set([
  'Adlm', 'Arab', 'Aran', 'Armi', 'Avst', 'Chrs', 'Cprt', 'Elym', 'Hatr', 'Hebr', 'Hung', 'Khar',
  'Lydi', 'Mand', 'Mani', 'Mend', 'Narb', 'Nbat', 'Nkoo', 'Orkh', 'Ougr', 'Palm', 'Phli', 'Phlp',
  'Phnx', 'Prti', 'Rohg', 'Samr', 'Sarb', 'Sogd', 'Sogo', 'Syrc', 'Thaa', 'Yezi',
]); // prettier-ignore

export type Direction = 'ltr' | 'rtl';

/** The canonical form of a BCP 47 tag, or undefined when it is not well formed. */
export function canonicalTag(tag: string): string | undefined {
  if (tag.length === 0 || tag.length > 64 || !/^[A-Za-z0-9-]+$/.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** Memoises a function of a language tag: Intl objects are costly to build on every request. */
function perTag<T>(fn: (tag: string) => T): (tag: string) => T {
  const memo = new Map<string, T>();
  return (tag) => {
    if (memo.has(tag)) return memo.get(tag) as T;
    const value = fn(tag);
    if (memo.size < 10_000) memo.set(tag, value);
    return value;
  };
}

/** The script a tag is written in: explicit, or the likely one for its language and region. */
export const scriptOf = perTag(function scriptOf(tag: string): string | undefined {
  try {
    const locale = new Intl.Locale(tag);
    if (locale.script) return locale.script;
    if (locale.language === 'und') return undefined;
    const maximized = locale.maximize();
    // maximize() leaves a language it knows nothing about without a script.
    return maximized.language === locale.language ? maximized.script : undefined;
  } catch {
    return undefined;
  }
});

/** Writing direction: from the script when it is known, otherwise what the source declared. */
export function directionOf(tag: string, declared?: Direction): Direction {
  const script = scriptOf(tag);
  if (script) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  return declared ?? 'ltr';
}

/** The language's name in itself, when CLDR knows it. */
export const endonymOf = perTag(function endonymOf(tag: string): string | undefined {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language', fallback: 'none' }).of(tag);
    return name && name !== tag ? name : undefined;
  } catch {
    return undefined;
  }
});

/** The language's name in English, when CLDR knows it. */
export function englishNameOf(tag: string): string | undefined {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(tag);
    return name && name !== tag ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Languages a reader of each interface language is likely to read next, before English.
 * Dari and Persian readers read each other's editions; the rest fall back to English.
 */
const CONTENT_FALLBACKS: Record<string, string[]> = {
  fa: ['fa', 'prs', 'fa-AF'],
  prs: ['prs', 'fa-AF', 'fa'],
  'fa-AF': ['fa-AF', 'prs', 'fa'],
};

/** The order in which a reader of `tag` wants editions: own language first, English last. */
export function contentFallbackChain(tag: string): string[] {
  const chain = CONTENT_FALLBACKS[tag] ?? [tag];
  return chain.includes('en') ? chain : [...chain, 'en'];
}

/** Whether an edition in `editionTag` serves a reader asking for `wanted` (es serves es-419 readers...). */
export function tagMatches(editionTag: string, wanted: string): boolean {
  const a = editionTag.toLowerCase();
  const b = wanted.toLowerCase();
  return a === b || a.startsWith(`${b}-`);
}
