/** Validation of the manifest's works; their editions are checked in check-editions.ts. */
import { isMap, isScalar } from 'yaml';
import { WORK_TYPES } from '../../platform/db/schema.js';
import { checkEdition } from './check-editions.js';
import { describe, type Entry, type ManifestChecker } from './manifest-checker.js';
import type { PathChecker } from './manifest-paths.js';
import type { ManifestEdition, ManifestWork } from './manifest-types.js';

const WORK_KEYS = [
  'slug',
  'type',
  'publisher',
  'licence',
  'year',
  'original_language',
  'topics',
  'editions',
];

/** What a work may refer to: organisations and topics of the manifest or of the library. */
export interface WorkReferences {
  isOrganisation(slug: string): boolean;
  isTopic(slug: string): boolean;
}

/**
 * The slugs of the works, as written and without checking them, so that collections may refer to
 * works listed after them.
 */
export function listedWorkSlugs(c: ManifestChecker, nodes: unknown[]): Set<string> {
  const slugs = new Set<string>();
  for (const node of nodes) {
    const n = c.resolve(node);
    if (!isMap(n)) continue;
    const slug = n.get('slug');
    if (typeof slug === 'string') slugs.add(slug);
  }
  return slugs;
}

export function checkWorks(
  c: ManifestChecker,
  nodes: unknown[],
  checkPath: PathChecker,
  refs: WorkReferences,
): ManifestWork[] {
  const items: ManifestWork[] = [];
  const seen = new Set<string>();
  nodes.forEach((node, i) => {
    const where0 = `works[${i}]`;
    const m = c.map(node, where0, WORK_KEYS, ['slug', 'type', 'editions']);
    if (!m) return;
    const line = c.line(node);
    const slug = m.get('slug') ? c.slug(m.get('slug')!.value, `${where0}.slug`, line) : undefined;
    const where = slug ? `work "${slug}"` : where0;
    if (slug && seen.has(slug)) c.report(m.get('slug')!.value, `${where} is listed twice`);
    const type = m.get('type')
      ? c.oneOf(m.get('type')!.value, `${where}.type`, WORK_TYPES, line)
      : undefined;

    let publisher: string | null | undefined = null;
    const pubEntry = m.get('publisher');
    if (c.given(pubEntry)) {
      publisher = c.slug(pubEntry.value, `${where}.publisher`, c.line(pubEntry.key));
      if (publisher && !refs.isOrganisation(publisher)) {
        c.report(pubEntry.value, `${where}.publisher: unknown organisation "${publisher}"`);
        publisher = undefined;
      }
    }
    const licence = c.optionalText(m.get('licence'), `${where}.licence`, 1000);

    let year: number | null | undefined = null;
    const yearEntry = m.get('year');
    if (c.given(yearEntry)) {
      const n = c.resolve(yearEntry.value);
      const value = isScalar(n) ? n.value : undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1000 || value > 2100) {
        c.report(
          n,
          `${where}.year must be a whole number from 1000 to 2100, got ${describe(value)}`,
        );
        year = undefined;
      } else year = value;
    }

    let originalLanguage: string | null | undefined = null;
    const olEntry = m.get('original_language');
    if (c.given(olEntry)) {
      originalLanguage = c.tag(olEntry.value, `${where}.original_language`, c.line(olEntry.key));
    }

    const topics = c.slugList(m.get('topics'), `${where}.topics`, 'topic', refs.isTopic);
    const editions = checkEditions(c, checkPath, m.get('editions'), where);

    if (
      slug &&
      !seen.has(slug) &&
      type &&
      publisher !== undefined &&
      licence !== undefined &&
      year !== undefined &&
      originalLanguage !== undefined
    ) {
      items.push({
        slug,
        type,
        publisher,
        licence,
        year,
        originalLanguage,
        topics,
        editions,
        line,
      });
    }
    if (slug) seen.add(slug);
  });
  return items;
}

/** A work's valid editions: at least one is required, and one per language at most. */
function checkEditions(
  c: ManifestChecker,
  checkPath: PathChecker,
  entry: Entry | undefined,
  where: string,
): ManifestEdition[] {
  const editions: ManifestEdition[] = [];
  const editionLanguages = new Map<string, number>();
  const edItems = entry ? (c.seq(entry.value, `${where}.editions`, c.line(entry.key)) ?? []) : [];
  if (c.given(entry) && edItems.length === 0) {
    c.report(entry.value, `${where}.editions must list at least one edition`);
  }
  edItems.forEach((edNode, j) => {
    const edition = checkEdition(c, checkPath, edNode, `${where}.editions[${j}]`);
    if (!edition) return;
    const first = editionLanguages.get(edition.language);
    if (first !== undefined) {
      c.report(
        edNode,
        `${where}: two editions in language ${edition.language} (the other is on line ${first}); a work has one edition per language`,
      );
      return;
    }
    editionLanguages.set(edition.language, edition.line);
    editions.push(edition);
  });
  return editions;
}
