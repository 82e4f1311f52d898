/**
 * An impact report: the figures of the selection broken down by one dimension, plus a total,
 * with small cells and their complements suppressed. Labels are made here too, once, for the
 * page, the chart and the exports alike.
 */
import { EVENT_KINDS } from '../../platform/db/schema.js';
import type { MessageValues } from '../../platform/i18n/catalog.js';
import type { ReportData, ReportRecord } from './data.js';
import { breakdownFigures, cellFigures, type CellFigures } from './statistics.js';

export const DIMENSIONS = [
  'organisation',
  'country',
  'kind',
  'year',
  'age_band',
  'gender',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The age bands and genders the registration form offers (registration/service.ts). */
export const AGE_BANDS = ['under18', '18-24', '25-34', '35-44', '45-54', '55plus'] as const;
export const GENDERS = ['woman', 'man', 'another'] as const;

export interface ReportRow {
  /** The grouping value (organisation id, country code, kind, year, age band, gender); null: not given. */
  key: string | null;
  label: string;
  figures: CellFigures;
}

export interface Report {
  dimension: Dimension;
  rows: ReportRow[];
  total: CellFigures;
}

/** What labelling needs of a page context (a PageContext fits). */
export interface Labeller {
  lang: string;
  t(key: string, values?: MessageValues): string;
}

function keyOf(record: ReportRecord, dimension: Dimension): string | null {
  switch (dimension) {
    case 'organisation':
      return record.organisationId;
    case 'country':
      return record.country;
    case 'kind':
      return record.kind;
    case 'year':
      return String(record.year);
    case 'age_band':
      return record.ageBand;
    case 'gender':
      return record.gender;
  }
}

const regionNames = new Map<string, Intl.DisplayNames>();

export function countryName(lang: string, code: string): string {
  let names = regionNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' });
    regionNames.set(lang, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export function labelOf(
  dimension: Dimension,
  key: string | null,
  l: Labeller,
  organisations: ReadonlyMap<string, string>,
): string {
  if (key === null) return l.t(dimension === 'country' ? 'impact.noCountry' : 'impact.notSaid');
  switch (dimension) {
    case 'organisation':
      return organisations.get(key) ?? key;
    case 'country':
      return countryName(l.lang, key);
    case 'kind':
      return l.t(`impact.kind.${key}`);
    case 'year':
      return new Intl.NumberFormat(l.lang, { useGrouping: false }).format(Number(key));
    case 'age_band':
      return (AGE_BANDS as readonly string[]).includes(key) ? l.t(`impact.age.${key}`) : key;
    case 'gender':
      return (GENDERS as readonly string[]).includes(key) ? l.t(`impact.gender.${key}`) : key;
  }
}

/** The position of a value in the natural order of its dimension, if it has one. */
function orderOf(dimension: Dimension, key: string): number {
  const list: readonly string[] =
    dimension === 'kind'
      ? EVENT_KINDS
      : dimension === 'age_band'
        ? AGE_BANDS
        : dimension === 'gender'
          ? GENDERS
          : [];
  const i = list.indexOf(key);
  return i === -1 ? list.length : i;
}

export function buildReport(data: ReportData, dimension: Dimension, l: Labeller): Report {
  const groups = new Map<string | null, ReportRecord[]>();
  for (const r of data.records) {
    const key = keyOf(r, dimension);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const keys = [...groups.keys()].map((key) => ({
    key,
    label: labelOf(dimension, key, l, data.organisations),
  }));
  const collator = new Intl.Collator(l.lang, { numeric: true });
  keys.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === null ? (b.key === null ? 0 : 1) : -1;
    if (dimension === 'year') return Number(a.key) - Number(b.key);
    return (
      orderOf(dimension, a.key) - orderOf(dimension, b.key) || collator.compare(a.label, b.label)
    );
  });
  const figures = breakdownFigures(keys.map((k) => groups.get(k.key)!));
  return {
    dimension,
    rows: keys.map((k, i) => ({ ...k, figures: figures[i]! })),
    total: cellFigures(data.records),
  };
}
