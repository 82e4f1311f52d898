/**
 * The sitemap: every public page once per interface language, each with its alternates in the
 * other five and x-default (hreflang). One <urlset> while it is small; past
 * SITEMAP_PAGES_PER_FILE pages an index at /sitemap.xml that points to /sitemaps/N.xml.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { DEFAULT_UI_LANGUAGE, UI_LANGUAGES } from '../../platform/i18n/languages.js';
import { XML_DECLARATION, xmlEscape } from './xml.js';

/** A public page, without its interface-language prefix ("" is the home page). */
export interface SitemapPage {
  path: string;
  lastmod?: string | undefined;
}

/**
 * Pages per file. Each page is one <url> per interface language (six), each with seven links:
 * 5,000 pages are 30,000 URLs, under the protocol's 50,000, and about 30 MB with long slugs,
 * under its 50 MB.
 */
export const SITEMAP_PAGES_PER_FILE = 5_000;

const seg = (s: string) => encodeURIComponent(s);

const latest = (a: string | undefined, b: string | null | undefined) =>
  b && (!a || b > a) ? b : a;

/** Every public page: home, library, languages, works and editions, collections, topics, events, curricula and sessions. */
export async function sitemapPages(db: Kysely<DB>): Promise<SitemapPage[]> {
  const [editions, topics, collections, events, curricula, sessions] = await Promise.all([
    db
      .selectFrom('editions as e')
      .innerJoin('works as w', 'w.id', 'e.work_id')
      .where('e.status', '=', 'published')
      .where('w.published_at', 'is not', null)
      .select(['w.slug', 'w.updated_at as work_updated', 'e.language', 'e.updated_at'])
      .orderBy('w.slug')
      .orderBy('e.language')
      .execute(),
    db
      .selectFrom('topics as t')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('work_topics as wt')
            .innerJoin('works as w', 'w.id', 'wt.work_id')
            .select('wt.work_id')
            .whereRef('wt.topic_id', '=', 't.id')
            .where('w.published_at', 'is not', null)
            .where((eb2) =>
              eb2.exists(
                eb2
                  .selectFrom('editions as e')
                  .select('e.id')
                  .whereRef('e.work_id', '=', 'w.id')
                  .where('e.status', '=', 'published'),
              ),
            ),
        ),
      )
      .select('t.slug')
      .orderBy('t.slug')
      .execute(),
    db.selectFrom('collections').select(['slug', 'updated_at']).orderBy('slug').execute(),
    db
      .selectFrom('events')
      .where('published_at', 'is not', null)
      .where('visibility', '=', 'public')
      .select(['slug', 'updated_at'])
      .orderBy('starts_at', 'desc')
      .orderBy('slug')
      .execute(),
    db
      .selectFrom('curricula as c')
      .innerJoin('works as w', 'w.id', 'c.work_id')
      .where('w.published_at', 'is not', null)
      .select(['c.slug', 'c.updated_at'])
      .orderBy('c.slug')
      .execute(),
    db
      .selectFrom('curriculum_sessions as s')
      .innerJoin('curriculum_modules as m', 'm.id', 's.module_id')
      .innerJoin('curricula as c', 'c.id', 'm.curriculum_id')
      .innerJoin('works as w', 'w.id', 'c.work_id')
      .where('w.published_at', 'is not', null)
      .select(['c.slug as curriculum', 's.slug', 's.updated_at'])
      .orderBy('c.slug')
      .orderBy('m.position')
      .orderBy('s.position')
      .execute(),
  ]);

  let libraryChanged: string | undefined;
  const works = new Map<string, { lastmod: string | undefined; editions: SitemapPage[] }>();
  for (const e of editions) {
    let work = works.get(e.slug);
    if (!work) {
      work = { lastmod: e.work_updated, editions: [] };
      works.set(e.slug, work);
    }
    const lastmod = latest(e.work_updated, e.updated_at);
    work.lastmod = latest(work.lastmod, lastmod);
    work.editions.push({ path: `/works/${seg(e.slug)}/${seg(e.language)}`, lastmod });
    libraryChanged = latest(libraryChanged, lastmod);
  }

  const pages: SitemapPage[] = [
    { path: '', lastmod: libraryChanged },
    { path: '/library', lastmod: libraryChanged },
    { path: '/languages', lastmod: libraryChanged },
  ];
  for (const [slug, work] of works) {
    pages.push({ path: `/works/${seg(slug)}`, lastmod: work.lastmod }, ...work.editions);
  }
  for (const c of collections)
    pages.push({ path: `/collections/${seg(c.slug)}`, lastmod: c.updated_at });
  for (const t of topics) pages.push({ path: `/topics/${seg(t.slug)}` });
  pages.push({
    path: '/events',
    lastmod: events.reduce<string | undefined>((a, e) => latest(a, e.updated_at), undefined),
  });
  for (const e of events) pages.push({ path: `/events/${seg(e.slug)}`, lastmod: e.updated_at });
  if (curricula.length > 0) {
    pages.push({
      path: '/curricula',
      lastmod: curricula.reduce<string | undefined>((a, c) => latest(a, c.updated_at), undefined),
    });
  }
  for (const c of curricula)
    pages.push({ path: `/curricula/${seg(c.slug)}`, lastmod: c.updated_at });
  for (const s of sessions) {
    pages.push({
      path: `/curricula/${seg(s.curriculum)}/sessions/${seg(s.slug)}`,
      lastmod: s.updated_at,
    });
  }
  return pages;
}

/** How many files the sitemap needs (at least one). */
export function sitemapFileCount(pageCount: number, perFile = SITEMAP_PAGES_PER_FILE): number {
  return Math.max(1, Math.ceil(pageCount / perFile));
}

/** W3C datetime without milliseconds. */
function lastmodText(iso: string): string {
  return iso.replace(/\.\d+(?=Z$|[+-]\d\d:\d\d$)/, '');
}

const href = (base: string, lang: string, path: string) => `${base}/${lang}${path || '/'}`;

/** A <urlset> of these pages, each in every interface language with its alternates. */
export function renderUrlset(base: string, pages: readonly SitemapPage[]): string {
  const out: string[] = [
    XML_DECLARATION,
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n',
  ];
  for (const page of pages) {
    const links =
      UI_LANGUAGES.map(
        (l) =>
          `<xhtml:link rel="alternate" hreflang="${l}" href="${xmlEscape(href(base, l, page.path))}"/>`,
      ).join('') +
      `<xhtml:link rel="alternate" hreflang="x-default" href="${xmlEscape(
        page.path === '' ? `${base}/` : href(base, DEFAULT_UI_LANGUAGE, page.path),
      )}"/>`;
    const lastmod = page.lastmod ? `<lastmod>${lastmodText(page.lastmod)}</lastmod>` : '';
    for (const lang of UI_LANGUAGES) {
      out.push(
        `<url><loc>${xmlEscape(href(base, lang, page.path))}</loc>${lastmod}${links}</url>\n`,
      );
    }
  }
  out.push('</urlset>\n');
  return out.join('');
}

/** The index of the sitemap's files, /sitemaps/1.xml to /sitemaps/N.xml. */
export function renderIndex(
  base: string,
  files: readonly { lastmod: string | undefined }[],
): string {
  const out: string[] = [
    XML_DECLARATION,
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
  ];
  files.forEach((file, i) => {
    const lastmod = file.lastmod ? `<lastmod>${lastmodText(file.lastmod)}</lastmod>` : '';
    out.push(
      `<sitemap><loc>${xmlEscape(`${base}/sitemaps/${i + 1}.xml`)}</loc>${lastmod}</sitemap>\n`,
    );
  });
  out.push('</sitemapindex>\n');
  return out.join('');
}

/** The pages of file `n` (1-based). */
export function sitemapFile(
  pages: readonly SitemapPage[],
  n: number,
  perFile = SITEMAP_PAGES_PER_FILE,
): SitemapPage[] {
  return pages.slice((n - 1) * perFile, n * perFile);
}

/** The newest lastmod of some pages. */
export function newest(pages: readonly SitemapPage[]): string | undefined {
  return pages.reduce<string | undefined>((a, p) => latest(a, p.lastmod), undefined);
}
