import type { UiLanguage } from './languages.js';

/**
 * Numbers, sizes and dates in the reader's conventions. Persian readers get the Solar Hijri
 * calendar (CLDR's default for fa) with Persian digits; everything goes through Intl.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang, options);
    numberFormats.set(key, format);
  }
  return format;
}

const plainFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(lang: UiLanguage, value: number): string {
  let format = plainFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(lang);
    plainFormats.set(lang, format);
  }
  return format.format(value);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/**
 * "2.3 MB", "2.3 م.ب" or "۲٫۳ MB": decimal units, as phones and data plans count them, in the
 * digits CLDR gives each language (Persian digits for fa; Latin digits for generic ar).
 */
export function formatBytes(lang: UiLanguage, bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return numberFormat(lang, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

export function formatDate(lang: UiLanguage, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A year in the reader's digits, without grouping separators ("1948", "١٩٤٨", "۱۹۴۸"). */
export function formatYear(lang: UiLanguage, year: number): string {
  return numberFormat(lang, { useGrouping: false }).format(year);
}
