import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { DB, WorkType } from '../../platform/db/schema.js';
import { notFound } from '../../platform/http/errors.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import { canonicalTag, endonymOf, UI_LANGUAGES } from '../../platform/i18n/languages.js';
import type { LibraryData } from './cached-repository.js';
import { pickLabel } from './editions.js';
import type * as repo from './repository.js';
import {
  LANGUAGE_PAGE_SIZE,
  LangParams,
  LibraryQuery,
  PAGE_SIZE,
  PageQuery,
  pageCount,
  SlugParams,
} from './route-schemas.js';
import { labelled, workListItems } from './service.js';
import { HomePage, LibraryPage } from './views/pages.js';
import { LanguagesPage } from './views/reading.js';
import { WorkList } from './views/work-list.js';

/** Home, the library with its facets, topics, collections and the languages page. */
export function registerBrowseRoutes(
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
}
