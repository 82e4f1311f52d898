import { DEFAULT_UI_LANGUAGE, UI_LANGUAGES, isUiLanguage, type UiLanguage } from './languages.js';

/** Picks the interface language from an Accept-Language header (RFC 9110 q-values). */
export function negotiateUiLanguage(header: string | undefined): UiLanguage {
  if (!header) return DEFAULT_UI_LANGUAGE;
  const ranges = header
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return {
        range: range.trim().toLowerCase(),
        quality: Number.isFinite(quality) ? quality : 0,
        index,
      };
    })
    .filter((r) => r.range && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { range } of ranges) {
    if (range === '*') return DEFAULT_UI_LANGUAGE;
    const primary = range.split('-')[0] ?? '';
    // Dari speakers read the Persian interface.
    const candidate = primary === 'prs' ? 'fa' : primary;
    if (isUiLanguage(candidate)) return candidate;
  }
  return DEFAULT_UI_LANGUAGE;
}

export const LANGUAGE_COOKIE = 'lc_lang';

export function languageFromCookie(value: string | undefined): UiLanguage | undefined {
  return value && isUiLanguage(value) ? value : undefined;
}

export { UI_LANGUAGES };
