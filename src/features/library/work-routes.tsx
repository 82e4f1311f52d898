import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { DB } from '../../platform/db/schema.js';
import { notFound } from '../../platform/http/errors.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import { canonicalTag, UI_LANGUAGES } from '../../platform/i18n/languages.js';
import type { LanguageNames } from '../../platform/views/components.js';
import { editionJsonLd } from '../discovery/json-ld.js';
import type { LibraryData } from './cached-repository.js';
import { chooseEdition, orderForReader } from './editions.js';
import { PLAYABLE_VIDEO } from './formats.js';
import type * as repo from './repository.js';
import {
  EditionParams,
  LANGUAGE_PAGE_SIZE,
  PageQuery,
  pageCount,
  ReadQuery,
  WORK_PAGE_EDITIONS,
  WorkParams,
} from './route-schemas.js';
import { editionThumbnails } from './saving.js';
import { labelled } from './service.js';
import { EditionLanguagesPage, ReadPage, WatchPage } from './views/reading.js';
import { editionNames, WorkPage } from './views/work.js';

/** Names of every language a work is in, by tag; built once per cached edition list. */
const languageMaps = new WeakMap<readonly repo.EditionName[], Map<string, LanguageNames>>();
function languageMap(editions: readonly repo.EditionName[]): Map<string, LanguageNames> {
  let map = languageMaps.get(editions);
  if (!map) {
    map = new Map(editions.map((e) => [e.language, editionNames(e)]));
    languageMaps.set(editions, map);
  }
  return map;
}

/** A work's page, its edition pages, reading online, watching and the list of its editions. */
export function registerWorkRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; pages: PageRenderer; data: LibraryData },
) {
  const { db, pages, data } = deps;

  /** Loads a work and the edition the URL names, or the reader's best edition. */
  async function loadWork(slug: string, editionTag: string | undefined, readerLanguage: string) {
    const work = await data.findWorkBySlug(db, slug);
    if (!work) throw notFound('no such work');
    const editions = await data.workEditions(db, work.id);
    let chosen: { edition: repo.EditionName; inReaderLanguage: boolean } | undefined;
    if (editionTag) {
      const tag = canonicalTag(editionTag);
      const edition = tag && editions.find((e) => e.language === tag);
      if (!edition) throw notFound('no such edition');
      // The reader picked this language herself: no fallback note.
      chosen = { edition, inReaderLanguage: true };
    } else {
      chosen = chooseEdition(editions, readerLanguage, work.original_language);
    }
    if (!chosen) throw notFound('work has no published edition');
    const [full] = await data.editionsByIds(db, [chosen.edition.id]);
    if (!full) throw notFound('edition vanished');
    return { work, editions, edition: full, inReaderLanguage: chosen.inReaderLanguage };
  }

  /** `known` plus the names of the languages of files (subtitles) that it lacks. */
  async function withFileLanguages(
    known: Map<string, LanguageNames>,
    files: readonly repo.EditionFileRow[],
  ): Promise<Map<string, LanguageNames>> {
    const missing = new Set(
      files.map((f) => f.language).filter((t): t is string => !!t && !known.has(t)),
    );
    if (missing.size === 0) return known;
    const languages = new Map(known);
    for (const t of missing) {
      const l = await data.findLanguage(db, t);
      if (l) languages.set(t, l);
    }
    return languages;
  }

  const workPage = (
    request: Parameters<PageRenderer['render']>[0],
    reply: Parameters<PageRenderer['render']>[1],
  ) =>
    pages.render(request, reply, async (ctx) => {
      const { slug, edition: tag } = request.params as { slug: string; edition?: string };
      const { work, editions, edition, inReaderLanguage } = await loadWork(slug, tag, ctx.lang);
      const [files, sections, topics, thumbnails] = await Promise.all([
        data.editionFiles(db, [edition.id]),
        data.sectionCount(db, edition.id),
        data.workTopics(db, work.id),
        editionThumbnails(db, [edition.id]),
      ]);
      const others: repo.EditionName[] = [];
      for (const e of orderForReader(editions, ctx.lang)) {
        if (others.length === WORK_PAGE_EDITIONS) break;
        if (e.id !== edition.id) others.push(e);
      }
      const languages = await withFileLanguages(languageMap(editions), files);
      return {
        title: edition.title,
        description: edition.summary ?? undefined,
        body: (
          <WorkPage
            ctx={ctx}
            work={work}
            edition={edition}
            inReaderLanguage={inReaderLanguage}
            files={files}
            sections={sections}
            playable={files.some((f) => PLAYABLE_VIDEO.has(f.media_type))}
            others={others}
            editionTotal={editions.length}
            topics={await labelled(db, topics, data.topicLabels, ctx.lang)}
            languages={languages}
            thumbnail={thumbnails.get(edition.id)}
          />
        ),
        alternates: [
          ...UI_LANGUAGES.map((l) => ({ hreflang: l, href: `/${l}/works/${work.slug}` })),
          ...[edition, ...others.slice(0, 10)].map((e) => ({
            hreflang: e.language,
            href: `/${ctx.lang}/works/${work.slug}/${e.language}`,
          })),
        ],
        jsonLd: editionJsonLd({ lang: ctx.lang, work, edition, editions, files, sections }),
      };
    });

  app.get('/:lang/works/:slug', { schema: { params: WorkParams } }, workPage);
  app.get('/:lang/works/:slug/:edition', { schema: { params: EditionParams } }, workPage);

  app.get(
    '/:lang/works/:slug/:edition/read',
    { schema: { params: EditionParams, querystring: ReadQuery } },
    (request, reply) =>
      pages.render(request, reply, async (ctx) => {
        const { slug, edition: tag } = request.params as Static<typeof EditionParams>;
        const page = (request.query as Static<typeof PageQuery>).page ?? 1;
        const textOnly = (request.query as Static<typeof ReadQuery>).text === 1;
        const { work, edition } = await loadWork(slug, tag, ctx.lang);
        const [total, section] = await Promise.all([
          data.sectionCount(db, edition.id),
          data.findSection(db, edition.id, page - 1),
        ]);
        if (!section) throw notFound('no such page of this edition');
        return {
          title: section.heading ? `${section.heading} · ${edition.title}` : edition.title,
          body: (
            <ReadPage
              ctx={ctx}
              work={work}
              edition={edition}
              html={section.html}
              page={page}
              pages={total}
              textOnly={textOnly}
            />
          ),
          alternates: 'ui',
          layout: textOnly ? 'text' : undefined,
        };
      }),
  );

  app.get(
    '/:lang/works/:slug/:edition/watch',
    { schema: { params: EditionParams } },
    (request, reply) =>
      pages.render(request, reply, async (ctx) => {
        const { slug, edition: tag } = request.params as Static<typeof EditionParams>;
        const { work, edition } = await loadWork(slug, tag, ctx.lang);
        const files = await data.editionFiles(db, [edition.id]);
        if (!files.some((f) => PLAYABLE_VIDEO.has(f.media_type)))
          throw notFound('nothing to watch');
        const languages = await withFileLanguages(new Map(), files);
        return {
          title: edition.title,
          body: (
            <WatchPage
              ctx={ctx}
              work={work}
              edition={edition}
              files={files}
              languages={languages}
            />
          ),
          alternates: 'ui',
        };
      }),
  );

  app.get(
    '/:lang/works/:slug/:edition/languages',
    { schema: { params: EditionParams, querystring: PageQuery } },
    (request, reply) =>
      pages.render(request, reply, async (ctx) => {
        const { slug, edition: tag } = request.params as Static<typeof EditionParams>;
        const page = (request.query as Static<typeof PageQuery>).page ?? 1;
        const { work, edition, editions } = await loadWork(slug, tag, ctx.lang);
        const ordered = orderForReader(editions, ctx.lang);
        const pagesTotal = pageCount(ordered.length, LANGUAGE_PAGE_SIZE);
        if (page > pagesTotal) throw notFound('page out of range');
        return {
          title: ctx.t('editions.heading', { count: editions.length }),
          body: (
            <EditionLanguagesPage
              ctx={ctx}
              work={work}
              edition={edition}
              editions={ordered.slice((page - 1) * LANGUAGE_PAGE_SIZE, page * LANGUAGE_PAGE_SIZE)}
              page={page}
              pages={pagesTotal}
              total={editions.length}
            />
          ),
          alternates: 'ui',
        };
      }),
  );
}
