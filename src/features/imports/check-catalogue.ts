/**
 * Validation of the manifest sections that works refer to: organisations, languages and topics.
 * An entry with any problem is left out (after reporting); its slug still counts as listed, so
 * that one mistake is not reported again wherever the slug is used.
 */
import type { Direction } from '../../platform/i18n/languages.js';
import type { ManifestChecker } from './manifest-checker.js';
import {
  ORGANISATION_KINDS,
  type ManifestLanguage,
  type ManifestOrganisation,
  type ManifestTopic,
  type OrganisationKind,
} from './manifest-types.js';

/** A checked section: its valid entries, and every slug it lists (valid entries or not). */
export interface CheckedSection<T> {
  items: T[];
  slugs: ReadonlySet<string>;
}

const ORG_KEYS = ['slug', 'name', 'country', 'kind'];
const LANGUAGE_KEYS = ['tag', 'endonym', 'english_name', 'direction'];
const TOPIC_KEYS = ['slug', 'labels'];

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** CLDR names these, but they are not countries (unknown region, EU, eurozone, UN, Oceania). */
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO']);

function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  try {
    return regionNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

export function checkOrganisations(
  c: ManifestChecker,
  nodes: unknown[],
): CheckedSection<ManifestOrganisation> {
  const items: ManifestOrganisation[] = [];
  const slugs = new Set<string>();
  nodes.forEach((node, i) => {
    const where = `organisations[${i}]`;
    const m = c.map(node, where, ORG_KEYS, ['slug', 'name']);
    if (!m) return;
    const line = c.line(node);
    const slug = m.get('slug') ? c.slug(m.get('slug')!.value, `${where}.slug`, line) : undefined;
    if (slug && slugs.has(slug))
      c.report(m.get('slug')!.value, `${where}: organisation "${slug}" is listed twice`);
    const name = m.get('name')
      ? c.text(m.get('name')!.value, `${where}.name`, { max: 300, fallbackLine: line })
      : undefined;
    let country: string | null | undefined = null;
    const countryEntry = m.get('country');
    if (c.given(countryEntry)) {
      const raw = c.text(countryEntry.value, `${where}.country`, { max: 2, fallbackLine: line });
      country = raw?.toUpperCase();
      if (raw !== undefined && !isCountryCode(raw.toUpperCase())) {
        c.report(
          countryEntry.value,
          `${where}.country must be an ISO 3166-1 alpha-2 code such as KE or FR, got "${raw}"`,
        );
        country = undefined;
      }
    }
    const kindEntry = m.get('kind');
    const kind: OrganisationKind | undefined = c.given(kindEntry)
      ? c.oneOf(kindEntry.value, `${where}.kind`, ORGANISATION_KINDS, line)
      : 'partner';
    if (slug && !slugs.has(slug) && name && country !== undefined && kind) {
      items.push({ slug, name, country, kind });
    }
    if (slug) slugs.add(slug);
  });
  return { items, slugs };
}

export function checkLanguages(c: ManifestChecker, nodes: unknown[]): ManifestLanguage[] {
  const items: ManifestLanguage[] = [];
  const tags = new Set<string>();
  nodes.forEach((node, i) => {
    const where = `languages[${i}]`;
    const m = c.map(node, where, LANGUAGE_KEYS, ['tag']);
    if (!m) return;
    const line = c.line(node);
    const tag = m.get('tag') ? c.tag(m.get('tag')!.value, `${where}.tag`, line) : undefined;
    if (tag && tags.has(tag))
      c.report(m.get('tag')!.value, `${where}: language ${tag} is listed twice`);
    const endonym = c.optionalText(m.get('endonym'), `${where}.endonym`, 200);
    const englishName = c.optionalText(m.get('english_name'), `${where}.english_name`, 200);
    const dirEntry = m.get('direction');
    const direction: Direction | null | undefined = c.given(dirEntry)
      ? c.oneOf(dirEntry.value, `${where}.direction`, ['ltr', 'rtl'] as const, line)
      : null;
    if (
      tag &&
      !tags.has(tag) &&
      endonym !== undefined &&
      englishName !== undefined &&
      direction !== undefined
    ) {
      items.push({ tag, endonym, englishName, direction });
    }
    if (tag) tags.add(tag);
  });
  return items;
}

export function checkTopics(c: ManifestChecker, nodes: unknown[]): CheckedSection<ManifestTopic> {
  const items: ManifestTopic[] = [];
  const slugs = new Set<string>();
  nodes.forEach((node, i) => {
    const where = `topics[${i}]`;
    const m = c.map(node, where, TOPIC_KEYS, ['slug', 'labels']);
    if (!m) return;
    const line = c.line(node);
    const slug = m.get('slug') ? c.slug(m.get('slug')!.value, `${where}.slug`, line) : undefined;
    if (slug && slugs.has(slug))
      c.report(m.get('slug')!.value, `${where}: topic "${slug}" is listed twice`);
    const labelsEntry = m.get('labels');
    const labels = c.given(labelsEntry)
      ? c.labels(labelsEntry.value, `${where}.labels`, 200, c.line(labelsEntry.key))
      : undefined;
    if (labels && !labels.en)
      c.report(labelsEntry!.value, `${where}.labels must include an English label (en)`);
    if (slug && !slugs.has(slug) && labels?.en) items.push({ slug, labels });
    if (slug) slugs.add(slug);
  });
  return { items, slugs };
}
