/**
 * The catalogue as data, independent of its two encodings: OPDS 1.2 (Atom, atom.ts) and
 * OPDS 2.0 (JSON, opds2.ts) describe the same feeds, entries and links.
 */
import type { Kysely } from 'kysely';
import { WORK_TYPES, type DB, type WorkType } from '../../platform/db/schema.js';
import type { Catalogs } from '../../platform/i18n/catalog.js';
import { endonymOf, isUiLanguage, type UiLanguage } from '../../platform/i18n/languages.js';
import { downloadHref } from '../downloads/links.js';
import { thumbnailsOf } from '../downloads/thumbnails.js';
import type { LibraryData } from '../library/cached-repository.js';
import { pickLabel } from '../library/editions.js';
import { thumbnailHref } from '../library/saving.js';
import { search, WORKS_PER_PAGE } from '../search/service.js';
import { OpdsRequestError, PAGE_SIZE, pagingFor, type Paging } from './paging.js';
import * as repo from './repository.js';

export type FeedKind = 'navigation' | 'acquisition';

/** A link to another feed of the catalogue; `path` is relative to the catalogue's root. */
export interface NavItem {
  path: string;
  kind: FeedKind;
  title: string;
  titleLang: string;
  summary: string;
  count?: number;
  updated: string;
  /** OPDS 1 relation: subsection, or http://opds-spec.org/sort/new for new arrivals. */
  rel: string;
}

export interface FileLink {
  /** Site-relative address. */
  href: string;
  type: string;
  size: number;
  title: string;
  language: string | undefined;
}

export interface ImageLink {
  href: string;
  type: string;
}

export interface Publication {
  id: string;
  title: string;
  language: string;
  summary: string | null;
  updated: string;
  published: string | null;
  publisher: string | null;
  licence: string | null;
  year: number | null;
  type: WorkType;
  typeLabel: string;
  topics: { slug: string; label: string; labelLang: string }[];
  /** The edition's page on the site, and its read-online pages when it has some. */
  pageHref: string;
  readHref: string | undefined;
  files: FileLink[];
  images: ImageLink[];
}

export interface Feed {
  kind: FeedKind;
  /** Relative to the catalogue's root: '' for the root, '/languages/ar', '/search'. */
  path: string;
  /** Arguments the feed's own links keep (the search terms). */
  params: Record<string, string>;
  title: string;
  titleLang: string;
  updated: string;
  navigation: NavItem[];
  publications: Publication[];
  paging?: Paging;
  /** OPDS 2 only: a preview of publications next to the navigation (the root's new arrivals). */
  groups?: { title: string; path: string; publications: Publication[] }[];
}

export interface CatalogueContext {
  db: Kysely<DB>;
  data: LibraryData;
  catalogs: Catalogs;
  lang: UiLanguage;
}

const t = (ctx: CatalogueContext, key: string, values?: Record<string, string | number>) =>
  ctx.catalogs.translate(ctx.lang, key, values);

const now = () => new Date().toISOString();

const SORT_NEW = 'http://opds-spec.org/sort/new';

async function updatedOrNow(ctx: CatalogueContext): Promise<string> {
  return (await repo.lastUpdate(ctx.db)) ?? now();
}

function countText(ctx: CatalogueContext, count: number): string {
  return t(ctx, 'opds.editionCount', { count }).text;
}

export async function rootFeed(ctx: CatalogueContext, withGroups: boolean): Promise<Feed> {
  const updated = await updatedOrNow(ctx);
  const total = await repo.countEditions(ctx.db, {});
  const item = (path: string, key: string, kind: FeedKind, summary: string, rel = 'subsection') => {
    const title = t(ctx, key);
    return { path, kind, title: title.text, titleLang: title.lang, summary, updated, rel };
  };
  const [languages, types, topics] = await Promise.all([
    repo.languagesWithEditions(ctx.db),
    repo.typesWithEditions(ctx.db),
    repo.topicsWithEditions(ctx.db).then((rows) => topicNavigation(ctx, rows)),
  ]);
  const list = (names: string[]) => names.join(', ') || countText(ctx, 0);
  const name = t(ctx, 'site.name');
  const feed: Feed = {
    kind: 'navigation',
    path: '',
    params: {},
    title: name.text,
    titleLang: name.lang,
    updated,
    navigation: [
      item('/new', 'opds.newArrivals', 'acquisition', countText(ctx, total), SORT_NEW),
      item(
        '/languages',
        'opds.byLanguage',
        'navigation',
        t(ctx, 'opds.languageCount', { count: languages.length }).text,
      ),
      item('/types', 'opds.byType', 'navigation', list(types.map((x) => typeLabel(ctx, x.type)))),
      item('/topics', 'opds.byTopic', 'navigation', list(topics.map((x) => x.title))),
      item('/all', 'opds.allEditions', 'acquisition', countText(ctx, total)),
    ],
    publications: [],
  };
  if (withGroups && total > 0) {
    const newest = await repo.listEditions(ctx.db, {}, 'newest', 5, 0);
    const title = t(ctx, 'opds.newArrivals').text;
    feed.groups = [{ title, path: '/new', publications: await publications(ctx, newest) }];
  }
  return feed;
}

export async function languagesFeed(ctx: CatalogueContext): Promise<Feed> {
  const rows = await repo.languagesWithEditions(ctx.db);
  const names = new Intl.DisplayNames([ctx.lang], { type: 'language', fallback: 'none' });
  const navigation = rows.map((row): NavItem => {
    const endonym = row.endonym || endonymOf(row.tag) || row.english_name || row.tag;
    let inFeedLanguage: string | undefined;
    try {
      inFeedLanguage = names.of(row.tag);
    } catch {
      inFeedLanguage = undefined;
    }
    const count = countText(ctx, row.count);
    return {
      path: `/languages/${encodeURIComponent(row.tag)}`,
      kind: 'acquisition',
      title: endonym,
      titleLang: row.tag,
      summary:
        inFeedLanguage && inFeedLanguage !== endonym ? `${inFeedLanguage} · ${count}` : count,
      count: row.count,
      updated: row.updated_at,
      rel: 'subsection',
    };
  });
  return navigationFeed(ctx, '/languages', 'opds.byLanguage', navigation);
}

export async function typesFeed(ctx: CatalogueContext): Promise<Feed> {
  const rows = await repo.typesWithEditions(ctx.db);
  const navigation = rows.map((row): NavItem => ({
    path: `/types/${row.type}`,
    kind: 'acquisition',
    title: typeLabel(ctx, row.type),
    titleLang: ctx.lang,
    summary: countText(ctx, row.count),
    count: row.count,
    updated: row.updated_at,
    rel: 'subsection',
  }));
  return navigationFeed(ctx, '/types', 'opds.byType', navigation);
}

async function topicNavigation(
  ctx: CatalogueContext,
  rows: { id: string; slug: string; count: number; updated_at: string }[],
): Promise<NavItem[]> {
  const labels = await ctx.data.topicLabels(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((row): NavItem => {
    const label = pickLabel(labels, row.id, ctx.lang) ?? { text: row.slug, lang: 'en' };
    return {
      path: `/topics/${encodeURIComponent(row.slug)}`,
      kind: 'acquisition',
      title: label.text,
      titleLang: label.lang,
      summary: countText(ctx, row.count),
      count: row.count,
      updated: row.updated_at,
      rel: 'subsection',
    };
  });
}

export async function topicsFeed(ctx: CatalogueContext): Promise<Feed> {
  const navigation = await topicNavigation(ctx, await repo.topicsWithEditions(ctx.db));
  return navigationFeed(ctx, '/topics', 'opds.byTopic', navigation);
}

async function navigationFeed(
  ctx: CatalogueContext,
  path: string,
  titleKey: string,
  navigation: NavItem[],
): Promise<Feed> {
  const title = t(ctx, titleKey);
  const updated = navigation.reduce((a, n) => (n.updated > a ? n.updated : a), '');
  return {
    kind: 'navigation',
    path,
    params: {},
    title: title.text,
    titleLang: title.lang,
    updated: updated || (await updatedOrNow(ctx)),
    navigation,
    publications: [],
  };
}

/** Which acquisition feed a path names; throws a 404 for a language, type or topic we lack. */
export async function acquisitionFeed(
  ctx: CatalogueContext,
  which:
    | { by: 'new' }
    | { by: 'all' }
    | { by: 'language'; tag: string }
    | { by: 'type'; type: string }
    | { by: 'topic'; slug: string },
  page: number,
): Promise<Feed> {
  let filter: repo.EditionFilter = {};
  let path: string;
  let title: { text: string; lang: string };
  if (which.by === 'new') {
    path = '/new';
    title = t(ctx, 'opds.newArrivals');
  } else if (which.by === 'all') {
    path = '/all';
    title = t(ctx, 'opds.allEditions');
  } else if (which.by === 'language') {
    const languages = await repo.languagesWithEditions(ctx.db);
    const row = languages.find((l) => l.tag === which.tag);
    if (!row) throw new OpdsRequestError(404, `No published editions in language "${which.tag}".`);
    filter = { language: row.tag };
    path = `/languages/${encodeURIComponent(row.tag)}`;
    title = {
      text: row.endonym || endonymOf(row.tag) || row.english_name || row.tag,
      lang: row.tag,
    };
  } else if (which.by === 'type') {
    const type = WORK_TYPES.find((w) => w === which.type);
    if (!type) throw new OpdsRequestError(404, `No such type "${which.type}".`);
    filter = { type };
    path = `/types/${type}`;
    title = { text: typeLabel(ctx, type), lang: ctx.lang };
  } else {
    const topic = await repo.findTopicBySlug(ctx.db, which.slug);
    if (!topic) throw new OpdsRequestError(404, `No such topic "${which.slug}".`);
    filter = { topic: topic.slug };
    path = `/topics/${encodeURIComponent(topic.slug)}`;
    const labels = await ctx.data.topicLabels(ctx.db, [topic.id]);
    title = pickLabel(labels, topic.id, ctx.lang) ?? { text: topic.slug, lang: 'en' };
  }
  const total = await repo.countEditions(ctx.db, filter);
  const paging = pagingFor(page, total);
  const rows = await repo.listEditions(
    ctx.db,
    filter,
    which.by === 'new' ? 'newest' : 'work',
    PAGE_SIZE,
    (paging.page - 1) * PAGE_SIZE,
  );
  const entries = await publications(ctx, rows);
  return {
    kind: 'acquisition',
    path,
    params: {},
    title: title.text,
    titleLang: title.lang,
    updated: latest(entries) ?? (await updatedOrNow(ctx)),
    navigation: [],
    publications: entries,
    paging,
  };
}

/**
 * Search results: the search page's ranking (src/features/search), one entry per edition it
 * shows. Paging follows the search service, which counts works (up to three editions each).
 */
export async function searchFeed(ctx: CatalogueContext, q: string, page: number): Promise<Feed> {
  const result = await search(ctx.db, { q, readerLanguage: ctx.lang, page });
  const paging = pagingFor(page, result.totalWorks, WORKS_PER_PAGE);
  const ids = result.works.flatMap((w) => w.editions.map((e) => e.id));
  const entries = await publications(ctx, await repo.editionsInOrder(ctx.db, ids));
  const title = t(ctx, 'opds.searchResults', { query: result.query });
  return {
    kind: 'acquisition',
    path: '/search',
    params: { q },
    title: title.text,
    titleLang: title.lang,
    updated: latest(entries) ?? (await updatedOrNow(ctx)),
    navigation: [],
    publications: entries,
    paging,
  };
}

function latest(entries: Publication[]): string | undefined {
  return entries.reduce<string | undefined>(
    (a, p) => (a === undefined || p.updated > a ? p.updated : a),
    undefined,
  );
}

function typeLabel(ctx: CatalogueContext, type: WorkType): string {
  return t(ctx, `workTypePlural.${type}`).text;
}

/** Site address of an edition's page, in its own language's interface when there is one. */
function editionPage(ctx: CatalogueContext, row: repo.CatalogueEdition): string {
  const ui = isUiLanguage(row.language) ? row.language : ctx.lang;
  return `/${ui}/works/${encodeURIComponent(row.slug)}/${encodeURIComponent(row.language)}`;
}

async function publications(
  ctx: CatalogueContext,
  rows: repo.CatalogueEdition[],
): Promise<Publication[]> {
  if (rows.length === 0) return [];
  const editionIds = rows.map((r) => r.id);
  const workIds = [...new Set(rows.map((r) => r.work_id))];
  const [files, topics, withPages] = await Promise.all([
    ctx.data.editionFiles(ctx.db, editionIds),
    repo.topicsOfWorks(ctx.db, workIds),
    repo.editionsWithPages(ctx.db, editionIds),
  ]);
  const [thumbnails, labels] = await Promise.all([
    thumbnailsOf(
      ctx.db,
      files.map((f) => f.id),
    ),
    ctx.data.topicLabels(ctx.db, [...new Set(topics.map((x) => x.id))]),
  ]);
  const thumbnailOf = new Map(thumbnails.map((th) => [th.file_id, th]));
  return rows.map((row): Publication => {
    const own = files.filter((f) => f.edition_id === row.id);
    const page = editionPage(ctx, row);
    const images = own.flatMap((f) => {
      const th = thumbnailOf.get(f.id);
      return th ? [{ href: thumbnailHref(f.id), type: th.media_type }] : [];
    });
    return {
      id: row.id,
      title: row.title,
      language: row.language,
      summary: row.summary,
      updated: row.updated_at,
      published: row.published_at,
      publisher: row.publisher_name,
      licence: row.licence,
      year: row.year,
      type: row.type,
      typeLabel: typeLabel(ctx, row.type),
      topics: topics
        .filter((x) => x.work_id === row.work_id)
        .map((x) => {
          const label = pickLabel(labels, x.id, ctx.lang) ?? { text: x.slug, lang: 'en' };
          return { slug: x.slug, label: label.text, labelLang: label.lang };
        }),
      pageHref: page,
      // Every entry needs a way to get it (OPDS 2 requires one): the read-online pages of an
      // HTML edition, or the edition's page when it has neither pages nor files.
      readHref: withPages.has(row.id) ? `${page}/read` : own.length === 0 ? page : undefined,
      files: own.map((f) => ({
        href: downloadHref(f),
        type: f.media_type,
        size: Number(f.size),
        title: f.filename,
        language: f.language ?? undefined,
      })),
      images: images.slice(0, 1),
    };
  });
}
