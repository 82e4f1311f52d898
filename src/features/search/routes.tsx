/** GET /:lang/search: the search page (a public page: cached per address like the others). */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { WORK_TYPES, type DB, type WorkType } from '../../platform/db/schema.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { search, type SearchParams } from './service.js';
import { SearchPage } from './views.js';

const SearchQuery = {
  type: 'object',
  properties: {
    // Long queries get a page (cut to 200 characters), not an error; absurd ones a 400 page.
    q: { type: 'string', maxLength: 10_000 },
    language: { type: 'string', maxLength: 64 },
    type: { type: 'string', enum: [...WORK_TYPES] },
    topic: { type: 'string', pattern: '^[a-z0-9-]{1,80}$' },
    page: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

export function registerSearchRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; pages: PageRenderer },
) {
  const { db, pages } = deps;
  app.get('/:lang/search', { schema: { querystring: SearchQuery } }, (request, reply) =>
    pages.render(request, reply, async (ctx) => {
      const query = request.query as {
        q?: string;
        language?: string;
        type?: WorkType;
        topic?: string;
        page?: number;
      };
      const params: SearchParams = {
        q: query.q ?? '',
        readerLanguage: ctx.lang,
        language: query.language ? canonicalTag(query.language) : undefined,
        type: query.type,
        topic: query.topic,
        page: query.page ?? 1,
      };
      const result = await search(db, params);
      const slugs = result.facets.topics.map((t) => t.slug);
      const labels = slugs.length
        ? await db
            .selectFrom('topic_labels as l')
            .innerJoin('topics as t', 't.id', 'l.topic_id')
            .where('t.slug', 'in', slugs)
            .where('l.language', 'in', [ctx.lang, 'en'])
            .select(['t.slug', 'l.language', 'l.label'])
            .execute()
        : [];
      const topicLabels = new Map<string, string>();
      for (const l of labels)
        if (l.language === ctx.lang || !topicLabels.has(l.slug)) topicLabels.set(l.slug, l.label);
      return {
        title: result.query
          ? `${result.query} · ${ctx.t('search.heading')}`
          : ctx.t('search.heading'),
        body: <SearchPage ctx={ctx} result={result} params={params} topicLabels={topicLabels} />,
        alternates: 'ui',
      };
    }),
  );
}
