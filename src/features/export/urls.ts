import path from 'node:path';
import { cleanFilename } from '../downloads/filename.js';

/**
 * Which site addresses an export contains, and the file each one becomes. Pure functions:
 * the crawler (renderer.ts) asks `classify` about every link it meets.
 */

/** What the exporter knows about the library before crawling. */
export interface ExportScope {
  /** Interface languages of the exported pages; the first is the welcome page's. */
  uiLanguages: string[];
  /** Public works in the export, by slug: the languages of their exported editions. */
  works: Map<string, WorkScope>;
  /** Content language tags kept (all when undefined). */
  languages: string[] | undefined;
  /** Set when only one collection is exported. */
  collection: string | undefined;
  /** Languages that have at least one exported edition (for library?language=). */
  editionLanguages: Set<string>;
  /** Topics and collections that exist (slugs), to keep away from 404 crawls. */
  topics: Set<string>;
  collections: Set<string>;
  /** Events and curricula are exported with the whole library only. */
  includeProgramme: boolean;
  /** Ids of the exported editions: only their files are copied. */
  editionIds: Set<string>;
}

export interface WorkScope {
  slug: string;
  /** Tags of exported editions, in the work's order. */
  editions: string[];
  /** Per interface language, the edition that /{lang}/works/{slug} shows. */
  defaultEdition: Map<string, string>;
}

/** A page or a file of the export. */
export type Target =
  | { kind: 'page'; url: string; file: string }
  | { kind: 'download'; id: string; name: string; url: string };

const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const TAG = /^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,7}$/;
const PAGE = /^[1-9][0-9]{0,4}$/;
const ID = /^[0-9a-f-]{36}$/;
const LIBRARY_FILTERS = ['language', 'type', 'topic'] as const;

/** Query parameters, or undefined when a key repeats or is not in `allowed`. */
function readQuery(query: URLSearchParams, allowed: readonly string[]) {
  const out = new Map<string, string>();
  for (const [key, value] of query) {
    if (!allowed.includes(key) || out.has(key)) return undefined;
    out.set(key, value);
  }
  const page = out.get('page');
  if (page !== undefined) {
    if (!PAGE.test(page)) return undefined;
    if (page === '1') out.delete('page');
  }
  return out;
}

/** `dir/index.html`, or `dir/index-key-value.html` for a query (keys sorted, page last). */
function pageFile(segments: string[], query: Map<string, string> = new Map()): string {
  const keys = [...query.keys()].sort((a, b) =>
    a === 'page' ? 1 : b === 'page' ? -1 : a < b ? -1 : 1,
  );
  const suffix = keys.map((k) => `-${k}-${safeSegment(query.get(k)!)}`).join('');
  return [...segments, `index${suffix}.html`].join('/');
}

function safeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9-]/g, '_');
}

function canonicalUrl(pathname: string, query: Map<string, string> = new Map()): string {
  const keys = [...query.keys()].sort();
  if (keys.length === 0) return pathname;
  return `${pathname}?${keys.map((k) => `${k}=${encodeURIComponent(query.get(k)!)}`).join('&')}`;
}

function page(segments: string[], query?: Map<string, string>): Target {
  return {
    kind: 'page',
    url: canonicalUrl(`/${segments.join('/')}${segments.length === 1 ? '/' : ''}`, query),
    file: pageFile(segments, query),
  };
}

/**
 * The export target of a site-relative address (`/ar/works/x/fa?page=2`), or undefined when
 * the export does not contain it (search, sign-in, forms, other languages, filtered out).
 * Addresses that show the same thing as an exported page (the language switch, a work's
 * default edition) resolve to that page.
 */
export function classify(href: string, scope: ExportScope): Target | undefined {
  let url: URL;
  try {
    url = new URL(href, 'http://export.invalid');
  } catch {
    return undefined;
  }
  if (url.origin !== 'http://export.invalid') return undefined;
  let segments: string[];
  try {
    segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (segments.at(-1) === '') segments.pop();

  if (segments[0] === 'set-language' && segments.length === 1) {
    const next = url.searchParams.get('next');
    return next && next.startsWith('/') && !next.startsWith('//')
      ? classify(next, scope)
      : undefined;
  }
  if (segments[0] === 'download' && segments.length === 3) {
    const [, id, name] = segments as [string, string, string];
    if (!ID.test(id)) return undefined;
    return { kind: 'download', id, name: cleanFilename(name), url: url.pathname };
  }

  const [lang, section, slug, edition, sub, ...rest] = segments;
  if (!lang || !scope.uiLanguages.includes(lang)) return undefined;
  const q = (allowed: readonly string[]) => readQuery(url.searchParams, allowed);

  if (section === undefined) {
    if (url.search) return undefined;
    // A collection's export is that collection: its page is the home page.
    if (scope.collection) return page([lang, 'collections', scope.collection]);
    return page([lang]);
  }
  if (section === 'library' && slug === undefined) {
    if (scope.collection) return undefined;
    const query = q([...LIBRARY_FILTERS, 'page']);
    if (!query) return undefined;
    const filters = LIBRARY_FILTERS.filter((k) => query.has(k));
    // One facet at a time: every combination would multiply the pages.
    if (filters.length > 1) return undefined;
    const language = query.get('language');
    if (language !== undefined && !scope.editionLanguages.has(language)) return undefined;
    const topic = query.get('topic');
    if (topic !== undefined && !scope.topics.has(topic)) return undefined;
    const type = query.get('type');
    if (type !== undefined && !SLUG.test(type)) return undefined;
    return page([lang, 'library'], query);
  }
  if (section === 'languages' && slug === undefined) {
    if (scope.collection) return undefined;
    const query = q(['page']);
    return query ? page([lang, 'languages'], query) : undefined;
  }
  if ((section === 'topics' || section === 'collections') && slug && edition === undefined) {
    const known = section === 'topics' ? scope.topics : scope.collections;
    if (!known.has(slug)) return undefined;
    if (scope.collection && (section === 'topics' || slug !== scope.collection)) return undefined;
    const query = q(['page']);
    return query ? page([lang, section, slug], query) : undefined;
  }
  if (section === 'works' && slug && rest.length === 0) {
    const work = scope.works.get(slug);
    if (!work) return undefined;
    const tag = edition ?? work.defaultEdition.get(lang);
    if (!tag || !TAG.test(tag) || !work.editions.includes(tag)) return undefined;
    if (sub === undefined) return url.search ? undefined : page([lang, 'works', slug, tag]);
    if (sub === 'watch') return url.search ? undefined : page([lang, 'works', slug, tag, 'watch']);
    if (sub === 'read') {
      const query = q(['page']);
      return query ? page([lang, 'works', slug, tag, 'read'], query) : undefined;
    }
    if (sub === 'languages') {
      // The list of a work's editions barely depends on the edition it came from: one copy.
      const query = q(['page']);
      const first = work.defaultEdition.get(lang) ?? tag;
      return query ? page([lang, 'works', slug, first, 'languages'], query) : undefined;
    }
    return undefined;
  }
  if (!scope.includeProgramme || url.search) return undefined;
  if (section === 'events' || section === 'curricula') {
    if (slug === undefined) return page([lang, section]);
    if (!SLUG.test(slug)) return undefined;
    if (edition === undefined) return page([lang, section, slug]);
    if (section === 'curricula' && edition === 'sessions' && sub && !rest.length) {
      return SLUG.test(sub) || /^[0-9a-f-]{1,64}$/.test(sub)
        ? page([lang, section, slug, 'sessions', sub])
        : undefined;
    }
  }
  return undefined;
}

/** Where a download is stored in the export: one folder per file id, its display name inside. */
export function downloadFile(id: string, name: string): string {
  return `files/${id}/${cleanFilename(name)}`;
}

/** A relative link from one exported file to another, percent-encoded per segment. */
export function relativeHref(fromFile: string, toFile: string, fragment = ''): string {
  const relative = path.posix.relative(path.posix.dirname(fromFile), toFile);
  return relative.split('/').map(encodeSegment).join('/') + fragment;
}

function encodeSegment(segment: string): string {
  return segment === '..' || segment === '.' ? segment : encodeURIComponent(segment);
}
