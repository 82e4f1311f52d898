import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { WORK_TYPES, type WorkType } from '../../platform/db/schema.js';
import { notFound } from '../../platform/http/errors.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import { canonicalTag, endonymOf, UI_LANGUAGES } from '../../platform/i18n/languages.js';
import type { LanguageNames } from '../../platform/views/components.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { orderForReader, pickLabel, chooseEdition } from './editions.js';
import { PLAYABLE_VIDEO } from './formats.js';
import * as repo from './repository.js';
import type { LibraryData } from './cached-repository.js';
import { workListItems } from './service.js';
import { HomePage, LibraryPage, type Labelled } from './views/pages.js';
import { EditionLanguagesPage, LanguagesPage, ReadPage, WatchPage } from './views/reading.js';
import { editionNames, WorkPage } from './views/work.js';

const PAGE_SIZE = 20;
const LANGUAGE_PAGE_SIZE = 100;
/** How many other editions the work page lists before linking to the full, paged list. */
const WORK_PAGE_EDITIONS = 24;
const MAX_PAGE = 10_000;

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,79}$' });
const Tag = Type.String({ pattern: '^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,7}$', maxLength: 64 });
const PageNumber = Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 });

const LibraryQuery = Type.Object(
  {
    language: Type.Optional(Tag),
    type: Type.Optional(Type.Union(WORK_TYPES.map((t) => Type.Literal(t)))),
    topic: Type.Optional(Slug),
    page: Type.Optional(PageNumber),
  },
  { additionalProperties: false },
);
const PageQuery = Type.Object({ page: Type.Optional(PageNumber) }, { additionalProperties: false });
const LangParams = Type.Object({ lang: Type.String({ maxLength: 64 }) });
const WorkParams = Type.Object({ lang: Type.String({ maxLength: 64 }), slug: Slug });
const EditionParams = Type.Object({
  lang: Type.String({ maxLength: 64 }),
  slug: Slug,
  edition: Tag,
});
const SlugParams = Type.Object({ lang: Type.String({ maxLength: 64 }), slug: Slug });

function pageCount(total: number, size: number) {
  return Math.max(1, Math.ceil(total / size));
}

async function labelled(
  db: Kysely<DB>,
  items: { id: string; slug: string; count?: number }[],
  load: (db: Kysely<DB>, ids: string[]) => Promise<repo.LabelRow[]>,
  lang: string,
): Promise<Labelled[]> {
  const labels = await load(
    db,
    items.map((i) => i.id),
  );
  return items.map((i) => ({
    slug: i.slug,
    label: pickLabel(labels, i.id, lang) ?? { text: i.slug, lang: 'en' },
    ...(i.count !== undefined ? { count: i.count } : {}),
  }));
}

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

export function registerLibraryRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; pages: PageRenderer; data: LibraryData },
) {
  const { db, pages, data } = deps;

  app.get('/:lang/', { schema: { params: LangParams } }, (request, reply) =>
    pages.render(request, reply, async (ctx) => {
      const [types, topics, collections, latestWorks, workCount, languageCount, newEditions] =
        await Promise.all([
          data.typeFacet(db, {}),
          data.topicFacet(db, {}),
          data.listCollections(db),
          data.listWorks(db, {}, 6, 0),
          data.countWorks(db, {}),
          data.countLanguages(db),
          data.latestEditionsInLanguage(db, ctx.lang, 6),
        ]);
      const newWorks = new Map(
        (
          await data.findWorksByIds(
            db,
            newEditions.map((e) => e.work_id),
          )
        ).map((w) => [w.id, w]),
      );
      const newInLanguage = newEditions.flatMap((edition) => {
        const work = newWorks.get(edition.work_id);
        return work ? [{ work, edition, inReaderLanguage: true, languageCount: 0 }] : [];
      });
      return {
        title: ctx.t('site.name'),
        description: ctx.t('home.intro', { works: workCount, languages: languageCount }),
        body: (
          <HomePage
            ctx={ctx}
            newInLanguage={newInLanguage}
            latest={
              newInLanguage.length ? [] : await workListItems(data, db, latestWorks, ctx.lang)
            }
            types={types}
            collections={await labelled(db, collections, data.collectionLabels, ctx.lang)}
            topics={await labelled(db, topics, data.topicLabels, ctx.lang)}
            workCount={workCount}
            languageCount={languageCount}
          />
        ),
        alternates: 'ui',
      };
    }),
  );

  async function libraryPage(
    request: Parameters<PageRenderer['render']>[0],
    reply: Parameters<PageRenderer['render']>[1],
    options: {
      topic?: string;
      heading?: (ctx: Parameters<Parameters<PageRenderer['render']>[2]>[0]) => Promise<string>;
    },
  ) {
    const query = request.query as Static<typeof LibraryQuery>;
    const language = query.language ? canonicalTag(query.language) : undefined;
    if (query.language && !language) throw notFound('unknown language');
    const filter: repo.LibraryFilter = {
      language,
      type: query.type as WorkType | undefined,
      topic: options.topic ?? query.topic,
    };
    return pages.render(request, reply, async (ctx) => {
      const page = query.page ?? 1;
      const [total, types, topics, languages, selected] = await Promise.all([
        data.countWorks(db, filter),
        data.typeFacet(db, filter),
        data.topicFacet(db, filter),
        data.languageFacet(db, filter, 12),
        language ? data.findLanguage(db, language) : Promise.resolve(undefined),
      ]);
      const pagesTotal = pageCount(total, PAGE_SIZE);
      if (page > pagesTotal) throw notFound('page out of range');
      const works = await data.listWorks(db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
      const heading = options.heading ? await options.heading(ctx) : ctx.t('library.heading');
      return {
        title: heading,
        body: (
          <LibraryPage
            ctx={ctx}
            heading={heading}
            filters={{
              language,
              type: filter.type,
              topic: options.topic ? undefined : filter.topic,
            }}
            items={await workListItems(data, db, works, ctx.lang, language)}
            total={total}
            page={page}
            pages={pagesTotal}
            types={types}
            topics={await labelled(db, topics, data.topicLabels, ctx.lang)}
            languages={languages}
            selectedLanguage={selected}
            showTopicFacet={!options.topic}
            {...(options.topic ? { base: `/topics/${options.topic}` } : {})}
          />
        ),
        alternates: 'ui',
      };
    });
  }

  app.get(
    '/:lang/library',
    { schema: { params: LangParams, querystring: LibraryQuery } },
    (request, reply) => libraryPage(request, reply, {}),
  );

  app.get(
    '/:lang/topics/:slug',
    { schema: { params: SlugParams, querystring: LibraryQuery } },
    async (request, reply) => {
      const { slug } = request.params as Static<typeof SlugParams>;
      const topic = await data.findTopic(db, slug);
      if (!topic) throw notFound('no such topic');
      return libraryPage(request, reply, {
        topic: slug,
        heading: async (ctx) => {
          const label = pickLabel(await data.topicLabels(db, [topic.id]), topic.id, ctx.lang);
          return label?.text ?? slug;
        },
      });
    },
  );

  app.get(
    '/:lang/collections/:slug',
    { schema: { params: SlugParams, querystring: PageQuery } },
    (request, reply) =>
      pages.render(request, reply, async (ctx) => {
        const { slug } = request.params as Static<typeof SlugParams>;
        const collection = await data.findCollection(db, slug);
        if (!collection) throw notFound('no such collection');
        const labels = await data.collectionLabels(db, [collection.id]);
        const title = pickLabel(labels, collection.id, ctx.lang)?.text ?? slug;
        const description = labels.find((l) => l.text === title)?.description ?? undefined;
        const works = await data.listCollectionWorks(db, collection.id);
        const items = await workListItems(data, db, works, ctx.lang);
        const { WorkList } = await import('./views/work-list.js');
        return {
          title,
          body: (
            <>
              <h1>{title}</h1>
              {description && <p>{description}</p>}
              <WorkList ctx={ctx} items={items} />
            </>
          ),
          alternates: 'ui',
        };
      }),
  );

  app.get(
    '/:lang/languages',
    { schema: { params: LangParams, querystring: PageQuery } },
    (request, reply) =>
      pages.render(request, reply, async (ctx) => {
        const page = (request.query as Static<typeof PageQuery>).page ?? 1;
        const total = await data.countLanguages(db);
        const pagesTotal = pageCount(total, LANGUAGE_PAGE_SIZE);
        if (page > pagesTotal) throw notFound('page out of range');
        const languages = await data.languageFacet(
          db,
          {},
          LANGUAGE_PAGE_SIZE,
          (page - 1) * LANGUAGE_PAGE_SIZE,
        );
        return {
          title: ctx.t('languages.heading'),
          body: (
            <LanguagesPage
              ctx={ctx}
              uiLanguages={UI_LANGUAGES.map((tag) => ({ tag, endonym: endonymOf(tag) ?? tag }))}
              languages={languages}
              page={page}
              pages={pagesTotal}
              total={total}
            />
          ),
          alternates: 'ui',
        };
      }),
  );

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

  const workPage = (
    request: Parameters<PageRenderer['render']>[0],
    reply: Parameters<PageRenderer['render']>[1],
  ) =>
    pages.render(request, reply, async (ctx) => {
      const { slug, edition: tag } = request.params as { slug: string; edition?: string };
      const { work, editions, edition, inReaderLanguage } = await loadWork(slug, tag, ctx.lang);
      const [files, sections, topics] = await Promise.all([
        data.editionFiles(db, [edition.id]),
        data.sectionCount(db, edition.id),
        data.workTopics(db, work.id),
      ]);
      const others: repo.EditionName[] = [];
      for (const e of orderForReader(editions, ctx.lang)) {
        if (others.length === WORK_PAGE_EDITIONS) break;
        if (e.id !== edition.id) others.push(e);
      }
      let languages = languageMap(editions);
      const subtitleTags = files
        .map((f) => f.language)
        .filter((t): t is string => !!t && !languages.has(t));
      if (subtitleTags.length) languages = new Map(languages);
      for (const t of subtitleTags) {
        const l = await data.findLanguage(db, t);
        if (l) languages.set(t, l);
      }
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
          />
        ),
        alternates: [
          ...UI_LANGUAGES.map((l) => ({ hreflang: l, href: `/${l}/works/${work.slug}` })),
          ...[edition, ...others.slice(0, 10)].map((e) => ({
            hreflang: e.language,
            href: `/${ctx.lang}/works/${work.slug}/${e.language}`,
          })),
        ],
      };
    });

  app.get('/:lang/works/:slug', { schema: { params: WorkParams } }, workPage);
  app.get('/:lang/works/:slug/:edition', { schema: { params: EditionParams } }, workPage);

  app.get(
    '/:lang/works/:slug/:edition/read',
    { schema: { params: EditionParams, querystring: PageQuery } },
    (request, reply) =>
      pages.render(request, reply, async (ctx) => {
        const { slug, edition: tag } = request.params as Static<typeof EditionParams>;
        const page = (request.query as Static<typeof PageQuery>).page ?? 1;
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
            />
          ),
          alternates: 'ui',
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
        const languages = new Map<string, LanguageNames>();
        for (const t of new Set(files.map((f) => f.language).filter((x): x is string => !!x))) {
          const l = await data.findLanguage(db, t);
          if (l) languages.set(t, l);
        }
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
